"""The library's ``>>>`` examples are tests: every module of ``ntmgeo/`` (subpackages included,
walked as ``tests/test_imports.py`` walks them) has the examples in its docstrings run with
:mod:`doctest`. ``web/`` is not walked: the library never imports it.
"""

from __future__ import annotations

import doctest
import importlib
import io
import pkgutil

import pytest

import ntmgeo


def _modules() -> list[str]:
    names = ["ntmgeo"]
    names += [info.name for info in pkgutil.walk_packages(ntmgeo.__path__, "ntmgeo.")]
    return sorted(names)


MODULES = _modules()

# Modules known to hold examples: if the walk found none of them, this test would prove nothing.
WITH_EXAMPLES = ("ntmgeo.codes", "ntmgeo.linref", "ntmgeo.encodings", "ntmgeo.coverage",
                 "ntmgeo.indicators.roads", "ntmgeo.indicators.sites")


def _examples(name: str) -> list[doctest.DocTest]:
    module = importlib.import_module(name)
    return [t for t in doctest.DocTestFinder().find(module, name) if t.examples]


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_of_a_module_hold(name):
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    out = io.StringIO()
    for test in _examples(name):
        runner.run(test, out=out.write)
    assert runner.failures == 0, out.getvalue()


def test_the_walk_finds_the_examples():
    assert set(WITH_EXAMPLES) <= set(MODULES)
    for name in WITH_EXAMPLES:
        assert _examples(name), f"{name}: no >>> examples found"
