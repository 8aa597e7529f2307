"""Rewrites of casts, text matching and aggregates where a target's result would differ from
SQL Server's (the dates' are in ``rewrites``; each is run on every backend by
tests/test_tsql.py):

- ``TRY_CAST``/``TRY_CONVERT`` give NULL for text that is not of the type
  (``try_conversions``).
- ``CAST(x AS VARCHAR(n))`` and ``CONVERT(VARCHAR(n), ...)`` cut the text to n characters
  (``CONVERT(VARCHAR(7), d, 120)`` is the year and month); SQLite and DuckDB ignore the
  length, so the text is cut.
- ``BIT`` is an integer 0 or 1 in T-SQL; PostgreSQL's and DuckDB's ``BIT`` is a bit string.
  T-SQL's ``FLOAT`` is a double; DuckDB's ``FLOAT`` is 4 bytes (seven digits), and so is
  the ``REAL`` sqlglot writes for PostgreSQL.
- ``CAST(x AS DECIMAL(p, s))`` rounds to s places (``_decimal``); on SQLite a cast to
  ``DATETIME2`` or ``SMALLDATETIME`` is ``DATETIME(x)``, as one to ``DATETIME`` is.
- ``ROUND(x, n, 1)`` truncates; PostgreSQL read the third argument as nothing. SQLite read
  ``ROUND(x, -1)`` as ``ROUND(x, 0)``.
- ``VAR``, ``VARP``, ``STDEVP``: ``VAR_SAMP``, ``VAR_POP``, ``STDDEV_POP``.
- ``APPROX_COUNT_DISTINCT(x)``: ``COUNT(DISTINCT x)``, the same on every target (Microsoft
  documents SQL Server's estimate as within 2% of it with 97% probability; DuckDB's own
  estimate would differ from the other targets' answer).
- ``ISNUMERIC(x)``: 1 when SQL Server would convert x to any number type, ``money``'s too
  (``'$'``, ``'\\'``, ``'1,000'``, ``'-'`` and ``'.'`` count; ``sqlite_functions.NUMERIC_TEXT``).
- ``LIKE`` ignores case and has character classes (``like_patterns``).
- ``CHOOSE(i, a, b, ...)``: the i-th of its values, a ``CASE``.
- ``CHECKSUM(NEWID())``: a random 32-bit integer (the sampling idiom ``ABS(CHECKSUM(NEWID()))
  % 100 < 10``); ``NEWID()`` elsewhere is upper-case text, as SQL Server writes a
  ``uniqueidentifier``; ``NCHAR(n)`` the character n; ``SYSUTCDATETIME()`` and ``GETUTCDATE()`` the
  time now in UTC, without a zone.
- Dividing by zero stops the query on SQLite too, as in SQL Server (SQLite gives NULL).
  SQLite's ``%`` takes both operands as integers: a decimal's remainder is ``LEO_MOD``'s.
- ``PATINDEX`` (``like_patterns``), ``DATALENGTH`` (the bytes of the text) and
  ``PARSENAME`` (a dotted name's parts from the right), which no target has; ``LEN`` leaves
  out trailing spaces (``LEN('ab  ')`` is 2), the targets' ``LENGTH`` counts them.
- T-SQL converts a number to text for a text function (``SUBSTRING(TaxYear, 1, 4)``,
  ``CHARINDEX``, ``REPLACE``, and ``UPPER(12)``, ``REPLICATE(0, 3)`` ... as the script
  writes them: ``text_cases``) and text to a number for ``DATEFROMPARTS(LEFT(TaxYear, 4), 4,
  6)``; PostgreSQL and DuckDB need the cast written (sqlglot writes it for ``LEFT``/``RIGHT``).
- ``COLLATE`` (``x COLLATE DATABASE_DEFAULT``, against tempdb's collation; a column of a
  #temp table declared ``COLLATE Latin1_General_BIN``) is dropped: the targets have one
  collation (how comparisons with literals treat case is ``collation``'s).
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from leo_synth.tsql import (
    extract_decimals,
    identity_values,
    like_patterns,
    sqlite_functions,
    text_cases,
    try_conversions,
    value_hashes,
)
from leo_synth.tsql.target_dialects import target_sql

PRECISE_DATETIME = "%Y-%m-%d %H:%M:%f"
"""SQLite's pattern of a DATETIME with its fraction of a second (``%f``: seconds and
milliseconds)."""
DATE_READINGS = ("LEO_TO_DATE", "LEO_TRY_TO_DATE")
"""The run's functions reading text as a date or a date and time (SQLite, DuckDB): the one
that stops, the one that gives NULL."""
DATETIME_TYPES = (exp.DataType.Type.DATETIME, exp.DataType.Type.DATETIME2,
                  exp.DataType.Type.SMALLDATETIME, exp.DataType.Type.TIMESTAMP)
OLD_DATETIME_TYPES = (exp.DataType.Type.DATETIME, exp.DataType.Type.SMALLDATETIME)
"""The date-and-time types that read ``YYYY-MM-DD`` by the session's ``DATEFORMAT``."""
TEXT_TYPES = {exp.DataType.Type.VARCHAR, exp.DataType.Type.NVARCHAR, exp.DataType.Type.CHAR,
              exp.DataType.Type.NCHAR, exp.DataType.Type.TEXT}
