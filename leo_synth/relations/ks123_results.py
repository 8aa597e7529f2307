"""Key stage 1-3 results behind the pupil and exam tables: levels, test marks split into their
papers, finely graded levels, teacher assessments, the prior key stage's levels and the school
history (mobility).

The KS1, KS2 and KS3 builders (``key_stages.py``) provide these as attributes, and the rules of
``schemas/rules/ks1.yaml``, ``ks2_pupil.yaml``, ``ks2_exam.yaml``, ``ks3_pupil.yaml`` and
``ks3_result.yaml`` derive the flags, point scores and progress measures from them
(``derive_ks123.py``), so a level agrees with its mark, the papers add up to the test mark, the
exam rows agree with the pupil row and the prior attainment is the pupil's own earlier row.
Every draw comes from a stream of its own (``assessment:<stage>:<what>``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from leo_synth.relations.values import Masked
from leo_synth.simulation import key_stages
from leo_synth.simulation.calendar import ymd
from leo_synth.simulation.frame import Frame, sorted_lookup
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.per_block import per_block
from leo_synth.simulation.series import interpolate

# -- levels and marks ----------------------------------------------------------------------------

KS1_CODES = np.array(["W", "1", "2C", "2B", "2A", "3", "4"])
KS1_POINTS = np.array([3, 9, 13, 15, 17, 21, 27])
KS1_WHOLE = np.array([0, 1, 2, 2, 2, 3, 4])
"""KS1 outcomes by index 0..6 (W = working towards level 1), their points and whole levels."""

KS2_BANDS = np.array([0, 19, 46, 79, 95, 101])
"""Lowest mark (out of 100) of KS2 levels 2 to 6, and one past the top: the level thresholds of
the 2000s English and maths tests (both scored out of 100 here)."""
SCIENCE_BANDS = np.array([0, 15, 37, 63, 76, 81])
"""The same for the KS2 science test, scored out of 80 (papers A and B of 40, the VRF's
KS2_SCITOTMRK 0-80): KS2_BANDS' thresholds at four fifths."""
KS2_SUBJECT_BANDS = {"eng": KS2_BANDS, "mat": KS2_BANDS, "sci": SCIENCE_BANDS}
KS3_BANDS = np.array([0, 14, 31, 51, 71, 91, 101])
"""Lowest mark (out of 100) of KS3 levels 3 to 8, and one past the top."""
KS3_BANDS_TO_7 = np.array([0, 14, 31, 51, 71, 101])
"""The same for the English and science tests, whose highest level is 7 (maths reaches 8)."""
READ_BANDS = np.array([0, 11, 20, 37, 50, 51])
"""Lowest reading mark (out of 50) of KS2 reading levels 2 to 6 (set so that reading's shares
stand above English's, as in the national results: at 40,000 persons, level 4 or above 4-6
points and level 5 4-7 points above English's in 2000/01, 2005/06, 2009/10 and 2010/11;
level 6 is never awarded, ``_level_6_by_mark``)."""
READ_WRITE_SPLIT = 0.12
"""Noise of the English mark's split into reading and writing, in marks per paper mark (6 of
50): with the papers' 0.04 the two were one skill, and all three of reading, writing and
maths at the 2016 expected standard stood 3-5 points above the published 53%."""
GPS_BANDS = np.array([0, 10, 26, 44, 63, 71])
"""Lowest GPS mark (out of 70) of KS2 grammar, punctuation and spelling levels 2 to 6."""


def marks_in_bands(score: np.ndarray, bands: np.ndarray, lowest: int) -> np.ndarray:
    """Test marks from a continuous score on the level scale: a score of level k plus a fraction
    lands that fraction of the way through level k's mark band, so the level is the mark's."""
    top = lowest + len(bands) - 2
    level = np.clip(np.floor(score), lowest, top).astype(np.int64)
    low, high = bands[level - lowest], bands[level - lowest + 1] - 1
    position = np.clip(score - level, 0, 0.999)
    return (low + np.floor(position * (high - low + 1))).astype(np.int64)


def level_of_mark(mark: np.ndarray, bands: np.ndarray, lowest: int) -> np.ndarray:
    """The level a test mark earns, by the test's thresholds."""
    return lowest + np.searchsorted(bands[1:-1], mark, side="right")


def fine_level(mark: np.ndarray, bands: np.ndarray, lowest: int) -> np.ndarray:
    """DfE's finely graded level: the level plus the mark's position within the level's band
    (two decimals), e.g. 4.50 half way through level 4."""
    level = level_of_mark(mark, bands, lowest)
    low, high = bands[level - lowest], bands[level - lowest + 1]
    return np.round(level + (mark - low) / (high - low), 2)


