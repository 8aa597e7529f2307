"""Text compared with a number, as SQL Server compares them: as numbers.

Many codes of the extract are text (``NCyearActual_spr11`` holds ``'11'``, ``'R'``, ``'X'``),
and scripts compare them with numbers: ``WHERE NCyearActual_spr11 = 11``. SQL Server converts
the text to the number's type (a row holding ``'R'`` then stops the query, as it does here);
PostgreSQL and DuckDB refuse to compare text with an integer at all ("operator does not
exist: character varying = integer"), and SQLite compares them as text (``'9' > '10'``, so
``BETWEEN 9 AND 10`` matched nothing). So a column that holds text wherever the script met
it, compared (``=``, ``<>``, ``<``, ``>``, ``<=``, ``>=``, ``IN``, ``BETWEEN``) with numbers
only, is converted to the numbers' type: cast on PostgreSQL and DuckDB, on SQLite by a
function that stops the query with SQL Server's message for text that is not a number
(SQLite's ``CAST('R' AS INTEGER)`` is 0). The other way round, an integer column compared
with a string literal that is no integer (``WHERE TaxYear = '2017-18'``) stops the script
with SQL Server's message, where SQLite found no row. And ``+`` between a string literal and a
number adds, as SQL Server converts the text to the number's type (``1 + '1'`` is 2): text
that is no number stops the script there (``'Cohort ' + @year`` with an INT ``@year`` fails
in the SRS, so it fails here, rather than joining the two as text). A string literal in
``ISNULL``, ``COALESCE`` or ``NULLIF`` with an integer is converted to an integer (``''`` is
0), as SQL Server converts it, and one with a float or decimal to a number. So is a binary
literal compared with an integer (``ukprn_anon <> 0x`` is ``<> 0``), and a string literal
holding an integer compared with an integer expression (``HAVING COUNT(*) > '1'``), and
``LAG``'s and ``LEAD``'s default, converted to their value's type.
"""

from __future__ import annotations

import decimal
import re

from sqlglot import exp

from leo_synth.tsql.error_messages import conversion_failed, not_converted
from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.integer_average import is_integer
from leo_synth.tsql.integer_casts import ColumnKinds, is_number, source, unicode_integer
from leo_synth.tsql.integer_overflow import int_valued
from leo_synth.tsql.rewrites import is_assignment, is_text
from leo_synth.tsql.sqlite_functions import DECIMAL, INTEGER, zero_integer
from leo_synth.tsql.text_bounds import raised
from leo_synth.tsql.try_conversions import no_digits

COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)
NUMBER = re.compile(r"\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)\s*")
DECIMAL_LITERAL = re.compile(r"[-+]?[0-9]*\.[0-9]*")
"""A number literal with a point (no exponent: a float's conversion rounds, not cuts)."""


def _is_text(node: exp.Expression, texts: dict[str, bool]) -> bool:
    """A text column, or text a function or cast makes (``LEFT(AcademicYear, 4) = 2014``
    compares numbers in SQL Server; SQLite compared text, PostgreSQL refused)."""
    return not isinstance(node, exp.Literal) and is_text(node, texts)


def integer_type(numbers: list[exp.Expression], ints: dict[str, bool]) -> exp.DataType:
    """The type SQL Server converts text to beside the integers ``numbers``: INT when every
    one is an ``int``, else BIGINT (a ``BIGINT`` id compared with the same id kept as text
    matches, where converting the text to INT overflowed)."""
    return exp.DataType.build("INT" if all(int_valued(n, ints) for n in numbers) else "BIGINT")


def _numeric_type(others: list[exp.Expression], integers: dict[str, bool],
                  ints: dict[str, bool]) -> exp.DataType | None:
    """:func:`integer_type` when every one of ``others`` is an integer, FLOAT when each is a
    number literal or an integer; None when any is not known to be a number."""
    if all(is_integer(o, integers) for o in others):
        return integer_type(others, ints)
    if all(is_integer(o, integers) or (isinstance(o, exp.Literal) and not o.is_string)
           or (isinstance(o, exp.Neg) and isinstance(o.this, exp.Literal)) for o in others):
        return exp.DataType.build("FLOAT")
    return None


