"""A number cast to an integer type is truncated towards zero, as SQL Server truncates it.

``CAST(12.7 AS INT)`` is 12 in the SRS and ``CAST(-2.5 AS INT)`` is -2; PostgreSQL and DuckDB
round (13 and -3), so ``CAST(AVG(Earnings * 1.0) AS INT)`` or ``CAST(days / 365.25 AS INT)``
(an age in whole years) came out one too high for about half the rows. SQLite's ``CAST``
already truncates. On PostgreSQL and DuckDB the value is put through ``TRUNC`` first when it
is a number for certain (a decimal literal, arithmetic, an aggregate or mathematical function,
a cast to a non-integer number, a column holding neither text, integers nor dates) and
otherwise left alone: ``TRUNC`` of text fails on PostgreSQL, and text that holds a decimal
point fails to convert in SQL Server as it does there (``CAST('12.7' AS INT)``). Blank text
(``''``, as the extract holds for some missing codes) or a sign alone (``'-'``, a placeholder
some codes hold) cast to an integer is 0 in SQL Server,
where PostgreSQL and DuckDB stop the query. On SQLite, whose ``CAST`` reads text's leading
digits (``CAST('2015/2016' AS INT)`` was 2015, ``'R'`` 0), text is converted by the run's
function, which stops the query with SQL Server's message where SQL Server's cast fails.
Text holding an integer beyond the type (``CAST('300' AS TINYINT)``, ``CONVERT(SMALLINT,
'40000')``, ``CAST('3000000000' AS INT)``) stops with SQL Server's error 244 or 248, where the
targets gave the number (``tinyint`` is a ``SMALLINT`` on PostgreSQL and DuckDB, SQLite's
integers are eight bytes) or stopped in their own words.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from leo_synth.tsql.declared_columns import declared_types
from leo_synth.tsql.error_messages import (
    conversion_failed,
    numeric_overflow,
    small_overflow,
    text_overflow,
)
from leo_synth.tsql.integer_average import ARITHMETIC, is_integer
from leo_synth.tsql.integer_overflow import CHECK
from leo_synth.tsql.rewrites import is_text, replaced
from leo_synth.tsql.sqlite_functions import INT_RANGE, INTEGER, INTEGER_RANGES, zero_integer
from leo_synth.tsql.text_bounds import raised
from leo_synth.tsql.try_conversions import INTEGER_RANGES as INTEGER_TYPE_RANGES
from leo_synth.tsql.try_conversions import INTEGER_TEXT, TINYINT, no_digits
from leo_synth.tsql.value_rewrites import RENAMED, cast_parts, is_safe

NUMBER_FUNCTIONS = (exp.Avg, exp.Sum, exp.Round, exp.Abs, exp.Pow, exp.Sqrt, exp.Ln, exp.Log,
                    exp.Exp, exp.Stddev, exp.StddevPop, exp.StddevSamp, exp.Variance,
                    exp.VariancePop, exp.Floor, exp.Ceil, exp.Min, exp.Max)
"""Functions whose value is a number when their operand is (MIN and MAX of a number)."""


class ColumnKinds:
    """What the translator knows of the columns met: text, integers (and which are ``int``,
    four bytes or fewer), dates (``translate``; the translator's own collections, which
    grow as it meets tables)."""

    def __init__(self, texts: dict[str, bool], integers: dict[str, bool],
                 ints: dict[str, bool], dates: set[str], undated: set[str],
                 decimals: dict[str, tuple[int, int] | None] | None = None,
                 moneys: set[str] | None = None):
        self.texts, self.integers, self.ints = texts, integers, ints
        self.dates, self.undated = dates, undated
        self.decimals = decimals if decimals is not None else {}
        """Columns of the script's own tables of a known decimal type (precision, scale),
        wherever met (None: a name also met with another type)."""
        self.moneys = moneys if moneys is not None else set()
        """Columns of the script's own tables that are ``MONEY`` wherever met."""


def _column_kind_is_number(node: exp.Column, kinds: ColumnKinds) -> bool:
    """A column of neither text, integers nor dates wherever met (decimals, floats): met
    (``texts`` holds every name met) but never as text or integers (``undated``) nor dates."""
    name = node.name.lower()
    return name in kinds.texts and name not in kinds.undated and name not in kinds.dates


