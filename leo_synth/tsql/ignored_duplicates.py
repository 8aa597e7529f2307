"""A key declared ``WITH (IGNORE_DUP_KEY = ON)``: an ``INSERT`` leaves out the rows whose key
the table holds already, or an earlier row of the same statement gives.

Researchers dedupe with it: ``CREATE TABLE #first (LearnerID INT PRIMARY KEY WITH
(IGNORE_DUP_KEY = ON), ...)``, a table's ``CONSTRAINT uq UNIQUE (a, b) WITH (IGNORE_DUP_KEY =
ON)`` (or ``UNIQUE NONCLUSTERED (a, b) WITH (...)`` without a name, which sqlglot cannot
parse: :func:`named_uniques` names it for the parser) or ``CREATE UNIQUE INDEX ix ON #t
(pupil) WITH (IGNORE_DUP_KEY = ON)``, then ``INSERT INTO #first SELECT ... ORDER BY start``
keeps a row per learner. SQL Server inserts the rest and warns "Duplicate key was ignored.";
every target stopped with a violation of the key instead (or, for the index, which they do
not hold as unique, kept the duplicates). So such an ``INSERT`` puts in only the rows of its
source whose key is not in the table yet, the first of each key among them (the first the
target's numbering meets: a statement's rows have no order SQL Server promises either).
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.tokens import Token, TokenType

NTH = "leo_nth_of_key"
"""The column numbering a source's rows within each key."""


def _ignores(properties: list[exp.Expression]) -> bool:
    return any(isinstance(p, exp.Property) and p.name.upper() == "IGNORE_DUP_KEY"
               and isinstance(p.args.get("value"), exp.Expression)
               and p.args["value"].name.upper() == "ON" for p in properties)


def declared(tree: exp.Expression) -> list[str] | None:
    """The key columns (lower case) of a ``CREATE TABLE`` whose primary key or unique
    column is declared ``WITH (IGNORE_DUP_KEY = ON)``, else None; the option is taken out of
    ``tree`` (no target reads it)."""
    schema = tree.this if isinstance(tree, exp.Create) else None
    if not isinstance(schema, exp.Schema):
        return None
    found = None
    for item in schema.expressions:
        if isinstance(item, exp.ColumnDef):
            constraints = item.args.get("constraints") or []
            kinds = [c.args.get("kind") for c in constraints]
            keyed = any(isinstance(k, exp.PrimaryKeyColumnConstraint
                                   | exp.UniqueColumnConstraint) for k in kinds)
            options = [c for c in constraints if isinstance(c.args.get("kind"), exp.Properties)]
            if keyed and _ignores([p for c in options for p in c.args["kind"].expressions]):
                found = [item.name.lower()]
            for option in options:
                option.pop()
    for constraint in list(schema.find_all(exp.Constraint)):  # (CONSTRAINT uq UNIQUE (a, b) WITH)
        kinds = constraint.expressions
        options = [p for k in kinds if isinstance(k, exp.Properties) for p in k.expressions]
        unique = next((k for k in kinds if isinstance(k, exp.UniqueColumnConstraint)), None)
        if unique is not None and _ignores(options):
            found = [_name(column) for column in _unique_columns(unique)]
        if constraint.name == UNNAMED and unique is not None:
            constraint.replace(unique)  # (a name of the parser's, which SQL Server would not give)
        else:
            constraint.set("expressions", [k for k in kinds if not isinstance(k, exp.Properties)])
    for key in schema.find_all(exp.PrimaryKey):  # (CONSTRAINT pk PRIMARY KEY (a, b) WITH ...)
        options = key.args.get("include")
        if isinstance(options, exp.IndexParameters) and _ignores(
                options.args.get("with_storage") or []):
            found = [_name(column) for column in key.expressions]
        key.set("include", None)
    return found


def indexed(tree: exp.Create) -> list[str] | None:
    """The columns (lower case) of a ``CREATE UNIQUE INDEX ... WITH (IGNORE_DUP_KEY = ON)``,
    else None."""
    index = tree.this
    parameters = index.args.get("params") if isinstance(index, exp.Index) else None
    if not tree.args.get("unique") or not isinstance(parameters, exp.IndexParameters) or (
            not _ignores(parameters.args.get("with_storage") or [])):
        return None
    return [_name(column) for column in parameters.args.get("columns") or []]


