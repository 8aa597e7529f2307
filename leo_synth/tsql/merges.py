"""``MERGE``, which SQLite and DuckDB lack (and PostgreSQL 15 has only in part), as the
statements it stands for.

``MERGE #cohort AS t USING #latest AS s ON t.pmr = s.pmr WHEN MATCHED THEN UPDATE SET ...
WHEN NOT MATCHED THEN INSERT ... WHEN NOT MATCHED BY SOURCE THEN DELETE`` becomes, in T-SQL
that the translator already runs on every target:

1. the source's rows copied to a #temp table (it is read once, as in SQL Server);
2. the source rows no target row matches, staged for ``WHEN NOT MATCHED [BY TARGET]``;
3. with more than one ``UPDATE`` or ``DELETE`` clause, the clause each target row takes,
   stored by the row's identity on the target (``row_identity.ROW_IDS``);
4. ``WHEN NOT MATCHED BY SOURCE``: the target rows no source row matches, deleted or updated;
5. ``WHEN MATCHED`` deletes and updates (``UPDATE t SET ... FROM #t t JOIN source s ON ...``);
6. the staged rows inserted.

A row takes the first clause of its kind whose condition holds, chosen on the target as it
was before any clause acts (step 3), as SQL Server chooses: chosen as each clause ran, a
second ``WHEN MATCHED THEN UPDATE`` took the rows the first (``WHEN MATCHED AND t.status IS
NULL THEN UPDATE SET status = 'new'``) had just updated, and ``@@ROWCOUNT`` counted them twice.
``@@ROWCOUNT`` is the rows inserted, updated and deleted. ``OUTPUT`` is refused (there is
nothing to return it to).

Rejected: PostgreSQL's own ``MERGE`` (15 has no ``BY SOURCE`` clauses) and SQLite's upsert
(``ON CONFLICT`` needs a unique index on the ``ON`` condition's columns).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlglot
from sqlglot import exp

from leo_synth.tsql.errors import ScriptError, output_refused


@dataclass(frozen=True)
class Step:
    """One statement of a MERGE; ``counted`` when its rows count towards ``@@ROWCOUNT``."""

    tree: exp.Expression
    counted: bool


def _parse(text: str) -> exp.Expression:
    return sqlglot.parse_one(text, read="tsql")


def _sql(node: exp.Expression) -> str:
    return node.sql(dialect="tsql")


def _holds(condition: exp.Expression | None) -> str:
    """T-SQL that is 1 where ``condition`` holds (NULL does not), for excluding it."""
    if condition is None:
        return "1"
    return f"(CASE WHEN {_sql(condition)} THEN 1 ELSE 0 END)"


def _where(own: exp.Expression | None, before: list[exp.Expression | None]) -> str:
    """A clause's condition: its own, and none of the earlier clauses' of its kind."""
    parts = [f"({_sql(own)})"] if own is not None else []
    parts += [f"{_holds(c)} = 0" for c in before]
    return " AND ".join(parts) or "1 = 1"


def expand(tree: exp.Merge, number: int, line: int, row_id: str) -> list[Step]:
    """The statements ``tree`` stands for; ``number`` keeps this MERGE's #temp tables apart
    from another's; ``row_id``: the target's name of a row's identity (``row_identity``)."""
    if tree.args.get("returning") or tree.find(exp.Returning):
        raise output_refused("MERGE", line)
    tree = tree.copy()
    for column in tree.find_all(exp.Column):  # #t.id: the table's name is its alias here
        qualifier = column.args.get("table")
        if isinstance(qualifier, exp.Identifier) and qualifier.args.get("temporary"):
            column.set("table", exp.to_identifier(qualifier.name))
    target = tree.this.copy()
    name = target.alias_or_name
    plain = target.copy()
    plain.set("alias", None)
    using = tree.args["using"].copy()
    source = using.alias_or_name
    alias = using.args.get("alias")
    if not (isinstance(alias, exp.TableAlias) and alias.columns):
        # (kept when it names the columns: USING (VALUES (2, 'B')) AS s (id, name))
        using.set("alias", exp.TableAlias(this=exp.to_identifier(source)))
    on = _sql(tree.args["on"])
    staged, new = f"#leo_merge_source_{number}", f"#leo_merge_new_{number}"
    table = _sql(plain)
    staging = _parse(f"SELECT {source}.* INTO {staged} FROM {_sql(using)}")
    if tree.args.get("with_") is not None:  # (;WITH c AS (...) MERGE ... USING c)
        staging.set("with_", tree.args["with_"].copy())
    steps = [Step(staging, False)]
    whens = tree.args["whens"].expressions
    inserts = [w for w in whens if not w.args.get("matched") and not w.args.get("source")]
    unmatched = [w for w in whens if not w.args.get("matched") and w.args.get("source")]
    matched = [w for w in whens if w.args.get("matched")]
    missing = f"NOT EXISTS (SELECT 1 FROM {table} AS {name} WHERE {on})"
    if inserts:
        steps.append(Step(_parse(
            f"SELECT {source}.*, CAST(0 AS INT) AS leo_merge_clause INTO {new} FROM {staged} "
            f"AS {source} WHERE 1 = 0"), False))
        for i, when in enumerate(inserts):
            condition = _where(when.args.get("condition"),
                               [w.args.get("condition") for w in inserts[:i]])
            steps.append(Step(_parse(
                f"INSERT INTO {new} SELECT {source}.*, {i} FROM {staged} AS {source} "
                f"WHERE {missing} AND {condition}"), False))
    alone = f"NOT EXISTS (SELECT 1 FROM {staged} AS {source} WHERE {on})"
    joined = f"FROM {table} AS {name} JOIN {staged} AS {source} ON {on}"
    actions = [(when, unmatched, f"FROM {table} AS {name}", alone) for when in unmatched] + [
        (when, matched, joined, None) for when in matched]
    decided = f"#leo_merge_clauses_{number}"
    if len(actions) > 1:  # (one clause alone reads nothing another has changed)
        steps.append(Step(_parse(_chosen_clauses(
            decided, table, name, staged, source, on, unmatched, matched, row_id)), False))
    for when, kind, rows, scope in actions:
        if len(actions) > 1:
            position = kind.index(when) + (0 if kind is matched else len(matched))
            condition = (f"{name}.{row_id} IN (SELECT leo_merge_row FROM {decided} "
                         f"WHERE leo_merge_clause = {position})")
        else:
            condition = _where(when.args.get("condition"), [])
            condition = condition if scope is None else f"{scope} AND {condition}"
        steps.append(Step(_action(when, rows, condition, name, line), True))
    for i, when in enumerate(inserts):
        insert = when.args["then"]
        columns = insert.this
        values = insert.expression
        listed = f" ({', '.join(_sql(c) for c in columns.expressions)})" if isinstance(
            columns, exp.Tuple) else ""
        chosen = (", ".join(_sql(v) for v in values.expressions)
                  if isinstance(values, exp.Tuple) else f"{source}.*")
        steps.append(Step(_parse(f"INSERT INTO {table}{listed} SELECT {chosen} FROM {new} "
                                 f"AS {source} WHERE leo_merge_clause = {i}"), True))
    steps += [Step(_parse(f"DROP TABLE {t}"), False) for t in (staged, new, decided)
              if t == staged or (t == new and inserts) or (t == decided and len(actions) > 1)]
    return steps


