"""``leo-synth check-output FILE.csv``: would the table be released from the SRS?"""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_REFUSED = 1


@click.command("check-output")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=False))
@click.option("--rules", "rules_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Rules in ACRO's YAML format (default: config/output_rules.yaml over "
                   "ACRO's defaults).")
def check_output(files: tuple[Path, ...], rules_path: Path | None) -> None:
    """Check output tables (CSV) as an SRS output checker would, before they leave the SRS.

    Minimum persons per cell, zeros, N-K and p-ratio dominance (ACRO's rules and YAML
    configuration), rounding, and secondary disclosure by differencing of totals. Each cell
    that would be refused is listed with the rule and why. Exit status 1 when anything
    would be refused, 0 when every table is clean.

        leo-synth check-output results/ks4_by_fsm.csv

        leo-synth check-output table.csv --rules my_tre_acro.yaml

    A table is either long (label columns and a count column: count, n, persons...; add sum,
    max and top2 columns for dominance) or a crosstab of counts (row labels first; rows or
    columns named Total or All are margins); c, *, x, .. or blank mark suppressed cells.
    """
    from leo_synth.output_check.checks import check_table
    from leo_synth.output_check.rules import load_rules
    from leo_synth.output_check.table import read_table

    rules = load_rules(rules_path)
    tables = [read_table(path) for path in files]  # every input read before any verdict
    click.echo(f"rules ({rules.source}): {rules.describe()}")
    refused_any = False
    for table in tables:
        findings = check_table(table, rules)
        refused = [f for f in findings if f.status == "refused"]
        shown = len({f.cell for f in refused})
        click.echo(f"\n{table.path}: {table.layout} table, {len(table.cells)} cells "
                   f"({', '.join(table.dimensions)})")
        for f in findings:
            click.echo(f"  {f.status.upper():<8} {f.cell}: {f.rule}: {f.reason}")
        if refused:
            refused_any = True
            rules_hit = sorted({f.rule for f in refused})
            click.echo(f"  => would be refused: {shown} of {len(table.cells)} cells fail "
                       f"({', '.join(rules_hit)})")
        else:
            click.echo(f"  => clean: every cell passes"
                       f"{' (see the review notes)' if findings else ''}")
    if refused_any:
        sys.exit(EXIT_REFUSED)
