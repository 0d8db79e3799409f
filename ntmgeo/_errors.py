"""The small exception hierarchy of ntmgeo.

Every error a user can cause is an :class:`NtmgeoError` whose message is one line that names
what is wrong and where; the CLI prints it without a stack trace.
"""

from __future__ import annotations


class NtmgeoError(Exception):
    """Base of every error ntmgeo raises on purpose."""

    exit_code = 1


class LayerSchemaError(NtmgeoError, ValueError):
    """A layer schema (``layers/*.yml``) is malformed or names an unknown layer."""

    exit_code = 3


class InputError(NtmgeoError, ValueError):
    """An input file or value cannot be used: names the file, the feature and the field."""

    exit_code = 3

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        feature: str | int | None = None,
        field: str | None = None,
    ) -> None:
        self.path = path
        self.feature = feature
        self.field = field
        self.reason = message
        where = []
        if path is not None:
            where.append(str(path))
        if feature is not None:
            where.append(f"feature {feature}")
        if field is not None:
            where.append(f"field '{field}'")
        super().__init__(": ".join([*where, message]))


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
