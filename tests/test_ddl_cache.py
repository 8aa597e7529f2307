"""DDL compiled once and cached on disk: read back when nothing it depends on changed,
compiled again when anything did (the spec, the naming, the module that lays it out)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from conftest import one_per_builder

from leo_synth.spec.physical import create_table_statements
from leo_synth.srs_address import SrsNaming
from leo_synth.writers import schema_scripts
from leo_synth.writers.schema_scripts import DIALECTS, schema_script


def test_schema_scripts_are_compiled_once_and_follow_what_they_depend_on(
        catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    relations = one_per_builder(catalog.relations())
    naming = SrsNaming(2, "2002237")
    monkeypatch.setenv("LEO_SYNTH_CACHE", "off")
    fresh = {dialect: schema_script(dialect, relations, naming) for dialect in DIALECTS}
    monkeypatch.setenv("LEO_SYNTH_CACHE", str(tmp_path))
    assert {d: schema_script(d, relations, naming) for d in DIALECTS} == fresh  # compiled
    assert len(list(tmp_path.glob("ddl-*.pickle"))) == len(DIALECTS)

    def not_compiled(*args: object) -> str:
        raise AssertionError("compiled again")

    monkeypatch.setattr(schema_scripts, "_schema_script", not_compiled)
    assert {d: schema_script(d, relations, naming) for d in DIALECTS} == fresh  # read back
    with pytest.raises(AssertionError, match="compiled again"):  # another project's names
        schema_script("mssql", relations, SrsNaming(2, "2001234"))
    with pytest.raises(AssertionError, match="compiled again"):
        schema_script("sqlite", relations[:-1], naming)  # (other relations)


MAKER = """
from leo_synth.spec.physical import sqlalchemy_table


def make(relation, metadata):
    return sqlalchemy_table(relation, metadata, schema=None){extra}
"""


def test_table_statements_are_compiled_again_when_the_module_making_the_tables_changes(
        catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEO_SYNTH_CACHE", str(tmp_path / "cache"))
    relations = one_per_builder(catalog.relations())[:3]
    source = tmp_path / "leo_synth_test_maker.py"

    def statements(extra: str) -> list[str]:
        source.write_text(MAKER.format(extra=extra), encoding="utf-8")
        spec = importlib.util.spec_from_file_location(source.stem, source)
        module = importlib.util.module_from_spec(spec)
        monkeypatch.setitem(sys.modules, source.stem, module)
        spec.loader.exec_module(module)
        return create_table_statements(relations, "sqlite", module.make)

    first = statements("")
    assert statements("") == first
    assert len(list((tmp_path / "cache").glob("ddl-*.pickle"))) == 1  # read back
    assert statements("  # edited") == first  # same DDL, but from a new compile:
    assert len(list((tmp_path / "cache").glob("ddl-*.pickle"))) == 2
