"""One parsed T-SQL statement -> SQL for the target, with what running it means.

Beyond sqlglot's dialect translation (and the fixes in ``rewrites``):

- Names: SRS two- and three-part names become the target's relations (``names``); ``#t`` and
  ``##t`` are the session's temporary tables ``"#t"``/``"##t"``; ``SELECT ... INTO x`` and
  ``CREATE TABLE x`` make a TEMP table of the session even when ``x`` is not a ``#`` name (in
  the SRS they would go to the project schema; here the extract stays unchanged). Statements
  that would change a relation of the extract are refused.
- Case: SQL Server compares names case-insensitively, PostgreSQL folds unquoted names to lower
  case and keeps quoted ones as written. Every name is therefore rewritten to one spelling: the
  target's physical spelling of that column when it has one (looked up case-insensitively),
  otherwise lower case; headings keep the script's spelling.
- Variables: ``@x`` becomes the literal value the runner holds for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import Any

import sqlglot
from sqlglot import exp

from leo_synth.spec.model import ColumnSpec
from leo_synth.tsql import (
    aggregate_rules,
    alias_scope,
    altered_columns,
    argument_types,
    bit_columns,
    bitwise_operators,
    catalog_views,
    char_padding,
    checksum_aggregates,
    collation,
    column_lengths,
    computed_columns,
    constant_orders,
    copied_types,
    data_lengths,
    date_casts,
    date_literals,
    date_moments,
    date_only_styles,
    date_operands,
    date_overflows,
    date_truncation,
    datetime_display,
    datetime_numbers,
    datetime_parts,
    datetime_texts,
    decimal_overflows,
    decimal_quotients,
    decimal_scales,
    decimal_text_casts,
    decimal_texts,
    decimal_types,
    declared_catalog,
    declared_collations,
    derived_aliases,
    derived_columns,
    derived_texts,
    dialect_habits,
    distinct_order,
    duplicate_columns,
    exact_decimals,
    exists_lookups,
    extract_decimals,
    float_casts,
    float_domains,
    float_remainders,
    float_texts,
    format_messages,
    grouped_columns,
    grouping_sets,
    hash_bytes,
    identity_reads,
    identity_values,
    ignored_duplicates,
    information_schema,
    inserted_values,
    integer_average,
    integer_casts,
    integer_overflow,
    integer_texts,
    isnull_lengths,
    json_results,
    lateral_joins,
    lookup_indexes,
    master_views,
    money_quotients,
    money_texts,
    names,
    nested_order,
    null_columns,
    null_results,
    number_formats,
    number_series,
    number_styles,
    object_kinds,
    order_names,
    padded_comparisons,
    percentiles,
    pivots,
    qualified_kinds,
    quantified_comparisons,
    quoted_names,
    recursion_limits,
    recursive_types,
    rewrites,
    round_overflows,
    row_identity,
    rowcount_limit,
    scalar_subqueries,
    select_predicates,
    session_indexes,
    shadowing_columns,
    smalldatetime_values,
    soundex_codes,
    spec_lookup,
    sqlite_times,
    star_datetimes,
    star_headings,
    statement_decimals,
    statement_shapes,
    string_aggregates,
    string_escapes,
    string_splits,
    styled_dates,
    table_samples,
    tempdb_views,
    text_arithmetic,
    text_bounds,
    text_cases,
    text_groups,
    text_lengths,
    text_numbers,
    text_order,
    text_sums,
    time_columns,
    time_texts,
    top_options,
    union_dates,
    union_types,
    unnamed_columns,
    unpivot_types,
    user_functions,
    value_rewrites,
    window_rules,
)
from leo_synth.tsql.declared_columns import declared_types
from leo_synth.tsql.errors import ScriptError, is_database_error, output_refused
from leo_synth.tsql.made_datetimes import made_datetimes
from leo_synth.tsql.target_dialects import target_sql
from leo_synth.tsql.targets import DATE, FLOAT, INT, INTEGER, OTHER, TEXT, Target
from leo_synth.tsql.try_conversions import decimal_digits
from leo_synth.tsql.update_from import update_from

PLAIN = re.compile(r"[a-z_][a-z0-9_]*")


ROWCOUNT, FETCH_STATUS, CURSOR_ROWS = "@rowcount", "@fetch_status", "@cursor_rows"
ERROR, TRANCOUNT = "@error", "@trancount"
"""The keys of ``@@ROWCOUNT``'s, ``@@FETCH_STATUS``'s, ``@@CURSOR_ROWS``', ``@@ERROR``'s and
``@@TRANCOUNT``'s values among the variables given to :meth:`Translator.translate` (no
variable's name starts with ``@``)."""
SESSION = {"@version": exp.Literal.string("leo-synth: T-SQL translated for a synthetic LEO "
                                          "extract (not SQL Server)"),
           "@servername": exp.Literal.string("leo-synth"), "@spid": exp.Literal.number(51),
           **{f"{name.lower()}()": exp.Literal.string("leo-synth")
              for name in ("SUSER_SNAME", "USER_NAME", "ORIGINAL_LOGIN", "HOST_NAME")},
           "app_name()": exp.Literal.string("leo-synth sql")}
"""What a script's log header asks of its session, the same all through: ``@@VERSION``,
``@@SERVERNAME``, ``@@SPID``, the login and host names."""
SERVER_PROPERTIES = {"servername": "leo-synth", "machinename": "leo-synth",
                     "edition": "leo-synth (not SQL Server)",
                     "collation": catalog_views.COLLATION}
"""``SERVERPROPERTY``'s answers, by the property's name in lower case (any other property is
NULL, as SQL Server answers a name it does not know); the collation is the one ``sys.columns``
gives the extract's text."""
SESSION_FUNCTIONS = ("ERROR_MESSAGE", "ERROR_LINE", "ERROR_NUMBER", "ERROR_SEVERITY",
                     "ERROR_STATE", "ERROR_PROCEDURE", "XACT_STATE", "DB_NAME", "DB_ID",
                     "USER_NAME", "ORIGINAL_LOGIN", "HOST_NAME", "APP_NAME", "SCOPE_IDENTITY")
"""What a ``CATCH`` block asks of the error it handles, ``XACT_STATE()`` and what a script's
log header asks of its session: the values the runner holds (under the keys
``error_message()``, ``db_name()``, ...); one it does not hold (``ERROR_PROCEDURE()``: there
are no procedures) is NULL."""
WRITES = (exp.Insert, exp.Update, exp.Delete, exp.Drop, exp.TruncateTable, exp.Alter,
          exp.Create)


@dataclass
class Translation:
    """SQL for the target; ``query`` when it returns rows; ``creates`` the session table it
    makes; ``skip`` when there is nothing to run (dropping a table that does not exist)."""

    sql: str
    query: bool
    headings: list[str | None] | None = None
    """The result's headings as SQL Server gives them (None in place of a ``*`` whose
    columns are headed by name: ``star_headings.filled``)."""
    creates: tuple[str, ...] | None = None
    skip: bool = False
    scales: list[int | None] | dict[str, int] | None = None
    """Per result column (or by its name, for a ``SELECT *``), the places of its decimal
    type (:mod:`decimal_scales`)."""
    moments: list[tuple[str, int] | None] | dict[str, tuple[str, int]] | None = None
    """Per result column, its date-and-time type when it is one (:mod:`datetime_display`)."""
    drops: list[tuple[str, ...]] = field(default_factory=list)
    setup: tuple[str, ...] = ()
    """Statements to run first, once per session (PostgreSQL's percentile aggregate)."""


def counter(node: exp.Expression) -> str | None:
    """The key of the session counter ``node`` is (``@@ROWCOUNT``: sqlglot's parameter of a
    parameter), else None."""
    if isinstance(node, exp.Parameter) and isinstance(node.this, exp.Parameter):
        return f"@{node.this.name.lower()}"
    return None


def _headings(tree: exp.Expression) -> list[str] | None:
    """The result's column names as the script spells them (None when a * hides them)."""
    if not isinstance(tree, exp.Query):
        return None
    if isinstance(tree, exp.Select) and string_aggregates.joins_text(tree):
        return [string_aggregates.XML_HEADING]  # (the outermost SELECT ... FOR XML PATH(''))
    selects = tree.selects
    if any(s.is_star for s in selects):
        return None
    return [unnamed_columns.name_of(s) for s in selects]


def _no_output(tree: exp.Expression, line: int) -> None:
    """``INSERT``, ``UPDATE`` or ``DELETE ... OUTPUT`` stops the script (``output_refused``)."""
    if isinstance(tree, exp.Insert | exp.Update | exp.Delete) and tree.args.get("returning"):
        raise output_refused(type(tree).__name__.upper(), line)


def _required_columns(tree: exp.Create) -> set[str]:
    """The columns (lower case) a ``CREATE TABLE`` declares ``NOT NULL`` or of its primary
    key, inline or as the table's constraint."""
    found: set[str] = set()
    for definition in tree.find_all(exp.ColumnDef):
        for constraint in definition.args.get("constraints") or []:
            kind = constraint.args.get("kind")
            if (isinstance(kind, exp.NotNullColumnConstraint) and not kind.args.get(
                    "allow_null")) or isinstance(kind, exp.PrimaryKeyColumnConstraint):
                found.add(definition.name.lower())
    for key in tree.find_all(exp.PrimaryKey):
        found |= {column.name.lower() for column in key.expressions}
    return found


def _written(tree: exp.Expression) -> list[exp.Table]:
    """The tables a statement creates, changes or drops."""
    if not isinstance(tree, WRITES):
        return []
    if isinstance(tree, exp.Drop | exp.TruncateTable):
        found = tree.args.get("tables") or tree.expressions
    else:
        found = [tree.this]
    tables = [t.this if isinstance(t, exp.Schema) else t for t in found or []]
    return [t for t in tables if isinstance(t, exp.Table)]


def _case_only_rename(tree: exp.Expression) -> bool:
    """``sp_rename '#t.pmr', 'PMR', 'COLUMN'``: a new spelling of the same name."""
    rename = tree.find(exp.RenameColumn) if isinstance(tree, exp.Alter) else None
    return rename is not None and rename.this.name.lower() == rename.args["to"].name.lower()


def temporary_key(identifier: exp.Expression) -> str | None:
    """``#t`` or ``##t`` for a temp-table name, ``@t`` for a table variable's, else None."""
    if isinstance(identifier, exp.Parameter):
        return f"@{identifier.name.lower()}"
    if identifier.args.get("global_"):
        return f"##{identifier.name.lower()}"
    if identifier.args.get("temporary"):
        return f"#{identifier.name.lower()}"
    return None


def session_key(table: exp.Table) -> str:
    """The session's key of a table node: ``#t``, ``##t``, ``@t``, or its name in lower
    case."""
    return temporary_key(table.this) or table.name.lower()


def _temporary_qualifiers(tree: exp.Expression) -> None:
    """A column qualified by a #temp table's name (``#q.id``, with no alias in the FROM) named
    as the table is on the target (``"#q".id``; sqlglot wrote ``q.id``, which no target
    found)."""
    for column in tree.find_all(exp.Column):
        table = column.args.get("table")
        key = temporary_key(table) if isinstance(table, exp.Identifier) else None
        if key is not None and not key.startswith("@"):
            column.set("table", exp.Identifier(this=key, quoted=True))


def _table_key(tree: exp.Create) -> list[str]:
    """The columns (lower case) of a table's key written apart from its columns (``CONSTRAINT
    pk PRIMARY KEY (id)``); none when it has no such key."""
    for key in tree.find_all(exp.PrimaryKey):
        return [(c.this if isinstance(c, exp.Ordered) else c).name.lower()
                for c in key.expressions]
    return []


def _autoincrement_key(tree: exp.Create, column: exp.ColumnDef) -> None:
    """SQLite: the key column ``column`` as ``INTEGER PRIMARY KEY AUTOINCREMENT`` (which only a
    key the column states itself may be: a key written apart is moved to the column)."""
    constraints = column.args.get("constraints") or []
    keys = [c for c in constraints if isinstance(c.args.get("kind"),
                                                 exp.PrimaryKeyColumnConstraint)]
    if not keys:
        for key in list(tree.find_all(exp.PrimaryKey)):
            holder = key.parent
            (holder if isinstance(holder, exp.Constraint) else key).pop()
        keys = [exp.ColumnConstraint(kind=exp.PrimaryKeyColumnConstraint())]
        constraints = [*constraints, keys[0]]
    at = constraints.index(keys[0]) + 1
    constraints.insert(at, exp.ColumnConstraint(kind=exp.AutoIncrementColumnConstraint()))
    column.set("constraints", constraints)


def _column_default(tree: exp.Expression) -> exp.AlterColumn | None:
    """The action of ``ALTER TABLE t ALTER COLUMN c SET DEFAULT x`` (how ``script`` reads
    SQL Server's ``ALTER TABLE t ADD CONSTRAINT ... DEFAULT x FOR c``), else None."""
    actions = tree.args.get("actions") if isinstance(tree, exp.Alter) else None
    if actions and len(actions) == 1 and isinstance(actions[0], exp.AlterColumn) and (
            actions[0].args.get("default") is not None):
        return actions[0]
    return None


def _storage_only(tree: exp.Expression) -> bool:
    """``ALTER TABLE #t ALTER COLUMN c INT NOT NULL``, ``ADD CONSTRAINT pk PRIMARY KEY (c)``:
    how SQL Server stores a #temp table, which changes no answer (skipped, as indexes are)."""
    actions = tree.args.get("actions") if isinstance(tree, exp.Alter) else None
    return bool(actions) and all(isinstance(a, exp.AlterColumn | exp.AddConstraint)
                                 for a in actions)


