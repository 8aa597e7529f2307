"""The three files handed out: questions.md (participants), answers.md and answers.json (the
key: model SQL, in T-SQL as run in the SRS and in plain SQL, and the expected result on this
extract)."""

from __future__ import annotations

import json
from typing import Any

from leo_synth.exercises.catalogue import LEVELS, Exercise
from leo_synth.exercises.key import KeyEntry

KEY_FORMAT = 1
"""Version of answers.json's layout (read back by the grader)."""

TSQL_INTRO = ("T-SQL, as run in the SRS: save it as a .sql file and run "
              "`leo-synth sql FILE --db EXTRACT`.")
PLAIN_INTRO = ("Plain SQL over the relation names alone, from which the expected result is "
               "computed (SQLite-flavoured: it runs in the sqlite3 shell on a SQLite extract).")


def _cell(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, float) and value.is_integer():
        return f"{value:.0f}" if abs(value) >= 1000 else str(value)
    return str(value).replace("|", "\\|")


def markdown_table(columns: tuple[str, ...], rows: tuple[tuple[Any, ...], ...]) -> str:
    """A GitHub-flavoured Markdown table (numbers right-aligned)."""
    if not rows:
        return "_(no rows on this extract)_"
    numeric = [all(isinstance(r[i], int | float) or r[i] is None for r in rows)
               for i in range(len(columns))]
    head = "| " + " | ".join(columns) + " |"
    rule = "|" + "|".join("---:" if n else "---" for n in numeric) + "|"
    body = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join([head, rule, *body])


def _level_counts(entries: list[KeyEntry]) -> str:
    counts = {lv: sum(e.exercise.level == lv for e in entries) for lv in LEVELS}
    return ", ".join(f"{n} {lv}" for lv, n in counts.items() if n)


def questions_md(entries: list[KeyEntry], source: dict[str, Any]) -> str:
    """The participants' sheet: questions, hints and what to hand in, no answers."""
    out = [
        "# LEO workshop exercises",
        "",
        f"{len(entries)} exercises ({_level_counts(entries)}) on the synthetic LEO extract "
        f"{_describe(source)}. Write SQL against the SRS relation names; the same SQL runs "
        "in the SRS with the project's schema prefixes.",
        "",
        "Hand in one CSV per exercise, named after it (e.g. `01_lookup_cardinality.csv`), "
        "with a header row and the columns in the order asked; the row order does not matter "
        "unless the question says so. Numbers may be unrounded: they are compared within the "
        "tolerance stated. For example, with the sqlite3 shell:",
        "",
        "```sh",
        "sqlite3 -header -csv extract.sqlite < 01_lookup_cardinality.sql > "
        "answers/01_lookup_cardinality.csv",
        "```",
        "",
    ]
    for entry in entries:
        ex = entry.exercise
        out += [f"## {ex.id}: {ex.title}", "",
                f"*Level: {ex.level} · topic: {ex.topic}*", "", ex.question, ""]
        out += ["<details><summary>Hints</summary>", ""]
        out += [f"- {h}" for h in ex.hints]
        out += ["", "</details>", "", f"Graded: {ex.graded}", ""]
    return "\n".join(out)


def answers_md(entries: list[KeyEntry], source: dict[str, Any]) -> str:
    """The trainer's key: model SQL and the expected result for this extract."""
    out = [
        "# LEO workshop exercises: answer key",
        "",
        f"Computed by running each model answer on {_describe(source)}. A different seed or "
        "size gives different figures: regenerate the key with `leo-synth exercises` for the "
        "extract the participants use. An exercise's model answer in T-SQL, with the SRS "
        "names, comes first; the expected result is computed from the plain SQL one, which "
        "the T-SQL one matches.",
        "",
    ]
    for entry in entries:
        ex = entry.exercise
        out += [f"## {ex.id}: {ex.title}", "", ex.question, "", *model_answers(ex),
                f"Expected result ({len(entry.rows)} rows):", "",
                markdown_table(entry.columns, entry.rows), "", f"Graded: {ex.graded}", ""]
    return "\n".join(out)


def model_answers(exercise: Exercise) -> list[str]:
    """The lines of an exercise's model answers in answers.md: the T-SQL one first (when the
    exercise has it), then the plain SQL one."""
    plain = ["```sql", exercise.answer, "```", ""]
    if exercise.answer_tsql is None:
        return plain
    return [TSQL_INTRO, "", "```tsql", exercise.answer_tsql, "```", "", PLAIN_INTRO, "",
            *plain]


def answers_json(entries: list[KeyEntry], source: dict[str, Any]) -> str:
    """The key in machine-readable form (what ``--grade`` reads)."""
    doc = {
        "format": KEY_FORMAT,
        "extract": source,
        "exercises": [{
            "id": e.exercise.id, "title": e.exercise.title, "level": e.exercise.level,
            "topic": e.exercise.topic, "question": e.exercise.question,
            "hints": list(e.exercise.hints), "sql": e.exercise.answer,
            "graded": e.exercise.graded, "tolerance": e.exercise.tolerance,
            "ordered": e.exercise.ordered, "columns": list(e.columns),
            "rows": [list(r) for r in e.rows],
        } for e in entries],
    }
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def _describe(source: dict[str, Any]) -> str:
    """``path`` (2,000 persons, seed 42), the settings when the extract's manifest has them."""
    settings = []
    if source.get("persons") is not None:
        settings.append(f"{source['persons']:,} persons")
    if source.get("seed") is not None:
        settings.append(f"seed {source['seed']}")
    return f"`{source['path']}`" + (f" ({', '.join(settings)})" if settings else "")
