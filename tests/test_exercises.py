"""The trainer's exercises: a valid library, model answers that give non-empty results on a
2,000-person extract, T-SQL model answers (SRS names) that give the plain answers' results
through ``leo-synth sql``, an answer key recomputed per extract (it changes with the seed), the
files written, grading, and the error paths."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from test_cli import assert_one_line_error, run
from test_output_check import invoke

from leo_synth.config import RunConfig
from leo_synth.engine.generate import generate
from leo_synth.errors import LeoSynthError
from leo_synth.exercises.catalogue import LEVELS, Exercise, load_exercise, load_exercises
from leo_synth.exercises.grade import first_difference
from leo_synth.exercises.key import KeyEntry, answer_key, run_answer
from leo_synth.exercises.render import answers_md, questions_md
from leo_synth.report.source import Workspace, open_parquet, open_sqlite
from leo_synth.spec.model import Catalog
from leo_synth.srs_address import SrsNaming
from leo_synth.tsql.command import run_text

SQLITE_ONLY = re.compile(
    r"\bLIMIT\b|\bsubstr\s*\(|\|\||\bjulianday\b|\bstrftime\b|\bdate\s*\(|\bprintf\b"
    r"|\bIFNULL\b|\bAS\s+TEXT\b|\bGROUP\s+BY\s+\d", re.IGNORECASE)
"""SQLite syntax SQL Server rejects or reads otherwise: LIMIT, substr, ||, date functions,
CAST to TEXT, GROUP BY a position."""

CONDITION = re.compile(r"^\s*[\w.\[\]]+(\(\))?\s*(=|<>|!=|<=|>=|<|>|\bIS\b|\bIN\b|\bBETWEEN\b)",
                       re.IGNORECASE)
"""An argument that is a condition (``n = 1``, ``CAST() IN ()``), not a value."""


def _arguments(sql: str, function: str) -> list[str]:
    """The argument text of every call of ``function``, its nested parentheses emptied
    (``SUM(CAST(x AS INT) IN (1, 2))`` -> ``CAST() IN ()``)."""
    found = []
    for match in re.finditer(rf"\b{function}\s*\(", sql, re.IGNORECASE):
        depth, text = 1, []
        for char in sql[match.end():]:
            depth += (char == "(") - (char == ")")
            if depth == 0:
                break
            if (depth == 1 and char != ")") or (depth == 2 and char == "("):
                text.append(char)
        found.append("".join(text).replace("(", "()"))
    return found


def _not_tsql(sql: str) -> list[str]:
    """What SQL Server would refuse in ``sql`` though ``leo-synth sql`` may run it: SQLite
    syntax, a sum of a condition (``SUM(n = 1)``), ``ROUND`` without its length."""
    problems = [m.group(0) for m in SQLITE_ONLY.finditer(sql)]
    problems += [f"SUM({a})" for a in _arguments(sql, "SUM") if CONDITION.match(a)]
    problems += [f"ROUND({a})" for a in _arguments(sql, "ROUND") if a.count(",") not in (1, 2)]
    return problems

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
    assert "```tsql" not in questions and "```tsql" in answers
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


def test_every_exercise_has_its_answer_in_tsql_with_srs_names(catalog: Catalog) -> None:
    """Each T-SQL answer names every relation of the plain answer by its SRS three-part name
    (database as in the spec), and no relation bare; no SQLite-only syntax."""
    naming = SrsNaming()
    relations = {rel.name.lower(): rel for rel in catalog.relations(2)}
    for ex in load_exercises():
        assert ex.answer_tsql and "SELECT" in ex.answer_tsql.upper(), ex.id
        assert _not_tsql(ex.answer_tsql) == [], ex.id
        used = [relations[w] for w in _read(ex.answer) if w in relations]
        assert used, ex.id
        for rel in used:
            assert naming.three_part_name(rel) in ex.answer_tsql, (ex.id, rel.name)
        assert not set(_read(ex.answer_tsql)) & set(relations), ex.id  # none bare


def _read(sql: str) -> list[str]:
    """The names a query reads FROM or JOINs (relations, CTEs), lower case; a three-part
    name is not one."""
    return [w.lower() for w in re.findall(r"\b(?:FROM|JOIN)\s+([A-Za-z_][A-Za-z0-9_]*)", sql,
                                          re.IGNORECASE)]


def _tsql_result(db: Path, exercise: Exercise) -> tuple[tuple[str, ...], list[list[Any]]]:
    """The last result set of an exercise's T-SQL answer run by ``leo-synth sql`` (SQL
    Server's decimals as floats, to compare them as the grader does)."""
    assert exercise.answer_tsql is not None, exercise.id
    result = run_text(str(db), exercise.answer_tsql, "tsql", None, False)[-1]
    rows = [[float(v) if isinstance(v, Decimal) else v for v in row] for row in result.rows]
    return tuple(result.columns), rows