def is_number(node: exp.Expression, kinds: ColumnKinds) -> bool:
    """Whether ``node`` is a number for certain (an integer or not)."""
    if isinstance(node, exp.Paren | exp.Neg):
        return is_number(node.this, kinds)
    if isinstance(node, exp.Literal):
        return not node.is_string
    if is_integer(node, kinds.integers):
        return True
    if isinstance(node, exp.Column):
        return _column_kind_is_number(node, kinds)
    if isinstance(node, exp.Cast | exp.TryCast):
        to = node.args.get("to")
        return isinstance(to, exp.DataType) and to.is_type(*exp.DataType.NUMERIC_TYPES)
    if isinstance(node, exp.Convert):
        return isinstance(node.this, exp.DataType) and node.this.is_type(
            *exp.DataType.NUMERIC_TYPES)
    if isinstance(node, exp.Window):
        return is_number(node.this, kinds)
    if isinstance(node, ARITHMETIC):
        return not (is_text(node.this) or is_text(node.expression)) and (
            is_number(node.this, kinds) or is_number(node.expression, kinds))
    if isinstance(node, NUMBER_FUNCTIONS):
        return is_number(node.this, kinds)
    if isinstance(node, exp.Anonymous) and node.name.upper() in RENAMED:  # VAR, VARP, STDEVP
        return bool(node.expressions) and is_number(node.expressions[0], kinds)
    return isinstance(node, exp.Count | exp.DateDiff)


def _to_bit(node: exp.Expression) -> bool:
    """A cast to ``BIT``, which reads ``'true'`` and ``'false'`` too (``value_rewrites``)."""
    parts = cast_parts(node)
    return parts is not None and parts[1].is_type(exp.DataType.Type.BIT)


def _value_slot(node: exp.Expression) -> str | None:
    """The argument holding the value of a cast to an integer type, or None."""
    if isinstance(node, exp.Cast | exp.TryCast):
        to = node.args.get("to")
        return "this" if isinstance(to, exp.DataType) and to.is_type(
            *exp.DataType.INTEGER_TYPES) else None
    if isinstance(node, exp.Convert) and isinstance(node.this, exp.DataType) and (
            node.this.is_type(*exp.DataType.INTEGER_TYPES)):
        return "expression"
    return None


SQL_SERVER_NAMES = {exp.DataType.Type.TINYINT: "tinyint", exp.DataType.Type.UTINYINT: "tinyint",
                    exp.DataType.Type.SMALLINT: "smallint", exp.DataType.Type.INT: "int",
                    exp.DataType.Type.BIGINT: "bigint"}
"""SQL Server's names of the integer types (sqlglot reads T-SQL's ``TINYINT``, which has no
negative values, as ``UTINYINT``)."""


def _integer_type(node: exp.Expression) -> exp.DataType:
    """The integer type a cast (``_value_slot``'s) converts to."""
    return node.args["to"] if isinstance(node, exp.Cast | exp.TryCast) else node.this


UNICODE_SOURCE = "nvarchar_source"
"""The mark (in its ``meta``) of a cast to an integer type of ``NVARCHAR`` text, whose error
245 names ``nvarchar`` (:func:`mark_unicode`)."""


def mark_unicode(tree: exp.Expression, unicode: Callable[[exp.Expression], bool]) -> None:
    """Mark each cast to an integer type of text that ``unicode`` finds ``NVARCHAR`` (an
    ``N'...'`` literal, a column a #temp table declares ``NVARCHAR``), before the literals
    lose their ``N`` (``rewrites.plain_strings``): SQL Server's error 245 then says "the
    nvarchar value 'abc'", where every target said "varchar". So is each ``+``, ``-``, ``*``,
    ``/`` and ``%`` with such text on a side (``@s + 1``: ``text_numbers`` converts it)."""
    for node in tree.find_all(exp.Cast, exp.Convert):
        slot = _value_slot(node)
        if slot is not None and unicode(node.args[slot]):
            node.meta[UNICODE_SOURCE] = True
    for node in tree.find_all(exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod):
        if unicode(node.this) or unicode(node.expression):
            node.meta[UNICODE_SOURCE] = True


