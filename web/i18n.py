"""Words of the web pages: gettext through Flask-Babel, catalogue domain ``web``.

The msgid of a word is its English text, with named fields ``%(name)s`` (a literal ``%`` is
``%%``); the Vietnamese is in ``translations/vi/LC_MESSAGES/web.po``. English needs no
catalogue: a msgid is its own English. The ``.po`` files are compiled to ``.mo`` when the app
starts (:func:`compile_catalogues`), into a cache folder named after their digest. Templates say
``{{ _('Sign in') }}``; Python says ``gettext("Stored %(n)s survey features from %(file)s.",
n=…, file=…)``. The words the command line shares with the pages (:data:`SHARED`) come from
:mod:`ntmgeo.i18n`, one place for each word. Labels of layers and fields come from the layer
schemas.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path
from typing import Any

import flask_babel
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from ntmgeo import i18n as core_i18n
from ntmgeo._files import atomic_path

LANGS = ("vi", "en")
COOKIE = "ntmgeo_lang"
DOMAIN = "web"
# The link to the other language names it in its own language (not a translation).
LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}

_HERE = Path(__file__).resolve().parent
TRANSLATIONS = _HERE / "translations"


def N_(msgid: str) -> str:  # noqa: N802 - gettext's name for "mark for translation"
    """Mark ``msgid`` for the catalogue without translating it (translated when used)."""
    return msgid


def gettext(msgid: str, **params: Any) -> str:
    """``msgid`` in the request's language, its ``%(name)s`` fields filled from ``params``
    (always %-formatted, as the templates' ``_()`` is: ``%%`` is a literal ``%``).
    """
    return str(flask_babel.gettext(msgid)) % params


# Words the map's script needs, by the key it knows them by (sent to the page as JSON, with
# the fields written ``{name}`` for map/format.js).
JS_WORDS: dict[str, str] = {
    "app_title": N_("New Rural Development map"),
    "signed_in_as": N_("Signed in: %(name)s"),
    "layer_district": N_("District boundary"),
    "layer_communes": N_("Communes by NTM status"),
    "layer_roads": N_("District roads: tree-lined share"),
    "layer_stretches": N_("Tree-lined stretches"),
    "layer_gaps": N_("Gaps (no trees)"),
    "layer_sites": N_("Project sites"),
    "layer_works": N_("Works and budget register"),
    "basemap": N_("Basemap"),
    "legend": N_("Legend"),
    "cls_kieu_mau": N_("Model NTM"),
    "cls_all_met": N_("All 19 criteria met (NTM)"),
    "cls_16_19": N_("16–18 criteria met"),
    "cls_12_15": N_("12–15 criteria met"),
    "cls_lt_12": N_("Fewer than 12 criteria met"),
    "cls_unknown": N_("No data"),
    "road_met": N_("Road ≥ %(pct)s%% tree-lined"),
    "road_unmet": N_("Road below %(pct)s%% tree-lined"),
    "road_unknown": N_("Road not computed"),
    "stretch": N_("Tree-lined stretch"),
    "gap": N_("Gap"),
    "site_planned": N_("Planned"),
    "site_under_construction": N_("Under construction"),
    "site_completed": N_("Completed"),
    "site_overdue": N_("Overdue"),
    "panel_title": N_("District NTM criteria"),
    "panel_toggle": N_("Criteria"),
    "panel_close": N_("Collapse"),
    "apply": N_("Show"),
    "latest": N_("Latest"),
    "unmet_only": N_("Unmet only"),
    "loading": N_("Loading…"),
    "load_error": N_("Could not load data"),
    "deadline": N_("Deadline"),
    "summary": N_("From the indicators: %(im)s/%(it)s indicators, %(cm)s/%(ct)s criteria met"),
    "reported_summary": N_("The document reports: %(im)s/%(it)s indicators, "
                           "%(cm)s/%(ct)s criteria"),
    "disagreements": N_("Reported vs computed disagreements"),
    "dis_indicator": N_("%(id)s: reported “%(rep)s”, computed “%(comp)s”"),
    "dis_summary": N_("%(what)s: the document says %(rep)s, the indicators give %(comp)s"),
    "dis_indicator_list": N_("%(id)s: summary “%(rep)s”, table “%(comp)s”"),
    "dis_criterion_list": N_("Criterion %(id)s: summary “%(rep)s”, indicators “%(comp)s”"),
    "w_not_listed": N_("not listed"),
    "w_not_unmet": N_("not unmet"),
    "indicators_met": N_("indicators met"),
    "criteria_met_w": N_("criteria met"),
    "level_by_criteria": N_("* level reached by the criteria recorded met (all of the set's), "
                            "not by a recognition recorded in the status"),
    "indicators_total": N_("indicators in all"),
    "criteria_total": N_("criteria in all"),
    "locate": N_("Show on the map"),
    "no_location": N_("Indicator %(id)s has no location on the map."),
    "located": N_("Indicator %(id)s: %(n)s place(s) on the map."),
    "greening_now": N_("Now, from the surveys: %(pct)s (%(g)s/%(l)s km)"),
    "unmatched": N_("%(n)s survey features run beside no district road"),
    "reported_was": N_("Reported"),
    "greening_date": N_("surveys up to %(d)s"),
    "greening_all": N_("all stored surveys"),
    "no_district": N_("No district valid on this date"),
    "ntm_level": N_("NTM level"),
    "criteria_met": N_("Criteria met"),
    "no_unmet": N_("No unmet criterion"),
    "no_criteria_detail": N_("No per-criterion data"),
    "other_set": N_("Other criteria set"),
    "formed_from": N_("Formed on %(date)s from (their own records)"),
    "pred_no_record": N_("no status record"),
    "pred_not_held": N_("not in the store"),
    "target": N_("Target"),
    "note": N_("Note"),
    "road": N_("Road"),
    "length": N_("Length"),
    "greened": N_("Tree-lined"),
    "ratio": N_("Share"),
    "stretches": N_("Tree-lined stretches (chainage)"),
    "gaps": N_("Gaps"),
    "none": N_("None"),
    "site": N_("Site"),
    "site_type": N_("Type"),
    "status": N_("Status"),
    "grade": N_("Grade"),
    "funding": N_("Funding"),
    "amount": N_("Amount (million VND)"),
    "work_other": N_("Suspended, cancelled or no status"),
    "from_to": N_("From – to"),
    "back_to_map": N_("Back to the map"),
    "username": N_("User name"),
    "logged_out": N_("Signed out."),
}

# Words shared with the command line, from ntmgeo.i18n (one place for each word).
SHARED = ("table_summary", "as_of", "indicator", "threshold", "value", "source", "met",
          "unmet", "unknown", "not_in_catalogue", "computed", "reported", "commune", "code",
          "unmet_criteria", "password")

_FIELD = re.compile(r"%\((\w+)\)s")


def to_braces(text: str) -> str:
    """A translated gettext template with the fields as the map's script writes them:
    ``%(n)s`` → ``{n}``, ``%%`` → ``%``.
    """
    return _FIELD.sub(r"{\1}", text).replace("%%", "%")


def shared(key: str, lang: str) -> str:
    """A word of :data:`SHARED` in ``lang`` (from :mod:`ntmgeo.i18n`)."""
    return core_i18n.t(key, lang)


def js_messages(lang: str) -> dict[str, str]:
    """The words of the map's script in ``lang`` (the request's language, for the catalogue)."""
    words = {key: to_braces(str(flask_babel.gettext(msgid))) for key, msgid in JS_WORDS.items()}
    words.update({key: shared(key, lang) for key in SHARED if key not in words})
    return words


# ------------------------------------------------------------------------- catalogues
def catalogue_files() -> list[Path]:
    """The ``.po`` files of the domain, one per language that has one."""
    return sorted(TRANSLATIONS.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def compile_catalogues(cache_dir: Path) -> Path:
    """A folder of ``<lang>/LC_MESSAGES/web.mo`` compiled from the ``.po`` files, for
    Flask-Babel's ``BABEL_TRANSLATION_DIRECTORIES``.

    The folder is named after a digest of the ``.po`` files, so a changed catalogue gets a
    fresh one; it is built once (each file written to a temporary name, then moved into
    place) under ``cache_dir``. Without a writable ``cache_dir``, a temporary one is used.
    """
    sources = catalogue_files()
    digest = hashlib.sha256()
    for po in sources:
        digest.update(po.relative_to(TRANSLATIONS).as_posix().encode() + b"\0")
        digest.update(po.read_bytes())
    name = f"web-translations-{digest.hexdigest()[:12]}"
    try:
        return _compile_into(cache_dir / name, sources)
    except OSError:
        return _compile_into(Path(tempfile.gettempdir()) / f"ntmgeo-{name}", sources)


def _compile_into(target: Path, sources: list[Path]) -> Path:
    for po in sources:
        mo = target / po.relative_to(TRANSLATIONS).with_suffix(".mo")
        if mo.is_file():
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as fh:
            catalogue = read_po(fh, locale=po.parent.parent.name, domain=DOMAIN)
        with atomic_path(mo) as tmp, tmp.open("wb") as out:
            write_mo(out, catalogue)
    return target

