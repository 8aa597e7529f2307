"""The checks: ACRO's own rule evaluation for what it covers, leo-synth's beside it.

ACRO (``acro.sdcchecks.SDCChecks``) evaluates its rules on *evidence*: per-cell tables of
counts, sums and largest contributions that it normally computes from microdata. Here that
evidence is read from the finished table and handed to the same methods, so the threshold,
zero, N-K and p-ratio verdicts are ACRO's, under the same YAML configuration.

Two checks are added beside ACRO because it has no rule for them on a finished table:

* rounding: ACRO can *apply* rounding to a table it makes (its 'round' mitigation), but does
  not check that a table's counts are rounded;
* differencing: ACRO only flags that linked tables need a manual review
  (``PresenceOfLinkedTableCheck``); in a finished table with margins, a cell that is
  suppressed (or must be) is recoverable when it is the only unknown cell beside a published
  total, and a total exceeding its shown cells by fewer than the threshold discloses that
  small unshown group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from leo_synth.output_check.rules import Rules
from leo_synth.output_check.table import Cell, Table


@dataclass(frozen=True)
class Finding:
    """A cell that would be refused (``refused``) or needs an output checker's look
    (``review``): the rule and why."""

    status: str
    cell: str
    rule: str
    reason: str


class _FinishedTable:
    """What ACRO's checks ask of their ``model`` argument for a table (its type, and an
    all-false mask of its shape)."""

    model_type = "table"

    def __init__(self, index: pd.Index) -> None:
        self.index = index

    def get_allfalse_table(self) -> pd.DataFrame:
        return pd.DataFrame({"cell": False}, index=self.index)


def _frame(values: list[Any], index: pd.Index) -> pd.DataFrame:
    return pd.DataFrame({"cell": [float("nan") if v is None else float(v) for v in values]},
                        index=index)


def _acro_masks(cells: list[Cell], rules: Rules) -> dict[str, list[bool]]:
    """ACRO's verdict per check and cell (True: fails)."""
    from acro.sdcchecks import SDCChecks, SDCEvidence

    index = pd.RangeIndex(len(cells))
    model = _FinishedTable(index)
    checks = SDCChecks(dict(rules.values))
    counts = _frame([c.count for c in cells], index)
    evidence = SDCEvidence(interim_tables={"count_table": counts})
    out = {}
    for name, method in (("threshold", checks.check_min_threshold),
                         ("zero", checks.check_presence_of_zero)):
        _, _, mask = method("table", evidence, model)
        out[name] = [bool(v) for v in mask["cell"]]
    magnitude = [c for c in cells if c.total is not None and c.top1 is not None]
    if magnitude:
        n = rules["safe_nk_n"]
        top_n = [c.top1 if n == 1 else c.top2_sum if n == 2 else c.topn_sum for c in cells]
        evidence.interim_tables.update({
            "sum": _frame([c.total for c in cells], index),
            "max": _frame([c.top1 for c in cells], index),
            "top_2_sum": _frame([c.top2_sum for c in cells], index),
            "top_n_sum": _frame(top_n, index),
            "num_negative": _frame([0] * len(cells), index),
        })
        for name, method, needs in (("N-K dominance", checks.check_nk_dominance, top_n),
                                    ("p-ratio dominance", checks.check_ppercent_dominance,
                                     [c.top2_sum for c in cells])):
            _, _, mask = method("table", evidence, model)
            known = [v is not None and c.total is not None for v, c in zip(needs, cells,
                                                                            strict=True)]
            out[name] = [bool(m) and k for m, k in
                         zip(mask["cell"], known, strict=True)]
    return out


def _why(rule: str, cell: Cell, rules: Rules) -> str:
    if rule == "threshold":
        return (f"{cell.count:g} persons, fewer than {rules['safe_threshold']} "
                f"(ACRO MinimumThresholdCheck)")
    if rule == "zero":
        return "a zero count discloses that nobody in the group has it (ACRO PresenceOfZeroCheck)"
    if rule == "N-K dominance":
        n = rules["safe_nk_n"]
        top = cell.top1 if n == 1 else cell.top2_sum if n == 2 else cell.topn_sum
        return (f"the {n} largest contributors make {top / cell.total:.0%} of the total "
                f"{cell.total:g}, at least {rules['safe_nk_k']:.0%} (ACRO NKCheck)")
    rest = cell.total - cell.top2_sum  # type: ignore[operator]
    return (f"the total minus the two largest contributors ({rest:g}) is under "
            f"{rules['safe_pratio_p']:.0%} of the largest ({cell.top1:g}) (ACRO PPercentCheck)")


