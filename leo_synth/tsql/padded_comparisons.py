"""Text compared as SQL Server compares it: trailing spaces do not count.

SQL Server pads the shorter of two strings with spaces before it compares them (``'abc' =
'abc  '`` is true, and so is ``'abc' >= 'abc '``), so a literal typed with trailing spaces (a
code copied from a fixed-width listing: ``WHERE KS4_ACADYR = '2018/2019 '``) finds the rows it
names in the SRS. SQLite, DuckDB and PostgreSQL's text compare every character: the same
script found no row, without an error. So a string literal with trailing spaces compared by
``=``, ``<>``, ``<``, ``<=``, ``>``, ``>=``, ``BETWEEN``, ``IN`` (a list, or a subquery's
rows), a simple ``CASE x WHEN`` or ``NULLIF`` loses them, and the text it is compared with
loses its own (``RTRIM``), so that a value built with trailing spaces (``CAST(x AS
CHAR(10))``) matches as well. The rejected alternative, trimming every compared value,
would cost the scans that the extract (which stores no trailing spaces) never needs. A
pattern's trailing spaces count in SQL Server's ``LIKE`` too, so they are kept; those of a
value matched are ignored for ``CHAR`` and ``VARCHAR`` (:func:`likes`).

A script's own tables may hold text with trailing spaces (``INSERT INTO #t VALUES ('abc  ')``),
which the same comparisons ignore in SQL Server, also between two columns (a ``JOIN`` on
text): such a value (``padded_values``) compared with text loses its trailing spaces too
(``RTRIM``; on SQLite, a temporary table's column joined so gets an index of its ``RTRIM``).
Two such values compared with each other (``#a.k = #b.k``, ``k IN (SELECT k FROM #b)``) are
compared ignoring case as well (``LOWER``), as the SRS's collation, ``Latin1_General_CI_AS``,
compares them (a literal's case is ``collation``'s): ``'abc'`` joins ``'ABC'``, unless a
collation written on either side keeps case (``_CS_``, ``_BIN``). A session's text compared
with the extract's keeps the target's case, so that the extract's indexes serve the join. A
scalar subquery of text (``k = (SELECT TOP 1 k2 FROM #b)``) is compared as its value.
``GROUP BY`` and ``DISTINCT`` are left as the targets compare them (``text_groups``).

``INTERSECT``, ``EXCEPT`` and ``UNION`` compare their rows as ``=`` does, so a #temp table's
``CHAR(20)`` PMR (stored with two trailing spaces, as SQL Server stores it) ``INTERSECT`` the
PMR lookup's keeps every pupil the lookup holds; the targets compared every character and kept
none (``EXCEPT`` kept all, ``UNION`` doubled them). A column of such a query whose values are
all text, one of which may end in spaces, loses its trailing spaces in every ``SELECT`` of it
(``RTRIM``, the column's name kept): its rows are then as SQL Server's, but for the trailing
spaces (of which SQL Server shows some of the rows alike but for them, which it does not
define). Case is kept, as in a ``UNION`` (``text_groups``).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from leo_synth.tsql.derived_columns import branch_selects
from leo_synth.tsql.padded_values import PaddedValues, Session
from leo_synth.tsql.rewrites import from_sources, is_assignment, is_text, replaced
from leo_synth.tsql.targets import quote
from leo_synth.tsql.value_rewrites import keeps_case

_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)


def _padded(node: exp.Expression | None) -> bool:
    """A string literal that ends in spaces."""
    return (isinstance(node, exp.Literal) and node.is_string
            and node.name != node.name.rstrip(" "))


def _trimmed(node: exp.Expression) -> exp.Expression:
    """A padded literal without its trailing spaces; anything else as it is."""
    return exp.Literal.string(node.name.rstrip(" ")) if _padded(node) else node


def _joined_text(node: exp.Expression, texts: dict[str, bool]) -> bool:
    """Text, or a ``+`` that joins text (``'ab' + SPACE(3)``)."""
    return is_text(node, texts) or (isinstance(node, exp.Add) and (
        is_text(node.this, texts) or is_text(node.expression, texts)))


def _collated(node: exp.Expression | None) -> exp.Expression | None:
    """The value under a collation written after it (``CAST(pmr AS CHAR(18)) COLLATE
    Latin1_General_BIN``, as FFT write every key they join on): no collation keeps trailing
    spaces in SQL Server's comparisons, a binary one neither."""
    while isinstance(node, exp.Collate):
        node = node.this
    return node


def _recollated(node: exp.Expression, trim: Callable[[exp.Expression], exp.Expression]
                ) -> exp.Expression:
    """``node`` with ``trim`` applied to the value under its collations, which it keeps."""
    if not isinstance(node, exp.Collate):
        return trim(node)
    collated = node.copy()
    collated.set("this", _recollated(node.this, trim))
    return collated


