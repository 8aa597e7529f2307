"""Deletes and updates whose rows a query picks, by the rows' identity on the target.

Idioms of SRS scripts that no target takes as written:

- ``DELETE t FROM #x t JOIN #y y ON ... WHERE ...`` (the table named by its alias, the rows
  chosen by a join);
- ``;WITH d AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY pmr ORDER BY ...) AS rn FROM #x)
  DELETE FROM d WHERE rn > 1``: the usual way to keep one row per pupil;
- ``DELETE TOP (n) FROM #x`` and ``UPDATE TOP (n) #x SET ...``: n of the rows;
- ``;WITH d AS (...) UPDATE d SET first_record = 1 WHERE rn = 1``: an update through a
  common table expression, whose SET may read the CTE's own columns (``SET n = rn``);
- ``UPDATE a SET flag = CASE WHEN b.id IS NULL THEN 0 ELSE 1 END FROM #a a LEFT JOIN #b b
  ON ...``: an update whose rows an outer join picks, or a join naming the table updated
  after another (:func:`update_through_rows`).

Each becomes a statement on the table itself, ``... WHERE <row id> IN (SELECT <row id>
...)``, by the row's identity on the target (SQLite's and DuckDB's ``rowid``, PostgreSQL's
``ctid``): duplicate rows, which the second idiom exists to remove, are told apart only by
it. An update through a CTE sets each column to its value in the CTE's row of the same
identity (a correlated subquery).
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql import rowcount_limit
from leo_synth.tsql.errors import ScriptError

ROW_IDS = {"sqlite": "rowid", "duckdb": "rowid", "postgres": "ctid"}
CARRIED = "leo_row_id"
"""The column the row's identity is carried in through a common table expression."""


def for_target(tree: exp.Expression, dialect: str, line: int,
               rowcount: int = 0) -> exp.Expression:
    """A DELETE through an alias or a CTE, or of its TOP rows, and an UPDATE through a CTE,
    as statements on row ids; anything else as it is. ``rowcount``: the session's ``SET
    ROWCOUNT`` (0: none), which limits a DELETE or UPDATE as a ``TOP`` does
    (``rowcount_limit``)."""
    if not isinstance(tree, exp.Delete | exp.Update):
        return tree
    row_id = ROW_IDS[dialect]
    ctes = {cte.alias.lower(): cte for cte in (tree.args.get("with_") or exp.With()).expressions}
    if isinstance(tree, exp.Update):
        name = tree.this.name.lower() if isinstance(tree.this, exp.Table) else ""
        through_cte = name in ctes and not tree.this.args.get("db") and not tree.args.get(
            "from_")
        if rowcount and (through_cte or tree.args.get("from_") is not None):
            raise _limited_join(tree, rowcount, line)
        if through_cte:
            return _update_through_cte(tree, ctes[name], row_id, line)
        if rowcount:
            tree = tree.copy()
            tree.set("limit", rowcount_limit.limit(tree, rowcount, line))
        if tree.args.get("limit") is not None:
            return _first_updated(tree, row_id, line)
        return tree
    tables = tree.args.get("tables") or []
    if not isinstance(tree.this, exp.Table) and len(tables) == 1:
        # DELETE #x WHERE ... (T-SQL's FROM is optional): sqlglot reads #x as the table a
        # join would delete from, with no FROM
        tree = tree.copy()
        tree.set("this", tables[0].copy())
        tree.set("tables", None)
    own = _top(tree)
    top = rowcount_limit.smaller(own, rowcount)
    joined = own is None and bool(tree.args.get("tables"))
    if rowcount and (joined or tree.this.name.lower() in ctes):
        raise _limited_join(tree, rowcount, line)
    if top is not None:
        return _first_rows(tree, top, row_id)
    if tree.args.get("tables"):
        return _through_alias(tree, row_id, line)
    if tree.this.name.lower() in ctes and not tree.this.args.get("db"):
        return _through_cte(tree, ctes[tree.this.name.lower()], row_id, line)
    return tree


