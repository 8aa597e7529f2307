"""A value cast to a date converts as SQL Server converts it, or stops the query.

SQL Server reads text cast to a ``DATE`` or ``DATETIME`` in the forms ``date_texts`` knows
(``'20150131'``, ``'2015-01-31'``, ``'1 Mar 2015'``, ``'03/04/2015'`` by the session's
``DATEFORMAT``) and stops at any other text with error 241; an integer cast to a ``DATE``
stops with error 529 ("Explicit conversion from data type int to date is not allowed."), with
a style too (``CONVERT(DATE, 20150406, 112)`` of a date kept as an integer: SQLite read it as
the day, DuckDB stopped in its own words), and one cast to a ``DATETIME`` is that many days
from 1900-01-01. SQLite's ``DATE()`` read
anything but ISO text as NULL, without an error: ``CAST(KS4_ENTRYDAT AS DATE)`` of the
integer 20160901 was NULL on every row, and so was a #temp table's ``'20150131'``. So on
SQLite a cast to a date or a date and time of a value that may not be a date already goes
through the run's conversion function (``LEO_TO_DATE``), and so does text on DuckDB (whose
``CAST`` reads only ISO text); PostgreSQL's text goes through a session function that reads
it in the ``DATEFORMAT``'s order (:data:`POSTGRES_SETUP`). ``TRY_CAST`` and ``TRY_CONVERT``
go through the same functions' NULL-giving forms (they read only ISO text: NULL for
``'20150131'``), and a string literal of theirs is read here. A cast of an integer column to
a ``DATE`` stops on every target when the script is read (PostgreSQL and DuckDB stopped in
their own words), ``TRY_CAST`` too, and a number written in the script cast to a
``DATETIME`` is read as that day (``CAST(0 AS DATETIME)``; they refused it). String literals
of a plain cast are read when translating (``date_literals``), and ``CONVERT`` with a style
by its style (``value_rewrites``).
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql import date_texts
from leo_synth.tsql.date_literals import DATE_TYPES, literal_days
from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.integer_average import is_integer
from leo_synth.tsql.integer_casts import ColumnKinds
from leo_synth.tsql.rewrites import is_text
from leo_synth.tsql.value_rewrites import (
    DATE_READINGS,
    OLD_DATETIME_TYPES,
    cast_parts,
    is_safe,
    value_slot,
)

_NO_INTEGERS = {exp.DataType.Type.DATE: "date", exp.DataType.Type.DATETIME2: "datetime2"}
"""The date types SQL Server will not convert an integer to, by its name for them."""
_DATED = (exp.CurrentTimestamp, exp.CurrentDate, exp.DateAdd, exp.Cast, exp.Convert,
         exp.TryCast)
"""Values that are dates already on SQLite (a cast of any kind is converted itself)."""


def _is_date(value: exp.Expression, kinds: ColumnKinds) -> bool:
    """Whether ``value`` is a date for certain: a date column, a date function's value, a
    cast, or a string literal (``date_literals`` reads those)."""
    if isinstance(value, exp.Column):
        return value.name.lower() in kinds.dates
    parts = cast_parts(value)
    if parts is not None:  # (a cast to text is none: CONVERT(VARCHAR(8), d, 112))
        return parts[1].is_type(*DATE_TYPES)
    return isinstance(value, _DATED) or (isinstance(value, exp.Literal) and value.is_string)


POSTGRES_SETUP = (
    "CREATE FUNCTION pg_temp.leo_read_date(x text, date_order text, date_only integer, "
    "safe integer) RETURNS text LANGUAGE plpgsql AS $$ "
    "DECLARE before text := current_setting('datestyle'); result text; two text[]; BEGIN "
    # (blank text is SQL Server's day 0)
    "IF btrim(x) = '' THEN RETURN CASE WHEN date_only = 1 THEN '1900-01-01' "
    "ELSE '1900-01-01 00:00:00' END; END IF; "
    # (a year in two digits, after the day and month or as yymmdd, by SQL Server's cutoff,
    # 2049: '50' is 1950, where PostgreSQL's own reading gave 2050)
    "IF left(date_order, 1) <> 'y' THEN two := regexp_match(x, "
    "'^(\\s*[0-9]{1,2}([-/.])[0-9]{1,2}\\2)([0-9]{2})(\\s.*)?$'); "
    "IF two IS NOT NULL THEN x := two[1] || CASE WHEN two[3]::int <= 49 THEN '20' ELSE '19' "
    "END || two[3] || coalesce(two[4], ''); END IF; "
    "ELSE two := regexp_match(x, '^\\s*([0-9]{2})([-/.][0-9]{1,2}[-/.][0-9]{1,2}(\\s.*)?)$'); "
    "IF two IS NOT NULL THEN x := CASE WHEN two[1]::int <= 49 THEN '20' ELSE '19' END "
    "|| two[1] || two[2]; END IF; END IF; "
    "two := regexp_match(x, '^\\s*([0-9]{2})([0-9]{4})\\s*$'); "
    "IF two IS NOT NULL THEN x := CASE WHEN two[1]::int <= 49 THEN '20' ELSE '19' END "
    "|| two[1] || two[2]; END IF; "
    "PERFORM set_config('datestyle', CASE left(date_order, 1) WHEN 'd' THEN 'ISO, DMY' "
    "WHEN 'y' THEN 'ISO, YMD' ELSE 'ISO, MDY' END, true); "
    "BEGIN result := CASE WHEN date_only = 1 THEN x::date::text ELSE x::timestamp::text END; "
    "EXCEPTION WHEN others THEN PERFORM set_config('datestyle', before, true); "
    "IF safe = 1 THEN RETURN NULL; END IF; "
    f"RAISE EXCEPTION '{date_texts.DATE_FAILED}'; END; "
    "PERFORM set_config('datestyle', before, true); RETURN result; END $$",
)
"""``pg_temp.leo_read_date(x, date_order, date_only, safe)``: text read as a date (or a date
and time) by PostgreSQL's own reading (``'20150131'``, ``'1 Jan 2015'``), its day, month and
year in the order of the session's ``DATEFORMAT`` (PostgreSQL's ``DateStyle`` for the
call, a two-digit year after them by SQL Server's cutoff), in ISO form (blank text
1900-01-01, SQL Server's day 0); where that fails NULL
(``safe``: a ``TRY_CAST``), or SQL Server's error 241."""