RENAMED = {"VAR": "VAR_SAMP", "VARP": "VAR_POP", "STDEVP": "STDDEV_POP"}
FLOAT_FUNCTIONS = (exp.Stddev, exp.StddevPop, exp.StddevSamp, exp.Variance, exp.VariancePop,
                   exp.Ln, exp.Log, exp.Exp, exp.Sqrt)
"""Functions whose value is a FLOAT in T-SQL (``STDEV``, ``VAR``, ``LOG``, ``EXP``, ``SQRT``)
and a NUMERIC on PostgreSQL when their operand is one (an integer column's ``STDEV``)."""



def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def choice_values(node: exp.Expression) -> list[exp.Expression]:
    """The values a choice may give: ``COALESCE``'s and ``ISNULL``'s arguments, ``IIF``'s and
    ``CASE``'s results, ``GREATEST``'s and ``LEAST``'s values; none for anything else (a
    ``CASE``'s branch among them: its results are its ``CASE``'s)."""
    if isinstance(node, exp.Coalesce | exp.Greatest | exp.Least):
        found = [node.this, *node.expressions]
    elif isinstance(node, exp.Case):
        found = [*(arm.args.get("true") for arm in node.args.get("ifs") or []),
                 node.args.get("default")]
    elif isinstance(node, exp.If) and node.arg_key != "ifs":  # IIF
        found = [node.args.get("true"), node.args.get("false")]
    else:
        found = []
    return [value for value in found if value is not None]


def cast_parts(node: exp.Expression) -> tuple[exp.Expression, exp.DataType] | None:
    """(value, type) of a CAST, TRY_CAST, CONVERT or TRY_CONVERT."""
    if isinstance(node, exp.Cast | exp.TryCast) and isinstance(node.args.get("to"),
                                                               exp.DataType):
        return node.this, node.args["to"]
    if isinstance(node, exp.Convert) and isinstance(node.this, exp.DataType):
        return node.expression, node.this
    return None


def value_slot(node: exp.Expression) -> str:
    """The argument of a CAST, TRY_CAST or CONVERT that holds its value."""
    return "expression" if isinstance(node, exp.Convert) else "this"


def is_safe(node: exp.Expression) -> bool:
    """Whether the cast gives NULL rather than failing (TRY_CAST, TRY_CONVERT)."""
    return isinstance(node, exp.TryCast) or bool(node.args.get("safe"))


def _computed_text(value: exp.Expression) -> bool:
    """Whether a value cast to a date is text the query computes (``CAST(KS4_ENTRYDAT AS
    VARCHAR(8))``, already cut by its length on SQLite and DuckDB), not a literal (that is
    ``date_literals``'), a column or a date already."""
    if isinstance(value, exp.Substring):
        value = value.this
    parts = cast_parts(value)
    return parts is not None and parts[1].this in TEXT_TYPES


def _ymd_as_iso(value: exp.Expression, dialect: str) -> exp.Expression:
    """Text ``YYYYMMDD`` (the form SQL Server reads whatever the language, and the one the
    NPD keeps dates of as integers) as ``YYYY-MM-DD``, which every target reads; other text
    as it is."""
    text = f"TRIM(CAST({target_sql(value, dialect)} AS VARCHAR))"
    return sqlglot.parse_one(
        f"CASE WHEN LENGTH({text}) = 8 THEN SUBSTR({text}, 1, 4) || '-' || "
        f"SUBSTR({text}, 5, 2) || '-' || SUBSTR({text}, 7, 2) ELSE {text} END", read=dialect)


def _cast(node: exp.Expression, dialect: str) -> exp.Expression:
    parts = cast_parts(node)
    if parts is None:
        return node
    value, to = parts
    if isinstance(node, exp.Convert) and not is_safe(node):
        # CONVERT stops where its value does not convert (TRY_CONVERT gives NULL): sqlglot
        # wrote it for DuckDB as TRY_CAST, so CONVERT(INT, '2015/2016') was NULL there
        node.set("strict", True)
    if to.is_type(exp.DataType.Type.DATE) and _computed_text(value) and not node.args.get(
            "style"):  # (a style says how to read it: CONVERT(DATE, x, 112) is left alone)
        value = _ymd_as_iso(value, dialect)  # (SQLite gave NULL, DuckDB stopped)
        node = node.copy()
        node.set(value_slot(node), value)
    if is_safe(node) and to.this not in TEXT_TYPES:  # (text is cut to its length below)
        tried = try_conversions.try_cast(value, to, dialect, node.args.get("style"))
        if tried is not None or dialect in ("sqlite", "postgres"):
            return tried or node
    if to.is_type(exp.DataType.Type.BIT):
        return _bit(value, dialect)
    if to.is_type(exp.DataType.Type.DECIMAL):
        return _decimal(node, value, to, dialect)
    if dialect == "sqlite" and to.is_type(*DATETIME_TYPES) and not to.is_type(
            exp.DataType.Type.DATETIME):
        # (sqlglot writes DATETIME2 as TIMESTAMP, a numeric affinity: '2015-01-01 13:45' was 2015)
        node.set("to" if not isinstance(node, exp.Convert) else "this",
                 exp.DataType.build("DATETIME"))
        return node
    length = to.expressions[0] if to.this in TEXT_TYPES and to.expressions else None
    if dialect in ("sqlite", "duckdb") and isinstance(length, exp.DataTypeParam) and (
            isinstance(length.this, exp.Literal)):
        return exp.Substring(this=node.copy(), start=exp.Literal.number(1),
                             length=length.this.copy())
    return node


