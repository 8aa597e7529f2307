"""``python -m leo_synth.dictionary``: the dictionary command on its own.

Regenerate the checked-in docs with::

    .venv/bin/python -m leo_synth.dictionary --out docs/data_dictionary.md
"""

from __future__ import annotations

import sys

import click

from leo_synth.dictionary.command import dictionary
from leo_synth.errors import LeoSynthError


def main() -> None:
    """Run the command, turning user errors into one line on stderr and exit status 2."""
    try:
        code = dictionary.main(prog_name="python -m leo_synth.dictionary",
                               standalone_mode=False)
    except click.ClickException as exc:
        _fail(exc.format_message())
    except LeoSynthError as exc:
        _fail(str(exc))
    sys.exit(code if isinstance(code, int) else 0)


def _fail(message: str) -> None:
    """One headline on stderr (spec problem lists follow, one per line), exit status 2."""
    lines = message.strip().splitlines() or ["failed"]
    click.echo(f"leo-synth: error: {lines[0]}", err=True)
    for line in lines[1:]:
        click.echo(f"leo-synth: {line.strip()}", err=True)
    sys.exit(2)


if __name__ == "__main__":
    main()