UNNAMED = "leo_unnamed_unique"
"""The name :func:`named_uniques` gives a table's unnamed ``UNIQUE (...) WITH (...)``."""


def named_uniques(found: list[Token]) -> list[Token]:
    """The tokens with ``CONSTRAINT leo_unnamed_unique`` before each table-level ``UNIQUE
    (columns) WITH (...)`` that has no name (after a comma of a table's definition), which
    sqlglot parses only when named; :func:`declared` takes the name out again."""
    kept: list[Token] = []
    for i, token in enumerate(found):
        if token.token_type == TokenType.UNIQUE and kept and (
                kept[-1].token_type == TokenType.COMMA) and _with_follows(found, i + 1):
            for kind, text in ((TokenType.CONSTRAINT, "CONSTRAINT"), (TokenType.VAR, UNNAMED)):
                kept.append(Token(kind, text, token.line, token.col, token.start, token.start))
        kept.append(token)
    return kept


def _with_follows(found: list[Token], i: int) -> bool:
    """Whether ``found[i]`` opens a bracket after whose close ``WITH (`` comes."""
    if i >= len(found) or found[i].token_type != TokenType.L_PAREN:
        return False
    depth = 0
    for j in range(i, len(found)):
        depth += {TokenType.L_PAREN: 1, TokenType.R_PAREN: -1}.get(found[j].token_type, 0)
        if depth == 0:
            return j + 2 < len(found) and found[j + 1].token_type == TokenType.WITH and (
                found[j + 2].token_type == TokenType.L_PAREN)
    return False


def _unique_columns(unique: exp.UniqueColumnConstraint) -> list[exp.Expression]:
    """The columns of a table's ``UNIQUE (a, b)`` (``NONCLUSTERED (a, b)`` as sqlglot reads
    it when the word is kept)."""
    inner = unique.this
    if isinstance(inner, exp.Schema):
        return list(inner.expressions)
    listed = inner.this if isinstance(inner, exp.Expression) else None
    return list(listed) if isinstance(listed, list) else []


def _name(column: exp.Expression) -> str:
    return (column.this if isinstance(column, exp.Ordered) else column).name.lower()


def deduplicated(insert: exp.Insert, key: list[str], columns: list[str]) -> exp.Insert:
    """``insert`` (into a table of ``columns``, in order, keyed by ``key``) keeping only the
    rows of its source whose key the table does not hold, the first of each key among them.
    Left as it is when its source is no ``VALUES`` list or query, or the key is not among the
    columns it writes."""
    source = insert.expression
    schema = insert.this if isinstance(insert.this, exp.Schema) else None
    written = [c.name for c in schema.expressions] if schema is not None else columns
    table = schema.this if schema is not None else insert.this
    if not isinstance(source, exp.Values | exp.Query) or not isinstance(table, exp.Table) or (
            not set(key) <= {name.lower() for name in written}):
        return insert
    aliases = exp.TableAlias(this=exp.to_identifier("leo_new"),
                             columns=[exp.to_identifier(name) for name in written])
    rows = (exp.select(*written).from_(exp.Values(expressions=source.expressions,
                                                   alias=aliases))
            if isinstance(source, exp.Values) else
            exp.select(*written).from_(exp.Subquery(this=source.copy(), alias=aliases)))
    numbered = rows.select(exp.alias_(exp.Window(
        this=exp.RowNumber(), partition_by=[exp.column(name) for name in key],
        order=exp.Order(expressions=[exp.Ordered(this=exp.Subquery(
            this=exp.select(exp.null())))])), NTH))
    old = table.copy()
    old.set("alias", exp.TableAlias(this=exp.to_identifier("leo_old")))
    held = exp.select(exp.Literal.number(1)).from_(old).where(exp.and_(*[
        exp.EQ(this=exp.column(name, "leo_old"), expression=exp.column(name, "leo_kept"))
        for name in key]))
    kept = exp.select(*[exp.column(name, "leo_kept") for name in written]).from_(
        exp.Subquery(this=numbered, alias=exp.TableAlias(this=exp.to_identifier("leo_kept")))
    ).where(exp.and_(exp.EQ(this=exp.column(NTH, "leo_kept"), expression=exp.Literal.number(1)),
                     exp.Not(this=exp.Exists(this=held))))
    done = insert.copy()
    done.set("expression", kept)
    return done
