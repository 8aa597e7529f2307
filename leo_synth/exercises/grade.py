"""Grading: a participant's result CSVs (``<id>.csv``) against answers.json.

Columns are compared by position (participants name them as they like); rows as a multiset
unless the exercise says the order matters; numbers within the exercise's tolerance (exact
for integers and 0.05 for decimals when it states none); NULL matches an empty cell, NULL or
NA.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leo_synth.errors import LeoSynthError
from leo_synth.exercises.render import KEY_FORMAT

NULLS = {"", "null", "na", "none", "nan"}
DECIMAL_TOLERANCE = 0.05


@dataclass(frozen=True)
class Verdict:
    """The grade of one exercise: ``correct``, ``wrong`` or ``missing``, and why."""

    id: str
    status: str
    detail: str = ""


def load_key(path: Path) -> list[dict[str, Any]]:
    """The exercises of an answers.json written by ``leo-synth exercises``."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LeoSynthError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise LeoSynthError(f"{path} is not JSON ({exc.msg}); give the answers.json that "
                            f"`leo-synth exercises --out DIR` wrote") from exc
    if not isinstance(doc, dict) or doc.get("format") != KEY_FORMAT:
        raise LeoSynthError(f"{path} is not an answer key of format {KEY_FORMAT}; regenerate "
                            f"it with `leo-synth exercises`")
    return doc["exercises"]


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _sort_key(row: list[Any]) -> tuple:
    def one(v: Any) -> tuple:
        if v is None or (isinstance(v, str) and v.lower() in NULLS):
            return (2, "")
        return (0, float(v)) if isinstance(v, int | float) else (1, str(v))
    return tuple(one(v) for v in row)


def _parse(text: str, numeric: bool) -> Any:
    """A submitted cell: a number in a numeric column, else the text (NULL markers kept as
    text, since a text answer may be the word 'NULL')."""
    text = text.strip()
    if numeric:
        if text.lower() in NULLS:
            return None
        number = _number(text)
        return number if number is not None else text
    return text


def _same(expected: Any, got: Any, tolerance: float | None) -> bool:
    if expected is None:
        return got is None or (isinstance(got, str) and got.lower() in NULLS)
    if got is None:
        return False
    if isinstance(expected, int | float) and isinstance(got, int | float):
        if tolerance is None:
            tolerance = 0.0 if isinstance(expected, int) else DECIMAL_TOLERANCE
        return abs(float(expected) - float(got)) <= tolerance + 1e-9
    return str(expected) == str(got)


def grade_one(entry: dict[str, Any], path: Path) -> Verdict:
    """Grade one result file against one key entry."""
    if not path.is_file():
        return Verdict(entry["id"], "missing", f"no {path.name}")
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            table = [row for row in csv.reader(handle) if row]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return Verdict(entry["id"], "wrong", f"{path.name} is not a readable CSV ({exc})")
    columns, expected = entry["columns"], entry["rows"]
    if not table:
        return Verdict(entry["id"], "wrong", f"{path.name} is empty (expected a header row)")
    header, body = table[0], table[1:]
    if len(header) != len(columns):
        return Verdict(entry["id"], "wrong", f"{len(header)} columns, expected {len(columns)} "
                       f"({', '.join(columns)})")
    if len(body) != len(expected):
        return Verdict(entry["id"], "wrong", f"{len(body)} rows, expected {len(expected)}")
    if any(len(r) != len(columns) for r in body):
        return Verdict(entry["id"], "wrong", "some rows do not have one value per column")
    numeric = [any(isinstance(r[i], int | float) for r in expected) for i in range(len(columns))]
    got = [[_parse(v, numeric[i]) for i, v in enumerate(r)] for r in body]
    difference = first_difference(columns, expected, got, entry.get("tolerance"),
                                  bool(entry.get("ordered")))
    if difference:
        return Verdict(entry["id"], "wrong", difference)
    return Verdict(entry["id"], "correct")


def first_difference(columns: list[str] | tuple[str, ...], expected: list | tuple,
                     got: list | tuple, tolerance: float | None, ordered: bool) -> str | None:
    """Where ``got`` first differs from the ``expected`` rows (None when it matches): rows as
    a multiset unless ``ordered``, numbers within ``tolerance`` (see :func:`_same`). Both
    have one value per column in every row."""
    want, have = [list(r) for r in expected], [list(r) for r in got]
    if len(have) != len(want):
        return f"{len(have)} rows, expected {len(want)}"
    if not ordered:
        have, want = sorted(have, key=_sort_key), sorted(want, key=_sort_key)
    for n, (w, g) in enumerate(zip(want, have, strict=True), start=1):
        for i, (wv, gv) in enumerate(zip(w, g, strict=True)):
            if not _same(wv, gv, tolerance):
                where = "row" if ordered else "sorted row"
                return f"{where} {n}, column {columns[i]}: expected {wv}, got {gv}"
    return None


def grade(key_path: Path, submission: Path) -> list[Verdict]:
    """Grade every exercise of the key against a folder of result CSVs."""
    if not submission.is_dir():
        raise LeoSynthError(f"no submission folder at {submission} (expected a folder of "
                            f"<exercise id>.csv files)")
    return [grade_one(entry, submission / f"{entry['id']}.csv") for entry in load_key(key_path)]
