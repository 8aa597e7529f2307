"""The ``leo-synth`` command line.

Every user error ends with one line on stderr and a non-zero exit: exit 2 for bad input or an
unusable target, 130 for Ctrl-C. Nothing half-written is left behind (the writers build in
staging places and publish at the end).
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

import click

from leo_synth import __version__
from leo_synth.config import FORMATS, IF_EXISTS, RunConfig, load_config
from leo_synth.dictionary.command import dictionary
from leo_synth.errors import LeoSynthError
from leo_synth.exercises.command import exercises
from leo_synth.output_check.command import check_output
from leo_synth.quirks.profiles import PROFILES
from leo_synth.report.command import report
from leo_synth.request_command import request_template

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
DEFAULT_CONFIG = Path("config/default.yaml")


class LeoGroup(click.Group):
    """A click group that turns every error into a single line on stderr."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            return super().main(*args, **kwargs)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            _fail(f"{exc.format_message()}{hint}", EXIT_USAGE)
        except click.ClickException as exc:
            _fail(exc.format_message(), EXIT_USAGE)
        except LeoSynthError as exc:
            _fail(str(exc), EXIT_USAGE)
        except (KeyboardInterrupt, click.Abort):
            _fail("interrupted; the previous output, if any, is unchanged", EXIT_INTERRUPTED)


def _fail(message: str, code: int) -> None:
    lines = message.strip().splitlines() or ["failed"]
    click.echo(f"leo-synth: error: {lines[0]}", err=True)
    for line in lines[1:]:  # a spec problem list: one problem per line, after the headline
        click.echo(f"leo-synth: {line.strip()}", err=True)
    sys.exit(code)


@click.group(cls=LeoGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="leo-synth")
def main() -> None:
    """Generate a synthetic, de-identified copy of the LEO standard extract.

    The relations, column names, types, code lists and pseudonymous keys are those researchers
    meet in the ONS Secure Research Service; the people are simulated. Start with:

        leo-synth generate --config config/default.yaml

    then query out/leo.sqlite with the SQL you will later run in the SRS.
    """


def _config(path: Path | None) -> RunConfig:
    if path is None and DEFAULT_CONFIG.exists():
        path = DEFAULT_CONFIG
    return load_config(path)


class Progress:
    """A progress line on stderr once a run has taken two seconds (a bar on a terminal, a line
    every 10% otherwise); quicker runs print only their summary."""

    QUIET_SECONDS = 2.0

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.tty = sys.stderr.isatty()
        self.last_decile = -1

    def __call__(self, done: int, total: int, rows: int) -> None:
        elapsed = time.perf_counter() - self.started
        if elapsed < self.QUIET_SECONDS:
            return
        fraction = done / total
        if self.tty:
            width = 30
            bar = "#" * int(width * fraction) + "-" * (width - int(width * fraction))
            click.echo(f"\r[{bar}] {done}/{total} blocks  {rows:,} rows  {elapsed:.1f}s",
                       err=True, nl=False)
            if done == total:
                click.echo("", err=True)
        else:
            decile = int(fraction * 10)
            if decile > self.last_decile:
                self.last_decile = decile
                click.echo(f"generating: {done}/{total} blocks ({fraction:.0%}), {rows:,} rows, "
                           f"{elapsed:.1f}s", err=True)


@main.command()
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Run config (YAML). Default: config/default.yaml when present.")
@click.option("--persons", type=int, help="Number of simulated persons (the one size knob).")
@click.option("--seed", type=int, help="Seed: the same seed gives the same data.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Output format.")
@click.option("--out", help="Output file (sqlite), folder (parquet) or postgresql:// URL.")
@click.option("--if-exists", type=click.Choice(IF_EXISTS),
              help="What to do when the output exists (default: fail).")
@click.option("--workers", type=int, help="Worker processes (output is identical for any).")
@click.option("--block-size", type=int, help="Persons per block (changes the data; memory).")
@click.option("--iteration", type=click.Choice(["1", "2"]),
              help="Extract layout: Iteration 2 (default) or the older Iteration 1 names.")
@click.option("--request", "request_path", type=click.Path(path_type=Path, dir_okay=False),
              help="A variable request (YAML): produce only the tables and variables it asks "
                   "for, like an approved SRS project (see request-template).")
@click.option("--for-report", is_flag=True,
              help="Only the relations the calibration report reads (a quicker run for "
                   "`leo-synth report`).")
@click.option("--profile", type=click.Choice(PROFILES),
              help="The extract's mess: clean (none), realistic (default: the real "
                   "extract's quirks) or messy (more, for cleaning exercises).")
@click.option("--no-ledger", is_flag=True,
              help="Leave out the answer key _leo_synth_defects (the real experience).")
