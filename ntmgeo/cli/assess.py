"""Commands that assess a district against its criteria: ``status``, ``targets``,
``progress``, ``coverage``, ``greening``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .. import greening as greening_mod
from .. import layers
from .. import progress as progress_mod
from .. import status as status_mod
from ..i18n import t
from ..snapshot import Snapshot
from ..store import open_store
from . import render
from ._group import cli
from .options import as_of_option, check_date, db_option, json_option


# ----------------------------------------------------------------------------------- status
@cli.command()
@db_option()
@click.option("--level", type=click.Choice(["district", "commune", "village", "town",
                                            "province"]),
              default="district", show_default=True)
@click.option("--unit", default=None, help="Unit code, where several are valid.")
@as_of_option(help="Date (YYYY-MM-DD); default: the store's latest reported date.")
@click.option("--source", type=click.Choice(["all", "reported"]), default="all",
              show_default=True,
              help="'reported': only the reported values (the document's table as printed), "
                   "no indicator computed from the layers.")
@click.option("--department", default=None,
              help="List this department's unmet indicators with their deadlines "
                   "(e.g. 'Kinh tế - Hạ tầng').")
@json_option(help="Print one JSON document.")
def status(db: Path, level: str, unit: str | None, as_of: str | None, source: str,
           department: str | None, as_json: bool) -> None:
    """Which criteria and indicators a unit meets, with value, threshold, source and date."""
    store = open_store(db)
    if as_of is not None:
        as_of = check_date(as_of)
    doc = status_mod.from_store(store, level=level, unit=unit, as_of=as_of, source=source)
    if department is not None:
        items = status_mod.department_items(doc, department,
                                            units=store.read_layer("admin_units"))
        if as_json:
            render.echo_json(items)
        else:
            render.print_department(items)
        return
    if as_json:
        render.echo_json(doc)
    elif level == "commune":
        render.print_communes(doc)
    elif level == "province":
        render.print_province(doc)
    elif "units" in doc:  # several villages or towns, no --unit: one row each
        render.print_units(doc)
    else:
        render.print_district(doc)


@cli.command()
@db_option()
@click.option("--unit", "code", required=True, help="Unit code (e.g. 68 for Lâm Đồng).")
@click.option("--level", type=click.Choice(["province", "district"]), default=None,
              help="Level of the unit (default: its level in the store; province if the "
                   "store does not hold it).")
@as_of_option()
@json_option()
def targets(db: Path, code: str, level: str | None, as_of: str | None, as_json: bool) -> None:
    """Roll-up targets of a province or district (data/rollups): shares of the units below
    it at each NTM level.
    """
    store = Snapshot.of(open_store(db))  # the date and the roll-ups read it once
    as_of = check_date(as_of) if as_of else status_mod.default_as_of(store)
    if level is None:
        units = store.read_layer("admin_units")
        held = units[(units["code"].astype(str) == code)
                     & units["level"].isin(["province", "district"])]
        level = str(held["level"].iloc[0]) if not held.empty else "province"
    docs = status_mod.rollups(store, level=level, code=code, as_of=as_of)
    if as_json:
        render.echo_json(docs)
        return
    render.print_targets(docs, code=code, as_of=as_of)


@cli.command()
@db_option()
@as_of_option(help="Date (YYYY-MM-DD); default: the latest date in the store.")
@click.option("--since", default=None, help="First quarter of the indicator history "
                                            "(default: one year before --as-of).")
@json_option()
def progress(db: Path, as_of: str | None, since: str | None, as_json: bool) -> None:
    """Progress and deadlines: tree-lined km by month, indicators met by quarter, works
    overdue against the plan's dates.
    """
    store = open_store(db)
    doc = progress_mod.from_store(store, as_of and check_date(as_of),
                                  since=since and check_date(since))
    if as_json:
        render.echo_json(doc)
        return
    render.print_progress(doc)


@cli.command()
@db_option()
@click.option("--type", "site_type", default=None,
              help="Facility type (any sites.site_type: market, waste_collection_point, "
                   "health_station, school, clean_water_works…).")
@click.option("--within", default="5km", show_default=True, help="Distance: 5km, 500m…")
@click.option("--network", is_flag=True, help="Distance along the road layers, not straight.")
@click.option("--level", type=click.Choice(["commune", "district"]), default="commune",
              show_default=True)
@click.option("--surface", is_flag=True,
              help="Road km by surface (hardened share) per unit, instead of facility reach.")
@as_of_option(help="Date (YYYY-MM-DD): the units of that day.")
@json_option()
def coverage(db: Path, site_type: str | None, within: str, network: bool, level: str,
             surface: bool, as_of: str | None, as_json: bool) -> None:
    """Share of each unit's population (or area, where no population is known) within reach
    of a facility type; what is not covered, as geometry (in --json).
    """
    from .. import coverage as coverage_mod

    store = open_store(db)
    day = as_of and check_date(as_of)
    if surface:
        doc = coverage_mod.surface_document(store, as_of=day)
    else:
        if site_type is None:
            raise click.UsageError(t("usage_type"))
        allowed = layers.load_schema("sites").field("site_type").allowed or ()
        if site_type not in allowed:
            raise click.BadParameter(t("usage_not_one_of", value=site_type,
                                       allowed=", ".join(allowed)),
                                     param_hint="--type")
        try:
            metres = coverage_mod.parse_distance(within)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--within") from None
        doc = coverage_mod.coverage_document(store, site_type=site_type, within_m=metres,
                                             network=network, as_of=day, level=level)
    if as_json:
        render.echo_json(doc)
    elif surface:
        render.print_surface(doc)
    else:
        render.print_coverage(doc)


# ----------------------------------------------------------------------------------- greening
@cli.command()
@db_option(required=False, help="Compute from a store's roads and surveys.")
@click.option("--roads", "roads_file", type=click.Path(path_type=Path), default=None,
              help="Roads file (no store needed).")
@click.option("--survey", "survey_files", multiple=True, type=click.Path(path_type=Path),
              help="Survey file (repeatable): GeoJSON, GeoPackage, shapefile/ZIP, KML, GPX, "
                   "or a CSV of chainages.")
@click.option("--tolerance", type=click.FloatRange(1, 100), default=None,
              help="Metres from the centreline within which survey geometry counts "
                   "(default 20).")
@click.option("--bridge", type=click.FloatRange(0, 30), default=None,
              help="Stretches closer than this along a road are one, and no shorter gap is "
                   "listed (metres; default 25, at most the 30 m between single trees).")
@click.option("--side", type=click.Choice(["any", "both"]), default="any", show_default=True,
              help="'both': count only stretches lined on both sides.")
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="Share of road km that must be tree-lined (indicator 2.3: 0.5).")
@click.option("--crs", default=None, help="Measuring CRS (EPSG code); default: the province's "
                                          "VN-2000 zone.")
@click.option("--date", default=None, help="Survey date for features that carry none.")
@click.option("--district", "dist_code", default=None,
              help="District code: only its roads are assessed; roads in a file without a "
                   "district code are taken as its roads.")
@click.option("--roads-layer", default=None, help="Layer of the roads file (GeoPackage…).")
@click.option("--survey-layer", default=None, help="Layer of the survey files (GeoPackage…).")
@as_of_option(help="With --db: surveys up to this date.")
@json_option(help="Print one JSON document.")
def greening(db: Path | None, roads_file: Path | None, survey_files: tuple[Path, ...],
             tolerance: float | None, bridge: float | None, side: str, threshold: float,
             crs: str | None, date: str | None, dist_code: str | None, roads_layer: str | None,
             survey_layer: str | None, as_of: str | None, as_json: bool) -> None:
    """Tree-lined share of district-road km (indicator 2.3), from survey geometry."""
    options: dict[str, Any] = {"side": side, "threshold": threshold}
    if tolerance is not None:
        options["tolerance"] = tolerance
    if bridge is not None:
        options["bridge"] = bridge
    if db is not None:
        if roads_file or survey_files:
            raise click.UsageError(t("usage_db_or_roads"))
        doc = greening_mod.from_store(open_store(db), as_of=as_of and check_date(as_of),
                                      dist_code=dist_code, **options)
    else:
        if roads_file is None or not survey_files:
            raise click.UsageError(t("usage_db_or_files"))
        with render.spinner() as spinner:
            spinner.add_task(t("reading", file=roads_file.name), total=None)
            doc = greening_mod.from_files(roads_file, list(survey_files), crs=crs,
                                          date=date and check_date(date),
                                          dist_code=dist_code, roads_layer=roads_layer,
                                          survey_layer=survey_layer, **options)
    if as_json:
        render.echo_json(doc)
    else:
        render.print_greening(doc)
