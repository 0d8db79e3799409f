"""The ``ntmgeo`` command group, which every command module adds its commands to."""

from __future__ import annotations

import click

from .. import __version__, settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ntmgeo")
@click.option("--lang", type=click.Choice(["vi", "en"]), envvar="NTMGEO_LANG", default="vi",
              show_default=True, help="Language of messages and tables.")
def cli(lang: str) -> None:
    """ntmgeo: bản đồ và chỉ tiêu nông thôn mới (GIS for the New Rural Development programme)."""
    settings.lang = lang
