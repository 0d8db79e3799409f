"""Commands over the catalogues shipped with ntmgeo: ``layers`` (the layer schemas) and
``criteria`` (the criteria sets).
"""

from __future__ import annotations

import click

from .. import criteria, layers
from ..i18n import t
from . import render
from ._group import cli
from .options import json_option


# ----------------------------------------------------------------------------------- layers
@cli.group("layers")
def layers_group() -> None:
    """The declarative layer schemas (layers/*.yml)."""


@layers_group.command("list")
def layers_list() -> None:
    """List the layers."""
    render.print_layers(layers.all_schemas())


@layers_group.command("show")
@click.argument("name")
@json_option()
def layers_show(name: str, as_json: bool) -> None:
    """Show a layer's fields."""
    schema = layers.load_schema(name)
    if as_json:
        render.echo_json({"name": schema.name, "title": schema.title,
                          "geometry_types": schema.geometry_types, "identity": schema.identity,
                          "fields": [{"name": f.name, "shp_name": f.shp_name, "type": f.type,
                                      "required": f.required, "label": f.label, "unit": f.unit,
                                      "allowed": f.allowed} for f in schema.fields]})
        return
    render.print_layer(schema)


@layers_group.command("validate")
def layers_validate() -> None:
    """Check every layer schema against layers/_schema.yml."""
    render.say(t("layers_valid", names=", ".join(layers.validate_all())))


# ----------------------------------------------------------------------------------- criteria
@cli.group("criteria")
def criteria_group() -> None:
    """The criteria catalogue (data/criteria/*.yml)."""


@criteria_group.command("list")
def criteria_list() -> None:
    """List the criteria sets."""
    render.print_criteria_sets(criteria.all_sets().values())


@criteria_group.command("show")
@click.argument("set_id")
def criteria_show(set_id: str) -> None:
    """Show a criteria set with its indicators and thresholds."""
    render.print_criteria_set(criteria.load_set(set_id))
