"""`leo-synth sql`: subtotals and totals (ROLLUP, CUBE, GROUPING SETS, WITH ROLLUP) as SQL
Server gives them, on every backend (SQLite has none of them: a UNION ALL of grouped
queries)."""

from __future__ import annotations

import pytest
from sqlglot import exp
from test_srs_corpus import duckdb_from_parquet, srs_postgres  # noqa: F401 (fixtures)
from test_tsql import BACKENDS, _db, _rows

from leo_synth.tsql.grouping_sets import grouping_sets, old_forms
from leo_synth.tsql.script import TSQL

CENSUS = "[NPD_i2].[2002237].[spring_census_2011]"


def _sets(text: str) -> list[list[str]]:
    tree = old_forms(TSQL.parse(text)[0])
    found = grouping_sets(tree.args["group"])
    assert found is not None
    return [[e.sql() for e in s] for s in found]


def test_grouping_sets_in_sql_servers_order() -> None:
    assert _sets("SELECT 1 FROM t GROUP BY ROLLUP(a, b)") == [["a", "b"], ["a"], []]
    assert _sets("SELECT 1 FROM t GROUP BY a, b WITH ROLLUP") == [["a", "b"], ["a"], []]
    assert _sets("SELECT 1 FROM t GROUP BY CUBE(a, b)") == [["a", "b"], ["b"], ["a"], []]
    assert _sets("SELECT 1 FROM t GROUP BY c, GROUPING SETS ((a, b), a, ())") == [
        ["c", "a", "b"], ["c", "a"], ["c"]]
    assert grouping_sets(exp.Group(expressions=[exp.column("a")])) is None


TOTALS = f"""SELECT CASE WHEN GROUPING(Gender_spr11) = 1 THEN 'All' ELSE Gender_spr11 END AS sex,
    FSMeligible_spr11 AS fsm, COUNT(*) AS pupils, COUNT(DISTINCT Gender_spr11) AS sexes
FROM {CENSUS}
WHERE Gender_spr11 IN ('M', 'F')
GROUP BY Gender_spr11, FSMeligible_spr11 WITH ROLLUP
HAVING COUNT(*) > 0
ORDER BY GROUPING(Gender_spr11), sex, GROUPING(FSMeligible_spr11), fsm"""

BY_HAND = f"""SELECT sex, fsm, pupils, sexes FROM (
    SELECT Gender_spr11 AS sex, FSMeligible_spr11 AS fsm, COUNT(*) AS pupils,
        COUNT(DISTINCT Gender_spr11) AS sexes, 0 AS g1, 0 AS g2
    FROM {CENSUS} WHERE Gender_spr11 IN ('M', 'F') GROUP BY Gender_spr11, FSMeligible_spr11
    UNION ALL
    SELECT Gender_spr11, NULL, COUNT(*), COUNT(DISTINCT Gender_spr11), 0, 1
    FROM {CENSUS} WHERE Gender_spr11 IN ('M', 'F') GROUP BY Gender_spr11
    UNION ALL
    SELECT 'All', NULL, COUNT(*), COUNT(DISTINCT Gender_spr11), 1, 1
    FROM {CENSUS} WHERE Gender_spr11 IN ('M', 'F')) x
ORDER BY g1, sex, g2, fsm"""