_FLOAT = {"sqlite": "REAL", "duckdb": "DOUBLE", "postgres": "DOUBLE PRECISION"}


def _bit(value: exp.Expression, dialect: str) -> exp.Expression:
    """``CAST(x AS BIT)`` as SQL Server gives it on every target: NULL stays NULL, the text
    ``'TRUE'`` or ``'FALSE'`` (any case) is 1 or 0, any other nonzero number 1. (SQLite read
    ``'true'`` as the number 0; PostgreSQL's BOOLEAN refuses ``'5'``, which SQL Server reads.)
    A text literal is read here: PostgreSQL works out a CASE's constant arms before choosing
    one, so ``CAST('true' AS DOUBLE PRECISION)`` would stop it."""
    if isinstance(value, exp.Literal) and value.is_string:
        word = value.this.strip().upper()
        if word in ("TRUE", "FALSE"):
            return exp.Literal.number(int(word == "TRUE"))
        try:
            return exp.Literal.number(int(float(word) != 0))
        except ValueError:
            pass  # (not a number: the target's own cast says so)
    text = target_sql(value, dialect)
    as_text = f"UPPER(CAST({text} AS VARCHAR))"
    return sqlglot.parse_one(
        f"CASE WHEN {text} IS NULL THEN NULL WHEN {as_text} = 'TRUE' THEN 1 "
        f"WHEN {as_text} = 'FALSE' THEN 0 "
        f"WHEN CAST({text} AS {_FLOAT.get(dialect, 'DOUBLE')}) <> 0 THEN 1 ELSE 0 END",
        read=dialect)


def _decimal(node: exp.Expression, value: exp.Expression, to: exp.DataType,
             dialect: str) -> exp.Expression:
    """``CAST(x AS DECIMAL(p, s))`` rounds to s places (``DECIMAL`` alone is
    ``DECIMAL(18, 0)``): SQLite keeps every digit of its float, DuckDB's plain ``DECIMAL`` has
    3 places and PostgreSQL's any number."""
    if dialect == "sqlite":  # (a function of the run's: SQL Server's overflow error)
        precision, scale = try_conversions.decimal_digits(to)
        return sqlglot.parse_one(f"LEO_DECIMAL({target_sql(value, dialect)}, {precision}, {scale})",
                                 read="sqlite")
    if not any(isinstance(p, exp.DataTypeParam) for p in to.expressions):
        node.set("to" if not isinstance(node, exp.Convert) else "this",
                 exp.DataType.build("DECIMAL(18, 0)"))
    return node


def _folded(pattern: exp.Expression) -> exp.Expression:
    """A pattern joined from pieces of text written in the script (``'%' + @t + '%'``, the
    variable's value by now) as one literal, whose character classes can then be read;
    any other pattern as it is."""
    def text(node: exp.Expression) -> str | None:
        if isinstance(node, exp.Literal) and node.is_string:
            return node.name
        if isinstance(node, exp.Paren):
            return text(node.this)
        if isinstance(node, exp.Add | exp.DPipe):
            left, right = text(node.this), text(node.expression)
            return None if left is None or right is None else left + right
        if isinstance(node, exp.Concat):
            parts = [text(part) for part in node.expressions]
            return None if any(part is None for part in parts) else "".join(
                part for part in parts if part is not None)
        return None

    joined = None if isinstance(pattern, exp.Literal) else text(pattern)
    return pattern if joined is None else exp.Literal.string(joined)


def keeps_case(node: exp.Expression) -> str:
    """How text under a collation written in the script keeps case: ``'binary'`` (``pmr
    COLLATE Latin1_General_BIN``: by the characters' codes), ``'cs'`` (``_CS_AS``: in the
    collation's order of letters, ``a A b B``), else ``''``."""
    name = node.expression.name.upper() if isinstance(node, exp.Collate) else ""
    return "binary" if "BIN" in name else "cs" if "_CS" in name else ""


CASED = "leo_like_cased"
"""The ``meta`` key of a ``LIKE`` whose text is under a collation that keeps case."""


def mark_cased_likes(tree: exp.Expression) -> None:
    """Mark each ``LIKE`` whose text is under a collation that keeps case (:data:`CASED`):
    the collation itself is dropped (below the ``LIKE``) before :func:`_like` reads it."""
    for node in tree.find_all(exp.Like):
        if kept := keeps_case(node.this):
            node.meta[CASED] = kept


