"""leo_synth.run_sql: a T-SQL script's result as pandas DataFrames, as `leo-synth sql` gives it."""

from __future__ import annotations

import datetime as dt
import decimal
import sqlite3

import pandas as pd
import pytest
from conftest import ROOT

import leo_synth
from leo_synth.tsql.command import run_text

EXAMPLE = ROOT / "examples" / "srs" / "05_yag_graduate_earnings.sql"


@pytest.mark.parametrize("fixture", ["small_sqlite", "small_parquet"])
def test_a_script_file_gives_the_command_s_answer_as_a_dataframe(
        fixture: str, request: pytest.FixtureRequest) -> None:
    found = request.getfixturevalue(fixture)
    db = str(found[0] if isinstance(found, tuple) else found)
    [expected] = run_text(db, EXAMPLE.read_text(), "tsql", None, False)
    for script in (EXAMPLE, str(EXAMPLE)):  # (a path object, or text naming a .sql file)
        frame = leo_synth.run_sql(script, db)
        assert isinstance(frame, pd.DataFrame)
        assert list(frame.columns) == expected.columns
        assert [tuple(row) for row in frame.itertuples(index=False)] == expected.rows
        assert frame.attrs["line"] == expected.line


def test_every_result_set_with_its_types_headings_and_messages(small_sqlite) -> None:
    db = small_sqlite[0]
    before = sqlite3.connect(db).execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    said: list[str] = []
    frames = leo_synth.run_sql("""PRINT 'starting'
CREATE TABLE #t (a INT, d DECIMAL(4, 2), t DATETIME)
INSERT INTO #t VALUES (1, 2.5, '20150102'), (2, NULL, NULL)
SELECT a, d, t, COUNT(*) OVER () FROM #t ORDER BY a
SELECT 3 AS n, 4 AS n""", db, all_results=True, messages=said.append)
    assert said == ["starting"]
    first, second = frames
    assert list(first.columns) == ["a", "d", "t", "(No column name)"]
    assert first["a"].tolist() == [1, 2]
    assert first["d"].tolist()[0] == decimal.Decimal("2.50") and first["d"].isna().tolist()[1]
    assert first["t"].tolist()[0] == dt.datetime(2015, 1, 2) and pd.isna(first["t"].tolist()[1])
    assert first.attrs["line"] == 4
    assert list(second.columns) == ["n", "n_2"] and second.attrs["line"] == 5
    # the extract is not changed; a script without a result set gives None
    assert leo_synth.run_sql("SELECT 1 AS x INTO #x", db) is None
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM sqlite_master").fetchone() == before


def test_a_script_that_stops_or_cannot_be_read_raises_one_line(small_sqlite, tmp_path) -> None:
    db = small_sqlite[0]
    with pytest.raises(leo_synth.LeoSynthError, match=r"^line 2: Invalid column name 'nosuch'"):
        leo_synth.run_sql("SELECT 1\nSELECT nosuch FROM [LEO_i2].[2002237].[leo_benefit]", db)
    with pytest.raises(leo_synth.LeoSynthError, match=r"cannot read the script .*missing\.sql: "
                                                      r"no such file"):
        leo_synth.run_sql(str(tmp_path / "missing.sql"), db)
    with pytest.raises(leo_synth.LeoSynthError, match="does not exist"):
        leo_synth.run_sql("SELECT 1", tmp_path / "nowhere.sqlite")