def _value(node: exp.Expression, texts: dict[str, bool]) -> exp.Expression:
    """The value compared with a padded literal: text loses its trailing spaces (``RTRIM``);
    a literal is trimmed; a number is left for the comparison to convert."""
    if isinstance(node, exp.Collate):
        return _recollated(node, lambda inner: _value(inner, texts))
    if isinstance(node, exp.Literal):
        return _trimmed(node)
    if _joined_text(node, texts):
        return exp.Trim(this=node.copy(), position="TRAILING")
    return node


def _derived(select: exp.Select, value: exp.Expression) -> exp.Expression:
    """What a column of a derived table or CTE that ``select`` reads stands for (``w`` of
    ``(SELECT 'abc' AS w) s`` is ``'abc'``, text), so its type is known; ``value`` itself
    otherwise."""
    if not isinstance(value, exp.Column):
        return value
    sources = from_sources(select)
    ctes = {cte.alias.lower(): cte.this for cte in select.root().find_all(exp.CTE)}
    for source in sources:
        named = not value.table or value.table.lower() == source.alias_or_name.lower()
        query = source.this if isinstance(source, exp.Subquery) else ctes.get(
            source.name.lower()) if isinstance(source, exp.Table) and not source.db else None
        if isinstance(query, exp.Select) and named:
            found = next((item.this for item in query.selects if isinstance(
                item, exp.Alias) and item.alias.lower() == value.name.lower()), None)
            if found is not None and (value.table or len(sources) == 1):
                return found
    return value


INDEX_PREFIX = "leo_rtrim_"
"""The start of the names of the indexes of trimmed columns made on SQLite."""
FOLDED_PREFIX = "leo_lower_"
"""The start of the names of the indexes of trimmed lower-case columns made on SQLite."""


def _scalar(node: exp.Expression | None) -> exp.Expression | None:
    """The value a scalar subquery of one column gives (``(SELECT TOP 1 k2 FROM #b)``: its
    ``k2``, or what a derived table's column stands for); any other node itself."""
    if not (isinstance(node, exp.Subquery) and isinstance(node.this, exp.Select)
            and len(node.this.selects) == 1):
        return node
    return _derived(node.this, node.this.selects[0].unalias())