def _recursive(tree: exp.Expression, line: int) -> exp.Expression:
    """A common table expression that reads itself (T-SQL writes no ``RECURSIVE``: a number
    or calendar table, ``WITH n AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM n ...)``) marked
    recursive, as PostgreSQL and DuckDB need. One whose body is not members joined by
    ``UNION ALL`` is SQL Server's error 252, as ``WITH spring_census_2015 AS (SELECT ...
    FROM spring_census_2015)`` is there (the name reads the CTE itself, not the extract's
    relation: a qualified name would), where PostgreSQL and DuckDB read the relation."""
    for ctes in tree.find_all(exp.With):
        for cte in ctes.expressions:
            name = cte.alias.lower()
            # (as written: a #temp table of the CTE's name, `#d` beside `d`, is another)
            if any(names.as_written(t).lower() == name and not t.args.get("db")
                   for t in cte.this.find_all(exp.Table)):
                body = cte.this
                if not (isinstance(body, exp.Union) and not body.args.get("distinct")):
                    message = (f"Recursive common table expression '{cte.alias}' does not "
                               "contain a top-level UNION ALL operator.")
                    raise ScriptError(line, message, runtime=True, number=252, said=message)
                ctes.set("recursive", True)
    return tree


def _with_into_as_create(tree: exp.Expression) -> exp.Expression:
    """``SELECT ... INTO t FROM ...`` as ``CREATE TEMP TABLE t AS SELECT ...``; a CREATE TABLE
    or CREATE VIEW made temporary (the session's, as the extract stays unchanged)."""
    into = tree.find(exp.Into) if isinstance(tree, exp.Query) else None
    if into is not None:
        into.pop()
        tree = exp.Create(this=into.this, kind="TABLE", expression=tree)
    if isinstance(tree, exp.Create) and str(tree.args.get("kind", "")).upper() in ("TABLE",
                                                                                 "VIEW"):
        tree.set("properties", exp.Properties(expressions=[exp.TemporaryProperty()]))
    return tree


def written_key(tree: exp.Expression) -> str | None:
    """The session's key of the table a statement makes or writes (``#t``, or its name)."""
    table = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
    if not isinstance(table, exp.Table):
        return None
    return session_key(table)


def _no_such_table(key: str, line: int) -> ScriptError:
    """SQL Server's error for a #temp table or table variable the session does not hold
    (the targets' own words differed: "no such table", "Catalog Error", "relation ... does
    not exist"), which a ``CATCH`` block catches as there."""
    if key.startswith("@"):
        message, number = f'Must declare the table variable "{key}".', 1087
    else:
        message, number = f"Invalid object name '{key}'.", 208
    return ScriptError(line, message, runtime=True, number=number, said=message)


def _iif_as_case(tree: exp.Expression) -> exp.Expression:
    """``IIF(c, a, b)`` as the ``CASE WHEN c THEN a ELSE b END`` T-SQL defines it as, so that
    its results' types are worked out as a CASE's are (SQLite's own IIF gave ``'none'``
    beside an integer where SQL Server stops converting it)."""
    for node in list(tree.find_all(exp.If)):
        if not isinstance(node.parent, exp.Case):
            case = exp.Case(ifs=[exp.If(this=node.this.copy(), true=node.args["true"].copy())])
            if node.args.get("false") is not None:
                case.set("default", node.args["false"].copy())
            if node is tree:
                return case
            node.replace(case)
    return tree


def _string_aliases(tree: exp.Expression) -> exp.Expression:
    """``SELECT 'Pupils' = COUNT(*)``, T-SQL's alias written as a string before ``=``, as
    ``COUNT(*) AS Pupils`` (a comparison there is no T-SQL: the targets compared the text
    with the count)."""
    for select in tree.find_all(exp.Select):
        for item in select.expressions:
            if isinstance(item, exp.EQ) and isinstance(item.this, exp.Literal) and (
                    item.this.is_string):
                item.replace(exp.alias_(item.expression.copy(), item.this.name, quoted=True))
    return tree


def _view_replaced(tree: exp.Expression) -> tuple[exp.Expression, bool]:
    """``CREATE OR ALTER VIEW v AS ...`` and ``ALTER VIEW v AS ...`` as a plain ``CREATE VIEW``
    and whether the view of that name is to be dropped first: SQLite has no ``OR REPLACE``,
    and PostgreSQL's keeps the view's columns, which an altered view may change."""
    kind = str(tree.args.get("kind", "")).upper()
    if isinstance(tree, exp.Create) and kind == "VIEW" and tree.args.get("replace"):
        tree.set("replace", False)
        return tree, True
    actions = tree.args.get("actions") or []
    if isinstance(tree, exp.Alter) and kind == "VIEW" and len(actions) == 1 and isinstance(
            actions[0], exp.Query):
        return exp.Create(this=tree.this, kind="VIEW", expression=actions[0]), True
    return tree, False


def _named_values(values: exp.Values) -> None:
    """``(VALUES (1, 'a'), ...) AS v(n, l)`` on SQLite, which names no column of a derived
    table: ``(SELECT column1 AS n, column2 AS l FROM (VALUES ...)) AS v``."""
    alias = values.args.get("alias")
    if alias is None or not alias.columns:
        return
    if values.find(exp.Column):
        # rows that read the outer query's columns, as the greatest-of-columns idiom's
        # (SELECT MAX(v) FROM (VALUES (a), (b)) AS t(v)): SQLite (3.40) names no column1 of
        # such a VALUES ("no such column"), so each row is a SELECT of its own (a UNION ALL,
        # kept to these: SQLite joins at most 500 SELECTs, and constant VALUES lists can be
        # longer)
        rows = [exp.select(*[exp.alias_(value.copy(), column.name, quoted=True)
                             for value, column in zip(row.expressions, alias.columns,
                                                      strict=False)])
                for row in values.expressions]
        union: exp.Query = rows[0]
        for row in rows[1:]:
            union = exp.union(union, row, distinct=False)
        values.replace(exp.Subquery(this=union, alias=exp.TableAlias(this=alias.this.copy())))
        return
    plain = values.copy()
    plain.set("alias", None)
    select = exp.select(*[exp.alias_(exp.column(f"column{i}"), column.name, quoted=True)
                          for i, column in enumerate(alias.columns, start=1)]
                        ).from_(exp.Subquery(this=plain))
    values.replace(exp.Subquery(this=select, alias=exp.TableAlias(this=alias.this.copy())))


def _within_target(tree: exp.Expression, dialect: str, line: int) -> exp.Expression:
    """What SQLite lacks, written out: APPLY as a join of a decorrelated subquery
    (``lateral_joins``), grouping sets as a UNION ALL (``grouping_sets``), ``x >= ALL (...)``
    and ``= ANY (...)`` as ``EXISTS`` (``quantified_comparisons``), ``TRUNCATE TABLE``
    as ``DELETE FROM``, ``VALUES`` with column names as a subquery, a column's ``DEFAULT``
    expression in brackets; on DuckDB, ``CROSS APPLY``
    is ``CROSS JOIN LATERAL`` and ``OUTER APPLY`` ``LEFT JOIN LATERAL ... ON TRUE`` (sqlglot
    writes an inner join without ``ON``, which DuckDB does not parse)."""
    if dialect == "sqlite":
        for now in list(tree.find_all(exp.CurrentTimestamp)):
            # GETDATE(): the local time with its milliseconds, as SQL Server's server gives it
            # (SQLite's CURRENT_TIMESTAMP is UTC, to the second; the other targets' a moment,
            # shown in the local time: datetime_display)
            now.replace(exp.Anonymous(this="STRFTIME", expressions=[
                exp.Literal.string(value_rewrites.PRECISE_DATETIME), exp.Literal.string("now"),
                exp.Literal.string("localtime")]))
        if tree.find(exp.Lateral):
            tree = lateral_joins.for_sqlite(tree, line)
        if tree.find(exp.Rollup, exp.Cube, exp.GroupingSets):
            tree = grouping_sets.for_sqlite(tree)
        if tree.find(exp.All, exp.Any):
            tree = quantified_comparisons.for_sqlite(tree)
        if isinstance(tree, exp.TruncateTable) and len(tree.expressions) == 1:
            return exp.Delete(this=tree.expressions[0])
        for values in list(tree.find_all(exp.Values)):
            _named_values(values)
        for default in list(tree.find_all(exp.DefaultColumnConstraint)):
            # (SQLite takes a constant or an expression in brackets: DEFAULT GETDATE() and
            # DEFAULT CAST(GETDATE() AS DATE) were syntax errors)
            value = default.this
            if not isinstance(value, exp.Literal | exp.Null | exp.Paren | exp.Boolean) and not (
                    isinstance(value, exp.Neg) and isinstance(value.this, exp.Literal)):
                default.set("this", exp.Paren(this=value))
    if dialect == "duckdb":  # CROSS APPLY: CROSS JOIN LATERAL; OUTER APPLY: LEFT ... ON TRUE
        for lateral in list(tree.find_all(exp.Lateral)):
            join, cross = lateral.parent, lateral.args.get("cross_apply")
            if not isinstance(join, exp.Join) or cross is None:
                continue
            lateral.set("cross_apply", None)
            if cross:
                join.set("kind", "CROSS")
            else:
                join.set("side", "LEFT")
                join.set("on", exp.true())
    return tree


CAST_KINDS = {exp.DataType.Type.INT: INT, exp.DataType.Type.SMALLINT: INT,
              exp.DataType.Type.TINYINT: INT, exp.DataType.Type.BIGINT: INTEGER,
              exp.DataType.Type.DATE: DATE, exp.DataType.Type.FLOAT: FLOAT,
              exp.DataType.Type.DOUBLE: FLOAT}
"""What a cast's value holds, by its type (the others: OTHER)."""


def _literals_kind(cells: list[exp.Expression]) -> str | None:
    """The kind of a ``VALUES`` column's cells when all are literals (NULLs aside) of one:
    ``INT`` (integers within an ``int``), ``INTEGER``, ``TEXT``, or ``OTHER`` (numbers with
    a fraction); None otherwise."""
    kinds = set()
    for cell in cells:
        if isinstance(cell, exp.Null):
            continue
        value = cell.this if isinstance(cell, exp.Neg) else cell
        if not isinstance(value, exp.Literal) or (value.is_string and value is not cell):
            return None
        if value.is_string:
            kinds.add(TEXT)
        elif value.name.isdigit():
            kinds.add(INT if int(value.name) <= 2**31 - 1 else INTEGER)
        else:
            kinds.add(OTHER)
    if kinds == {INT, INTEGER}:
        return INTEGER
    return kinds.pop() if len(kinds) == 1 else None


def _named_table(name: str) -> tuple[exp.Table, str] | None:
    """The table a name given as text names (``tempdb..#t``, ``npd_i2.dbo.x``) and its key in
    the session (``#t``, ``x``); None when the text is no table's name."""
    try:
        table = exp.to_table(names.TEMPDB.sub("", name), dialect="tsql")
    except Exception:  # (sqlglot's errors: not a table name at all)
        return None
    return table, session_key(table)