def _like(node: exp.Like, dialect: str) -> exp.Expression:
    """``LIKE`` as the target needs it, ``NOT LIKE`` too (sqlglot marks it ``negate`` on the
    node itself, not as a ``NOT`` around it: a rewrite that drops the mark inverts it). Text
    under a collation that keeps case (``k COLLATE Latin1_General_BIN LIKE 'syn%'``) is
    matched case by case, as SQL Server matches it (every target ignored case there); a
    class (``[a-z]``) under a case-sensitive collation that is not binary follows its order of
    letters (``'S'`` is within ``[a-z]`` there), which is not known here: ignoring case, as
    before."""
    pattern, negate = _folded(node.expression), bool(node.args.get("negate"))
    this, keeping = node.this, keeps_case(node.this) or node.meta.get(CASED, "")
    if dialect != "sqlite" and not (isinstance(this, exp.Literal) and this.is_string):
        # (SQL Server converts a number or date to text: NCCIS_Current_Activity_Code LIKE
        # '5%'; PostgreSQL and DuckDB refused LIKE of an integer)
        this = exp.cast(this.copy(), exp.DataType.build("VARCHAR"))
    classes = isinstance(pattern, exp.Literal) and pattern.is_string and (
        like_patterns.has_class(pattern.name))
    cased = keeping == "binary" or (keeping == "cs" and not classes)
    if not classes and not (cased and dialect == "sqlite"):  # (SQLite's LIKE ignores case)
        if dialect == "sqlite":
            return node
        made = exp.Like if cased else exp.ILike
        return made(this=this, expression=pattern, negate=negate or None)
    value = target_sql(this, dialect)
    if dialect == "sqlite":
        function = "LEO_LIKE_CASED" if cased else "LEO_LIKE"
        match = sqlglot.parse_one(f"{function}({value}, {target_sql(pattern, dialect)}) = 1",
                                  read="sqlite")
    else:
        regex = _quoted(like_patterns.like_regex(pattern.name))
        flags = "" if cased else ", 'i'"
        match = (sqlglot.parse_one(f"REGEXP_FULL_MATCH({value}, {regex}{flags})", read="duckdb")
                 if dialect == "duckdb" else sqlglot.parse_one(
                     f"({value} {'~' if cased else '~*'} {regex})", read="postgres"))
    return exp.Not(this=exp.Paren(this=match)) if negate else match


def _patindex(node: exp.Anonymous, dialect: str) -> exp.Expression:
    """``PATINDEX(pattern, x)``: a Python function on SQLite; on PostgreSQL and DuckDB, for a
    pattern written in the script, ``REGEXP_INSTR`` and the length of the text before the
    match (a pattern computed by the query is left to fail there)."""
    pattern, value = node.expressions
    pattern = _folded(pattern)
    if dialect == "sqlite":
        return exp.Anonymous(this="LEO_PATINDEX", expressions=[pattern, value])
    if not (isinstance(pattern, exp.Literal) and pattern.is_string):
        return node
    text, regex = target_sql(value, dialect), like_patterns.search_regex(pattern.name)
    if dialect == "postgres":
        return sqlglot.parse_one(f"REGEXP_INSTR({text}, {_quoted(regex)}, 1, 1, 0, 'i')",
                                 read="postgres")
    if regex.startswith("^"):
        found = "1"
    else:
        before = _quoted(f"^(.*?)(?:{regex})")
        found = f"LENGTH(REGEXP_EXTRACT({text}, {before}, 1, 'i')) + 1"
    return sqlglot.parse_one(f"CASE WHEN {text} IS NULL THEN NULL WHEN REGEXP_MATCHES({text}, "
                             f"{_quoted(regex)}, 'i') THEN {found} ELSE 0 END", read="duckdb")


def _checked_division(node: exp.Div | exp.Mod) -> exp.Expression:
    """``a / b`` and ``a % b`` on SQLite, where dividing by zero gives NULL: the query stops
    with SQL Server's error instead, so a script that needs ``NULLIF(b, 0)`` in the SRS needs
    it here (a divisor that is a number other than 0 is left alone). NULL divided by 0 is NULL, as
    in SQL Server (``SUM(x) / COUNT(*)`` over no rows stopped the script)."""
    divisor = node.expression
    if isinstance(divisor, exp.Literal) and not divisor.is_string and float(divisor.this):
        return node
    zero = exp.EQ(this=divisor.copy(), expression=exp.Literal.number(0))
    if not isinstance(node.this, exp.Literal):
        zero = exp.and_(zero, exp.Not(this=exp.Is(this=node.this.copy(), expression=exp.Null())))
    node.set("expression", exp.Case(ifs=[exp.If(this=zero, true=exp.Anonymous(
        this="LEO_DIVIDE_BY_ZERO", expressions=[]))], default=divisor.copy()))
    return node


_FRACTIONAL = (exp.DataType.Type.DECIMAL, exp.DataType.Type.MONEY,
               exp.DataType.Type.SMALLMONEY)


