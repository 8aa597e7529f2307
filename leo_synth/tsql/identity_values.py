"""``IDENTITY`` columns of the script's tables, numbered as SQL Server numbers them.

``SELECT IDENTITY(INT, 1, 1) AS id, ... INTO #t`` numbers the rows it makes (a
``ROW_NUMBER()``, ``value_rewrites``), but the table it makes on the targets has a plain
column: a later ``INSERT INTO #t (x) VALUES (...)`` left ``id`` NULL, where SQL Server gives
the next number. SQLite numbers ``id INT IDENTITY(1, 1)`` of a ``CREATE TABLE`` as its
``INTEGER PRIMARY KEY`` does (1, 2, ...), which is right only from 1 by 1; ``IDENTITY(100,
10)`` gave 1, 2, 3 there. Such a column is noted (:class:`Identity`) and each ``INSERT`` that
leaves it out gets it: the table's last value (its largest, or smallest for a negative step;
the seed less a step when it is empty) plus a step for each row, in the order of the
``VALUES`` rows or of the query's ``ORDER BY``, as SQL Server numbers them. ``ALTER TABLE
#t ADD id INT IDENTITY`` numbers the rows the table has by an ``UPDATE`` (SQLite left them
NULL, DuckDB refused it). While ``SET IDENTITY_INSERT #t ON`` is in force an ``INSERT``
gives the column its values (SQL Server's errors 544, 545 and 8101 guard it), and the rows
after go on from the largest, as in SQL Server, where a target's own sequence would not.

Rejected: a trigger or a sequence per table. SQLite has triggers but no sequences, DuckDB
sequences but no triggers, and a sequence's start would have to be read from the table at
run time; the rewritten ``INSERT`` is the same on every target. It differs from SQL Server
only after the rows holding the largest values were deleted (SQL Server does not reuse them).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError

SOURCE = "leo_identity_source"
"""The alias of an ``INSERT``'s query wrapped to be numbered (a ``DISTINCT`` or ``UNION``),
and of the row numbers an added identity column is set from."""


@dataclass(frozen=True)
class Identity:
    """An ``IDENTITY`` column of a table the script made: its name, seed and step, and the
    table's columns in order (None when the script did not list them: ``SELECT *``, or a
    column added by ``ALTER TABLE``)."""

    column: str
    seed: int
    step: int
    columns: tuple[str, ...] | None
    numbered: bool = False
    """Whether the target numbers the column itself (PostgreSQL's and DuckDB's ``CREATE
    TABLE``, SQLite's from 1 by 1): an ``INSERT`` without a column list gets one alone."""


def spelt_out(tree: exp.Expression) -> None:
    """``id INT IDENTITY`` (no seed or step, which sqlglot reads as an auto-increment) as
    ``IDENTITY(1, 1)``, which it stands for (SQLite and DuckDB left the column NULL)."""
    if not isinstance(tree, exp.Create | exp.Alter):
        return
    for constraint in list(tree.find_all(exp.AutoIncrementColumnConstraint)):
        constraint.replace(exp.GeneratedAsIdentityColumnConstraint(
            this=False, start=exp.Literal.number(1), increment=exp.Literal.number(1)))


def _number(node: exp.Expression | None, default: int) -> int | None:
    """A seed's or step's value (None: not a whole number written out)."""
    if node is None:
        return default
    negative = isinstance(node, exp.Neg)
    value = node.this if negative else node
    if isinstance(value, exp.Paren):
        return _number(value.this, default) if not negative else None
    if not (isinstance(value, exp.Literal) and value.is_int):
        return None
    return -int(value.name) if negative else int(value.name)


def of_select_into(select: exp.Select) -> Identity | None:
    """The ``IDENTITY(type, seed, step) AS name`` of a ``SELECT ... INTO``'s list, if any."""
    for item in select.expressions:
        function = item.this if isinstance(item, exp.Alias) else None
        if not (isinstance(function, exp.Anonymous) and function.name.upper() == "IDENTITY"
                and function.expressions):
            continue
        arguments = function.expressions
        seed = _number(arguments[1] if len(arguments) > 1 else None, 1)
        step = _number(arguments[2] if len(arguments) > 2 else None, 1)
        if seed is None or not step:
            return None
        names = tuple(i.alias_or_name for i in select.expressions)
        listed = all(names) and not any(isinstance(i, exp.Star) or isinstance(
            i.this, exp.Star) for i in select.expressions)
        return Identity(item.alias, seed, step, names if listed else None)
    return None


def _window_order(select: exp.Select) -> exp.Order | None:
    """The query's ``ORDER BY`` as a window's: a position (``ORDER BY 2``) or a name the
    query gives an expression (``ORDER BY total``) as the expression it stands for."""
    order = select.args.get("order")
    if order is None:
        return None
    order = order.copy()
    items = select.expressions
    named = {i.alias.lower(): i.this for i in items if isinstance(i, exp.Alias)}
    for ordered in order.expressions:
        key = ordered.this
        if isinstance(key, exp.Literal) and key.is_int and 0 < int(key.name) <= len(items):
            ordered.set("this", items[int(key.name) - 1].unalias().copy())
        elif isinstance(key, exp.Column) and not key.table and key.name.lower() in named:
            ordered.set("this", named[key.name.lower()].copy())
    return order


def numbered(select: exp.Select, identity: Identity) -> None:
    """A ``SELECT ... INTO``'s ``IDENTITY(...)`` as the numbers of its rows in the query's
    order (``ROW_NUMBER()``; SQL Server numbers them so, though it does not promise to)."""
    for item in select.expressions:
        if isinstance(item, exp.Alias) and item.alias == identity.column and isinstance(
                item.this, exp.Anonymous):
            row = exp.Window(this=exp.RowNumber(), order=_window_order(select))
            item.set("this", row_value(row, exp.Literal.number(identity.seed),
                                       exp.Literal.number(identity.step)))
            return


def row_value(row: exp.Expression, seed: exp.Expression, step: exp.Expression
              ) -> exp.Expression:
    """The identity of the ``row``-th row: ``(row - 1) * step + seed``."""
    # (bracketed: sqlglot writes a tree as built, and (n - 1) * step was n - 1 * step)
    return exp.Add(this=exp.Mul(this=exp.Paren(this=exp.Sub(
        this=row, expression=exp.Literal.number(1))), expression=step.copy()),
        expression=seed.copy())


def of_constraint(column: exp.ColumnDef, constraint: exp.GeneratedAsIdentityColumnConstraint,
                  columns: tuple[str, ...]) -> Identity | None:
    """A ``CREATE TABLE``'s ``name INT IDENTITY(seed, step)`` (None: not written out)."""
    seed = _number(constraint.args.get("start"), 1)
    step = _number(constraint.args.get("increment"), 1)
    if seed is None or not step:
        return None
    return Identity(column.name, seed, step, columns)


def of_create(schema: exp.Schema, dialect: str) -> Identity | None:
    """A ``CREATE TABLE``'s ``IDENTITY`` column (None: none, or its seed or step not written
    out); SQLite numbers it only from 1 by 1 (as its ``INTEGER PRIMARY KEY``)."""
    columns = tuple(c.name for c in schema.expressions if isinstance(c, exp.ColumnDef))
    for constraint in schema.find_all(exp.GeneratedAsIdentityColumnConstraint):
        column = constraint.parent.parent if constraint.parent is not None else None
        made = of_constraint(column, constraint, columns) if isinstance(
            column, exp.ColumnDef) else None
        if made is not None:
            return Identity(made.column, made.seed, made.step, columns, numbered_by_target(
                made, dialect, keyed_elsewhere(schema, made.column)))
    return None


def keyed_elsewhere(schema: exp.Schema, column: str) -> bool:
    """Whether a ``CREATE TABLE``'s primary key is another than its column ``column`` alone
    (``pmr VARCHAR(18) PRIMARY KEY, n INT IDENTITY``)."""
    for definition in schema.expressions:
        if isinstance(definition, exp.ColumnDef) and definition.name.lower() != column.lower(
                ) and any(isinstance(c.args.get("kind"), exp.PrimaryKeyColumnConstraint)
                          for c in definition.args.get("constraints") or []):
            return True
    return any([(c.this if isinstance(c, exp.Ordered) else c).name.lower()
                for c in key.expressions] != [column.lower()]
               for key in schema.find_all(exp.PrimaryKey))


def numbered_by_target(identity: Identity, dialect: str, elsewhere: bool = False) -> bool:
    """Whether ``dialect`` numbers a ``CREATE TABLE``'s identity column itself: SQLite only
    from 1 by 1, as its ``INTEGER PRIMARY KEY``, so not when the table's key is another
    (``elsewhere``: SQLite stopped, "table has more than one primary key"); DuckDB by a
    sequence, PostgreSQL by its own ``IDENTITY``."""
    return dialect != "sqlite" or ((identity.seed, identity.step) == (1, 1) and not elsewhere)


def restarted(identity: Identity, parts: tuple[str, ...], dialect: str, sequence: str
              ) -> list[str]:
    """The statements that start a target-numbered identity column again from its seed:
    SQLite's ``AUTOINCREMENT`` forgets the table's last value, PostgreSQL restarts its
    ``IDENTITY``; a DuckDB sequence cannot be restarted nor dropped while a default uses it,
    so the column takes a new one (``sequence``)."""
    table = ".".join(exp.to_identifier(p, quoted=True).sql() for p in parts)
    column = exp.to_identifier(identity.column, quoted=True).sql()
    if dialect == "sqlite":
        name = exp.Literal.string(parts[-1]).sql()
        return [f"DELETE FROM {parts[0] if len(parts) > 1 else 'temp'}.sqlite_sequence "
                f"WHERE name = {name}"]
    if dialect == "postgres":
        return [f"ALTER TABLE {table} ALTER COLUMN {column} RESTART WITH {identity.seed}"]
    return [f"CREATE TEMP SEQUENCE {sequence} START {identity.seed} INCREMENT {identity.step}",
            f"ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT nextval('{sequence}')"]


def added(alter: exp.Alter, dialect: str) -> Identity | None:
    """``ALTER TABLE #t ADD id INT IDENTITY(seed, step)``: on a target that does not number
    the rows the table has (SQLite left them NULL, DuckDB refused the statement), the
    constraint taken off the column, which :func:`numbering` then fills; PostgreSQL numbers
    them."""
    for action in alter.args.get("actions") or []:
        constraint = action.find(exp.GeneratedAsIdentityColumnConstraint) if isinstance(
            action, exp.ColumnDef) else None
        if constraint is None:
            continue
        made = of_constraint(action, constraint, ())
        if made is None or not isinstance(constraint.parent, exp.ColumnConstraint):
            return None
        if dialect == "postgres":  # (it numbers them, and each row inserted later)
            return Identity(made.column, made.seed, made.step, None, numbered=True)
        constraint.parent.pop()
        return Identity(made.column, made.seed, made.step, None)
    return None


def numbering(table: str, identity: Identity) -> str:
    """The ``UPDATE`` (SQLite's and DuckDB's) numbering a table's rows in the order they
    came (their ``rowid``), as SQL Server numbers a heap's rows for an added identity."""
    column = exp.to_identifier(identity.column, quoted=True).sql()
    return (f"UPDATE {table} SET {column} = {identity.seed} + {identity.step} * "
            f"({SOURCE}.n - 1) FROM (SELECT rowid AS leo_row, ROW_NUMBER() OVER "
            f"(ORDER BY rowid) AS n FROM {table}) AS {SOURCE} "
            f"WHERE {SOURCE}.leo_row = {table}.rowid")


def identity_insert(tree: exp.Expression) -> tuple[str, str, bool] | None:
    """``SET IDENTITY_INSERT #t ON`` (or ``OFF``): the table's key (``#t``, or its name), its
    name as written, and whether on; None for any other statement. sqlglot reads a #temp
    table's as a command, another's as an assignment."""
    if isinstance(tree, exp.Command) and tree.name.upper() == "SET":
        words = str(tree.expression or "").split()
        if len(words) != 3 or words[0].upper() != "IDENTITY_INSERT":
            return None
        written, switch = words[1], words[2].upper()
    elif isinstance(tree, exp.Set) and len(tree.expressions) == 1:
        assignment = tree.expressions[0].this
        if not (isinstance(assignment, exp.EQ) and assignment.this.name.upper() ==
                "IDENTITY_INSERT" and isinstance(assignment.expression, exp.Alias)):
            return None
        written = assignment.expression.this.sql("tsql")
        switch = assignment.expression.alias.upper()
    else:
        return None
    if switch not in ("ON", "OFF"):
        return None
    name = written.replace("[", "").replace("]", "").split(".")[-1]
    return name.lower(), name, switch == "ON"


def explicit_values(tree: exp.Insert, identity: Identity, allowed: bool, table: str,
                    line: int) -> None:
    """SQL Server's errors for an ``INSERT`` into a table with an identity column: its value
    given while ``IDENTITY_INSERT`` is off (544), or, while it is on, no column list (8101)
    or the column left out (545; ``DEFAULT VALUES`` too)."""
    listed = isinstance(tree.this, exp.Schema)
    given = listed and identity.column.lower() in (c.name.lower() for c in tree.this.expressions)
    if given and not allowed:
        message, number = (f"Cannot insert explicit value for identity column in table "
                           f"'{table}' when IDENTITY_INSERT is set to OFF."), 544
    elif allowed and not listed and not tree.args.get("default"):
        message, number = (f"An explicit value for the identity column in table '{table}' can "
                           f"only be specified when a column list is used and IDENTITY_INSERT "
                           f"is ON."), 8101
    elif allowed and not given:
        message, number = (f"Explicit value must be specified for identity column in table "
                           f"'{table}' either when IDENTITY_INSERT is set to ON or when a "
                           f"replication user is inserting into a NOT FOR REPLICATION "
                           f"identity column."), 545
    else:
        return
    raise ScriptError(line, message, runtime=True, number=number, said=message)


def _last(table: exp.Table, identity: Identity) -> exp.Expression:
    """The table's last value, or the seed less a step when it has no rows."""
    column = exp.column(identity.column, quoted=True)
    extreme = exp.Max(this=column) if identity.step > 0 else exp.Min(this=column)
    query = exp.select(exp.Coalesce(this=extreme, expressions=[
        exp.Literal.number(identity.seed - identity.step)])).from_(table.copy())
    return exp.Subquery(this=query)


def _value(table: exp.Table, identity: Identity, row: exp.Expression) -> exp.Expression:
    return exp.Add(this=_last(table, identity), expression=exp.Paren(this=exp.Mul(
        this=row, expression=exp.Literal.number(identity.step))))


def with_identity(tree: exp.Insert, identity: Identity) -> exp.Insert:
    """The ``INSERT`` with the identity column and its values added, when it leaves the
    column out (as it must in SQL Server), or, when the target numbers it, with the other
    columns listed; as it is otherwise (an ``INSERT ... EXEC``, ``DEFAULT VALUES`` into a
    table the target numbers, or a table whose columns are not known and no column list)."""
    schema = tree.this
    table = schema.this if isinstance(schema, exp.Schema) else schema
    source = tree.expression
    if isinstance(table, exp.Table) and source is None and tree.args.get("default") and (
            not identity.numbered):  # (DEFAULT VALUES: the identity given, the rest defaults)
        tree.set("default", None)
        tree.set("this", exp.Schema(this=table.copy(), expressions=[
            exp.to_identifier(identity.column)]))
        tree.set("expression", exp.Values(expressions=[exp.Tuple(expressions=[
            _value(table, identity, exp.Literal.number(1))])]))
        return tree
    if not isinstance(table, exp.Table) or not isinstance(source, exp.Values | exp.Query):
        return tree  # (EXEC, or DEFAULT VALUES the target numbers: nothing to list)
    if isinstance(schema, exp.Schema):
        given = [c.name for c in schema.expressions]
    elif identity.columns is not None:
        given = [c for c in identity.columns if c.lower() != identity.column.lower()]
    else:
        return tree
    if identity.column.lower() in (c.lower() for c in given):
        return tree
    columns = [exp.to_identifier(name) for name in given]
    if identity.numbered:
        tree.set("this", exp.Schema(this=table.copy(), expressions=columns))
        return tree
    if isinstance(source, exp.Values) and all(isinstance(r, exp.Tuple)
                                              for r in source.expressions):
        for number, row in enumerate(source.expressions, 1):
            row.append("expressions", _value(table, identity, exp.Literal.number(number)))
    elif isinstance(source, exp.Query):
        if not isinstance(source, exp.Select) or source.args.get("distinct"):
            # (a row number beside DISTINCT would make every row distinct)
            source = exp.select(exp.Star()).from_(exp.Subquery(
                this=source, alias=exp.TableAlias(this=exp.to_identifier(SOURCE))))
            source.set("expressions", [exp.Column(this=exp.Star(),
                                                  table=exp.to_identifier(SOURCE))])
        number = exp.Window(this=exp.RowNumber(), order=_window_order(source))
        source.append("expressions", _value(table, identity, number))
        tree.set("expression", source)
    else:
        return tree
    columns.append(exp.to_identifier(identity.column))
    tree.set("this", exp.Schema(this=table.copy(), expressions=columns))
    return tree