def _top(tree: exp.Delete) -> int | None:
    """n of ``DELETE TOP (n) FROM ...`` (which sqlglot reads as a table named TOP with the
    alias ``(n)``), else None."""
    tables = tree.args.get("tables") or []
    if len(tables) != 1 or tables[0].name.upper() != "TOP" or tables[0].this.quoted:
        return None
    columns = tables[0].alias_column_names
    return int(columns[0]) if len(columns) == 1 and columns[0].isdigit() else None


def _limited_join(tree: exp.Delete | exp.Update, rowcount: int, line: int) -> ScriptError:
    """SET ROWCOUNT over a DELETE or UPDATE whose rows a join or a CTE picks."""
    kind = "DELETE" if isinstance(tree, exp.Delete) else "UPDATE"
    return ScriptError(line, f"SET ROWCOUNT {rowcount} with a {kind} through a join, an alias "
                       "or a common table expression cannot be translated: choose the rows in "
                       "its WHERE (WHERE id IN (SELECT TOP (n) id FROM ...)), or SET ROWCOUNT "
                       "0 first")


def _first_rows(tree: exp.Delete, top: int, row_id: str) -> exp.Delete:
    """``DELETE TOP (n) FROM #x WHERE ...``: n of the rows the WHERE picks (any n, as in SQL
    Server, which deletes in no order); the loop ``WHILE @@ROWCOUNT > 0 DELETE TOP (1000)
    ...`` deletes a large set in parts."""
    plain = _bare(tree.this)
    chosen = exp.select(exp.column(row_id)).from_(plain.copy()).limit(top)
    where = tree.args.get("where")
    if where is not None:
        chosen.set("where", where.copy())
    return exp.Delete(this=plain, where=exp.Where(
        this=exp.In(this=exp.column(row_id), query=exp.Subquery(this=chosen))))


def _first_updated(tree: exp.Update, row_id: str, line: int) -> exp.Update:
    """``UPDATE TOP (n) #x SET ... WHERE ...``: n of the rows the WHERE picks (any n, as in
    SQL Server, which updates in no order), as ``DELETE TOP (n)``."""
    if tree.args.get("from_") is not None or not isinstance(tree.this, exp.Table):
        raise ScriptError(line, "UPDATE TOP (n) with a FROM cannot be translated: choose the "
                          "rows in the WHERE (WHERE id IN (SELECT TOP (n) id FROM ...))")
    plain = _bare(tree.this)
    chosen = exp.select(exp.column(row_id)).from_(plain.copy())
    chosen.set("limit", tree.args["limit"].copy())
    where = tree.args.get("where")
    if where is not None:
        chosen.set("where", where.copy())
    updated = tree.copy()
    updated.set("this", plain)
    updated.set("limit", None)
    updated.set("where", exp.Where(this=exp.In(this=exp.column(row_id),
                                               query=exp.Subquery(this=chosen))))
    return updated


def _sources(first: exp.Table) -> list[exp.Table]:
    return [first, *[j.this for j in first.args.get("joins") or []
                     if isinstance(j.this, exp.Table)]]


def _aliased(table: exp.Table) -> str:
    """The table's alias, given one when it has none: a #temp table's name is rewritten for
    the target, so a column cannot be qualified with it."""
    if not table.alias:
        table.set("alias", exp.TableAlias(this=exp.to_identifier(f"{CARRIED}_source")))
    return table.alias


def _keep_ctes(tree: exp.Delete | exp.Update, rows: exp.Select) -> None:
    """The statement's common table expressions (``;WITH c AS (...) UPDATE t ... JOIN c``)
    given to the query that picks its rows, which reads them (the statement made from it
    would otherwise name a CTE it no longer has: "Invalid object name 'c'.")."""
    ctes = tree.args.get("with_")
    if ctes is not None:
        rows.set("with_", ctes.copy())


def _bare(table: exp.Table) -> exp.Table:
    plain = table.copy()
    for key in ("alias", "joins"):
        plain.set(key, None)
    return plain