@click.option("--quiet", is_flag=True, help="Only the summary line, no per-relation rows.")
def generate(config_path: Path | None, persons: int | None, seed: int | None, fmt: str | None,
             out: str | None, if_exists: str | None, workers: int | None,
             block_size: int | None, iteration: str | None, request_path: Path | None,
             for_report: bool, profile: str | None, no_ledger: bool, quiet: bool) -> None:
    """Generate the extract into SQLite, Parquet or PostgreSQL.

    Flags override the config file. Examples:

        leo-synth generate --persons 2000 --out out/small.sqlite --if-exists replace

        leo-synth generate --format parquet --out out/leo_parquet --workers 2

        leo-synth generate --format postgres --out postgresql://user:pw@localhost/leo

        leo-synth generate --persons 200000 --for-report --out out/cal.sqlite --workers 2
    """
    from leo_synth.engine.generate import generate as run
    from leo_synth.engine.generate import load_checked_catalog
    from leo_synth.request import request_selector

    base = _config(config_path)
    config = base.with_overrides(
        persons=persons, seed=seed, format=fmt, out=out, if_exists=if_exists, workers=workers,
        block_size=block_size, iteration=int(iteration) if iteration else None,
        profile=profile, ledger=False if no_ledger else None)
    if fmt and not out and config.format != base.format:
        raise LeoSynthError(f"--format {fmt} needs --out (the config's out is for "
                            f"{base.format})")
    catalog = load_checked_catalog()
    if request_path is None and config.request:
        request_path = config.resolve(config.request)
    if for_report and request_path is not None:
        raise LeoSynthError("--for-report and a variable request both choose the relations: "
                            "give one of them")
    select = request_selector(request_path, catalog)
    if for_report:
        from leo_synth.report.command import default_targets
        from leo_synth.report.selection import report_selector

        select = report_selector(default_targets())
    summary = run(config, catalog, progress=Progress(), select=select)
    if not quiet:
        _print_rows(summary.relations, summary.rows)
    target = summary.target if config.format != "postgres" else _redacted(summary.target)
    click.echo(f"wrote {len(summary.relations)} relations, {summary.total_rows:,} rows for "
               f"{config.persons:,} persons to {target} ({config.format}) in "
               f"{summary.seconds:.1f} s")


def _redacted(url: str) -> str:
    from leo_synth.writers.postgres import redact

    return redact(url)


def _print_rows(relations: list, rows: dict[str, int]) -> None:
    width = max((len(rel.qualified_name) for rel in relations), default=10)
    for rel in relations:
        click.echo(f"{rel.qualified_name:<{width}}  {rows[rel.name]:>12,}")


@main.command()
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Run config (YAML); its iteration is used unless --iteration is given.")
@click.option("--iteration", type=click.Choice(["1", "2"]), help="Extract iteration.")
def tables(config_path: Path | None, iteration: str | None) -> None:
    """List the relations a run would produce, with their grain and column count."""
    from leo_synth.engine.generate import load_checked_catalog

    config = _config(config_path)
    it = int(iteration) if iteration else config.iteration
    catalog = load_checked_catalog()
    relations = catalog.relations(it)
    width = max(len(rel.qualified_name) for rel in relations)
    for rel in relations:
        click.echo(f"{rel.qualified_name:<{width}}  {len(rel.columns):>4} cols  "
                   f"{rel.table.grain}")
    click.echo(f"{len(relations)} relations (iteration {it})")


@main.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=False, exists=True))
def validate(files: tuple[Path, ...]) -> None:
    """Check run configs or spec files and report every problem.

    A spec file is checked together with the other specs in schemas/ (so references to their
    tables resolve); a run config is checked with the parameters file it names.
    """
    from leo_synth.validate import validate_file

    failed = False
    for path in files:
        problems = validate_file(path)
        if problems:
            failed = True
            for problem in problems:
                click.echo(f"{path}: {problem}", err=True)
        else:
            click.echo(f"{path}: ok")
    if failed:
        sys.exit(EXIT_USAGE)


@main.command()
@click.argument("database", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.argument("sql")
@click.option("--limit", default=20, show_default=True, help="Rows to print at most.")
def query(database: Path, sql: str, limit: int) -> None:
    """Run SQL (text, or @FILE) against a generated SQLite file and print the result."""
    if sql.startswith("@"):
        sql = Path(sql[1:]).read_text(encoding="utf-8")
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        cursor = connection.execute(sql)
        rows = cursor.fetchmany(limit + 1)
    except sqlite3.Error as exc:
        raise LeoSynthError(f"query failed: {exc}") from exc
    headers = [d[0] for d in cursor.description or []]
    shown = [[("NULL" if v is None else str(v)) for v in row] for row in rows[:limit]]
    widths = [max([len(h)] + [len(r[i]) for r in shown]) for i, h in enumerate(headers)]
    click.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    for row in shown:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))
    if len(rows) > limit:
        click.echo("... (more rows; use --limit)")


main.add_command(dictionary)
main.add_command(request_template)
main.add_command(report)
main.add_command(exercises)
main.add_command(check_output)


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
