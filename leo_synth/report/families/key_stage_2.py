"""KS2 targets: the national shares of pupils reaching level 4 (to 2014/15) and, from 2015/16,
the expected standard (scaled score 100, writing teacher assessment EXS or GDS).

Population: every row of the year's KS2 pupil view (``KS2Pupil_1996_to_2016``), one per pupil
at the end of Year 6, as the national statistics count eligible pupils (every simulated pupil
sat the tests, so the eligible pupils are all of them).
"""

from __future__ import annotations

from leo_synth.report.registry import Params, definition
from leo_synth.report.source import Workspace
from leo_synth.report.stats import Estimate, rate
from leo_synth.spec.years import academic_year_label

TABLE = "KS2Pupil_1996_to_2016"
MEASURES = {
    "english_level4": ("KS2_ENGLEV >= 4", ("KS2_ENGLEV",)),
    "maths_level4": ("KS2_MATLEV >= 4", ("KS2_MATLEV",)),
    "reading_level4": ("KS2_READLEV >= 4", ("KS2_READLEV",)),
    "maths_level5": ("KS2_MATLEV >= 5", ("KS2_MATLEV",)),
    "reading_expected": ("KS2_READSCORE >= 100", ("KS2_READSCORE",)),
    "maths_expected": ("KS2_MATSCORE >= 100", ("KS2_MATSCORE",)),
    "gps_expected": ("KS2_GPSSCORE >= 100", ("KS2_GPSSCORE",)),
    "writing_expected": ("KS2_WRITTAOUTCOME IN ('EXS', 'GDS')", ("KS2_WRITTAOUTCOME",)),
    "rwm_expected": ("KS2_RWMEXP = 1", ("KS2_RWMEXP",)),
    "reading_high": ("KS2_READSCORE >= 110", ("KS2_READSCORE",)),
}
"""Each measure: the condition a pupil meets and the columns it reads."""

RATE_SQL = """
SELECT SUM(CASE WHEN {condition} THEN 1 ELSE 0 END), COUNT(*)
FROM "{table}"
WHERE KS2_ACADYR = :year
"""


def _requires(p: Params) -> list[str]:
    return [f"{TABLE}.{column}" for column in ("KS2_ACADYR", *MEASURES[p["measure"]][1])]


@definition("ks2_rate", requires=_requires)
def ks2_rate(ws: Workspace, p: Params) -> Estimate:
    """Share of the year's KS2 pupils meeting ``measure`` (see ``MEASURES``)."""
    condition = MEASURES[p["measure"]][0]
    sql = RATE_SQL.format(condition=condition, table=TABLE)
    num, den = ws.query(sql, {"year": academic_year_label(p["year"])})[0]
    return rate(num, den)
