"""``leo-synth tables NAME``: one relation described in plain text, from the dictionary model.

The same facts the data dictionary gives (database, table, grain, years, primary key, and per
column its type, years populated and description), for the relation a researcher is about to
query.
"""

from __future__ import annotations

from leo_synth.dictionary.model import Dictionary, RelationDoc
from leo_synth.errors import LeoSynthError, did_you_mean


def find_relation(d: Dictionary, name: str) -> RelationDoc:
    """A relation by name (any case, as SQL in the SRS); a table name lists its relations."""
    relations = list(d.relations)
    for rel in relations:
        if rel.name.lower() == name.lower() or \
                f"{rel.database}.{rel.name}".lower() == name.lower():
            return rel
    of_table = [rel.name for rel in relations if rel.template.lower() == name.lower()]
    if len(of_table) == 1:
        return next(rel for rel in relations if rel.name == of_table[0])
    if of_table:
        shown = ", ".join(of_table[:6]) + (f" ... ({len(of_table)} in all)"
                                           if len(of_table) > 6 else "")
        raise LeoSynthError(f"{name!r} is a table of {len(of_table)} relations; name one: "
                            f"{shown}")
    raise LeoSynthError(f"no relation {name!r} in iteration {d.iteration}"
                        f"{did_you_mean(name, [rel.name for rel in relations])}; "
                        f"'leo-synth tables' lists them")


def describe_relation(rel: RelationDoc) -> str:
    """The relation's facts, then one line per column: name, type, years, description."""
    lines = [f"{rel.database}.{rel.name}",
             f"  table:        {rel.template} ({rel.family})",
             f"  description:  {rel.description}",
             f"  grain:        {rel.grain}"]
    if rel.years_label:
        lines.append(f"  years:        {rel.years_label}")
    if rel.primary_key:
        lines.append(f"  primary key:  {', '.join(rel.primary_key)}")
    rows = [(col.name, col.column.type + ("" if col.column.nullable else " not null"),
             col.years_label or "-", " ".join(col.column.description.split()))
            for col in rel.columns]
    headers = ("column", "type", "years", "description")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers[:3])]
    lines += ["", f"{len(rows)} columns:", ""]
    for row in [headers, *rows]:
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=False)) +
                     "  " + row[3])
    return "\n".join(lines)
