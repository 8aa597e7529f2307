"""Spells whose dates contradict each other (``leo_schema.md`` 4.3 item 10)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from leo_synth.quirks.model import QuirkRun, Target, quirk

BENEFITS = Target("leo_benefit", ("EduKey", "StartDate", "Benefit_type"))
OPEN_END = np.datetime64("9999-12-31")


@quirk("benefit_end_before_start", 10, "a benefit spell ending before it starts (FFT drop "
       "spells with start_date >= end_date)", (BENEFITS,))
def benefit_end_before_start(run: QuirkRun) -> None:
    start, end = run.column("StartDate"), run.column("EndDate")
    if start is None or end is None:
        return
    ends = run.table.column(end.name)
    closed = np.asarray(pc.fill_null(pc.not_equal(ends, pa.scalar(OPEN_END.astype(object),
                                                                 pa.date32())), False))
    rows = run.pick(closed)
    starts = run.table.column(start.name).to_numpy().astype("datetime64[D]")[rows]
    days = run.rng.integers(1, 366, len(rows)).astype("timedelta64[D]")
    run.set_values(end.name, rows, pa.array(starts - days, pa.date32()))
