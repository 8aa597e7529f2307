"""EYFSP and KS1-KS3 targets: national shares of pupils reaching a level or standard in a year.

EYFSP (``EYFSP_2003_to_2010``): a good level of development (2006/07-2009/10).
KS1 (``KS1_1998_to_2012``): level 2 or above and level 3 or above in reading, writing, maths
and science (teacher assessment, and tests until 2003/04). KS2 (``KS2Pupil_1996_to_2016``):
level 4 (to 2014/15) and, from 2015/16, the expected standard (scaled score 100, writing
teacher assessment EXS or GDS). KS3 (``KS3Pupil_1998_to_2013``): level 5 or above in the
English, maths and science tests (to 2007/08).

Population: every row of the year's view, one per pupil at the end of reception, Year 2, 6
or 9, as the national statistics count eligible pupils (every simulated pupil was assessed,
so the eligible pupils are all of them).
"""

from __future__ import annotations

from leo_synth.report.registry import Params, definition
from leo_synth.report.source import Workspace
from leo_synth.report.stats import Estimate, rate
from leo_synth.spec.years import academic_year_label

KS1_TABLE = "KS1_1998_to_2012"
KS1_MEASURES = {
    f"{subject}_{name}": (f"KS1_{column} IN ({codes})", (f"KS1_{column}",))
    for subject, column in (("reading", "READING"), ("writing", "WRITING"), ("maths", "MATHS"),
                            ("science", "SCIENCE"))
    for name, codes in (("level2", "'2', '2C', '2B', '2A', '3', '4'"), ("level3", "'3', '4'"))
}
"""Each KS1 measure: the condition a pupil meets and the columns it reads (the subject's
outcome, held in every year, where the level flags start in 2006/07: level 2 of any grade or
above, or level 3 or above; science has whole levels)."""

KS2_TABLE = "KS2Pupil_1996_to_2016"
KS2_MEASURES = {
    "english_level4": ("KS2_ENGLEV >= 4", ("KS2_ENGLEV",)),
    "maths_level4": ("KS2_MATLEV >= 4", ("KS2_MATLEV",)),
    "reading_level4": ("KS2_READLEV >= 4", ("KS2_READLEV",)),
    "maths_level5": ("KS2_MATLEV >= 5", ("KS2_MATLEV",)),
    "maths_level6": ("KS2_MATLEV >= 6", ("KS2_MATLEV",)),
    "gps_level6": ("KS2_GPSLEV >= 6", ("KS2_GPSLEV",)),
    "reading_expected": ("KS2_READSCORE >= 100", ("KS2_READSCORE",)),
    "maths_expected": ("KS2_MATSCORE >= 100", ("KS2_MATSCORE",)),
    "gps_expected": ("KS2_GPSSCORE >= 100", ("KS2_GPSSCORE",)),
    "writing_expected": ("KS2_WRITTAOUTCOME IN ('EXS', 'GDS')", ("KS2_WRITTAOUTCOME",)),
    "writing_greater_depth": ("KS2_WRITTAOUTCOME = 'GDS'", ("KS2_WRITTAOUTCOME",)),
    "rwm_expected": ("KS2_RWMEXP = 1", ("KS2_RWMEXP",)),
    "reading_high": ("KS2_READSCORE >= 110", ("KS2_READSCORE",)),
}
"""Each KS2 measure: the condition a pupil meets and the columns it reads."""

KS3_TABLE = "KS3Pupil_1998_to_2013"
KS3_MEASURES = {
    f"{subject}_level5": (f"KS3_{short}LEV >= 5", (f"KS3_{short}LEV",))
    for subject, short in (("english", "ENG"), ("maths", "MAT"), ("science", "SCI"))
}
"""Each KS3 measure: level 5 or above in the subject's test (held to 2007/08)."""

EYFSP_TABLE = "EYFSP_2003_to_2010"
GLD_SCALES = (*(f"FSP_PSE_AS{i}" for i in range(1, 4)), *(f"FSP_CLL_AS{i}" for i in range(1, 5)))
EYFSP_MEASURES = {
    "good_level_of_development": (
        "FSP_EYFSP_TOTAL >= 78 AND " + " AND ".join(f"{c} >= 6" for c in GLD_SCALES),
        ("FSP_EYFSP_TOTAL", *GLD_SCALES)),
}
"""The EYFSP measure: a good level of development, 78 points or more in all and 6 or more in
each personal, social and emotional development and communication, language and literacy
scale (DfE's definition of 2008-2012)."""

STAGES = {"eyfsp": (EYFSP_TABLE, "FSP_ACADYR", EYFSP_MEASURES),
          "ks1": (KS1_TABLE, "KS1_ACADYR", KS1_MEASURES),
          "ks2": (KS2_TABLE, "KS2_ACADYR", KS2_MEASURES),
          "ks3": (KS3_TABLE, "KS3_ACADYR", KS3_MEASURES)}
"""Per stage: the view, its year column and its measures."""

RATE_SQL = """
SELECT SUM(CASE WHEN {condition} THEN 1 ELSE 0 END), COUNT(*)
FROM "{table}"
WHERE {year_column} = :year
"""


def _share(ws: Workspace, stage: str, p: Params) -> Estimate:
    """Share of the stage's pupils in ``year`` meeting ``measure``."""
    table, year_column, measures = STAGES[stage]
    sql = RATE_SQL.format(condition=measures[p["measure"]][0], table=table,
                          year_column=year_column)
    num, den = ws.query(sql, {"year": academic_year_label(p["year"])})[0]
    return rate(num, den)


def _register(stage: str) -> None:
    """Register ``<stage>_rate``: the share of the year's pupils of the stage meeting
    ``measure``, reading the view's year column and the measure's columns."""
    table, year_column, measures = STAGES[stage]

    def requires(p: Params) -> list[str]:
        return [f"{table}.{column}" for column in (year_column, *measures[p["measure"]][1])]

    def compute(ws: Workspace, p: Params) -> Estimate:
        return _share(ws, stage, p)

    compute.__doc__ = (f"Share of the year's {stage.upper()} pupils ({table}) meeting "
                       f"``measure``: {', '.join(measures)}.")
    definition(f"{stage}_rate", requires=requires)(compute)


for _stage in STAGES:
    _register(_stage)
