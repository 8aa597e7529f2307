"""DDL and load scripts for a CSV extract, per SQL dialect, compiled from the spec.

The tables are the SQLAlchemy tables of ``spec/physical.py`` (the ones every database backend
creates) with their primary keys and indexes, compiled by SQLAlchemy's SQL Server, PostgreSQL
and SQLite dialects, and laid out as the matching backend lays them out:

* SQL Server: every SRS database with the project schema, so relations have their SRS
  three-part names (``[LEO_i2].[2002237].[leo_employment]``);
* PostgreSQL: as the PostgreSQL writer does, a schema per source database with lower-case names
  and the project schema of views (``writers/postgres_srs.py``);
* SQLite: as the SQLite writer does, every relation under its bare name.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from leo_synth import srs_address
from leo_synth.spec.model import Relation
from leo_synth.spec.physical import (
    compiled_once,
    folded_sqlalchemy_table,
    index_columns,
    sqlalchemy_table,
)
from leo_synth.srs_address import SrsNaming
from leo_synth.writers import postgres_srs
from leo_synth.writers.postgres_srs import project_schema_statements

if TYPE_CHECKING:  # SQLAlchemy is imported only where DDL is compiled (a cache miss)
    import sqlalchemy as sa

DIALECTS = ("mssql", "postgresql", "sqlite")
HEADER = "-- leo-synth synthetic data: no row describes a real person."


def csv_file(relation: Relation) -> str:
    """The CSV file name of a relation in a CSV extract."""
    return f"{relation.name}.csv"


def _dialect(name: str) -> sa.engine.Dialect:
    from sqlalchemy.dialects import mssql, postgresql, sqlite

    if name == "mssql":
        dialect = mssql.dialect()
        dialect.server_version_info = (16, 0)  # SQL Server 2022: DATE, not the pre-2008 DATETIME
        dialect._setup_version_attributes()
        return dialect
    return postgresql.dialect() if name == "postgresql" else sqlite.dialect()


def _ddl(relation: Relation, metadata: sa.MetaData, dialect: sa.engine.Dialect,
         schema: str | None, fold: bool) -> list[str]:
    """CREATE TABLE with the primary key, then CREATE INDEX for the key and reference
    columns (named as the SQLite writer names them)."""
    import sqlalchemy as sa

    make = folded_sqlalchemy_table if fold else sqlalchemy_table
    table = make(relation, metadata, schema)
    name = table.name
    by_name = {c.name: c for c in table.columns}  # folded names, where table.c keeps the spec's

    def column(col: str) -> sa.Column:
        return by_name[col.lower() if fold else col]

    if relation.primary_key:
        table.append_constraint(sa.PrimaryKeyConstraint(
            *(column(c) for c in relation.primary_key), name=f"pk_{name}"))
    statements = [str(sa.schema.CreateTable(table).compile(dialect=dialect)).strip()]
    statements += [str(sa.schema.CreateIndex(sa.Index(f"ix_{name}_{column(col).name}",
                                                      column(col))).compile(dialect=dialect))
                   for col in index_columns(relation)]
    return statements


def schema_script(dialect_name: str, relations: list[Relation], naming: SrsNaming) -> str:
    """The DDL that creates every relation in a dialect, as one script, compiled once per
    spec and naming (:func:`~leo_synth.spec.physical.compiled_once`: the three scripts cost
    a CSV run 3 s, more than writing a thousand persons)."""
    keys = repr([(rel.primary_key, index_columns(rel), naming.database(rel))
                 for rel in relations])
    return compiled_once(
        f"schema script {dialect_name}", relations,
        f"{naming.iteration} {naming.project} {keys}",
        (Path(__file__), Path(postgres_srs.__file__), Path(srs_address.__file__)),
        lambda: _schema_script(dialect_name, relations, naming))


def _schema_script(dialect_name: str, relations: list[Relation], naming: SrsNaming) -> str:
    import sqlalchemy as sa

    dialect = _dialect(dialect_name)
    metadata = sa.MetaData()
    lines = [HEADER, f"-- Iteration {naming.iteration}, SRS project {naming.project}; "
                     f"then run load_{dialect_name}.sql (see README.txt)."]
    if dialect_name == "mssql":
        for database in naming.databases(relations):
            lines += [f"IF DB_ID(N'{database}') IS NULL CREATE DATABASE [{database}];", "GO",
                      f"USE [{database}];", "GO",
                      f"IF SCHEMA_ID(N'{naming.project}') IS NULL "
                      f"EXEC(N'CREATE SCHEMA [{naming.project}]');", "GO"]
            for rel in relations:
                if naming.database(rel) == database:
                    lines += [f"{s};" for s in _ddl(rel, metadata, dialect, naming.project,
                                                    fold=False)]
            lines.append("GO")
    elif dialect_name == "postgresql":
        lines += [f"CREATE SCHEMA IF NOT EXISTS {db};"
                  for db in sorted({rel.database for rel in relations})]
        for rel in relations:
            lines += [f"{s};" for s in _ddl(rel, metadata, dialect, rel.database, fold=True)]
        lines += [f"{s};" for s in project_schema_statements(relations, naming.project)]
    else:
        for rel in relations:
            lines += [f"{s};" for s in _ddl(rel, metadata, dialect, None, fold=False)]
    return "\n".join(lines) + "\n"


def load_script(dialect_name: str, relations: list[Relation], naming: SrsNaming) -> str:
    """The commands that load every CSV file into the tables of :func:`schema_script`."""
    lines = [HEADER]
    if dialect_name == "mssql":
        lines.append("-- sqlcmd -S SERVER -i load_mssql.sql -v csv_folder=\"D:\\path\\to\\this"
                     "\\folder\" (SQL Server 2017 or later: BULK INSERT reads quoted CSV)")
        for rel in relations:
            database, project, name = naming.parts(rel)
            lines.append(f"BULK INSERT [{database}].[{project}].[{name}] FROM "
                         f"'$(csv_folder)\\{csv_file(rel)}' WITH (FORMAT = 'CSV', FIRSTROW = 2, "
                         f"CODEPAGE = '65001', FIELDQUOTE = '\"', ROWTERMINATOR = '0x0a', "
                         f"KEEPNULLS, TABLOCK);")
    elif dialect_name == "postgresql":
        lines.append("-- psql URL -v ON_ERROR_STOP=1 -f load_postgresql.sql, from this folder")
        lines += [f"\\copy {rel.database}.\"{rel.name.lower()}\" FROM '{csv_file(rel)}' "
                  f"WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')" for rel in relations]
    else:
        lines += ["-- sqlite3 leo.sqlite \".read schema_sqlite.sql\" \".read load_sqlite.sql\", "
                  "from this folder.",
                  "-- sqlite3's .import reads an empty field as '', so nullable columns are "
                  "given their NULLs back.", ".bail on", "BEGIN;"]
        for rel in relations:
            lines.append(f".import --csv --skip 1 {csv_file(rel)} {rel.name}")
            nullable = [f'"{c.name}" = NULLIF("{c.name}", \'\')' for c in rel.columns
                        if c.spec.nullable]
            if nullable:
                lines.append(f'UPDATE "{rel.name}" SET {", ".join(nullable)};')
        lines.append("COMMIT;")
    return "\n".join(lines) + "\n"


def readme(relations: list[Relation], naming: SrsNaming) -> str:
    """README.txt of a CSV extract: the file format and a load recipe per database."""
    example = naming.parts(next((r for r in relations if r.name.lower() == "leo_employment"),
                                relations[0]))
    databases = ", ".join(naming.databases(relations))
    three_part = f'{example[0]}."{example[1]}".{example[2]}'
    schemas = ", ".join(sorted({rel.database for rel in relations}))
    return f"""leo-synth synthetic LEO extract as CSV. No row describes a real person.