def _fractional(node: exp.Expression) -> bool:
    """Whether ``node`` is a decimal for certain: a literal with a point, a cast to one, a
    decimal column (a #temp table's, the extract's), or arithmetic with one (``-7.5``,
    ``CAST(x AS DECIMAL(5, 2))``, ``x * 1.0``)."""
    if isinstance(node, exp.Paren | exp.Neg):
        return _fractional(node.this)
    if isinstance(node, exp.Literal):
        return not node.is_string and "." in node.name and "e" not in node.name.lower()
    if isinstance(node, exp.Anonymous):  # (a cast to a decimal, rewritten already)
        return node.name.upper() in ("LEO_DECIMAL", "LEO_TRY_DECIMAL")
    if node.meta.get(extract_decimals.DECIMAL_READ):  # (a decimal column, read as a REAL)
        return True
    parts = cast_parts(node)
    if parts is not None:
        return parts[1].this in _FRACTIONAL
    return isinstance(node, exp.Add | exp.Sub | exp.Mul | exp.Div) and (
        _fractional(node.this) or _fractional(node.expression))


def _remainder(node: exp.Mod) -> exp.Expression:
    """``a % b`` on SQLite, whose ``%`` takes both as integers: of a decimal, the run
    function ``LEO_MOD`` (``-7.5 % 2`` is ``-1.5`` in SQL Server; SQLite gave ``-1``)."""
    fractional = _fractional(node.this) or _fractional(node.expression)
    checked = _checked_division(node)
    if not fractional:
        return checked
    return exp.Anonymous(this="LEO_MOD", expressions=[checked.this.copy(),
                                                      checked.expression.copy()])


def _written(length: exp.Expression) -> bool:
    """Whether a ``ROUND``'s length is a number written in the script (``2``, ``-1``)."""
    if isinstance(length, exp.Neg | exp.Paren):
        return _written(length.this)
    return isinstance(length, exp.Literal) and not length.is_string


def _computed_length(node: exp.Round, dialect: str) -> exp.Expression:
    """``ROUND(x, n)`` with n computed (a column, ``0 - @n``) on SQLite, whose ``ROUND``
    reads a negative n as 0 (SQL Server rounds to tens, hundreds ...), and DuckDB, whose
    ``ROUND`` takes no length but a constant (the script stopped): a negative n rounds x
    over 10 to the -n; on DuckDB a positive one rounds x times 10 to the n as a decimal of
    ten places, as its ``ROUND`` of a written length does (``rewrites``), and as a DOUBLE
    when x is too large for that decimal."""
    value = target_sql(node.this, dialect)
    length = target_sql(node.args["decimals"], dialect)
    power = f"POWER(10.0, -({length}))"
    if dialect == "sqlite":
        places = f"ROUND({value}, {length})"
    else:
        # (not LEAST, which DuckDB gives 10 for a NULL length: ROUND(x, NULL) is NULL)
        scale = f"POWER(10, CASE WHEN ({length}) > 10 THEN 10 ELSE {length} END)"
        places = (f"COALESCE(CAST(ROUND(TRY_CAST({value} AS DECIMAL(28, 10)) * CAST({scale} "
                  f"AS DECIMAL(38, 0))) AS DOUBLE) / {scale}, "
                  f"ROUND(({value}) * {scale}) / {scale})")
    return sqlglot.parse_one(f"CASE WHEN ({length}) < 0 THEN ROUND(({value}) / {power}) * "
                             f"{power} ELSE {places} END", read=dialect)


def _round(node: exp.Round, dialect: str) -> exp.Expression:
    """``ROUND(x, n, f)``: rounding when f is 0, else truncation; on SQLite, whose ``ROUND``
    reads a negative n as 0, ``ROUND(x, -n)`` to a multiple of 10 to the n; a computed n:
    :func:`_computed_length`."""
    truncate = node.args.get("truncate")
    digits = node.args.get("decimals")
    if truncate is None and dialect == "sqlite" and isinstance(digits, exp.Neg) and (
            isinstance(digits.this, exp.Literal) and digits.this.this.isdigit()):
        scale = 10 ** int(digits.this.this)
        value = target_sql(node.this, dialect)
        return sqlglot.parse_one(f"(ROUND(({value}) / {scale}.0) * {scale})", read="sqlite")
    if truncate is None and digits is not None and dialect in ("sqlite", "duckdb") and (
            not _written(digits)):
        return _computed_length(node, dialect)
    if truncate is None:
        return node
    node.set("truncate", None)
    if isinstance(truncate, exp.Literal) and not truncate.is_string and float(
            truncate.this) == 0:
        return node
    value = target_sql(node.this, dialect)
    digits = target_sql(node.args.get("decimals") or exp.Literal.number(0), dialect)
    if dialect == "postgres":
        text = f"TRUNC(CAST({value} AS NUMERIC), {digits})"
    elif dialect == "duckdb":
        text = f"TRUNC({value}, {digits})"
    else:
        text = f"(CAST(({value}) * POWER(10, {digits}) AS INTEGER) / POWER(10.0, {digits}))"
    return sqlglot.parse_one(text, read=dialect)


def _is_numeric(node: exp.Anonymous, dialect: str) -> exp.Expression:
    if dialect == "sqlite" or len(node.expressions) != 1:
        return node
    text = f"CAST({target_sql(node.expressions[0], dialect)} AS TEXT)"
    regex = _quoted(sqlite_functions.NUMERIC_TEXT)
    test = (f"REGEXP_FULL_MATCH({text}, {regex})" if dialect == "duckdb"
            else f"{text} ~ {regex}")
    return sqlglot.parse_one(f"CASE WHEN {test} AND TRIM({text}) <> '' THEN 1 ELSE 0 END",
                             read=dialect)