@pytest.mark.parametrize("backend", BACKENDS)
def test_rollup_totals_as_sql_server_gives_them(backend: str,
                                                request: pytest.FixtureRequest) -> None:
    db = _db(request, backend)
    by_hand = _rows(db, BY_HAND)
    assert by_hand[-1][:2] == ("All", None) and by_hand[-1][3] == 2
    assert _rows(db, TOTALS) == by_hand
    assert _rows(db, TOTALS.replace(
        "GROUP BY Gender_spr11, FSMeligible_spr11 WITH ROLLUP",
        "GROUP BY ROLLUP(Gender_spr11, FSMeligible_spr11)")) == by_hand
    # a CTE before it, and TOP over the whole
    top = _rows(db, f"""WITH c AS (SELECT Gender_spr11 AS g FROM {CENSUS}
    WHERE Gender_spr11 IN ('M', 'F'))
SELECT TOP 2 g, COUNT(*) AS n FROM c GROUP BY CUBE(g) ORDER BY n DESC""")
    assert top[0] == (None, by_hand[-1][2]) and len(top) == 2


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_grouping_set_of_one_column_in_brackets_groups_it(
        backend: str, request: pytest.FixtureRequest) -> None:
    # GROUPING SETS ((sex), ()) stopped the script: "Column ... is invalid in the select list"
    db = _db(request, backend)
    rows = _rows(db, f"""SELECT Gender_spr11 AS sex, COUNT(*) AS n, GROUPING(Gender_spr11) AS g
FROM {CENSUS} WHERE Gender_spr11 IN ('M', 'F')
GROUP BY GROUPING SETS ((Gender_spr11), ()) ORDER BY g, sex""")
    assert [(r[0], r[2]) for r in rows] == [("F", 0), ("M", 0), (None, 1)]
    assert rows[2][1] == rows[0][1] + rows[1][1]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_window_function_reads_the_totals_rows_too(
        backend: str, request: pytest.FixtureRequest) -> None:
    # SQL Server computes a window over the grouped rows, totals rows included: a's subtotal
    # row counts in a's partition (4, not 2). SQLite computed it within each grouping set.
    db = _db(request, backend)
    rows = _rows(db, """SELECT g, x, COUNT(*) AS n, SUM(COUNT(*)) OVER (PARTITION BY g) AS tot,
    CAST(100.0 * COUNT(*) / SUM(COUNT(*)) OVER (PARTITION BY g) AS DECIMAL(5, 1)) AS pct,
    RANK() OVER (ORDER BY COUNT(*) DESC, GROUPING(x)) AS r
FROM (VALUES ('a', 1), ('a', 2), ('b', 3)) v(g, x)
GROUP BY ROLLUP (g, x) ORDER BY g, x""")
    assert [(r[0], r[1], r[2], r[3], str(r[4]), r[5]) for r in rows] == [
        (None, None, 3, 3, "100.0", 1), ("a", None, 2, 4, "50.0", 2), ("a", 1, 1, 4, "25.0", 3),
        ("a", 2, 1, 4, "25.0", 3), ("b", None, 1, 2, "50.0", 6), ("b", 3, 1, 2, "50.0", 3)]
    # ordered by a window's alias, and by a window not in the select list
    ordered = _rows(db, """SELECT g, COUNT(*) AS n, SUM(COUNT(*)) OVER () AS everything
FROM (VALUES ('a', 1), ('a', 2), ('b', 3)) v(g, x)
GROUP BY ROLLUP (g) ORDER BY everything, ROW_NUMBER() OVER (ORDER BY g DESC)""")
    assert ordered == [("b", 1, 6), ("a", 2, 6), (None, 3, 6)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_distinct_and_subqueries_beside_totals(backend: str,
                                               request: pytest.FixtureRequest) -> None:
    # DISTINCT is over the whole result: the totals rows of two sets that look alike are one
    # row (SQLite kept both); a subquery in a window's expression reads the grouped row
    db = _db(request, backend)
    assert _rows(db, """SELECT DISTINCT g FROM (VALUES ('a', 1), ('a', 2), ('b', 3)) v(g, x)
GROUP BY CUBE (g, x) ORDER BY g""") == [(None,), ("a",), ("b",)]
    assert _rows(db, """SELECT DISTINCT g, SUM(COUNT(*)) OVER () AS t
FROM (VALUES ('a', 1), ('a', 2), ('b', 3)) v(g, x) GROUP BY CUBE (g, x) ORDER BY g""") == [
        (None, 12), ("a", 12), ("b", 12)]
    assert _rows(db, """SELECT g,
    SUM(COUNT(*)) OVER () + (SELECT MAX(y) FROM (VALUES (10), (20)) w(y)),
    SUM(COUNT(*)) OVER (PARTITION BY g)
        * (SELECT COUNT(*) FROM (VALUES ('a'), ('a'), ('b')) u(h) WHERE u.h = v.g)
FROM (VALUES ('a', 1), ('a', 2), ('b', 3)) v(g, x) GROUP BY ROLLUP (g) ORDER BY g""") == [
        (None, 26, 0), ("a", 26, 4), ("b", 26, 1)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_grouping_of_a_column_every_set_keeps_is_zero(
        backend: str, request: pytest.FixtureRequest) -> None:
    # GROUP BY g, ROLLUP(h): g is in every grouping set, so GROUPING(g) is 0 on every row
    # (SQLite gave 1; DuckDB stopped: "GROUPING child must be a grouping column")
    db = _db(request, backend)
    assert _rows(db, """SELECT g, h, COUNT(*) AS n, GROUPING(g) AS gg, GROUPING(h) AS gh,
    GROUPING_ID(g, h) AS gid
FROM (VALUES ('a', 'x'), ('a', 'y'), ('b', 'x')) t(g, h)
GROUP BY g, ROLLUP (h) ORDER BY g, h""") == [
        ("a", None, 2, 0, 1, 1), ("a", "x", 1, 0, 0, 0), ("a", "y", 1, 0, 0, 0),
        ("b", None, 1, 0, 1, 1), ("b", "x", 1, 0, 0, 0)]
