"""The answer key relation ``_leo_synth_defects``: its rows come from the quirk pass
(:mod:`leo_synth.quirks`), not from the life course."""

from __future__ import annotations

import numpy as np

from leo_synth.relations.registry import builder
from leo_synth.relations.values import Masked
from leo_synth.simulation.frame import Frame

LEDGER_ATTRIBUTES = ("relation", "row_key", "column_name", "quirk", "action", "clean_value")


def ledger_frame(relation: list[str], row_key: list[str], column: list[str | None],
                 quirk: list[str], action: list[str], clean_value: list[str | None]) -> Frame:
    """The ledger's attribute frame (NULL where a column or clean value is None).

    The text stays Python strings (object arrays): Arrow reads them as they are, where numpy
    text would be made (and padded to the longest value) first."""
    def text(values: list[str | None]) -> np.ndarray:
        array = np.empty(len(values), dtype=object)
        array[:] = values
        return array

    def masked(values: list[str | None]) -> Masked:
        array = text(values)
        return Masked(array, np.equal(array, None))

    return Frame({"relation": text(relation), "row_key": text(row_key),
                  "column_name": masked(column), "quirk": text(quirk), "action": text(action),
                  "clean_value": masked(clean_value)})


@builder("quirks.ledger", provides=LEDGER_ATTRIBUTES)
def ledger(life: object, relation: object) -> Frame:
    """No defects of its own: the block's defects are added by the quirk pass."""
    return ledger_frame([], [], [], [], [], [])
