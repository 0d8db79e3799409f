"""The ``ntmgeo`` command line: thin commands over the library.

Exit codes: 0 success; 1 internal error; 2 wrong usage; 3 bad input (file, value, schema);
4 store problem (missing, not an ntmgeo store, locked); 5 data the computation needs is missing
(no unit valid on the date, no criteria set, unknown province).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table
from rich.text import Text

from . import __version__, criteria, datasets, ingest, layers, settings
from . import export as export_mod
from . import greening as greening_mod
from . import progress as progress_mod
from . import report as report_mod
from . import status as status_mod
from ._errors import NtmgeoError
from .i18n import beside_no_road_text, describe_error, t
from .store import open_store
from .store.gpkg import GpkgStore

_out = Console(soft_wrap=True)
_err = Console(stderr=True, soft_wrap=True)


def _echo_json(doc: Any) -> None:
    click.echo(json.dumps(doc, ensure_ascii=False, indent=2, default=str))


def _progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), console=_err,
                    transient=True, disable=not _err.is_terminal)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ntmgeo")
@click.option("--lang", type=click.Choice(["vi", "en"]), envvar="NTMGEO_LANG", default="vi",
              show_default=True, help="Language of messages and tables.")
def cli(lang: str) -> None:
    """ntmgeo: bản đồ và chỉ tiêu nông thôn mới (GIS for the New Rural Development programme)."""
    settings.lang = lang


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
        raise click.UsageError("give --province CODE (e.g. 68 for Lâm Đồng) or --sample NAME")
    name = title or (spec["title"][settings.lang] if spec else "")
    if sample:
        with _progress() as progress:
            progress.add_task(t("reading", file=sample), total=None)
            counts = datasets.build_sample(path, sample, prov_code=prov, title=name,
                                           overwrite=force)
        store = GpkgStore(path)
    else:
        store = GpkgStore.create(path, prov_code=prov, title=name, overwrite=force)
    _out.print(t("created", path=path, prov=prov, crs=store.measure_crs))
    if sample:
        _out.print(t("sample_loaded", name=sample))
        for key, count in counts.items():
            _out.print(f"  {key}: {count}")


# ----------------------------------------------------------------------------------- import
@cli.command("import")
@click.argument("layer")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--db", "db", required=True, type=click.Path(path_type=Path), help="Store path.")
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
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def import_(layer: str, file: Path, db: Path, replace: bool, crs: str | None,
            file_layer: str | None, encoding: str | None, swap_xy: bool, date: str | None,
            user: str, as_json: bool) -> None:
    """Validate FILE against LAYER's schema and add its features to the store.

    All or nothing: a bad feature stops the import and the store is left as it was.
    """
    store = open_store(db)
    layers.load_schema(layer)
    with _progress() as progress:
        progress.add_task(t("reading", file=file.name), total=None)
        defaults = {"survey_date": _check_date(date)} if date and layer == "surveys" else None
        result = ingest.import_file(store, layer, file, replace=replace, crs=crs,
                                    file_layer=file_layer, defaults=defaults,
                                    user=user or os.environ.get("USER", ""),
                                    encoding=encoding, swap_xy=swap_xy)
    if as_json:
        doc = {"layer": layer, "file": str(file), "features": result.count,
               "mode": "replace" if replace else "append"}
        if layer == "surveys":
            doc["beside_no_road"] = result.beside_no_road
        _echo_json(doc)
        return
    key = "replaced" if replace else "imported"
    _out.print(t(key, n=result.count, layer=layer, file=file.name), highlight=False)
    if layer == "surveys":
        _out.print(beside_no_road_text(result), highlight=False)


# ----------------------------------------------------------------------------------- status
def _met_word(met: bool | None) -> str:
    if met is None:
        return t("unknown")
    return t("met") if met else t("unmet")


def _print_district(doc: dict[str, Any]) -> None:
    lang = settings.lang
    unit = doc["unit"]
    _out.print(f"[bold]{t('unit')}:[/] {unit['name']} ({unit['code']}) · "
               f"{t('set')}: {doc['criteria_set']['title'][lang]} · {t('as_of')}: {doc['as_of']}",
               highlight=False)
    table = Table(show_lines=False)
    table.add_column(t("indicator"), overflow="fold", ratio=5, min_width=30)
    for col in ("threshold", "value", "status", "source"):
        table.add_column(t(col), overflow="fold", ratio=2)
    for crit in doc["criteria"]:
        table.add_row(f"[bold]{crit['id']}. {crit['name'][lang]}[/]", "", "",
                      f"[bold]{_met_word(crit['met'])}[/]", "")
        for ind in crit["indicators"] or []:
            value = ind["value_text"] or ("" if ind["value"] is None else str(ind["value"]))
            threshold = ind["threshold"]["text"] if ind["threshold"] else ""
            source = t(ind["source"]) if ind["source"] else ""
            if ind["as_of"]:
                source += f" {ind['as_of']}"
            style = "red" if ind["met"] is False else ""
            table.add_row(f"  {ind['id']} {ind['name'][lang]}", threshold, value,
                          f"[{style}]{_met_word(ind['met'])}[/]" if style else
                          _met_word(ind["met"]), source)
            for remark in (ind.get("basis"), ind.get("note")):  # which condition decided, and
                if remark:  # what the layers could not answer (ntmgeo.computed)
                    table.add_row(Text(f"    ↳ {remark[lang]}", style="dim"), "", "", "", "")
    _out.print(table)
    s = doc["summary"]
    _out.print(t("summary", im=s["indicators_met"], it=s["indicators_total"],
                 cm=s["criteria_met"], ct=s["criteria_total"]))
    if s.get("table"):
        tb = s["table"]
        _out.print(t("table_summary", im=tb["indicators_met"], it=tb["indicators_total"],
                     cm=tb["criteria_met"], ct=tb["criteria_total"]))
    if s.get("reported"):
        r = s["reported"]
        _out.print(t("reported_summary", im=r["indicators_met"], it=r["indicators_total"],
                     cm=r["criteria_met"], ct=r["criteria_total"]))
    if s["disagreements"]:
        _out.print(t("disagreements"))
        for d in s["disagreements"]:
            _out.print(f"  - {d['note'][settings.lang]}", highlight=False)
    for roll in doc.get("recognition") or []:
        _print_rollup(roll)


def _print_rollup(roll: dict[str, Any]) -> None:
    lang = settings.lang
    _out.print(f"[bold]{roll['title'][lang]}[/]: {_met_word(roll['met'])}")
    for cond in roll["conditions"]:
        if cond["source"] == "computed":
            figure = (f"{cond['count']}/{cond['total']} ({cond['value']}%)"
                      if cond["total"] else t("none_there"))
            if cond["no_data"]:
                figure += " · " + t("no_level", ids=", ".join(cond["no_data"]))
        else:
            figure = t("unknown") if cond["value"] is None else str(cond["value"])
        _out.print(f"  {cond['id']}. {cond['text'][lang]}: {figure} → {_met_word(cond['met'])}",
                   highlight=False)


def _print_communes(doc: dict[str, Any]) -> None:
    table = Table()
    for col in ("code", "commune", "ntm_level", "criteria_met", "unmet_criteria", "as_of"):
        table.add_column(t(col), overflow="fold")
    for c in doc["communes"]:
        level = t(f"level_{c['level']}") if c["level"] else t("unknown")
        met = "" if c["criteria_met"] is None else f"{c['criteria_met']}/{c['criteria_total']}"
        unmet = ", ".join(x["id"] for x in c["criteria"] or [] if x["met"] is False)
        table.add_row(c["comm_code"], c["name"], level, met, unmet, c["as_of"] or "")
    _out.print(table)
    s = doc["summary"]
    _out.print(t("communes_summary", ntm=s["ntm_or_above"], n=s["communes"],
                 nc=s["ntm_nang_cao_or_above"]))
    if s.get("no_data"):
        _out.print(t("communes_no_data", n=s["no_data"]))


@cli.command()
@click.option("--db", "db", required=True, type=click.Path(path_type=Path), help="Store path.")
@click.option("--level", type=click.Choice(["district", "commune"]), default="district",
              show_default=True)
@click.option("--unit", default=None, help="Unit code, where several are valid.")
@click.option("--as-of", "as_of", default=None,
              help="Date (YYYY-MM-DD); default: the store's latest reported date.")
@click.option("--source", type=click.Choice(["all", "reported"]), default="all",
              show_default=True,
              help="'reported': only the reported values (the document's table as printed), "
                   "no indicator computed from the layers.")
@click.option("--department", default=None,
              help="List this department's unmet indicators with their deadlines "
                   "(e.g. 'Kinh tế - Hạ tầng').")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def status(db: Path, level: str, unit: str | None, as_of: str | None, source: str,
           department: str | None, as_json: bool) -> None:
    """Which criteria and indicators a unit meets, with value, threshold, source and date."""
    store = open_store(db)
    if as_of is not None:
        as_of = _check_date(as_of)
    doc = status_mod.from_store(store, level=level, unit=unit, as_of=as_of, source=source)
    if department is not None:
        if level != "district":
            raise click.UsageError("--department works with --level district")
        items = status_mod.department_items(doc, department)
        if as_json:
            _echo_json(items)
        else:
            _print_department(items)
        return
    if as_json:
        _echo_json(doc)
    elif level == "commune":
        _print_communes(doc)
    else:
        _print_district(doc)


def _print_department(items: dict[str, Any]) -> None:
    lang = settings.lang
    _out.print(t("department_title", d=items["department"], as_of=items["as_of"]),
               highlight=False)
    for item in items["unmet"]:
        deadline = item["deadline"] or item["deadline_text"] or "—"
        _out.print(f"  {item['id']} {item['name'][lang]} · {deadline}", highlight=False)
    if not items["unmet"]:
        _out.print(t("department_none"))
    if items["unmet_without_owner"]:
        _out.print(t("department_unowned", ids=", ".join(i["id"] for i in
                                                         items["unmet_without_owner"])))


@cli.command("report")
@click.argument("unit")
@click.argument("indicator")
@click.argument("value")
@click.option("--db", "db", required=True, type=click.Path(path_type=Path), help="Store path.")
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
                                  date=_check_date(date), source=source, note=note,
                                  deadline=deadline and _check_date(deadline))
    _out.print(t("recorded", i=rec["indicator_id"], u=rec["unit_code"], v=rec["value_text"],
                 d=rec["as_of"], m=_met_word(rec["met"])), highlight=False)


def _check_date(text: str) -> str:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise click.BadParameter(f"'{text}' is not a date (YYYY-MM-DD)",
                                 param_hint="--as-of") from None


@cli.command()
@click.option("--db", "db", required=True, type=click.Path(path_type=Path), help="Store path.")
@click.option("--unit", "code", required=True, help="Unit code (e.g. 68 for Lâm Đồng).")
@click.option("--level", type=click.Choice(["province", "district"]), default="province",
              show_default=True)
@click.option("--as-of", "as_of", default=None, help="Date (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True)
def targets(db: Path, code: str, level: str, as_of: str | None, as_json: bool) -> None:
    """Roll-up targets of a province or district (data/rollups): shares of the units below
    it at each NTM level."""
    store = open_store(db)
    as_of = _check_date(as_of) if as_of else status_mod.default_as_of(store)
    docs = status_mod.rollups(store, level=level, code=code, as_of=as_of)
    if as_json:
        _echo_json(docs)
        return
    if not docs:
        _out.print(t("no_rollup", code=code, as_of=as_of))
    for roll in docs:
        _print_rollup(roll)
        expected = roll.get("expected_units") or {}
        for lvl, n in expected.items():
            counted = max((c["total"] for c in roll["conditions"]
                           if c.get("units") == lvl), default=0)
            if counted < n:
                _out.print(t("partial_rollup", counted=counted, n=n, level=lvl))


@cli.command()
@click.option("--db", "db", required=True, type=click.Path(path_type=Path), help="Store path.")
@click.option("--as-of", "as_of", default=None, help="Date (YYYY-MM-DD); default: the latest "
                                                     "date in the store.")
@click.option("--since", default=None, help="First quarter of the indicator history "
                                            "(default: one year before --as-of).")
@click.option("--json", "as_json", is_flag=True)
def progress(db: Path, as_of: str | None, since: str | None, as_json: bool) -> None:
    """Progress and deadlines: tree-lined km by month, indicators met by quarter, works
    overdue against the plan's dates."""
    store = open_store(db)
    doc = progress_mod.from_store(store, as_of and _check_date(as_of),
                                  since=since and _check_date(since))
    if as_json:
        _echo_json(doc)
        return
    _out.print(t("progress_greening"))
    for row in doc["greening_by_month"]:
        _out.print(f"  {row['as_of']}: {row['greened_km']:.2f}/{row['length_km']:.2f} km "
                   f"({row['ratio']:.2%})", highlight=False)
    _out.print(t("progress_quarters"))
    for row in doc["indicators_by_quarter"]:
        if "error" in row:
            _out.print(f"  {row['as_of']}: {row['error']}", highlight=False)
        else:
            _out.print(f"  {row['as_of']}: {row['indicators_met']}/{row['indicators_total']} · "
                       f"{row['criteria_met']}/{row['criteria_total']}", highlight=False)
    _out.print(t("progress_overdue", d=doc["as_of"]))
    for item in doc["overdue"]:
        _out.print(f"  {item['indicator'] or ''} {item['name']}: {item['deadline']} "
                   f"(+{item['days_late']} {t('days')})", highlight=False)
    if not doc["overdue"]:
        _out.print(t("department_none"))


