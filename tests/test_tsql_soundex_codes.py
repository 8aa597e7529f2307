"""`leo-synth sql`: ``SOUNDEX`` and ``DIFFERENCE`` as SQL Server computes them, on every
backend (SQLite had no ``DIFFERENCE``, DuckDB and PostgreSQL neither function)."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

# (SQL Server's documentation's examples, and American Soundex's: an H or W between two
# letters of one digit does not separate them, a vowel does; the first letter counts)
CODES = {"Robert": "R163", "Rupert": "R163", "robert": "R163", "Ashcraft": "A261",
         "Tymczak": "T522", "Pfister": "P236", "Honeyman": "H555", "Green": "G650",
         "Greene": "G650", "Blotchet-Halls": "B432", "Smithers": "S536", "Smythers": "S536",
         "Anothers": "A536", "Brothers": "B636", "Lee": "L000"}
PAIRS = [("Green", "Greene", 4), ("Blotchet-Halls", "Greene", 0), ("Smithers", "Smythers", 4),
         ("Anothers", "Brothers", 2), ("Robert", "Rupert", 4)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_soundex_is_sql_servers(backend: str, request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    names = " UNION ALL ".join(f"SELECT '{name}'" for name in CODES)
    assert sorted(_rows(db, f"""CREATE TABLE #n (name VARCHAR(20))
INSERT INTO #n (name) {names}
SELECT name, SOUNDEX(name) FROM #n""")) == sorted(CODES.items())
    assert _rows(db, "SELECT SOUNDEX('Robert'), SOUNDEX(NULL)") == [("R163", None)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_difference_counts_the_places_the_codes_share(backend: str,
                                                      request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    pairs = ", ".join(f"DIFFERENCE('{a}', '{b}')" for a, b, _ in PAIRS)
    assert _rows(db, f"SELECT {pairs}, DIFFERENCE('Green', NULL)") == [
        (*(n for _, _, n in PAIRS), None)]
    assert _rows(db, """SELECT COUNT(*) FROM (VALUES ('Robert'), ('Rupert'), ('Green')) v(name)
WHERE DIFFERENCE(name, 'Robert') = 4 AND SOUNDEX(name) = SOUNDEX('Rupert')""") == [(2,)]
