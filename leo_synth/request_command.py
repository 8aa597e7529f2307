"""The ``request-template`` command: write a variable request listing every table and variable.

Register it on the main group with ``main.add_command(request_template)``.
"""

from __future__ import annotations

from pathlib import Path

import click

from leo_synth.errors import LeoSynthError


@click.command("request-template")
@click.option("--out", "out", required=True,
              help="File to write the template to, or - to print it.")
@click.option("--iteration", type=click.Choice(["1", "2"]), default="2", show_default=True,
              help="Extract iteration whose tables and variables are listed.")
@click.option("--force", is_flag=True, help="Overwrite --out when it exists.")
def request_template(out: str, iteration: str, force: bool) -> None:
    """Write a request file listing every table and variable (it selects everything).

    Edit it as you would tick the variable request form, then pass it to generate:

    \b
        leo-synth request-template --out my_request.yaml
        leo-synth generate --request my_request.yaml --out out/project.sqlite
    """
    from leo_synth.engine.generate import load_checked_catalog
    from leo_synth.request import render_template

    text = render_template(load_checked_catalog(), int(iteration))
    if out == "-":
        click.echo(text, nl=False)
        return
    path = Path(out)
    if path.exists() and not force:
        raise LeoSynthError(f"{path} exists; pass --force to overwrite it")
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise LeoSynthError(f"cannot write {path}: {exc.strerror}") from exc
    click.echo(f"wrote a request template for iteration {iteration} to {path}")