def as_number(text: exp.Expression, to: exp.DataType, dialect: str,
              unicode: bool = False) -> exp.Expression:
    """``text`` converted to the number type ``to`` as SQL Server converts it (blank text is
    0; on SQLite, text that is no number stops the query with SQL Server's message, which
    names ``nvarchar`` for ``unicode`` text converted to ``INT``, as on the others)."""
    if dialect != "sqlite":  # ('' is 0 in T-SQL, '-' an integer's 0; PostgreSQL would stop)
        blank = no_digits(text) if to.is_type(*exp.DataType.INTEGER_TYPES) else exp.EQ(
            this=exp.Trim(this=text.copy()), expression=exp.Literal.string(""))
        converted = unicode_integer(text, dialect) if unicode and to.is_type(
            exp.DataType.Type.INT) else exp.cast(text.copy(), to)
        return exp.Case(ifs=[exp.If(this=blank, true=exp.Literal.number(0))],
                        default=converted)
    if to.is_type(exp.DataType.Type.INT, exp.DataType.Type.BIGINT):  # (the message names it)
        return exp.Anonymous(this="LEO_TO_INTEGER", expressions=[
            text.copy(), exp.Literal.string(to.this.value.lower()),
            exp.Literal.string("nvarchar" if unicode else "varchar")])
    return exp.Anonymous(this="LEO_TO_NUMBER", expressions=[text.copy()])


def _text_default(node: exp.Coalesce, texts: dict[str, bool]) -> None:
    """``ISNULL(text, 0)``: ISNULL gives its first argument's type, so the 0 is ``'0'``
    (PostgreSQL and DuckDB would not mix text and a number, SQLite would give the number).
    ``COALESCE`` takes the type of highest precedence instead, which converts the text."""
    if not node.args.get("is_null") or not _is_text(node.this, texts):
        return
    for value in node.expressions:
        if isinstance(value, exp.Literal) and not value.is_string:
            value.replace(exp.Literal.string(value.this))


def _text_beside_integers(node: exp.Coalesce, texts: dict[str, bool],
                          integers: dict[str, bool], ints: dict[str, bool],
                          dialect: str) -> None:
    """``COALESCE(code, n)`` of a text column (or function) and an integer one: the
    integer's type, of higher precedence, so the text is converted to it, as SQL Server
    converts it (PostgreSQL and DuckDB would not mix them; SQLite gave the text)."""
    if node.args.get("is_null"):
        return
    values = [node.this, *node.expressions]
    numbers = [v for v in values if is_integer(v, integers)]
    if not numbers:
        return
    to = integer_type(numbers, ints)
    for value in values:
        if _is_text(value, texts):
            value.replace(as_number(value.copy(), to, dialect))


def _isnull_beside_integers(node: exp.Coalesce, texts: dict[str, bool],
                           integers: dict[str, bool], ints: dict[str, bool],
                           dialect: str) -> None:
    """``ISNULL(KS2_READLEV, KS1_READING)`` of an integer and a text column (or function): the
    first argument's type, as ``ISNULL`` takes it, so the text is converted to the integer
    (``'3'`` is 3; ``'2A'`` stops the query with SQL Server's message), and ``ISNULL(
    KS1_READING, KS2_READLEV)`` the other way, the integer written as text; PostgreSQL and
    DuckDB would not mix them, SQLite gave either value as it was."""
    if not node.args.get("is_null") or len(node.expressions) != 1:
        return
    first, second = node.this, node.expressions[0]
    if isinstance(first, exp.Literal) or isinstance(second, exp.Literal):
        return  # (literals: _text_default, _integer_default)
    if is_integer(first, integers) and _is_text(second, texts):
        second.replace(as_number(second.copy(), integer_type([first], ints), dialect))
    elif _is_text(first, texts) and is_integer(second, integers):
        second.replace(exp.cast(second.copy(), exp.DataType.build("VARCHAR")))


def _conversion_failed(line: int, text: str, kind: str, why: str = "",
                       text_type: str = "varchar") -> ScriptError:
    """SQL Server's error for text (of ``text_type``) that does not convert to a number of
    type ``kind``."""
    said = conversion_failed(text, kind, text_type)
    return ScriptError(line, f"{said} ({why})" if why else said, runtime=True, said=said)


def _integer_default(node: exp.Coalesce | exp.Nullif, integers: dict[str, bool],
                     line: int) -> None:
    """``ISNULL(int, '')``, ``COALESCE(int, '')`` and ``NULLIF(int, '')``: the text is
    converted to the integer's type, as SQL Server converts it (``''`` is 0), where
    PostgreSQL and DuckDB stopped and SQLite gave the text. ``ISNULL(n, 1.5)`` is an ``int``
    too, its first argument's type: the number is cut to ``1``, where every target gave
    ``1.5`` (``COALESCE`` takes the decimal's type, as SQL Server does)."""
    if not is_integer(node.this, integers):
        return
    values = node.expressions if isinstance(node, exp.Coalesce) else [node.expression]
    for value in values:
        if (isinstance(value, exp.Literal) and not value.is_string and node.args.get("is_null")
                and DECIMAL_LITERAL.fullmatch(value.name)):
            value.replace(exp.Literal.number(int(decimal.Decimal(value.name))))
            continue
        if not (isinstance(value, exp.Literal) and value.is_string):
            continue
        if zero_integer(value.name):
            value.replace(exp.Literal.number(0))
            continue
        if not INTEGER.fullmatch(value.name):
            raise _conversion_failed(line, value.name, "int")
        value.replace(exp.Literal.number(int(value.name.strip())))


