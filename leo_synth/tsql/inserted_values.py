"""The values an ``INSERT`` puts in a table's columns, converted as SQL Server converts them.

SQL Server converts each value an ``INSERT`` gives to its column's type. Scripts rely on it:
``INSERT INTO #y (yr) SELECT RIGHT(AcademicYear, 4) ...`` puts text in a ``SMALLINT`` column
(PostgreSQL refused it: "column yr is of type smallint but expression is of type text"), and
``INSERT INTO #t (d) VALUES ('20150407')`` the unseparated date its documentation recommends
(DuckDB refused it, SQLite stored the number 20150407). So, by the table's columns on the
target (its column list, or all its columns in order), a value that is text going into an
integer column is converted as a comparison converts it (``text_numbers``: text that is no
number stops the statement with SQL Server's message, where SQLite stored the text), and a
string literal going into a date column is read as SQL Server reads it (``date_texts``;
one it cannot read, ``'2019-02-30'``, stops the statement, where SQLite stored the text), and
a value going into a ``TINYINT`` or ``SMALLINT`` column is cast to it, so that a value beyond
its range stops the statement as a cast's does (``integer_casts``: every target stored 300
in a ``TINYINT``), and any other number going into an integer column is cast to its type, so
that a decimal or float is cut to its whole part (``INSERT INTO #t (mean_pay) SELECT
AVG(Earnings * 1.0) ...``: SQLite stored the decimals, DuckDB and PostgreSQL rounded).
A ``VALUES`` row's values, a ``SELECT``'s (each branch of a ``UNION``) and an ``UPDATE``'s
``SET`` values are converted; a value the target converts already (an integer literal, a
date) is left as it is.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql import date_texts, text_numbers
from leo_synth.tsql.datetime_ticks import ticked_text
from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.rewrites import is_text
from leo_synth.tsql.targets import DATE, INT, INTEGER
from leo_synth.tsql.value_rewrites import PRECISE_DATETIME

INTEGER_TYPE = exp.DataType.build("INT")
BIGINT_TYPE = exp.DataType.build("BIGINT")
DATE_TYPE = exp.DataType.build("DATE")


def _columns(insert: exp.Insert, kinds: list[tuple[str, str]]) -> list[str | None]:
    """Each value position's column kind (None where unknown)."""
    by_name = {name.lower(): kind for name, kind in kinds}
    if isinstance(insert.this, exp.Schema):
        return [by_name.get(c.name.lower()) for c in insert.this.expressions]
    return [kind for _, kind in kinds]


def _holders(source: exp.Expression | None) -> list[exp.Expression]:
    """What holds the value lists the source gives: its ``VALUES`` rows, or each ``SELECT``
    branch."""
    if isinstance(source, exp.Values):
        return list(source.expressions)
    if isinstance(source, exp.Union):
        return _holders(source.this) + _holders(source.expression)
    if isinstance(source, exp.Subquery):
        return _holders(source.this)
    return [source] if isinstance(source, exp.Select) else []


def _values(holder: exp.Expression) -> list[exp.Expression]:
    """The values one holder gives: a ``SELECT``'s projections, a row's values, or a row of
    one value written without brackets."""
    if isinstance(holder, exp.Select):
        return list(holder.selects)
    return holder.expressions if isinstance(holder, exp.Tuple) else [holder]


def with_defaults(tree: exp.Insert, defaults: dict[str, exp.Expression]) -> exp.Insert:
    """An ``INSERT`` with a column list that leaves out columns with a default set after
    the table was made (``ALTER TABLE t ADD CONSTRAINT ... DEFAULT (0) FOR c``), with them
    and their defaults added (SQLite cannot add a default to a table it has)."""
    if not defaults or not isinstance(tree.this, exp.Schema):
        return tree
    given = {c.name.lower() for c in tree.this.expressions}
    missing = [(name, value) for name, value in defaults.items() if name not in given]
    holders = _holders(tree.expression)
    if not missing or not holders or not all(isinstance(h, exp.Tuple | exp.Select)
                                             for h in holders):
        return tree
    for name, value in missing:
        tree.this.append("expressions", exp.to_identifier(name))
        for holder in holders:
            holder.append("expressions", value.copy())
    return tree