Iteration {naming.iteration}, SRS project {naming.project}, {len(relations)} relations.
One file per relation, <relation>.csv: UTF-8, comma-separated, a header row, fields quoted
with " where needed, dates YYYY-MM-DD, timestamps YYYY-MM-DD HH:MM:SS, NULL as an empty
field (an empty string is ""). _manifest.json has the run settings and each relation's rows
and checksum.

SQL Server (2017 or later), databases {databases} with schema [{naming.project}]:
  sqlcmd -S SERVER -i schema_mssql.sql -i load_mssql.sql -v csv_folder="D:\\leo_csv"
  (csv_folder: this folder as the SQL Server machine sees it). Every relation then has its
  SRS three-part name, e.g. [{example[0]}].[{example[1]}].[{example[2]}].
  (bcp does not read quoted CSV fields; load_mssql.sql uses BULK INSERT ... FORMAT = 'CSV'.)

PostgreSQL, from this folder (schemas {schemas}, and views of every relation in
the schema "{naming.project}": {three_part} is "{example[1]}".{example[2]} there):
  psql "postgresql://user@host/database" -v ON_ERROR_STOP=1 \\
       -f schema_postgresql.sql -f load_postgresql.sql

SQLite, from this folder (every relation under its bare name):
  sqlite3 leo.sqlite ".read schema_sqlite.sql" ".read load_sqlite.sql"
  sqlite3's .import cannot tell an empty string from NULL; load_sqlite.sql makes empty fields
  of nullable columns NULL.
"""