def _is_date_test(value: exp.Expression, kinds: ColumnKinds) -> exp.Expression:
    """``ISDATE(value)``: 1 where ``TRY_CAST(value AS DATETIME)`` reads a date and time, as
    SQL Server reads it (``'01/31/2015'`` by the session's ``DATEFORMAT``, ``'20150131'``,
    ``'31 Jan 2015'``; the targets' own reading found only ISO text), else 0: NULL, and
    blank text, which the cast reads as 1900-01-01."""
    tried = exp.TryCast(this=value.copy(), to=exp.DataType.build("DATETIME"))
    # (a DATETIME starts in 1753: ISDATE('1752-12-31') is 0)
    tests = [exp.Is(this=tried, expression=exp.Null()),
             exp.LT(this=exp.Year(this=tried.copy()), expression=exp.Literal.number(1753))]
    if is_text(value, kinds.texts):
        tests.append(exp.EQ(this=exp.Trim(this=value.copy()), expression=exp.Literal.string("")))
    return exp.Case(ifs=[exp.If(this=test, true=exp.Literal.number(0)) for test in tests],
                    default=exp.Literal.number(1))


def for_target(tree: exp.Expression, kinds: ColumnKinds, order: str, dialect: str,
               line: int) -> tuple[exp.Expression, bool]:
    """The tree with each cast to a date type converting as SQL Server's does (``order``:
    the session's ``DATEFORMAT``; ``line``: the statement's), and whether it calls
    PostgreSQL's session function (:data:`POSTGRES_SETUP`)."""
    postgres_function = False
    for node in list(tree.find_all(exp.Anonymous)):
        if node.name.upper() == "ISDATE" and len(node.expressions) == 1:
            node.replace(_is_date_test(node.expressions[0], kinds))
    for node in list(tree.find_all(exp.Cast, exp.Convert)):
        parts = cast_parts(node)
        if parts is None:
            continue
        value, to = parts
        if not to.is_type(*DATE_TYPES):
            continue
        refused = _NO_INTEGERS.get(to.this)
        if refused and is_integer(value, kinds.integers):  # (TRY_CAST too: SQL Server
            # refuses the conversion itself, whatever its style: CONVERT(DATE, 20150406, 112))
            raise ScriptError(line, date_texts.not_allowed("int", refused))
        if node.args.get("style"):
            continue
        date_only = int(to.is_type(exp.DataType.Type.DATE))
        days = literal_days(value)
        if days is not None:  # CAST(0 AS DATETIME) (PostgreSQL and DuckDB refused the number)
            try:
                node.set(value_slot(node), exp.Literal.string(date_texts.day_number(days)))
            except date_texts.DayNumberOverflow as overflow:
                if not is_safe(node):
                    raise ScriptError(line, str(overflow)) from None
                node.replace(exp.Null())  # (TRY_CAST: NULL)
        elif isinstance(value, exp.Literal) and value.is_string and is_safe(node):
            # TRY_CAST('20150131' AS DATE), '1 Jan 2015': read here (the targets read ISO)
            text = date_texts.iso(value.name, bool(date_only), order,
                                  to.this in OLD_DATETIME_TYPES)
            node.set(value_slot(node), exp.Literal.string(text) if text else exp.Null())
        elif not _is_date(value, kinds) if dialect == "sqlite" else is_text(value, kinds.texts):
            postgres_function = postgres_function or dialect == "postgres"
            _read_by(node, to, reading(value, order, bool(date_only), is_safe(node), dialect))
    return tree, postgres_function


def reading(value: exp.Expression, order: str, date_only: bool, safe: bool, dialect: str
            ) -> exp.Expression:
    """``value`` read as a date (``date_only``) or a date and time, its day and month in
    ``order`` (``dmy``, ``mdy``, ...), as ISO text: by the run's function (SQLite, DuckDB) or
    the session's (PostgreSQL: :data:`POSTGRES_SETUP`); where it cannot be read NULL
    (``safe``) or SQL Server's error 241."""
    if dialect == "postgres":
        return exp.Anonymous(this="pg_temp.leo_read_date", expressions=[
            exp.cast(value.copy(), "TEXT"), exp.Literal.string(order),
            exp.Literal.number(int(date_only)), exp.Literal.number(int(safe))])
    return exp.Anonymous(this=DATE_READINGS[bool(safe)], expressions=[
        value.copy(), exp.Literal.string(order), exp.Literal.number(int(date_only))])


def _read_by(node: exp.Expression, to: exp.DataType, reading: exp.Expression) -> None:
    """The cast ``node`` made to take its value from ``reading`` (a run's function giving ISO
    text, or NULL where a ``TRY_CAST`` gives NULL): a ``TRY_CAST`` becomes a plain cast, since
    the function has tried already (the target's ``TRY_CAST`` would read its text again)."""
    if is_safe(node):
        node.replace(exp.Cast(this=reading, to=to.copy()))
    else:
        node.set(value_slot(node), reading)