def _tsql_difference(ws: Workspace, db: Path, exercise: Exercise) -> str | None:
    """How the T-SQL answer's result differs from the plain answer's (None: the same)."""
    entry = run_answer(ws, exercise)
    columns, rows = _tsql_result(db, exercise)
    if columns != entry.columns:
        return f"columns {columns}, expected {entry.columns}"
    return first_difference(entry.columns, entry.rows, rows, exercise.tolerance,
                            exercise.ordered)


@pytest.mark.parametrize("extract", ["small_sqlite", "small_parquet", "workshop"])
def test_tsql_answers_give_the_plain_answers_results(extract: str,
                                                     request: pytest.FixtureRequest) -> None:
    """Same columns in the same order and the same rows (numbers within the exercise's
    tolerance, row order only when the exercise is ordered), on SQLite and on Parquet, and
    on the 2,000-person workshop extract."""
    found = request.getfixturevalue(extract)
    db = found[0] if extract == "small_sqlite" else found[42] if extract == "workshop" else found
    ws = open_parquet(db) if extract == "small_parquet" else open_sqlite(db)
    try:
        exercises = load_exercises()
        differences = {ex.id: _tsql_difference(ws, db, ex) for ex in exercises}
        non_empty = sum(bool(run_answer(ws, ex).rows) for ex in exercises)
    finally:
        ws.close()
    assert {eid: d for eid, d in differences.items() if d} == {}
    assert non_empty >= len(exercises) - 2, non_empty  # the comparison has rows to compare


def test_a_wrong_tsql_answer_is_caught(small_sqlite) -> None:
    """SQL Server's integer division (``100 *`` for ``100.0 *``) and a changed filter give
    other rows, and the comparison says where."""
    exercise = next(ex for ex in load_exercises() if ex.id == "02_unmatched_pmrs")
    assert exercise.answer_tsql is not None
    ws = open_sqlite(small_sqlite[0])
    try:
        assert _tsql_difference(ws, small_sqlite[0], exercise) is None
        integer_pct = replace(exercise, answer_tsql=exercise.answer_tsql.replace(
            "ROUND(100.0 *", "ROUND(100 *"))
        assert "pct_unmatched" in (_tsql_difference(ws, small_sqlite[0], integer_pct) or "")
        swapped = replace(exercise, answer_tsql=exercise.answer_tsql.replace(
            "l.AE_ID IS NOT NULL", "l.AE_ID IS NULL"))
        assert "matched" in (_tsql_difference(ws, small_sqlite[0], swapped) or "")
    finally:
        ws.close()


def _entries(exercises: list[Exercise]) -> list[KeyEntry]:
    return [KeyEntry(ex, ("n",), ((1,),)) for ex in exercises]


def test_answers_md_shows_the_tsql_answer_then_the_plain_one() -> None:
    exercises = load_exercises()
    source = {"path": "leo.sqlite", "persons": 2000, "seed": 42}
    answers = answers_md(_entries(exercises), source)
    questions = questions_md(_entries(exercises), source)
    assert answers.count("```tsql") == len(exercises) == answers.count("```sql")
    assert answers.count("leo-synth sql FILE --db EXTRACT") == len(exercises)
    for ex in exercises:
        assert ex.answer_tsql is not None
        tsql_at, plain_at = answers.index(ex.answer_tsql), answers.index(ex.answer)
        assert answers.index(f"## {ex.id}:") < tsql_at < plain_at, ex.id
        assert ex.answer_tsql not in questions
    assert "```" not in questions.split("```sh", 1)[1].split("```", 1)[1]
    assert "[LEO_i2]" not in questions and "T-SQL, as run in the SRS" not in questions


def test_an_exercise_may_omit_the_tsql_answer(tmp_path: Path) -> None:
    """A trainer's own exercise folder needs no ``answer_tsql``: answers.md shows the plain
    SQL alone; an ``answer_tsql`` that is not text is reported."""
    path = tmp_path / "01_own.yaml"
    path.write_text("title: T\nlevel: introductory\ntopic: t\nquestion: Q?\nhints: [h]\n"
                    "graded: all\nanswer: SELECT 1 AS n\n", encoding="utf-8")
    exercise = load_exercise(path)
    assert exercise.answer_tsql is None
    answers = answers_md(_entries([exercise]), {"path": "x.sqlite"})
    assert "```sql\nSELECT 1 AS n\n```" in answers
    assert "```tsql" not in answers and "T-SQL, as run" not in answers
    path.write_text(path.read_text(encoding="utf-8") + "answer_tsql: [SELECT 1]\n",
                    encoding="utf-8")
    with pytest.raises(LeoSynthError, match="answer_tsql must be the T-SQL text"):
        load_exercise(path)