def unicode_integer(text: exp.Expression, dialect: str) -> exp.Expression:
    """``CAST(text AS INT)`` of ``NVARCHAR`` text (SQLite aside), stopping as SQL Server does
    at text that is no whole number with error 245 naming ``nvarchar`` (PostgreSQL: with
    ``text_bounds.POSTGRES_SETUP``'s function)."""
    cast = exp.cast(text.copy(), exp.DataType.build("INT"))
    cast.meta[UNICODE_SOURCE] = True
    return exp.Case(ifs=[_not_whole(cast, text, dialect)], default=cast)


def source(node: exp.Expression) -> str:
    """The text type a cast to an integer type converts from, as error 245 names it."""
    return "nvarchar" if node.meta.get(UNICODE_SOURCE) else "varchar"


def _not_whole(node: exp.Expression, value: exp.Expression, dialect: str) -> exp.If:
    """The arm for text that is no whole number: DuckDB's (``'1.5'``, ``'1e3'``, ``'0x1F'``,
    which DuckDB's cast read as 2, 1000 and 31), PostgreSQL's for ``NVARCHAR`` text (whose
    own error is read as a ``varchar``'s): NULL for a ``TRY_CAST``, else SQL Server's error
    245, where its ``CAST`` stops."""
    if dialect == "duckdb":
        matches: exp.Expression = exp.Anonymous(this="REGEXP_FULL_MATCH", expressions=[
            value.copy(), exp.Literal.string(INTEGER.pattern)])
    else:
        matches = exp.RegexpLike(this=exp.cast(value.copy(), exp.DataType.build("TEXT")),
                                 expression=exp.Literal.string(INTEGER_TEXT))
    if is_safe(node):
        return exp.If(this=exp.Not(this=matches), true=exp.Null())
    kind = SQL_SERVER_NAMES.get(_integer_type(node).this, "int")
    # (SQL Server's words written once: cut where the value goes)
    words = conversion_failed("\x00", kind, source(node)).split("\x00")
    message = exp.DPipe(this=exp.DPipe(this=exp.Literal.string(words[0]), expression=value.copy()),
                        expression=exp.Literal.string(words[1]))
    return exp.If(this=exp.Not(this=matches), true=raised(message, dialect))


def _text_beyond(node: exp.Expression, value: exp.Expression, dialect: str) -> exp.If | None:
    """The arm (PostgreSQL, DuckDB) for text holding an integer beyond the type a ``CAST``
    converts it to: SQL Server's error 244 (``CAST('300' AS TINYINT)``, where the targets
    gave 300, ``tinyint`` being a ``SMALLINT`` there) or 248 (``CAST('3000000000' AS INT)``,
    where they stopped in other words). None for ``bigint``, whose range is the targets'."""
    to = _integer_type(node)
    kind = "tinyint" if to.meta.get(TINYINT) else SQL_SERVER_NAMES.get(to.this)
    if kind not in INTEGER_RANGES:
        return None
    low, high = INTEGER_RANGES[kind]
    trimmed = exp.Trim(this=exp.cast(value.copy(), exp.DataType.build("TEXT")))
    if dialect == "duckdb":  # (TRY_CAST: text that is no integer is the other arms')
        number: exp.Expression = exp.TryCast(this=trimmed, to=exp.DataType.build("HUGEINT"))
    else:  # (PostgreSQL may test an AND's sides in any order: the pattern guards the cast)
        number = exp.Case(ifs=[exp.If(
            this=exp.RegexpLike(this=trimmed.copy(), expression=exp.Literal.string(
                INTEGER_TEXT)),
            true=exp.cast(trimmed, exp.DataType.build("DECIMAL")))])
    words = text_overflow("\x00", kind).split("\x00")
    message = exp.DPipe(this=exp.DPipe(this=exp.Literal.string(words[0]), expression=value.copy()),
                        expression=exp.Literal.string(words[1]))
    outside = exp.Not(this=exp.Between(this=number, low=exp.Literal.number(low),
                                       high=exp.Literal.number(high)))
    return exp.If(this=outside, true=raised(message, dialect))


