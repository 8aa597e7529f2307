"""A derived table's or CTE's column named as a table's column but made another way is given a
name of its own, so that its type is its own.

The translator knows a column's type by its name wherever the script met it
(``Translator._met``): ``SELECT x.StartDate + 1 FROM (SELECT CAST(StartDate AS DATETIME) AS
StartDate FROM leo_benefit) x`` read ``x.StartDate`` as the extract's ``DATE`` (SQLite added 1
to its year, DuckDB and PostgreSQL stopped), and ``x.Benefit_type + 1`` of ``SELECT
Out_of_work_benefit AS Benefit_type`` as the extract's text. SQL Server types a derived
table's column by the expression making it. So such a column (one whose name a table of the
script holds, made by anything but that column passed through) is renamed in the derived
table or CTE and in every reference to it, each scope resolved as SQL Server resolves it; a
bare reference in a select list keeps its name as the column's heading (``x.StartDate AS
StartDate``). The later passes then type it by what makes it, as they type any column a
derived table makes.

Left as it was, where a reference cannot be resolved for certain (an unqualified name in a
subquery, which may be its own table's), where a query reads the source with ``*`` (the
heading would change), for a recursive CTE, a ``JOIN ... USING`` and an ``UPDATE``,
``DELETE`` or ``MERGE`` (whose CTEs stand for the table changed). Rejected: keying every kind
by scope as well as name, which each of the many passes reading the kinds would have to
follow.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from itertools import count

from sqlglot import exp
from sqlglot.optimizer.scope import Scope, traverse_scope

from leo_synth.tsql.alias_scope import Columns
from leo_synth.tsql.derived_columns import branch_selects, names, passed_name
from leo_synth.tsql.rewrites import from_sources
from leo_synth.tsql.shadowed_stars import Source, listable, written_out

_ROUNDS = 8
"""Nested derived tables passing a renamed column up are renamed round by round."""


def _query(tree: exp.Expression) -> exp.Query | None:
    """The query whose scopes are renamed: the statement's own, or what an ``INSERT`` or a
    ``SELECT ... INTO`` selects (None for another statement)."""
    if isinstance(tree, exp.Query):
        return tree
    if isinstance(tree, exp.Insert | exp.Create) and isinstance(tree.expression, exp.Query):
        return tree.expression
    return None


def _definitions(query: exp.Query) -> dict[int, exp.Subquery | exp.CTE]:
    """The derived tables and CTEs of ``query`` by the id of the query each holds."""
    found: dict[int, exp.Subquery | exp.CTE] = {}
    for named in query.find_all(exp.Subquery, exp.CTE):
        if isinstance(named.this, exp.Query) and (
                isinstance(named, exp.CTE) or isinstance(named.parent, exp.From | exp.Join)):
            found[id(named.this)] = named
    return found


def _shadowing(named: exp.Subquery | exp.CTE, known: Collection[str], fresh: Iterator[int]
               ) -> dict[str, str]:
    """The columns of a derived table or CTE to rename, by lower-case name to the new name:
    those named as a known column and made by anything but that column."""
    spelt = names(named)
    branches = branch_selects(named.this)
    if not branches or any(s.is_star for b in branches for s in b.selects):
        return {}
    renamed = {}
    for position, name in enumerate(spelt):
        lower = name.lower()
        items = [b.selects[position] for b in branches if position < len(b.selects)]
        if lower in known and spelt.count(name) == 1 and any(
                passed_name(item.unalias()) != lower for item in items):
            renamed[lower] = f"{name}_leo_{next(fresh)}"
    return renamed


def _rename_definition(named: exp.Subquery | exp.CTE, renamed: dict[str, str]) -> None:
    """The derived table's (CTE's) own column names changed: its column list's, or its first
    query's aliases."""
    alias = named.args.get("alias")
    listed = alias.args.get("columns") if isinstance(alias, exp.TableAlias) else None
    if listed:
        for column in listed:
            if column.name.lower() in renamed:
                column.replace(exp.to_identifier(renamed[column.name.lower()]))
        return
    first = branch_selects(named.this)[0]
    for item in first.selects:
        new = renamed.get(item.alias_or_name.lower())
        if new is None:
            continue
        if isinstance(item, exp.Alias):
            item.set("alias", exp.to_identifier(new))
        else:
            item.replace(exp.alias_(item.copy(), new))


def _has(source: exp.Expression | Scope, name: str, columns: Columns) -> bool | None:
    """Whether a source of a scope has a column ``name`` (None: not known)."""
    if isinstance(source, Scope):
        query = source.expression
        if isinstance(query, exp.Query) and not any(
                s.is_star for b in branch_selects(query) for s in b.selects):
            return name in {n.lower() for n in query.named_selects}
        return None
    if isinstance(source, exp.Table):
        found = columns(source)
        return None if found is None else name in {n.lower() for n in found}
    return None


