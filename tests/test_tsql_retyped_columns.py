"""`leo-synth sql`: a #temp table's text column given an integer type by ``ALTER TABLE ...
ALTER COLUMN`` holds numbers after, on every backend, as in SQL Server (its values converted
as ``CAST`` converts them: text that is no number is error 245)."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

from leo_synth.tsql.errors import ScriptError


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_column_altered_from_text_to_int_holds_numbers(
        backend: str, request: pytest.FixtureRequest) -> None:
    # (the ALTER was skipped: SUM(v) stopped with error 8117 and MAX(v) was '7')
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #t (id INT, v VARCHAR(10));
INSERT INTO #t VALUES (1, '12'), (2, '7');
ALTER TABLE #t ALTER COLUMN v INT;
SELECT SUM(v), MAX(v) FROM #t""") == [(19, 12)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_converted_values_are_an_ints(backend: str,
                                          request: pytest.FixtureRequest) -> None:
    # as CAST converts them (' 12 ' is 12, '' 0), then averaged and divided as integers,
    # sorted as numbers, an index on the column kept
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #t (id INT PRIMARY KEY, v VARCHAR(10), w VARCHAR(5));
CREATE INDEX ix_v ON #t (v);
INSERT INTO #t VALUES (1, ' 12 ', 'a'), (2, '', 'b'), (3, '+3', 'c'), (4, NULL, 'd');
ALTER TABLE #t ALTER COLUMN [v] BIGINT NULL;
INSERT INTO #t VALUES (5, '100', 'e');
SELECT AVG(v), MAX(v), COUNT(v), MIN(v / 5), STRING_AGG(w, '') WITHIN GROUP (ORDER BY v)
FROM #t WHERE v >= 0""") == [(28, 100, 4, 0, "bcae")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_that_is_no_number_stops_the_alter(backend: str,
                                                request: pytest.FixtureRequest) -> None:
    # error 245, caught; the column stays text until its values are numbers
    db = _db(request, backend)
    with pytest.raises(ScriptError, match=r"Conversion failed when converting the varchar "
                       r"value 'x' to data type int\."):
        _rows(db, """CREATE TABLE #t (id INT, v VARCHAR(10));
INSERT INTO #t VALUES (1, '12'), (2, 'x');
ALTER TABLE #t ALTER COLUMN v INT;
SELECT 1""")
    assert _rows(db, """CREATE TABLE #t (id INT, v VARCHAR(10));
INSERT INTO #t VALUES (1, '12'), (2, 'x');
BEGIN TRY
    ALTER TABLE #t ALTER COLUMN v INT
END TRY
BEGIN CATCH
    SELECT ERROR_NUMBER() AS n INTO #e
END CATCH
SELECT MAX(v) AS m INTO #before FROM #t
UPDATE #t SET v = '5' WHERE id = 2
ALTER TABLE #t ALTER COLUMN v INT
SELECT (SELECT n FROM #e), (SELECT m FROM #before), MAX(v), SUM(v) FROM #t""") == [(
        245, "x", 12, 17)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_identity_goes_on_after_the_alter(backend: str,
                                             request: pytest.FixtureRequest) -> None:
    # (SQLite makes the table again: its identity must not give 3 a second time)
    db = _db(request, backend)
    assert _rows(db, """CREATE TABLE #t (id INT IDENTITY(1, 1), v VARCHAR(10));
INSERT INTO #t (v) VALUES ('12'), ('7'), ('5');
DELETE FROM #t WHERE id = 3;
ALTER TABLE #t ALTER COLUMN v INT;
INSERT INTO #t (v) VALUES (3);
SELECT MAX(id), SUM(v) FROM #t""") == [(4, 22)]
