"""Legacy, invalid and non-numeric codes (``leo_schema.md`` 4.3 items 18 and 19)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from leo_synth.quirks.duplicates import CENSUS
from leo_synth.quirks.model import QuirkRun, Target, quirk

LEGACY_GENDER = {"M": "B", "F": "G"}
"""The census's old boy/girl codes for male/female."""


@quirk("census_legacy_gender", 18, "the pupil's gender in the old codes B (boy) and G (girl) "
       "instead of M and F", (CENSUS,))
def census_legacy_gender(run: QuirkRun) -> None:
    col = run.column("Gender_[term][yy]")
    if col is None:
        return
    rows = run.pick(lambda: run.among(col.name, list(LEGACY_GENDER)))
    if not len(rows):
        return
    run.set_values(col.name, rows, pa.array([LEGACY_GENDER[v]
                                             for v in run.values_at(col.name, rows)]))


LEGACY_SEN = {"K": ("A", "P"), "E": ("S",)}
"""SEN provision codes withdrawn in 2014: SEN support was School Action (A) or Action Plus (P),
an EHC plan a Statement (S)."""
LAST_LEGACY_YEAR = {"K": 2014, "E": 2017}
"""The last academic year (start) the code list still allows each code's legacy codes."""


@quirk("census_legacy_sen", 18, "a withdrawn SEN provision code after its last valid year: "
       "A or P for SEN support after 2014/15, S for an EHC plan after 2017/18", (CENSUS,))
def census_legacy_sen(run: QuirkRun) -> None:
    col = run.column("SENprovision_[term][yy]")
    if col is None or run.relation.year is None:
        return
    late = [code for code, last in LAST_LEGACY_YEAR.items() if run.relation.year > last]
    rows = run.pick(lambda: run.among(col.name, late))
    if not len(rows):  # (the draw skipped is the last of this quirk's own stream)
        return
    support = np.array(LEGACY_SEN["K"])[run.rng.integers(0, 2, len(rows))]
    picked = np.array(run.values_at(col.name, rows), dtype=object)
    legacy = np.where(picked == "E", LEGACY_SEN["E"][0], support)
    run.set_values(col.name, rows, pa.array(legacy.tolist(), pa.string()))


@quirk("census_invalid_ethnicity", 18, "an invalid major ethnic group: the minor group's code "
       "keyed into EthnicGroupMajor", (CENSUS,))
def census_invalid_ethnicity(run: QuirkRun) -> None:
    major, minor = run.column("EthnicGroupMajor_[term][yy]"), run.column(
        "EthnicGroupMinor_[term][yy]")
    if major is None or minor is None:
        return

    def miskeyable() -> np.ndarray:
        """Rows with both groups, the minor's code not the major's."""
        majors, minors = run.values(major.name, ""), run.values(minor.name, "")
        return (majors != "") & (minors != "") & (majors != minors)

    rows = run.pick(miskeyable)
    run.set_values(major.name, rows, pa.array(run.values_at(minor.name, rows), pa.string()))


HESA = Target("hesa", ("HE_PUPILMATCHINGREFANONYMOUS", "HE_INSTID_ANON", "HE_XINSTID01__ANON",
                       "HE_COMDATE"))
LAST_TEXT_YEARPRG_YEAR = 2006
"""HESA years (academic year start) in which YEARPRG was keyed as text: the record before the
2007/08 redesign (``HE_DATELEFT``, ``HE_INSTID_ANON``)."""
YEARPRG_TEXT = ("X", "XX", "NK")
"""Non-numeric year-of-programme markers. Assumption: the sources say only "non-numeric"."""


@quirk("hesa_yearprg_text", 19, "a non-numeric year of programme (X, XX or NK) in HESA years "
       "up to 2006/07", (HESA,))
def hesa_yearprg_text(run: QuirkRun) -> None:
    col = run.column("HE_YEARPRG")
    if col is None or run.relation.year is None or run.relation.year > LAST_TEXT_YEARPRG_YEAR:
        return
    rows = run.pick(lambda: ~run.is_null(col.name) & run.keyed())
    if not len(rows):
        return
    text = np.array(YEARPRG_TEXT)[run.rng.integers(0, len(YEARPRG_TEXT), len(rows))]
    run.set_values(col.name, rows, pa.array(text.tolist(), pa.string()))
