"""SRS names -> the target's relations.

In the SRS a relation is ``<database>.<project>.<view>``: the SRS database names of each
iteration come from ``schemas/databases.yaml`` (``[NPD].[2002237].[Spring_Census_2011]`` in
Iteration 1, ``LEO_i2."2002237".leo_employment`` in Iteration 2; leo_schema.md section 1.1).
A name is mapped to the target's relation by its last part, case-insensitively, once its
database part is one the SRS has and holds that relation; a two-part name's schema must be
a project number, ``dbo`` or a database name (the PostgreSQL and DuckDB outputs have a
schema per database).
"""

from __future__ import annotations

import re
from functools import cache

from sqlglot import exp

from leo_synth.errors import did_you_mean
from leo_synth.tsql import spec_lookup
from leo_synth.tsql.errors import ScriptError

TEMPDB = re.compile(r"^\s*tempdb\s*\.[^.]*\.", re.IGNORECASE)
"""The ``tempdb..`` (or ``tempdb.dbo.``) before a #temp table's name in a name written as
text (``OBJECT_ID('tempdb..#t')``, ``sp_rename 'tempdb..#t.col', ...``)."""


@cache
def srs_names() -> dict[str, tuple[str, str]]:
    """Every SRS database name (lower case) -> (its spelling, the extract's database), from
    the spec's ``databases.yaml``: ``npd`` and ``npd_i2`` are both ``npd_i2``."""
    return {srs.lower(): (srs, database)
            for database, names in spec_lookup.catalog().databases.items()
            for _, srs in names}


def source_database(srs_name: str) -> str:
    """The extract's database (schema or folder) behind an SRS database name."""
    return srs_names()[srs_name.lower()][1]


def _spec_database(name: str) -> str | None:
    """The database of the spec's relation ``name``: for targets that do not keep the
    database, such as a SQLite file."""
    rel = spec_lookup.relation(name)
    return rel.database if rel is not None else None


def check_database(part: str, line: int) -> str:
    known = srs_names()
    if part.lower() not in known:
        spellings = [srs for srs, _ in known.values()]
        raise ScriptError(line, f"unknown SRS database {part!r}{did_you_mean(part, spellings)}"
                          f" (the SRS has {', '.join(spellings)})")
    return source_database(part)


def _check_schema(part: str, name: str, line: int) -> str | None:
    """A two-part name's schema: a project number or dbo (any database), or a database. A
    schema that is neither (``fft.person_lookup``, a table the script has not made) is SQL
    Server's error 208: no such object in the database."""
    if part.isdigit() or part.lower() in ("dbo", "<p>"):
        return None
    if part.lower() not in srs_names():
        raise ScriptError(line, f"Invalid object name '{part}.{name}'. (no relation of the "
                          f"extract is in a schema {part!r}, and the script has not made it)")
    return check_database(part, line)


def resolve(table: exp.Table, relations: dict[str, tuple[str, ...]],
            databases: dict[str, str], line: int) -> tuple[str, ...]:
    """The target's qualified name of a relation named as in the SRS, or a
    :class:`ScriptError`."""
    name = table.name
    wanted = None
    if table.catalog:
        wanted = check_database(table.catalog, line)
    elif table.db:
        wanted = _check_schema(table.db, table.name, line)
    physical = relations.get(name.lower())
    if physical is None:
        # (SQL Server's words, error 208, with the name as written; then leo-synth's hint)
        written = ".".join(part for part in (table.catalog, table.db, name) if part)
        raise ScriptError(line, f"Invalid object name '{written}'."
                          f"{did_you_mean(name, relations)} (not in this extract; "
                          f"`leo-synth tables` lists them)")
    if wanted is not None:
        known = srs_names()
        held = databases.get(name.lower())
        if held is None or held.lower() not in known:  # (e.g. PostgreSQL's project schema
            held = _spec_database(name)  # of views, "2002237")
        if held is not None and held.lower() in known and source_database(held) != wanted:
            shown = table.catalog or table.db
            raise ScriptError(line, f"{name} is in {known[held.lower()][0]}, "
                              f"not in {shown}")
    return physical


def as_written(table: exp.Table) -> str:
    """A table's own name as the script wrote it (``#both``, ``##people``, ``runs``), for
    SQL Server's messages."""
    name = table.this
    hashes = "##" if name.args.get("global_") else "#" if name.args.get("temporary") else ""
    return f"{hashes}{name.name}"