def _literal_beyond(node: exp.Expression, value: exp.Expression, dialect: str
                    ) -> exp.Expression | None:
    """The call that stops a ``CAST`` of a text literal holding an integer beyond its type
    (``CONVERT(SMALLINT, '40000')``) with SQL Server's error, or None."""
    if not (isinstance(value, exp.Literal) and value.is_string) or is_safe(node) or not (
            INTEGER.fullmatch(value.name)):
        return None
    to = _integer_type(node)
    kind = "tinyint" if to.meta.get(TINYINT) else SQL_SERVER_NAMES.get(to.this)
    if kind not in INTEGER_RANGES:
        return None
    low, high = INTEGER_RANGES[kind]
    if low <= int(value.name) <= high:
        return None
    return raised(text_overflow(value.name, kind), dialect)


def _unicode_literal(node: exp.Expression, value: exp.Expression, dialect: str
                     ) -> exp.Expression | None:
    """The call that stops a ``CAST`` of an ``N'...'`` literal that is no integer
    (``CAST(N'abc' AS INT)``) with SQL Server's error 245, which names ``nvarchar``, or None
    (the targets' own errors are read as a ``varchar``'s)."""
    if not (isinstance(value, exp.Literal) and value.is_string) or is_safe(node) or (
            source(node) != "nvarchar" or INTEGER.fullmatch(value.name)
            or zero_integer(value.name)):
        return None
    kind = SQL_SERVER_NAMES.get(_integer_type(node).this, "int")
    return raised(conversion_failed(value.name, kind, "nvarchar"), dialect)


INTEGER_ARGUMENTS: dict[type[exp.Expression], tuple[str, ...]] = {
    exp.Left: ("expression",), exp.Right: ("expression",), exp.Substring: ("start", "length"),
    exp.Repeat: ("times",), exp.Space: ("this",), exp.Stuff: ("start", "length"),
    exp.StrPosition: ("position",), exp.DateAdd: ("expression",),
    exp.DateFromParts: ("year", "month", "day"), exp.Round: ("decimals",)}
"""The arguments SQL Server declares ``int`` (lengths, positions, counts, ``DATEADD``'s
number and ``EOMONTH``'s months, read as ``DATEADD``, ``DATEFROMPARTS``' parts, ``ROUND``'s
places), by sqlglot's function and argument names."""


def integer_arguments(tree: exp.Expression, kinds: ColumnKinds,
                      integers: dict[str, bool]) -> None:
    """Each argument SQL Server declares ``int`` (:data:`INTEGER_ARGUMENTS`, and ``CHOOSE``'s
    index) given a float, a decimal or text, converted to an ``int`` as SQL Server converts
    it, before the casts below are written for the target: ``DATEADD(month, 2.7, d)`` adds 2
    months (SQLite and PostgreSQL added 2.7 months' days, DuckDB rounded
    ``DATEFROMPARTS(2015, 2.7, 1)`` to March), ``LEFT(x, f)``, ``SUBSTRING(x, 2, '3')`` and
    ``REPLICATE('0', f)`` of a float or text cut it (DuckDB and PostgreSQL stopped),
    ``CHOOSE(2.9, 'a', 'b', 'c')`` and ``CHOOSE('2', 'a', 'b')`` are ``'b'`` (SQLite gave NULL
    for both; a decile named by ``CHOOSE(FLOOR(att8 / 20) + 1, ...)`` of a float), and text
    that is no integer stops with error 245. Integers, and values of unknown type, are left
    alone."""
    for node in list(tree.find_all(exp.Anonymous, *INTEGER_ARGUMENTS)):
        if isinstance(node, exp.Anonymous):
            if node.name.upper() != "CHOOSE" or len(node.expressions) < 2:
                continue
            values = [node.expressions[0]]
        else:
            values = [node.args.get(key) for key in INTEGER_ARGUMENTS[type(node)]]
        for value in values:
            if value is None or is_integer(value, integers) or not (
                    is_number(value, kinds) or is_text(value, kinds.texts)
                    or isinstance(value, exp.Null)):  # (PostgreSQL read CHOOSE(NULL) as text)
                continue
            value.replace(exp.cast(value.copy(), exp.DataType.build("INT")))


