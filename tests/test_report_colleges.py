"""KS4 destinations by institution: sixth-form and FE colleges told apart from the extract's
own columns (KS5 school type, NCCIS activity), as a researcher would."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from leo_synth.report.registry import load_all, run
from leo_synth.report.source import open_sqlite

KS5 = "KS5Student_2002_to_2021"
NCCIS = "nccis_2011_to_2021"
NO_SFC_KS5 = (f'UPDATE "{KS5}" SET KS5_NEW_TYPE = 7, KS5_FETYPE = 3 '
              "WHERE KS5_NEW_TYPE = 6 OR KS5_FETYPE = 5")
NO_SFC_NCCIS = (f"UPDATE {NCCIS} SET NCCIS_Current_Activity_Code = 230 "
                "WHERE NCCIS_Current_Activity_Code = 220")


def _counts(path: Path, year: int) -> tuple[int, int]:
    """Leavers of KS4 ``year`` counted at a sixth-form college and at an FE college."""
    load_all()
    ws = open_sqlite(path)
    try:
        out = []
        for category in ("sixth_form_college", "fe_college"):
            est = run(ws, "ks4_destination_share", {"year": year, "category": category})
            out.append(round((est.value or 0.0) * est.n))
        return out[0], out[1]
    finally:
        ws.close()


def _copy(src: Path, dst: Path, *updates: str) -> Path:
    shutil.copy(src, dst)
    with sqlite3.connect(dst) as db:
        for sql in updates:
            db.execute(sql)
    return dst


def test_colleges_are_told_apart_by_ks5_type_and_nccis_activity(small_sqlite,
                                                                 tmp_path: Path) -> None:
    src = small_sqlite[0]
    with sqlite3.connect(src) as db:
        # the KS4 year whose leavers have the most sixth-form college KS5 rows (KS5 two years on)
        (ks5_year,) = db.execute(
            f'SELECT KS5_ACADYR FROM "{KS5}" WHERE KS5_NEW_TYPE = 6 AND KS5_FETYPE = 5 '
            "AND KS5_ACADYR BETWEEN '2012' AND '2020' "
            "GROUP BY KS5_ACADYR ORDER BY COUNT(*) DESC, KS5_ACADYR LIMIT 1").fetchone()
    year = int(ks5_year[:4]) - 2
    sfc, fe = _counts(src, year)
    assert sfc > 0 and fe > 0
    # only the KS5 rows say sixth-form college: their students still count there
    ks5_only = _counts(_copy(src, tmp_path / "ks5.sqlite", NO_SFC_NCCIS), year)
    assert 0 < ks5_only[0] <= sfc and sum(ks5_only) == sfc + fe
    # only NCCIS says so (activity 220): those leavers count there
    nccis_only = _counts(_copy(src, tmp_path / "nccis.sqlite", NO_SFC_KS5), year)
    assert 0 < nccis_only[0] <= sfc and sum(nccis_only) == sfc + fe
    # neither: every college leaver is at an FE college
    assert _counts(_copy(src, tmp_path / "none.sqlite", NO_SFC_KS5, NO_SFC_NCCIS),
                   year) == (0, sfc + fe)


@pytest.mark.parametrize("category", ["sixth_form_college", "fe_college"])
def test_college_targets_are_computed(category: str) -> None:
    from leo_synth.report.command import default_targets
    from leo_synth.report.targets import load_targets

    ids = {t.id: t for t in load_targets(default_targets()).targets}
    target = ids[f"ks4_dest_{category}_2014"]
    assert target.status is None
    assert [m.params.get("category") for m in target.metric.leaves()] == [category]
