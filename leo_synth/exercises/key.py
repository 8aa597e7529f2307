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
    """Run one model answer; a failure names the exercise and says what to do."""
    ws.load(relations_used(ws, exercise.answer))
    try:
        cursor = ws.conn.execute(exercise.answer)
        rows = cursor.fetchall()
    except sqlite3.Error as exc:
        raise LeoSynthError(
            f"exercise {exercise.id}: the model answer fails on this extract ({exc}); "
            f"generate the whole extract (no --request) or fix the exercise's SQL") from exc
    columns = tuple(d[0] for d in cursor.description or ())
    return KeyEntry(exercise, columns, tuple(tuple(r) for r in rows))


def answer_key(ws: Workspace, exercises: list[Exercise]) -> list[KeyEntry]:
    """The key of every exercise, in order."""
    return [run_answer(ws, ex) for ex in exercises]
