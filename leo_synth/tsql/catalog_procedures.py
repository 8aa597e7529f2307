"""``sp_help``, ``sp_columns`` and ``sp_tables``: SQL Server's catalog procedures as queries of
the catalog views this package already makes.

Researchers meet a relation in the SRS with ``EXEC sp_help 'KS4Pupil_2015_to_2021'`` or
``sp_columns`` before they write a query, and check a ``#temp`` table they made with ``EXEC
tempdb..sp_help '#cohort'``. No target has these procedures, so each call becomes the text of
a T-SQL query over ``sys.objects``/``sys.columns``/``sys.types`` (``catalog_views``,
``tempdb_views``) or ``INFORMATION_SCHEMA`` (``information_schema``), run as dynamic SQL is
(``blocks.Exec``): the same translation, the caller's #temp tables visible, ``INSERT INTO #t
EXEC sp_columns ...`` included. Arguments may be variables: each is spliced into the text as
a quoted string by the target, when the EXEC runs.

What each gives (SQL Server's column names and order):

- ``sp_help 'name'``: the object (Name, Owner, Type, Created_datetime) and its columns
  (Column_name, Type, Computed, Length, Prec, Scale, Nullable, TrimTrailingBlanks,
  FixedLenNullInSource, Collation): SQL Server's first two result sets. The later ones
  (identity, RowGuidCol, filegroup, indexes, constraints) are left out: the extract's views
  have none, and scripts read the first two. An unknown name raises SQL Server's error 15009.
  ``sp_help`` alone lists the objects (Name, Owner, Object_type).
- ``sp_columns @table_name [, @table_owner, @table_qualifier, @column_name]``: ODBC's
  column listing (TABLE_QUALIFIER ... IS_NULLABLE, ODBC 2 codes as SQL Server's default);
  names are LIKE patterns, as there. SQL Server's last column, SS_DATA_TYPE (its old internal
  type codes), is left out: rejected as a guess, since its codes are not documented per type.
- ``sp_tables [@table_name, @table_owner, @table_qualifier, @table_type]``: TABLE_QUALIFIER,
  TABLE_OWNER, TABLE_NAME, TABLE_TYPE, REMARKS; the extract's relations are views.
"""

from __future__ import annotations

import re

from sqlglot import exp

from leo_synth.tsql.errors import ScriptError

PARAMETERS = {
    "sp_help": ("objname",),
    "sp_columns": ("table_name", "table_owner", "table_qualifier", "column_name", "odbcver"),
    "sp_tables": ("table_name", "table_owner", "table_qualifier", "table_type",
                  "fusepattern"),
}
"""Each procedure's parameters, in SQL Server's order (for arguments given by position)."""

# type: ODBC 2 DATA_TYPE, PRECISION, LENGTH, SCALE, RADIX, SQL_DATA_TYPE, SQL_DATETIME_SUB
# (SQL Server's sp_columns; a text type's precision and length come from its declared length,
# a decimal's from its own precision and scale, so theirs here are placeholders)
ODBC_TYPES = {
    "bigint": (-5, 19, 8, 0, 10, -5, None), "bit": (-7, 1, 1, 0, None, -7, None),
    "char": (1, 0, 0, None, None, 1, None), "date": (-9, 10, 20, None, None, -9, None),
    "datetime": (11, 23, 16, 3, None, 9, 3), "datetime2": (-9, 27, 54, 7, None, -9, None),
    "decimal": (3, 0, 0, 0, 10, 3, None), "float": (6, 15, 8, None, 10, 6, None),
    "int": (4, 10, 4, 0, 10, 4, None), "money": (3, 19, 21, 4, 10, 3, None),
    "nchar": (-8, 0, 0, None, None, -8, None), "numeric": (2, 0, 0, 0, 10, 2, None),
    "nvarchar": (-9, 0, 0, None, None, -9, None), "real": (7, 7, 4, None, 10, 7, None),
    "smallint": (5, 5, 2, 0, 10, 5, None), "time": (-9, 16, 32, 7, None, -9, None),
    "tinyint": (-6, 3, 1, 0, 10, -6, None), "varchar": (12, 0, 0, None, None, 12, None),
}
PRECISION_TYPES = ("tinyint", "smallint", "decimal", "int", "bigint", "real", "money", "float",
                   "numeric", "smallmoney", "date", "time", "datetime2")
"""Types whose precision and scale ``sp_help`` shows (its own list); others show blanks."""
TEXT_TYPES = ("char", "varchar", "nchar", "nvarchar", "binary", "varbinary")

_HELP_ALL = """SELECT o.name AS Name, ISNULL(s.name, 'dbo') AS Owner,
  LOWER(REPLACE(o.type_desc, '_', ' ')) AS Object_type
FROM sys.objects o LEFT JOIN sys.schemas s ON s.schema_id = o.schema_id
ORDER BY Object_type, Name"""

