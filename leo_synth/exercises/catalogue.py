"""Exercises are data: one YAML file per exercise (title, level, topic, question, hints, model
answer in SQL, optionally the same answer in T-SQL as run in the SRS, what is graded). This
module finds and validates them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from leo_synth.errors import LeoSynthError, did_you_mean
from leo_synth.resources import example_file
from leo_synth.spec.loader import read_yaml

LEVELS = ("introductory", "intermediate", "advanced")
REQUIRED = ("title", "level", "topic", "question", "hints", "answer", "graded")
OPTIONAL = ("answer_tsql", "tolerance", "ordered")


def exercises_dir() -> Path:
    """The exercise library: ``examples/exercises/`` (packaged data, or the checkout's)."""
    return example_file("exercises")


@dataclass(frozen=True)
class Exercise:
    """One exercise; ``id`` is the file name without ``.yaml`` (it names the result file a
    participant hands in, ``<id>.csv``)."""

    id: str
    title: str
    level: str
    topic: str
    question: str
    hints: tuple[str, ...]
    answer: str
    graded: str
    tolerance: float | None = None
    """Largest accepted difference for numbers; None: exact for integers, 0.05 for decimals."""
    ordered: bool = False
    """Whether the row order is part of the answer (e.g. a top ten)."""
    answer_tsql: str | None = None
    """The model answer in T-SQL with SRS three-part names, as run in the SRS (or with
    ``leo-synth sql``); None when the exercise file gives none."""


def _problems(data: dict) -> list[str]:
    """Every problem of an exercise mapping (missing or unknown keys, bad values)."""
    problems = [f"missing '{key}'" for key in REQUIRED if not data.get(key)]
    problems += [f"unknown key '{key}'{did_you_mean(key, REQUIRED + OPTIONAL)}"
                 for key in data if key not in REQUIRED + OPTIONAL]
    if data.get("level") and data["level"] not in LEVELS:
        problems.append(f"level {data['level']!r} is not one of {', '.join(LEVELS)}")
    hints = data.get("hints")
    if hints is not None and not (isinstance(hints, list)
                                  and all(isinstance(h, str) for h in hints)):
        problems.append("hints must be a list of strings")
    tolerance = data.get("tolerance")
    if tolerance is not None and (not isinstance(tolerance, int | float) or tolerance < 0):
        problems.append(f"tolerance {tolerance!r} must be a number >= 0")
    answer_tsql = data.get("answer_tsql")
    if answer_tsql is not None and not (isinstance(answer_tsql, str) and answer_tsql.strip()):
        problems.append("answer_tsql must be the T-SQL text of the model answer")
    return problems


def load_exercise(path: Path) -> Exercise:
    """Read and check one exercise file; every problem is reported with the file name."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise LeoSynthError(f"{path}: an exercise is a mapping of {', '.join(REQUIRED)}")
    problems = _problems(data)
    if problems:
        raise LeoSynthError(f"{path}: " + "; ".join(problems))
    tolerance, answer_tsql = data.get("tolerance"), data.get("answer_tsql")
    return Exercise(
        id=path.stem, title=str(data["title"]).strip(), level=data["level"],
        topic=str(data["topic"]).strip(), question=str(data["question"]).strip(),
        hints=tuple(h.strip() for h in data.get("hints") or ()),
        answer=str(data["answer"]).strip(), graded=str(data["graded"]).strip(),
        tolerance=float(tolerance) if tolerance is not None else None,
        ordered=bool(data.get("ordered", False)),
        answer_tsql=answer_tsql.strip() if answer_tsql is not None else None)


def load_exercises(folder: Path | None = None) -> list[Exercise]:
    """Every exercise of a folder, in file-name order."""
    folder = folder or exercises_dir()
    paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not paths:
        raise LeoSynthError(f"no exercises (*.yaml) in {folder}")
    return [load_exercise(p) for p in paths]
