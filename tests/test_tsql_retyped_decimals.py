"""`leo-synth sql`: a #temp table's column given a ``DECIMAL`` by ``ALTER TABLE ... ALTER
COLUMN`` holds decimals after, on every backend, as in SQL Server (its values converted as
``CAST`` converts them: text that is no number is error 8114)."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _texts

from leo_synth.tsql.errors import ScriptError


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_altered_to_a_decimal(backend: str, request: pytest.FixtureRequest) -> None:
    # (the ALTER was skipped: SUM(v) stopped with error 8117); AVG of a DECIMAL(10, 2) has
    # six places, as SQL Server's AVG of a decimal
    db = _db(request, backend)
    assert _texts(db, """CREATE TABLE #t (id INT, v VARCHAR(10))
INSERT INTO #t VALUES (1, '1.5'), (2, '2.25'), (3, '3')
ALTER TABLE #t ALTER COLUMN v DECIMAL(10, 2)
SELECT SUM(v), AVG(v), MAX(v), MIN(v) FROM #t""") == [("6.75", "2.250000", "3.00", "1.50")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_numbers_altered_to_a_decimal(backend: str, request: pytest.FixtureRequest) -> None:
    # an INT's average had been an integer's (1), a FLOAT's unrounded, a DECIMAL's at its
    # old scale
    db = _db(request, backend)
    assert _texts(db, """CREATE TABLE #t (id INT, n INT, f FLOAT, d DECIMAL(10, 2))
INSERT INTO #t VALUES (1, 1, 1.125, 1.25), (2, 2, 2.5, 2)
ALTER TABLE #t ALTER COLUMN n DECIMAL(10, 2)
ALTER TABLE #t ALTER COLUMN f NUMERIC(10, 2)
ALTER TABLE #t ALTER COLUMN d DECIMAL(10, 4)
INSERT INTO #t VALUES (3, 1.555, 0, 0)
SELECT SUM(n), AVG(n), SUM(f), AVG(f), SUM(d), AVG(d) FROM #t""") == [
        ("4.56", "1.520000", "3.63", "1.210000", "3.2500", "1.083333")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_that_is_no_number_stops_the_alter(backend: str,
                                                request: pytest.FixtureRequest) -> None:
    # error 8114, caught; the column stays text (its SUM error 8117) until its values are
    # numbers, each rounded to the scale, then ordered as numbers
    db = _db(request, backend)
    with pytest.raises(ScriptError, match=r"Error converting data type varchar to numeric\."):
        _texts(db, """CREATE TABLE #t (id INT, v VARCHAR(10))
INSERT INTO #t VALUES (1, '12'), (2, 'x')
ALTER TABLE #t ALTER COLUMN v DECIMAL(10, 2)
SELECT 1""")
    # (the column was forgotten as text: SQLite summed it, DuckDB and PostgreSQL stopped in
    # their own words)
    with pytest.raises(ScriptError, match=r"Operand data type varchar is invalid for sum"):
        _texts(db, """CREATE TABLE #t (id INT, v VARCHAR(10))
INSERT INTO #t VALUES (1, '12'), (2, 'x')
BEGIN TRY
    ALTER TABLE #t ALTER COLUMN v INT
END TRY
BEGIN CATCH
    PRINT ERROR_NUMBER()
END CATCH
SELECT SUM(v) FROM #t""")
    assert _texts(db, """CREATE TABLE #t (id INT PRIMARY KEY, v VARCHAR(10), w VARCHAR(3))
CREATE INDEX ix_v ON #t (v)
INSERT INTO #t VALUES (1, '1.5', 'a'), (2, 'x', 'b'), (3, ' 2.255 ', 'c'), (4, NULL, 'd')
BEGIN TRY
    ALTER TABLE #t ALTER COLUMN v DECIMAL(10, 2)
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER() AS n INTO #e
END CATCH
UPDATE #t SET v = '-4' WHERE id = 2
ALTER TABLE #t ALTER COLUMN v NUMERIC(10, 2) NULL
INSERT INTO #t VALUES (5, 10, 'e')
SELECT (SELECT STRING_AGG(n, ',') FROM #e), SUM(v), AVG(v), MAX(v),
    STRING_AGG(w, '') WITHIN GROUP (ORDER BY v) FROM #t""") == [
        ("8114", "9.76", "2.440000", "10.00", "dbace")]
