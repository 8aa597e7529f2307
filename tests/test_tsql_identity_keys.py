"""`leo-synth sql`: a #temp table keyed by one column and numbered by another ``IDENTITY``
column, on every backend, as SQL Server makes it."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows


@pytest.mark.parametrize("key", ["pmr VARCHAR(18) PRIMARY KEY, n INT IDENTITY(1, 1)",
                                 "pmr VARCHAR(18) NOT NULL, n INT IDENTITY(1, 1), "
                                 "CONSTRAINT pk_c PRIMARY KEY (pmr)"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_an_identity_beside_another_key_is_numbered(key: str, backend: str,
                                                    request: pytest.FixtureRequest) -> None:
    # (SQLite made the identity column its INTEGER PRIMARY KEY as well: "table "#c" has more
    # than one primary key")
    db = _db(request, backend)
    assert _rows(db, f"""CREATE TABLE #c ({key});
INSERT INTO #c (pmr) VALUES ('b'), ('a');
INSERT INTO #c (pmr) SELECT 'c';
TRUNCATE TABLE #c;
INSERT INTO #c (pmr) VALUES ('d');
SELECT pmr, n FROM #c ORDER BY n""") == [("d", 1)]
    with pytest.raises(Exception, match="Cannot insert duplicate key"):  # (the key holds)
        _rows(db, f"CREATE TABLE #c ({key}); INSERT INTO #c (pmr) VALUES ('a'), ('a')")