def _converted(value: exp.Expression, kind: str | None, texts: dict[str, bool],
               dialect: str, order: str, line: int, decimal: tuple[int, int] | None = None,
               bit: bool = False, moment: bool = False,
               small: exp.DataType | None = None, date_column: bool = False,
               ticks: bool = False) -> None:
    node = value.this if isinstance(value, exp.Alias) else value
    if date_column and dialect == "sqlite" and not isinstance(node, exp.Null | exp.Literal):
        # (SQLite's DATE column holds whatever it is given: a DATETIME kept its time)
        node.replace(exp.cast(node.copy(), DATE_TYPE))
    elif small is not None and not isinstance(node, exp.Null):
        node.replace(exp.cast(node.copy(), small))
    elif moment and kind == DATE and isinstance(node, exp.Literal) and node.is_string:
        _moment(node, dialect, order, ticks)
    elif bit and not ((isinstance(node, exp.Literal) and node.name in ("0", "1"))
                    or isinstance(node, exp.Null)):  # (2 and 'true' are 1 in a BIT)
        node.replace(exp.cast(node.copy(), exp.DataType.build("BIT")))
    elif decimal is not None and dialect == "sqlite":  # (its DECIMAL column holds any float)
        node.replace(exp.cast(node.copy(), exp.DataType.build(
            f"DECIMAL({decimal[0]}, {decimal[1]})", dialect="tsql")))
    elif kind == DATE and isinstance(node, exp.Literal) and node.is_string:
        day = date_texts.iso(node.name, False, order)
        if day is None and node.name.strip():  # ('' is 1900-01-01 to SQL Server)
            raise ScriptError(line, date_texts.DATE_FAILED, runtime=True,
                              said=date_texts.DATE_FAILED)
        if day is None or (len(day) > 10 and not date_column):
            return  # (blank, or a date with a time: the column may be a DATETIME)
        literal = exp.Literal.string(day[:10])
        # (typed: a UNION's branches made it text on PostgreSQL; SQLite stores the text)
        node.replace(literal if dialect == "sqlite" else exp.cast(literal, DATE_TYPE))
    elif kind in (INTEGER, INT) and not isinstance(node, exp.Null) and not node.is_star and not (
            isinstance(node, exp.Literal) and text_numbers.INTEGER.fullmatch(node.name)):
        if is_text(node, texts):
            node.replace(text_numbers.as_number(node, INTEGER_TYPE, dialect))
        else:  # (a decimal or float is cut to its whole part, as SQL Server converts it:
            # SQLite stored 1.7, DuckDB and PostgreSQL rounded it to 2; the cast's rules do it)
            node.replace(exp.cast(node.copy(), INTEGER_TYPE if kind == INT else BIGINT_TYPE))


def _moment(node: exp.Literal, dialect: str, order: str, ticks: bool = False) -> None:
    """Text put in a ``DATETIME`` column, as the date and time it stands for: SQLite stores
    it in the one form its ``DATETIME()`` gives (``'2015-01-01'`` and ``'2015-01-01
    10:30'`` were stored as written, so compared as text they were out of order with the
    times a cast gives); the others take it as a timestamp. ``ticks``: the column is a
    ``DATETIME``, which holds the time rounded to its 1/300 s (``datetime_ticks``)."""
    moment = date_texts.iso(node.name, False, order)
    if moment is None:
        return
    if ticks:
        moment = ticked_text(moment)
    literal = exp.Literal.string(moment)
    if dialect != "sqlite":
        node.replace(exp.cast(literal, exp.DataType.build("TIMESTAMP")))
    elif "." in moment:  # (a fraction of a second, which DATETIME() drops)
        node.replace(exp.Anonymous(this="STRFTIME", expressions=[
            exp.Literal.string(PRECISE_DATETIME), literal]))
    else:
        node.replace(exp.Anonymous(this="DATETIME", expressions=[literal]))


def for_target(tree: exp.Expression, kinds: list[tuple[str, str]], texts: dict[str, bool],
               dialect: str, order: str,
               decimals: dict[str, tuple[int, int]] | None = None,
               bits: set[str] | None = None,
               moments: set[str] | None = None,
               smalls: dict[str, exp.DataType] | None = None, line: int = 0,
               days: set[str] | None = None, ticked: set[str] | None = None
               ) -> exp.Expression:
    """An ``INSERT``'s values, or an ``UPDATE``'s, converted to the kinds of its table's
    columns (``kinds``: the table's columns in order, from the target; ``decimals``: its
    ``DECIMAL`` columns' precision and scale, by lower-case name, to which SQLite's values
    are rounded as SQL Server rounds them; ``bits``: its ``BIT`` columns, which hold 1 for
    any other number; ``moments``: its ``DATETIME`` columns; ``smalls``: its ``TINYINT``
    and ``SMALLINT`` columns' types; ``line``: the statement's; ``days``: its columns
    declared ``DATE``, which keep no time; ``ticked``: its ``DATETIME`` columns that are
    no other date-and-time type); any other statement as it is."""
    decimals, bits, moments, days = decimals or {}, bits or set(), moments or set(), days or set()
    ticked = ticked or set()
    smalls = smalls or {}
    if isinstance(tree, exp.Update):
        by_name = {name.lower(): kind for name, kind in kinds}
        for assignment in tree.expressions:
            if isinstance(assignment, exp.EQ) and isinstance(assignment.this, exp.Column):
                name = assignment.this.name.lower()
                _converted(assignment.expression, by_name.get(name), texts, dialect, order,
                           line, decimals.get(name), name in bits, name in moments,
                           smalls.get(name), name in days, name in ticked)
        return tree
    if not isinstance(tree, exp.Insert):
        return tree
    columns = _columns(tree, kinds)
    names = ([c.name.lower() for c in tree.this.expressions]
             if isinstance(tree.this, exp.Schema) else [name.lower() for name, _ in kinds])
    for row in map(_values, _holders(tree.expression)):
        for value, kind, name in zip(row, columns, names, strict=False):
            _converted(value, kind, texts, dialect, order, line, decimals.get(name),
                       name in bits, name in moments, smalls.get(name), name in days,
                       name in ticked)
    return tree
