"""Legacy and invalid codes (``leo_schema.md`` 4.3 item 18)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from leo_synth.quirks.duplicates import CENSUS
from leo_synth.quirks.model import QuirkRun, quirk

LEGACY_GENDER = {"M": "B", "F": "G"}
"""The census's old boy/girl codes for male/female."""


@quirk("census_legacy_gender", 18, "the pupil's gender in the old codes B (boy) and G (girl) "
       "instead of M and F", (CENSUS,))
def census_legacy_gender(run: QuirkRun) -> None:
    col = run.column("Gender_[term][yy]")
    if col is None:
        return
    values = np.asarray(run.table.column(col.name).to_pandas().fillna(""), dtype=object)
    rows = run.pick(np.isin(values, list(LEGACY_GENDER)))
    run.set_values(col.name, rows, pa.array([LEGACY_GENDER[v] for v in values[rows]]))