_HELP = """DECLARE @leo_name NVARCHAR(776) = {objname};
DECLARE @leo_temp BIT = CASE WHEN LTRIM(@leo_name) LIKE '#%' OR @leo_name LIKE 'tempdb.%'
  THEN 1 ELSE 0 END;
DECLARE @leo_id INT = CASE WHEN @leo_temp = 1
  THEN OBJECT_ID(CASE WHEN @leo_name LIKE 'tempdb.%' THEN @leo_name ELSE 'tempdb..' + @leo_name END)
  ELSE OBJECT_ID(@leo_name) END;
IF @leo_id IS NULL
BEGIN
  DECLARE @leo_database SYSNAME = ISNULL(DB_NAME(), 'master');
  RAISERROR('The object ''%s'' does not exist in database ''%s'' or is invalid for this operation.',
    16, 1, @leo_name, @leo_database);
END
ELSE IF @leo_temp = 1
BEGIN
  SELECT o.name AS Name, 'dbo' AS Owner, 'user table' AS Type, o.create_date AS Created_datetime
  FROM tempdb.sys.objects o WHERE o.object_id = @leo_id;
  SELECT {columns} FROM tempdb.sys.columns c JOIN sys.types t ON t.user_type_id = c.user_type_id
  WHERE c.object_id = @leo_id ORDER BY c.column_id;
END
ELSE
BEGIN
  SELECT o.name AS Name, s.name AS Owner, LOWER(REPLACE(o.type_desc, '_', ' ')) AS Type,
    o.create_date AS Created_datetime
  FROM sys.objects o JOIN sys.schemas s ON s.schema_id = o.schema_id WHERE o.object_id = @leo_id;
  SELECT {columns} FROM sys.columns c JOIN sys.types t ON t.user_type_id = c.user_type_id
  WHERE c.object_id = @leo_id ORDER BY c.column_id;
END"""

_HELP_COLUMNS = f"""c.name AS Column_name, t.name AS Type, 'no' AS Computed,
  c.max_length AS Length,
  CASE WHEN t.name IN ({", ".join(f"'{n}'" for n in PRECISION_TYPES)})
    THEN CAST(c.precision AS VARCHAR(5)) ELSE '' END AS Prec,
  CASE WHEN t.name IN ({", ".join(f"'{n}'" for n in PRECISION_TYPES)}) AND t.name NOT IN
    ('real', 'float') THEN CAST(c.scale AS VARCHAR(5)) ELSE '' END AS Scale,
  CASE WHEN c.is_nullable = 1 THEN 'yes' ELSE 'no' END AS Nullable,
  CASE WHEN t.name IN ({", ".join(f"'{n}'" for n in TEXT_TYPES)}) THEN 'no' ELSE '(n/a)' END
    AS TrimTrailingBlanks,
  CASE WHEN t.name IN ('char', 'nchar', 'binary') AND c.is_nullable = 1 THEN 'yes'
    WHEN t.name IN ({", ".join(f"'{n}'" for n in TEXT_TYPES)}) THEN 'no' ELSE '(n/a)' END
    AS FixedLenNullInSource,
  c.collation_name AS Collation"""


def _odbc_values() -> str:
    """ODBC_TYPES as a T-SQL ``VALUES`` list."""
    def shown(value: int | None) -> str:
        return "NULL" if value is None else str(value)
    return ",\n  ".join(f"('{name}', {', '.join(shown(v) for v in facts)})"
                        for name, facts in ODBC_TYPES.items())


_COLUMNS = f"""SELECT c.TABLE_CATALOG AS TABLE_QUALIFIER, c.TABLE_SCHEMA AS TABLE_OWNER,
  c.TABLE_NAME, c.COLUMN_NAME, f.odbc AS DATA_TYPE, c.DATA_TYPE AS TYPE_NAME,
  COALESCE(c.CHARACTER_MAXIMUM_LENGTH, CASE WHEN c.DATA_TYPE IN ('decimal', 'numeric')
    THEN c.NUMERIC_PRECISION END, f.prec) AS PRECISION,
  CASE WHEN c.CHARACTER_MAXIMUM_LENGTH IS NOT NULL
    THEN c.CHARACTER_MAXIMUM_LENGTH * CASE WHEN c.DATA_TYPE LIKE 'n%' THEN 2 ELSE 1 END
    WHEN c.DATA_TYPE IN ('decimal', 'numeric') THEN c.NUMERIC_PRECISION + 2 ELSE f.len END
    AS LENGTH,
  COALESCE(c.NUMERIC_SCALE, f.scale) AS SCALE, f.radix AS RADIX,
  CASE WHEN c.IS_NULLABLE = 'YES' THEN 1 ELSE 0 END AS NULLABLE,
  CAST(NULL AS VARCHAR(254)) AS REMARKS, c.COLUMN_DEFAULT AS COLUMN_DEF,
  f.sql_type AS SQL_DATA_TYPE, f.datetime_sub AS SQL_DATETIME_SUB,
  CASE WHEN c.CHARACTER_MAXIMUM_LENGTH IS NOT NULL
    THEN c.CHARACTER_MAXIMUM_LENGTH * CASE WHEN c.DATA_TYPE LIKE 'n%' THEN 2 ELSE 1 END
    END AS CHAR_OCTET_LENGTH,
  c.ORDINAL_POSITION, c.IS_NULLABLE
FROM INFORMATION_SCHEMA.COLUMNS c
JOIN (VALUES
  {_odbc_values()}
) AS f (name, odbc, prec, len, scale, radix, sql_type, datetime_sub) ON f.name = c.DATA_TYPE
WHERE c.TABLE_NAME LIKE {{table_name}} AND c.TABLE_SCHEMA LIKE {{table_owner}}
  AND c.TABLE_CATALOG LIKE {{table_qualifier}} AND c.COLUMN_NAME LIKE {{column_name}}
ORDER BY TABLE_QUALIFIER, TABLE_OWNER, c.TABLE_NAME, c.ORDINAL_POSITION"""

