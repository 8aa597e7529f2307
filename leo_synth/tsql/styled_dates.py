"""``CONVERT(DATE, text, style)`` reads the text in its style, or stops as SQL Server does.

SQL Server reads ``CONVERT(DATE, '31/01/2015', 103)`` by the style's order of day, month and
year (``'31-01-2015'`` and ISO ``'2015-01-31'`` too), and stops with error 241 at text it
cannot read ('abc', '31/02/2015'). Here SQLite's reading of such text gave NULL without an
error, and DuckDB and PostgreSQL stopped in their own words. So text (a string literal, a
text column or function) converted to a ``DATE`` in a style of day, month and year numbers
(103, 101, 104, 112, ...) is read as ``TRY_CONVERT`` reads it (``try_conversions``), and text
that is not in the style exactly is read as a cast reads text (``date_casts``' functions),
in the style's order of day and month: that reads what SQL Server reads, and stops with its
message at the rest (``TRY_CONVERT`` and ``TRY_PARSE``: NULL there; they gave NULL for
``'01-02-2015'`` and ISO text). A value that is a date already keeps the target's reading
(SQL Server ignores the style there).

The same goes for text converted to a ``DATETIME``, ``DATETIME2`` or ``SMALLDATETIME``
(``CONVERT(DATETIME, '01/04/2015', 103)``, the UK way to write one), whose time is read too;
ISO text with a time in styles 120, 121 and 126 is read as a cast reads it. SQLite had stopped
there ("no such function: STR_TO_TIME"), DuckDB and PostgreSQL gave a date, and PostgreSQL
read style 126's minutes as its month.

A style without the century (1 to 5, 10 to 12: ``'31/07/15'`` in style 3) reads text as its
century's style does (103): SQL Server reads the year in two digits or four in either, a
two-digit one by its cutoff (``'49'`` 2049, ``'50'`` 1950). SQLite had stopped ("no such
function: STR_TO_TIME"), DuckDB stopped at four digits and read two in no other way, and
PostgreSQL gave NULL.
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql import date_casts, date_formats, date_texts, integer_casts, try_conversions
from leo_synth.tsql.date_literals import DATE_TYPES, DATE_VALUES
from leo_synth.tsql.integer_casts import ColumnKinds
from leo_synth.tsql.rewrites import is_text

ISO_TIME_STYLES = ("20", "120", "21", "121", "126", "127")
"""``CONVERT``'s styles of ISO text with a time (``yyyy-mm-dd hh:mi:ss``, ``...T...``)."""
NAMED_MONTH_STYLES = ("0", "100", "9", "109", "6", "106", "7", "107", "13", "113")
"""``CONVERT``'s styles that write a month's name (``Dec 31 2019 10:15AM``, ``31 Dec 2019``),
whose text SQL Server reads as a cast reads it (``date_texts``' alphabetic forms, a full
month's name too); the targets read the style's own pattern alone (style 100's ``Dec 31
2019`` without its time was NULL on SQLite and stopped DuckDB)."""
TWO_DIGIT_YEAR_STYLES = ("1", "2", "3", "4", "5", "10", "11", "12")
"""``CONVERT``'s styles of a date in numbers with the year in two digits, each read as the
style 100 above it (3 as 103)."""


def for_target(tree: exp.Expression, kinds: ColumnKinds, dialect: str, order: str = "mdy"
               ) -> tuple[exp.Expression, bool]:
    """The tree with each such ``CONVERT`` read so (``order``: the session's
    ``DATEFORMAT``), and whether one calls PostgreSQL's session function
    (``date_casts.POSTGRES_SETUP``)."""
    postgres_function = False
    for node in list(tree.find_all(exp.Convert)):
        style, to, value = node.args.get("style"), node.this, node.expression
        if not (isinstance(style, exp.Literal) and isinstance(to, exp.DataType)
                and to.is_type(*DATE_TYPES)):
            continue
        if style.name in TWO_DIGIT_YEAR_STYLES:
            style = exp.Literal.number(int(style.name) + 100)
            node.set("style", style)
        if _dated(value, kinds):  # (the targets read the date as text in the style: NULL)
            node.set("style", None)
            continue
        if not is_text(value, kinds.texts) and (
                not isinstance(value, exp.Column) or integer_casts.is_number(value, kinds)):
            continue  # (a column met as text and as a date, its kind here unknown, is read so)
        if style.name in ISO_TIME_STYLES + NAMED_MONTH_STYLES:
            # (SQL Server reads ISO text and a month's name whatever the style; a literal is
            # read here, as PostgreSQL's own reading knows no 12-hour clock's milliseconds)
            text = date_texts.iso(value.name, to.is_type(exp.DataType.Type.DATE), order) if (
                isinstance(value, exp.Literal) and value.is_string) else None
            if text is not None:
                node.replace(exp.cast(exp.Literal.string(text), to.copy()))
                continue
            read = date_casts.reading(value, "ymd" if style.name in ISO_TIME_STYLES else order,
                                      to.is_type(exp.DataType.Type.DATE),
                                      bool(node.args.get("safe")), dialect)
            postgres_function = postgres_function or dialect == "postgres"
            node.replace(exp.cast(read, to.copy()))
            continue
        if not try_conversions.numeric_date_style(style.name):
            continue
        date_only = to.is_type(exp.DataType.Type.DATE)
        # (a date and time: its date read in the style, else the text with its time)
        tried = exp.Convert(this=exp.DataType.build("DATE"), expression=value.copy(),
                            style=style.copy(), safe=True)
        read = date_casts.reading(value, _order(date_formats.STYLES[style.name]), date_only,
                                  bool(node.args.get("safe")), dialect)
        postgres_function = postgres_function or dialect == "postgres"
        node.replace(exp.Case(
            ifs=[exp.If(this=exp.Is(this=value.copy(), expression=exp.Null()),
                        true=exp.Null())],
            default=exp.Coalesce(this=tried if date_only else exp.cast(tried, to.copy()),
                                 expressions=[exp.cast(read, to.copy())])))
    return tree, postgres_function


def _dated(value: exp.Expression, kinds: ColumnKinds) -> bool:
    """A date (or date and time) for certain: a column of them, a date function's value or a
    cast to a date type."""
    if isinstance(value, exp.Column):
        return value.name.lower() in kinds.dates
    to = value.args.get("to") if isinstance(value, exp.Cast | exp.TryCast) else (
        value.this if isinstance(value, exp.Convert) else None)
    return isinstance(value, DATE_VALUES) or (isinstance(to, exp.DataType)
                                              and to.is_type(*DATE_TYPES))


def _order(pattern: str) -> str:
    """A style's order of day, month and year (``%d/%m/%Y``: ``dmy``), as ``DATEFORMAT``
    gives it."""
    return "".join(code[1].lower() for code in sorted(
        ("%d", "%m", "%Y"), key=pattern.index))