def _through_alias(tree: exp.Delete, row_id: str, line: int) -> exp.Delete:
    """``DELETE t FROM #x t JOIN ... WHERE ...``."""
    [named] = tree.args["tables"]
    first = tree.this
    wanted = named.name.lower()
    target = next((t for t in _sources(first) if t.alias_or_name.lower() == wanted), None)
    if target is None:
        raise ScriptError(line, f"DELETE {named.name} FROM ...: {named.name} is not a table "
                          f"of the FROM")
    plain = _bare(target)
    chosen = exp.select(exp.column(row_id, table=_aliased(target))).from_(first.copy())
    _keep_ctes(tree, chosen)
    where = tree.args.get("where")
    if where is not None:
        chosen.set("where", where.copy())
    return exp.Delete(this=plain, where=exp.Where(
        this=exp.In(this=exp.column(row_id), query=exp.Subquery(this=chosen))))


def _cte_source(cte: exp.CTE, what: str, line: int) -> exp.Table:
    """The one table a CTE that a DELETE or UPDATE goes through selects from, the CTE made to
    carry each row's id (:data:`CARRIED`)."""
    body = cte.this
    source = body.args.get("from_") if isinstance(body, exp.Select) else None
    if (source is None or not isinstance(source.this, exp.Table) or source.this.args.get("joins")
            or body.args.get("group") or body.args.get("distinct")):
        raise ScriptError(line, f"{what} {cte.alias}: the common table expression must "
                          f"select from one table (no joins, GROUP BY or DISTINCT) to be "
                          f"translated")
    return source.this


def _carried(cte: exp.CTE, table: exp.Table, row_id: str) -> None:
    cte.this.select(exp.alias_(exp.column(row_id, table=_aliased(table)), CARRIED), copy=False)


def _chosen(tree: exp.Delete | exp.Update, cte: exp.CTE, row_id: str) -> exp.Where:
    """``<row id> IN (SELECT <carried id> FROM cte WHERE <the statement's WHERE>)``."""
    chosen = exp.select(exp.column(CARRIED)).from_(exp.to_table(cte.alias))
    where = tree.args.get("where")
    if where is not None:
        chosen.set("where", where.copy())
    return exp.Where(this=exp.In(this=exp.column(row_id), query=exp.Subquery(this=chosen)))


def _through_cte(tree: exp.Delete, cte: exp.CTE, row_id: str, line: int) -> exp.Delete:
    """``WITH d AS (SELECT ... FROM #x) DELETE FROM d WHERE ...``: the CTE carries each row's
    id, and the rows of ``#x`` whose ids the DELETE's WHERE picks are deleted."""
    table = _cte_source(cte, "DELETE FROM", line)
    plain = _bare(table)
    _carried(cte, table, row_id)
    return exp.Delete(this=plain, with_=tree.args["with_"].copy(),
                      where=_chosen(tree, cte, row_id))


def _update_through_cte(tree: exp.Update, cte: exp.CTE, row_id: str, line: int
                        ) -> exp.Update:
    """``WITH d AS (SELECT ... FROM #x) UPDATE d SET c = e WHERE ...``: each column set to
    ``e`` computed in the CTE's row of the same id, for the rows the WHERE picks."""
    table = _cte_source(cte, "UPDATE", line)
    plain = _bare(table)
    plain.set("alias", exp.TableAlias(this=exp.to_identifier(f"{CARRIED}_target")))
    _carried(cte, table, row_id)
    same_row = exp.EQ(this=exp.column(CARRIED, table=cte.alias),
                      expression=exp.column(row_id, table=f"{CARRIED}_target"))
    assignments = []
    for assignment in tree.expressions:
        if not isinstance(assignment, exp.EQ):
            raise ScriptError(line, "UPDATE through a common table expression: only "
                              "SET column = value can be translated")
        column = assignment.this.copy()
        column.set("table", None)
        if constant(assignment.expression):
            assignments.append(exp.EQ(this=column, expression=assignment.expression.copy()))
            continue
        value = exp.select(assignment.expression.copy()).from_(exp.to_table(cte.alias)).where(
            same_row.copy())
        assignments.append(exp.EQ(this=column, expression=exp.Subquery(this=value)))
    return exp.Update(this=plain, expressions=assignments, with_=tree.args["with_"].copy(),
                      where=_chosen(tree, cte, row_id))


