"""Counts that must agree, checked as SQL Server checks them when it compiles the batch.

- ``INSERT INTO #t (a, b) VALUES (1)`` is error 109 and ``VALUES (1, 2, 3)`` error 110; an
  ``INSERT ... SELECT`` with fewer or more items than its column list errors 120 and 121; an
  ``INSERT`` without a column list whose rows do not fill the table's columns error 213
  ("Column name or number of supplied values does not match table definition."). PostgreSQL
  filled the missing columns with NULL, silently, where SQL Server stops.
- The queries of a ``UNION``, ``INTERSECT`` or ``EXCEPT`` with unequal numbers of columns are
  error 205 (each target said so in its own words).
- ``SELECT FROM t``, a select list forgotten, is error 156 ("Incorrect syntax near the keyword
  'FROM'."); PostgreSQL returned rows of no columns.
- A subquery of ``IN`` or of a comparison that selects more than one column (``EduKey IN
  (SELECT EduKey, StartDate ...)``) is error 116 ("Only one expression can be specified in the
  select list when the subquery is not introduced with EXISTS."); each target said so in its
  own words.

- ``ORDER BY 99`` of a query of fewer columns (or ``ORDER BY 0``) is error 108 ("The ORDER BY
  position number 99 is out of range of the number of items in the select list."); each
  target said so in its own words.
- ``ORDER BY 'x'`` (a text literal, which names no column in T-SQL: ``ORDER BY [x]`` does) is
  error 408 ("A constant expression was encountered in the ORDER BY list, position 1."):
  SQLite sorted by the constant, in no order, where DuckDB and PostgreSQL stopped in their
  own words.

A list with a ``*`` is not counted (its columns are the target's to know).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError

_VALUES = ("The number of values in the VALUES clause must match the number of columns "
           "specified in the INSERT statement.")
_SELECTED = "The number of SELECT values must match the number of INSERT columns."
TABLE_DEFINITION = "Column name or number of supplied values does not match table definition."
"""SQL Server's error 213."""


def _width(query: exp.Expression) -> int | None:
    """The number of columns a query gives (None when a ``*`` hides it)."""
    if isinstance(query, exp.SetOperation):
        return _width(query.this)
    if isinstance(query, exp.Subquery):
        return _width(query.this)
    if isinstance(query, exp.Select):
        return None if any(s.is_star for s in query.selects) else len(query.selects)
    return None


def _rows(source: exp.Expression) -> list[int]:
    """The widths of a ``VALUES`` list's rows."""
    return [len(row.expressions) if isinstance(row, exp.Tuple) else 1
            for row in source.expressions]


def _inserted(node: exp.Insert, line: int) -> None:
    target, source = node.this, node.expression
    if not isinstance(target, exp.Schema) or not target.expressions:
        return
    wanted = len(target.expressions)
    if isinstance(source, exp.Values):
        for width in _rows(source):
            if width < wanted:
                raise ScriptError(line, "There are more columns in the INSERT statement than "
                                  f"values specified in the VALUES clause. {_VALUES}")
            if width > wanted:
                raise ScriptError(line, "There are fewer columns in the INSERT statement than "
                                  f"values specified in the VALUES clause. {_VALUES}")
        return
    width = _width(source) if source is not None else None
    if width is not None and width != wanted:
        fewer = "fewer" if width < wanted else "more"
        raise ScriptError(line, f"The select list for the INSERT statement contains {fewer} "
                          f"items than the insert list. {_SELECTED}")


def check(tree: exp.Expression, line: int) -> None:
    """Raise SQL Server's error for counts that do not agree (see the module)."""
    for select in tree.find_all(exp.Select):
        if not select.selects and select.args.get("from_") is not None:
            raise ScriptError(line, "Incorrect syntax near the keyword 'FROM'.")
    for combined in tree.find_all(exp.SetOperation):
        widths = (_width(combined.this), _width(combined.expression))
        if None not in widths and widths[0] != widths[1]:
            raise ScriptError(line, "All queries combined using a UNION, INTERSECT or EXCEPT "
                              "operator must have an equal number of expressions in their "
                              "target lists.")
    for node in tree.find_all(exp.Insert):
        _inserted(node, line)
    for order in tree.find_all(exp.Order):
        _positions(order, line)
    for subquery in tree.find_all(exp.Subquery):
        if _one_value(subquery) and (_width(subquery) or 1) > 1:
            raise ScriptError(line, ONE_EXPRESSION)