def _owner(scope: Scope, column: exp.Column, renames: dict[int, dict[str, str]],
           columns: Columns) -> tuple[bool, int | None]:
    """(certain, the id of the renamed source's query) a reference resolves to, as SQL
    Server resolves it: a qualifier by the nearest scope naming it, a bare name by the
    nearest scope with a source that has it (uncertain where a source's columns are not
    known, or two sources have it)."""
    name = column.name.lower()
    at: Scope | None = scope
    if column.table:
        while at is not None and column.table not in at.selected_sources:
            at = at.parent
        if at is None:
            return True, None
        source = at.selected_sources[column.table][1]
        key = id(source.expression) if isinstance(source, Scope) else None
        return True, key if key in renames and name in renames[key] else None
    while at is not None:
        held = [(source, _has(source, name, columns))
                for _, source in at.selected_sources.values()]
        if any(has is None for _, has in held):
            return False, None
        having = [source for source, has in held if has]
        if len(having) > 1:
            return False, None  # (ambiguous in SQL Server: left for it to say)
        if having:
            key = id(having[0].expression) if isinstance(having[0], Scope) else None
            return True, key if key in renames and name in renames[key] else None
        at = at.parent
    return True, None


def _output_alias(scope: Scope, column: exp.Column) -> bool:
    """Whether a bare name in ``ORDER BY`` is the scope's own select-list alias (which
    ``ORDER BY`` reads first)."""
    if column.table or not column.find_ancestor(exp.Order):
        return False
    select = scope.expression
    return isinstance(select, exp.Select) and any(
        isinstance(s, exp.Alias) and s.alias.lower() == column.name.lower()
        for s in select.selects)


def _round(query: exp.Query, known: Collection[str], fresh: Iterator[int], columns: Columns
           ) -> bool:
    """One round of renaming; whether anything was renamed."""
    definitions = _definitions(query)
    renames = {key: found for key, named in definitions.items()
               if (found := _shadowing(named, known, fresh))}
    if not renames:
        return False
    scopes = traverse_scope(query)
    references: list[tuple[exp.Column, int]] = []
    # (a scope's columns may include its nested scopes': each column is judged in the
    # innermost scope listing it, the first met, as scopes come innermost first)
    judged: set[int] = set()
    starred: list[tuple[exp.Select, list[Source], dict[str, int]]] = []
    for scope in scopes:
        read = _read_by_star(scope, renames)
        if read:
            sources = _listed_sources(scope, definitions, columns)
            if listable(scope.expression, sources):  # (written out once renamed)
                starred.append((scope.expression, sources, read))
            else:  # (a * over columns not known: its headings kept as they are)
                for key in read.values():
                    renames.pop(key, None)
        for column in scope.columns:
            if id(column) in judged or _output_alias(scope, column):
                continue
            judged.add(id(column))
            certain, key = _owner(scope, column, renames, columns)
            if not certain:
                for drop in [k for k, r in renames.items() if column.name.lower() in r]:
                    renames.pop(drop)
            elif key is not None:
                references.append((column, key))
    references = [(column, key) for column, key in references if key in renames]
    if not renames:
        return False
    for key, renamed in renames.items():
        _rename_definition(definitions[key], renamed)
    for column, key in references:
        spelt = column.name
        column.set("this", exp.to_identifier(renames[key][spelt.lower()]))
        if isinstance(column.parent, exp.Select) and column in column.parent.selects:
            column.replace(exp.alias_(column.copy(), spelt))
    for select, sources, read in starred:
        written_out(select, sources, {qualifier: renames[key] for qualifier, key in read.items()
                                      if key in renames})
    return True


def _read_by_star(scope: Scope, renames: dict[int, dict[str, str]]) -> dict[str, int]:
    """The renamed sources a ``*`` of ``scope``'s select reads: by lower-case qualifier, the
    id of the source's query."""
    select = scope.expression
    if not isinstance(select, exp.Select) or not any(s.is_star for s in select.selects):
        return {}
    return {name.lower(): id(source.expression)
            for name, (_, source) in scope.selected_sources.items()
            if isinstance(source, Scope) and id(source.expression) in renames}


def _listed_sources(scope: Scope, definitions: dict[int, exp.Subquery | exp.CTE],
                    columns: Columns) -> list[Source]:
    """The sources of ``scope``'s select in ``FROM`` order, each with its columns as the
    script spells them (None where not known: a table's not listed, a derived table's
    own ``*``)."""
    found: list[Source] = []
    for node in from_sources(scope.expression):
        name = node.alias_or_name
        held = scope.selected_sources.get(name)
        source = held[1] if held is not None else None
        listed: list[str] | None = None
        if isinstance(source, Scope) and id(source.expression) in definitions:
            listed = names(definitions[id(source.expression)])
            listed = None if "" in listed else listed
        elif isinstance(source, exp.Table):
            listed = columns(source)
        found.append((name, listed))
    return found


def renamed(tree: exp.Expression, known: Collection[str], columns: Columns
            ) -> exp.Expression:
    """``tree`` with its derived tables' and CTEs' columns that shadow a known column's name
    (``known``: lower-case names met in tables) renamed, with their references; ``columns``:
    a table's column names (None: not known)."""
    query = _query(tree)
    if query is None or tree.find(exp.Update, exp.Delete, exp.Merge) or any(
            join.args.get("using") for join in tree.find_all(exp.Join)) or any(
            w.args.get("recursive") for w in tree.find_all(exp.With)):
        return tree
    fresh = count(1)  # (one statement's new names all differ: the kinds are by name)
    for _ in range(_ROUNDS):
        if not _round(query, known, fresh, columns):
            break
    return tree