def _as(node: exp.Expression, kind: str) -> exp.Expression:
    """``node`` cast to ``kind`` (TEXT or INTEGER) unless it is a literal of that kind."""
    if isinstance(node, exp.Literal) and node.is_string == (kind == "TEXT"):
        return node
    return exp.cast(node.copy(), exp.DataType.build(kind))


def _from_the_start(node: exp.StrPosition) -> None:
    """``CHARINDEX(x, text, start)`` with a start of 0 or less searches from the first
    character, as SQL Server does (the targets found nothing before it, or gave the start)."""
    start = node.args["position"]
    if isinstance(start, exp.Literal) and not start.is_string and start.is_int and int(
            start.name) >= 1:
        return
    below = exp.LT(this=start.copy(), expression=exp.Literal.number(1))
    node.set("position", exp.Case(ifs=[exp.If(this=below, true=exp.Literal.number(1))],
                                  default=start.copy()))


def _empty_search(node: exp.StrPosition) -> exp.Expression:
    """``CHARINDEX('', text)`` is 0 in SQL Server (NULL for a NULL text); the targets found
    the empty text at 1. A search for a non-empty literal is left as it is."""
    find = node.args.get("substr")
    if find is None or (isinstance(find, exp.Literal) and find.is_string and find.name):
        return node
    empty = exp.and_(exp.EQ(this=exp.Length(this=find.copy()), expression=exp.Literal.number(0)),
                     exp.Not(this=exp.Is(this=node.this.copy(), expression=exp.Null())))
    return exp.Case(ifs=[exp.If(this=empty, true=exp.Literal.number(0))], default=node.copy())


def _implicit_conversions(node: exp.Expression) -> exp.Expression:
    """The conversions T-SQL makes on its own, written out (PostgreSQL, DuckDB)."""
    if (isinstance(node, exp.Substring | exp.StrPosition | exp.Replace) or text_cases.written(
            node)) and not _is_texty(node.this):
        node.set("this", _as(node.this, "TEXT"))
    elif isinstance(node, exp.DateFromParts):
        for key in ("year", "month", "day"):
            if node.args.get(key) is not None:
                node.set(key, _as(node.args[key], "INTEGER"))
    return node


def _is_texty(node: exp.Expression) -> bool:
    """Text for certain: a string literal or a cast to text."""
    if isinstance(node, exp.Literal):
        return node.is_string
    return isinstance(node, exp.Cast) and node.args["to"].this in TEXT_TYPES


def is_max(node: exp.DataType) -> bool:
    """Whether a type is written with ``MAX`` (``VARCHAR(MAX)``, ``NVARCHAR(MAX)``)."""
    return any(isinstance(p, exp.DataTypeParam) and p.name.upper() == "MAX"
               for p in node.expressions)


def _data_type(node: exp.DataType, dialect: str) -> exp.Expression:
    """Types of T-SQL's own: ``VARCHAR(MAX)`` (no length), ``MONEY`` (DECIMAL(19, 4)),
    ``BINARY(16)`` (no length on PostgreSQL and DuckDB),
    ``BIT`` as a column's type on PostgreSQL and DuckDB (SMALLINT: 0 and 1), ``TINYINT`` (0 to
    255, which sqlglot calls UTINYINT) as SMALLINT there: PostgreSQL has no such type, and
    DuckDB's adds a literal in its own type (a TINYINT's 255 + 1 overflowed, an int in SQL
    Server)."""
    if is_max(node):
        node.set("expressions", [])
    if node.is_type(exp.DataType.Type.MONEY, exp.DataType.Type.SMALLMONEY):
        return exp.DataType.build("DECIMAL(19, 4)")
    if node.is_type(exp.DataType.Type.BINARY, exp.DataType.Type.VARBINARY) and dialect in (
            "duckdb", "postgres"):
        node.set("expressions", [])  # (BINARY(16): their BLOB and BYTEA take no length)
    if node.is_type(exp.DataType.Type.UTINYINT) and dialect in ("duckdb", "postgres"):
        small = exp.DataType.build("SMALLINT")
        small.meta[try_conversions.TINYINT] = True  # (its range is still tinyint's)
        return small
    if node.is_type(exp.DataType.Type.BIT) and dialect in ("duckdb", "postgres") and (
            isinstance(node.parent, exp.ColumnDef)):
        return exp.DataType.build("SMALLINT")
    if node.is_type(exp.DataType.Type.BIGINT) and dialect == "sqlite" and (
            isinstance(node.parent, exp.ColumnDef)):
        # (declared as written, not as INTEGER: a SUM of it is no int in SQL Server)
        return exp.DataType(this=exp.DataType.Type.USERDEFINED, kind="BIGINT")
    if node.is_type(exp.DataType.Type.FLOAT) and dialect in ("duckdb", "postgres"):
        # T-SQL's FLOAT is 8 bytes (FLOAT(n) up to 24 is REAL); DuckDB's FLOAT is 4, and
        # sqlglot writes it REAL for PostgreSQL (CAST(SUM(Earnings) AS FLOAT) lost its units)
        size = node.expressions[0].this if node.expressions else None
        small = isinstance(size, exp.Literal) and size.this.isdigit() and int(size.this) <= 24
        return exp.DataType.build("REAL" if small else "DOUBLE")
    return node


