"""Other dialects' query forms that every target runs and SQL Server refuses, in its words.

A researcher used to PostgreSQL, DuckDB or SQLite writes forms T-SQL lacks; sqlglot reads
them and every target ran them, so the script passed here and stopped in the SRS. These are
found in the statement's tree (the tokens' own habits, ``LIMIT`` or ``||``, are
``unsupported``'s):

- ``JOIN ... USING (k)`` and ``NATURAL JOIN``: T-SQL joins ``ON`` a condition;
- ``EXCEPT ALL`` and ``INTERSECT ALL``: T-SQL's are distinct alone (``UNION ALL`` is T-SQL);
- ``WITH RECURSIVE``: T-SQL's ``WITH`` is recursive without the word;
- ``SELECT DISTINCT ON (k)``: T-SQL keeps one row per key with ``ROW_NUMBER()``;
- ``CREATE TABLE IF NOT EXISTS``: T-SQL tests ``OBJECT_ID`` first;
- ``BOOLEAN``: T-SQL's type is ``BIT`` (error 243);
- ``TOP`` beside ``OFFSET`` (error 10741), and ``OFFSET`` without ``ORDER BY``;
- ``QUALIFY`` (T-SQL filters on a window in an outer query) and an aggregate's ``FILTER
  (WHERE ...)`` (T-SQL sums a ``CASE``);
- ``ROUND(x)`` without its length (error 174).
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError

TOP_AND_OFFSET = "A TOP can not be used in the same query or sub-query as a OFFSET."
"""SQL Server's error 10741."""


def _joins(tree: exp.Expression, line: int) -> None:
    for join in tree.find_all(exp.Join):
        if join.args.get("using"):
            raise ScriptError(line, "Incorrect syntax near 'USING'. (T-SQL joins ON a "
                              "condition: JOIN b ON b.k = a.k)")
        if str(join.args.get("method") or "").upper() == "NATURAL":
            raise ScriptError(line, "Incorrect syntax near 'NATURAL'. (T-SQL joins ON a "
                              "condition: JOIN b ON b.k = a.k)")


def _queries(tree: exp.Expression, line: int) -> None:
    for combined in tree.find_all(exp.Except, exp.Intersect):
        if combined.args.get("distinct") is False:
            raise ScriptError(line, "Incorrect syntax near 'ALL'. (T-SQL's EXCEPT and "
                              "INTERSECT keep distinct rows only)")
    for with_ in tree.find_all(exp.With):
        if with_.args.get("recursive"):
            raise ScriptError(line, "Incorrect syntax near 'RECURSIVE'. (T-SQL's WITH is "
                              "recursive without the word)")
    for select in tree.find_all(exp.Select):
        if select.args.get("qualify") is not None:
            raise ScriptError(line, "Incorrect syntax near 'QUALIFY'. (T-SQL filters on a "
                              "window in an outer query: SELECT * FROM (SELECT ..., "
                              "ROW_NUMBER() OVER (...) AS rn FROM t) s WHERE rn = 1)")
        distinct = select.args.get("distinct")
        if isinstance(distinct, exp.Distinct) and distinct.args.get("on") is not None:
            raise ScriptError(line, "Incorrect syntax near 'ON'. (T-SQL has no DISTINCT ON: "
                              "keep ROW_NUMBER() OVER (PARTITION BY k ORDER BY ...) = 1)")
        if select.args.get("offset") is not None:
            if isinstance(select.args.get("limit"), exp.Limit):
                raise ScriptError(line, TOP_AND_OFFSET)
            if select.args.get("order") is None:
                raise ScriptError(line, "Incorrect syntax near 'OFFSET'. (T-SQL's OFFSET "
                                  "... FETCH follows an ORDER BY)")


ROUND_ARGUMENTS = "The round function requires 2 to 3 arguments."
"""SQL Server's error 174 for ROUND."""


def check(tree: exp.Expression, line: int) -> None:
    """Raise SQL Server's error for another dialect's form (see the module)."""
    _joins(tree, line)
    _queries(tree, line)
    for node in tree.find_all(exp.Round):
        if node.args.get("decimals") is None:
            raise ScriptError(line, f"{ROUND_ARGUMENTS} (ROUND(x, 0) rounds to a whole "
                              "number)")
    if isinstance(tree, exp.Create) and tree.args.get("exists"):
        raise ScriptError(line, "Incorrect syntax near the keyword 'IF'. (T-SQL's CREATE "
                          "TABLE has no IF NOT EXISTS: IF OBJECT_ID('tempdb..#t') IS NULL "
                          "CREATE TABLE #t ...)")
    if tree.find(exp.Filter) is not None:
        raise ScriptError(line, "Incorrect syntax near 'FILTER'. (T-SQL counts some rows with "
                          "SUM(CASE WHEN ... THEN 1 ELSE 0 END), or COUNT(CASE WHEN ... THEN "
                          "x END))")
    for kind in tree.find_all(exp.DataType):
        if kind.this == exp.DataType.Type.BOOLEAN:
            raise ScriptError(line, "Type BOOLEAN is not a defined system type. (T-SQL's is "
                              "BIT)")
