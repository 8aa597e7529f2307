"""The SQLite output's page size: SQLite's 4 KiB for a small run, whose file is mostly the
first pages of its tables and indexes; 16 KiB from ``LARGE_RUN`` persons, whose copy and
indexes then cost less CPU. Either way the same tables, rows and indexes."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from leo_synth.spec.model import Catalog
from leo_synth.writers.base import Manifest
from leo_synth.writers.sqlite import LARGE_PAGE, LARGE_RUN, SqliteWriter


@pytest.mark.parametrize(("persons", "page"), [(100, 4096), (LARGE_RUN - 1, 4096),
                                               (LARGE_RUN, LARGE_PAGE)])
def test_page_size_follows_the_run_size(tmp_path: Path, catalog: Catalog, persons: int,
                                        page: int) -> None:
    relations = catalog.relations(2)[:3]
    path = tmp_path / "leo.sqlite"
    writer = SqliteWriter(str(path), "fail")
    writer.check(relations)
    writer.open(relations, Manifest(settings={"persons": persons}))
    writer.commit()
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA page_size").fetchone() == (page,)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        tables = {name for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables >= {rel.name for rel in relations}
