"""The ``verify`` command: check outputs against their manifests, and a split run's parts.

The checks are :mod:`leo_synth.verify`'s; this module says what they found, a line per finding
on stdout, and exits 1 when anything differs (2, as every command, when an output cannot be
read at all).
"""

from __future__ import annotations

import sys
from typing import Any

import click

from leo_synth.cli import RowProgress
from leo_synth.output_reading import Output, open_output
from leo_synth.verify import check_output, combine_parts, compare_manifests

EXIT_DIFFERS = 1
"""An output or part differs from what its manifest (or --against) says."""


def _described(output: Output) -> str:
    settings = output.settings
    part = output.part
    share = f", part {part['index']} of {part['of']}" if part else ""
    return f"{settings.get('persons', 0):,} persons, seed {settings.get('seed')}{share}"


def _manifest_rows(manifest: dict[str, Any]) -> int:
    return sum(int(entry.get("rows", 0)) for entry in manifest["relations"].values())


def _check_data(output: Output, catalog: Any, specs: str, quiet: bool) -> bool:
    """Read the output's relations back; say what matches or differs. True when all match.
    ``specs``: the installed specs' digest (an output made with others is read with these);
    progress on stderr unless ``quiet``."""
    listed = len(output.manifest["relations"])
    if output.settings.get("spec_sha256") != specs:
        click.echo(f"{output.shown}: made with other specs than this leo-synth's (version "
                   f"{output.settings.get('version')}): it is read with this one's columns and "
                   f"types, so a difference may be theirs")
    progress = None if quiet else RowProgress(_manifest_rows(output.manifest),
                                              f"reading {output.shown}")
    try:
        finding = check_output(output, catalog, advance=progress.update if progress else None)
    finally:
        if progress is not None:
            progress.end()
    for problem in finding.problems:
        click.echo(f"{output.shown}: {problem}")
    if finding.problems:
        click.echo(f"{output.shown}: {len(finding.problems)} of {listed} relations differ from "
                   f"the manifest ({_described(output)})")
        return False
    click.echo(f"{output.shown}: {listed} relations, {finding.rows:,} rows: every relation "
               f"matches the manifest ({_described(output)})")
    return True


@click.command("verify")
@click.argument("outputs", nargs=-1, required=True, metavar="OUTPUT...")
@click.option("--no-data", is_flag=True,
              help="Check the manifests only (instant): the parts against each other and "
                   "--against, without reading the relations back.")
@click.option("--against", metavar="OUTPUT",
              help="Another output (the whole run, or the same run in another format) whose "
                   "manifest every relation's rows and checksum must equal.")
@click.option("--quiet", is_flag=True,
              help="No progress on stderr (a bar on a terminal, else a line at every tenth "
                   "of the rows); the findings on stdout are the same.")
def verify(outputs: tuple[str, ...], no_data: bool, against: str | None,
           quiet: bool) -> None:
    """Check generated outputs: every relation read back against the run's manifest (its
    rows and order-independent checksum), and the parts of a split run against each other.

    An OUTPUT is a SQLite file, a Parquet folder (or a Dask dataset), a DuckDB or CSV folder
    or a postgresql:// URL. Given the parts of a run made with --part K/N, verify also checks
    that they are the parts of one run, each holding its share once, and adds them up to the
    whole run's relations, rows and checksums (a part given alone is only read back).

    \b
        leo-synth verify out/leo.sqlite
        leo-synth verify out/leo_parquet.part-1-of-2 out/leo_parquet.part-2-of-2
        leo-synth verify out/leo.sqlite --against out/leo_parquet --no-data

    Exit status 0 when everything matches, 1 when something differs (a line for each
    difference), 2 when an output cannot be read.
    """
    opened = [open_output(location) for location in outputs]
    reference = open_output(against) if against else None
    intact = True
    catalog, specs = None, ""
    for output in opened:
        if no_data:
            click.echo(f"{output.shown}: manifest of {len(output.manifest['relations'])} "
                       f"relations, {_manifest_rows(output.manifest):,} rows "
                       f"({_described(output)}); the data not read (--no-data)")
            continue
        if catalog is None:
            from leo_synth.engine.generate import load_checked_catalog, spec_digest
            from leo_synth.spec.loader import default_schema_dir

            catalog = load_checked_catalog()
            specs = spec_digest(default_schema_dir())
        intact &= _check_data(output, catalog, specs, quiet)
    manifests = [output.manifest for output in opened]
    parts = [output for output in opened if output.part is not None]
    # (a part alone is checked as it is, e.g. on the machine that made it; with other parts,
    # or to be compared with a whole run, the parts must make the whole run)
    if parts and (len(opened) > 1 or reference is not None):
        whole, problems = combine_parts(opened)
        for problem in problems:
            click.echo(f"parts: {problem}")
        if problems:
            intact = False
            manifests = []
        else:
            settings = whole["leo_synth"]
            click.echo(f"the {len(parts)} parts make the whole run: {len(whole['relations'])} "
                       f"relations, {_manifest_rows(whole):,} rows for "
                       f"{settings.get('persons', 0):,} persons (seed {settings.get('seed')})")
            manifests = [whole]
    if reference is not None:
        for manifest in manifests:
            differences = compare_manifests(manifest, reference.manifest, reference.shown)
            for difference in differences:
                click.echo(f"against: {difference}")
            if differences:
                intact = False
                click.echo(f"against: {len(differences)} relation(s) differ from "
                           f"{reference.shown}")
            else:
                click.echo(f"against: every relation's rows and checksum equal "
                           f"{reference.shown}'s")
    if not intact:
        sys.exit(EXIT_DIFFERS)