def for_target(tree: exp.Expression, kinds: ColumnKinds, dialect: str
               ) -> tuple[exp.Expression, bool]:
    """The tree with each number cast to an integer truncated first (PostgreSQL, DuckDB;
    SQLite truncates), blank text or a sign alone cast to an integer 0, and each number cast
    to ``TINYINT`` or ``SMALLINT`` checked (``_small_ranges``); and whether PostgreSQL's
    session function that raises is called (``text_bounds.POSTGRES_SETUP``)."""
    raising = False
    for node in list(tree.find_all(exp.Cast, exp.TryCast, exp.Convert)):
        slot = _value_slot(node)
        value = node.args.get(slot) if slot else None
        if value is None or is_integer(value, kinds.integers):
            continue
        if isinstance(value, exp.Literal) and value.is_string and zero_integer(value.name):
            tree = replaced(tree, node, exp.Literal.number(0))  # (PostgreSQL folds the CAST)
        elif (unicode := _unicode_literal(node, value, dialect)) is not None:
            tree = replaced(tree, node, unicode)  # (PostgreSQL reads the literal as the type)
            raising = True
        elif (beyond := _literal_beyond(node, value, dialect)) is not None:
            tree = replaced(tree, node, beyond)  # (PostgreSQL reads the literal as the type)
            raising = True
        elif is_text(value, kinds.texts) and (dialect != "sqlite" or is_safe(node)):
            # CAST('' AS INT) and CAST('-' AS INT) are 0 in SQL Server; PostgreSQL and DuckDB
            # fail, TRY_CAST is NULL
            arms = [exp.If(this=no_digits(value), true=exp.Literal.number(0))]
            if not _to_bit(node) and (dialect == "duckdb" or (
                    source(node) == "nvarchar" and not is_safe(node))):
                arms.append(_not_whole(node, value, dialect))
                raising = raising or dialect == "postgres"
            beyond = None if is_safe(node) else _text_beyond(node, value, dialect)
            if beyond is not None:
                arms.append(beyond)
                raising = True
            tree = replaced(tree, node, exp.Case(ifs=arms, default=node.copy()))
        elif dialect == "sqlite" and not is_number(value, kinds) and not _to_bit(node) and (
                not is_safe(node)):  # (TRY_CAST: try_conversions' function, which gives NULL)
            # SQLite's CAST reads text's leading digits: '2015/2016' was 2015 and 'R' 0 (the
            # function passes numbers by, so a value that may be text goes through it too)
            kind = SQL_SERVER_NAMES.get(_integer_type(node).this, "int")
            node.set(slot, exp.Anonymous(this="LEO_TO_INTEGER", expressions=[
                value.copy(), exp.Literal.string(kind), exp.Literal.string(source(node))]))
        elif is_number(value, kinds) and dialect != "sqlite":
            node.set(slot, exp.Anonymous(this="TRUNC", expressions=[value.copy()]))
    if dialect == "sqlite":
        tree = _int_ranges(tree, kinds)
    tree, small = _small_ranges(tree, kinds, dialect)
    return tree, raising or small


SMALL_RANGES = {kind: bounds for kind, bounds in INTEGER_TYPE_RANGES.items()
                if kind != exp.DataType.Type.INT}
"""SQL Server's ranges of its small integer types (``tinyint`` has no negative values)."""


def small_columns(tree: exp.Create) -> dict[str, exp.DataType]:
    """The ``TINYINT`` and ``SMALLINT`` columns (lower case) a ``CREATE TABLE`` declares, and
    their types: a value put in one is cast to it, so its range is checked as a cast's."""
    return {name: kind.copy() for name, kind in declared_types(tree).items()
            if kind.this in SMALL_RANGES}


