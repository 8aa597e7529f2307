"""The answer key relation ``_leo_synth_defects``: its rows come from the quirk pass
(:mod:`leo_synth.quirks`), not from the life course."""

from __future__ import annotations

from leo_synth.relations.registry import builder
from leo_synth.relations.values import Masked
from leo_synth.simulation.frame import Frame

LEDGER_ATTRIBUTES = ("relation", "row_key", "column_name", "quirk", "action", "clean_value")


def ledger_frame(relation: list[str], row_key: list[str], column: list[str | None],
                 quirk: list[str], action: list[str], clean_value: list[str | None]) -> Frame:
    """The ledger's attribute frame (NULL where a column or clean value is None)."""
    def masked(values: list[str | None]) -> Masked:
        return Masked([v or "" for v in values], [v is None for v in values])

    return Frame({"relation": relation, "row_key": row_key, "column_name": masked(column),
                  "quirk": quirk, "action": action, "clean_value": masked(clean_value)})


@builder("quirks.ledger", provides=LEDGER_ATTRIBUTES)
def ledger(life: object, relation: object) -> Frame:
    """No defects of its own: the block's defects are added by the quirk pass."""
    return ledger_frame([], [], [], [], [], [])