@cli.command()
@click.option("--db", "db", required=True, type=click.Path(path_type=Path), help="Store path.")
@click.option("--type", "site_type", default=None,
              help="Facility type (any sites.site_type: market, waste_collection_point, "
                   "health_station, school, clean_water_works…).")
@click.option("--within", default="5km", show_default=True, help="Distance: 5km, 500m…")
@click.option("--network", is_flag=True, help="Distance along the road layers, not straight.")
@click.option("--level", type=click.Choice(["commune", "district"]), default="commune",
              show_default=True)
@click.option("--surface", is_flag=True,
              help="Road km by surface (hardened share) per unit, instead of facility reach.")
@click.option("--as-of", "as_of", default=None, help="Date (YYYY-MM-DD): the units of that day.")
@click.option("--json", "as_json", is_flag=True)
def coverage(db: Path, site_type: str | None, within: str, network: bool, level: str,
             surface: bool, as_of: str | None, as_json: bool) -> None:
    """Share of each unit's population (or area, where no population is known) within reach
    of a facility type; what is not covered, as geometry (in --json)."""
    from . import coverage as coverage_mod

    store = open_store(db)
    day = as_of and _check_date(as_of)
    if surface:
        doc = coverage_mod.surface_document(store, as_of=day)
    else:
        if site_type is None:
            raise click.UsageError("give --type TYPE (or --surface)")
        allowed = layers.load_schema("sites").field("site_type").allowed or ()
        if site_type not in allowed:
            raise click.BadParameter(f"'{site_type}' is not one of {', '.join(allowed)}",
                                     param_hint="--type")
        try:
            metres = coverage_mod.parse_distance(within)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--within") from None
        doc = coverage_mod.coverage_document(store, site_type=site_type, within_m=metres,
                                             network=network, as_of=day, level=level)
    if as_json:
        _echo_json(doc)
    elif surface:
        _print_surface(doc)
    else:
        _print_coverage(doc)


