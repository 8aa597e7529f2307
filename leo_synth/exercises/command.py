"""``leo-synth exercises``: write the workshop's questions and answer key for an extract, or
grade a participant's results against that key."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from leo_synth.errors import LeoSynthError

EXIT_WRONG_ANSWERS = 1
OUTPUTS = ("questions.md", "answers.md", "answers.json")


def _publish(out: Path, files: dict[str, str]) -> None:
    """Write the files into ``out`` each through a temporary file and a rename, so a failure
    leaves no half-written file and no debris."""
    if out.exists() and not out.is_dir():
        raise LeoSynthError(f"--out {out} is a file; give a folder")
    temps: list[Path] = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            temp = out / f".{name}.tmp-{os.getpid()}"
            temps.append(temp)
            temp.write_text(text, encoding="utf-8")
        for temp, name in zip(temps, files, strict=True):
            os.replace(temp, out / name)
    except OSError as exc:
        raise LeoSynthError(f"cannot write the exercises to {out}: {exc.strerror or exc}") from exc
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)


def _write_key(db: Path | None, parquet: Path | None, out: Path, library: Path | None) -> None:
    from leo_synth.exercises.catalogue import load_exercises
    from leo_synth.exercises.key import answer_key
    from leo_synth.exercises.render import answers_json, answers_md, questions_md
    from leo_synth.readers import read_manifest
    from leo_synth.report.source import open_parquet, open_sqlite

    exercises = load_exercises(library)
    path = db if db is not None else parquet
    ws = open_sqlite(db) if db is not None else open_parquet(parquet)  # type: ignore[arg-type]
    try:
        entries = answer_key(ws, exercises)
    finally:
        ws.close()
    try:
        settings = read_manifest(path)["leo_synth"]  # type: ignore[arg-type]
    except Exception:  # an extract without a manifest: say nothing about seed and size
        settings = {}
    source = {"path": str(path), "persons": settings.get("persons"),
              "seed": settings.get("seed")}
    _publish(out, {"questions.md": questions_md(entries, source),
                   "answers.md": answers_md(entries, source),
                   "answers.json": answers_json(entries, source)})
    empty = [e.exercise.id for e in entries if not e.rows]
    click.echo(f"wrote {len(entries)} exercises with their answer key for {path} to {out}/ "
               f"({', '.join(OUTPUTS)})")
    if empty:
        click.echo(f"warning: {len(empty)} model answers return no rows on this extract "
                   f"({', '.join(empty)}); use a larger extract (2,000 persons or more)",
                   err=True)


def _grade(key: Path, submission: Path) -> None:
    from leo_synth.exercises.grade import grade

    verdicts = grade(key, submission)
    width = max(len(v.id) for v in verdicts)
    for v in verdicts:
        click.echo(f"{v.id:<{width}}  {v.status:<7}  {v.detail}".rstrip())
    correct = sum(v.status == "correct" for v in verdicts)
    click.echo(f"{correct} of {len(verdicts)} correct")
    if correct < len(verdicts):
        sys.exit(EXIT_WRONG_ANSWERS)


@click.command("exercises")
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False),
              help="A generated SQLite extract to build the answer key on.")
@click.option("--parquet", type=click.Path(path_type=Path, file_okay=False),
              help="A generated Parquet extract (folder) instead of --db.")
@click.option("--out", type=click.Path(path_type=Path),
              help="Folder for questions.md, answers.md and answers.json.")
@click.option("--exercises", "library", type=click.Path(path_type=Path, file_okay=False),
              help="A folder of exercise YAML files (default: the built-in library, "
                   "examples/exercises).")
@click.option("--grade", "key", type=click.Path(path_type=Path, dir_okay=False),
              help="Grade instead: the answers.json to grade against.")
@click.option("--submission", type=click.Path(path_type=Path, file_okay=False),
              help="With --grade: a folder of result CSVs, one per exercise (<id>.csv).")
def exercises(db: Path | None, parquet: Path | None, out: Path | None, library: Path | None,
              key: Path | None, submission: Path | None) -> None:
    """Workshop exercises on a generated extract, with an answer key for THIS extract.

    Writes questions.md (for participants), answers.md (model SQL and expected results) and
    answers.json (the key, machine-readable). The key is recomputed from the extract, so it
    follows the seed and size. Then grade a participant's CSVs (exit 1 when any is wrong):

        leo-synth exercises --db out/workshop.sqlite --out out/workshop

        leo-synth exercises --grade out/workshop/answers.json --submission alice/
    """
    if key is not None or submission is not None:
        if key is None or submission is None:
            raise LeoSynthError("grading needs both --grade answers.json and --submission DIR")
        if db is not None or parquet is not None or out is not None:
            raise LeoSynthError("--grade reads the answer key; it takes no --db, --parquet "
                                "or --out")
        _grade(key, submission)
        return
    if (db is None) == (parquet is None):
        raise LeoSynthError("give the extract: --db FILE or --parquet DIR (exactly one)")
    if out is None:
        raise LeoSynthError("give the folder to write the exercises to: --out DIR")
    _write_key(db, parquet, out, library)
