"""Derived layers for the provincial GIS: the figures the CLI prints, as layers."""

from __future__ import annotations

import fiona
import pyogrio
import pytest

from ntmgeo import derived, export


@pytest.fixture(scope="module")
def layers(sample_store):
    return derived.export_layers(sample_store)


def test_communes_with_level_and_unmet_criteria(layers):
    communes, spec, title = layers["communes_status"]
    assert len(communes) == 8 and title["vi"]
    row = communes.set_index("name").loc["Liêng Srônh"]
    assert (row["ntm_level"], row["criteria_met"], row["unmet_criteria"]) == ("not_yet", 18, ["11"])
    assert all(len(f["shp_name"]) <= 10 for f in spec)


def test_roads_with_greening_and_the_2_2_flag(layers):
    roads = layers["roads_greening"][0].set_index("road_code")
    assert roads.loc["ĐH43", "greened_km"] == pytest.approx(3.70, abs=0.005)
    # 2.2 is the planned grade (QĐ 932/QĐ-BGTVT), recorded for no road of the sample: the flag
    # is empty, not False (the surface, ĐH45's laterite gravel, is 2.1's condition).
    assert roads["to_standard"].isna().all() and roads["standard_km"].isna().all()
    assert roads["length_km"].sum() == pytest.approx(38.39, abs=0.01)
    spec = {f["name"]: f for f in layers["roads_greening"][1]}
    assert "empty" in spec["to_standard"]["label"]["en"]


def test_the_2_2_flag_follows_the_planned_grade(sample_store, monkeypatch):
    real = sample_store.read_layer

    def graded(name):
        layer = real(name)
        if name == "roads":
            layer = layer.copy()
            layer["planned_grade"] = "Cấp V miền núi"
            layer.loc[layer["road_code"] == "ĐH43", "tech_grade"] = "Cấp V miền núi"
        return layer

    monkeypatch.setattr(sample_store, "read_layer", graded)
    roads = derived.export_layers(sample_store)["roads_greening"][0].set_index("road_code")
    assert roads.loc["ĐH43", "to_standard"] is True  # built to its planned grade
    assert roads.loc["ĐH42", "to_standard"] is True  # "Cấp V miền núi", as the plan gives it
    assert roads.loc["ĐH45", "to_standard"] is None  # no built grade: cannot be judged
    assert roads.loc["ĐH43", "standard_km"] == pytest.approx(7.18, abs=0.01)


def test_stretches_and_gaps_add_up_to_the_roads(layers):
    stretches, gaps = layers["tree_lined"][0], layers["gaps"][0]
    assert stretches.length.sum() / 1000 == pytest.approx(10.23, abs=0.01)
    assert (stretches.length.sum() + gaps.length.sum()) / 1000 == pytest.approx(38.39, abs=0.01)
    assert set(stretches["chainage"]) >= {"Km0+000 → Km1+750", "Km0+000 → Km3+700"}


def test_exported_with_the_store_and_read_back_alike(sample_store, layers, tmp_path):
    out = tmp_path / "x.zip"
    result = export.to_shapefiles(sample_store, out, extra_layers=layers)
    assert result["verified"] and result["crs"] == "EPSG:5899"
    path = f"/vsizip/{out}/communes_status.shp"
    names_pyogrio = sorted(pyogrio.read_dataframe(path)["name"])
    with fiona.open(f"zip://{out}!communes_status.shp") as src:
        names_fiona = sorted(f["properties"]["name"] for f in src)
    assert names_pyogrio == names_fiona and "Đạ K'Nàng" in names_fiona
