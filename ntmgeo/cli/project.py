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
from ..i18n import t
from ..store import open_store
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
@click.argument("layer")
@click.argument("file", type=click.Path(path_type=Path))
@db_option()
@click.option("--replace", is_flag=True, help="Replace the layer's whole content with FILE's.")
@click.option("--crs", default=None, help="CRS of FILE when it declares none (EPSG:XXXX).")
@click.option("--layer", "file_layer", default=None,
              help="Layer inside FILE (GeoPackage, KML, ZIP with several shapefiles).")
@click.option("--encoding", type=click.Choice(["utf-8", "cp1258", "tcvn3"]), default=None,
              help="Text encoding of a shapefile without .cpg (default: detected).")
@click.option("--swap-xy", is_flag=True,
              help="X is the northing (surveyors' convention): swap the axes.")
@click.option("--date", default=None, help="Survey date for features that carry none.")
@click.option("--user", default="", help="Who imports (recorded with the import).")
@json_option(help="Print the result as JSON.")
def import_(layer: str, file: Path, db: Path, replace: bool, crs: str | None,
            file_layer: str | None, encoding: str | None, swap_xy: bool, date: str | None,
            user: str, as_json: bool) -> None:
    """Validate FILE against LAYER's schema and add its features to the store.

    All or nothing: a bad feature stops the import and the store is left as it was.
    """
    store = open_store(db)
    layers.load_schema(layer)
    with render.spinner() as progress:
        progress.add_task(t("reading", file=file.name), total=None)
        defaults = {"survey_date": check_date(date)} if date and layer == "surveys" else None
        result = ingest.import_file(store, layer, file, replace=replace, crs=crs,
                                    file_layer=file_layer, defaults=defaults,
                                    user=user or os.environ.get("USER", ""),
                                    encoding=encoding, swap_xy=swap_xy)
    if as_json:
        doc = {"layer": layer, "file": str(file), "features": result.count,
               "mode": "replace" if replace else "append"}
        if layer == "surveys":
            doc["beside_no_road"] = result.beside_no_road
        render.echo_json(doc)
        return
    render.print_import(result, layer=layer, file_name=file.name, replace=replace)


# ----------------------------------------------------------------------------------- report
@cli.command("report")
@click.argument("unit")
@click.argument("indicator")
@click.argument("value")
@db_option()
@click.option("--date", required=True, help="Date the value holds for (YYYY-MM-DD).")
@click.option("--source", required=True, help="Where the value comes from (document, office).")
@click.option("--note", default=None)
@click.option("--deadline", default=None, help="Completion deadline (YYYY-MM-DD).")
def report_value(unit: str, indicator: str, value: str, db: Path, date: str, source: str,
                 note: str | None, deadline: str | None) -> None:
    """Record a reported VALUE of INDICATOR for UNIT (a number, or đạt / chưa đạt).

    A new dated record is added; earlier ones are kept (history).
    """
    rec = status_mod.record_value(open_store(db), unit, indicator, value,
                                  date=check_date(date), source=source, note=note,
                                  deadline=deadline and check_date(deadline))
    render.say(t("recorded", i=rec["indicator_id"], u=rec["unit_code"], v=rec["value_text"],
                 d=rec["as_of"], m=render.met_word(rec["met"])), highlight=False)


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
