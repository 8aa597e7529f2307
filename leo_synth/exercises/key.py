"""The answer key: every model answer run on the extract at hand, never stored results."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from leo_synth.errors import LeoSynthError
from leo_synth.exercises.catalogue import Exercise
from leo_synth.report.source import Workspace


@dataclass(frozen=True)
class KeyEntry:
    """An exercise with the result its model answer gives on this extract."""

    exercise: Exercise
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


def relations_used(ws: Workspace, sql: str) -> list[str]:
    """The extract's relations a query names (to load them when the extract is Parquet)."""
    words = {w.lower() for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", sql)}
    return [name for name in ws.relations() if name.lower() in words]


def run_answer(ws: Workspace, exercise: Exercise) -> KeyEntry:
    """Run one model answer (``sqlite3.Error`` when it fails on this extract)."""
    ws.load(relations_used(ws, exercise.answer))
    cursor = ws.conn.execute(exercise.answer)
    rows = cursor.fetchall()
    columns = tuple(d[0] for d in cursor.description or ())
    return KeyEntry(exercise, columns, tuple(tuple(r) for r in rows))


def answer_key(ws: Workspace, exercises: list[Exercise]) -> list[KeyEntry]:
    """The key of every exercise, in order; every answer failing on this extract is named in
    one error (an extract made with a variable request lacks relations the answers read)."""
    entries, failed = [], []
    for exercise in exercises:
        try:
            entries.append(run_answer(ws, exercise))
        except sqlite3.Error as exc:
            failed.append(f"{exercise.id} ({exc})")
    if failed:
        raise LeoSynthError(
            f"{len(failed)} model answers fail on this extract: {'; '.join(failed)}; generate "
            f"the whole extract (no --request) or fix the exercises' SQL")
    return entries