def _number_default(node: exp.Coalesce, kinds: ColumnKinds, line: int) -> None:
    """``ISNULL(float, '')`` and ``COALESCE(float, 'n/a')``: the text is converted to the
    number's type as SQL Server converts it (``''`` is 0; text that is no number stops the
    statement with error 8114), where DuckDB and PostgreSQL stopped at any text and SQLite
    gave the text (integers: ``_integer_default``)."""
    first = node.this
    if is_integer(first, kinds.integers) or not is_number(first, kinds) or (
            isinstance(first, exp.Literal)):
        return
    decimal_column = isinstance(first, exp.Column) and kinds.decimals.get(first.name.lower())
    for value in node.expressions:
        if not (isinstance(value, exp.Literal) and value.is_string):
            continue
        if value.name.strip() and not NUMBER.fullmatch(value.name):
            said = not_converted("numeric" if decimal_column else "float")
            raise ScriptError(line, said, runtime=True, said=said)
        value.replace(exp.Literal.number(value.name.strip() or 0))


def _offset_default(node: exp.Lag | exp.Lead, integers: dict[str, bool], kinds: ColumnKinds,
                    line: int) -> None:
    """``LAG(Earnings, 1, 'none')``, ``LEAD(Earnings, 1, 0.5)``: the default has the value's
    type, as SQL Server gives ``LAG`` and ``LEAD`` their value's type, converted as
    ``ISNULL``'s second argument is (text that is no number stops the query, a decimal is cut
    to an integer: 0), where SQLite gave ``'none'`` and ``0.5``, PostgreSQL ``0.5`` and DuckDB
    rounded to 1."""
    default = node.args.get("default")
    if default is None:
        return
    held = exp.Coalesce(this=node.this.copy(), expressions=[default.copy()], is_null=True)
    _integer_default(held, integers, line)
    _number_default(held, kinds, line)
    node.set("default", held.expressions[0])


def _check_integer_text(node: exp.Expression, integers: dict[str, bool], ints: dict[str, bool],
                        line: int) -> None:
    """An integer column compared with a string literal that is no integer stops the
    statement, as SQL Server's conversion of the literal does (also a simple ``CASE``'s:
    ``CASE FSMeligible_spr11 WHEN 'true' ...``, which SQLite took for no match); the message
    names ``bigint`` for a column wider than an ``int`` (``AE_ID``)."""
    for column, value in _compared_pairs(node):
        if (isinstance(column, exp.Column) and integers.get(column.name.lower(), False)
                and isinstance(value, exp.Literal) and value.is_string
                and not INTEGER.fullmatch(value.name) and not zero_integer(value.name)):
            kind = "int" if ints.get(column.name.lower(), False) else "bigint"
            raise _conversion_failed(line, value.name, kind, f"{column.name} holds integers")


def _text_with_number(node: exp.Expression, texts: dict[str, bool],
                      integers: dict[str, bool], dialect: str, line: int) -> bool:
    """``'1' + 1`` as an addition (the literal made a number); ``'a' + 1`` stops; a text
    column or function added to a number converted to the number's type
    (``LEFT(KS4_ACADYR, 4) + 1`` is the next year, not ``'20151'``); the same for ``-``,
    ``*``, ``/`` and ``%`` (``2020 - Year`` of ILR's text ``Year``), which PostgreSQL and
    DuckDB refused between text and a number. ``NVARCHAR`` text (``integer_casts.mark_unicode``)
    that is no number stops with error 245 naming ``nvarchar``. Whether PostgreSQL's session
    function that raises is called."""
    unicode = source(node) == "nvarchar"
    for text_side, number_side in (("this", "expression"), ("expression", "this")):
        text, number = node.args.get(text_side), node.args.get(number_side)
        if text is None or number is None:
            continue
        if is_integer(number, integers):
            kind, pattern = "int", INTEGER
        elif isinstance(number, exp.Literal) and not number.is_string:
            kind, pattern = "numeric", NUMBER
        else:
            continue
        if not (isinstance(text, exp.Literal) and text.is_string):
            if is_text(text, texts):
                to = exp.DataType.build("INT" if kind == "int" else "FLOAT")
                node.set(text_side, as_number(text, to, dialect, unicode))
                return unicode and kind == "int" and dialect == "postgres"
            continue
        if kind == "int" and zero_integer(text.name):
            node.set(text_side, exp.Literal.number(0))  # (blank text, or '-', is 0 as an int)
            return False
        if not pattern.fullmatch(text.name):
            raise _conversion_failed(line, text.name, kind, (
                "+ between text and a number adds in SQL Server: CAST the number AS VARCHAR "
                "to join them") if isinstance(node, exp.Add) else "",
                "nvarchar" if unicode else "varchar")
        node.set(text_side, exp.Literal.number(text.name.strip()))
        return False
    return False


