"""The size a run will take on disk, estimated before it starts (for the first progress line).

A fixed part (run-level relations, per-table overhead) plus a part per person, both for the whole
Iteration 2 catalogue, measured per format (seed 42, default block size): Parquet at 4,000 and
20,000 persons (23.2 and 68.3 MB), SQLite at 4,000 and 200,000 (101 MB, 4.8 GB), CSV and DuckDB
at 4,000 (91.7 and 68.2 MB; DuckDB's fixed part is its block per table), PostgreSQL at 4,000
(124 MB with indexes), and the Dask engine's dataset at 200 and 20,000 (19.3 and 104.5 MB:
a file per block compresses less). Both parts are scaled by the share of the catalogue's
columns the run writes (a variable request or ``--for-report`` writes fewer). A rough figure,
said so: relations differ in how full their columns are. Re-measure when the data change much.
"""

from __future__ import annotations

from leo_synth.spec.model import Catalog, Relation

SIZE_MODEL = {  # format: (fixed bytes, bytes per person)
    "parquet": (12_000_000, 2_800),
    "sqlite": (5_000_000, 24_000),
    "csv": (1_000_000, 22_700),
    "duckdb": (48_000_000, 5_000),
    "postgres": (10_000_000, 28_500),
    "parquet-dataset": (18_000_000, 4_300),  # --engine dask: a file per block
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