def _print_surface(doc: dict[str, Any]) -> None:
    for unit in doc.get("units") or []:
        _out.print(f"[bold]{unit['name']} ({unit['code']})[/]")
        for cls, row in (unit.get("by_class") or {}).items():
            _out.print(f"  {cls}: {row['text']}", highlight=False)


def _print_coverage(doc: dict[str, Any]) -> None:
    lang = settings.lang
    table = Table()
    for col in ("code", "commune", "covered", "basis"):
        table.add_column(t(col), overflow="fold")
    for unit in doc.get("units") or []:
        share = unit.get("covered_share")
        covered = "" if share is None else f"{share:.1%}"
        if unit.get("covered_population") is not None:
            covered += f" ({unit['covered_population']:,} / {unit['population']:,} người)"
        elif unit.get("covered_km2") is not None:
            covered += f" ({unit['covered_km2']:.1f} / {unit['area_km2']:.1f} km²)"
        note = unit.get("basis_note") or {}
        table.add_row(str(unit.get("code", "")), str(unit.get("name", "")), covered,
                      note.get(lang) or str(unit.get("basis", "")))
    _out.print(table)


# ----------------------------------------------------------------------------------- greening
@cli.command()
@click.option("--db", "db", type=click.Path(path_type=Path), default=None,
              help="Compute from a store's roads and surveys.")
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
@click.option("--as-of", "as_of", default=None, help="With --db: surveys up to this date.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
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
            raise click.UsageError("give either --db or --roads with --survey, not both")
        doc = greening_mod.from_store(open_store(db), as_of=as_of and _check_date(as_of),
                                      dist_code=dist_code, **options)
    else:
        if roads_file is None or not survey_files:
            raise click.UsageError("give --db PATH, or --roads FILE and at least one --survey")
        with _progress() as progress:
            progress.add_task(t("reading", file=roads_file.name), total=None)
            doc = greening_mod.from_files(roads_file, list(survey_files), crs=crs,
                                          date=date and _check_date(date),
                                          dist_code=dist_code, roads_layer=roads_layer, survey_layer=survey_layer,
                                          **options)
    if as_json:
        _echo_json(doc)
    else:
        _print_greening(doc)


def _print_greening(doc: dict[str, Any]) -> None:
    table = Table()
    for col in ("road", "length_km", "greened_km", "ratio", "stretches", "longest_gap"):
        table.add_column(t(col), overflow="fold")
    for road in doc["roads"]:
        gap = road["gaps"][0]["label"] if road["gaps"] else ""
        table.add_row(f"{road['road_code']} ({road['dist_code']})", f"{road['length_km']:.2f}",
                      f"{road['greened_km']:.2f}", f"{road['ratio']:.2%}",
                      "; ".join(s["label"] for s in road["stretches"]), gap)
    _out.print(table)
    tot = doc["total"]
    _out.print(t("greening_total", g=tot["greened_km"], l=tot["length_km"], r=tot["ratio"],
                 thr=tot["threshold"], status=_met_word(tot["met"]), s=tot["shortfall_km"]),
               highlight=False)
    if doc["unmatched"]["count"]:
        _out.print(t("unmatched", n=doc["unmatched"]["count"],
                     ids=", ".join(doc["unmatched"]["ids"][:10])), highlight=False)


# ----------------------------------------------------------------------------------- export
def _formats_help(formats: dict[str, Any]) -> str:
    return "; ".join(f"{name}: {spec.label['en']}" for name, spec in formats.items()) + "."


@cli.command()
@click.option("--db", "db", required=True, type=click.Path(path_type=Path), help="Store path.")
@click.option("--format", "fmt", type=click.Choice(sorted(export_mod.FORMATS)), required=True,
              help=_formats_help(export_mod.FORMATS))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="Output file (.zip for shp and geojson).")