def _compared_pairs(node: exp.Expression) -> list[tuple[exp.Expression, exp.Expression]]:
    """The (subject, value) pairs a comparison, ``IN``, ``BETWEEN`` or simple ``CASE``
    compares, each way round for a comparison."""
    if isinstance(node, exp.In):
        return [(node.this, v) for v in node.expressions]
    if isinstance(node, exp.Case):
        return [(node.this, arm.this) for arm in node.args.get("ifs") or []]
    if isinstance(node, exp.Between):
        return [(node.this, node.args["low"]), (node.this, node.args["high"])]
    return [(node.this, node.expression), (node.expression, node.this)]


def _integer_texts(node: exp.Expression, integers: dict[str, bool]) -> None:
    """A string literal holding an integer compared with an integer expression is that
    integer, as SQL Server converts it: ``HAVING COUNT(*) > '1'``, ``LEN(pmr) = '18'``,
    ``YEAR(d) - 2000 > '15'`` (SQLite, which ranks every number below every text unless a
    column's type converts it, found no row); blank text is 0 (``WHERE FSMeligible_spr14 =
    ''`` finds the pupils not eligible, where SQLite found none and DuckDB stopped)."""
    for subject, value in _compared_pairs(node):
        if (isinstance(value, exp.Literal) and value.is_string
                and (INTEGER.fullmatch(value.name) or zero_integer(value.name))
                and is_integer(subject, integers)):
            value.replace(exp.Literal.number(
                int(value.name) if INTEGER.fullmatch(value.name) else 0))


def _binary_as_integer(node: exp.Expression, integers: dict[str, bool]) -> None:
    """A binary literal compared with an integer is that integer, as SQL Server converts it:
    ``ukprn_anon <> 0x`` (FFT's test for a blank binary id) is ``ukprn_anon <> 0``."""
    if isinstance(node, exp.In):
        pairs = [(node.this, node.expressions)]
    elif isinstance(node, exp.Between):
        pairs = [(node.this, [node.args["low"], node.args["high"]])]
    else:
        pairs = [(node.this, [node.expression]), (node.expression, [node.this])]
    for subject, values in pairs:
        if is_integer(subject, integers):
            for value in values:
                if isinstance(value, exp.HexString):
                    value.replace(exp.Literal.number(int(value.name or "0", 16)))


def _is_decimal(node: exp.Expression, kinds: ColumnKinds) -> bool:
    """Whether ``node`` is a decimal for certain: a literal with a point and no exponent, a
    cast to ``DECIMAL``/``NUMERIC`` or a column of the script's tables declared one."""
    if isinstance(node, exp.Literal):
        return not node.is_string and DECIMAL_LITERAL.fullmatch(node.name) is not None
    if isinstance(node, exp.Cast | exp.TryCast):
        return node.to.is_type(exp.DataType.Type.DECIMAL)
    return isinstance(node, exp.Column) and kinds.decimals.get(node.name.lower()) is not None


