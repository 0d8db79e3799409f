"""Commands that write files for others: ``export`` (layers for the provincial GIS) and
``table`` (the plan's criteria table).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .. import export as export_mod
from .. import report as report_mod
from .. import settings
from ..i18n import t
from ..store import open_store
from . import render
from ._group import DYNAMIC_HELP, cli
from .options import as_of_option, check_date, db_option, json_option


def _formats_help(formats: dict[str, Any]) -> str:
    """The help of ``--format``: each format's label (its own words in each language)."""
    def text(lang: str) -> str:
        return "; ".join(f"{name}: {spec.label.get(lang) or spec.label['en']}"
                         for name, spec in formats.items()) + "."

    DYNAMIC_HELP[text("en")] = text
    return text("en")


@cli.command()
@db_option()
@click.option("--format", "fmt", type=click.Choice(sorted(export_mod.FORMATS)), required=True,
              help=_formats_help(export_mod.FORMATS))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="Output file (.zip for shp and geojson).")
@click.option("--crs", default=None,
              help="EPSG code for shp/gpkg (default: the province's VN-2000 TM-3 zone).")
@click.option("--layers", "layer_list", default=None,
              help="Comma-separated layer names, stored (admin_units, roads, …) or derived "
                   "(communes_status, roads_greening, tree_lined, gaps); default: all.")
@json_option()
def export(db: Path, fmt: str, out: Path, crs: str | None, layer_list: str | None,
           as_json: bool) -> None:
    """Export layers for the provincial GIS, verified by reading them back."""
    store = open_store(db)
    if crs is not None and not export_mod.FORMATS[fmt].takes_crs:
        raise click.UsageError(t("usage_crs_not_for", fmt=fmt))
    names = [n.strip() for n in layer_list.split(",")] if layer_list else None
    with render.spinner() as progress:
        progress.add_task(t("writing", file=out.name), total=None)
        result = export_mod.write(store, fmt, out, crs=crs, layers=names)
    if as_json:
        render.echo_json(result)
        return
    render.print_export(result)


@cli.command()
@db_option()
@click.option("--format", "fmt", type=click.Choice(list(report_mod.FORMATS)), default="xlsx",
              show_default=True, help=_formats_help(report_mod.FORMATS))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path))
@click.option("--level", type=click.Choice(["district", "commune"]), default="district",
              show_default=True)
@click.option("--unit", default=None, help="Unit code, where several are valid.")
@as_of_option()
@click.option("--source", type=click.Choice(["all", "reported"]), default="all",
              show_default=True, help="'reported': the document's table as printed.")
def table(db: Path, fmt: str, out: Path, level: str, unit: str | None, as_of: str | None,
          source: str) -> None:
    """The criteria table of the plan (TT, criterion, indicator, threshold, value, deadline,
    note) as XLSX or CSV, ready to paste into a plan.
    """
    path = report_mod.write(open_store(db), fmt, out, level=level, unit=unit,
                            as_of=as_of and check_date(as_of), source=source,
                            lang=settings.lang)  # --lang / NTMGEO_LANG
    render.say(t("written", path=path), highlight=False)
