"""Joining text across rows as T-SQL scripts do, on every target.

- ``STUFF((SELECT ',' + x FROM ... ORDER BY x FOR XML PATH('')), 1, 1, '')``, the idiom
  from before SQL Server 2017: the subquery is ``STRING_AGG`` of its one column (in its
  ``ORDER BY``, separator ''), and ``STUFF`` cuts the leading comma as on SQL Server. (SQL Server
  would also escape ``&``, ``<`` and ``>`` as XML; the extract's codes have none.) With
  ``FOR XML PATH(''), TYPE).value('.', 'NVARCHAR(MAX)')``, the XML read back as text, the
  same.
- ``STUFF(text, start, length, insert)`` itself, which SQLite and PostgreSQL lack; NULL
  for a start before the first character or past the last, or a negative length, and a
  NULL ``insert`` inserting nothing, as SQL Server's documentation says (the targets
  inserted at the start or the end, or gave NULL).
- ``STRING_AGG(x, ',') WITHIN GROUP (ORDER BY k)``: SQLite before 3.44 takes no ORDER BY in
  an aggregate, so there it is ``LEO_STRING_AGG(x, ',', k, descending, ...)``, an aggregate in
  Python that sorts what it gathered (``sqlite_functions``). PostgreSQL joins only text:
  numbers are cast to it, as SQL Server converts them.
- ``STRING_AGG(Earnings / 12.0, '; ')`` of a number joins its text as SQL Server writes it, an
  ``NVARCHAR(4000)`` (:func:`numbers_as_text`): a decimal with its places (``889.000000``), a
  float in six digits (``1918.43``); SQLite joined ``889`` and ``1918.42857142857``,
  PostgreSQL ``889.0000000000000000``, DuckDB ``889.0``.
- ``STRING_AGG`` of a value that is not of a ``MAX`` type stops past 8,000 characters, as SQL
  Server stops it (error 9829, "STRING_AGG aggregation result exceeded the limit of 8000
  bytes. Use LOB types to avoid result truncation."): a list of every key of a relation ran
  here and stopped in the SRS, which wants ``STRING_AGG(CAST(x AS VARCHAR(MAX)), ',')``.
  (An ``NVARCHAR``'s limit there is 4,000 characters; 8,000 is taken for every type, so no
  script stops here that runs there.)
"""

from __future__ import annotations

from sqlglot import exp

from leo_synth.tsql import rewrites
from leo_synth.tsql.integer_casts import ColumnKinds, is_number
from leo_synth.tsql.sqlite_functions import ORDERED_STRING_AGG
from leo_synth.tsql.text_bounds import literal_number, raised
from leo_synth.tsql.value_rewrites import TEXT_TYPES, cast_parts, is_max

TEXT = exp.DataType.build("VARCHAR")
PART = "leo_part"
"""The column a DISTINCT FOR XML subquery's values are joined from."""


LIMIT = 8000
"""The bytes ``STRING_AGG`` of a type other than ``MAX`` may join in SQL Server."""
EXCEEDED = (f"STRING_AGG aggregation result exceeded the limit of {LIMIT} bytes. Use LOB "
            f"types to avoid result truncation.")
"""SQL Server's error 9829."""


def for_target(tree: exp.Expression, dialect: str) -> tuple[exp.Expression, bool]:
    """The tree with the idioms above written for ``dialect`` (innermost first); whether a
    ``STRING_AGG`` is limited (PostgreSQL then needs ``text_bounds.POSTGRES_SETUP``)."""
    limited: list[bool] = []

    def rewrite(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.GroupConcat):
            unlimited = _of_max_type(node)  # (before PostgreSQL's cast of the value to text)
            joined = _string_agg(node, dialect)
            if unlimited:
                return joined
            limited.append(True)
            too_long = exp.GT(this=exp.Length(this=joined.copy()),
                              expression=exp.Literal.number(LIMIT))
            failure = raised(EXCEEDED, dialect)  # (PostgreSQL's is an integer: made text)
            # (copies: ``joined`` may be the node itself, still in its place until replaced)
            return exp.Case(ifs=[exp.If(this=too_long, true=exp.cast(failure, "TEXT") if (
                dialect == "postgres") else failure)], default=joined.copy())
        return _rewrite(node, dialect)

    return rewrites.bottom_up(tree, rewrite), bool(limited)


