"""Fill classes of the spec columns, counted: how much of the extract follows from the life
course and from other columns, and which independent columns the VRF describes as derived."""

from __future__ import annotations

import re
from collections import Counter

from leo_synth.spec.model import FILL_CLASSES, Catalog, ColumnSpec, fill_class

DERIVED_WORDS = re.compile(
    r"\b(derived|flag|number of|total|point score|achieved|entered|age at|first|last)\b",
    re.IGNORECASE)
"""Words of a VRF description that say a column is computed from others."""


def class_counts(catalog: Catalog) -> dict[str, Counter[str]]:
    """Counts of each fill class per table, in spec order."""
    return {table.name: Counter(fill_class(col)[0] for col in table.columns)
            for table in catalog.tables}


def looks_derived(col: ColumnSpec) -> bool:
    """An independent column whose description reads as derived."""
    return fill_class(col)[0] == "independent" and bool(DERIVED_WORDS.search(col.description))


def independent_share(catalog: Catalog) -> float:
    """Share of all spec columns that are independent draws."""
    total: Counter[str] = Counter()
    for counts in class_counts(catalog).values():
        total.update(counts)
    return total["independent"] / max(sum(total.values()), 1)


def fills_report(catalog: Catalog, flagged: bool = True) -> list[str]:
    """Lines of ``leo-synth tables --fills``: counts per class overall and per table, then the
    independent columns whose description reads as derived."""
    per_table = class_counts(catalog)
    total: Counter[str] = Counter()
    for counts in per_table.values():
        total.update(counts)
    width = max(len(name) for name in per_table)
    head = f"{'table':<{width}}  " + "  ".join(f"{c:>11}" for c in FILL_CLASSES) + "  columns"
    lines = [head]
    for name, counts in per_table.items():
        lines.append(f"{name:<{width}}  " + "  ".join(f"{counts[c]:>11,}" for c in FILL_CLASSES)
                     + f"  {sum(counts.values()):>7,}")
    n = sum(total.values())
    lines.append(f"{'all tables':<{width}}  " + "  ".join(f"{total[c]:>11,}" for c in FILL_CLASSES)
                 + f"  {n:>7,}")
    lines.append(f"{'share':<{width}}  " + "  ".join(f"{total[c] / n:>11.1%}"
                                                     for c in FILL_CLASSES))
    if flagged:
        suspects = [(table.name, col.name) for table in catalog.tables for col in table.columns
                    if looks_derived(col)]
        lines.append(f"{len(suspects):,} independent columns whose description reads as derived"
                     + (":" if suspects else ""))
        lines.extend(f"  {table}.{column}" for table, column in suspects)
    return lines
