"""``BEGIN TRAN``, ``SAVE TRAN``, ``COMMIT``, ``ROLLBACK`` and ``@@TRANCOUNT``, as SQL Server
runs them on the script's own tables.

Scripts wrap their changes to #temp tables in a transaction, try a change and undo it (``BEGIN
TRAN; DELETE ...; SELECT ...; ROLLBACK``), go back to a savepoint (``SAVE TRAN s ... ROLLBACK
TRAN s``), and close their handlers with the usual template (``BEGIN CATCH IF @@TRANCOUNT > 0
ROLLBACK; THROW; END CATCH``). The only tables a script changes are its own, so a rollback
needs only their rows: before the first change after a ``BEGIN TRAN`` (or ``SAVE TRAN``), the
rows of every table the script holds are copied into a temporary table of the target
(:class:`SessionCopies`); ``ROLLBACK`` puts each table's rows back and drops the tables made
since, ``COMMIT`` of the outermost transaction drops the copies. As in SQL Server, variables,
table variables (``@t``) and identity values are not rolled back.

What a copy of rows cannot undo, the definition of a table the script held (a ``DROP TABLE``,
``ALTER TABLE`` or ``sp_rename`` of it inside the transaction), stops the script at the
``ROLLBACK``, naming the statement, rather than going on with tables the script believes
restored.

Rejected: the targets' own transactions. DuckDB has no savepoints, SQLite's driver opens
transactions of its own around changes, PostgreSQL already runs each statement of a ``TRY``
block under a savepoint, and the extract's relations on DuckDB are views over Parquet: one
undo that behaves the same on every target is not to be had from them. Copying only the
tables a statement writes was rejected too: the written table hides behind aliases and common
table expressions (``UPDATE a ... FROM #t a``, ``WITH d AS (...) DELETE FROM d``), and the
script's tables are small.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlglot import exp

from leo_synth.tsql.blocks import Transaction
from leo_synth.tsql.errors import ScriptError
from leo_synth.tsql.targets import Target, quote
from leo_synth.tsql.translate import session_key

Parts = tuple[str, ...]


def restored(key: str, parts: Parts) -> bool:
    """Whether a rollback restores the session table ``key``: the script's #temp and own
    tables, not its table variables (SQL Server keeps their rows) nor the catalog views
    leo-synth holds as tables (``leo_...``, read-only)."""
    return not key.startswith("@") and not (key.startswith("leo_") and parts == (key,))


class SessionCopies:
    """Copies of the rows of the script's tables on the target, and their return."""

    def __init__(self, target: Target, session: Callable[[], dict[str, Parts]],
                 drop: Callable[[str, Parts], None], views: Callable[[], set[str]]):
        self.target = target
        self.session = session
        """The session's tables and views now, by key (the translator's)."""
        self.drop = drop
        """Drop a session table or view the script made (and forget it)."""
        self.views = views
        """The keys of the session's views (their rows are their tables')."""
        self.made = 0

    def tables(self) -> dict[str, Parts]:
        """The session's tables and views a rollback drops when made since, by key."""
        return {key: parts for key, parts in self.session().items() if restored(key, parts)}

    def copy_all(self) -> dict[str, tuple[Parts, str | None]]:
        """Copy the rows of every table a rollback restores: key -> (its parts, the copy;
        None for a view, which is kept as it is)."""
        copies: dict[str, tuple[Parts, str | None]] = {}
        views = self.views()
        for key, parts in self.tables().items():
            if key in views:
                copies[key] = (parts, None)
                continue
            self.made += 1
            name = f"leo_undo_{self.made}"
            self.target.run(f"CREATE TEMP TABLE {name} AS SELECT * FROM {_qualified(parts)}",
                            False, None)
            copies[key] = (parts, name)
        return copies

    def put_back(self, parts: Parts, copy: str) -> None:
        """Give a table the rows of its copy again (its definition, keys and identity kept)."""
        self.target.run(f"DELETE FROM {_qualified(parts)}", False, None)
        self.target.run(f"INSERT INTO {_qualified(parts)} SELECT * FROM {copy}", False, None)

    def discard(self, copies: list[str]) -> None:
        for name in copies:
            self.target.run(f"DROP TABLE IF EXISTS {name}", False, None)


def _qualified(parts: Parts) -> str:
    return ".".join(quote(p) for p in parts)


@dataclass
class Snapshot:
    """The state a ``ROLLBACK`` returns to: the outermost ``BEGIN TRAN``'s (``name`` its
    transaction's) or a ``SAVE TRAN``'s (``name`` the savepoint's)."""

    line: int
    name: str | None
    copies: dict[str, tuple[Parts, str | None]] | None = None
    """The rows of the script's tables, copied before the first change after it (None: no
    change yet, so nothing to put back)."""
    redefined: dict[str, int] = field(default_factory=dict)
    """The tables of ``copies`` whose definition a statement since changed, with its line."""