def constant(value: exp.Expression) -> bool:
    """Whether a ``SET`` value is the same for every row (no column, subquery, aggregate
    or window in it: ``SET EndDate = '20000101'``, ``SET flag = 1``). Such a value is set as
    it is, not computed in the rows the statement picks, so that it is converted to its
    column's type as a plain ``SET``'s is (``date_literals``, ``inserted_values``): from the
    picked rows, SQLite stored ``'20000101'`` as text, and DuckDB and PostgreSQL stopped at
    text going into a date or an integer column."""
    return value.find(exp.Column, exp.Subquery, exp.Select, exp.AggFunc, exp.Window) is None


ROWS = f"{CARRIED}_rows"
"""The alias of the rows an UPDATE through a join picks (:func:`update_through_rows`)."""
PICK = "leo_pick"


def update_through_rows(tree: exp.Update, name: str, row_id: str, line: int) -> exp.Update:
    """``UPDATE a SET v = e FROM #b b LEFT JOIN #a a ON ... WHERE ...``, the table updated
    named by its alias ``name`` anywhere in a FROM of any joins: the FROM and WHERE, as they
    are, pick the rows and compute each value ``e`` beside the row's id; the table is then
    updated from those rows by id. A row the joins give more than once is updated once, as
    SQL Server does, from the match whose values sort first (SQL Server's is any one; a plain
    ``UPDATE ... FROM`` of the targets would apply each match in turn, DuckDB count each in
    ``@@ROWCOUNT``, and each target choose its own)."""
    source = tree.args["from_"].this.copy()
    updated = next(t for t in _sources(source) if t.alias_or_name.lower() == name)
    target = _bare(updated)
    target.set("alias", exp.TableAlias(this=exp.to_identifier(f"{CARRIED}_target")))
    own_id = exp.column(row_id, table=_aliased(updated))
    rows = exp.select(exp.alias_(own_id.copy(), CARRIED)).from_(source)
    _keep_ctes(tree, rows)
    assignments, order = [], []
    for position, assignment in enumerate(tree.expressions):
        if not isinstance(assignment, exp.EQ) or not isinstance(assignment.this, exp.Column):
            raise ScriptError(line, "UPDATE ... FROM: only SET column = value can be "
                              "translated")
        column = assignment.this.copy()
        column.set("table", None)
        if constant(assignment.expression):
            assignments.append(exp.EQ(this=column, expression=assignment.expression.copy()))
            continue
        value = f"leo_value_{position}"
        rows.select(exp.alias_(assignment.expression.copy(), value), copy=False)
        order.append(exp.Ordered(this=assignment.expression.copy()))
        assignments.append(exp.EQ(this=column, expression=exp.column(value, table=ROWS)))
    # (the match with the least values: SQL Server's is any, and the targets then agree)
    rows.select(exp.alias_(exp.Window(this=exp.RowNumber(), partition_by=[own_id],
                                      order=exp.Order(expressions=order) if order else None),
                           PICK), copy=False)
    where = tree.args.get("where")
    if where is not None:
        rows.set("where", where.copy())
    same_row = exp.and_(
        exp.EQ(this=exp.column(row_id, table=f"{CARRIED}_target"),
               expression=exp.column(CARRIED, table=ROWS)),
        exp.EQ(this=exp.column(PICK, table=ROWS), expression=exp.Literal.number(1)))
    return exp.Update(this=target, expressions=assignments,
                      from_=exp.From(this=exp.Subquery(
                          this=rows, alias=exp.TableAlias(this=exp.to_identifier(ROWS)))),
                      where=exp.Where(this=same_row))
