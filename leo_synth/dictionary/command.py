"""The ``leo-synth dictionary`` command: write the data dictionary in one of four formats."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from leo_synth.dictionary import (
    FORMATS,
    build_dictionary,
    render_csvw,
    render_html,
    render_json,
    render_markdown,
)
from leo_synth.errors import LeoSynthError
from leo_synth.spec.loader import load_catalog

DOCS_COMMAND = ".venv/bin/python -m leo_synth.dictionary --out docs/data_dictionary.md"
"""How to regenerate the checked-in ``docs/data_dictionary.md``."""


def render_outputs(fmt: str, out: str, iteration: int,
                   schema_dir: Path | None = None) -> dict[str, str]:
    """Render the dictionary: a mapping of output path (``-`` for stdout) to text."""
    if fmt not in FORMATS:
        raise LeoSynthError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "csvw" and out == "-":
        raise LeoSynthError("--format csvw writes a CSV and its metadata file; give "
                            "--out PATH (e.g. out/dictionary.csv)")
    if out != "-":
        check_target(out)
    d = build_dictionary(load_catalog(schema_dir), iteration)
    if fmt == "csvw":
        csv_text, metadata = render_csvw(d, Path(out).name)
        return {out: csv_text, out + "-metadata.json": metadata}
    renderer = {"markdown": render_markdown, "html": render_html, "json": render_json}[fmt]
    return {out: renderer(d)}


def check_target(path: str) -> None:
    """Fail early, before any work, when ``path`` cannot be a file to write."""
    target = Path(path)
    if not target.parent.is_dir():
        raise LeoSynthError(f"cannot write {path}: folder {target.parent} does not exist")
    if target.is_dir():
        raise LeoSynthError(f"cannot write {path}: it is a folder")


def write_text(path: str, content: str) -> None:
    """Write a file atomically (a temporary file in the same folder, then a rename)."""
    check_target(path)
    folder = Path(path).parent
    target = Path(path)
    tmp_name = None
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="", dir=folder,
                                         prefix=f".{target.name}.leo-synth-tmp-",
                                         delete=False) as handle:
            tmp_name = handle.name
            handle.write(content)
        os.chmod(tmp_name, 0o666 & ~_umask())  # as any new file: temporary files are 0600
        os.replace(tmp_name, target)
    except OSError as exc:
        if tmp_name is not None and os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise LeoSynthError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _umask() -> int:
    """The process's file-creation mask (reading it means setting it: set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@click.command("dictionary")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="markdown",
              show_default=True, help="Output format.")
@click.option("--out", default="-", show_default=True,
              help="Output file; '-' writes to stdout (markdown, html, json). csvw writes "
                   "PATH and PATH-metadata.json.")
@click.option("--iteration", type=click.Choice(["1", "2"]), default="2", show_default=True,
              help="Extract layout: Iteration 2 or the older Iteration 1 names.")
def dictionary(fmt: str, out: str, iteration: str) -> None:
    """Write a data dictionary of the extract, generated from the specs alone.

    Markdown and HTML are readable documents (overview, keys, a diagram of the id spaces:
    Mermaid source in Markdown, drawn SVG in HTML, one section per table; the HTML page has a
    filter box and an anchor per table, column and relation, and works offline); JSON has
    one object per physical relation; CSVW is a CSV with one row per relation column plus its
    W3C metadata. Examples:

    \b
        leo-synth dictionary --out docs/data_dictionary.md
        leo-synth dictionary --format json --iteration 1 --out out/dictionary_i1.json
        leo-synth dictionary --format csvw --out out/dictionary.csv
    """
    outputs = render_outputs(fmt, out, int(iteration))
    for path, content in outputs.items():
        if path == "-":
            click.echo(content, nl=False)
        else:
            write_text(path, content)
    written = [p for p in outputs if p != "-"]
    if written:
        click.echo(f"wrote {', '.join(written)} ({fmt}, iteration {iteration})", err=True)
