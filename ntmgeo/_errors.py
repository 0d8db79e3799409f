"""The small exception hierarchy of ntmgeo.

Every error a user can cause is an :class:`NtmgeoError` whose message is one line that names
what is wrong and where; the CLI prints it without a stack trace.

An error carries a :class:`Message`: a message id, the English template (``"file is {size} MiB,
larger than the limit of {limit} MiB"``), and its parameters. ``str(exc)`` is the English line;
:func:`ntmgeo.i18n.describe_error` renders it in a language through the gettext catalogue
(``ntmgeo/locale/<lang>/LC_MESSAGES/ntmgeo.po``). No message names a command-line flag: where
the remedy is a flag or a form field, the error carries a ``hint`` key (``"crs"``, ``"layer"``,
…) and the shell (the CLI, the web upload) adds its own words for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Message:
    """A message id (its English template, ``str.format`` fields) and the parameters.

    A parameter may itself be a :class:`Message` (a reason inside a reason): it is rendered in
    the same language.
    """

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, /, **params: Any) -> None:
        self.msgid = msgid
        self.params: Mapping[str, Any] = params

    def render(self, translate: Any = None) -> str:
        """The message through ``translate`` (msgid → template; default: the English one)."""
        template = translate(self.msgid) if translate is not None else self.msgid
        if not self.params:
            return template
        values = {k: v.render(translate) if isinstance(v, Message) else v
                  for k, v in self.params.items()}
        return template.format(**values)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, **{dict(self.params)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.msgid, dict(self.params)) == \
            (other.msgid, dict(other.params))

    def __hash__(self) -> int:
        return hash(self.msgid)


def N_(msgid: str) -> str:
    """Mark a message id kept aside in a table (gettext's name for it), so that the catalogue
    check (tests/test_messages.py) finds it; returns it as is.
    """
    return msgid


def _message(message: str | Message, params: dict[str, Any]) -> Message:
    if isinstance(message, Message):
        if params:
            return Message(message.msgid, **{**message.params, **params})
        return message
    return Message(message, **params)


class NtmgeoError(Exception):
    """Base of every error ntmgeo raises on purpose: a :class:`Message`, and a ``hint`` key
    where the remedy is the shell's (a flag, a form field).
    """

    exit_code = 1

    def __init__(self, message: str | Message, /, *, hint: str | None = None,
                 **params: Any) -> None:
        self.message = _message(message, params)
        self.hint = hint
        super().__init__(str(self.message))


class LayerSchemaError(NtmgeoError, ValueError):
    """A layer schema (``layers/*.yml``) is malformed or names an unknown layer."""

    exit_code = 3


class InputError(NtmgeoError, ValueError):
    """An input file or value cannot be used: names the file, the feature and the field."""

    exit_code = 3

    def __init__(
        self,
        message: str | Message,
        /,
        *,
        path: str | None = None,
        feature: str | int | None = None,
        field: str | None = None,
        hint: str | None = None,
        **params: Any,
    ) -> None:
        self.path = path
        self.feature = feature
        self.field = field
        super().__init__(message, hint=hint, **params)
        self.reason = str(self.message)  # the English reason, without the where
        where = []
        if path is not None:
            where.append(str(path))
        if feature is not None:
            where.append(f"feature {feature}")
        if field is not None:
            where.append(f"field '{field}'")
        self.args = (": ".join([*where, self.reason]),)


class GeometryError(InputError):
    """A geometry is missing, empty, invalid or of a type the layer does not take."""


class CRSError(InputError):
    """Input has no CRS, or its coordinates do not fit the CRS it declares."""


class DuplicateIdentityError(InputError):
    """Two features, or a feature and a stored one, share the layer's identity."""


class StoreError(NtmgeoError, RuntimeError):
    """The store cannot be opened, created or written."""

    exit_code = 4


class ExportError(NtmgeoError, RuntimeError):
    """An export could not be written, or what was written did not read back identically."""

    exit_code = 4


class CriterionDataMissing(NtmgeoError, LookupError):
    """A criteria set, an indicator or a unit the computation needs is not in the data."""

    exit_code = 5