_TABLES = """SELECT TABLE_CATALOG AS TABLE_QUALIFIER, TABLE_SCHEMA AS TABLE_OWNER, TABLE_NAME,
  TABLE_TYPE, CAST(NULL AS VARCHAR(254)) AS REMARKS
FROM INFORMATION_SCHEMA.TABLES
WHERE TABLE_NAME LIKE {table_name} AND TABLE_SCHEMA LIKE {table_owner}
  AND TABLE_CATALOG LIKE {table_qualifier} {table_type}
ORDER BY TABLE_TYPE, TABLE_QUALIFIER, TABLE_OWNER, TABLE_NAME"""

ANY = exp.Literal.string("%")


def statement(procedure: str, arguments: list[tuple[str | None, exp.Expression]],
              line: int) -> exp.Expression:
    """The expression giving the T-SQL text that answers ``EXEC procedure arguments``
    (``procedure`` one of :data:`PARAMETERS`, lower case; arguments by position, or by name
    without the ``@``)."""
    values = _bound(procedure, arguments, line)
    if procedure == "sp_help":
        if "objname" not in values:
            return exp.Literal.string(_HELP_ALL)
        return _spliced(_HELP.replace("{columns}", _HELP_COLUMNS), values)
    if procedure == "sp_columns":
        if "table_name" not in values:
            raise ScriptError(line, "Procedure or function 'sp_columns' expects parameter "
                              "'@table_name', which was not supplied.")
        return _spliced(_COLUMNS, {key: values.get(key, ANY) for key in PARAMETERS[procedure]})
    kinds = values.pop("table_type", None)
    filled = {key: values.get(key, ANY) for key in PARAMETERS[procedure]}
    return _spliced(_TABLES.replace("{table_type}", _type_filter(kinds, line)), filled)


def _bound(procedure: str, arguments: list[tuple[str | None, exp.Expression]],
           line: int) -> dict[str, exp.Expression]:
    """The arguments by parameter name; an unknown or repeated one fails as in SQL Server."""
    names = PARAMETERS[procedure]
    values: dict[str, exp.Expression] = {}
    for position, (name, value) in enumerate(arguments):
        key = name.lstrip("@").lower() if name is not None else (
            names[position] if position < len(names) else None)
        if key is None:
            raise ScriptError(line, f"Procedure or function {procedure} has too many "
                              "arguments specified.")
        if key not in names:
            raise ScriptError(line, f"@{key} is not a parameter for procedure {procedure}.")
        if key in values:
            raise ScriptError(line, f"Procedure or function {procedure}: the parameter @{key} "
                              "is given twice")
        if isinstance(value, exp.Column) and not value.table:
            value = exp.Literal.string(value.name)  # (sp_help KS4Pupil: a bare word is text)
        if not isinstance(value, exp.Null):
            values[key] = value
    return values


def _type_filter(kinds: exp.Expression | None, line: int) -> str:
    """``sp_tables``' ``@table_type`` (a string listing quoted kinds: ``"'VIEW', 'TABLE'"``)
    as a condition; only a string written in the script can be read before the run."""
    if kinds is None:
        return ""
    if not isinstance(kinds, exp.Literal | exp.National) or not kinds.is_string:
        raise ScriptError(line, "sp_tables' @table_type must be written as a string here "
                          "(\"'VIEW'\")")
    listed = re.findall(r"'([^']*)'", kinds.name) or [kinds.name]
    shown = ", ".join("'" + k.strip().upper().replace("'", "''") + "'" for k in listed)
    return f"AND TABLE_TYPE IN ({shown})"


def _spliced(template: str, values: dict[str, exp.Expression]) -> exp.Expression:
    """The template's text with each ``{name}`` a quoted string of the argument's value,
    computed by the target when the EXEC runs (a variable's value too)."""
    parts = re.split(r"\{(\w+)\}", template)
    text: exp.Expression = exp.Literal.string(parts[0])
    for k in range(1, len(parts), 2):
        quoted = exp.Anonymous(this="REPLACE", expressions=[
            exp.Cast(this=values[parts[k]].copy(), to=exp.DataType.build("NVARCHAR(4000)")),
            exp.Literal.string("'"), exp.Literal.string("''")])
        for piece in (exp.Literal.string("'"), quoted, exp.Literal.string("'" + parts[k + 1])):
            text = exp.Add(this=text, expression=piece)
    return text
