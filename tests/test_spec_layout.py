"""The spec layout (schemas/README.md): one table per file, VRF facts merged at load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from leo_synth.spec.loader import load_catalog, spec_files
from leo_synth.spec.vrf_facts import VrfFacts, repeated_keys

SCHEMAS = ROOT / "schemas"


def test_every_spec_file_holds_at_most_one_table() -> None:
    for path in spec_files(SCHEMAS):
        tables = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("tables") or []
        assert len(tables) <= 1, path
        if tables and path.parent != SCHEMAS:
            assert path.stem == tables[0]["name"], path  # <family>/<table>.yaml


def test_spec_files_state_only_what_departs_from_the_vrf() -> None:
    """A column key equal to what the VRF gives would be a copy, not a decision."""
    vrf = VrfFacts(SCHEMAS / "vrf")
    for path in spec_files(SCHEMAS):
        for table in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("tables") or []:
            rows = vrf.rows(table)
            for column in table["columns"]:
                row = rows.get(str(column["name"]).lower())
                if row is not None:
                    repeated = repeated_keys(column, vrf.defaults(row, table))
                    assert not repeated, (path, column["name"], repeated)


@pytest.fixture()
def ks1_copy(tmp_path: Path) -> Path:
    schemas = tmp_path / "schemas"
    shutil.copytree(SCHEMAS, schemas)
    return schemas


def _column(schemas: Path, table: str, column: str):
    catalog = load_catalog(schemas)
    return next(c for c in catalog.table(table).columns if c.name == column)


def test_a_stated_key_wins_over_the_vrf_and_null_removes_it(ks1_copy: Path) -> None:
    before = _column(ks1_copy, "ks1", "KS1_GENDER")
    assert before.codes and before.description  # both from the VRF: the file states neither
    path = ks1_copy / "npd" / "ks1.yaml"
    text = path.read_text(encoding="utf-8")
    assert "- name: KS1_GENDER\n    type: varchar(1)\n" in text
    path.write_text(text.replace(
        "- name: KS1_GENDER\n    type: varchar(1)\n",
        "- name: KS1_GENDER\n    type: varchar(1)\n    description: Sex.\n    codes: null\n"),
        encoding="utf-8")
    after = _column(ks1_copy, "ks1", "KS1_GENDER")
    assert after.description == "Sex." and after.codes == ()