@click.option("--crs", default=None,
              help="EPSG code for shp/gpkg (default: the province's VN-2000 TM-3 zone).")
@click.option("--layers", "layer_list", default=None,
              help="Comma-separated layer names, stored (admin_units, roads, …) or derived "
                   "(communes_status, roads_greening, tree_lined, gaps); default: all.")
@click.option("--json", "as_json", is_flag=True)
def export(db: Path, fmt: str, out: Path, crs: str | None, layer_list: str | None,
           as_json: bool) -> None:
    """Export layers for the provincial GIS, verified by reading them back."""
    store = open_store(db)
    if crs is not None and not export_mod.FORMATS[fmt].takes_crs:
        raise click.UsageError(f"--crs does not apply to {fmt} (always WGS 84)")
    names = [n.strip() for n in layer_list.split(",")] if layer_list else None
    with _progress() as progress:
        progress.add_task(t("writing", file=out.name), total=None)
        result = export_mod.write(store, fmt, out, crs=crs, layers=names)
    if as_json:
        _echo_json(result)
        return
    _out.print(t("exported", path=result["path"], crs=result["crs"]), highlight=False)
    for name, count in result["layers"].items():
        _out.print(f"  {name}: {count}", highlight=False)
    cut: dict[tuple[str, str], int] = {}
    for item in result.get("truncated") or []:
        key = (item["layer"], item["field"])
        cut[key] = cut.get(key, 0) + 1
    for (layer, field), count in cut.items():
        _out.print(t("truncated", layer=layer, field=field, n=count), highlight=False)


