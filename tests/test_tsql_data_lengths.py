"""`leo-synth sql`: ``DATALENGTH`` counts the bytes SQL Server stores, on every backend:
two a character of Unicode text, a date's and a date and time's own sizes."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows


@pytest.mark.parametrize("backend", BACKENDS)
def test_datalength_counts_the_stored_bytes(backend: str,
                                            request: pytest.FixtureRequest) -> None:
    # (the targets counted the bytes of the text: 3 for N'abc', 10 for a date, 23 or 29 for a
    # date and time)
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #t (id INT, n NVARCHAR(10), v VARCHAR(10), d DATE,
    t DATETIME, s SMALLDATETIME, t2 DATETIME2);
INSERT INTO #t VALUES (1, N'abc', 'abc', '2020-01-01', '2020-01-01', '2020-01-01', '2020-01-01'),
    (2, NULL, NULL, NULL, NULL, NULL, NULL);
SELECT DATALENGTH(n), DATALENGTH(v), DATALENGTH(CAST('abc' AS NVARCHAR(10))),
    DATALENGTH(N'abc'), DATALENGTH(d), DATALENGTH(t), DATALENGTH(s), DATALENGTH(t2),
    DATALENGTH(GETDATE()), DATALENGTH(CAST(GETDATE() AS DATE))
FROM #t ORDER BY id""") == [(6, 3, 6, 6, 3, 8, 4, 8, 8, 3),
                            (None, None, 6, 6, None, None, None, None, 8, 3)]
    assert _rows(db, "SELECT TOP 1 DATALENGTH(StartDate), DATALENGTH(EduKey) "
                     "FROM [LEO_i2].[2002237].[leo_benefit]") == [(3, 14)]