def numbers_as_text(tree: exp.Expression, kinds: ColumnKinds) -> exp.Expression:
    """The tree with each ``STRING_AGG`` of a number for certain (``kinds``: what is known of
    the columns) joining the number cast to ``NVARCHAR(4000)``, SQL Server's type of such a
    ``STRING_AGG``, which the passes for decimals' and floats' text then write as it does."""
    for node in list(tree.find_all(exp.GroupConcat)):
        holder = node.this if isinstance(node.this, exp.Order) else node
        value = holder.this
        if isinstance(value, exp.Expression) and is_number(value, kinds):
            holder.set("this", exp.cast(value.copy(), exp.DataType.build(
                "NVARCHAR(4000)", dialect="tsql")))
    return tree


def read_back(tree: exp.Expression) -> exp.Expression:
    """A copy of the tree with each ``(SELECT ... FOR XML PATH(''), TYPE).value('.',
    'NVARCHAR(MAX)')`` as its subquery, before any other pass reads the statement: the XML
    read back as text is what the subquery gives here."""
    return tree.transform(lambda node: node.this if _xml_value(node) else node)


def _of_max_type(node: exp.GroupConcat) -> bool:
    """Whether ``STRING_AGG``'s value is cast or converted to a ``MAX`` type."""
    parts = cast_parts(node.this.this if isinstance(node.this, exp.Order) else node.this)
    return parts is not None and parts[1].this in TEXT_TYPES and is_max(parts[1])


def _rewrite(node: exp.Expression, dialect: str) -> exp.Expression:
    if isinstance(node, exp.Select) and joins_text(node):
        return _joined(node, dialect)
    if isinstance(node, exp.Stuff):
        return _stuff(node)
    return node


XML_HEADING = "XML_F52E2B61-18A1-11d1-B105-00805F49916B"
"""The heading SQL Server gives the outermost ``SELECT ... FOR XML``'s one column."""


def joins_text(select: exp.Select) -> bool:
    """``SELECT <one expression> ... FOR XML PATH('')``."""
    clause = select.args.get("for_")
    if not isinstance(clause, exp.ForClause) or str(clause.args.get("kind", "")).upper() != "XML":
        return False
    options = [o.this for o in clause.expressions if isinstance(o, exp.QueryOption)]
    if len(options) == 2 and isinstance(options[1], exp.Var) and options[1].name.upper() == (
            "TYPE"):
        options = options[:1]  # (FOR XML PATH(''), TYPE: read back by .value(), below)
    return (len(options) == 1 and isinstance(options[0], exp.XMLKeyValueOption)
            and options[0].this.name.upper() == "PATH"
            and isinstance(options[0].expression, exp.Literal)
            and options[0].expression.name == "" and len(select.selects) == 1)


def _xml_value(node: exp.Expression) -> bool:
    """``(SELECT ... FOR XML PATH(''), TYPE).value('.', 'NVARCHAR(MAX)')``: the XML the
    subquery made, read back as text (its ``&amp;`` unescaped), which is what the subquery
    gives here already."""
    return (isinstance(node, exp.Dot) and isinstance(node.this, exp.Subquery)
            and isinstance(node.expression, exp.Anonymous)
            and node.expression.name.lower() == "value"
            and len(node.expression.expressions) == 2)