def split_mark(total: np.ndarray, maxima: tuple[int, ...], rng: np.random.Generator,
               noise: float = 0.04) -> list[np.ndarray]:
    """A test mark split into its papers' marks (each within 0 and its paper's maximum, shared
    in proportion to the maxima with noise of sd ``noise`` times the paper's maximum); the
    papers add up to the total."""
    remaining = np.asarray(total, dtype=np.int64).copy()
    parts = []
    for i, top in enumerate(maxima[:-1]):
        rest = sum(maxima[i + 1:])
        share = top / (top + rest)
        part = np.rint(remaining * share + rng.normal(0, noise * top, len(remaining)))
        part = np.clip(part, np.maximum(0, remaining - rest), np.minimum(top, remaining))
        parts.append(part.astype(np.int64))
        remaining = remaining - parts[-1]
    parts.append(remaining)
    return parts


def scaled_score(raw: np.ndarray, marks: Sequence[int]) -> np.ndarray:
    """2016 KS2 scaled score (80-120) from a raw mark by the conversion's shape: 80 at no
    marks, then 100, 110 and 120 at the three raw ``marks`` (the expected standard, the high
    score and full marks), linear between."""
    return np.floor(np.interp(raw, [0, *marks], [80, 100, 110, 120])).astype(np.int64)


# -- who was assessed, and their earlier rows ----------------------------------------------------

@per_block
def stage_rows(life: LifeCourse, stage: str) -> Frame:
    """Pupils assessed at a stage (``key_stages.assessed_pupils``), once per block."""
    return key_stages.assessed_pupils(life, stage)


def earlier_row(life: LifeCourse, rows: Frame, stage: str) -> tuple[np.ndarray, np.ndarray]:
    """Index of each pupil's row at an earlier stage, and whether they have one."""
    return sorted_lookup(stage_rows(life, stage)["person"], rows["person"])


def entry_year(life: LifeCourse, rows: Frame) -> np.ndarray:
    """Start year of the academic year the pupil joined the school they are on roll at in the
    row's year (from the census history: a move or a late entry is a later year)."""
    years = life.schooling.pupil_years
    pos, found = life.schooling.rows_in(rows["person"], rows["year"])
    return np.where(found, years["entry_year"][pos] if len(years) else 0, rows["year"])


def entry_date(life: LifeCourse, rows: Frame) -> np.ndarray:
    """The day the pupil joined the school they are on roll at in the row's year (the census's
    ``EntryDate``: 1 September of the entry year, a mover's day within it), 1 September of the
    row's year where the pupil has no census year then."""
    years = life.schooling.pupil_years
    pos, found = life.schooling.rows_in(rows["person"], rows["year"])
    if not len(years):
        return ymd(rows["year"], 9, 1)
    return np.where(found, years["entry_date"][pos], ymd(rows["year"], 9, 1))


# -- KS1 -----------------------------------------------------------------------------------------

KS1_SUBLEVELS = np.array([2.28, 2.64])
"""Where 2B and 2A start on the KS1 level scale (2C from 2): 2B lies low in level 2 because the
published 2B-or-above shares (reading 76%, writing 64%, maths 76% in 2011/12) stand 8-19
points below level 2 or above; 2A takes the upper half of the rest."""


def ks1_indices(rows: Frame) -> dict[str, np.ndarray]:
    """Outcome index (0..6 of ``KS1_CODES``) per subject from its score on the level scale
    (``key_stages.ks1``): W below 1, level 1, 2C, 2B and 2A by ``KS1_SUBLEVELS``, 3, and 4 from
    4 (science is assessed in whole levels: level 2 is 2B's index 3)."""
    out = {}
    for subject, score in key_stages.subject_scores(rows, "ks1").items():
        whole = np.clip(np.floor(score), 0, 4).astype(np.int64)
        sublevel = np.searchsorted(KS1_SUBLEVELS, score, side="right")
        index = np.array([0, 1, 2, 5, 6])[whole] + np.where(whole == 2, sublevel, 0)
        if subject == "science":
            index = np.where(whole == 2, 3, index)
        out[subject] = index
    return out


def ks1_english(read: np.ndarray, writ: np.ndarray) -> np.ndarray:
    """KS1 English outcome index from reading and writing: the highest outcome whose points do
    not exceed the mean of the two subjects' points."""
    mean = (KS1_POINTS[read] + KS1_POINTS[writ]) / 2
    return np.searchsorted(KS1_POINTS, mean, side="right") - 1