@cli.command()
@click.option("--db", "db", required=True, type=click.Path(path_type=Path), help="Store path.")
@click.option("--format", "fmt", type=click.Choice(list(report_mod.FORMATS)), default="xlsx",
              show_default=True, help=_formats_help(report_mod.FORMATS))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path))
@click.option("--level", type=click.Choice(["district", "commune"]), default="district",
              show_default=True)
@click.option("--unit", default=None, help="Unit code, where several are valid.")
@click.option("--as-of", "as_of", default=None, help="Date (YYYY-MM-DD).")
@click.option("--source", type=click.Choice(["all", "reported"]), default="all",
              show_default=True, help="'reported': the document's table as printed.")
def table(db: Path, fmt: str, out: Path, level: str, unit: str | None, as_of: str | None,
          source: str) -> None:
    """The criteria table of the plan (TT, criterion, indicator, threshold, value, deadline,
    note) as XLSX or CSV, ready to paste into a plan."""
    path = report_mod.write(open_store(db), fmt, out, level=level, unit=unit,
                            as_of=as_of and _check_date(as_of), source=source)
    _out.print(t("written", path=path), highlight=False)


# ----------------------------------------------------------------------------------- web
@cli.command()
@click.option("--db", "db", type=click.Path(path_type=Path), default=None,
              help="Store to serve (default: the embedded Đam Rông sample, built on first "
                   "use into a cache file).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
def serve(db: Path | None, host: str, port: int) -> None:
    """Serve the web map (Flask) of a store."""
    from ._resources import load_web

    web = load_web()
    path = db if db is not None else web.sample_db_path("damrong")
    open_store(path)
    if db is None:
        _err.print(t("serving_sample", path=path), highlight=False)
    web.run(path, host=host, port=port)


@cli.group("user")
def user_group() -> None:
    """People who may sign in to the web map and change data."""


@user_group.command("add")
@click.argument("name")
@click.option("--db", "db", required=True, type=click.Path(path_type=Path), help="Store path.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_add(name: str, db: Path, password_stdin: bool) -> None:
    """Add a user NAME (the password is asked twice, and stored hashed)."""
    from . import users

    store = open_store(db)
    if password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(t("password"), hide_input=True, confirmation_prompt=True)
    users.add_user(store, name, password)
    _out.print(t("user_added", name=name), highlight=False)


@user_group.command("list")
@click.option("--db", "db", required=True, type=click.Path(path_type=Path), help="Store path.")
def user_list(db: Path) -> None:
    """List the users of a store."""
    from . import users

    for row in users.list_users(open_store(db)):
        _out.print(f"{row['username']}\t{row.get('created_at', '')}", highlight=False)


# ----------------------------------------------------------------------------------- info
@cli.command()
@click.option("--db", "db", required=True, type=click.Path(path_type=Path), help="Store path.")
@click.option("--json", "as_json", is_flag=True)
def info(db: Path, as_json: bool) -> None:
    """What a store holds: project metadata and counts per layer and record table."""
    store = open_store(db)
    doc = {"meta": store.meta(), "counts": store.counts()}
    if as_json:
        _echo_json(doc)
        return
    for key, value in doc["meta"].items():
        _out.print(f"{key}: {value}", highlight=False)
    for key, value in doc["counts"].items():
        _out.print(f"  {key}: {value}", highlight=False)


# ----------------------------------------------------------------------------------- layers
@cli.group("layers")
def layers_group() -> None:
    """The declarative layer schemas (layers/*.yml)."""


@layers_group.command("list")
def layers_list() -> None:
    """List the layers."""
    for schema in layers.all_schemas():
        types = "/".join(schema.geometry_types)
        _out.print(f"{schema.name}\t{types}\t{schema.title[settings.lang]}", highlight=False)


@layers_group.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True)
def layers_show(name: str, as_json: bool) -> None:
    """Show a layer's fields."""
    schema = layers.load_schema(name)
    if as_json:
        _echo_json({"name": schema.name, "title": schema.title,
                    "geometry_types": schema.geometry_types, "identity": schema.identity,
                    "fields": [{"name": f.name, "shp_name": f.shp_name, "type": f.type,
                                "required": f.required, "label": f.label, "unit": f.unit,
                                "allowed": f.allowed} for f in schema.fields]})
        return
    table = Table(title=f"{schema.name}: {schema.title[settings.lang]}")
    for col in ("field", "shp", "type", "required", "label", "unit / allowed"):
        table.add_column(col, overflow="fold")
    for f in schema.fields:
        extra = f.unit or (", ".join(f.allowed) if f.allowed else "")
        table.add_row(f.name, f.shp_name, f.type, "✓" if f.required else "", f.label[settings.lang],
                      extra)
    _out.print(table)
    _out.print(f"identity: {', '.join(schema.identity)}", highlight=False)


@layers_group.command("validate")
def layers_validate() -> None:
    """Check every layer schema against layers/_schema.yml."""
    _out.print(t("layers_valid", names=", ".join(layers.validate_all())))


# ----------------------------------------------------------------------------------- criteria
@cli.group("criteria")
def criteria_group() -> None:
    """The criteria catalogue (data/criteria/*.yml)."""


@criteria_group.command("list")
def criteria_list() -> None:
    """List the criteria sets."""
    for cset in criteria.all_sets().values():
        start, end = cset.period
        _out.print(f"{cset.id}\t{cset.level}\t{len(cset.criteria)} tiêu chí\t"
                   f"{len(cset.indicators)} chỉ tiêu\t{start or '?'}..{end or ''}\t"
                   f"{cset.title[settings.lang]}", highlight=False)


@criteria_group.command("show")
@click.argument("set_id")
def criteria_show(set_id: str) -> None:
    """Show a criteria set with its indicators and thresholds."""
    cset = criteria.load_set(set_id)
    lang = settings.lang
    table = Table(title=cset.title[lang])
    for col in ("criterion", "indicator", "threshold"):
        table.add_column(t(col), overflow="fold")
    for crit in cset.criteria:
        if crit.indicators is None:
            table.add_row(f"{crit.id}. {crit.name[lang]}", t("not_in_catalogue"), "")
            continue
        for n, ind in enumerate(crit.indicators):
            thr = ind.threshold.text if ind.threshold else t("not_in_catalogue")
            table.add_row(f"{crit.id}. {crit.name[lang]}" if n == 0 else "",
                          f"{ind.id} {ind.name[lang]}", thr)
    _out.print(table)


# ----------------------------------------------------------------------------------- entry
def main(argv: list[str] | None = None) -> int:
    """Run the CLI; errors become one line on stderr and an exit code, never a traceback."""
    try:
        cli.main(args=argv, prog_name="ntmgeo", standalone_mode=False)
    except click.exceptions.Abort:
        _err.print("Aborted.")
        return 1
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except NtmgeoError as exc:
        click.echo(f"{t('error')}: {describe_error(exc)}", err=True)
        return exc.exit_code
    except Exception as exc:  # noqa: BLE001 - last line of defence: no stack traces
        if os.environ.get("NTMGEO_DEBUG"):
            traceback.print_exc()
        click.echo(f"{t('internal_error')}: {type(exc).__name__}: {exc}", err=True)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