def _small_ranges(tree: exp.Expression, kinds: ColumnKinds, dialect: str
                  ) -> tuple[exp.Expression, bool]:
    """Each cast of a number to ``TINYINT`` or ``SMALLINT`` checked against SQL Server's
    range: ``CAST(300 AS TINYINT)`` and ``CAST(-1 AS TINYINT)`` stop with error 220 there
    ("Arithmetic overflow error for data type tinyint, value = 300."; a decimal stops with
    error 8115, "... converting numeric to data type tinyint."), where the targets gave 300
    and -1 (``tinyint`` is a ``SMALLINT`` on them), SQLite any value, and PostgreSQL and
    DuckDB their own words for a ``smallint``; a ``TRY_CAST`` is NULL. The value is checked
    after its truncation (``CAST(255.9 AS TINYINT)`` is 255); text, which its own conversion
    reads, and literals within range are left alone."""
    raising = False
    for node in list(tree.find_all(exp.Cast, exp.Convert)):
        slot = _value_slot(node)
        value = node.args.get(slot) if slot else None
        if value is None:
            continue
        kind = _integer_type(node).this
        truncated = isinstance(value, exp.Anonymous) and value.name.upper() == "TRUNC"
        if kind not in SMALL_RANGES or is_text(value, kinds.texts) or not (
                truncated or is_number(value, kinds)):
            continue
        low, high = SMALL_RANGES[kind]
        if isinstance(value, exp.Literal) and value.is_int and low <= int(value.name) <= high:
            continue
        integer = is_integer(value, kinds.integers)
        whole = value if integer or dialect != "sqlite" else (
            exp.cast(value.copy(), exp.DataType.build("BIGINT")))  # (SQLite: truncated)
        name = SQL_SERVER_NAMES[kind]
        if integer:  # (error 220 names the value; a decimal's 8115 does not)
            before, after = small_overflow(name)
            message: exp.Expression = exp.DPipe(this=exp.DPipe(
                this=exp.Literal.string(before),
                expression=exp.cast(whole.copy(), exp.DataType.build("TEXT"))),
                expression=exp.Literal.string(after))
        else:
            message = exp.Literal.string(numeric_overflow(name))
        beyond = exp.Or(this=exp.LT(this=whole.copy(), expression=exp.Literal.number(low)),
                        expression=exp.GT(this=whole.copy(), expression=exp.Literal.number(high)))
        safe = is_safe(node)
        node.set(slot, exp.Case(ifs=[exp.If(this=beyond, true=exp.Null() if safe else raised(
            message, dialect))], default=value.copy()))
        raising = raising or not safe
    return tree, raising


def _int_ranges(tree: exp.Expression, kinds: ColumnKinds) -> exp.Expression:
    """On SQLite, each cast to ``INT`` of a value that may lie beyond it checked: SQL
    Server's error 8115 for ``CAST(3000000000 AS INT)``, where SQLite's integers are eight
    bytes (PostgreSQL and DuckDB stop at it already)."""
    for node in list(tree.find_all(exp.Cast, exp.Convert)):
        slot = _value_slot(node)
        value = node.args.get(slot) if slot else None
        if value is not None and _beyond_int(node, value, kinds):
            tree = replaced(tree, node, exp.Anonymous(this=CHECK, expressions=[node.copy()]))
    return tree


def _beyond_int(node: exp.Expression, value: exp.Expression, kinds: ColumnKinds) -> bool:
    """Whether a cast (not a ``TRY_CAST``) to ``INT`` may be given a number beyond it: any
    value but an ``int`` column, a literal within range, text (which its own conversion
    checks) or a value already checked."""
    if is_safe(node) or not _integer_type(node).is_type(exp.DataType.Type.INT) or (
            isinstance(node.parent, exp.Anonymous) and node.parent.name.upper() == CHECK):
        return False  # (TRY_CAST: NULL beyond the range, as SQLite's CAST is not checked)
    if isinstance(value, exp.Literal):
        return not value.is_string and not (
            value.is_int and INT_RANGE[0] <= int(value.name) <= INT_RANGE[1])
    if isinstance(value, exp.Column):
        return not kinds.ints.get(value.name.lower(), False) and not is_text(value, kinds.texts)
    return not is_text(value, kinds.texts)
