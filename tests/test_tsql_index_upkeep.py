"""`leo-synth sql`: statements that keep a table's indexes and statistics (``ALTER INDEX ...
REBUILD``, ``REORGANIZE``, ``UPDATE STATISTICS``, ``CREATE``/``DROP STATISTICS``) change no
answer, so they run as nothing on every backend, as SQL Server's only re-keep its indexes."""

from __future__ import annotations

import pytest
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

from leo_synth.tsql.errors import ScriptError

UPKEEP = [pytest.param("""ALTER INDEX ix ON #t REBUILD;
ALTER INDEX ALL ON #t REBUILD PARTITION = ALL WITH (ONLINE = ON, FILLFACTOR = 80)
ALTER INDEX [ix] ON dbo.#t REORGANIZE""", id="index"),
          pytest.param("""CREATE STATISTICS st_v ON #t (v, id) WITH FULLSCAN, NORECOMPUTE
UPDATE STATISTICS #t st_v WITH FULLSCAN
DROP STATISTICS #t.st_v""", id="statistics")]
"""(every backend stopped: "cannot translate 'ALTER INDEX ix ON #t REBUILD'", "cannot
translate 'CREATE STATISTICS ...'"; DROP STATISTICS did not parse)"""


@pytest.mark.parametrize("upkeep", UPKEEP)
@pytest.mark.parametrize("backend", BACKENDS)
def test_upkeep_changes_no_answer(backend: str, upkeep: str,
                                  request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    assert _rows(db, f"""CREATE TABLE #t (id INT, v INT);
INSERT INTO #t VALUES (1, 10), (2, 20);
CREATE INDEX ix ON #t (id);
{upkeep}
SELECT SUM(v), COUNT(*) FROM #t WHERE v > 15""") == [(20, 1)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_index_disabled_is_still_refused(backend: str,
                                            request: pytest.FixtureRequest) -> None:
    # DISABLE makes SQL Server's table unreadable: not a statement that changes nothing
    db = _db(request, backend)
    with pytest.raises(ScriptError, match="cannot translate"):
        _rows(db, """CREATE TABLE #t (id INT);
CREATE INDEX ix ON #t (id);
ALTER INDEX ix ON #t DISABLE
SELECT 1""")