class _Trimming:
    """The rewrite of one statement's comparisons."""

    def __init__(self, tree: exp.Expression, texts: dict[str, bool], session: Session,
                 dialect: str, temporary: Session):
        self.texts, self.dialect, self.temporary = texts, dialect, temporary
        self.values = PaddedValues(tree, texts, session)
        self.indexed: dict[str, tuple[str, str, bool]] = {}
        """SQLite's indexes of ``RTRIM(column)`` (or its ``LOWER``) the comparisons want, by
        name: (table, column, whether lower case)."""

    def texts_only(self, nodes: list[exp.Expression | None]) -> bool:
        """Whether every value compared is text (a number compares as a number)."""
        present = [_scalar(_collated(n)) for n in nodes if n is not None and not isinstance(
            _collated(n), exp.Null)]
        return bool(present) and all(
            n is not None and _joined_text(n, self.texts) for n in present)

    def padded(self, nodes: list[exp.Expression | None]) -> bool:
        """Whether any of ``nodes`` may end in spaces: a padded literal, or text of a table
        of the session's compared with text."""
        nodes = [_collated(n) for n in nodes]
        return any(_padded(n) for n in nodes) or (self.texts_only(nodes) and any(
            n is not None and self.session_text(n) for n in nodes))

    def session_text(self, node: exp.Expression | None) -> bool:
        """Text of the session's tables, or a scalar subquery that gives such text."""
        value = _scalar(_collated(node))
        return value is not None and self.values.text(value)

    def folded(self, nodes: list[exp.Expression | None]) -> bool:
        """Whether values compared with each other are all text of the session's tables
        under no collation that keeps case: compared ignoring case, as the SRS's
        collation compares them."""
        return all(n is not None and self.session_text(n) and not keeps_case(n)
                   for n in nodes)

    def trimmed(self, node: exp.Expression, fold: bool = False) -> exp.Expression:
        """A compared value without its trailing spaces, when it may have them (and in lower
        case, when ``fold``)."""
        if isinstance(node, exp.Collate):
            return _recollated(node, lambda inner: self.trimmed(inner, fold))
        if _padded(node):
            return _trimmed(node)
        if self.session_text(node):
            trimmed = exp.Trim(this=node.copy(), position="TRAILING")
            return exp.Lower(this=trimmed) if fold else trimmed
        return node

    def compared(self, node: exp.Expression) -> None:
        """``a = b`` (or ``<>``, ``<`` ...) of two values: a padded literal trimmed and the
        other value too; text of the session's tables trimmed (on SQLite, two columns of
        its temporary tables so compared get indexes: :meth:`index`)."""
        left, right = node.this, node.expression
        if _padded(right):
            node.set("expression", _trimmed(right))
            node.set("this", _value(left, self.texts))
        elif _padded(left):
            node.set("this", _trimmed(left))
            node.set("expression", _value(right, self.texts))
        elif self.padded([left, right]):
            fold = self.folded([left, right])
            node.set("this", self.trimmed(left, fold))
            node.set("expression", self.trimmed(right, fold))
            left, right = _collated(left), _collated(right)
            if self.dialect == "sqlite" and self.values.text(left) and self.values.text(right):
                self.index(left, fold)
                self.index(right, fold)

    def queried(self, node: exp.In) -> None:
        """``x IN (SELECT c FROM ...)`` (and ``NOT IN``), an ``=`` with each row's ``c`` in
        SQL Server: when x and c are text and either may end in spaces, both lose them (a
        ``UNION``'s every ``SELECT`` too); when both are the session's text, case too."""
        selects = branch_selects(node.args["query"])
        if not selects or any(len(select.selects) != 1 for select in selects):
            return
        values = [select.selects[0].unalias() for select in selects]
        meant = [_derived(select, value) for select, value in zip(selects, values, strict=True)]
        if not self.padded([node.this, *meant]):
            return
        fold = self.folded([node.this, *meant])
        for select, value in zip(selects, values, strict=True):
            # (its name unused by IN)
            select.set("expressions", [self.trimmed(value, fold)])
        this = _value(node.this, self.texts)
        node.set("this", exp.Lower(this=this) if fold else this)

    def rows(self, node: exp.SetOperation) -> None:
        """A ``UNION``, ``INTERSECT`` or ``EXCEPT`` (the outermost of a chain) that compares
        rows (not ``UNION ALL`` alone): each text column that may end in spaces loses them
        in every ``SELECT``, under its name."""
        chain = [node, *(n for n in node.find_all(exp.SetOperation)
                         if all(isinstance(p, exp.SetOperation | exp.Subquery)
                                for p in _ancestors(n, node)))]
        if not any(not isinstance(n, exp.Union) or n.args.get("distinct") for n in chain):
            return
        selects = branch_selects(node)
        widths = {len(select.selects) for select in selects}
        if len(widths) != 1 or any(isinstance(item.unalias(), exp.Star) or (
                isinstance(item, exp.Column) and isinstance(item.this, exp.Star))
                for select in selects for item in select.selects):
            return
        for position in range(widths.pop()):
            values = [select.selects[position].unalias() for select in selects]
            meant = [_derived(select, value) for select, value in zip(selects, values,
                                                                        strict=True)]
            if not self.padded(meant):
                continue
            for select in selects:
                item = select.selects[position]
                trimmed = exp.Trim(this=item.unalias().copy(), position="TRAILING")
                if isinstance(item, exp.Alias):
                    item.set("this", trimmed)
                elif isinstance(item, exp.Column):
                    item.replace(exp.Alias(this=trimmed, alias=item.this.copy()))
                else:
                    item.replace(trimmed)

    def index(self, node: exp.Expression, fold: bool = False) -> None:
        """An index of ``RTRIM(column)`` on its table, for a column of the session's tables
        compared with another (a join): SQLite cannot index the ``RTRIM`` of a join itself,
        and compared every row with every other (30,000 rows joined to 30,000 took 190 s;
        ``COLLATE RTRIM``, which it can, missed rows in SQLite 3.40's automatic indexes); of
        ``LOWER(RTRIM(column))`` when ``fold``."""
        table = self.values.table(node) if isinstance(node, exp.Column) else None
        if table is not None and self.temporary(table):
            name = f"{FOLDED_PREFIX if fold else INDEX_PREFIX}{table}_{node.name}"
            self.indexed[name] = (table, node.name, fold)

    def statements(self) -> tuple[str, ...]:
        """The ``CREATE INDEX`` statements to run first (SQLite's)."""
        return tuple(f"CREATE INDEX IF NOT EXISTS temp.{quote(name)} ON {quote(table)} "
                     f"({'LOWER(RTRIM({}))' if fold else 'RTRIM({})'})".format(quote(column))
                     for name, (table, column, fold) in self.indexed.items())


def _ancestors(node: exp.Expression, top: exp.Expression) -> list[exp.Expression]:
    """The nodes between ``node`` and ``top`` (neither)."""
    found, parent = [], node.parent
    while parent is not None and parent is not top:
        found.append(parent)
        parent = parent.parent
    return found


UNICODE = (exp.DataType.Type.NCHAR, exp.DataType.Type.NVARCHAR)


def _unicode(node: exp.Expression, unicode: Callable[[str], bool]) -> bool:
    """Whether ``node`` reads an ``NCHAR`` or ``NVARCHAR`` column (``unicode``: whether a
    lower-case column name is declared one) or is cast to one."""
    return any(unicode(column.name.lower()) for column in node.find_all(exp.Column)) or any(
        cast.to.this in UNICODE for cast in node.find_all(exp.Cast))