@per_block
def ks1_results(life: LifeCourse) -> dict[str, np.ndarray]:
    """The KS1 outcome indices of the block's KS1 pupils, with speaking and listening (a
    teacher assessment in whole levels, drawn around the reading and writing levels)."""
    rows = stage_rows(life, "ks1")
    out = ks1_indices(rows)
    rng = life.ctx.rng("assessment:ks1:speaking")
    english = KS1_WHOLE[ks1_english(out["reading"], out["writing"])]
    shift = np.select([rng.random(len(rows)) < 0.12, rng.random(len(rows)) < 0.1], [1, -1], 0)
    whole = np.clip(english + shift, 0, 4)
    out["speaking"] = np.array([0, 1, 3, 5, 6])[whole]  # whole level as an outcome index
    return out


def value_added_offset(life: LifeCourse, rows: Frame, stage: str) -> np.ndarray:
    """The year's offset of the stage's value added line (``key_stages.<stage>.va_offset``,
    points by start year, fitted by ``tools/fit_value_added.py``): results rose over the years
    while the line from the prior stage stayed, so without it the national value added drifted
    3-6 points above its centre; DfE's lines are each year's own, so value added is centred in
    every year."""
    return interpolate(life.ctx.params[f"key_stages.{stage}.va_offset"], rows["year"])


def _tested(life: LifeCourse, rows: Frame, stage: str
            ) -> tuple[dict[str, np.ndarray], np.random.Generator, np.random.Generator]:
    """A tested stage's English, maths and science scores of its pupils, and the streams of
    its paper splits and teacher assessments."""
    scores = dict(zip(("eng", "mat", "sci"), key_stages.subject_scores(rows, stage).values(),
                      strict=True))
    rng = life.ctx.rng
    return scores, rng(f"assessment:{stage}:papers"), rng(f"assessment:{stage}:ta")


# -- KS2 -----------------------------------------------------------------------------------------

LEVEL_6_MARKS = {"mat": "mattotmrk", "gps": "gpsmrk"}
"""The mark each subject's level 6 is judged on (``key_stages.ks2.level_6_marks``)."""


def _level_6_by_mark(out: dict[str, np.ndarray], year: np.ndarray,
                     marks: Mapping[str, Mapping[int, float]]) -> None:
    """Level 6 only where the year's level 6 mark is reached (``marks``: per subject, the mark
    by start year from the first year of its level 6 test); everywhere else levels above 5
    are made 5 and fine levels cut below 6.

    Level 6 was a test of its own (maths 2011/12-2015/16, GPS from 2012/13), sat by the
    pupils expected to pass, and passed by few: maths 3% in 2011/12 and 7-9% after, GPS 2-4%,
    reading under 1%, where the main test's level 6 band held 14-16% in maths and 12-14% in
    English. English, reading, writing and science have no entry: level 5 at most in every
    year (the extension tests of 1995/96-2001/02, which gave level 6 to very few, are not
    simulated)."""
    for short in ("eng", "mat", "sci", "read", "writ", "gps"):
        table = marks.get(short)
        if table:
            cut = np.where(year >= min(table), interpolate(table, year), np.inf)
            capped = out[LEVEL_6_MARKS[short]] < cut
        else:
            capped = np.ones(len(year), dtype=bool)
        out[f"{short}lev"] = np.where(capped, np.minimum(out[f"{short}lev"], 5),
                                      out[f"{short}lev"])
        if f"{short}fine" in out:
            out[f"{short}fine"] = np.where(capped, np.minimum(out[f"{short}fine"], 5.99),
                                           out[f"{short}fine"])