def _redefined_keys(tree: exp.Expression) -> list[str]:
    """The session keys of the tables a ``DROP TABLE`` or ``ALTER TABLE`` changes the
    definition of (``sp_rename`` arrives as an ``ALTER TABLE``)."""
    if isinstance(tree, exp.Drop) and str(tree.args.get("kind", "")).upper() == "TABLE":
        tables = tree.args.get("tables") or [tree.this]
    elif isinstance(tree, exp.Alter):
        tables = [tree.this]
    else:
        return []
    return [session_key(table) for table in tables if isinstance(table, exp.Table)]


class Transactions:
    """The session's open transactions (``@@TRANCOUNT``) and the states a ``ROLLBACK``
    returns to: the outermost ``BEGIN TRAN``'s, then each ``SAVE TRAN``'s."""

    def __init__(self, copies: SessionCopies | None = None) -> None:
        self.count = 0
        self.copies = copies
        self.snapshots: list[Snapshot] = []

    def before_write(self, tree: exp.Expression, line: int) -> None:
        """A statement is about to change a table (make, fill, alter or drop it): the rows
        of the script's tables are copied first if no change was made since the last
        ``BEGIN TRAN`` or ``SAVE TRAN``."""
        if not self.count or self.copies is None:
            return
        waiting = [s for s in self.snapshots if s.copies is None]
        if waiting:
            copies = self.copies.copy_all()  # (one copy serves every state it stands for)
            for snapshot in waiting:
                snapshot.copies = copies
        for key in _redefined_keys(tree):
            for snapshot in self.snapshots:
                if snapshot.copies is not None and key in snapshot.copies:
                    snapshot.redefined.setdefault(key, line)

    def step(self, node: Transaction, name: str | None = None) -> None:
        """Run ``BEGIN TRAN``, ``SAVE TRAN``, ``COMMIT`` or ``ROLLBACK``; ``name`` is the
        node's name with a variable's value read (``ROLLBACK TRAN @t``)."""
        if node.action == "BEGIN":
            if not self.count:
                self.snapshots = [Snapshot(node.line, name)]
            self.count += 1
            return
        if not self.count:
            request = {"SAVE": "SAVE", "COMMIT": "COMMIT"}.get(node.action, "ROLLBACK")
            number = {"SAVE": 628, "COMMIT": 3902}.get(node.action, 3903)
            message = ("Cannot issue SAVE TRANSACTION when there is no active transaction."
                       if request == "SAVE" else
                       f"The {request} TRANSACTION request has no corresponding BEGIN "
                       f"TRANSACTION.")
            raise ScriptError(node.line, message, runtime=True, number=number)
        if node.action == "SAVE":
            self.snapshots.append(Snapshot(node.line, name))
        elif node.action == "COMMIT":
            self.count -= 1
            if not self.count:
                self._keep(0)
        else:
            self._rollback(node.line, name)

    def _rollback(self, line: int, name: str | None) -> None:
        """Back to the savepoint ``name`` (the transaction stays open), or, with no name or
        the outermost transaction's, to its ``BEGIN TRAN`` (every transaction ends)."""
        saved = [i for i, s in enumerate(self.snapshots) if i and name is not None
                 and s.name == name]
        if saved:
            to = saved[-1]
        elif name is None or name == self.snapshots[0].name:
            to = 0
        else:
            message = (f"Cannot roll back {name}. No transaction or savepoint of that name "
                       f"was found.")
            raise ScriptError(line, message, runtime=True, number=6401)
        self._restore(self.snapshots[to], line)
        if to:
            self._keep(to + 1)
        else:
            self.count = 0
            self._keep(0)

    def _restore(self, snapshot: Snapshot, line: int) -> None:
        if snapshot.copies is None or self.copies is None:
            return  # (nothing changed since)
        if snapshot.redefined:
            key, changed = min(snapshot.redefined.items(), key=lambda item: item[1])
            raise ScriptError(line, f"ROLLBACK cannot undo the change of {key}'s definition "
                              f"at line {changed} (since line {snapshot.line}): leo-synth "
                              f"puts back a table's rows, not its columns (drop or alter "
                              f"{key} outside the transaction)")
        now = self.copies.tables()
        for key, parts in now.items():
            if key not in snapshot.copies:
                self.copies.drop(key, parts)  # (made since)
        for parts, copy in snapshot.copies.values():
            if copy is not None:
                self.copies.put_back(parts, copy)

    def _keep(self, kept: int) -> None:
        """Forget the states from position ``kept`` on, dropping the copies only they held."""
        dropped, self.snapshots = self.snapshots[kept:], self.snapshots[:kept]
        held = {copy for s in self.snapshots if s.copies for _, copy in s.copies.values()}
        gone = {copy for s in dropped if s.copies for _, copy in s.copies.values()} - held
        if gone and self.copies is not None:
            self.copies.discard(sorted(copy for copy in gone if copy is not None))
