"""The trainer's exercises: a valid library, model answers that give non-empty results on a
2,000-person extract, an answer key recomputed per extract (it changes with the seed), the
files written, grading, and the error paths."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from pathlib import Path

import pytest
from test_cli import assert_one_line_error, run
from test_output_check import invoke

from leo_synth.config import RunConfig
from leo_synth.engine.generate import generate
from leo_synth.errors import LeoSynthError
from leo_synth.exercises.catalogue import LEVELS, load_exercise, load_exercises
from leo_synth.exercises.key import answer_key
from leo_synth.report.source import open_parquet, open_sqlite
from leo_synth.spec.model import Catalog

TOPICS = {"linkage", "cohort selection", "KS4 attainment", "FSM gaps", "HMRC earnings",
          "graduate earnings (YAG)", "sustained destinations", "benefit spells",
          "apprenticeships", "NCCIS NEET", "HE entry", "ILR aims"}


def _words(sql: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", sql)}


@pytest.fixture(scope="module")
def workshop(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> dict[int, Path]:
    """2,000-person extracts for seeds 42 and 7, holding only the relations the exercises read
    (which is what makes them quick)."""
    needed = set().union(*(_words(ex.answer) for ex in load_exercises()))
    folder = tmp_path_factory.mktemp("workshop")
    out = {}
    for seed in (42, 7):
        path = folder / f"seed{seed}.sqlite"
        generate(RunConfig(persons=2000, seed=seed, if_exists="replace", out=str(path)), catalog,
                 select=lambda rels: [r for r in rels if r.name.lower() in needed])
        out[seed] = path
    return out


def _key(path: Path) -> dict[str, tuple]:
    ws = open_sqlite(path)
    try:
        return {e.exercise.id: (e.columns, e.rows) for e in answer_key(ws, load_exercises())}
    finally:
        ws.close()


def test_library_is_complete_and_valid() -> None:
    exercises = load_exercises()
    assert len(exercises) >= 20
    assert len({ex.title for ex in exercises}) == len(exercises)
    assert {ex.level for ex in exercises} == set(LEVELS)
    assert {ex.topic for ex in exercises} >= TOPICS, TOPICS - {ex.topic for ex in exercises}
    for ex in exercises:
        assert ex.hints and ex.question.endswith(("?", ".", ":")), ex.id
        assert "SELECT" in ex.answer.upper(), ex.id


def test_a_broken_exercise_file_is_reported_with_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "99_broken.yaml"
    path.write_text("title: T\nlevel: expert\ntopic: x\nquestion: Why?\nhints: [h]\n"
                    "graded: all\nanwser: SELECT 1\n", encoding="utf-8")
    with pytest.raises(LeoSynthError) as err:
        load_exercise(path)
    message = str(err.value)
    assert "99_broken.yaml" in message and "missing 'answer'" in message
    assert "unknown key 'anwser' (did you mean 'answer'?)" in message
    assert "level 'expert'" in message


def test_every_answer_is_non_empty_and_the_key_follows_the_seed(workshop: dict[int, Path]
                                                                 ) -> None:
    keys = {seed: _key(path) for seed, path in workshop.items()}
    for seed, key in keys.items():
        for exercise_id, (columns, rows) in key.items():
            assert rows, (seed, exercise_id)
            for i, column in enumerate(columns):  # no column left NULL throughout
                assert any(r[i] is not None for r in rows), (seed, exercise_id, column)
    changed = [eid for eid in keys[42] if keys[42][eid] != keys[7][eid]]
    assert len(changed) >= len(keys[42]) - 1, set(keys[42]) - set(changed)


def test_sensible_values(workshop: dict[int, Path]) -> None:
    """Percentages are percentages and money is in a believable range."""
    for columns, rows in _key(workshop[42]).values():
        for i, column in enumerate(columns):
            values = [r[i] for r in rows if r[i] is not None]
            if column.startswith("pct_"):
                assert all(0 <= v <= 100 for v in values), (column, values)
            if column.startswith("mean_earnings"):
                assert all(5_000 < v < 80_000 for v in values), (column, values)


def test_parquet_gives_the_same_key(small_sqlite, small_parquet: Path) -> None:
    ws = open_parquet(small_parquet)
    try:
        from_parquet = {e.exercise.id: e.rows for e in answer_key(ws, load_exercises())}
    finally:
        ws.close()
    from_sqlite = {k: rows for k, (_, rows) in _key(small_sqlite[0]).items()}
    assert from_parquet.keys() == from_sqlite.keys()
    for eid, rows in from_sqlite.items():
        assert [tuple(map(_rounded, r)) for r in rows] == \
            [tuple(map(_rounded, r)) for r in from_parquet[eid]], eid


def _rounded(value: object) -> object:
    return round(value, 6) if isinstance(value, float) else value


def _submit(key: dict, folder: Path) -> None:
    """A participant's perfect answers: rows reversed, decimals unrounded within tolerance."""
    folder.mkdir()
    for entry in key["exercises"]:
        rows = entry["rows"] if entry["ordered"] else list(reversed(entry["rows"]))
        with open(folder / f"{entry['id']}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([f"my_{c}" for c in entry["columns"]])
            writer.writerows([["" if v is None else v + 0.04 if isinstance(v, float) else v
                               for v in row] for row in rows])


def test_cli_writes_the_key_and_grades_against_it(workshop: dict[int, Path],
                                                  tmp_path: Path) -> None:
    out = tmp_path / "kit"
    result = run("exercises", "--db", str(workshop[42]), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["answers.json", "answers.md",
                                                      "questions.md"]
    questions = (out / "questions.md").read_text(encoding="utf-8")
    answers = (out / "answers.md").read_text(encoding="utf-8")
    key = json.loads((out / "answers.json").read_text(encoding="utf-8"))
    assert "2,000 persons, seed 42" in questions and "```sql" not in questions
    assert answers.count("```sql") == len(key["exercises"]) >= 20
    with sqlite3.connect(workshop[42]) as conn:  # the key is what the SQL gives on this file
        first = key["exercises"][0]
        assert [list(r) for r in conn.execute(first["sql"]).fetchall()] == first["rows"]

    submission = tmp_path / "alice"
    _submit(key, submission)
    graded = run("exercises", "--grade", str(out / "answers.json"),
                 "--submission", str(submission))
    assert graded.returncode == 0, graded.stdout + graded.stderr
    assert f"{len(key['exercises'])} of {len(key['exercises'])} correct" in graded.stdout

    first_file = submission / f"{first['id']}.csv"
    rows = list(csv.reader(first_file.open(encoding="utf-8")))
    rows[1][-1] = str(int(float(rows[1][-1])) + 1)
    with open(first_file, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    (submission / f"{key['exercises'][1]['id']}.csv").unlink()
    graded = run("exercises", "--grade", str(out / "answers.json"),
                 "--submission", str(submission))
    assert graded.returncode == 1
    lines = {line.split()[0]: line for line in graded.stdout.splitlines()}
    assert "wrong" in lines[first["id"]] and first["columns"][-1] in lines[first["id"]]
    assert "missing" in lines[key["exercises"][1]["id"]]


def test_cli_errors_are_one_line_and_write_nothing(small_sqlite, tmp_path: Path) -> None:
    assert_one_line_error(invoke("exercises", "--out", str(tmp_path / "k")), "--db FILE")
    assert_one_line_error(invoke("exercises", "--db", str(tmp_path / "none.sqlite"),
                                 "--out", str(tmp_path / "k")), "no SQLite extract")
    assert_one_line_error(invoke("exercises", "--grade", str(tmp_path / "answers.json")),
                          "--submission")
    library = tmp_path / "library"
    library.mkdir()
    (library / "01_missing_relation.yaml").write_text(
        "title: T\nlevel: introductory\ntopic: t\nquestion: Q?\nhints: [h]\ngraded: all\n"
        "answer: SELECT COUNT(*) FROM hesa_1999\n", encoding="utf-8")
    out = tmp_path / "kit"
    assert_one_line_error(invoke("exercises", "--db", str(small_sqlite[0]), "--out", str(out),
                                 "--exercises", str(library)),
                          "01_missing_relation", "hesa_1999")
    assert not out.exists()
    not_json = tmp_path / "answers.json"
    not_json.write_text("{", encoding="utf-8")
    assert_one_line_error(invoke("exercises", "--grade", str(not_json), "--submission",
                                 str(tmp_path)), "not JSON")