def _positions(order: exp.Order, line: int, width: int | None = None) -> None:
    """Error 108 for a query's ``ORDER BY`` position outside its select list, error 408 for
    a text literal among its items (a window's ``ORDER BY`` has neither); ``width``: the
    list's, where a ``*`` hides it."""
    query = order.parent
    queried = isinstance(query, exp.Select | exp.SetOperation)
    for place, item in enumerate(order.expressions if queried else [], 1):
        value = item.this if isinstance(item, exp.Ordered) else item
        if isinstance(value, exp.National) or (isinstance(value, exp.Literal)
                                                and value.is_string):
            raise ScriptError(line, "A constant expression was encountered in the ORDER BY "
                              f"list, position {place}.")
    if width is None:
        width = _width(query) if queried else None
    for item in order.expressions if width is not None else []:
        position = _position(item)
        if position is not None and not 1 <= position <= width:
            raise ScriptError(line, f"The ORDER BY position number {position} is out of range "
                              "of the number of items in the select list.")


def _position(item: exp.Expression) -> int | None:
    """The select-list position an ``ORDER BY`` item names (``ORDER BY 2 DESC``), else None."""
    value = item.this if isinstance(item, exp.Ordered) else item
    if isinstance(value, exp.Literal) and not value.is_string and value.name.isdigit():
        return int(value.name)
    return None


ONE_EXPRESSION = ("Only one expression can be specified in the select list when the subquery "
                  "is not introduced with EXISTS.")
"""SQL Server's error 116."""


def _one_value(subquery: exp.Subquery) -> bool:
    """Whether a subquery must give one column: that of ``IN``, or a value (an operand of a
    comparison, arithmetic or a function, a projection); a derived table's parent is its
    ``FROM``, ``JOIN`` or ``APPLY``, a set operation's part the operation, none of these."""
    holder = subquery.parent
    if isinstance(holder, exp.In):
        return holder.args.get("query") is subquery
    return isinstance(holder, exp.Binary | exp.Func | exp.Alias | exp.Select)


def _star_width(select: exp.Select, columns: Callable[[exp.Table], list[str] | None],
                ctes: set[str]) -> int | None:
    """The number of columns a ``SELECT`` with a ``*`` (or ``t.*``) gives, from the columns
    of the tables it reads; None when a source is not a table of known columns (a subquery,
    or a CTE of the statement, which may share a relation's name)."""
    sources = [select.args.get("from_"), *(select.args.get("joins") or [])]
    tables = [source.this for source in sources if source is not None]
    if not all(isinstance(table, exp.Table) and not (table.name.lower() in ctes and not table.db)
               for table in tables):
        return None
    found = {table.alias_or_name.lower(): columns(table) for table in tables}
    width = 0
    for item in select.selects:
        if not item.is_star:
            width += 1
            continue
        qualifier = item.table.lower() if isinstance(item, exp.Column) else ""
        held = [found.get(qualifier)] if qualifier else list(found.values())
        if not held or any(names is None for names in held):
            return None
        width += sum(len(names) for names in held if names is not None)
    return width


def check_table(tree: exp.Expression, columns: Callable[[exp.Table], list[str] | None],
                line: int) -> None:
    """Raise error 213 for an ``INSERT`` without a column list whose rows do not fill its
    table's columns, and error 108 for an ``ORDER BY`` position past the columns a ``*``
    gives (``columns``: the columns of a table, None when unknown)."""
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    for order in tree.find_all(exp.Order):
        query = order.parent
        if isinstance(query, exp.Select) and any(item.is_star for item in query.selects) and (
                any(_position(item) is not None for item in order.expressions)):
            _positions(order, line, _star_width(query, columns, ctes))
    if not isinstance(tree, exp.Insert) or not isinstance(tree.this, exp.Table):
        return
    source = tree.expression
    widths = _rows(source) if isinstance(source, exp.Values) else [_width(source)] if (
        source is not None) else []
    if not widths or None in widths:
        return
    found = columns(tree.this)
    if found is not None and any(width != len(found) for width in widths):
        raise ScriptError(line, TABLE_DEFINITION)
