"""`leo-synth sql`: ``@@CURSOR_ROWS`` is the number of rows of the cursor opened last when it
is declared ``STATIC``, ``INSENSITIVE`` (also in the ISO form ``DECLARE c INSENSITIVE CURSOR
FOR``) or ``KEYSET``, -1 for a ``FAST_FORWARD`` or ``DYNAMIC`` one, 0 before any is opened and
once the last opened is closed, as SQL Server gives it (every target stopped at the name)."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows


@pytest.mark.parametrize("backend", BACKENDS)
def test_cursor_rows_after_open_and_close(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #years (yr INT)
INSERT INTO #years VALUES (2016), (2017), (2018), (2019)
CREATE TABLE #log (step VARCHAR(20), n INT)
INSERT INTO #log VALUES ('before', @@CURSOR_ROWS)
DECLARE c CURSOR LOCAL STATIC FOR SELECT yr FROM #years WHERE yr >= 2017 ORDER BY yr
DECLARE d CURSOR LOCAL FAST_FORWARD FOR SELECT yr FROM #years
DECLARE e INSENSITIVE CURSOR FOR SELECT yr FROM #years
DECLARE k CURSOR KEYSET FOR SELECT yr FROM #years WHERE yr = 2016
OPEN c
INSERT INTO #log VALUES ('static', @@CURSOR_ROWS)
OPEN d
INSERT INTO #log VALUES ('fast_forward', @@CURSOR_ROWS)
CLOSE d
INSERT INTO #log VALUES ('closed', @@CURSOR_ROWS)
OPEN e
DECLARE @n INT
SET @n = @@CURSOR_ROWS
INSERT INTO #log VALUES ('insensitive', @n)
OPEN k
INSERT INTO #log SELECT 'keyset', @@CURSOR_ROWS
CLOSE c
INSERT INTO #log VALUES ('other closed', @@CURSOR_ROWS)
CLOSE k DEALLOCATE k CLOSE e DEALLOCATE e DEALLOCATE c DEALLOCATE d
INSERT INTO #log VALUES ('deallocated', @@CURSOR_ROWS)
SELECT step, n FROM #log""") == [("before", 0), ("static", 3), ("fast_forward", -1),
                                 ("closed", 0), ("insensitive", 4), ("keyset", 1),
                                 ("other closed", 1), ("deallocated", 0)]