def _joined(select: exp.Select, dialect: str) -> exp.Select:
    """The FOR XML PATH('') subquery as the STRING_AGG of its column, in its order. When it
    chooses its rows itself (DISTINCT, GROUP BY, TOP, OFFSET), they are chosen first, in a
    subquery of their own, and then joined: replacing its column by the aggregate would join
    every row (TOP 3 joined them all) or give a row per group."""
    joined = select.copy()
    value = joined.selects[0]
    if isinstance(value, exp.Alias):
        value = value.this
    order = joined.args.get("order")
    joined.set("for_", None)
    if not any(joined.args.get(k) for k in ("distinct", "group", "limit", "offset")):
        joined.set("order", None)
        this = (exp.Order(this=value.copy(), expressions=[o.copy() for o in order.expressions])
                if order is not None else value.copy())
        aggregate = exp.GroupConcat(this=this, separator=exp.Literal.string(""))
        joined.set("expressions", [_string_agg(aggregate, dialect)])
        return joined
    part = exp.column(PART)
    if joined.args.get("distinct"):  # (its ORDER BY can only be of the value itself)
        joined.set("expressions", [exp.alias_(value.copy(), PART)])
        desc = bool(order and order.expressions[0].args.get("desc"))
        keys = [exp.Ordered(this=part.copy(), desc=desc)]
    else:
        ordered = order.expressions if order is not None else []
        names = [f"{PART}_{i}" for i in range(len(ordered))]
        joined.set("expressions", [exp.alias_(value.copy(), PART)] + [
            exp.alias_(o.this.copy(), name) for o, name in zip(ordered, names, strict=True)])
        keys = [exp.Ordered(this=exp.column(name), desc=bool(o.args.get("desc")))
                for o, name in zip(ordered, names, strict=True)]
    this = exp.Order(this=part, expressions=keys) if keys else part
    aggregate = exp.GroupConcat(this=this, separator=exp.Literal.string(""))
    return exp.select(_string_agg(aggregate, dialect)).from_(
        exp.Subquery(this=joined, alias=exp.TableAlias(this=exp.to_identifier(PART))))


def _stuff(node: exp.Stuff) -> exp.Expression:
    """``STUFF(s, start, n, insert)``: s with n characters from ``start`` replaced (NULL
    where SQL Server gives NULL: :func:`_stuff_refusals`)."""
    text, start = node.this, node.args["start"]
    length, insert = node.args["length"], node.expression
    if not (isinstance(insert, exp.Literal) and insert.is_string):  # (NULL inserts nothing)
        insert = exp.Coalesce(this=insert.copy(), expressions=[exp.Literal.string("")])
    head = exp.Substring(this=text.copy(), start=exp.Literal.number(1),
                         length=exp.Sub(this=start.copy(), expression=exp.Literal.number(1)))
    tail = exp.Substring(this=text.copy(), start=exp.Add(this=start.copy(),
                                                          expression=length.copy()))
    stuffed = exp.DPipe(this=exp.DPipe(this=head, expression=insert.copy(), safe=True),
                        expression=tail, safe=True)
    refused = _stuff_refusals(text, start, length)
    if not refused:
        return stuffed
    return exp.Case(ifs=[exp.If(this=exp.or_(*refused), true=exp.Null())], default=stuffed)


def _stuff_refusals(text: exp.Expression, start: exp.Expression, length: exp.Expression
                    ) -> list[exp.Expression]:
    """When ``STUFF`` gives NULL: a start below 1 or past the text's last character (its
    length with trailing spaces: ``LENGTH``, not ``LEN``), a negative length; each left out
    where literals settle it. The idiom's ``STUFF((SELECT ... FOR XML PATH('')), 1, ...)``
    is not checked for empty text: its text is NULL or starts with the separator."""
    first = literal_number(start)
    refused: list[exp.Expression] = []
    if first is None or first < 1:
        refused.append(exp.LT(this=start.copy(), expression=exp.Literal.number(1)))
    if not (first == 1 and isinstance(text, exp.Subquery)):
        written = text.copy() if isinstance(text, exp.Literal) and text.is_string else (
            exp.cast(text.copy(), TEXT))  # (a number's text: STUFF(12345, 2, 1, 'x'))
        refused.append(exp.GT(this=start.copy(), expression=exp.Anonymous(
            this="LENGTH", expressions=[written])))
    count = literal_number(length)
    if count is None or count < 0:
        refused.append(exp.LT(this=length.copy(), expression=exp.Literal.number(0)))
    return refused


def _string_agg(node: exp.GroupConcat, dialect: str) -> exp.Expression:
    this = node.this
    order = this if isinstance(this, exp.Order) else None
    value = order.this if order is not None else this
    separator = node.args.get("separator") or exp.Literal.string(",")
    if dialect == "postgres" and not (isinstance(value, exp.Literal) and value.is_string):
        value = exp.cast(value.copy(), TEXT)
        if order is not None:
            order.set("this", value)
        else:
            node.set("this", value)
    if dialect != "sqlite" or order is None:
        return node
    keys: list[exp.Expression] = []
    for ordered in order.expressions:
        keys += [ordered.this.copy(), exp.Literal.number(int(bool(ordered.args.get("desc"))))]
    return exp.Anonymous(this=ORDERED_STRING_AGG,
                         expressions=[value.copy(), separator.copy(), *keys])
