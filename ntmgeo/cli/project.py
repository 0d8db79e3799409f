"""Commands over a project store: ``init``, ``import``, ``report``, ``info``, ``user``,
``serve``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .. import datasets, ingest, layers, settings
from .. import status as status_mod
from .._errors import LayerSchemaError
from ..i18n import t
from ..store import RECORD_TABLES, open_store
from ..store.gpkg import GpkgStore
from . import render
from ._group import cli
from .options import check_date, db_option, json_option


# ----------------------------------------------------------------------------------- init
@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sample", type=str, default=None,
              help="Load an embedded sample (e.g. 'damrong').")
@click.option("--province", "prov_code", default=None,
              help="Province code (GSO, before the 2025 merger) whose VN-2000 zone measures "
                   "lengths and areas; the sample's own when --sample is given.")
@click.option("--title", default="", help="Project title.")
@click.option("--force", is_flag=True, help="Replace an existing file at PATH.")
def init(path: Path, sample: str | None, prov_code: str | None, title: str, force: bool) -> None:
    """Create a project store (GeoPackage) at PATH, optionally with a sample."""
    spec = datasets.manifest(sample) if sample else None
    prov = prov_code or (spec["prov_code"] if spec else None)
    if prov is None:
        raise click.UsageError(t("usage_province"))
    name = title or (spec["title"][settings.lang] if spec else "")
    counts = None
    if sample:
        with render.spinner() as progress:
            progress.add_task(t("reading", file=sample), total=None)
            counts = datasets.build_sample(path, sample, prov_code=prov, title=name,
                                           overwrite=force)
        store = GpkgStore(path)
    else:
        store = GpkgStore.create(path, prov_code=prov, title=name, overwrite=force)
    render.print_init(path, prov, store.measure_crs, sample, counts)


# ----------------------------------------------------------------------------------- import
@cli.command("import")
@click.argument("layer", metavar="NAME")
@click.argument("file", type=click.Path(path_type=Path))
@db_option()
@click.option("--replace", is_flag=True, help="Replace the layer's whole content with FILE's.")
@click.option("--crs", default=None, help="CRS of FILE when it declares none (EPSG:XXXX).")
@click.option("--layer", "--sheet", "file_layer", default=None,
              help="Layer inside FILE (GeoPackage, KML, ZIP with several shapefiles), or sheet "
                   "of a workbook (default: its first non-empty sheet).")
@click.option("--encoding", type=click.Choice(["utf-8", "cp1258", "tcvn3"]), default=None,
              help="Text encoding of a shapefile without .cpg (default: detected).")
@click.option("--swap-xy", is_flag=True,
              help="X is the northing (surveyors' convention): swap the axes.")
@click.option("--date", default=None, help="Survey date for features that carry none.")
@click.option("--extra", is_flag=True,
              help="Keep the columns no field takes, as JSON in the field 'extra' (default: "
                   "such a column of a table is refused by name).")
@click.option("--map", "mappings", multiple=True, metavar="HEADING=FIELD",
              help="Read the column HEADING as FIELD (repeatable), e.g. --map "
                   "\"Cost=amount_million_vnd\".")
@click.option("--user", default="", help="Who imports (recorded with the import).")
@json_option(help="Print the result as JSON.")
def import_(layer: str, file: Path, db: Path, replace: bool, crs: str | None,
            file_layer: str | None, encoding: str | None, swap_xy: bool, date: str | None,
            extra: bool, mappings: tuple[str, ...], user: str, as_json: bool) -> None:
    """Validate FILE against NAME (a layer, or a record table) and add it to the store.

    FILE is a geometry file (GeoJSON, GeoPackage, shapefile, KML, GPX) or a table (XLSX; CSV
    in UTF-8 or Windows-1258, separated by commas, semicolons or tabs). Its columns are
    matched to the fields by name, label or alias, in Vietnamese too ("Tên công trình",
    "Tình trạng", "Mã xã"; see the layer's schema and data/record_tables.yml), ignoring case
    and punctuation. A table's points come from lon/lat ("Kinh độ"/"Vĩ độ") or x/y columns; a
    table without coordinates fits only a layer whose geometry is optional.

    A column no field takes is refused by name, unless --extra keeps it or --map names its
    field. A record table (unit_status, reported_values, reported_criteria…) is imported from
    a table; its rows are added to the history, never replaced.

    All or nothing: a bad feature or row (named by its row and column) stops the import and
    the store is left as it was.
    """
    store = open_store(db)
    mapping = _parse_mappings(mappings)
    if layer not in ingest.importable() and layer not in layers.layer_names():
        _unknown_target(layer)
    with render.spinner() as progress:
        progress.add_task(t("reading", file=file.name), total=None)
        defaults = {"survey_date": check_date(date)} if date and layer == "surveys" else None
        result = ingest.import_file(store, layer, file, replace=replace, crs=crs,
                                    file_layer=file_layer, defaults=defaults,
                                    user=user or os.environ.get("USER", ""),
                                    encoding=encoding, swap_xy=swap_xy, extra=extra,
                                    mapping=mapping)
    records = layer in RECORD_TABLES
    if as_json:
        doc = {"layer": layer, "file": str(file), "features": result.count,
               "mode": "replace" if replace else "append"}
        if layer == "surveys":
            doc["beside_no_road"] = result.beside_no_road
        if result.ignored:
            doc["ignored_columns"] = list(result.ignored)
        render.echo_json(doc)
        return
    if records:
        render.say(t("imported_records", n=result.count, table=layer, file=file.name),
                   highlight=False)
    else:
        render.print_import(result, layer=layer, file_name=file.name, replace=replace)
    if result.ignored:
        render.warn(t("ignored_columns", names=", ".join(result.ignored)), highlight=False)


def _parse_mappings(mappings: tuple[str, ...]) -> dict[str, str]:
    """``--map "HEADING=FIELD"`` options as {heading: field}."""
    out: dict[str, str] = {}
    for item in mappings:
        heading, sep, field = item.rpartition("=")
        if not sep or not heading.strip() or not field.strip():
            raise click.BadParameter(t("bad_mapping", value=item), param_hint="--map")
        out[heading.strip()] = field.strip()
    return out


def _unknown_target(name: str) -> None:
    raise LayerSchemaError("unknown layer '{name}' (layers: {layers}; record "
                           "tables: {tables})", name=name, layers=", ".join(layers.layer_names()),
                           tables=", ".join(ingest.importable()))


# ----------------------------------------------------------------------------------- form
@cli.command("form")
@click.argument("name")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def form(name: str, out: Path) -> None:
    """Write a blank XLSX form for NAME (a layer, or a record table): one column per field,
    headed by its label, and a guide sheet with each field's type, accepted values and the
    other headings it is read from. Fill it in and load it with ntmgeo import NAME OUT.
    """
    from .. import forms

    path = forms.write_form(name, out, lang=settings.lang)
    render.say(t("written", path=path), highlight=False)


# ----------------------------------------------------------------------------------- report
@cli.command("report")
@click.argument("unit")
@click.argument("item")
@click.argument("value")
@db_option()
@click.option("--date", required=True, help="Date the value holds for (YYYY-MM-DD).")
@click.option("--source", required=True, help="Where the value comes from (document, office).")
@click.option("--note", default=None)
@click.option("--deadline", default=None, help="Completion deadline (YYYY-MM-DD).")
@click.option("--set", "set_id", default=None,
              help="Criteria set (default: the set in force for the unit's level), e.g. "
                   "vn-commune-nang-cao-2021-2025.")
def report_value(unit: str, item: str, value: str, db: Path, date: str, source: str,
                 note: str | None, deadline: str | None, set_id: str | None) -> None:
    """Record VALUE of ITEM for UNIT: an indicator's value (a number, or đạt / chưa đạt), or
    a criterion met or unmet (đạt / chưa đạt).

    A new dated record is added; earlier ones are kept (history).
    """
    rec = status_mod.report(open_store(db), unit, item, value, date=check_date(date),
                            source=source, note=note,
                            deadline=deadline and check_date(deadline), set_id=set_id)
    if rec["kind"] == "criterion":
        render.say(t("recorded_criterion", i=rec["criterion_id"], s=rec["criteria_set"],
                     u=rec["unit_code"], v=rec["value_text"], d=rec["as_of"],
                     m=render.met_word(rec["met"])), highlight=False)
        return
    render.say(t("recorded", i=rec["indicator_id"], u=rec["unit_code"], v=rec["value_text"],
                 d=rec["as_of"], m=render.met_word(rec["met"])), highlight=False)


@cli.command("report-table")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option()
@click.option("--date", required=True, help="Date the values hold for (YYYY-MM-DD).")
@click.option("--source", required=True, help="Where the value comes from (document, office).")
@click.option("--set", "set_id", default=None,
              help="Criteria set (default: the set in force for the unit's level), e.g. "
                   "vn-commune-nang-cao-2021-2025.")
@click.option("--sheet", default=None, help="Sheet of an XLSX workbook (default: the first).")
def report_table(file: Path, db: Path, date: str, source: str, set_id: str | None,
                 sheet: str | None) -> None:
    """Record a table of units × criteria (XLSX or CSV): a column of unit codes, a column per
    criterion id, cells đạt / chưa đạt. All or nothing.
    """
    from ..tables import read_rows

    table = read_rows(file, sheet=sheet)
    recs = status_mod.record_criteria_table(open_store(db), table, criteria_set=set_id,
                                            date=check_date(date), source=source)
    render.say(t("recorded_table", n=len(recs), u=len({r["unit_code"] for r in recs}),
                 file=file.name, d=check_date(date)), highlight=False)


# ----------------------------------------------------------------------------------- web
@cli.command()
@db_option(required=False, help="Store to serve (default: the embedded Đam Rông sample, built "
                                "on first use into a cache file).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
def serve(db: Path | None, host: str, port: int) -> None:
    """Serve the web map (Flask) of a store."""
    from .._resources import load_web

    web = load_web()
    path = db if db is not None else web.sample_db_path("damrong")
    open_store(path)
    if db is None:
        render.warn(t("serving_sample", path=path), highlight=False)
    web.run(path, host=host, port=port)


@cli.group("user")
def user_group() -> None:
    """People who may sign in to the web map and change data."""


@user_group.command("add")
@click.argument("name")
@db_option()
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_add(name: str, db: Path, password_stdin: bool) -> None:
    """Add a user NAME (the password is asked twice, and stored hashed)."""
    from .. import users

    store = open_store(db)
    if password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(t("password"), hide_input=True, confirmation_prompt=True)
    users.add_user(store, name, password)
    render.say(t("user_added", name=name), highlight=False)


@user_group.command("list")
@db_option()
def user_list(db: Path) -> None:
    """List the users of a store."""
    from .. import users

    for row in users.list_users(open_store(db)):
        render.say(f"{row['username']}\t{row.get('created_at', '')}", highlight=False)


# ----------------------------------------------------------------------------------- info
@cli.command()
@db_option()
@json_option()
def info(db: Path, as_json: bool) -> None:
    """What a store holds: project metadata and counts per layer and record table."""
    store = open_store(db)
    doc = {"meta": store.meta(), "counts": store.counts()}
    if as_json:
        render.echo_json(doc)
        return
    render.print_info(doc)