@per_block
def ks2_results(life: LifeCourse) -> dict[str, np.ndarray]:
    """Levels, marks, papers, fine levels, teacher assessments and KS1 prior attainment of the
    block's KS2 pupils."""
    rows = stage_rows(life, "ks2")
    n = len(rows)
    scores, papers, ta = _tested(life, rows, "ks2")
    out: dict[str, np.ndarray] = {}
    for short, score in scores.items():
        bands = KS2_SUBJECT_BANDS[short]
        mark = marks_in_bands(score, bands, 2)
        out[f"{short}totmrk"] = mark
        out[f"{short}lev"] = level_of_mark(mark, bands, 2)
        out[f"{short}fine"] = fine_level(mark, bands, 2)
    # English: reading (50) and writing (50, of which spelling 7 and handwriting 3), a pupil's
    # two skills apart by more than a paper's chance (READ_WRITE_SPLIT).
    out["readmrk"], out["writmrk"] = split_mark(out["engtotmrk"], (50, 50), papers,
                                                READ_WRITE_SPLIT)
    out["writothmrk"], out["spellmrk"], out["hndwrmrk"] = split_mark(out["writmrk"], (40, 7, 3),
                                                                     papers)
    out["readlev"] = level_of_mark(out["readmrk"], READ_BANDS, 2)
    out["readfine"] = fine_level(out["readmrk"], READ_BANDS, 2)
    out["writlev"] = level_of_mark(2 * out["writmrk"], KS2_BANDS, 2)
    # Maths: papers A and B (40 each) and mental arithmetic (20); science: papers A and B.
    out["mattestamrk"], out["mattestbmrk"], out["matarthmrk"] = split_mark(out["mattotmrk"],
                                                                   (40, 40, 20), papers)
    out["scitestamrk"], out["scitestbmrk"] = split_mark(out["scitotmrk"], (40, 40), papers)
    # Grammar, punctuation and spelling (from 2012/13): a reading of the English attainment.
    gps_score = scores["eng"] + 0.35 * papers.standard_normal(n)
    out["gpsmrk"] = marks_in_bands(gps_score, GPS_BANDS, 2)
    out["gpslev"] = level_of_mark(out["gpsmrk"], GPS_BANDS, 2)
    out["gpsfine"] = fine_level(out["gpsmrk"], GPS_BANDS, 2)
    out["gpspaper1mrk"], out["gpspaper2mrk"] = split_mark(out["gpsmrk"], (50, 20), papers)
    # 2016 maths papers: arithmetic (40), reasoning 2 and 3 (35 each), raw mark out of 110.
    out["mat16mrk"] = np.rint(out["mattotmrk"] * 1.1).astype(np.int64)
    out["matarithmrk"], out["matpaper2mrk"], out["matpaper3mrk"] = split_mark(out["mat16mrk"],
                                                                      (40, 35, 35), papers)
    _level_6_by_mark(out, rows["year"], life.ctx.params["key_stages.ks2.level_6_marks"])
    # Scaled scores from the marks the 2016 conversion sets for 100, 110 and 120.
    conversion = life.ctx.params["key_stages.ks2_2016_scores"]
    out["readscore"] = scaled_score(out["readmrk"], conversion["read"])
    out["matscore"] = scaled_score(out["mat16mrk"], conversion["mat"])
    out["gpsscore"] = scaled_score(out["gpsmrk"], conversion["gps"])
    # Teacher assessments: the test level, a level above or below now and then; 2016 writing
    # (no test, judged against the interim framework) from the writing mark's standard.
    judged = {"writ": _writing_2016(out["writmrk"], out["writlev"], rows["year"],
                                    life.ctx.params["key_stages.ks2_2016_writing"])}
    for short in ("eng", "mat", "sci", "read", "writ"):
        out[f"{short}talev"] = _talev(judged.get(short, out[f"{short}lev"]), ta, 2, 6)
    # 2016 writing TA as a score for progress: below WTS 71, WTS 91, EXS 103, GDS 113.
    out["writscore"] = np.array([71, 71, 71, 91, 103, 113, 113])[out["writtalev"]]
    # KS1 prior attainment: the pupil's own KS1 row.
    pos, found = earlier_row(life, rows, "ks1")
    ks1 = ks1_results(life)
    for subject, short in (("reading", "read"), ("writing", "writ"), ("maths", "mat")):
        out[f"ks1{short}"] = np.where(found, ks1[subject][pos] if len(ks1[subject]) else 0, -1)
    out["ks1eng"] = np.where(found, ks1_english(np.maximum(out["ks1read"], 0),
                                                np.maximum(out["ks1writ"], 0)), -1)
    out["entry_year"] = entry_year(life, rows)
    out["entry_date"] = entry_date(life, rows)
    out["va_offset"] = value_added_offset(life, rows, "ks2")
    # The 2016 progress lines' offsets per subject (``key_stages.ks2.progress_offset``): DfE's
    # estimates are the national means, so each subject's progress averages 0 nationally.
    for short, offset in life.ctx.params["key_stages.ks2.progress_offset"].items():
        out[f"{short}_progress_offset"] = np.full(n, float(offset))
    return out


