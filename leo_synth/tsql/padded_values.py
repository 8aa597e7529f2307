"""Which text values of a statement may end in spaces: those read from the session's tables.

The extract stores no trailing spaces, but a script's own tables may hold them (``INSERT INTO
#t VALUES ('abc  ')``, ``CAST(code AS CHAR(10))`` stored in a ``VARCHAR`` column), and SQL
Server's ``=`` ignores them (``padded_comparisons``). A column counts when the table, derived
table or common table expression it is read from is, or reads, one of the session's tables
(``#t``, ``@t``, a table the script made); an expression when it is text and reads such a
column; a value cast to ``CHAR(n)``, which SQL Server pads (``char_padding``). The
extract's columns are not counted, so their comparisons keep their indexes.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from leo_synth.tsql import char_padding
from leo_synth.tsql.alias_scope import common_tables
from leo_synth.tsql.rewrites import is_text

Session = Callable[[str], bool]
"""Whether a table name (as the statement writes it) is one of the session's tables."""


def _reads_session(query: exp.Expression, session: Session) -> bool:
    return any(session(table.name) for table in query.find_all(exp.Table))


def _sources(tree: exp.Expression, session: Session) -> dict[str, str | bool]:
    """Per name or alias a source is read by (lower case), whether it may hold padded text:
    the name of the session's table it is, True for a query that reads one (two sources of
    one name: either)."""
    ctes = common_tables(tree)
    found: dict[str, str | bool] = {}
    for table in tree.find_all(exp.Table):
        query = ctes.get(table.name.lower()) if not table.args.get("db") else None
        padded = table.name if session(table.name) else (
            query is not None and _reads_session(query, session))
        found[table.alias_or_name.lower()] = found.get(table.alias_or_name.lower()) or padded
    for subquery in tree.find_all(exp.Subquery):
        if subquery.alias:
            key = subquery.alias.lower()
            found[key] = found.get(key) or _reads_session(subquery, session)
    return found


class PaddedValues:
    """Tells which text values of one statement may end in spaces."""

    def __init__(self, tree: exp.Expression, texts: dict[str, bool], session: Session):
        self.texts, self.session = texts, session
        self.sources = _sources(tree, session)

    def table(self, column: exp.Column) -> str | None:
        """The session's table a qualified column is read from, when one is."""
        found = self.sources.get(column.table.lower()) if column.table else None
        return found if isinstance(found, str) else None

    def _column(self, column: exp.Column) -> bool:
        if column.table:
            return bool(self.sources.get(column.table.lower(), False))
        scope = column.find_ancestor(exp.Select, exp.Update, exp.Delete)
        return scope is not None and _reads_session(scope, self.session)

    def text(self, node: exp.Expression) -> bool:
        """Text (or ``+`` of text) that reads a column of the session's tables."""
        joined = isinstance(node, exp.Add) and (
            is_text(node.this, self.texts) or is_text(node.expression, self.texts))
        if not (joined or is_text(node, self.texts)) or isinstance(node, exp.Literal):
            return False
        if char_padding.padded(node):
            return True
        columns = [node] if isinstance(node, exp.Column) else node.find_all(exp.Column)
        return any(self._column(column) for column in columns)
