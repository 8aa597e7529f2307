"""``leo-synth report``: compute the calibration targets on a generated extract."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from leo_synth.errors import LeoSynthError
from leo_synth.resources import config_file

if TYPE_CHECKING:
    from leo_synth.report.evaluate import Report

DEFAULT_TARGETS = Path("config/calibration_targets.yaml")
EXIT_FAILED_TARGETS = 1


def default_targets() -> Path:
    """The calibration targets shipped with leo-synth (``config/calibration_targets.yaml``)."""
    return config_file(DEFAULT_TARGETS.name)


@click.command("report")
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False),
              help="A generated SQLite extract.")
@click.option("--parquet", type=click.Path(path_type=Path, file_okay=False),
              help="A generated Parquet extract (folder); loaded into in-memory SQLite.")
@click.option("--duckdb", "duckdb_folder", type=click.Path(path_type=Path, file_okay=False),
              help="A generated DuckDB extract (folder); loaded into in-memory SQLite.")
@click.option("--targets", "targets_path", type=click.Path(path_type=Path, dir_okay=False),
              help=f"Targets file (default: {DEFAULT_TARGETS}).")
@click.option("--statistical", is_flag=True,
              help="Judge each figure within max(tolerance, 2.5 standard errors) (for small "
                   "extracts); both verdicts are always shown.")
@click.option("--html", "html_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write the report with charts (inline SVG) to this HTML file.")
@click.option("--json", "json_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write every result as JSON to this file.")
def report(db: Path | None, parquet: Path | None, duckdb_folder: Path | None,
           targets_path: Path | None, statistical: bool, html_path: Path | None,
           json_path: Path | None) -> None:
    """Compare a generated extract with the published statistics it should reproduce.

    Every target of the targets file is computed with SQL over the SRS relations (the same
    SQL for SQLite, Parquet and DuckDB) and printed with its tolerance, standard error, sample size
    and verdict, followed by the relationship checks. Exit status 1 when a target or a
    check fails (strict tolerances, or with --statistical the widened ones), 0 otherwise.

    \b
        leo-synth report --db out/big.sqlite --html out/report.html
        leo-synth report --parquet out/leo_parquet --statistical
    """
    from leo_synth.report.evaluate import evaluate
    from leo_synth.report.html import write_html
    from leo_synth.report.render import render_text, to_json
    from leo_synth.report.source import open_duckdb, open_parquet, open_sqlite
    from leo_synth.report.targets import load_targets

    given = [(opener, path) for opener, path in ((open_sqlite, db), (open_parquet, parquet),
                                                 (open_duckdb, duckdb_folder)) if path]
    if len(given) != 1:
        raise LeoSynthError("give the extract to report on: --db FILE, --parquet DIR or "
                            "--duckdb DIR (exactly one)")
    opener, source_path = given[0]
    targets = load_targets(targets_path or default_targets())
    click.echo(f"report: {len(targets.targets)} targets and {len(targets.relationships)} "
               f"relationships from {targets.path}", err=True)
    started = time.perf_counter()
    ws = opener(source_path)
    source = str(source_path)
    try:
        result = evaluate(ws, targets, statistical=statistical)
        click.echo(render_text(result))
        if json_path is not None:
            try:
                json_path.write_text(to_json(result), encoding="utf-8")
            except OSError as exc:
                raise LeoSynthError(f"cannot write {json_path}: {exc.strerror or exc}") from exc
        if html_path is not None:
            write_html(ws, result, html_path, source)
    finally:
        ws.close()
    click.echo(f"report computed in {time.perf_counter() - started:.1f} s", err=True)
    if result.failures():
        click.echo(failure_hint(result), err=True)
        sys.exit(EXIT_FAILED_TARGETS)


def failure_hint(result: Report) -> str:
    """What to do about failing figures: the usual cause is an extract too small for the
    tolerances (a few thousand persons hold a few dozen pupils per group)."""
    computed = sum(1 for r in [*result.targets, *result.relationships] if r.passed is not None)
    advice = ("more persons (the calibration holds from 40,000: leo-synth generate --persons "
              "60000 --for-report)")
    if not result.statistical:
        advice = (f"--statistical (each band widened to 2.5 standard errors, as small samples "
                  f"need) or {advice}")
    return (f"report: {result.failures()} of {computed} figures fail; on a small extract "
            f"sampling error alone misses published figures: try {advice}")
