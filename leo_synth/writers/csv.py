"""CSV writer: a folder with one CSV file per relation, DDL and load scripts per dialect.

For people who load their own database (SQL Server above all, as in the SRS): each relation
is ``<relation>.csv`` (UTF-8, a header, ISO dates, NULL as an empty field, written by Arrow
from the run's batches), next to ``schema_<dialect>.sql`` and ``load_<dialect>.sql`` for SQL
Server, PostgreSQL and SQLite (``writers/schema_scripts.py``), a ``README.txt`` with the
recipes and ``_manifest.json``. The folder is built next to the target and renamed into place.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.csv as pacsv

from leo_synth.spec.model import Relation
from leo_synth.srs_address import SrsNaming
from leo_synth.writers.files import FileWriter, remove
from leo_synth.writers.parquet import MANIFEST_FILE, foreign_folder
from leo_synth.writers.schema_scripts import (
    DIALECTS,
    csv_file,
    load_script,
    readme,
    schema_script,
)


def foreign_csv(folder: Path) -> str | None:
    """Why ``folder`` is not a leo-synth CSV output (None when it is, or is empty)."""
    return foreign_folder(folder, lambda item: len(item.parts) == 1 and (
        item.suffix in (".csv", ".sql") or item.name == "README.txt"))


class CsvWriter(FileWriter):
    what = "folder"
    foreign = staticmethod(foreign_csv)
    write_errors = (OSError, pa.ArrowException)

    def __init__(self, target: str, if_exists: str):
        super().__init__(target, if_exists)
        self.files: dict[str, BinaryIO] = {}
        self.writers: dict[str, pacsv.CSVWriter] = {}

    def _open(self) -> None:
        remove(self.staging)
        self.staging.mkdir(parents=True)
        for rel in self.relations:
            handle = open(self.staging / csv_file(rel), "wb")  # noqa: SIM115 - closed in commit
            self.files[rel.name] = handle
            self.writers[rel.name] = pacsv.CSVWriter(handle, self.schemas[rel.name])

    def _write(self, relation: Relation, batch: pa.RecordBatch) -> None:
        self.writers[relation.name].write_batch(batch)

    def commit(self) -> None:
        assert self.manifest is not None
        naming = SrsNaming.from_settings(self.manifest.settings)
        try:
            self._finish_files()
            for dialect in DIALECTS:
                (self.staging / f"schema_{dialect}.sql").write_text(
                    schema_script(dialect, self.relations, naming), encoding="utf-8")
                (self.staging / f"load_{dialect}.sql").write_text(
                    load_script(dialect, self.relations, naming), encoding="utf-8")
            (self.staging / "README.txt").write_text(readme(self.relations, naming),
                                                     encoding="utf-8")
            (self.staging / MANIFEST_FILE).write_text(self.manifest.to_json() + "\n")
        except (OSError, pa.ArrowException) as exc:
            raise self.disk_error(exc) from exc
        self.publish()

    def _finish_files(self) -> None:
        """Close every CSV (errors such as a full disk propagate)."""
        for writer in self.writers.values():
            writer.close()  # writes the header of a relation without rows
        for handle in self.files.values():
            handle.close()
        self.writers.clear()
        self.files.clear()

    def _close(self) -> None:
        for closable in [*self.writers.values(), *self.files.values()]:
            with contextlib.suppress(OSError, pa.ArrowException):
                closable.close()
        self.writers.clear()
        self.files.clear()