class Translator:
    """Translates the statements of one script for one target, keeping the session's tables
    and the spelling of every name met so far."""

    def __init__(self, target: Target):
        self.target = target
        self.session: dict[str, tuple[str, ...]] = {}
        self.spelling: dict[str, str] = {}
        self.reading: dict[str, str] = {}
        """The SRS spelling of the columns of the extract's relations the latest statement
        reads, by lower case (PostgreSQL holds them in lower case)."""
        self.written: dict[str, str] = {}
        """The script's own spelling of each column name it makes (a #temp table's column, an
        alias, a PIVOT's value), by lower case: the targets hold such names in lower case
        (``_names``), SQL Server as written, so ``SELECT *`` shows them so (``heading``)."""
        self.loaded: set[tuple[str, ...]] = set()
        self.integers: dict[str, bool] = {}
        """Column names (lower case) and whether they hold integers wherever met."""
        self.ints: dict[str, bool] = {}
        """Column names (lower case) and whether they hold ``int`` values (four bytes or
        fewer) wherever met."""
        self.texts: dict[str, bool] = {}
        """Column names (lower case) and whether they hold text wherever met."""
        self.decimals: dict[str, tuple[int, int] | None] = {}
        """Column names (lower case) of a decimal type (precision, scale) wherever met: a
        #temp table's declared ``DECIMAL``, or one ``SELECT ... INTO`` made (None: met with
        another type too)."""
        self.declared_decimals: dict[str, dict[str, tuple[int, int]]] = {}
        """By #temp table (its name in lower case), its decimal columns, as the statement
        that makes it declares or computes them (:meth:`learn` then records them)."""
        self.declared_ints: dict[str, set[str]] = {}
        """By #temp table (its name in lower case), the columns its ``SELECT ... INTO`` made
        of ``int`` values (:meth:`learn` records them as ``int``, whatever the target's
        integer type)."""
        self.lengths: dict[str, int | None] = {}
        """Column names (lower case) and their text length wherever met (None: unknown, or
        met with two lengths; ``isnull_lengths``)."""
        self.met_kinds: dict[str, set[str]] = {}
        """Column names (lower case) and every kind a table met so far holds them as."""
        self.bits: dict[str, bool] = {}
        """Column names (lower case) and whether they hold ``BIT``s wherever met
        (``bit_columns``)."""
        self.declared_bits: dict[str, set[str]] = {}
        """By #temp table (its name in lower case), its ``BIT`` columns, as the statement that
        makes it declares or computes them."""
        self.datetimes: dict[str, bool] = {}
        """Column names (lower case) and whether they hold a ``DATETIME`` (a date and time
        type) wherever met (``datetime_display``)."""
        self.moments: set[str] = set()
        """Column names (lower case) met holding a date and time anywhere (``date_operands``:
        a DATETIME takes days added)."""
        self.declared_required: dict[str, set[str]] = {}
        """By #temp table (its name in lower case), the columns its ``CREATE TABLE`` declares
        ``NOT NULL`` or part of its primary key (``sys.columns.is_nullable`` 0)."""
        self.declared_kinds: dict[str, dict[str, object]] = {}
        """By #temp table (its name in lower case), its columns' types as its ``CREATE TABLE``
        declares them (``unpivot_types``; forgotten when the table is altered)."""
        self.views: set[str] = set()
        """The keys of the session's tables that are views the script made."""
        self.copied_specs: dict[str, dict[str, ColumnSpec]] = {}
        """By #temp table (its name in lower case), the columns its ``SELECT ... INTO``
        copied as they are from one view of the extract, with the spec's types of their
        sources (``copied_types``; forgotten when the table is altered)."""
        self.star_made: set[str] = set()
        """The #temp tables (names in lower case) a ``SELECT * INTO`` made: their columns
        keep the types their names hold (:meth:`_inherit`)."""
        self.declared_datetimes: dict[str, set[str]] = {}
        """By #temp table (its name in lower case), its date-and-time columns, as the
        statement that makes it declares or computes them."""
        self.declared_formats: dict[str, dict[str, datetime_display.Format]] = {}
        """By #temp table (its name in lower case), its date-and-time columns' types."""
        self.datetime_formats: dict[str, datetime_display.Format | None] = {}
        """Column names (lower case) met, and the date-and-time type every table met holds
        them as (None: another type somewhere): a ``DATETIME2(n)`` is shown with n places."""
        self.datetime2_columns: set[str] = set()
        """Column names (lower case) of ``DATETIME2`` columns of the session's tables
        (``datetime_texts`` leaves their text ISO)."""
        self.unicode_columns: set[str] = set()
        """Column names (lower case) a #temp table declares ``NCHAR`` or ``NVARCHAR``
        (``padded_comparisons.likes``: their trailing spaces count in ``LIKE``)."""
        self.cased_columns: dict[str, str] = {}
        """Column names (lower case) a #temp table declares under a collation that keeps
        case, and its name (``declared_collations``)."""
        self.money_columns: set[str] = set()
        """Column names (lower case) of ``MONEY`` columns of the session's tables
        (``number_formats`` writes them as text in the money styles)."""
        self.declared_moneys: dict[str, set[str]] = {}
        """By #temp table (its name in lower case), its ``MONEY`` columns."""
        self.moneys: dict[str, bool] = {}
        """Column names (lower case) met, and whether every table met holds them as
        ``MONEY`` (``decimal_types`` shows such a column, its ``SUM`` and ``AVG``, with
        four places)."""
        self.declared_smalls: dict[str, dict[str, exp.DataType]] = {}
        """The ``TINYINT`` and ``SMALLINT`` columns of the session's tables, by table
        (``inserted_values`` casts the values put in them)."""
        self.made: dict[str, dict[str, str]] = {}
        """The spellings of the columns each table made by ``SELECT ... INTO`` took from
        what it read (by the table's key; lower-case name to spelling)."""
        self.floats: dict[str, bool] = {}
        """Column names (lower case) and whether they hold FLOATs wherever met."""
        self.undated: set[str] = set()
        """Column names (lower case) met holding neither dates nor untyped values."""
        self.dates: set[str] = set()
        """Column names (lower case) that hold dates wherever met (SQLite declares no type
        for a column that ``SELECT ... INTO`` copies: those do not count against)."""
        self.indexes = session_indexes.SessionIndexes(target.dialect)
        """The indexes made on the session's tables (built on SQLite)."""
        self.defaults: dict[tuple[str, ...], dict[str, exp.Expression]] = {}
        """Per session table, its columns' defaults set after it was made (``ALTER TABLE t
        ADD CONSTRAINT ... DEFAULT (0) FOR c``), by column (lower case)."""
        self.ignored_keys: dict[str, list[str]] = {}
        """The key columns of each table (its name, lower case) declared ``WITH
        (IGNORE_DUP_KEY = ON)``, whose INSERTs leave duplicates out (``ignored_duplicates``)."""
        self.unique_keyed: set[str] = set()
        """The #temp tables (names in lower case) whose ``CREATE TABLE`` declares ``UNIQUE``
        keys and no primary key: a duplicate there violates a ``UNIQUE KEY`` constraint."""
        self.identity_columns: dict[str, identity_values.Identity] = {}
        """The session's tables' ``IDENTITY`` columns (by key: ``#t``, or the name)."""
        self.numbering: identity_values.Identity | None = None
        """The identity column the statement adds, whose rows an UPDATE then numbers."""
        self.identity_inserts: set[str] = set()
        """The table whose ``IDENTITY_INSERT`` is on (SQL Server allows one at a time)."""
        self.schemas: set[str] = set()
        """Schemas the script made (``CREATE SCHEMA``), in lower case."""
        self.database: str | None = None
        """The extract's database of the script's last ``USE`` (the catalog views', as
        ``INFORMATION_SCHEMA.COLUMNS``, are its own when they name no database)."""
        self.procedures: Collection[str] = ()
        """The names (lower case) of the stored procedures the script made (the runner's
        own): ``OBJECT_ID`` finds them."""
        self.functions: Mapping[str, Any] = {}
        """The functions the script made (the runner's own, blocks.Function by lower-case
        name): written where a statement calls them (user_functions.py)."""
        self.identities = 0
        """Sequences made for IDENTITY columns on DuckDB (each named by its number)."""
        self.setups_made: set[tuple[str, ...]] = set()
        """The session functions made on PostgreSQL so far (``percentiles``' aggregate,
        ``float_texts``' function), each by its statements."""
        self.text_lengths: dict[str, tuple[list[str], dict[str, int]]] = {}
        """The tables (by key) a script's ``CREATE TABLE`` or ``SELECT ... INTO`` made: their
        columns in order, and the lengths of their text columns (``text_lengths``)."""
        self.fixed_columns: dict[str, frozenset[str]] = {}
        """The ``CHAR(n)`` columns (lower case) of each table a ``CREATE TABLE`` made (by
        key), whose values are padded (``char_padding``)."""
        self.dateformat = "mdy"
        """The session's ``DATEFORMAT`` (us_english's until the script sets another)."""
        self.datefirst = 7
        """The session's ``DATEFIRST``: the weekday ``DATEPART(weekday, d)`` numbers 1."""
        self.rowcount = 0
        """The session's ``SET ROWCOUNT`` (0: none; ``rowcount_limit``)."""
        self.ansi_warnings = True
        self._scopes: list[ExitStack] = []
        """The statements being translated (nested: a probe's within its statement's), each
        with what it changed of the translator's knowledge for its own time."""
        """The session's ``SET ANSI_WARNINGS``: OFF cuts text too long for a #temp table's
        column to its length without a word (``text_lengths``)."""

    def _note_declared(self, tree: exp.Expression, columns: integer_casts.ColumnKinds,
                       made: datetime_display.Columns) -> None:
        """The decimal and ``BIT`` columns of the table a ``CREATE TABLE`` or ``SELECT ...
        INTO`` makes, for :meth:`learn` to record once it is made (``made``: the date-and-time
        columns the statement's derived tables and CTEs make, which a column passing one
        through holds too)."""
        if not isinstance(tree, exp.Create) or str(tree.args.get("kind", "")).upper() != (
                "TABLE") or not _written(tree):
            return
        name = _written(tree)[0].name.lower()
        self.declared_decimals[name] = decimal_types.declared(tree, columns)
        ignoring = ignored_duplicates.declared(tree)
        schema = tree.this
        if isinstance(schema, exp.Schema) and schema.find(exp.UniqueColumnConstraint) and (
                not schema.find(exp.PrimaryKey, exp.PrimaryKeyColumnConstraint)):
            self.unique_keyed.add(name)
        else:
            self.unique_keyed.discard(name)
        if ignoring is None:
            self.ignored_keys.pop(name, None)
        else:
            self.ignored_keys[name] = ignoring
        self.declared_ints[name] = decimal_types.declared_ints(tree, columns)
        self.declared_bits[name] = bit_columns.declared(tree, self.bits)
        moments = star_datetimes.star_formats(tree.expression, self._session_formats, made)
        moments.update(datetime_display.declared(
            tree, {**self.datetimes, **dict.fromkeys(made, True)},
            {**self._datetime_columns(), **made}, self._owned_formats(tree)))
        self.declared_datetimes[name] = set(moments)
        self.declared_formats[name] = moments
        self.declared_required[name] = _required_columns(tree)
        self.declared_kinds.pop(name, None)
        self.copied_specs[name] = copied_types.copied(
            tree.expression, {parts[-1].lower() for parts in self.session.values()})
        if isinstance(tree.this, exp.Schema):
            self.declared_kinds[name] = {column: kind.sql(dialect="tsql").upper()
                                         for column, kind in declared_types(tree).items()}
        self.datetime2_columns |= {c for c, kind in moments.items() if kind[0] == "datetime2"}
        self.declared_smalls[name] = integer_casts.small_columns(tree)
        self.unicode_columns |= {column for column, kind in declared_types(tree).items()
                                 if kind.this in padded_comparisons.UNICODE}
        self.cased_columns.update(declared_collations.declared(tree))
        self.declared_moneys[name] = decimal_types.declared_money(tree, columns)
        self.money_columns |= self.declared_moneys[name]
        query = tree.expression
        if isinstance(query, exp.Select) and any(s.is_star for s in query.selects):
            self.star_made.add(name)
        else:
            self.star_made.discard(name)

    def learn(self, parts: tuple[str, ...]) -> None:
        """Record the physical spelling of a relation's or session table's columns."""
        if parts in self.loaded:
            return
        self.loaded.add(parts)
        table = parts[-1].lower()
        lengths, bits = self._text_lengths(table), self._bits(table)
        decimals = self.declared_decimals[table] if table in self.declared_decimals else (
            extract_decimals.declared(table))
        for column, kind in self._session_kinds(parts):
            name = column.lower()
            self.spelling.setdefault(name, column)
            if table in self.star_made:
                self._inherit(table, name)
            self._met(name, kind, decimals.get(name), name in bits, lengths.get(name),
                      name in self.declared_datetimes.get(table, ()),
                      name in self.declared_moneys.get(table, ()))
            shown = self.declared_formats.get(table, {}).get(name)
            if self.datetime_formats.get(name, shown) != shown:
                shown = None  # (another type in another table: shown as a DATETIME)
            self.datetime_formats[name] = shown

    def _datetime_columns(self) -> datetime_display.Columns:
        """The columns of one date-and-time type wherever met, and their types."""
        return {name: shown for name, shown in self.datetime_formats.items() if shown}

    def _ticked_columns(self) -> set[str]:
        """The columns that hold a ``DATETIME`` itself wherever met (``datetime_ticks``)."""
        return {name for name, shown in self._datetime_columns().items()
                if shown == datetime_display.DATETIME}

    def _session_formats(self, name: str) -> dict[str, datetime_display.Format] | None:
        """The date-and-time types a table of the session declares (``name`` lower case);
        None for another table."""
        return self.declared_formats.get(name) if name in self.session else None

    def _session_times(self, name: str) -> dict[str, tuple[str, int]] | None:
        """The ``TIME`` columns a table of the session declares (``name`` lower case), with
        their places (``time_columns``); None for another table."""
        if name not in self.session:
            return None
        return time_columns.declared_times(self.declared_kinds.get(name, {}))

    def _owned_formats(self, tree: exp.Expression) -> dict[int, datetime_display.Format]:
        """The columns of ``tree`` whose #temp table declares their date-and-time type."""
        return datetime_display.table_formats(tree, self._session_formats, self.table_columns)

    def _inherit(self, table: str, name: str) -> None:
        """A column a ``SELECT * INTO`` copied keeps the decimal, ``BIT``, ``DATETIME`` and
        ``MONEY`` type its name holds wherever met, as SQL Server's copy keeps its source's type
        (SQLite's copy declares a DECIMAL ``NUM`` and a DATETIME no type: met so, the name
        lost its places and its time everywhere)."""
        decimal = self.decimals.get(name)
        if decimal is not None:
            self.declared_decimals.setdefault(table, {}).setdefault(name, decimal)
        if self.bits.get(name):
            self.declared_bits.setdefault(table, set()).add(name)
        if self.datetimes.get(name):
            self.declared_datetimes.setdefault(table, set()).add(name)
            if self.datetime_formats.get(name):
                self.declared_formats.setdefault(table, {})[name] = self.datetime_formats[name]
        if self.moneys.get(name):
            self.declared_moneys.setdefault(table, set()).add(name)

    def _declared_days(self, table: str, kinds: list[tuple[str, str]]) -> set[str]:
        """The columns of a table the script made that it declared ``DATE`` (lower case):
        those the target holds as dates that are no ``DATETIME``; none for another table,
        whose dates may hold times for all the translator knows."""
        if table not in self.declared_datetimes:
            return set()
        moments = self.declared_datetimes[table]
        return {name.lower() for name, kind in kinds if kind == DATE} - moments

    def _bits(self, table: str) -> set[str]:
        """The ``BIT`` columns of a table (lower-case names): a #temp table's, as its
        ``CREATE TABLE`` or ``SELECT ... INTO`` makes them, or the extract's, from the spec
        (``leo_employment``'s ``UncertainStartDate``: the targets hold bits as integers)."""
        if table in self.declared_bits:
            return self.declared_bits[table]
        rel = spec_lookup.relation(table)
        return set() if rel is None else {col.name.lower() for col in rel.columns
                                          if col.spec.type.base == "bit"}

    def _text_lengths(self, table: str) -> dict[str, int]:
        """The text columns' lengths of a table (lower-case names): a #temp table's, as its
        ``CREATE TABLE`` declares them, or the extract's, from the spec."""
        if table in self.text_lengths:
            return self.text_lengths[table][1]
        rel = spec_lookup.relation(table)
        if rel is None:
            return {}
        return {col.name.lower(): col.spec.type.length for col in rel.columns
                if col.spec.type.kind == "string" and col.spec.type.length}

    def _met(self, name: str, kind: str, decimal: tuple[int, int] | None = None,
             bit: bool = False, length: int | None = None, moment: bool = False,
             money: bool = False) -> None:
        """A column ``name`` (lower case) met holding ``kind`` (of a declared decimal type,
        ``BIT``, text ``length``, a ``DATETIME`` or a ``MONEY``): a name is read as integers
        (text, ...) only if every table met so far holds it so."""
        if self.lengths.get(name, length) != length:
            length = None
        self.lengths[name] = length
        self.met_kinds.setdefault(name, set()).add(kind)
        self.integers[name] = self.integers.get(name, True) and kind in (INTEGER, INT)
        self.ints[name] = self.ints.get(name, True) and kind == INT
        self.texts[name] = self.texts.get(name, True) and kind == TEXT
        # (SQLite holds a MONEY, and a #temp table's DECIMAL, as REAL: neither is a FLOAT)
        self.floats[name] = self.floats.get(name, True) and kind == FLOAT and (
            name not in self.money_columns) and decimal is None
        self.bits[name] = self.bits.get(name, True) and bit
        self.moneys[name] = self.moneys.get(name, True) and money
        self.datetimes[name] = self.datetimes.get(name, True) and moment
        if moment:
            self.moments.add(name)
        if self.decimals.get(name, decimal) != decimal:
            decimal = None
        self.decimals[name] = decimal
        if kind == DATE and name not in self.undated:
            self.dates.add(name)
        elif kind not in (OTHER, FLOAT):
            self.undated.add(name)
            self.dates.discard(name)

    def _qualified_kinds(self, tree: exp.Expression, resolved: set[int]) -> exp.Expression:
        """The compared columns of a name that is text in one table and integers in another,
        cast to their own table's type (``qualified_kinds``)."""
        names = {name for name, kinds in self.met_kinds.items() if qualified_kinds.mixed(kinds)}
        if not names:
            return tree
        made = {id(t) for t in _written(tree)} if isinstance(tree, exp.Create) else set()
        tables = [t for t in tree.find_all(exp.Table)
                  if id(t) in resolved and id(t) not in made]  # (a table made is not there yet)

        def kinds(table: exp.Table) -> dict[str, str]:
            parts = tuple(p for p in (table.catalog, table.db, table.name) if p)
            return {column.lower(): kind for column, kind in self.target.columns(parts)}

        return qualified_kinds.typed(tree, names, tables, kinds)

    def _learn_values(self, tree: exp.Expression) -> None:
        """The columns of a ``VALUES`` list the statement names (``CROSS JOIN (VALUES (1),
        (3), (5)) v(yag)``), by their literals: integers, text or other numbers (their type
        unknown otherwise, ``AVG(yag * 1.0)`` was shown with the float's places)."""
        for values in tree.find_all(exp.Values):
            alias = values.args.get("alias")
            rows = [row.expressions if isinstance(row, exp.Tuple) else [row]
                    for row in values.expressions]
            for position, column in enumerate(alias.columns if alias else []):
                kind = _literals_kind([row[position] for row in rows if position < len(row)])
                if kind is not None:
                    self._met(column.name.lower(), kind)
        # a text name a CTE or derived table gives a cast to a date or number (``CAST(
        # first_day AS DATE) AS first_day``, of a VALUES list's text) holds that there: no
        # longer read as text wherever met (DuckDB stopped at RTRIM of a date)
        for name, items in derived_columns.made_items(tree).items():
            for item in items:
                if self.texts.get(name) and isinstance(item, exp.Cast) and (
                        item.to.this not in exp.DataType.TEXT_TYPES):
                    self._met(name, CAST_KINDS.get(item.to.this, OTHER))

    def created(self, parts: tuple[str, ...]) -> None:
        self.session[parts[-1].lower()] = parts
        self.loaded.discard(parts)
        self.learn(parts)

    def altered(self, tree: exp.Alter, parts: tuple[str, ...]) -> None:
        """After ``ALTER TABLE #t ADD c INT, d DECIMAL(10, 2)``: the table's columns learnt
        again, with the decimal types the statement declares (an added ``INT``'s average had
        been a decimal, an added ``DECIMAL(10, 2)`` unrounded), and the ``BIT``, date-and-time,
        ``TINYINT``/``SMALLINT`` and ``MONEY`` columns it adds, as a ``CREATE TABLE`` declaring
        them is noted (``ADD flag BIT``: 5 set in one was kept as 5, where SQL Server keeps 1;
        ``ADD d DATETIME``: ``d + 1`` was refused as a date's, and its time dropped), and
        the lengths of its text columns (``ADD grp VARCHAR(3)`` took ``'abcd'``), and
        the decimal types ``ALTER COLUMN`` gives (:meth:`_retyped`). ``ALTER COLUMN`` to
        another type is not learnt: a name keeps the kind it was met with (README)."""
        name = parts[-1].lower()
        declared = self.declared_decimals.setdefault(name, {})
        self.declared_kinds.pop(name, None)
        added = [action for action in tree.args.get("actions") or []
                 if isinstance(action, exp.ColumnDef)]
        for action in added:
            kind = action.args.get("kind")
            if isinstance(kind, exp.DataType) and kind.is_type(exp.DataType.Type.DECIMAL):
                declared[action.name.lower()] = decimal_digits(kind)
        for column, kind in altered_columns.retyped_columns(tree).items():
            # (ALTER COLUMN v DECIMAL(10, 2), once the target's column is changed: _retyped)
            if kind.is_type(*altered_columns.DECIMAL_TYPES):
                declared[column] = decimal_digits(kind)
            else:
                declared.pop(column, None)
        if added:
            self._note_added(name, exp.Create(kind="TABLE", this=exp.Schema(
                this=exp.to_table(name), expressions=[a.copy() for a in added])))
        self.loaded.discard(parts)
        self.learn(parts)

    def alter_failed(self, tree: exp.Alter) -> None:
        """After an ``ALTER TABLE`` of a table of the session that failed (``ALTER COLUMN v
        INT`` of text that is no number): its columns learnt again as the target still holds
        them (:meth:`_retyped` forgot what they held), so ``SUM(v)`` of the text is still
        error 8117."""
        key = written_key(tree)
        parts = self.session.get(key) if key is not None else None
        if parts is not None:
            self.loaded.discard(parts)
            self.learn(parts)

    def _altered_texts(self, tree: exp.Expression) -> bool:
        """After ``ALTER TABLE #t ALTER COLUMN c VARCHAR(10)``: the new lengths of the text
        columns noted for the checks of later writes (``altered_columns``); whether the
        target must change the columns too (PostgreSQL, which holds their lengths)."""
        lengths, key = altered_columns.text_lengths(tree), written_key(tree)
        parts = self.session.get(key) if key is not None else None
        if not lengths or parts is None:
            return False
        if key in self.text_lengths:
            columns, held = self.text_lengths[key]
            held = {c: n for c, n in held.items() if c not in lengths}
            self.text_lengths[key] = (columns, {**held, **{c: n for c, n in lengths.items()
                                                           if n is not None}})
        if self.target.dialect == "postgres":
            return True  # (learnt again once the target has changed them)
        self.loaded.discard(parts)
        self.learn(parts)
        return False

    def _retyped(self, tree: exp.Expression, line: int) -> Translation | None:
        """``ALTER TABLE #t ALTER COLUMN v INT`` of a text column, or ``v DECIMAL(10, 2)`` of
        a text or number column: the target's column changed, its values converted as
        ``CAST(v AS INT)`` converts them (error 245 for text that is no number, 8114 for a
        decimal; ``altered_columns``); None for another statement."""
        retyped, key = altered_columns.retyped_columns(tree), written_key(tree)
        parts = self.session.get(key) if key is not None else None
        if not retyped or parts is None or not isinstance(tree.this, exp.Table):
            return None
        held = self.target.columns(parts)
        decimals = self.declared_decimals.get(parts[-1].lower(), {})
        changed: dict[str, tuple[exp.DataType, str]] = {}
        setup: list[str] = []
        for action in tree.args["actions"]:
            name = action.name.lower()
            to = retyped.get(name)
            decimal = to is not None and to.is_type(*altered_columns.DECIMAL_TYPES)
            numbers = decimal and name in decimals  # (a decimal: the target's own type)
            physical = next((column for column, kind in held if column.lower() == name and (
                kind == TEXT or (decimal and kind in (INT, INTEGER, FLOAT)) or numbers)), None)
            if to is None or physical is None:
                continue
            value = exp.cast(exp.column(action.this.copy()), to.copy())
            cast = exp.select(value).from_(tree.this.copy())
            converted = self.translate(cast, {}, line)
            setup.extend(converted.setup)
            got = sqlglot.parse_one(converted.sql, read=self.target.dialect)
            kind = exp.DataType.build("INTEGER") if (
                self.target.dialect == "sqlite" and not decimal) else to
            changed[physical] = (kind, got.selects[0].unalias().sql(self.target.dialect))
        if not changed:
            return None
        schema = None
        if self.target.dialect == "sqlite":
            rows = self.target.connection.execute(
                "SELECT type, sql FROM sqlite_temp_master WHERE (tbl_name = ? OR name = "
                "'sqlite_sequence') AND sql IS NOT NULL", (parts[-1],)).fetchall()
            after = [sql for what, sql in rows if what == "index"]
            if any(sql.startswith("CREATE TABLE sqlite_sequence") for _, sql in rows):
                after += [f"UPDATE temp.sqlite_sequence SET seq = {seq} WHERE name = "
                          f"'{parts[-1]}'" for seq, in self.target.connection.execute(
                              "SELECT seq FROM temp.sqlite_sequence WHERE name = ?",
                              (parts[-1],))]  # (an identity gives no number twice)
            schema = (next(sql for what, sql in rows if what == "table" and "sqlite_sequence"
                           not in sql), after)
        statements = altered_columns.retyping(self.target.dialect, parts,
                                              [column for column, _ in held], changed, schema)
        names = {column.lower() for column in changed}
        if key in self.text_lengths:  # (no longer text: no length to check)
            columns, lengths = self.text_lengths[key]
            self.text_lengths[key] = (columns, {c: n for c, n in lengths.items()
                                                if c not in names})
        self._forget(names, parts)
        return Translation(statements[-1], False, setup=(*setup, *statements[:-1]))

    def _forget(self, names: set[str], parts: tuple[str, ...]) -> None:
        """What the columns ``names`` (lower case) were met holding, forgotten, when table
        ``parts`` changes their type: learnt again from every other table met so far, and
        from ``parts`` once the target has changed it (a name is read as integers only where
        every table holds it so: ``v`` met as text, and as an ``INT`` after, was neither)."""
        for kinds in (self.lengths, self.met_kinds, self.integers, self.ints, self.texts,
                      self.floats, self.bits, self.moneys, self.datetimes, self.decimals):
            for name in names:
                kinds.pop(name, None)
        self.dates -= names
        self.undated -= names
        others = [held for held in self.loaded if held != parts]
        self.loaded.clear()
        for held in others:
            self.learn(held)

    def _note_added(self, name: str, table: exp.Create) -> None:
        """The ``BIT``, date-and-time, small integer, ``MONEY`` and text columns of ``table``
        (a ``CREATE TABLE`` of the columns an ``ALTER TABLE ... ADD`` adds) noted among table
        ``name``'s, as :meth:`_note_declared` and :meth:`_checked_lengths` note a new
        table's."""
        self.declared_bits.setdefault(name, set()).update(
            bit_columns.declared(table, self.bits))
        moments = datetime_display.declared(table, self.datetimes)
        self.declared_datetimes.setdefault(name, set()).update(moments)
        self.declared_formats.setdefault(name, {}).update(moments)
        self.datetime2_columns |= {c for c, kind in moments.items() if kind[0] == "datetime2"}
        self.declared_smalls.setdefault(name, {}).update(integer_casts.small_columns(table))
        moneys = decimal_types.listed_money(table)
        self.declared_moneys.setdefault(name, set()).update(moneys)
        self.money_columns |= moneys
        if name in self.text_lengths:  # (added last, as SQL Server adds them)
            columns, lengths = self.text_lengths[name]
            self.text_lengths[name] = (
                columns + [c.name for c in table.this.expressions],
                {**lengths, **text_lengths.declared(table)})
            self.fixed_columns[name] = self.fixed_columns.get(name, frozenset()) | (
                char_padding.fixed(table))

    def dropped(self, parts: tuple[str, ...]) -> None:
        self.session.pop(parts[-1].lower(), None)
        self.views.discard(parts[-1].lower())
        self.made.pop(parts[-1].lower(), None)
        self.indexes.forget(parts[-1].lower())
        self.defaults.pop(parts, None)
        self.ignored_keys.pop(parts[-1].lower(), None)
        self.text_lengths.pop(parts[-1].lower(), None)
        self.identity_columns.pop(parts[-1].lower(), None)
        self.identity_inserts.discard(parts[-1].lower())

    def _information_view(self, table: exp.Table, line: int) -> tuple[str, ...]:
        """The session table holding ``[database].INFORMATION_SCHEMA.<view>``, made the first
        time the view is read."""
        database = (names.check_database(table.catalog, line) if table.catalog
                    else self.database)
        return self._spec_view("information_schema", information_schema, table.name.lower(),
                               database)

    def _catalog_view(self, table: exp.Table, line: int) -> tuple[str, ...]:
        """The session table holding ``[database].sys.<view>`` (catalog_views.py), made the
        first time the view is read."""
        view = table.name.lower()
        if view in catalog_views.SERVER_VIEWS:  # (the same from every database)
            database = None
        elif table.catalog.lower() == "tempdb" or view not in catalog_views.VIEWS:
            shown = ", ".join(f"sys.{name}" for name in catalog_views.VIEWS)
            raise ScriptError(line, f"{table.sql('tsql')} cannot be translated: {shown} show "
                              "the extract; tempdb.sys.objects, .tables, .columns, "
                              "tempdb..sysobjects and tempdb.INFORMATION_SCHEMA.TABLES and "
                              ".COLUMNS the #temp tables")
        else:
            database = (names.check_database(table.catalog, line)
                        if table.catalog and table.db.lower() == "sys" else self.database)
        self.reading.update({name: name for name, _ in catalog_views.columns(view)})
        return self._spec_view("catalog", catalog_views, view, database)

    def _tempdb_view(self, view: str, line: int) -> tuple[str, ...]:
        """The session table holding ``tempdb.sys.<view>`` or ``tempdb..sysobjects``: the
        session's #temp tables now (tempdb_views.py), made anew for each statement."""
        key = f"leo_tempdb_{view.replace('.', '_')}"
        self.target.run_at(line, f"DROP TABLE IF EXISTS {key}", False, None)
        tables = {name: -catalog_views.object_id("tempdb", name)
                  for name in self.session if name.startswith("#")}
        self.target.load_rows(key, tempdb_views.columns(view),
                              tempdb_views.rows(view, tables, self._described))
        self.reading.update({name: name for name, _ in tempdb_views.columns(view)})
        self.loaded.discard((key,))
        self.learn((key,))
        return (key,)

    def _decimals_of(self, table: exp.Table) -> dict[str, tuple[int, int]]:
        """The decimal columns of a table a statement reads: a #temp table's as declared,
        the extract's from the spec."""
        name = table.name.lower()
        if name in self.session:
            return self.declared_decimals.get(name, {})
        return extract_decimals.declared(name)

    def _session_kinds(self, parts: tuple[str, ...]) -> list[tuple[str, str]]:
        """A table's columns in order, each with its kind: an ``int`` where the script's
        statement made it one (``SELECT COUNT(*) AS n INTO #t``: SQLite declares no type)."""
        ints = self.declared_ints.get(parts[-1].lower(), set())
        # (OTHER: SQLite's, no values yet)
        return [(column, INT if kind in (INTEGER, OTHER) and column.lower() in ints else kind)
                for column, kind in self.target.columns(parts)]

    def _described(self, name: str) -> list[tuple[str, tuple]]:
        """A #temp table's columns in order, each with its ``sys.columns`` values after
        ``column_id``: the types the script declared, else those of the kinds the target
        holds (``COL_LENGTH`` gives their ``max_length``)."""
        parts = self.session[name]
        held = parts[-1].lower()
        found = []
        for column, kind in self._session_kinds(parts):
            wanted = column.lower()
            decimal = self.declared_decimals.get(held, {}).get(wanted)
            moment, bit = wanted in self.declared_datetimes.get(held, ()), wanted in self._bits(
                held)
            type_name = column_lengths.session_type(kind, decimal, moment, bit)
            spelt = self.made.get(name, {}).get(wanted) or self.written.get(wanted)
            nullable = wanted not in self.declared_required.get(held, ())
            declared = self.declared_kinds.get(held, {}).get(wanted)
            values = None if declared is None else declared_catalog.declared_column(
                str(declared), nullable, wanted in self.fixed_columns.get(name, ()))
            copied = self.copied_specs.get(held, {}).get(wanted)
            if values is None and copied is not None:
                values = catalog_views.column_type(copied)
            found.append((spelt or self.spelling.get(wanted, column),
                          values or catalog_views.session_column(
                              type_name, self._text_lengths(held).get(wanted), decimal,
                              nullable)))
        return found

    def _spec_view(self, kind: str, views: ModuleType, view: str,
                   database: str | None) -> tuple[str, ...]:
        """The session table holding a view the spec describes (``views``: a module with
        ``rows`` and ``columns``), of one SRS database or all, made the first time it is
        read; its text is compared with literals ignoring case, as in the SRS."""
        key = f"leo_{kind}_{database or 'all'}_{view}"
        if key not in self.session:
            found = views.rows(view, list(self.target.relations), database,
                               lambda name: {c.lower() for c, _ in self.target.columns(
                                   self.target.relations[name])})
            self.target.load_rows(key, views.columns(view), found)
            self.session[key] = (key,)
        self.learn(self.session[key])
        return self.session[key]

    def _object_number(self, name: str, line: int, kind: str | None = None) -> int | None:
        """What ``OBJECT_ID(name[, kind])`` gives: a relation of the extract named as in the
        SRS, its number in ``sys.views``; a session table (``tempdb..#t``), a negative number,
        as SQL Server numbers #temp tables; None when there is no such object, or it is not
        of the ``sys.objects.type`` ``kind`` asks for (``object_kinds``)."""
        named = _named_table(name)
        if named is None:
            return None
        table, key = named
        number: int | None
        if key in self.session:
            number = -catalog_views.object_id("tempdb", key)
            found_kind = object_kinds.VIEW if key in self.views else object_kinds.TABLE
        elif key in self.procedures or key in self.functions:
            number = catalog_views.object_id("procedure", key)
            found_kind = object_kinds.routine(self.functions.get(key))
        else:
            parts = self._extract_parts(table, key, line)
            if parts is None:
                return None
            found = information_schema.spec_relations([parts[-1].lower()], None)
            if not found:  # (a table of the session's own schema, made by the script)
                number, found_kind = -catalog_views.object_id("tempdb", key), object_kinds.TABLE
            else:
                rel, database = found[0]
                number = catalog_views.object_id(database, rel.name)
                found_kind = object_kinds.VIEW
        return number if object_kinds.matches(found_kind, kind) else None

    def _column_length(self, table_name: str, column: str, line: int) -> int | None:
        """What ``COL_LENGTH(table_name, column)`` gives (column_lengths.py): the bytes of a
        column of the extract's relation or of a session table, None when either is not
        there."""
        named = _named_table(table_name)
        if named is None:
            return None
        table, key = named
        wanted = column.lower()
        if key in self.session:  # (its max_length, as tempdb.sys.columns shows it)
            return next((values[2] for name, values in self._described(key)
                         if name.lower() == wanted), None)
        parts = self._extract_parts(table, key, line)
        if parts is None:
            return None
        rel = spec_lookup.relation(parts[-1].lower())
        present = {name.lower() for name, _ in self.target.columns(parts)}
        spec = None if rel is None or wanted not in present else next(
            (col.spec for col in rel.columns if col.name.lower() == wanted), None)
        return None if spec is None else column_lengths.spec_length(spec)

    def _extract_parts(self, table: exp.Table, key: str, line: int
                       ) -> tuple[str, ...] | None:
        """The target's name of the relation a name in text gives (``OBJECT_ID``'s,
        ``COL_LENGTH``'s), None for a #temp table or variable not in the session, or no such
        relation."""
        if key.startswith(("#", "@")):
            return None
        try:
            return names.resolve(table, self.target.relations, self.target.databases, line)
        except ScriptError:
            return None

    def extract_columns(self, table: exp.Table) -> list[str] | None:
        """The columns of the extract's relation ``table`` names, as the spec spells them
        (None for a table of the session or no relation of the extract); asks the target
        nothing, so it serves after a failed statement too."""
        key = session_key(table)
        if key in self.session or key not in self.target.relations:
            return None
        return list(information_schema.column_spellings(key).values()) or None

    def _column_types(self, table: exp.Table) -> dict[str, object] | None:
        """SQL Server's types of the columns of ``table`` where certain (``unpivot_types``):
        an extract relation's, as the spec gives them, or a #temp table's, as its ``CREATE
        TABLE`` declares them; None for any other table."""
        key = session_key(table)
        if key in self.session:
            return self.declared_kinds.get(key)
        rel = spec_lookup.relation(key) if key in self.target.relations else None
        if rel is None:
            return None
        return {col.name.lower(): (col.spec.type.base, col.spec.type.length,
                                   col.spec.type.precision, col.spec.type.scale)
                for col in rel.columns}

    def table_columns(self, table: exp.Table) -> list[str] | None:
        """The columns of a table the statement reads, as the target has them (None when it
        cannot say: a table that does not exist, which the statement itself reports). On
        PostgreSQL the question is asked under a savepoint: a name that is no table (a CTE's,
        which a check may ask after) would otherwise end the session's transaction, and the
        statement stopped with "current transaction is aborted"."""
        saving = self.target.dialect == "postgres"
        if saving:
            self.target.connection.execute("SAVEPOINT leo_columns")
        try:
            columns = [name for name, _ in self.target.columns(
                tuple(p.name for p in table.parts))]
        except Exception as exc:
            if not is_database_error(exc):
                raise
            columns = None
        if saving:
            self.target.connection.execute("ROLLBACK TO SAVEPOINT leo_columns" if columns is None
                                           else "RELEASE SAVEPOINT leo_columns")
        return columns

    def _scans(self, sql: str) -> bool:
        """Whether SQLite's plan for ``sql`` reads a whole table (``exists_lookups``); False
        when it cannot say."""
        try:
            plan = self.target.run(f"EXPLAIN QUERY PLAN {sql}", True, None)
        except Exception as exc:
            if not is_database_error(exc):
                raise
            return False
        return plan is not None and exists_lookups.plan_scans(str(row[-1]) for row in plan.rows)

    def _session_table(self, name: str) -> bool:
        """Whether a table name (as a statement writes it) is one of the session's tables."""
        return name.lower() in self.session

    def _temporary_table(self, name: str) -> bool:
        """Whether ``name`` is a table in SQLite's temporary schema (``lookup_indexes``)."""
        found = self.target.run("SELECT 1 FROM temp.sqlite_master WHERE type = 'table' AND "
                                f"lower(name) = lower({exp.Literal.string(name).sql()})",
                                True, 1)
        return found is not None and bool(found.rows)

    def _written_kinds(self, tree: exp.Expression, line: int) -> tuple[tuple[str, ...],
                                                                       list[tuple[str, str]]]:
        """The table an INSERT, UPDATE or ALTER TABLE writes (its parts on the target) and
        its columns' kinds; SQL Server's "Invalid object name" when there is none."""
        table = _written(tree)[0]
        parts = tuple(p.name for p in table.parts)
        try:
            return parts, self.target.columns(parts)
        except Exception as exc:
            if not is_database_error(exc):
                raise
            raise _no_such_table(table.name, line) from None

    def _index(self, tree: exp.Create, line: int) -> Translation:
        """``CREATE INDEX`` on a table of the session: built on SQLite, noted elsewhere
        (``session_indexes``); on anything else (a relation of the extract) skipped, as an
        index changes no answer."""
        table = tree.this.args.get("table") if isinstance(tree.this, exp.Index) else None
        key = session_key(table) if isinstance(
            table, exp.Table) else ""
        if key not in self.session:
            return Translation("", False, skip=True)
        duplicates = session_indexes.duplicate_query(tree, self.session[key],
                                                      self.target.dialect)
        if duplicates is not None:
            found = self.target.run_at(line, duplicates, True, 1)
            if found is not None and found.rows:
                raise session_indexes.duplicate_error(tree, key, found.rows[0], line)
        ignoring = ignored_duplicates.indexed(tree)
        if ignoring is not None:
            self.ignored_keys[key] = ignoring
        sql = self.indexes.create(tree, key, self.session[key], line)
        return Translation(sql, False) if sql else Translation("", False, skip=True)

    def _drop_index(self, tree: exp.Drop, line: int) -> Translation:
        """``DROP INDEX ix ON #t`` or ``DROP INDEX #t.ix``."""
        named = (tree.args.get("tables") or [None])[0]
        on = tree.args.get("cluster")
        table = on.this if isinstance(on, exp.OnProperty) else None
        if not isinstance(named, exp.Table) or not (isinstance(table, exp.Table) or (
                named.args.get("db"))):
            raise ScriptError(line, "DROP INDEX needs the table: DROP INDEX ix ON #t")
        key = (session_key(table) if isinstance(table, exp.Table)
               else temporary_key(named.args["db"]) or named.db.lower())
        sql = self.indexes.drop(key, named.name, bool(tree.args.get("exists")), line)
        return Translation(sql, False) if sql else Translation("", False, skip=True)

    def _note_default(self, tree: exp.Expression, line: int) -> None:
        """A column's default, added to each ``INSERT`` that leaves the column out
        (``inserted_values.with_defaults``): SQLite cannot add a default to a table it has,
        and the same rows result on every target."""
        action = _column_default(tree)
        assert action is not None
        parts, kinds = self._written_kinds(tree, line)
        column = action.this.name
        names = [name.lower() for name, _ in kinds]
        if column.lower() not in names:
            message = f"Invalid column name '{column}'."
            raise ScriptError(line, message, runtime=True, number=207, said=message)
        self.defaults.setdefault(parts, {})[column.lower()] = action.args["default"].copy()

    def _schema(self, tree: exp.Create | exp.Drop, line: int) -> None:
        """``CREATE SCHEMA fft`` (FFT's scripts keep their tables in one) or ``DROP SCHEMA``:
        the session's tables are named whatever their schema, so only ``SCHEMA_ID`` sees
        it."""
        table = tree.this if isinstance(tree, exp.Create) else (tree.args.get("tables")
                                                                or [None])[0]
        key = (table.name or table.db).lower() if isinstance(table, exp.Table) else ""
        if not key:
            raise ScriptError(line, "CREATE SCHEMA and DROP SCHEMA need the schema's name")
        known = self._schema_exists(key)
        if isinstance(tree, exp.Create):
            if known and not tree.args.get("exists"):
                raise ScriptError(line, f"There is already an object named '{key}' in the "
                                  "database.", runtime=True)
            self.schemas.add(key)
        elif not known and not tree.args.get("exists"):
            raise ScriptError(line, f"Cannot drop the schema '{key}', because it does not "
                              "exist or you do not have permission.", runtime=True)
        else:
            self.schemas.discard(key)

    def _schema_exists(self, name: str) -> bool:
        """A schema of the SRS (dbo, a project number) or one the script made."""
        return name.isdigit() or name in ("dbo", "sys", "information_schema") or (
            name in self.schemas)

    def _schema_ids(self, tree: exp.Expression) -> exp.Expression:
        """``SCHEMA_ID('fft')`` as 1 when the schema exists, else NULL (as ``OBJECT_ID``)."""
        for call in list(tree.find_all(exp.Anonymous)):
            if call.name.upper() == "SCHEMA_ID" and len(call.expressions) == 1 and (
                    isinstance(call.expressions[0], exp.National | exp.Literal)):
                known = self._schema_exists(call.expressions[0].name.lower())
                call.replace(exp.Literal.number(1) if known else exp.Null())
        return tree

    def _object_ids(self, tree: exp.Expression, variables: dict[str, exp.Expression],
                    line: int) -> exp.Expression:
        """``OBJECT_ID('...')`` as the table's number when it exists, else NULL: what scripts
        test it for (``IF OBJECT_ID('tempdb..#t') IS NOT NULL DROP TABLE #t``), or look its
        columns up by in ``sys.columns`` (:meth:`_object_number`). A name the script
        computes (``OBJECT_ID('npd_i2.[2002237].spring_census_' + CAST(@y AS VARCHAR(4)))``,
        a loop over the years a project was granted) is worked out first, on the target."""
        for call in list(tree.find_all(exp.ObjectId)):
            name = call.this
            if isinstance(name, exp.National) or (isinstance(name, exp.Literal)
                                                   and name.is_string):  # ('...' or N'...')
                text: str | None = name.name
            elif name.find(exp.Column, exp.Select) is None:
                text = self._constant_text(name, variables, line)
            else:
                continue  # (a name read from a table: left to the target, which has none)
            kind = call.expression
            if kind is None:
                asked: str | None = None
            elif isinstance(kind, exp.National) or (isinstance(kind, exp.Literal)
                                                     and kind.is_string):
                asked = kind.name
            elif kind.find(exp.Column, exp.Select) is None:
                asked = self._constant_text(kind, variables, line)
            else:
                continue
            number = None if text is None else self._object_number(text, line, asked)
            call.replace(exp.Null() if number is None else exp.Literal.number(number))
        return tree

    def _constant_text(self, node: exp.Expression, variables: dict[str, exp.Expression],
                       line: int) -> str | None:
        """The value of an expression that reads no table, as text (None for NULL)."""
        translation = self.translate(exp.select(node.copy()), variables, line)
        result = self.target.run_at(line, translation.sql, True, 1)
        value = result.rows[0][0] if result is not None and result.rows else None
        return None if value is None else str(value)

    def _source_columns(self, tree: exp.Expression, source: exp.Expression,
                        where: exp.Expression, line: int) -> list[str]:
        """The column names of a FROM source of ``tree`` (a PIVOT's, standing at ``where``),
        as the target gives them for a query of no rows (the statement's CTEs with it: those
        before the CTE the source is in, which alone it may read, so a PIVOT in a CTE is not
        probed again, and again)."""
        probe = exp.select("*").from_(source.copy()).where(exp.false())
        ctes = tree.args.get("with_")
        if ctes is not None:
            ctes = ctes.copy()
            within = where.find_ancestor(exp.CTE)
            if within is not None and within.parent is tree.args.get("with_"):
                ctes.set("expressions", ctes.expressions[:within.parent.expressions.index(
                    within)])
            if ctes.expressions:
                probe.set("with_", ctes)
        translation = self.translate(probe, {}, line)
        for sql in translation.setup:
            self.target.run_at(line, sql, False, None)
        result = self.target.run_at(line, translation.sql, True, 0)
        assert result is not None
        return result.columns

    def _canon(self, name: str) -> str:
        return self.spelling.get(name.lower(), name.lower())

    def _place(self, table: exp.Table, parts: tuple[str, ...]) -> None:
        """Point a table node at ``parts`` (catalog, schema, name), quoted."""
        keys = ("catalog", "db", "this")[-len(parts):]
        for key in ("catalog", "db", "this"):
            table.set(key, None)
        for key, part in zip(keys, parts, strict=True):
            table.set(key, exp.Identifier(this=part, quoted=True))

    def _own(self, tree: exp.Expression) -> Callable[[str], bool]:
        """Whether a (lower-case) name is one the script made: a common table expression
        of ``tree`` or a table of the session."""
        ctes = {cte.alias.lower() for cte in tree.find_all(exp.CTE)}
        return lambda name: name in ctes or name in self.session

    def _tables(self, tree: exp.Expression, line: int) -> tuple[set[int], bool]:
        """Resolve every table of the statement; the ids of the resolved nodes and whether
        the statement drops something that does not exist (nothing to do)."""
        ctes = {cte.alias.lower() for cte in tree.find_all(exp.CTE)}
        written = {id(t) for t in _written(tree)}
        self.reading = {}
        creating = isinstance(tree, exp.Create)
        resolved: set[int] = set()
        missing_drop = False
        for table in list(tree.find_all(exp.Table)):
            if not table.name:
                continue  # a table function or subquery source
            key = session_key(table)
            if key in ctes and not table.db:
                continue
            if isinstance(table.parent, exp.AlterRename):  # (the new name of a table)
                self._renamed_to(tree, table, key, line)
                resolved.add(id(table))
                continue
            if table.db.lower() == "sys" and (
                    table.name.lower() in catalog_views.SERVER_VIEWS):  # (master.sys.databases)
                self._place(table, self._catalog_view(table, line))
                resolved.add(id(table))
                continue
            schema_view = f"{table.db.lower()}.{table.name.lower()}"
            if table.catalog.lower() == "tempdb" and schema_view in tempdb_views.SCHEMA_VIEWS:
                self._place(table, self._tempdb_view(schema_view, line))
                resolved.add(id(table))
                continue
            if table.catalog.lower() == "tempdb" and table.name.lower() in tempdb_views.VIEWS:
                self._place(table, self._tempdb_view(table.name.lower(), line))
                resolved.add(id(table))
                continue
            if table.catalog.lower() == "master":
                if table.name.lower() not in master_views.VIEWS or table.db.lower() not in (
                        "", "dbo"):
                    raise ScriptError(line, f"{table.sql('tsql')} cannot be translated: of "
                                      "the master database, only master..spt_values (its "
                                      "numbers, type 'P') is here")
                self.reading.update({name: name for name, _ in master_views.columns(
                    table.name.lower())})
                self._place(table, self._spec_view("master", master_views, table.name.lower(),
                                                   None))
                resolved.add(id(table))
                continue
            if "sys" in (table.db.lower(), table.catalog.lower()):
                self._place(table, self._catalog_view(table, line))
                resolved.add(id(table))
                continue
            if table.db.lower() == "information_schema" and (
                    table.name.lower() in information_schema.VIEWS):
                self.reading.update({name: name.upper() for name, _ in
                                     information_schema.columns(table.name.lower())})
                self._place(table, self._information_view(table, line))
                resolved.add(id(table))
                continue
            if key in self.session:
                if creating and id(table) in written and str(tree.args.get("kind")).upper() == (
                        "TABLE"):
                    message = (f"There is already an object named '{names.as_written(table)}' "
                               "in the database.")
                    raise ScriptError(line, message, runtime=True, number=2714, said=message)
                parts = self.session[key]
                self.reading.update(self.made.get(key, {}))
            elif key.startswith(("#", "@")) or (creating and id(table) in written):
                parts = (key,)
                if not (creating and id(table) in written) and not isinstance(tree, exp.Drop):
                    raise _no_such_table(key, line)
                if isinstance(tree, exp.Drop) and not tree.args.get("exists"):
                    message = (f"Cannot drop the table '{names.as_written(table)}', because it "
                               "does not exist or you do not have permission.")
                    raise ScriptError(line, message, runtime=True, number=3701, said=message)
                missing_drop = missing_drop or isinstance(tree, exp.Drop)
            elif isinstance(tree, exp.Drop) and tree.args.get("exists") and (
                    key not in self.target.relations):
                parts, missing_drop = (key,), True
            else:
                parts = names.resolve(table, self.target.relations, self.target.databases, line)
                if len(parts) == 1 and parts[0].lower() in ctes:
                    # a qualified name reads the extract in SQL Server; SQLite's and the
                    # Parquet views' one-part name would read the CTE of the same name
                    parts = ("main", parts[0])
                if id(table) in written:
                    raise ScriptError(line, f"{table.name} belongs to the extract, which is "
                                      f"read-only here: write to a #temp table instead")
                self.learn(parts)
                self.reading.update(information_schema.column_spellings(parts[-1].lower()))
            self._place(table, parts)
            resolved.add(id(table))
        return resolved, missing_drop

    def _renamed_to(self, tree: exp.Expression, table: exp.Table, key: str, line: int) -> None:
        """``ALTER TABLE t RENAME TO u`` (``sp_rename 't', 'u'``): a table of the session's
        own, not a #temp table (SQL Server renames only their columns), to a free name."""
        old = _written(tree)[0]
        if temporary_key(old.this) or key.startswith(("#", "@")):
            raise ScriptError(line, "a #temp table cannot be renamed (sp_rename renames its "
                              "columns: '#t.col', 'new', 'COLUMN'); SELECT * INTO #u FROM #t")
        if key in self.session or key in self.target.relations:
            raise ScriptError(line, f"There is already an object named '{table.name}' in the "
                              "database.")
        self._place(table, (table.name,))

    def _variables(self, tree: exp.Expression, variables: dict[str, exp.Expression],
                   line: int) -> exp.Expression:
        def substitute(node: exp.Expression) -> exp.Expression:
            key = counter(node)
            if key is not None and key in variables:
                return variables[key].copy()
            current = identity_reads.current_of(node)
            if current is not None:  # IDENT_CURRENT('#t'): NULL for a table without identity
                return variables.get(current, exp.Null()).copy()
            if isinstance(node, exp.CurrentUser):  # SUSER_SNAME(), CURRENT_USER, SYSTEM_USER
                return variables.get("suser_sname()", exp.Null()).copy()
            if isinstance(node, exp.Anonymous) and node.name.upper() in SESSION_FUNCTIONS and (
                    not node.expressions):
                return variables.get(f"{node.name.lower()}()", exp.Null()).copy()
            if isinstance(node, exp.Anonymous) and node.name.upper() == "SERVERPROPERTY" and (
                    len(node.expressions) == 1 and node.expressions[0].is_string):
                value = SERVER_PROPERTIES.get(node.expressions[0].name.lower())
                return exp.Null() if value is None else exp.Literal.string(value)
            if isinstance(node, exp.Parameter) and not isinstance(node.parent, exp.Table):
                name = node.name.lower()
                if name not in variables:
                    raise ScriptError(line, f"@{node.name} is not declared in this batch "
                                      f"(DECLARE @{node.name} ... before it, after the last GO)")
                return variables[name].copy()
            return node

        return tree.transform(substitute, copy=False)

    def _note_written(self, tree: exp.Expression) -> None:
        """Record the spelling of the column names the statement makes (``written``)."""
        made = {exp.ColumnDef: "this", exp.Alias: "alias", exp.TableAlias: "columns"}
        for identifier in tree.find_all(exp.Identifier):
            if made.get(type(identifier.parent)) == identifier.arg_key:
                self.written.setdefault(identifier.name.lower(), identifier.name)
        for renamed in tree.find_all(exp.RenameColumn):  # (sp_rename: spelt anew)
            self.written[renamed.args["to"].name.lower()] = renamed.args["to"].name
        query = tree.expression if isinstance(tree, exp.Create) else None
        if isinstance(query, exp.Query):  # SELECT ... INTO: its columns named as it reads them
            # (PostgreSQL holds them in lower case, SQLite a copied column as the extract
            # spells it; SELECT * FROM #t heads them as SQL Server made them)
            made: dict[str, str] = {}
            for item in query.selects:
                if item.is_star:
                    made.update({k: v for k, v in self.reading.items() if k not in made})
                elif isinstance(item, exp.Column):
                    made[item.name.lower()] = item.name
            table = _written(tree)[0]
            self.made[session_key(table)] = made

    def _selected_lengths(self, tree: exp.Expression) -> None:
        """Keep the text lengths SQL Server gives the columns a ``SELECT ... INTO`` makes,
        where certain (``text_lengths.value_length``): what is put in them later is checked
        against them, and ``COL_LENGTH`` gives them; on PostgreSQL its values are cast to
        them, which it then holds the columns to. (After the statement's tables are learnt:
        a copied column's length is theirs.)"""
        query, key = tree.expression if isinstance(tree, exp.Create) else None, written_key(tree)
        branches = derived_columns.branch_selects(query) if query is not None else []
        if key is not None and isinstance(query, exp.Select) and [
                item.is_star for item in query.selects] == [True]:
            # (SELECT * INTO #t FROM view: its columns, of the spec's lengths)
            rel = spec_lookup.relation(query.args["from_"].this.name.lower()) if (
                copied_types.copied(query, {})) else None
            if rel is not None:
                self.text_lengths[key] = ([col.name for col in rel.columns], {
                    col.name.lower(): col.spec.type.length for col in rel.columns
                    if col.spec.type.kind == "string" and col.spec.type.length})
            return
        if not branches or key is None or any(
                item.is_star for branch in branches for item in branch.selects):
            return
        found = text_lengths.selected_lengths(branches, self.lengths)
        names = [item.alias_or_name for item in branches[0].selects]
        self.text_lengths[key] = (names, {name.lower(): length for name, length in zip(
            names, found, strict=False) if length is not None})
        if self.target.dialect == "postgres":
            text_lengths.held_to_lengths(branches, found)

    def _made_once(self, statements: tuple[str, ...], needed: bool) -> tuple[str, ...]:
        """PostgreSQL's session function ``statements`` make, when a statement first needs
        it (nothing on the other targets, or once made)."""
        if not needed or self.target.dialect != "postgres" or statements in self.setups_made:
            return ()
        self.setups_made.add(statements)
        return statements

    def keyed_by_unique(self, tree: exp.Expression) -> bool:
        """Whether ``tree`` writes a table keyed by ``UNIQUE`` keys alone (``unique_keyed``;
        the tree translated, its #temp table's name has lost its ``#``)."""
        keyed = {name.lstrip("#") for name in self.unique_keyed}
        return isinstance(tree, exp.Insert | exp.Update | exp.Merge) and any(
            table.name.lower().lstrip("#") in keyed for table in _written(tree))

    def heading(self, column: str) -> str:
        """A result's column as SQL Server would head it: a column of a relation the
        statement reads as the SRS spells it, a name the script made as the script spelt it
        (the targets may hold both in lower case, and SQLite a #temp table's column copied
        from the extract as the extract spells it: ``SELECT e.EduKey INTO #t`` made Edukey);
        any other as the target gives it."""
        key = column.lower()
        return self.reading.get(key) or self.written.get(key, column)

    def _names(self, tree: exp.Expression, resolved: set[int]) -> None:
        for identifier in list(tree.find_all(exp.Identifier)):
            if id(identifier.parent) in resolved:
                continue
            spelt = self._canon(identifier.name)
            identifier.set("this", spelt)
            identifier.set("quoted", bool(identifier.args.get("quoted"))
                           or not PLAIN.fullmatch(spelt))

    def identity_insert(self, key: str, name: str, on: bool, line: int) -> None:
        """``SET IDENTITY_INSERT #t ON`` or ``OFF``: while on, an ``INSERT`` gives the column
        its values; after, each row left without one is numbered on from the table's largest,
        as SQL Server goes on from the largest value inserted (a target's own numbering
        would not: ``identity_values``). A table the session knows no identity of is let
        by (``SELECT * INTO`` copies one in SQL Server)."""
        if not on:
            self.identity_inserts.discard(key)
            return
        other = next((k for k in self.identity_inserts if k != key), None)
        if other is not None:
            message = (f"IDENTITY_INSERT is already ON for table '{other}'. Cannot perform SET "
                       f"operation for table '{name}'.")
            raise ScriptError(line, message, runtime=True, number=8107, said=message)
        self.identity_inserts.add(key)
        if key in self.identity_columns:
            self.identity_columns[key] = replace(self.identity_columns[key], numbered=False)

    def _identity_numbers(self, tree: exp.Expression, line: int) -> exp.Expression:
        """Note the ``IDENTITY`` column a ``SELECT ... INTO`` or ``CREATE TABLE`` makes; give
        it its next values in each ``INSERT`` that leaves it out, where the target does not
        number it (``identity_values``)."""
        self.numbering = None
        key = written_key(tree)
        if key is None:
            return tree
        identity_values.spelt_out(tree)
        if isinstance(tree, exp.Create):
            made = None
            if isinstance(tree.expression, exp.Select):
                made = identity_values.of_select_into(tree.expression)
                if made is not None:
                    identity_values.numbered(tree.expression, made)
            elif isinstance(tree.this, exp.Schema):
                made = identity_values.of_create(tree.this, self.target.dialect)
            self.identity_columns.pop(key, None)
            if made is not None:
                self.identity_columns[key] = made
        elif isinstance(tree, exp.Alter):
            self.numbering = identity_values.added(tree, self.target.dialect)
            if self.numbering is not None:
                self.identity_columns[key] = self.numbering
        elif isinstance(tree, exp.Insert) and key in self.identity_columns:
            identity = self.identity_columns[key]
            identity_values.explicit_values(tree, identity, key in self.identity_inserts, key,
                                            line)
            if isinstance(tree.this, exp.Table):
                # (no column list: the table's columns as the target has them now, which
                # ALTER TABLE may have changed since it was made)
                found = self.table_columns(exp.table_(exp.to_identifier(key, quoted=True)))
                if found:
                    identity = replace(identity, columns=tuple(found))
            tree = identity_values.with_identity(tree, identity)
        return tree

    def _checked_lengths(self, tree: exp.Expression) -> exp.Expression:
        """Keep the text lengths a ``CREATE TABLE`` declares; check the values an ``INSERT``
        or ``UPDATE`` puts in such columns (``text_lengths``)."""
        key = written_key(tree)
        if key is None:
            return tree
        if isinstance(tree, exp.Alter) and key in self.session:  # (its columns change)
            self.copied_specs.pop(self.session[key][-1].lower(), None)
        if isinstance(tree, exp.Alter) and self.target.dialect == "postgres":
            tree = char_padding.as_varying(tree)  # (ADD c CHAR(n): padded as it is written)
        if isinstance(tree, exp.Create) and isinstance(tree.this, exp.Schema):
            self.text_lengths[key] = ([c.name for c in tree.this.expressions
                                       if isinstance(c, exp.ColumnDef)],
                                      text_lengths.declared(tree))
            self.fixed_columns[key] = frozenset(char_padding.fixed(tree))
            if self.target.dialect == "postgres":
                tree = char_padding.as_varying(tree)
        elif isinstance(tree, exp.Insert | exp.Update) and key in self.text_lengths:
            columns, lengths = self.text_lengths[key]
            tree = text_lengths.numbers_as_text(tree, lengths, columns, self.texts)
            tree = text_lengths.for_target(tree, lengths, columns, self.target.dialect,
                                           self.ansi_warnings,
                                           self.fixed_columns.get(key, frozenset()))
        return tree

    def _one_value(self, sql: str, line: int) -> str:
        """The one value the query ``sql`` (the target's SQL) gives, as text; run as a
        statement a ``CATCH`` guards (on PostgreSQL under a savepoint: a failure would
        otherwise end the session's transaction)."""
        guarded, self.target.guarded = self.target.guarded, True
        try:
            result = self.target.run_at(line, sql, True, 1)
        finally:
            self.target.guarded = guarded
        assert result is not None and result.rows
        return str(result.rows[0][0])

    def _identity_columns(self, tree: exp.Expression) -> tuple[str, ...]:
        """``id INT IDENTITY(1, 1)`` in a CREATE TABLE, for targets without it: on SQLite the
        column becomes the table's ``INTEGER PRIMARY KEY`` (numbered 1, 2, ... as rows come;
        without a key SQLite left it NULL; another seed or step is given by each INSERT,
        ``identity_values``), on DuckDB it takes the next value of a temporary
        sequence made first (the statements returned). PostgreSQL has IDENTITY."""
        if not isinstance(tree, exp.Create) or self.target.dialect == "postgres":
            return ()
        setup: list[str] = []
        for constraint in list(tree.find_all(exp.GeneratedAsIdentityColumnConstraint)):
            holder = constraint.parent
            column = holder.parent if holder is not None else None
            if not isinstance(holder, exp.ColumnConstraint) or not isinstance(
                    column, exp.ColumnDef):
                continue
            if self.target.dialect == "sqlite":
                keyed = any(isinstance(c.args.get("kind"), exp.PrimaryKeyColumnConstraint)
                            for c in column.args.get("constraints") or []) or (
                    _table_key(tree) == [column.name.lower()])  # (its own key: an alias too)
                made = identity_values.of_constraint(column, constraint, ())
                if made is not None and not identity_values.numbered_by_target(
                        made, "sqlite", identity_values.keyed_elsewhere(tree.this, column.name)):
                    holder.pop()  # (each INSERT gives it)
                elif keyed:
                    # (the key numbers it; AUTOINCREMENT: no value made again after a DELETE,
                    # and TRUNCATE TABLE has a sequence to restart, as in SQL Server)
                    holder.pop()
                    _autoincrement_key(tree, column)
                else:  # (AUTOINCREMENT: no value made again after a DELETE, as in SQL Server)
                    holder.set("kind", exp.PrimaryKeyColumnConstraint())
                    column.append("constraints", exp.ColumnConstraint(
                        kind=exp.AutoIncrementColumnConstraint()))
                column.set("kind", exp.DataType.build("INTEGER"))
                continue
            self.identities += 1
            sequence = f"leo_identity_{self.identities}"
            start = constraint.args.get("start") or exp.Literal.number(1)
            step = constraint.args.get("increment") or exp.Literal.number(1)
            setup.append(f"CREATE TEMP SEQUENCE {sequence} START {start.sql()} "
                         f"INCREMENT {step.sql()}")
            holder.set("kind", exp.DefaultColumnConstraint(
                this=exp.func("nextval", exp.Literal.string(sequence))))
        return tuple(setup)

    def restart_identity(self, key: str) -> None:
        """After ``TRUNCATE TABLE``: the table's identity column starts again from its
        seed, as SQL Server restarts it (a ``DELETE`` does not)."""
        identity = self.identity_columns.get(key)
        parts = self.session.get(key)
        if identity is None or not identity.numbered or parts is None:
            return  # (numbered by each INSERT from the rows there: from the seed again)
        self.identities += 1
        for sql in identity_values.restarted(identity, parts, self.target.dialect,
                                             f"leo_identity_{self.identities}"):
            self.target.run(sql, False, None)

    def translate(self, tree: exp.Expression, variables: dict[str, exp.Expression],
                  line: int) -> Translation:
        """``tree`` as the target runs it (the names it alone holds as decimals, decimals for
        it: ``statement_decimals``)."""
        with ExitStack() as scope:
            self._scopes.append(scope)
            try:
                return self._translate(tree, variables, line)
            finally:
                self._scopes.pop()

    def _translate(self, tree: exp.Expression, variables: dict[str, exp.Expression],
                   line: int) -> Translation:
        tree = string_aggregates.read_back(rewrites.system_names(
            user_functions.inline(tree, self.functions, line)))
        json_results.check(tree, line)
        nested_order.check(tree, line)
        # (on the statement as written: the checks of an INSERT's text lengths wrap what it
        # selects, so SELECT DISTINCT x ... ORDER BY x no longer named x)
        distinct_order.check(tree, line)
        unnamed_columns.check(tree, line)
        window_rules.check(tree, line)
        null_results.check(tree, line)
        dialect_habits.check(tree, line)
        statement_shapes.check(tree, line)
        aggregate_rules.check(tree, line)
        recursive_types.check(tree, line)
        _no_output(tree, line)
        if isinstance(tree, exp.Create) and "INDEX" in str(tree.args.get("kind", "")).upper():
            return self._index(tree, line)
        if isinstance(tree, exp.Drop) and str(tree.args.get("kind")).upper() == "INDEX":
            return self._drop_index(tree, line)
        if isinstance(tree, exp.Create | exp.Drop) and str(tree.args.get("kind")).upper() == (
                "SCHEMA"):
            self._schema(tree, line)
            return Translation("", False, skip=True)
        tree, replaced = _view_replaced(_string_aliases(char_padding.for_target(
            text_lengths.cast_lengths(_iif_as_case(constant_orders.for_target(
                text_cases.mark(tree.copy())))))))
        headings = _headings(tree) or star_headings.headings(
            tree, self._own(tree)) or star_headings.around_star(tree)
        tree = rowcount_limit.limited(tree, self.rowcount, line)
        # (after update_from, an UPDATE names its table, not the alias its FROM gives it)
        tree = _recursive(update_from(null_columns.typed(_with_into_as_create(tree)), line,
                                      self.target.dialect), line)
        tree, leveled = recursion_limits.for_target(tree, self.target.dialect, line)
        tree = self._checked_lengths(self._identity_numbers(tree, line))
        tree = top_options.for_target(tree, line, self._own(tree))
        tree = table_samples.for_target(tree, line)
        tree = grouping_sets.plain_groupings(grouping_sets.grouping_ids(
            grouping_sets.group_by_all(grouping_sets.old_forms(tree))))
        tree = date_truncation.for_targets(tree, line)
        tree = row_identity.for_target(tree, self.target.dialect, line, self.rowcount)
        tree = self._schema_ids(self._object_ids(catalog_views.name_lookups(tree),
                                                 variables, line))
        tree = column_lengths.replaced(
            tree, lambda table, column: self._column_length(table, column, line),
            lambda node: self._constant_text(node, variables, line))
        tree = self._variables(tree, variables, line)
        tree = hash_bytes.for_target(tree, self.target.dialect, line)
        split = string_splits.splits(tree)  # (its value is text for this statement alone)
        tree = string_splits.for_target(tree, self.target.dialect, line)
        tree = number_series.for_target(tree, self.target.dialect, line)
        if tree.find(exp.Pivot):
            unpivot_types.check(tree, self._column_types, line)
            tree = pivots.for_target(
                tree, lambda source, where: self._source_columns(tree, source, where, line),
                line)
        resolved, missing_drop = self._tables(tree, line)
        self._learn_values(tree)
        self._scopes[-1].enter_context(statement_decimals.scoped(
            statement_decimals.statement_decimals(tree, self.table_columns, self._decimals_of),
            self.decimals, self.integers, self.ints))
        tree = self._qualified_kinds(tree, resolved)
        alias_scope.check(tree, self.table_columns, line)
        statement_shapes.check_table(tree, self.table_columns, line)
        duplicate_columns.check(tree, lambda table: self.extract_columns(table) or [
            self.heading(name) for name in self.table_columns(table) or []] or None, line)
        grouped_columns.check(tree, self.table_columns, line)
        derived_aliases.check(tree, line)
        order_names.check(tree, self.table_columns, line)
        select_predicates.check(tree, line)
        bit_columns.check(tree, self.bits, line)
        text_sums.check(tree, self.texts, line)
        bit_columns.for_target(tree, self.bits)
        # (after the checks above, whose messages name the columns as the script does)
        tree = shadowing_columns.renamed(tree, self.met_kinds.keys(), self.table_columns)
        # (the statement's tables learnt: the types of their columns are known)
        columns = integer_casts.ColumnKinds(self.texts, self.integers, self.ints, self.dates,
                                            self.undated, self.decimals,
                                            {name for name, held in self.moneys.items() if held})
        date_operands.check(tree, columns, self.moments, line)
        float_remainders.check(tree, columns, self.floats, line)
        text_arithmetic.check(tree, self.texts, self.unicode_columns.__contains__, line)
        union_types.for_target(tree, self.integers, self.ints, self.texts, self.target.dialect,
                               line)
        tree = argument_types.for_target(tree, columns)
        tree = isnull_lengths.integers_kept(tree, self.integers)
        derived = decimal_types.with_derived(tree, columns)  # (its CTEs' columns typed too)
        # (the date-and-time columns of the statement's derived tables and CTEs known too,
        # once a UNION's dates beside dates and times are made those)
        known = self._datetime_columns()
        tree = union_dates.for_target(tree, self.datetimes, known, self._owned_formats(tree),
                                      self.dates - self.moments)
        made = made_datetimes(tree, self.datetimes, known)
        self._note_declared(tree, derived, made)
        scales = decimal_scales.scales(tree, derived)
        plain_dates = self.dates - self.moments  # (a DATE wherever met, never a DATETIME)
        tree = isnull_lengths.dates_kept(tree, plain_dates)
        datetimes = {**self.datetimes, **dict.fromkeys(made, True)}
        shown = {**known, **made}
        tree = datetime_numbers.for_target(tree, datetimes, line, plain_dates)
        tree = date_only_styles.for_target(tree, columns, self.moments)
        tree = datetime_texts.for_target(tree, datetimes, self.datetime2_columns,
                                         plain_dates, shown, self._owned_formats(tree))
        tree = time_columns.typed(tree, datetime_display.table_formats(
            tree, self._session_times, self.table_columns))
        tree = time_texts.for_target(tree)
        owned = self._owned_formats(tree)
        tree = data_lengths.for_target(tree, self.unicode_columns.__contains__, datetimes,
                                       shown, owned, plain_dates)
        moments = datetime_display.formats(
            tree, datetimes, shown, owned,
            star_datetimes.star_formats(tree, self._session_formats, made)) or (
            union_dates.formats(tree, datetimes, shown, owned))
        datetime_display.typed_dates(tree, datetimes, owned)
        if self.target.dialect == "sqlite":
            date_moments.mark(tree, columns, self.moments, datetimes)
        if _column_default(tree) is not None:
            self._note_default(tree, line)
            return Translation("", False, skip=True)
        if isinstance(tree, exp.Insert | exp.Update) and _written(tree):
            parts, kinds = self._written_kinds(tree, line)
            if isinstance(tree, exp.Insert):
                tree = inserted_values.with_defaults(tree, self.defaults.get(parts, {}))
                ignoring = self.ignored_keys.get(_written(tree)[0].name.lower())
                if ignoring is not None:
                    tree = ignored_duplicates.deduplicated(tree, ignoring,
                                                           [name for name, _ in kinds])
            table = _written(tree)[0].name.lower()
            tree = inserted_values.for_target(
                tree, kinds, self.texts, self.target.dialect, self.dateformat,
                self.declared_decimals.get(table), self.declared_bits.get(table),
                self.declared_datetimes.get(table), self.declared_smalls.get(table), line,
                self._declared_days(table, kinds),
                {name for name, shown in self.declared_formats.get(table, {}).items()
                 if shown == datetime_display.DATETIME})
        if _storage_only(tree):
            retyped = self._retyped(tree, line)
            if retyped is not None:
                return retyped
            if not self._altered_texts(tree):
                return Translation("", False, skip=True)
            tree = altered_columns.for_postgres(tree)  # (which holds a VARCHAR's length)
        _temporary_qualifiers(tree)
        self._note_written(tree)
        self._selected_lengths(tree)
        if _case_only_rename(tree):  # (the targets hold the script's names in lower case)
            return Translation("", False, skip=True)
        self._names(tree, resolved)
        # (first: the passes below read plain literals without their trailing spaces)
        session = self._session_table
        tree = declared_collations.collated(tree, self.cased_columns)
        integer_casts.mark_unicode(tree, lambda node: text_arithmetic.text_type(
            node, self.texts, self.unicode_columns.__contains__) == "nvarchar")
        tree, trimmed_setup = padded_comparisons.for_target(
            rewrites.plain_strings(padded_comparisons.likes(
                tree, self.texts, session, self.unicode_columns.__contains__)), self.texts,
            session, self.target.dialect, self._temporary_table)
        tree = money_texts.for_target(tree, self.texts, self.target.dialect)
        tree = decimal_text_casts.for_target(tree, self.texts, self.target.dialect)
        # (styles first: a number's style dropped, its text is then written as without one)
        tree = number_styles.for_target(
            tree, integer_average.with_computed(tree, self.integers), self.floats,
            self.target.dialect, line, self.texts)
        # (decimals' text first: it reads the arithmetic that the overflow check wraps)
        tree, decimal_stop = decimal_texts.for_target(
            string_aggregates.numbers_as_text(tree, derived), derived, self.target.dialect)
        # (before SQLite reads the extract's decimals as floats, whose type is not known)
        tree, rounded = round_overflows.for_target(tree, derived, self.target.dialect)
        tree = money_quotients.for_target(tree, derived, self.target.dialect)
        tree = decimal_quotients.for_target(tree, derived)
        if self.target.dialect == "sqlite":
            tree = exact_decimals.for_sqlite(tree, derived)
            tree = extract_decimals.for_sqlite(tree, derived.decimals)
        # (averages first: they read the SUMs that the overflow check then wraps)
        tree = integer_average.for_target(tree, self.integers, self.target.dialect)
        tree = integer_overflow.for_target(tree, self.ints, integer_average.with_computed(
            tree, self.integers), self.target.dialect)
        tree, unicode_overflow = integer_texts.for_target(
            tree, integer_average.with_computed(tree, self.integers), self.target.dialect)
        tree, float_text = float_texts.for_target(tree, self.floats, self.target.dialect)
        integer_casts.integer_arguments(tree, columns,
                                        integer_average.with_computed(tree, self.integers))
        tree, small_cast = integer_casts.for_target(tree, columns, self.target.dialect)
        tree = float_casts.for_target(tree, columns, self.target.dialect)
        tree = decimal_overflows.for_target(tree, columns, self.floats, self.target.dialect)
        # (the statement's own integer columns too: c.yr = LEFT(TaxYear, 4), yr a VALUES')
        tree, cased = text_numbers.for_target(
            tree, self.texts, integer_average.with_computed(tree, self.integers),
            self.target.dialect, line, columns)
        tree = date_literals.for_target(
            tree, self.dates, self.dateformat, line,
            {name for name, held in self.datetimes.items() if held}, self._ticked_columns())
        tree, tried_date = date_casts.for_target(tree, columns, self.dateformat,
                                                 self.target.dialect, line)
        tree, styled = styled_dates.for_target(tree, columns, self.target.dialect,
                                               self.dateformat)
        tree, bounded = text_bounds.for_target(tree, self.target.dialect, line)
        tree, logged = float_domains.for_target(tree, self.target.dialect)
        tree, built = datetime_parts.for_target(tree, self.target.dialect, line)
        tree, dated = date_overflows.for_target(tree, plain_dates, self.datetime2_columns,
                                                self.target.dialect)
        tree = isnull_lengths.for_target(tree, self.lengths, self.texts)
        texts = derived_texts.with_derived(tree, self.texts, split)
        tree = text_groups.for_target(tree, texts)
        tree = collation.for_target(tree, texts, self.target.dialect)
        tree = text_order.for_target(tree, texts)
        tree = string_escapes.for_target(tree, self.target.dialect)
        tree = quoted_names.for_target(tree, line)
        tree, joined = string_aggregates.for_target(tree, self.target.dialect)
        tree = checksum_aggregates.for_target(tree, self.target.dialect)
        tree = format_messages.for_target(tree, self.target.dialect, line)
        tree = scalar_subqueries.for_target(tree, self.target.dialect)
        tree = bitwise_operators.for_target(tree)
        if self.target.dialect == "sqlite":
            tree = bitwise_operators.for_sqlite(tree)
            tree = date_moments.for_sqlite(tree)
            tree = sqlite_times.marked(tree)
        tree = rewrites.for_target(number_formats.numbers_first(
            smalldatetime_values.marked(tree), self.money_columns), self.target.dialect,
                                   self.datefirst, self.texts)
        tree = smalldatetime_values.for_target(tree, self.target.dialect)
        if self.target.dialect == "sqlite":
            tree = sqlite_times.for_sqlite(tree)
        tree = number_formats.for_target(tree, self.target.dialect, line)
        tree = exists_lookups.for_target(tree, self.target.dialect, self.table_columns,
                                         self._scans)
        tree = _within_target(tree, self.target.dialect, line)
        identity_setup = self._identity_columns(tree)
        tree = computed_columns.for_target(tree, self.target.dialect,
                                           lambda sql: self._one_value(sql, line))
        index_setup = lookup_indexes.statements(
            tree, self.target.dialect, self.table_columns, self._temporary_table, self._scans)
        tree, percentile = percentiles.for_target(tree, self.target.dialect, line)
        tree, sounded = soundex_codes.for_target(tree, self.target.dialect)
        setup = (self._made_once(percentiles.POSTGRES_SETUP, percentile)
                 + self._made_once(float_texts.POSTGRES_SETUP, float_text)
                 + self._made_once(soundex_codes.POSTGRES_SETUP, sounded)
                 + self._made_once(date_casts.POSTGRES_SETUP, tried_date or styled)
                 + self._made_once(text_bounds.POSTGRES_SETUP, bounded or small_cast or built
                                   or unicode_overflow or leveled or joined or dated or logged
                                   or rounded or cased or decimal_stop
                                   or text_bounds.raises(tree))
                 + identity_setup + index_setup + trimmed_setup)
        if replaced:  # (the view of the same name dropped first, when the session has one)
            name = target_sql(_written(tree)[0], self.target.dialect)
            setup += (f"DROP VIEW IF EXISTS {name}",)
        creates = None
        if isinstance(tree, exp.Create):
            created = _written(tree)[0]
            creates = tuple(p.name for p in created.parts)
        drops = [tuple(p.name for p in t.parts) for t in _written(tree)
                 ] if isinstance(tree, exp.Drop) else []
        rename = tree.find(exp.AlterRename) if isinstance(tree, exp.Alter) else None
        if rename is not None:  # (the session forgets the old name and learns the new)
            creates = (rename.this.name,)
            drops = [tuple(p.name for p in _written(tree)[0].parts)]
        sql = target_sql(derived_columns.for_target(tree, self.target.dialect),
                         self.target.dialect)
        if self.numbering is not None and not self.numbering.numbered and isinstance(
                tree, exp.Alter):
            # (the column added first, then numbered)
            setup += (sql,)
            sql = identity_values.numbering(
                target_sql(_written(tree)[0], self.target.dialect), self.numbering)
        return Translation(sql, isinstance(tree, exp.Query), headings, creates,
                           skip=missing_drop and isinstance(tree, exp.Drop), drops=drops,
                           setup=setup, scales=scales, moments=moments)
