"""Output backends. All are fed the same Arrow batches."""

from __future__ import annotations

from leo_synth.writers.base import Manifest, Writer


def make_writer(fmt: str, target: str, if_exists: str) -> Writer:
    """The writer for a format (``sqlite``, ``parquet``, ``postgres``, ``duckdb`` or ``csv``)."""
    if fmt == "sqlite":
        from leo_synth.writers.sqlite import SqliteWriter

        return SqliteWriter(target, if_exists)
    if fmt == "parquet":
        from leo_synth.writers.parquet import ParquetWriter

        return ParquetWriter(target, if_exists)
    if fmt == "postgres":
        from leo_synth.writers.postgres import PostgresWriter

        return PostgresWriter(target, if_exists)
    if fmt == "duckdb":
        from leo_synth.writers.duckdb import DuckdbWriter

        return DuckdbWriter(target, if_exists)
    if fmt == "csv":
        from leo_synth.writers.csv import CsvWriter

        return CsvWriter(target, if_exists)
    raise ValueError(f"unknown format {fmt!r}")


__all__ = ["Manifest", "Writer", "make_writer"]
