"""Exercises are data: one YAML file per exercise (title, level, topic, question, hints, model
answer in SQL, what is graded). This module finds and validates them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from leo_synth.errors import LeoSynthError, did_you_mean
from leo_synth.resources import example_file
from leo_synth.spec.loader import read_yaml

LEVELS = ("introductory", "intermediate", "advanced")
REQUIRED = ("title", "level", "topic", "question", "hints", "answer", "graded")
OPTIONAL = ("tolerance", "ordered")


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


def load_exercise(path: Path) -> Exercise:
    """Read and check one exercise file; every problem is reported with the file name."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise LeoSynthError(f"{path}: an exercise is a mapping of {', '.join(REQUIRED)}")
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
    if problems:
        raise LeoSynthError(f"{path}: " + "; ".join(problems))
    return Exercise(
        id=path.stem, title=str(data["title"]).strip(), level=data["level"],
        topic=str(data["topic"]).strip(), question=str(data["question"]).strip(),
        hints=tuple(h.strip() for h in hints or ()), answer=str(data["answer"]).strip(),
        graded=str(data["graded"]).strip(),
        tolerance=float(tolerance) if tolerance is not None else None,
        ordered=bool(data.get("ordered", False)))


def load_exercises(folder: Path | None = None) -> list[Exercise]:
    """Every exercise of a folder, in file-name order."""
    folder = folder or exercises_dir()
    paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not paths:
        raise LeoSynthError(f"no exercises (*.yaml) in {folder}")
    return [load_exercise(p) for p in paths]