def _writing_2016(mark: np.ndarray, level: np.ndarray, year: np.ndarray,
                  cuts: Sequence[int]) -> np.ndarray:
    """The writing level a teacher assessment is drawn around: from 2015/16 the standard the
    writing mark reaches, as levels 3 (WTS), 4 (EXS) and 5 (GDS) from the marks ``cuts``
    (below the first, 2: pre-key stage), the level before. With level 5 as the greater depth
    standard, 35% of pupils were GDS (200,000 persons, seeds 42 and 11), where 15% were in
    2015/16 (74% EXS or above)."""
    standard = 2 + np.searchsorted(np.asarray(cuts), mark, side="right")
    return np.where(year >= key_stages.SCALED_SCORES_FROM, standard, level)


def prior_points(index: np.ndarray, kind: str = "points") -> Masked:
    """KS1 points (``points``), whole level (``whole``) or code (``code``) of prior outcome
    indices, NULL where the pupil has no KS1 row (-1)."""
    table = {"points": KS1_POINTS, "whole": KS1_WHOLE, "code": KS1_CODES}[kind]
    return Masked(table[np.maximum(index, 0)], index < 0)


def _talev(level: np.ndarray, rng: np.random.Generator, low: int, high: int) -> np.ndarray:
    """Teacher assessment: the test level, a level above (10%) or below (5%) now and then."""
    u = rng.random(len(level))
    return np.clip(level + (u > 0.9) - (u < 0.05), low, high)


# -- KS3 -----------------------------------------------------------------------------------------

MATHS_TIERS = np.array(["35", "35", "35", "35", "35", "46", "57", "68", "68"])
SCIENCE_TIERS = np.array(["36", "36", "36", "36", "36", "36", "57", "57", "57"])
"""KS3 tier entered, by level (index = level): the tier whose range the pupil's level sits in
(maths 3-5, 4-6, 5-7, 6-8; science 3-6, 5-7)."""


@per_block
def ks3_results(life: LifeCourse) -> dict[str, np.ndarray]:
    """Levels (3-8), marks, papers, fine levels, teacher assessments, tiers and KS2 prior
    attainment of the block's KS3 pupils (every test is scored out of 100 here)."""
    rows = stage_rows(life, "ks3")
    scores, papers, ta = _tested(life, rows, "ks3")
    out: dict[str, np.ndarray] = {}
    for short, score in scores.items():
        bands = KS3_BANDS if short == "mat" else KS3_BANDS_TO_7
        mark = marks_in_bands(score, bands, 3)
        out[f"{short}totmrk"] = mark
        out[f"{short}lev"] = level_of_mark(mark, bands, 3)
        out[f"{short}fine"] = fine_level(mark, bands, 3)
        out[f"{short}talev"] = _talev(out[f"{short}lev"], ta, 3, 8)
    # English: reading (32) and Shakespeare reading (18), longer (30) and shorter (20) writing.
    out["engrdtotmrk"], out["engwrtotmrk"] = split_mark(out["engtotmrk"], (50, 50), papers)
    out["engreadmrk"], out["engrdshmrk"] = split_mark(out["engrdtotmrk"], (32, 18), papers)
    out["engwritmrk"], out["engwrshmrk"] = split_mark(out["engwrtotmrk"], (30, 20), papers)
    out["eng1mrk"] = out["engreadmrk"] + out["engwritmrk"]  # paper 1: reading and writing
    out["eng2mrk"] = out["engrdshmrk"] + out["engwrshmrk"]  # paper 2: Shakespeare
    out["readlev"] = level_of_mark(2 * out["engrdtotmrk"], KS3_BANDS_TO_7, 3)
    out["writlev"] = level_of_mark(2 * out["engwrtotmrk"], KS3_BANDS_TO_7, 3)
    out["matpap1mrk"], out["matpap2mrk"], out["matarthmrk"] = split_mark(
        out["mattotmrk"], (40, 40, 20), papers)
    out["scipap1mrk"], out["scipap2mrk"] = split_mark(out["scitotmrk"], (50, 50), papers)
    out["mattier"] = MATHS_TIERS[out["matlev"]]
    out["scitier"] = SCIENCE_TIERS[out["scilev"]]
    # KS2 prior attainment: the pupil's own KS2 row (-1 without one).
    pos, found = earlier_row(life, rows, "ks2")
    ks2 = ks2_results(life)
    for name in ("englev", "matlev", "scilev", "readlev", "writlev", "engtalev", "mattalev",
                 "scitalev", "engfine", "matfine", "scifine"):
        values = ks2[name][pos] if len(ks2[name]) else np.zeros(len(rows))
        out[f"ks2{name}"] = np.where(found, values, -1)
    out["entry_year"] = entry_year(life, rows)
    out["entry_date"] = entry_date(life, rows)
    out["va_offset"] = value_added_offset(life, rows, "ks3")
    return out