def _parsename_written(node: exp.SplitPart) -> exp.Expression:
    """``PARSENAME('a.b', 2)`` as written: sqlglot reads PARSENAME of a literal as the
    ``SPLIT_PART`` from the left it works out (part 0 for a part not there, which PostgreSQL
    refuses; SQLite has no SPLIT_PART). T-SQL has no SPLIT_PART of its own."""
    text, index = node.this, node.args.get("part_index")
    if not (isinstance(text, exp.Literal) and text.is_string and isinstance(index, exp.Literal)
            and not index.is_string):
        return node
    part = text.name.count(".") + 2 - int(index.name)
    return exp.Anonymous(this="PARSENAME", expressions=[text.copy(), exp.Literal.number(part)])


def _parsename(node: exp.Anonymous) -> exp.Expression:
    """``PARSENAME(name, n)``, the n-th part from the right of a name of at most four parts
    (scripts split ``'2014/2015'`` with ``PARSENAME(REPLACE(x, '/', '.'), 2)``): NULL for a
    part that is not there or empty, and for a name of more than four parts (SQLite's is a
    Python function, ``sqlite_functions.parsename``)."""
    text, part = (_as(node.expressions[0], "TEXT"), node.expressions[1])
    dots = exp.Sub(this=exp.Length(this=text.copy()), expression=exp.Length(
        this=exp.Replace(this=text.copy(), expression=exp.Literal.string("."),
                         replacement=exp.Literal.string(""))))
    invalid = exp.or_(exp.GT(this=dots, expression=exp.Literal.number(3)),
                      exp.LT(this=part.copy(), expression=exp.Literal.number(1)),
                      exp.GT(this=part.copy(), expression=exp.Literal.number(4)))
    found = exp.Anonymous(this="SPLIT_PART", expressions=[
        text.copy(), exp.Literal.string("."), exp.Neg(this=exp.Paren(this=part.copy()))])
    return exp.Case(ifs=[exp.If(this=invalid, true=exp.Null())], default=exp.Nullif(
        this=found, expression=exp.Literal.string("")))


def _checksummed(node: exp.Expression) -> bool:
    """Whether ``node`` is the argument of ``CHECKSUM`` (a random integer, whatever its case)."""
    parent = node.parent
    return isinstance(parent, exp.Anonymous) and parent.name.upper() == "CHECKSUM"


def _random_integer(dialect: str) -> exp.Expression:
    """A random 32-bit integer, as ``CHECKSUM(NEWID())`` gives one."""
    text = ("(RANDOM() % 2147483648)" if dialect == "sqlite" else
            "CAST(FLOOR(RANDOM() * 4294967296) - 2147483648 AS BIGINT)")
    return sqlglot.parse_one(text, read=dialect)


def is_float_function(node: exp.Expression) -> bool:
    """Whether ``node`` is one of ``FLOAT_FUNCTIONS`` or ``VAR``, ``VARP``, ``STDEVP`` (by
    their T-SQL names or the targets' they are renamed to)."""
    return isinstance(node, FLOAT_FUNCTIONS) or (isinstance(node, exp.Anonymous) and (
        node.name.upper() in RENAMED or node.name.upper() in RENAMED.values()))


def _as_float(node: exp.Expression) -> exp.Expression:
    """A FLOAT function's value on PostgreSQL as the double T-SQL gives (its NUMERIC printed
    ``2.0000000000000000`` for ``LOG10(100)`` and a variance to sixteen places); a window of
    one is cast as a whole (a cast inside ``... OVER ()`` is no window)."""
    if (isinstance(node, exp.Window) and is_float_function(node.this)) or (
            is_float_function(node) and not isinstance(node.parent, exp.Window)):
        return exp.Cast(this=node.copy(), to=exp.DataType.build("DOUBLE PRECISION",
                                                         dialect="postgres"))
    return node


