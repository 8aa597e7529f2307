"""The ``leo-synth`` command line.

Every user error ends with one line on stderr and a non-zero exit: exit 2 for bad input or an
unusable target, 130 for Ctrl-C, 143 for SIGTERM. Nothing half-written is left behind (the
writers build in staging places and publish at the end).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path
from typing import Any, ClassVar

import click

from leo_synth import __version__
from leo_synth.arrow_pandas import arrow_without_pandas
from leo_synth.config import (
    ENGINES,
    FORMATS,
    IF_EXISTS,
    RunConfig,
    format_of_out,
    load_config,
)
from leo_synth.engine.heap import release_big_buffers
from leo_synth.errors import LeoSynthError
from leo_synth.interrupts import Interrupted, raise_on_stop_signals
from leo_synth.quirks.profiles import PROFILES
from leo_synth.secrets import redact, remember_secrets

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
DEFAULT_CONFIG = Path("config/default.yaml")
YOUNG_GC_THRESHOLD = 10_000
LAZY_COMMANDS = {
    "check-output": "leo_synth.output_check.command:check_output",
    "combine": "leo_synth.combine_command:combine",
    "dictionary": "leo_synth.dictionary.command:dictionary",
    "exercises": "leo_synth.exercises.command:exercises",
    "query": "leo_synth.tsql.command:query",
    "report": "leo_synth.report.command:report",
    "request-template": "leo_synth.request_command:request_template",
    "sql": "leo_synth.tsql.command:sql",
    "verify": "leo_synth.verify_command:verify",
}
"""Commands living in their own packages, imported only when run (or listed by --help), so
that ``generate`` does not pay for importing the dictionary, the report or the T-SQL layer."""


class LeoGroup(click.Group):
    """A click group that turns every error into a single line on stderr, and imports the
    :data:`LAZY_COMMANDS` on first use."""

    own_process = False
    """Whether the command line is the process's own (``leo-synth ...``, ``python -m
    leo_synth``) rather than arguments a program or a test passed: only then may a command
    decide what the process imports (see :func:`generate`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            module, name = LAZY_COMMANDS[cmd_name].split(":")
            self.add_command(getattr(import_module(module), name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        raise_on_stop_signals()
        given = kwargs.get("args", args[0] if args else None)
        self.own_process = given is None  # click then reads sys.argv, as the console script
        argv = sys.argv[1:] if given is None else given
        for arg in argv:
            remember_secrets(str(arg))  # masked in every message, whichever option fails
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
        except Interrupted as exc:
            _fail(_interrupted_message(exc), exc.exit_code)
        except (KeyboardInterrupt, click.Abort):
            _fail("interrupted; the previous output, if any, is unchanged", EXIT_INTERRUPTED)


def _interrupted_message(exc: Interrupted) -> str:
    what = "interrupted" if exc.signum == signal.SIGINT else f"stopped by {exc}"
    if exc.published:
        return f"{what} just after the new output was published (it is complete)"
    return f"{what}; the previous output, if any, is unchanged"


def _fail(message: str, code: int) -> None:
    lines = redact(message).strip().splitlines() or ["failed"]
    click.echo(f"leo-synth: error: {lines[0]}", err=True)
    for line in lines[1:]:  # a spec problem list: one problem per line, after the headline
        click.echo(f"leo-synth: {line.strip()}", err=True)
    sys.exit(code)


@click.group(cls=LeoGroup, context_settings={"help_option_names": ["-h", "--help"],
                                             "show_default": True})
@click.version_option(__version__, prog_name="leo-synth")
def main() -> None:
    """Generate a synthetic, de-identified copy of the LEO standard extract.

    The relations, column names, types, code lists and pseudonymous keys are those researchers
    meet in the ONS Secure Research Service; the people are simulated. Start with:

    \b
        leo-synth generate --persons 2000 --out out/leo.sqlite

    then run the T-SQL you will later run in the SRS on it:

        leo-synth sql my_script.sql --db out/leo.sqlite
    """


COMMAND_DEFAULTS = RunConfig(workers="auto")
"""The command line's built-in settings: the API's, but a worker per core (``auto``); a
notebook or a test calling the API gets one worker unless it asks for more."""


def _config_default(setting: str) -> str:
    """A generate flag's default as --help shows it: the run config's value, else built in."""
    return f"{getattr(COMMAND_DEFAULTS, setting)} unless the run config sets it"


def _config(path: Path | None) -> RunConfig:
    if path is None and DEFAULT_CONFIG.exists():
        path = DEFAULT_CONFIG
    return load_config(path, COMMAND_DEFAULTS)


@contextlib.contextmanager
def _kept_for_the_run() -> Iterator[None]:
    """For what lives as long as the process (the modules, the catalog: hundreds of thousands
    of objects, none of them garbage): no collection while they are made, then frozen out of
    the collector's sight, so no collection during the run walks them again (and forked
    workers do not touch, hence copy, their pages)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


@contextlib.contextmanager
def _young_collections_rarer() -> Iterator[None]:
    """A run makes many short-lived arrays and frames and hardly any reference cycles: the
    young generation is collected every 10,000 allocations rather than 700 (a hundred
    collections fewer in a 100-person run, 25 ms)."""
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], YOUNG_GC_THRESHOLD), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def _whole_or_text(value: str | None) -> int | str | None:
    """A flag that takes a number or a word (``--workers 2``, ``--workers auto``): the run
    config says what is allowed."""
    try:
        return int(value) if value is not None else None
    except ValueError:
        return value


class RowProgress:
    """Progress over rows counted in advance (``combine``, ``verify``): click's bar on a
    terminal, else a line on stderr at every tenth of the rows with the time it took and an
    estimate of the time left (a log shows that the command is alive and when it will end)."""

    def __init__(self, total: int, label: str, started: float | None = None):
        self.total, self.label = total, label
        self.started = time.perf_counter() if started is None else started
        self.done = self.decile = 0
        self.bar: Any = None
        if sys.stderr.isatty() and total:
            self.bar = click.progressbar(length=total, label=label, show_eta=True,
                                         file=sys.stderr)

    def update(self, rows: int) -> None:
        if self.bar is not None:
            self.bar.update(rows)
            return
        self.done += rows
        decile = self.done * 10 // self.total if self.total else 0
        if decile > self.decile:
            self.decile = decile
            elapsed = time.perf_counter() - self.started
            fraction = self.done / self.total
            click.echo(f"leo-synth: {self.label}: {self.done:,} of {self.total:,} rows "
                       f"({fraction:.0%}), {elapsed:.0f} s, about "
                       f"{elapsed / fraction * (1 - fraction):.0f} s to go", err=True)

    def end(self) -> None:
        """Close the bar (the next line starts on a line of its own)."""
        if self.bar is not None:
            self.bar.render_finish()
            self.bar = None


class Progress:
    """What a run is doing, on stderr: a first line at once (format, target, relations,
    persons, blocks, workers, estimated size on disk), then progress within the blocks,
    relation by relation as their rows reach the writer, with the ETA (click's progress bar
    on a terminal; a line every 10% otherwise), then the commit's phases named as they begin
    (keys and indexes, the Parquet files, publishing)."""

    PHASES: ClassVar[dict[str, str]] = {
        "files": "finishing the relations' Parquet files (each written once it has its rows)",
        "index": "creating keys and indexes",
        "publish": "publishing the output",
    }
    BAR_RENDERS = 400
    """At most about this many redraws of the bar in a run (a million persons make 37,000
    relation results)."""

    def __init__(self, redact: Callable[[str], str] = str) -> None:
        self.started = time.perf_counter()
        self.redact = redact
        self.bar: Any = None
        self.last_decile = 0  # (the first line at 10%: the first results say little of the ETA)
        self._blocks = 0
        self._first: tuple[float, int] | None = None
        """When the first relation result reached the writer, and the results done then."""

    def phase(self, name: str, **facts: Any) -> None:
        if name == "start":
            self._start(facts)
        elif name == "commit":
            self._end_bar()
            click.echo(f"leo-synth: committing: all {self._blocks} block(s) written after "
                       f"{self._elapsed()}, finishing the output", err=True)
        elif name in self.PHASES:
            click.echo(f"leo-synth: {self.PHASES[name]} ({self._elapsed()})", err=True)

    def _start(self, facts: dict[str, Any]) -> None:
        from leo_synth.engine.estimate import human_bytes

        self._blocks = facts["blocks"]
        results = facts.get("results") or 0
        size = facts.get("estimated_bytes")
        estimate = f", about {human_bytes(size)} on disk" if size else ""
        workers = f" on {facts['workers']}" if facts.get("workers") else ""
        click.echo(f"leo-synth: writing {facts['fmt']} to {self.redact(facts['target'])}: "
                   f"{facts['relations']} relations, {facts['persons']:,} persons in "
                   f"{facts['blocks']:,} block(s){workers}{estimate}", err=True)
        if sys.stderr.isatty() and results:
            self.bar = click.progressbar(  # (its own ETA counts from the start: see _to_go)
                length=results, label="generating", show_eta=False, show_percent=True,
                show_pos=False, item_show_func=lambda item: item, file=sys.stderr,
                update_min_steps=max(1, results // self.BAR_RENDERS))

    def _end_bar(self) -> None:
        if self.bar is not None:
            self.bar.render_finish()
            self.bar = None

    def _elapsed(self) -> str:
        return f"{time.perf_counter() - self.started:.0f} s"

    def relation(self, done: int, total: int, rows: int) -> None:
        """A relation's rows of a block reached the writer: ``done`` of the run's ``total``
        relation results (blocks times person-driven relations)."""
        blocks = done * self._blocks // total  # (whole blocks' worth of results)
        to_go = self._to_go(done, total)
        said = f", about {_duration(to_go)} to go" if to_go is not None else ""
        if self.bar is not None:
            self.bar.update(1, f"{blocks}/{self._blocks} blocks{said}")
            return
        fraction = done / total
        decile = int(fraction * 10)
        if decile > self.last_decile:
            self.last_decile = decile
            elapsed = time.perf_counter() - self.started
            click.echo(f"leo-synth: {blocks}/{self._blocks} blocks ({fraction:.0%}), "
                       f"{rows:,} rows, {elapsed:.0f} s{said}", err=True)

    def _to_go(self, done: int, total: int) -> float | None:
        """Seconds until the last result, at the pace of the results since the first one
        (None for the first second of them). Not the pace since the start, as click's bar
        takes it: the start-up and the first blocks' simulation come before any result, so
        counting them made the first estimates of a 40,000-person run ten times too long
        (497 s at 1% for a run of 49 s, 76 s at 10% with 40 s to go)."""
        now = time.perf_counter()
        if self._first is None:
            self._first = (now, done)
        if done >= total:
            return 0.0
        seconds, since = now - self._first[0], done - self._first[1]
        if seconds < 1.0 or since <= 0:
            return None
        return (total - done) * seconds / since


def _duration(seconds: float) -> str:
    """``42 s``, ``3 min 5 s``, ``2 h 10 min``: an ETA as people say it."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60} s"
    return f"{whole // 3600} h {whole % 3600 // 60} min"


@main.command()
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Run config (YAML). Default: config/default.yaml when present.")
@click.option("--persons", type=int, show_default=_config_default("persons"),
              help="Number of simulated persons (the one size knob).")
@click.option("--seed", type=int, show_default=_config_default("seed"),
              help="Seed: the same seed gives the same data.")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              show_default=_config_default("format"),
              help="Output format; left out, the one --out names (a postgresql:// URL; "
                   "a name ending .sqlite, .db, .parquet, .duckdb or .csv).")
@click.option("--out", show_default=_config_default("out"),
              help="Output file (sqlite), folder (parquet, duckdb, csv) or "
                   "postgresql:// URL; with --engine dask a folder or an fsspec URL "
                   "(s3://bucket/leo).")
@click.option("--if-exists", type=click.Choice(IF_EXISTS),
              show_default=_config_default("if_exists"),
              help="What to do when the output exists.")
@click.option("--workers", callback=lambda ctx, param, value: _whole_or_text(value),
              show_default=_config_default("workers"),
              help="Worker processes, or auto: one per core, at most 4 and no more than "
                   "the blocks (output is identical for any).")
@click.option("--block-size", type=int, show_default=_config_default("block_size"),
              help="Persons per block (changes the data; memory).")
@click.option("--iteration", type=click.Choice(["1", "2"]),
              show_default=_config_default("iteration"),
              help="Extract layout: Iteration 2 or the older Iteration 1 names.")
@click.option("--request", "request_path", type=click.Path(path_type=Path, dir_okay=False),
              help="A variable request (YAML): produce only the tables, variables and years "
                   "it asks for, like an approved SRS project (see request-template).")
@click.option("--for-report", is_flag=True,
              help="Only the relations the calibration report reads (a quicker run for "
                   "`leo-synth report`).")
@click.option("--srs-project", help="SRS project number: the schema of the three-part names "
                                    "[database].[project].[relation] (default 2002237).")
@click.option("--part", metavar="K/N",
              help="Generate only the K-th of N shares of the person blocks, into the out "
                   "name plus .part-K-of-N (split a run across machines; README \"Splitting "
                   "a run across machines\").")
@click.option("--profile", type=click.Choice(PROFILES),
              help="The extract's mess: clean (none), realistic (default: the real "
                   "extract's quirks) or messy (more, for cleaning exercises).")
@click.option("--no-ledger", is_flag=True,
              help="Leave out the answer key _leo_synth_defects (the real experience).")
@click.option("--engine", type=click.Choice(ENGINES),
              show_default=_config_default("engine"),
              help="Who runs the person blocks: local (this machine's worker processes) or "
                   "dask (Dask tasks writing a partitioned Parquet dataset; README \"Running "
                   "on a cluster\").")
@click.option("--scheduler", metavar="ADDRESS",
              help="With --engine dask: the Dask scheduler (e.g. tcp://host:8786). Default: "
                   "a LocalCluster on this machine, one worker per core (or --workers).")
@click.option("--no-space-check", is_flag=True,
              help="Start even when the output's estimated size (the first progress line) "
                   "exceeds the free space where it goes; by default such a run is refused "
                   "at once.")
@click.option("--quiet", is_flag=True,
              help="Only the summary line: no progress on stderr, no per-relation rows.")
def generate(config_path: Path | None, persons: int | None, seed: int | None, fmt: str | None,
             out: str | None, if_exists: str | None, workers: int | str | None,
             block_size: int | None, iteration: str | None, request_path: Path | None,
             for_report: bool, srs_project: str | None, part: str | None, profile: str | None,
             no_ledger: bool, engine: str | None, scheduler: str | None,
             no_space_check: bool, quiet: bool) -> None:
    """Generate the extract into SQLite, Parquet, PostgreSQL, DuckDB or CSV.

    Flags override the config file. Examples:

    \b
        leo-synth generate --persons 2000 --out out/small.sqlite --if-exists replace
        leo-synth generate --format parquet --out out/leo_parquet --workers 2
        leo-synth generate --format postgres --out postgresql://user:pw@localhost/leo
        leo-synth generate --persons 200000 --for-report --out out/cal.sqlite --workers 2
        leo-synth generate --engine dask --out out/leo_dataset --persons 1000000
    """
    base = _config(config_path)
    if fmt is None and out is not None:
        # a URL can only mean PostgreSQL (never a local file "postgresql:/db"), and
        # `--out leo.parquet` Parquet (not a SQLite file so named)
        fmt = format_of_out(out)
    if fmt and not out and fmt != base.format:
        raise LeoSynthError(f"--format {fmt} needs --out (the config's out is for "
                            f"{base.format})")
    if engine == "dask" and fmt is None and base.format != "parquet":
        if not out:
            raise LeoSynthError("--engine dask writes a partitioned Parquet dataset: give "
                                "--out (a folder, or an fsspec URL such as s3://bucket/leo)")
        fmt = "parquet"  # the only format the Dask engine writes
    config = base.with_overrides(
        persons=persons, seed=seed, format=fmt, out=out, if_exists=if_exists, workers=workers,
        block_size=block_size, iteration=int(iteration) if iteration else None,
        srs_project=srs_project, part=part, profile=profile,
        ledger=False if no_ledger else None, engine=engine, scheduler=scheduler)
    # Only in leo-synth's own process (a test session or a program calling main() goes on
    # after the command) and not for Dask (its scheduler may use pandas and cleans up at exit):
    # a run converts numpy arrays only, so pyarrow need not import pandas (a quarter of a
    # second), the allocator may be told to give big buffers back, and the process ends with
    # the run.
    own = main.own_process and config.engine == "local"
    if own:
        arrow_without_pandas()
        release_big_buffers()
    _generate(config, request_path, for_report, quiet, space_check=not no_space_check)
    if own:
        _exit_at_once()


def _exit_at_once() -> None:
    """End the process after a finished run: the output is published and closed, so only
    the atexit handlers still matter; the interpreter's teardown (freeing a catalog's worth
    of objects, a twentieth of a small run) is skipped."""
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _generate(config: RunConfig, request_path: Path | None, for_report: bool,
              quiet: bool, space_check: bool = True) -> None:
    with _kept_for_the_run():
        from leo_synth.engine.generate import generate as run
        from leo_synth.engine.generate import load_checked_catalog
        from leo_synth.request import request_selector

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
    progress = None if quiet else Progress(redact)
    with _young_collections_rarer():
        summary = run(config, catalog, select=select,
                      phase=progress.phase if progress else None,
                      relation_progress=progress.relation if progress else None,
                      space_check=space_check)
    if not quiet:
        _print_rows(summary.relations, summary.rows)
    target = redact(summary.target)
    click.echo(f"wrote {len(summary.relations)} relations, {summary.total_rows:,} rows for "
               f"{config.persons:,} persons to {target} ({config.format}) in "
               f"{summary.seconds:.1f} s")


def _print_rows(relations: list, rows: dict[str, int]) -> None:
    width = max((len(rel.qualified_name) for rel in relations), default=10)
    for rel in relations:
        click.echo(f"{rel.qualified_name:<{width}}  {rows[rel.name]:>12,}")


@main.command()
@click.argument("name", required=False)
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Run config (YAML); its iteration is used unless --iteration is given.")
@click.option("--iteration", type=click.Choice(["1", "2"]), help="Extract iteration.")
@click.option("--fills", is_flag=True,
              help="Instead: spec columns per fill class (attribute, derived, conditional, "
                   "independent) per table, and the independent columns whose VRF description "
                   "reads as derived.")
def tables(name: str | None, config_path: Path | None, iteration: str | None,
           fills: bool) -> None:
    """List the relations a run would produce, with their grain and column count; with NAME,
    describe that relation: its columns, their types, years populated and descriptions.

    \b
        leo-synth tables
        leo-synth tables spring_census_2011
        leo-synth tables leo_employment --iteration 1
        leo-synth tables --fills
    """
    from leo_synth.engine.generate import load_checked_catalog

    config = _config(config_path)
    it = int(iteration) if iteration else config.iteration
    catalog = load_checked_catalog()
    if fills:
        from leo_synth.spec.fills import fills_report

        click.echo("\n".join(fills_report(catalog)))
        return
    if name is not None:
        from leo_synth.dictionary import build_dictionary
        from leo_synth.dictionary.describe import describe_relation, find_relation

        click.echo(describe_relation(find_relation(build_dictionary(catalog, it), name)))
        return
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
    """Check run configs, parameter files, variable requests or spec files and report every
    problem.

    A spec file is checked together with the other specs in schemas/ (so references to their
    tables resolve); a run config is checked with the parameters file it names; a variable
    request (a mapping under 'tables:') against the extract's tables, variables and years.
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


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
