"""Physical forms of a relation derived from its spec: the Arrow schema and SQLAlchemy table.

Both come from the same :class:`~leo_synth.spec.model.Relation`, so the batches every writer
receives and the DDL every database gets cannot drift apart.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterable
from importlib import import_module
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pyarrow as pa

from leo_synth.memo import by_identity
from leo_synth.resources import cache_dir, read_cached, write_cached
from leo_synth.spec.model import Relation, RelationColumn

if TYPE_CHECKING:  # SQLAlchemy is imported only where DDL is compiled (a cache miss)
    import sqlalchemy as sa

T = TypeVar("T")

_SCHEMA_IPC = "_arrow_schema_ipc"
_FINGERPRINT = "_physical_fingerprint"
"""Keys of what :func:`keep_physical_forms` stores in a relation's ``__dict__``."""


@by_identity
def arrow_schema(relation: Relation) -> pa.Schema:
    """Arrow schema of a relation, with column descriptions as field metadata (made once per
    relation and process)."""
    kept = relation.__dict__.get(_SCHEMA_IPC)
    return (pa.ipc.read_schema(pa.py_buffer(kept)) if kept is not None
            else _arrow_schema(relation))


def physical_fingerprint(relation: Relation) -> str:
    """SHA-256 of what a relation's DDL depends on: its name, description and grain, and
    each column's name, type, nullability and description (kept on the relation)."""
    known = relation.__dict__.get(_FINGERPRINT)
    if known is None:
        known = hashlib.sha256(repr((
            relation.name, relation.table.description, relation.table.grain,
            [(c.name, str(c.spec.type), c.spec.nullable, c.spec.description)
             for c in relation.columns])).encode()).hexdigest()
        relation.__dict__[_FINGERPRINT] = known
    return known


def keep_physical_forms(relations: list[Relation]) -> None:
    """Keep on each relation its fingerprint and its Arrow schema (serialized), so a catalog
    pickled with its relations (the loader's cache) gives them back: building 18,000 fields
    with their descriptions costs a tenth of a second, reading them back a hundredth."""
    for relation in relations:
        physical_fingerprint(relation)
        relation.__dict__[_SCHEMA_IPC] = arrow_schema(relation).serialize().to_pybytes()


def _arrow_schema(relation: Relation) -> pa.Schema:
    fields = [
        pa.field(col.name, col.spec.type.arrow_type(), nullable=col.spec.nullable,
                 metadata={"description": col.spec.description})
        for col in relation.columns
    ]
    return pa.schema(fields, metadata={
        "relation": relation.name,
        "database": relation.database,
        "grain": relation.table.grain,
        "synthetic": "leo-synth synthetic data: no row describes a real person",
    })


def sqlalchemy_table(relation: Relation, metadata: sa.MetaData, schema: str | None) -> sa.Table:
    """A SQLAlchemy table for DDL, without keys (they are added after loading)."""
    import sqlalchemy as sa

    columns = [
        sa.Column(col.name, col.spec.type.sqlalchemy_type(), nullable=col.spec.nullable,
                  comment=column_comment(col))
        for col in relation.columns
    ]
    return sa.Table(relation.name, metadata, *columns, schema=schema,
                    comment=table_comment(relation), quote=True)


def table_comment(relation: Relation) -> str:
    """A relation's comment in the databases that keep one: description and grain."""
    comment = f"{relation.table.description} Grain: {relation.table.grain}. (leo-synth, synthetic)"
    return comment[:1000]


def column_comment(column: RelationColumn) -> str:
    """A column's comment in the databases that keep one: its description."""
    return column.spec.description[:1000]


def folded_sqlalchemy_table(relation: Relation, metadata: sa.MetaData, schema: str | None
                            ) -> sa.Table:
    """:func:`sqlalchemy_table` with the relation and column names in lower case, as
    PostgreSQL folds unquoted names (so the SRS's case-insensitive SQL runs unchanged)."""
    table = sqlalchemy_table(relation, metadata, schema=schema)
    table.name = relation.name.lower()
    for column in table.columns:
        column.name = column.name.lower()
    return table


def index_columns(relation: Relation) -> list[str]:
    """Columns worth an index: keys and references (primary-key columns excluded)."""
    primary = set(relation.primary_key)
    return [col.name for col in relation.columns
            if (col.spec.key or col.spec.references) and col.name not in primary]


def compiled_once(what: str, relations: list[Relation], salt: str, sources: Iterable[Path],
                  compile_ddl: Callable[[], T]) -> T:
    """``compile_ddl()``, DDL compiled by SQLAlchemy for ``relations``, computed once and then
    cached on disk.

    Compiling DDL for 18,000 columns costs more than generating a small extract, so what it
    gives is kept in the cache directory under a digest of everything it depends on: ``what``
    (e.g. the dialect), each relation's :func:`physical_fingerprint`, SQLAlchemy's version,
    the sources of this module, of the SQL types and ``sources`` (the modules that lay the DDL
    out), and ``salt`` (whatever else it depends on, e.g. keys or the schemas the tables are
    put in). A cached run does not even import SQLAlchemy (a fifth of a second).
    """
    digest = hashlib.sha256(f"{what} {installed_version('sqlalchemy')} {salt}".encode())
    for source in (Path(__file__), Path(__file__).with_name("types.py"), *sources):
        digest.update(source.read_bytes())
    for rel in relations:
        digest.update(physical_fingerprint(rel).encode())
    root = cache_dir()
    path = root / f"ddl-{digest.hexdigest()[:32]}.pickle" if root is not None else None
    cached = read_cached(path)
    if cached is not None:
        return cached
    compiled = compile_ddl()
    write_cached(path, compiled)
    return compiled


def create_table_statements(relations: list[Relation], dialect: str,
                            make: Callable[[Relation, sa.MetaData], sa.Table], salt: str = ""
                            ) -> list[str]:
    """``CREATE TABLE`` statements of ``relations`` for the SQLAlchemy ``dialect`` named
    (``"sqlite"``), the tables made by ``make`` (``salt``: what else ``make`` depends on),
    compiled once (:func:`compiled_once`; ``make``'s module is among the sources)."""

    def compile_ddl() -> list[str]:
        import sqlalchemy as sa

        compiler = import_module(f"sqlalchemy.dialects.{dialect}").dialect()
        metadata = sa.MetaData()
        return [str(sa.schema.CreateTable(make(rel, metadata)).compile(dialect=compiler))
                for rel in relations]

    maker = sys.modules[make.__module__].__file__  # (an edit of ``make`` changes the DDL)
    return compiled_once(dialect, relations, f"{make.__qualname__} {salt}",
                         (Path(maker),) if maker else (), compile_ddl)