def _case_arms(node: exp.Expression, texts: dict[str, bool], integers: dict[str, bool],
               dialect: str, kinds: ColumnKinds) -> bool:
    """A CASE whose results mix numbers and text gives the numbers' type, as SQL Server's
    CASE gives its arms' type of highest precedence: a text arm is converted when it is
    chosen (``CASE WHEN KS4_ATT8 IS NULL THEN 'missing' ELSE KS4_ATT8 END`` stops at the
    first row it is chosen for; ``ELSE ''`` is 0). SQLite gave the text as it is;
    PostgreSQL, which reads a literal beside an integer as one when it plans the query,
    stopped even when no row chose it, and DuckDB refused text beside a decimal. So a
    literal that is no number stops the query by the target's own means when it is chosen
    (SQLite's conversion function). ``CHOOSE(i, 'None', 1, 2)`` is typed as its values are
    (SQLite gave ``'None'`` and DuckDB refused to mix them). Returns whether PostgreSQL's
    session function is called (``text_bounds.POSTGRES_SETUP``)."""
    if isinstance(node, exp.Case):
        results = [arm.args["true"] for arm in node.args.get("ifs") or []]
        if node.args.get("default") is not None:
            results.append(node.args["default"])
    else:  # CHOOSE(index, value, ...)
        results = list(node.expressions[1:])
    numbers = [r for r in results if not _is_text(r, texts) and is_number(r, kinds)]
    if not numbers:
        return False
    to = exp.DataType.build("INT" if all(is_integer(r, integers) for r in numbers)
                            else "FLOAT")
    pattern = INTEGER if to.is_type(exp.DataType.Type.INT) else NUMBER
    decimal = pattern is NUMBER and all(
        is_integer(r, integers) or _is_decimal(r, kinds) for r in numbers)
    raising = False
    for result in results:
        if decimal and isinstance(result, exp.Literal) and result.is_string and not (
                result.name.strip() and DECIMAL.fullmatch(result.name)):
            # ('' and '1e3' are no numeric: CASE WHEN ... THEN '' ELSE 2.5 END stops)
            result.replace(raised(not_converted("numeric"), dialect))
            raising = raising or dialect == "postgres"
        elif isinstance(result, exp.Literal) and result.is_string:
            if not result.name.strip() or pattern.fullmatch(result.name):
                result.replace(exp.Literal.number(result.name.strip() or "0"))
            elif dialect == "sqlite":  # (converted, so stopped, only when it is chosen)
                result.replace(as_number(result.copy(), to, dialect))
            else:
                said = (conversion_failed(result.name, "int") if pattern is INTEGER
                        else not_converted("float"))
                result.replace(raised(said, dialect))
                raising = dialect == "postgres"
        elif _is_text(result, texts):
            result.replace(as_number(result.copy(), to, dialect))
    return raising


def for_target(tree: exp.Expression, texts: dict[str, bool], integers: dict[str, bool],
               dialect: str, line: int, kinds: ColumnKinds) -> tuple[exp.Expression, bool]:
    """The tree with each text column compared with numbers cast to their type, each
    string literal added to a number made a number, and a CASE's text results made its
    numbers' type (``kinds``: what is known of the columns, for a CASE's numbers); and
    whether PostgreSQL's session function that raises is called
    (``text_bounds.POSTGRES_SETUP``)."""
    raising = False
    for case in list(tree.find_all(exp.Case, exp.Anonymous)):
        if isinstance(case, exp.Anonymous):
            if case.name.upper() == "CHOOSE" and len(case.expressions) > 1:
                raising = _case_arms(case, texts, integers, dialect, kinds) or raising
            continue
        if case.this is not None:
            _check_integer_text(case, integers, kinds.ints, line)
            _integer_texts(case, integers)
        raising = _case_arms(case, texts, integers, dialect, kinds) or raising
    for node in list(tree.find_all(exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod)):
        raising = _text_with_number(node, texts, integers, dialect, line) or raising
    for node in list(tree.find_all(exp.Coalesce, exp.Nullif)):
        if isinstance(node, exp.Coalesce):
            _text_default(node, texts)
            _text_beside_integers(node, texts, integers, kinds.ints, dialect)
            _isnull_beside_integers(node, texts, integers, kinds.ints, dialect)
            _number_default(node, kinds, line)
        _integer_default(node, integers, line)
    for node in list(tree.find_all(exp.Lag, exp.Lead)):
        _offset_default(node, integers, kinds, line)
    for node in list(tree.find_all(*COMPARISONS, exp.In, exp.Between)):
        _binary_as_integer(node, integers)
        _check_integer_text(node, integers, kinds.ints, line)
        if is_assignment(node):
            continue  # SET code = 11: SQL Server writes the number as text
        _integer_texts(node, integers)
        if isinstance(node, exp.In):
            if node.args.get("query") is not None:
                continue
            pairs = [("this", node.expressions)]
        elif isinstance(node, exp.Between):
            pairs = [("this", [node.args["low"], node.args["high"]])]
        else:
            pairs = [("this", [node.expression]), ("expression", [node.this])]
        for side, others in pairs:
            text = node.args.get(side)
            if text is None or not _is_text(text, texts):
                continue
            to = _numeric_type(others, integers, kinds.ints)
            if to is not None:
                node.set(side, as_number(text, to, dialect))
            break
    return tree, raising
