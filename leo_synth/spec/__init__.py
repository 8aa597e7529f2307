"""Declarative table specs: loading, validation and expansion into physical relations."""

from leo_synth.spec.loader import SpecError, SpecProblem, load_catalog
from leo_synth.spec.model import Catalog, ColumnSpec, Fill, Relation, RelationColumn, TableSpec
from leo_synth.spec.types import SqlType, parse_sql_type

__all__ = [
    "Catalog",
    "ColumnSpec",
    "Fill",
    "Relation",
    "RelationColumn",
    "SpecError",
    "SpecProblem",
    "SqlType",
    "TableSpec",
    "load_catalog",
    "parse_sql_type",
]
