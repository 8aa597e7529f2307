"""The size a run will take on disk, estimated before it starts (the first progress line, and
the check of the free space before a run to a local file system).

A fixed part (run-level relations, per-table overhead) plus a part per person, both for the whole
Iteration 2 catalogue, measured per format (seed 42, default block size, 2026-12-01, `du -sb`):
SQLite at 4,000 and 40,000 persons (83.2 and 777.4 MB), Parquet at 4,000 and 40,000 (16.3 and
71.5 MB), CSV and DuckDB at 4,000 and 20,000 (76.5 and 364.6 MB; 62.7 and 115.7 MB: DuckDB's
fixed part is its block per table), PostgreSQL at 4,000 and 20,000 (125.2 and 489.7 MB with
indexes, `pg_database_size`), and the Dask engine's dataset at 200 and 20,000 (10.0 and 72.2 MB:
a file per block compresses less). Both parts are scaled by the share of the catalogue's columns
the run writes (a variable request or ``--for-report`` writes fewer). A rough figure, said so:
relations differ in how full their columns are, and Parquet compresses better in the larger row
groups of a large run. ``tests/test_estimate.py`` holds it to the sizes of small runs: re-measure
when the data change much.
"""

from __future__ import annotations

from leo_synth.spec.model import Catalog, Relation

SIZE_MODEL = {  # format: (fixed bytes, bytes per person)
    "parquet": (10_200_000, 1_530),
    "sqlite": (6_100_000, 19_300),
    "csv": (4_400_000, 18_000),
    "duckdb": (49_500_000, 3_300),
    "postgres": (34_000_000, 22_800),
    "parquet-dataset": (9_400_000, 3_140),  # --engine dask: a file per block
}


def estimated_bytes(fmt: str, relations: list[Relation], catalog: Catalog,
                    persons: int) -> int:
    """About how many bytes ``persons`` persons of ``relations`` take in format ``fmt``."""
    whole = sum(len(rel.columns) for rel in catalog.relations(2)) or 1
    written = sum(len(rel.columns) for rel in relations)
    fixed, per_person = SIZE_MODEL.get(fmt, SIZE_MODEL["sqlite"])
    return round((fixed + per_person * persons) * written / whole)


def human_bytes(size: float) -> str:
    """``1.2 GB``, ``340 MB``, ``12 kB`` (decimal units, two significant figures or more)."""
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            return f"{size:.0f} {unit}" if size >= 10 or unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    raise AssertionError("unreachable")  # pragma: no cover
