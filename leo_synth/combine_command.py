"""The ``combine`` command: the parts of a split run written as one output (leo_synth/combine.py).

It says what it will write at once, shows a bar over the rows on a terminal, names the
writer's closing phases, and ends with a summary line; bad input is one line and exit 2.
"""

from __future__ import annotations

import time
from typing import Any

import click

from leo_synth.cli import Progress, RowProgress, main
from leo_synth.config import (
    FORMATS,
    IF_EXISTS,
    format_of_out,
    is_postgres_url,
    out_format_problem,
)
from leo_synth.errors import LeoSynthError
from leo_synth.output_reading import open_output
from leo_synth.secrets import redact


@click.command("combine")
@click.argument("parts", nargs=-1, required=True, metavar="PART...")
@click.option("--out", required=True,
              help="The combined output: a SQLite file, a Parquet, DuckDB or CSV folder, or a "
                   "postgresql:// URL.")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="Output format. Default: the one --out names (postgres for a postgresql:// "
                   "URL; sqlite for .sqlite, .sqlite3 or .db; parquet, duckdb or csv for "
                   ".parquet, .duckdb or .csv), else the parts' own.")
@click.option("--if-exists", type=click.Choice(IF_EXISTS), default="fail", show_default=True,
              help="What to do when the output exists (replace: only leo-synth's own).")
@click.option("--no-space-check", is_flag=True,
              help="Start even when the output's estimated size exceeds the free space where "
                   "it goes; by default such a combine is refused at once.")
@click.option("--quiet", is_flag=True, help="Only the summary line.")
def combine(parts: tuple[str, ...], out: str, fmt: str | None, if_exists: str,
            no_space_check: bool, quiet: bool) -> None:
    """Combine the parts of a run made with --part K/N (on several machines, or at several
    times) into one output, as the whole run would have written it, in any format.

    The parts must be all the parts of one run, each once (as leo-synth verify checks). Every
    relation is copied part after part, so its rows keep the whole run's order, and its
    checksum is computed again from the rows written: rows that differ from the parts'
    manifests stop the copy, with nothing written. Parquet parts combined into Parquet give the
    very folder the whole run writes.

    \b
        leo-synth combine out/leo_parquet.part-* --out out/leo_parquet
        leo-synth combine out/leo.part-*.sqlite --out out/leo.sqlite
        leo-synth combine out/leo_parquet.part-* --out postgresql://user:pw@localhost/leo
    """
    from leo_synth.combine import combine as combine_parts_into
    from leo_synth.combine import whole_run
    from leo_synth.engine.generate import load_checked_catalog, spec_digest
    from leo_synth.engine.heap import release_big_buffers
    from leo_synth.spec.loader import default_schema_dir
    from leo_synth.writers import make_writer

    if main.own_process:  # (a writing process, as a run's: not in a program calling main())
        release_big_buffers()
    opened = [open_output(location) for location in parts]
    fmt = fmt or _default_format(out, opened)
    if is_postgres_url(out) != (fmt == "postgres"):
        raise LeoSynthError("--format postgres takes a postgresql:// URL as --out, and a "
                            "postgresql:// URL needs --format postgres")
    mismatch = out_format_problem(out, fmt)
    if mismatch:
        raise LeoSynthError(mismatch)
    specs = spec_digest(default_schema_dir())
    whole = whole_run(opened, specs)  # (checked before anything is opened for writing)
    total = sum(int(entry["rows"]) for entry in whole["relations"].values())
    settings = whole["leo_synth"]
    if not quiet:
        click.echo(f"leo-synth: combining {len(opened)} parts into {fmt} at {redact(out)}: "
                   f"{len(whole['relations'])} relations, {total:,} rows for "
                   f"{settings.get('persons', 0):,} persons (seed {settings.get('seed')})",
                   err=True)
    writer = make_writer(fmt, out, if_exists)
    started = time.perf_counter()
    progress = None if quiet else RowProgress(total, "combining", started)
    if progress is not None:
        writer.on_phase = lambda name: _phase(name, progress)
    try:
        combined = combine_parts_into(opened, whole, load_checked_catalog(), writer,
                                      advance=progress.update if progress else None,
                                      estimate_as=None if no_space_check else fmt)
    finally:
        if progress is not None:
            progress.end()
    click.echo(f"combined {combined.parts} parts: {combined.relations} relations, "
               f"{combined.rows:,} rows for {combined.persons:,} persons to {redact(out)} "
               f"({fmt}) in {time.perf_counter() - started:.1f} s")


def _default_format(out: str, opened: list[Any]) -> str:
    """The format ``out`` names (a URL, a suffix: :func:`format_of_out`), else the parts' own
    format."""
    named = format_of_out(out)
    if named is not None:
        return named
    kinds = {output.kind for output in opened}
    return kinds.pop() if len(kinds) == 1 else "parquet"


def _phase(name: str, progress: RowProgress) -> None:
    if name in Progress.PHASES:  # (a run's closing phases, named as a run names them)
        progress.end()
        click.echo(f"leo-synth: {Progress.PHASES[name]} "
                   f"({time.perf_counter() - progress.started:.0f} s)", err=True)
