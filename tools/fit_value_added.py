"""Fit the yearly offsets of the KS1-KS2 and KS2-KS3 value added lines of config/parameters.yaml
(``key_stages.ks2.va_offset``, ``key_stages.ks3.va_offset``), and the 2016 progress lines'
offsets by subject (``key_stages.ks2.progress_offset``): each year's mean value added
residual over the pupils with prior attainment, added to the offset the data was made with, so
that the year's value added is centred (VA 0, CVA 1000), as DfE's lines, fitted on each
year's own pupils, make it. The median method's VASCOREP (2002/03-2005/06, points by level on
a grid of medians) is not a mean residual; it follows the same offsets, and a year with no
other score keeps the offset it has. Run after changing
the KS1, KS2 or KS3 model:

    leo-synth generate --persons 200000 --request tools/value_added_request.yaml \\
        --workers 2 --if-exists replace --out /tmp/va.sqlite
    .venv/bin/python tools/fit_value_added.py /tmp/va.sqlite [more runs, other seeds]

and put the printed tables in place of the two ``va_offset`` entries and of
``progress_offset`` (several runs are averaged: a year's residual moves by about 0.1 point
between seeds at 200,000 persons).
"""

from __future__ import annotations

import sqlite3
import sys

import numpy as np

from leo_synth.simulation.parameters import load_parameters
from leo_synth.simulation.series import interpolate

SCORES = {
    "ks2": ("KS2Pupil_1996_to_2016", "KS2_ACADYR",
            {"KS2_CVASCORE": 1000, "KS2_VAAPSSCORE": 0,
             "KS2_VAENGSCORE": 0, "KS2_VAMATSCORE": 0, "KS2_VAREADSCORE": 0,
             "KS2_VAOSCORE": 0}),
    "ks3": ("KS3Pupil_1998_to_2013", "KS3_ACADYR", {"KS3_CVASCORE": 1000}),
}
"""Per stage: the pupil table, its year column and the value added scores with their centres."""

PROGRESS = {"read": "KS2_READPROGSCORE", "writ": "KS2_WRITPROGSCORE", "mat": "KS2_MATPROGSCORE"}
"""The 2016 progress scores (centred on 0) of ``key_stages.ks2.progress_offset``."""


def residuals(db: sqlite3.Connection, table: str, year_column: str,
              scores: dict[str, int]) -> dict[int, float]:
    """Each year's mean residual (score minus centre), over the scores the year has."""
    by_year: dict[int, list[float]] = {}
    for column, centre in scores.items():
        rows = db.execute(f'SELECT {year_column}, AVG("{column}") - {centre} FROM "{table}" '
                          f'WHERE "{column}" IS NOT NULL GROUP BY 1').fetchall()
        for label, mean in rows:
            by_year.setdefault(int(label[:4]), []).append(mean)
    return {year: float(np.mean(means)) for year, means in sorted(by_year.items())}


def main(paths: list[str]) -> None:
    params = load_parameters(None)
    dbs = [sqlite3.connect(path) for path in paths]
    for stage, (table, year_column, scores) in SCORES.items():
        runs = [residuals(db, table, year_column, scores) for db in dbs]
        mean = {year: float(np.mean([run[year] for run in runs])) for year in runs[0]}
        now = interpolate(params[f"key_stages.{stage}.va_offset"], np.array(list(mean)))
        fitted = {year: round(float(base + m), 2) for (year, m), base in zip(mean.items(), now,
                                                                               strict=True)}
        # years without a residual (the median method's, 2002/03-2004/05) keep their offsets
        kept = {int(y): v for y, v in params[f"key_stages.{stage}.va_offset"].items()}
        fitted = dict(sorted({**kept, **fitted}.items()))
        print(f"{stage}.va_offset: {{" + ", ".join(f"{y}: {v}" for y, v in fitted.items()) + "}")
    now_progress = params["key_stages.ks2.progress_offset"]
    progress = {short: round(float(now_progress[short]) + float(np.mean([
        db.execute(f'SELECT AVG("{column}") FROM "{SCORES["ks2"][0]}"').fetchone()[0]
        for db in dbs])), 2) for short, column in PROGRESS.items()}
    print("ks2.progress_offset: {" + ", ".join(f"{k}: {v}" for k, v in progress.items()) + "}")


if __name__ == "__main__":
    main(sys.argv[1:])
