"""User-facing words in Vietnamese (default) and English: the CLI's words and ``--help`` texts
(:data:`_MSGIDS`, :func:`t`, :func:`gettext`, through the gettext catalogue ``cli``), numbers
written the Vietnamese way, error messages rendered through the gettext catalogue
``ntmgeo`` (:func:`describe_error`, :func:`render`), and the documents' ``{"vi": …, "en": …}``
texts through the catalogue ``documents`` (:func:`both`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from importlib.resources import files

from . import settings
from ._errors import InputError, Message

__all__ = ["beside_no_road_text", "both", "describe_error", "gettext", "number", "render", "t"]

# The CLI's words: a key for each, its English text (the msgid in the catalogue ``cli``:
# ntmgeo/locale/<lang>/LC_MESSAGES/cli.po, where the Vietnamese is). Add a word here and its
# msgid and Vietnamese to both cli.po files (tests/test_messages.py checks they are there).
_MSGIDS: dict[str, str] = {
    "error": "Error",
    "internal_error": "Internal error (set NTMGEO_DEBUG=1 for details)",
    "created": "Created store {path} (province {prov}, measured in {crs})",
    'sample_loaded': "Loaded sample '{name}':",
    'imported': "Imported {n} features into layer '{layer}' from {file}",
    'replaced': "Replaced layer '{layer}' with {n} features from {file}",
    "imported_records": "Imported {n} rows into record table '{table}' from {file}",
    "ignored_columns": "Columns no field takes, left aside (keep them with --extra, or map "
                       "them with --map HEADING=FIELD): {names}",
    "bad_mapping": "'{value}' is not HEADING=FIELD",
    "layers_valid": "All layer schemas are valid: {names}",
    "unit": "Unit",
    "set": "Criteria set",
    "as_of": "As of",
    "criterion": "Criterion",
    "indicator": "Indicator",
    "threshold": "Threshold",
    "value": "Value",
    "status": "Status",
    "source": "Source",
    "met": "Met",
    "unmet": "Unmet",
    "unknown": "No data",
    "not_in_catalogue": "Not in the catalogue",
    "computed": "computed",
    "reported": "reported",
    "summary": "Summary: {im}/{it} indicators, {cm}/{ct} criteria met",
    "table_summary": "By the reported table: {im}/{it} indicators, {cm}/{ct} criteria",
    "reported_summary": "The document reports: {im}/{it} indicators, {cm}/{ct} criteria",
    "disagreements": "Disagreements between reported and computed:",
    "commune": "Commune",
    "code": "Code",
    "ntm_level": "NTM level",
    "criteria_met": "Criteria met",
    "unmet_criteria": "Unmet criteria",
    "level_not_yet": "Not yet",
    "level_ntm": "NTM",
    "level_ntm_nang_cao": "Advanced NTM",
    "level_ntm_kieu_mau": "Model NTM",
    "communes_summary": "{ntm}/{n} communes NTM or above; {nc} advanced or above",
    "communes_no_data": "{n} communes have no reported level on this date",
    "features": "features",
    "rows": "rows",
    "road": "Road",
    "length_km": "Length (km)",
    "greened_km": "Tree-lined (km)",
    "ratio": "Ratio",
    "stretches": "Tree-lined stretches",
    "longest_gap": "Longest gap",
    "greening_total": "Total: {g:.2f}/{l:.2f} km, {r:.2%} (threshold {thr:.0%}): {status}; "
                      "{s:.2f} km still to plant",
    "unmatched": "{n} survey features run beside no road: {ids}",
    "writing": "Writing {file}",
    "exported": "Exported and verified {path} ({crs}):",
    "truncated": "  {layer}.{field}: {n} values cut at 254 bytes (the shapefile limit; "
                 "the GeoPackage keeps them whole)",
    "written": "Wrote {path}",
    "serve_no_secret": "No NTMGEO_SECRET_KEY set: sign-ins end when the server restarts",
    "serve_beyond": "Warning: serving beyond this machine without NTMGEO_SECRET_KEY; sign-ins "
                    "end at every restart",
    "serve_running": "ntmgeo: {path} → {url}  (Ctrl+C to stop)",
    "serving_sample": "Đam Rông sample: {path} (add a user: ntmgeo user add NAME --db {path})",
    'department_title': "Unmet indicators owned by '{d}' (as of {as_of}):",
    "department_none": "  (none)",
    "department_unowned": "Unmet indicators no plan assigns to anyone: {ids}",
    "recorded": "Recorded indicator {i} of {u}: {v} ({d}) — {m}",
    "none_there": "no such unit",
    "no_level": "no reported level: {ids}",
    "no_rollup": "No targets for unit {code} on {as_of}",
    "units_of_commune": "communes",
    "units_of_district": "districts",
    "units_of_village": "villages",
    "units_of_town": "towns",
    "units_of_province": "provinces",
    "partial_rollup": "  Note: the store holds only {counted} of {n} {level}; "
                      "shares are of those",
    "progress_greening": "Tree-lined district-road km, at the end of each month:",
    "progress_quarters": "Indicators · criteria met, at the end of each quarter:",
    "progress_overdue": "Works and indicators overdue on {d}:",
    "days": "days",
    "covered": "Within reach",
    "basis": "Basis",
    "password": "Password",
    "user_added": "Added user {name}",
    "reading": "Reading and checking {file}",
    "beside_no_road": "Note: {n} survey features ({km} km) run beside no stored road "
                      "(within {tol} m): {ids}. They are stored but count for no road until "
                      "one is drawn there; check the file's CRS or district.",
    "beside_roads_all": "Every survey feature runs beside a stored road.",
    "and_more": "and {n} more",
    "beside_no_road_unchecked": "The store holds no road: whether the surveys run beside "
                                "roads was not checked.",
    "aborted": "Aborted.",
    "identity": "identity: {ids}",
    "usage_type": "give --type TYPE (or --surface)",
    "usage_not_one_of": "'{value}' is not one of {allowed}",
    "usage_db_or_roads": "give either --db or --roads with --survey, not both",
    "usage_db_or_files": "give --db PATH, or --roads FILE and at least one --survey",
    "usage_not_a_date": "'{text}' is not a date (YYYY-MM-DD)",
    "usage_crs_not_for": "--crs does not apply to {fmt} (always WGS 84)",
    "usage_province": "give --province CODE (e.g. 68 for Lâm Đồng) or --sample NAME",
    "covered_people": " ({covered:,} / {population:,} people)",
    "n_criteria": "{n} criteria",
    "n_indicators": "{n} indicators",
    "works_title": "Works register on {as_of}: {n} works loaded, {amount} million VND",
    "works_none": "No works loaded.",
    "works_list": "Works ({n}):",
    "works_id": "Id",
    "works_name": "Name",
    "works_funding": "Funding source",
    "works_amount": "Amount (million VND)",
    "works_where": "Where",
    "works_deadline": "Deadline",
    "works_no_status": "Status not given",
    "works_status": "Work status",
    "works_by_source": "Totals by funding source:",
    "works_by_status": "Totals by status:",
    "works_count": "Works",
    "works_several": "Several sources",
    "works_no_source": "No source given",
    "works_total": "Total",
    "works_without_amount": "{n} works have no amount",
    "works_beside_plan": "Loaded works beside the plan's own totals ({plan}, unit {unit}):",
    "works_loaded_count": "Loaded",
    "works_loaded_amount": "Loaded (million VND)",
    "works_plan_count": "Plan",
    "works_plan_amount": "Plan (million VND)",
    "works_diff_count": "Difference",
    "works_diff_amount": "Difference (million VND)",
    "works_shared": "  {source}: {n} works shared with other sources ({amount} million VND) "
                    "are counted here, their amounts only under 'Several sources'",
    "works_overdue": "Works overdue on {d}:",
    "source_recorded": "recorded",
    "set_count": "{set}: {n} criteria met",
    "set_unmet": "unmet: {ids}",
    "criteria_mean": "Average criteria met: {mean} per unit ({n}/{total} units with a count)",
    "units_no_data": "{n} units without recorded criteria",
    "recorded_criterion": "Recorded criterion {i} ({s}) of {u}: {v} ({d}) — {m}",
    "recorded_table": "Recorded {n} criteria of {u} units from {file} ({d})",
    "criteria_counted": "{n}/{total} units with a count of criteria",
    "level_by_criteria": "* level reached by the criteria recorded met (all of the set's), "
                         "not by a recognition recorded in the status",
    "department_not_owner": "No plan that applies to the unit(s) assigns anything to '{d}'",
    "department_units_title": "Criteria owned by '{d}' and those unmet, per unit "
                              "(as of {as_of}):",
    "department_unit_line": "  {name} ({code}): owns {owned}; unmet: {unmet}",
    "department_partial": "(part: {ids})",
    "department_unowned_unit": "  {name} ({code}): unmet criteria not assigned: {ids}",
    "department_no_data": "{n} units have no criteria reported on this date: {names}",
    "progress_deadlines": "Recognition dossier deadlines:",
    "due_title": "Due from {start} to {end}:",
    "due_line": "{when} · {title} — {unit} ({left})",
    "due_line_on_request": "{title} — {unit} (on request)",
    "due_before": "before {date}",
    "due_today": "today",
    "due_days_left": "{n} days left",
    "due_days_late": "{n} days past",
    "due_who": "    Reports: {who}",
    "due_to": "    To: {to}",
    "due_about": "    For: {about}",
    "due_source": "    Source: {source}",
    "due_on_request": "On request:",
    "formed_from_title": "{name} ({code}) was formed on {date} from (their own records):",
    "predecessor_line": "{name} ({code}, valid {start} – {end}; {kind}): {level}{met}, "
                        "as of {as_of} · {source}",
    "predecessor_no_record": "{name} ({code}, valid {start} – {end}; {kind}): no status "
                             "record",
    "predecessor_not_held": "not in the store",
    "kind_merge": "merged",
    "kind_split": "split",
    "kind_share": "part of its area",
    "kind_share_of": "{kind}, {pct} of its area",
    "commune_group": "Commune group",
    "level_van_minh": "Civilised town",
    "province_communes": "{n} commune-level units valid on this date (communes, "
                         "wards, special zones)",
    "province_by_level": "Communes by NTM level",
    "province_by_group": "Communes by commune group",
    "province_criteria": "Communes meeting each criterion",
    "province_n_communes": "Number of communes",
    "province_no_group": "No group recorded",
    "province_known": "With a verdict",
    "province_all": "All communes",
    "province_history": "Before 1/7/2025: the districts that lay in the province, "
                        "with their status on their last day",
    "province_no_history": "The store holds no district that lay in the province before "
                           "1/7/2025",
    "province_district": "District",
    "province_last_day": "Last day",
    "province_indicators_met": "Indicators met",
    "province_recognition": "Recognition conditions",
}

_MAX_IDS = 10  # ids listed in one message; the rest are counted


def number(value: float, digits: int = 2, lang: str | None = None) -> str:
    """``value`` with ``digits`` decimals, the Vietnamese way by default ("1.234,50")."""
    text = f"{value:,.{digits}f}"
    if (lang or settings.lang) == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def beside_no_road_text(result: object, lang: str | None = None) -> str:
    """One sentence on the surveys of an import that run beside no stored road
    (an :class:`ntmgeo.ingest.ImportResult`).
    """
    from .indicators.roads import DEFAULT_TOLERANCE_M

    lost = getattr(result, "beside_no_road", None)
    if not getattr(result, "roads_checked", False) or lost is None:
        return t("beside_no_road_unchecked", lang)
    if not lost["count"]:
        return t("beside_roads_all", lang)
    ids = list(lost["ids"])
    shown = ", ".join(ids[:_MAX_IDS])
    if len(ids) > _MAX_IDS:
        shown += " " + t("and_more", lang, n=len(ids) - _MAX_IDS)
    return t("beside_no_road", lang, n=lost["count"], km=number(lost["length_km"], 2, lang),
             tol=number(DEFAULT_TOLERANCE_M, 0, lang), ids=shown)


def t(key: str, lang: str | None = None, **kwargs: object) -> str:
    """The CLI's word ``key`` in ``lang`` (default ``settings.lang``), formatted with kwargs:
    its English text (:data:`_MSGIDS`) looked up in the catalogue ``cli``.
    """
    text = gettext(_MSGIDS[key], lang)
    return text.format(**kwargs) if kwargs else text


def gettext(msgid: str, lang: str | None = None, domain: str = "cli") -> str:
    """``msgid`` in ``lang`` (default ``settings.lang``) from the catalogue ``domain`` (``cli``:
    the command line's words and ``--help`` texts; ``ntmgeo``: the error messages;
    ``documents``: the documents' notes, :func:`both`); the
    msgid itself (English) where the catalogue lacks it.
    """
    return _catalogue(lang or settings.lang, domain).get(msgid, msgid)


def both(msgid: str, domain: str = "documents", **params: object) -> dict[str, str]:
    """``{"vi": …, "en": …}``: ``msgid`` (an English template with named fields) rendered in
    both languages from the catalogue ``domain`` (``documents``: the texts of the status
    document, ntmgeo/locale/<lang>/LC_MESSAGES/documents.po).

    A parameter that is a float is written with 2 decimals the way of each language
    (:func:`number`); one that is a ``{"vi": …, "en": …}`` dict (a text already rendered in
    both, or a number written with other decimals) gives each language its own; anything
    else is written with ``str``.
    """

    def value(param: object, lang: str) -> object:
        if isinstance(param, dict):
            return param[lang]
        if isinstance(param, float):
            return number(param, 2, lang)
        return param

    return {lang: gettext(msgid, lang, domain).format(
        **{k: value(v, lang) for k, v in params.items()}) for lang in ("vi", "en")}


class _Words(Mapping[str, dict[str, str]]):
    """``{key: {"vi": …, "en": …}}`` of the CLI's words, read from the catalogue (for the web
    app, which shares some of them).
    """

    def __getitem__(self, key: str) -> dict[str, str]:
        return {lang: gettext(_MSGIDS[key], lang) for lang in ("vi", "en")}

    def __iter__(self) -> Iterator[str]:
        return iter(_MSGIDS)

    def __len__(self) -> int:
        return len(_MSGIDS)


_MESSAGES: Mapping[str, dict[str, str]] = _Words()


# ----------------------------------------------------------------------- error messages
# An error carries a message id (its English template) and parameters
# (:class:`ntmgeo._errors.Message`); the words in each language are in the gettext catalogue
# ntmgeo/locale/<lang>/LC_MESSAGES/ntmgeo.po, read once with Babel. A message the catalogue
# lacks is given in English (tests/test_messages.py sees that none does).
@cache
def _catalogue(lang: str, domain: str = "ntmgeo") -> dict[str, str]:
    """``{msgid: msgstr}`` of the catalogue ``domain`` in ``lang`` (empty for a language
    without one).
    """
    from babel.messages.pofile import read_po

    po = files("ntmgeo").joinpath("locale", lang, "LC_MESSAGES", f"{domain}.po")
    if not po.is_file():
        return {}
    with po.open("rb") as fh:
        catalogue = read_po(fh, locale=lang, domain=domain)
    return {m.id: m.string for m in catalogue
            if isinstance(m.id, str) and m.id and isinstance(m.string, str) and m.string
            and not m.fuzzy}


def render(message: Message | str, lang: str | None = None) -> str:
    """A message (or a bare message id) in ``lang`` (default ``settings.lang``), formatted with
    its parameters.
    """
    if isinstance(message, str):
        message = Message(message)
    table = _catalogue(lang or settings.lang)
    return message.render(lambda msgid: table.get(msgid, msgid))


def describe_error(exc: Exception, lang: str | None = None) -> str:
    """One line for an ntmgeo error: where (file, feature, field) and why, in ``lang``.

    The line names no command-line flag or form field: a shell adds its own words for the
    error's ``hint`` (the CLI: ``--crs EPSG:XXXX``; the web upload: its CRS field).
    """
    lang = lang or settings.lang
    message = getattr(exc, "message", None)
    if not isinstance(message, Message):
        return str(exc)
    why = render(message, lang)
    if not isinstance(exc, InputError):
        return why
    where = [str(exc.path)] if exc.path is not None else []
    if exc.feature is not None:
        where.append(render(Message("feature {n}", n=exc.feature), lang))
    if exc.field is not None:
        where.append(render(Message("field '{name}'", name=exc.field), lang))
    return ": ".join([*where, why])
