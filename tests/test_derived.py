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
    assert bool(roads.loc["ĐH43", "to_standard"])
    assert not roads.loc["ĐH45", "to_standard"]  # laterite gravel
    assert roads["length_km"].sum() == pytest.approx(38.39, abs=0.01)


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