def rewrite(node: exp.Expression, dialect: str) -> exp.Expression:
    """One node as the dialect needs it (``node`` itself when nothing changes)."""
    if dialect == "postgres" and isinstance(node, (*FLOAT_FUNCTIONS, exp.Window)):
        new = _as_float(node)
        if new is not node:
            return new
    if isinstance(node, exp.StrPosition) and node.args.get("position") is not None:
        _from_the_start(node)
    if dialect in ("postgres", "duckdb") and isinstance(node, (
            exp.Substring, exp.StrPosition, exp.Replace, exp.DateFromParts,
            *text_cases.TEXT_FUNCTIONS)):
        node = _implicit_conversions(node)
    if isinstance(node, exp.StrPosition):
        return _empty_search(node)
    if isinstance(node, exp.Upper | exp.Lower) and dialect == "sqlite":
        return text_cases.for_sqlite(node)
    if isinstance(node, exp.Cast | exp.TryCast | exp.Convert):
        return _cast(node, dialect)
    if dialect == "postgres" and isinstance(node, exp.Literal) and not node.is_string and (
            "e" in node.name.lower()) and not isinstance(node.parent, exp.Cast):
        # 1E0, 2.5E3: a FLOAT in T-SQL (PostgreSQL read a NUMERIC: 1E0 * 7 / 2 had 16 places)
        return exp.cast(node.copy(), exp.DataType.build("DOUBLE PRECISION", dialect="postgres"))
    if isinstance(node, exp.Like) and dialect in ("sqlite", "duckdb", "postgres"):
        return _like(node, dialect)
    if isinstance(node, exp.Round):
        return _round(node, dialect)
    if isinstance(node, exp.ApproxDistinct):  # the exact count: within any estimate's error
        return exp.Count(this=exp.Distinct(expressions=[node.this.copy()]))
    if isinstance(node, exp.Rand):
        return value_hashes.rand(node, dialect)
    if isinstance(node, exp.Mod) and dialect == "sqlite":
        return _remainder(node)
    if isinstance(node, exp.Div) and dialect == "sqlite":
        return _checked_division(node)
    if isinstance(node, exp.Length):  # LEN leaves out trailing spaces (T-SQL has no LENGTH)
        return exp.Length(this=exp.Anonymous(this="RTRIM", expressions=[_as(node.this,
                                                                            "TEXT")]))
    if isinstance(node, exp.SplitPart):
        node = _parsename_written(node)
    if isinstance(node, exp.Uuid) and dialect != "sqlite" and not _checksummed(node):
        # NEWID() as text is upper case in SQL Server; the targets' UUIDs are lower case
        # (SQLite's UUID() is leo-synth's own: sqlite_functions)
        return exp.Upper(this=exp.cast(node.copy(), "TEXT"))
    if isinstance(node, exp.Anonymous):
        name = node.name.upper()
        if name in RENAMED:
            renamed = exp.Anonymous(this=RENAMED[name], expressions=node.expressions)
            if dialect == "postgres" and not isinstance(node.parent, exp.Window):
                return _as_float(renamed)
            return renamed
        if name == "ISNUMERIC":
            return _is_numeric(node, dialect)
        if name == "IDENTITY" and node.expressions:  # SELECT IDENTITY(INT, 1, 1) AS n INTO #t
            # (identity_values numbers them in the query's order when it can read the seed)
            seed, step = ([*node.expressions[1:3]] + [exp.Literal.number(1)] * 2)[:2]
            return identity_values.row_value(exp.Window(this=exp.RowNumber()), seed, step)
        if name == "PATINDEX" and len(node.expressions) == 2:
            return _patindex(node, dialect)
        if name == "PARSENAME" and len(node.expressions) == 2 and dialect != "sqlite":
            return _parsename(node)
        if name == "DATALENGTH" and len(node.expressions) == 1:  # bytes of the text
            text = target_sql(_as(node.expressions[0], "TEXT"), dialect)
            found = {"sqlite": f"LENGTH(CAST({text} AS BLOB))", "duckdb": f"STRLEN({text})"
                     }.get(dialect, f"OCTET_LENGTH({text})")
            return sqlglot.parse_one(found, read=dialect)
        if name == "CHECKSUM" and [type(e) for e in node.expressions] == [exp.Uuid]:
            return _random_integer(dialect)  # ABS(CHECKSUM(NEWID())) % 100 < 10: a sample
        if name in value_hashes.NAMES and node.expressions:
            return value_hashes.for_target(node, dialect)
        if name == "NCHAR" and len(node.expressions) == 1:
            return exp.Chr(expressions=[node.expressions[0].copy()])
        if name in ("SYSUTCDATETIME", "GETUTCDATE") and not node.expressions:
            # the time in UTC, without a zone (GETDATE() is the local time: rewrites)
            return sqlglot.parse_one(
                f"STRFTIME('{PRECISE_DATETIME}', 'now')" if dialect == "sqlite"
                else "CAST(timezone('UTC', CURRENT_TIMESTAMP) AS TIMESTAMP)", read=dialect)
        if name == "CHOOSE" and len(node.expressions) > 1:
            index, *values = node.expressions
            cases = " ".join(f"WHEN {i} THEN {target_sql(v, dialect)}"
                             for i, v in enumerate(values, start=1))
            return sqlglot.parse_one(f"CASE {target_sql(index, dialect)} {cases} END", read=dialect)
    if isinstance(node, exp.DataType):
        return _data_type(node, dialect)
    if isinstance(node, exp.Ordered) and isinstance(
            node.parent, exp.PrimaryKey | exp.UniqueColumnConstraint | exp.Schema) and (
            isinstance(node.find_ancestor(exp.Create, exp.Select), exp.Create)):
        return node.this  # a key's column (``PRIMARY KEY (id DESC)``): its order is storage
    if isinstance(node, exp.Collate):
        return node.this
    if isinstance(node, exp.ColumnConstraint) and isinstance(node.args.get("kind"),
                                                             exp.CollateColumnConstraint):
        node.pop()  # (a #temp table's column declared COLLATE Latin1_General_BIN)
        return node
    return node