def _chosen_clauses(decided: str, table: str, name: str, staged: str, source: str, on: str,
                    unmatched: list[exp.When], matched: list[exp.When], row_id: str) -> str:
    """T-SQL that stores, for each target row an UPDATE or DELETE clause takes, the clause it
    takes (its place among the ``WHEN MATCHED`` clauses, then among the ``BY SOURCE`` ones),
    chosen on the rows as they were before any clause acts, as SQL Server chooses them."""
    def first(clauses: list[exp.When], start: int) -> str:
        cases = " ".join(f"WHEN {_sql(w.args['condition']) if w.args.get('condition') else '1 = 1'}"
                         f" THEN {start + i}" for i, w in enumerate(clauses))
        return f"CASE {cases} END" if cases else "NULL"
    found = f"EXISTS (SELECT 1 FROM {staged} AS {source} WHERE {on})"
    return (f"SELECT {name}.{row_id} AS leo_merge_row, CASE WHEN {found} THEN "
            f"{first(matched, 0)} ELSE {first(unmatched, len(matched))} END "
            f"AS leo_merge_clause INTO {decided} FROM {table} AS {name} "
            f"LEFT JOIN {staged} AS {source} ON {on}")


def _action(when: exp.When, source: str, condition: str, name: str, line: int
            ) -> exp.Expression:
    """A clause's UPDATE or DELETE of the target rows ``source ... WHERE condition`` gives."""
    then = when.args["then"]
    if isinstance(then, exp.Var) and then.name.upper() == "DELETE":
        return _parse(f"DELETE {name} {source} WHERE {condition}")
    if isinstance(then, exp.Update):
        sets = ", ".join(_sql(e) for e in then.expressions)
        return _parse(f"UPDATE {name} SET {sets} {source} WHERE {condition}")
    raise ScriptError(line, f"cannot translate the MERGE clause {_sql(when)[:60]!r}")