def likes(tree: exp.Expression, texts: dict[str, bool], session: Session,
          unicode: Callable[[str], bool]) -> exp.Expression:
    """``x LIKE p`` (and ``NOT LIKE``) where x is text of the session's tables that is not
    Unicode, as SQL Server matches it: its documentation says trailing blanks in the
    expression matched are ignored for ``CHAR`` and ``VARCHAR`` (``'abc  ' LIKE 'abc'`` is
    true) and significant for ``NCHAR`` and ``NVARCHAR``, and a pattern's count in both. So
    x matches as it is or without its trailing spaces: ``(x LIKE p OR RTRIM(x) LIKE p)``
    (x as it is for ``'abc ' LIKE 'abc '``). A pattern written ``N'...'``, an
    ``NVARCHAR`` column (declared so in any #temp table: ``unicode``, by lower-case name) and
    a ``LIKE`` with ``ESCAPE`` are left as they are; x under a collation (``k COLLATE
    Latin1_General_BIN LIKE 'SYN%'``) is matched so too. Before ``N'...'`` is read as plain
    text (``rewrites.plain_strings``)."""
    if tree.find(exp.Like) is None:
        return tree
    values = PaddedValues(tree, texts, session)
    for node in list(tree.find_all(exp.Like)):
        value, pattern = node.this, node.expression
        if isinstance(node.parent, exp.Escape) or isinstance(pattern, exp.National) or (
                not values.text(_collated(value))) or _unicode(value, unicode):
            continue
        matched = node.copy()
        matched.set("negate", None)  # (NOT LIKE: sqlglot's negated LIKE, the whole negated)
        trimmed = exp.Like(this=_recollated(value, lambda inner: exp.Trim(
            this=inner.copy(), position="TRAILING")), expression=pattern.copy())
        either = exp.Paren(this=exp.or_(matched, trimmed))
        tree = replaced(tree, node, exp.Not(this=either) if node.args.get("negate") else either)
    return tree


def for_target(tree: exp.Expression, texts: dict[str, bool], session: Session | None = None,
               dialect: str = "", temporary: Session | None = None
               ) -> tuple[exp.Expression, tuple[str, ...]]:
    """The tree with trailing spaces dropped where SQL Server's comparisons ignore them
    (``session``: whether a table name is one of the session's tables), and the statements
    that make the indexes its joins need on SQLite, to run first (``temporary``: whether a
    name is a table of SQLite's temporary schema)."""
    nowhere: Session = lambda name: False  # noqa: E731
    trimming = _Trimming(tree, texts, session or nowhere, dialect, temporary or nowhere)
    for node in list(tree.find_all(*_COMPARISONS, exp.Between, exp.In, exp.Case,
                                   exp.Nullif, exp.SetOperation)):
        if isinstance(node, exp.SetOperation):
            parent = node.parent
            if isinstance(parent, exp.Subquery):
                parent = parent.parent
            if not isinstance(parent, exp.SetOperation):
                trimming.rows(node)
        elif isinstance(node, exp.In):
            values = node.expressions
            if node.args.get("query") is not None:
                trimming.queried(node)
            elif trimming.padded([node.this, *values]):
                node.set("expressions", [trimming.trimmed(v) for v in values])
                node.set("this", _value(node.this, texts))
        elif isinstance(node, exp.Between):
            bounds = [node.args.get("low"), node.args.get("high")]
            if trimming.padded([node.this, *bounds]):
                node.set("low", trimming.trimmed(bounds[0]))
                node.set("high", trimming.trimmed(bounds[1]))
                node.set("this", _value(node.this, texts))
        elif isinstance(node, exp.Case):
            ifs = node.args.get("ifs") or []
            if node.this is not None and trimming.padded([node.this, *(i.this for i in ifs)]):
                for branch in ifs:
                    branch.set("this", trimming.trimmed(branch.this))
                node.set("this", _value(node.this, texts))
        elif isinstance(node, exp.Nullif):
            if trimming.padded([node.this, node.expression]):
                # (NULLIF keeps its first argument's value when the two differ: a padded
                # literal too, NULLIF(' ', '') being NULL and NULLIF(' ', 'x') ' ')
                node.set("expression", trimming.trimmed(node.expression))
                first = node.this
                if _padded(first) or (is_text(first, texts)
                                      and not isinstance(first, exp.Literal)):
                    equal = exp.EQ(this=_value(first, texts), expression=node.expression)
                    node.replace(exp.Case(ifs=[exp.If(this=equal, true=exp.Null())],
                                          default=node.this.copy()))
        elif not is_assignment(node):
            trimming.compared(node)
    return tree, trimming.statements()