def _rounding(cells: list[Cell], rules: Rules) -> list[Finding]:
    base = rules["safe_round_base"]
    return [Finding("refused", c.name, "rounding",
                    f"{c.count:g} is not a multiple of {base} (round counts to the nearest "
                    f"{base})")
            for c in cells if c.count is not None and c.count % base != 0]


def _differencing(table: Table, failing: set[int], rules: Rules) -> list[Finding]:
    """Cells recoverable by subtracting shown cells from a published total."""
    threshold = rules["safe_threshold"]
    findings = []
    position = {id(c): i for i, c in enumerate(table.cells)}
    for dim in table.dimensions:
        groups: dict[tuple, list[Cell]] = {}
        margins: dict[tuple, Cell] = {}
        for cell in table.cells:
            rest = tuple((d, v) for d, v in cell.labels.items() if d != dim)
            if cell.is_margin(dim):
                margins[rest] = cell
            else:
                groups.setdefault(rest, []).append(cell)
        for rest, margin in margins.items():
            parts = groups.get(rest, [])
            if margin.count is None or position[id(margin)] in failing or not parts:
                continue
            unknown = [c for c in parts if c.count is None or position[id(c)] in failing]
            known_sum = sum(c.count for c in parts if c not in unknown)  # type: ignore[misc]
            if len(unknown) == 1:
                hidden = unknown[0]
                value = margin.count - known_sum
                findings.append(Finding(
                    "refused", hidden.name, "differencing",
                    f"the only {'suppressed' if hidden.count is None else 'failing'} cell "
                    f"beside the published total {margin.name} = {margin.count:g}: it is "
                    f"recovered as total minus the other cells = {value:g}; suppress a second "
                    f"cell over {dim} too, or drop the total"))
            elif not unknown and 0 < margin.count - known_sum < threshold:
                findings.append(Finding(
                    "refused", margin.name, "differencing",
                    f"the total exceeds its {len(parts)} cells over {dim} by "
                    f"{margin.count - known_sum:g}, fewer than {threshold}: an unshown group "
                    f"that small is disclosed by subtraction"))
    return findings


def check_table(table: Table, rules: Rules) -> list[Finding]:
    """Every finding for a table, cell by cell, in table order."""
    masks = _acro_masks(table.cells, rules)
    findings = []
    failing: set[int] = set()
    for rule, mask in masks.items():
        if rule == "zero" and not rules["zeros_are_disclosive"]:
            continue
        for i, (fails, cell) in enumerate(zip(mask, table.cells, strict=True)):
            if not fails or cell.count is None:
                continue
            if rule == "threshold" and cell.count == 0 and rules["zeros_are_disclosive"]:
                continue  # reported once, as a zero (ACRO's threshold check fails it too)
            if rule == "threshold" or rule == "zero":
                failing.add(i)
            findings.append(Finding("refused", cell.name, rule, _why(rule, cell, rules)))
    if rules["rounding_required"]:
        findings += _rounding(table.cells, rules)
    if rules["differencing"]:
        findings += _differencing(table, failing, rules)
    order = {cell.name: i for i, cell in enumerate(table.cells)}
    findings.sort(key=lambda f: order.get(f.cell, len(order)))  # cell by cell, rules in turn
    if table.unchecked and not any(c.top1 is not None for c in table.cells):
        findings.append(Finding(
            "review", "(whole table)", "dominance",
            f"{', '.join(table.unchecked)}: statistics of a magnitude can be dominated by one "
            f"or two persons; add the cell's sum and its largest contributions (sum, max, "
            f"top2 columns) so N-K and p-ratio can be checked"))
    return findings
