"""The subjects and grades of a KS4 pupil's GCSEs, shared by the pupil and exam tables.

Each Attainment 8 slot holds one full GCSE: English language, maths, double award science
(or, for a fifth of pupils or so, the best of biology, chemistry and physics, the other two in
open slots), a humanity (history or geography), a language (French, German, Spanish or one of
fifteen others, in each year's shares; a community language mostly for its speakers), and
three different open-slot subjects, one of them English literature for most pupils and, for
some, the other humanity or a second language. Attainment 8 takes the three best EBacc GCSEs
into its EBacc slots wherever they sit (:func:`a8_positions`). The subjects
are drawn once per block (streams of their own), so the KS4 exam rows and the pupil table's
per-subject grades (``KS4_AP<subject>``) name the same subjects. Subjects label the slots'
grades, which the life course simulates per slot (simulation/attainment.py): a pupil's grade
does not depend on which humanity or language it is in.
"""

from __future__ import annotations

import itertools

import numpy as np

from leo_synth.simulation.attainment import (
    EXTRA_SLOTS,
    LETTER_OF_POINTS,
    NEWSTYLE_OF_POINTS,
    SLOTS,
)
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.per_block import per_block
from leo_synth.simulation.series import interpolate
from leo_synth.simulation.stats import categorical, codes_of_uniforms

SLOT_SUBJECTS = {"eng": "5030", "mat": "2210", "eb1": "1370"}
"""English language, maths and double award science (plams.mapping codes): every pupil's
(the English slot English literature where that is the better English, from 2013/14)."""
DOUBLE_SCIENCE = SLOT_SUBJECTS["eb1"]
SEPARATE_SCIENCES = ("1010", "1110", "1210")
"""Biology, chemistry and physics (plams.mapping codes): the separate ("triple") sciences."""
HUMANITIES = {"4010": 0.52, "3910": 0.48}
"""The EBacc humanity, history or geography, in the shares of their GCSE entries in England
(JCQ: about even since 2002, history a little ahead; rounded)."""
LANGUAGE_SHARES = {2001: {"5650": 0.59, "5670": 0.23, "5750": 0.11, "other": 0.07},
                   2009: {"5650": 0.50, "5670": 0.19, "5750": 0.18, "other": 0.13},
                   2018: {"5650": 0.41, "5670": 0.14, "5750": 0.33, "other": 0.12}}
"""The EBacc language by academic year (its start; interpolated between, flat beyond): French,
German, Spanish and the others' shares of GCSE language entries (approximately, from JCQ's
entries: French fell by more than half from 2002 to 2019, Spanish rose past German)."""
OTHER_LANGUAGES = {"6610": 0.30, "5690": 0.25, "5950": 0.15, "6010": 0.10, "6090": 0.10,
                   "6550": 0.05, "5710": 0.05}
"""Within the other languages, for a pupil without a heritage language: Latin, Italian,
Chinese, Japanese, Russian, Classical Greek, Modern Greek (weights approximate)."""
HERITAGE_LANGUAGES = {"APKN": {"6130": 0.65, "6050": 0.25, "5910": 0.10},
                      "AIND": {"6050": 0.60, "6130": 0.25, "5910": 0.15},
                      "CHNE": {"5950": 1.0},
                      "WOTH": {"6070": 0.45, "5730": 0.15, "6090": 0.10, "6110": 0.10,
                               "5690": 0.10, "5710": 0.05, "6030": 0.05},
                      "OOTH": {"5910": 0.50, "6150": 0.25, "6110": 0.25},
                      "AOTH": {"5910": 0.40, "6150": 0.40, "6130": 0.20},
                      "BAFR": {"5910": 0.50, "5730": 0.50}}
"""The languages a pupil with English as an additional language may take a GCSE in as their
heritage language, by ethnic group (Urdu, Panjabi, Arabic, Chinese, Polish, Portuguese,
Russian, Turkish, Italian, Modern Greek, Modern Hebrew, Persian; Bengali and Gujarati have no
code of their own in the list): GCSEs in community languages are taken mostly by their
speakers. Weights approximate."""
LANGUAGES = frozenset({*LANGUAGE_SHARES[2001], *OTHER_LANGUAGES,
                       *(code for choices in HERITAGE_LANGUAGES.values() for code in choices)}
                      - {"other"})
"""Every language a simulated pupil may sit a GCSE in (the EBacc language slot's subjects)."""
EBACC_SUBJECTS = frozenset({DOUBLE_SCIENCE, *SEPARATE_SCIENCES, *HUMANITIES, *LANGUAGES})
"""Every simulated GCSE that counts for the EBacc (sciences, humanities, languages)."""
HERITAGE_SHARE = 0.35
"""Share of the pupils with a heritage language whose EBacc language is it (an assumption)."""
OPEN_SUBJECTS = {"4610": (3.0, None), "3510": (2.4, None), "7210": (1.4, None),
                 "3210": (1.4, None), "2650": (1.4, 2016), "5210": (1.1, None),
                 "9080": (1.0, None), "9020": (0.9, None), "5350": (0.7, None),
                 "7010": (0.6, None), "4890": (0.5, None), "2510": (0.5, None),
                 "9050": (0.3, None), "4850": (0.2, None)}
"""Open-slot subjects, by weight (roughly in proportion to their GCSE entries, JCQ) and the
last academic year they are sat (None: every year): religious studies, art and design,
PE, business studies, ICT (withdrawn after summer 2017), drama, D&T product design, D&T food
technology, media studies, music, sociology, statistics, D&T textiles, psychology. None
counts towards the EBacc, so the EBacc slots hold exactly the science, humanity and language
GCSEs, as the A8 slot-filling rules need."""
ENGLISH_LANGUAGE, ENGLISH_LITERATURE = "5030", "5110"
ENGLISH = (ENGLISH_LANGUAGE, ENGLISH_LITERATURE)
LITERATURE_SHARE = {2001: 0.55, 2012: 0.55, 2013: 0.75, 2016: 0.75, 2017: 0.95}
"""Share of pupils not entered for the EBacc who sit English literature, by academic year
(interpolated, flat beyond), among those who can (``_add_literature``: from 2013/14 a pupil
whose open-slot grades all beat the English slot's cannot, about three in ten). Pupils entered
for the EBacc all sit it where they can: 63-73% of pupils sit it before 2013/14 (fewer while
fewer were entered for the EBacc), three fifths to seven tenths after (100,000 persons, seed
42). An assumption, not fitted (JCQ's entries are higher after 2016/17, when literature joined
the double-weighted English element for most)."""
OPEN_SLOTS = ("op1", "op2", "op3")
TRIPLE_SCIENCE_SHARE = {2001: 0.07, 2006: 0.08, 2009: 0.17, 2012: 0.21, 2015: 0.19,
                        2018: 0.22}
"""Share of KS4 pupils who sit the three separate sciences instead of double award science,
by academic year (its start; interpolated, flat beyond): approximately GCSE physics entries
per pupil in the cohort (JCQ), which rose after the 2006 entitlement to triple science and
dipped with the 2014 science reform. Pupils whose grades cannot take three sciences
(``_add_separate_sciences``) are made up for by :data:`TRIPLE_SCIENCE_CENTRE`: at 20,000
persons the realised shares of pupils with entries are 9% and 13% in 2006/07 and 2007/08,
15-19% to 2012/13 and 15-21% from 2015/16."""
SECOND_SUBJECT_SHARES = {"eb2": 0.2, "eb3": 0.4}
"""Share of the pupils with a humanity (``eb2``) or a language (``eb3``) who may sit a second:
JCQ's history and geography entries together exceed the pupils entered for a humanity by about
a tenth of the cohort, and language entries the pupils entered for a language by about a
twentieth (assumptions from rounded figures). Only pupils whose grades allow it can
(``_add_second_subjects``): at 20,000 persons 8-11% of pupils sit history and geography from
2014/15, 2-7% two languages."""
TRIPLE_SCIENCE_ODDS, TRIPLE_SCIENCE_CENTRE = 0.7, 5.4
"""Log-odds per grade of a pupil's science (9-1 points, less the year's national grade shift)
of sitting separate sciences, and the grade at which the odds are the year's share's: they are
mostly the higher attainers' (an assumption). The centre is set so that the realised share is
about the year's :data:`TRIPLE_SCIENCE_SHARE` (``_add_separate_sciences`` turns some pupils
away)."""
LITERATURE_BETTER = 0.4
"""Share of the pupils sitting both English GCSEs whose literature grade is the better one
(from 2013/14, when it then fills the English slot; an assumption: the two grades are close)."""
BEST_ENGLISH_FROM = 2013
"""From 2013/14 the English measures take the better of a pupil's English language and
literature GCSEs: the English slot holds the better, the other one is an open-slot GCSE (the
residual English of Attainment 8). Before, the English measures read English language, and
literature is an open subject like any other."""
REFORMED_FROM = {ENGLISH_LANGUAGE: 2016, ENGLISH_LITERATURE: 2016, "2210": 2016}
"""First academic year graded 9-1, by subject: English language, English literature and maths
from 2016/17, the rest from 2017/18."""
REFORMED_OTHERS = 2017
OLD_POINTS = {"A*": 8, "A": 7, "B": 6, "C": 5, "D": 4, "E": 3, "F": 2, "G": 1, "U": 0}
OLD_POINTS_OF_POINTS = np.array([OLD_POINTS[letter] for letter in LETTER_OF_POINTS])
"""Old-style GCSE points (A* = 8 ... G = 1) of each 9-1 grade."""
LEGACY_A8_POINTS = {"A*": 8.5, "A": 7, "B": 5.5, "C": 4, "D": 3, "E": 2, "F": 1.5, "G": 1,
                    "U": 0}
"""Attainment 8 points of a legacy letter grade from 2016/17 (DfE's transitional scale)."""
OLD_SCALE_FROM, LEGACY_A8_FROM = 2014, 2016
"""First academic years whose exam rows give a letter grade its old-style points (A* = 8 ...
G = 1: 2014/15 and 2015/16) and its Attainment 8 points (:data:`LEGACY_A8_POINTS`); before
2014/15 the new-style points (A* = 58 ... G = 16)."""
_POINTS_BY_SCALE = np.stack([NEWSTYLE_OF_POINTS, OLD_POINTS_OF_POINTS,
                             [LEGACY_A8_POINTS[letter] for letter in LETTER_OF_POINTS]]
                            ).astype(float)
"""(scale, 9-1 grade) the points of the grade's letter on each era's scale, in that order."""


@per_block
def slot_subjects(life: LifeCourse) -> dict[str, np.ndarray]:
    """plams.mapping code of each slot's GCSE, one per KS4 pupil (meaningless where the slot
    has no entry): the humanity, the language and three different open subjects drawn per
    pupil, each from a stream of its own; the extra entries (``EXTRA_SLOTS``) are open
    subjects beside those, so a pupil never sits a subject twice."""
    n = len(life.ks4)
    year = np.asarray(life.ks4["year"], dtype=np.int64)
    subjects = {slot: np.full(n, code) for slot, code in SLOT_SUBJECTS.items()}
    subjects["eb2"] = codes_of_uniforms(HUMANITIES, life.ctx.rng("ks4.humanity").random(n))
    subjects["eb3"] = _languages(life, year)
    chosen = _open_subjects(life.ctx.rng("ks4.open_subjects"), year)
    for k, slot in enumerate(OPEN_SLOTS + EXTRA_SLOTS):
        subjects[slot] = chosen[:, k]
    _add_literature(life, year, subjects)
    _add_separate_sciences(life, year, subjects)
    _add_second_subjects(life, subjects)
    return subjects


def ks4_language(life: LifeCourse) -> tuple[np.ndarray, np.ndarray]:
    """Per person of the block: the mapping code ('' without) and the grade (9-1 points, 0
    without) of the person's KS4 language GCSE, the EBacc language slot's."""
    n = len(life.persons)
    code, points = np.full(n, "", dtype="<U4"), np.zeros(n, dtype=np.int64)
    entered = np.asarray(life.ks4["pts_eb3"]) > 0
    person = np.asarray(life.ks4["person"])[entered]
    code[person] = slot_subjects(life)["eb3"][entered]
    points[person] = np.asarray(life.ks4["pts_eb3"])[entered]
    return code, points


def ks4_separate_sciences(life: LifeCourse) -> np.ndarray:
    """Per person of the block: True if the person's KS4 science was biology, chemistry and
    physics (the science slot holds one of them), else False."""
    out = np.zeros(len(life.persons), dtype=bool)
    separate = (np.isin(slot_subjects(life)["eb1"], SEPARATE_SCIENCES)
                & (np.asarray(life.ks4["pts_eb1"]) > 0))
    out[np.asarray(life.ks4["person"])[separate]] = True
    return out


def _add_literature(life: LifeCourse, year: np.ndarray, subjects: dict[str, np.ndarray]) -> None:
    """English literature in place of an open subject for the pupils who sit it. From 2013/14
    the English slot holds the better English: literature goes to the first open slot whose
    grade is at most the English slot's (a pupil with none sits no literature), and either
    English may be the better one (the English slot then literature, the open slot language).
    The grades stay as simulated: only labels change, so every measure is unchanged."""
    ks4 = life.ks4
    rng = life.ctx.rng("ks4.literature")
    n = len(year)
    sits, better = rng.random(n), rng.random(n)
    english = np.asarray(ks4["pts_eng"], dtype=np.int64)
    open_points = _open_points(ks4)
    best_rule = year >= BEST_ENGLISH_FROM
    allowed = (open_points > 0) & ((open_points <= english[:, None]) | ~best_rule[:, None])
    sits = (((sits < interpolate(LITERATURE_SHARE, year))
             | np.asarray(ks4["ebacc_entered"], dtype=bool)) & (english > 0) & allowed.any(axis=1))
    which = np.argmax(allowed, axis=1)
    literature_first = sits & best_rule & (better < LITERATURE_BETTER)
    subjects["eng"] = np.where(literature_first, ENGLISH_LITERATURE, subjects["eng"])
    for k, slot in enumerate(OPEN_SLOTS):
        subjects[slot] = np.where(sits & (which == k), np.where(
            literature_first, ENGLISH_LANGUAGE, ENGLISH_LITERATURE), subjects[slot])


def _add_separate_sciences(life: LifeCourse, year: np.ndarray,
                           subjects: dict[str, np.ndarray]) -> None:
    """Biology, chemistry and physics in place of double award science and two open subjects
    for the pupils who sit them; the science slot holds the best of the three. The grades stay
    with their slots, so a pupil can only where they allow it: two open slots other than an
    English GCSE's (literature, or the residual English) graded at most the science slot's,
    and, since the EBacc's science pillar asks for two of the three sciences at 4 (5), the
    better of the two at 4 (5) or above where the science slot is. Every count and total is
    unchanged, Attainment 8's and the EBacc's too; which GCSEs fill the EBacc and open slots
    follows (:func:`a8_positions`)."""
    ks4 = life.ks4
    rng = life.ctx.rng("ks4.separate_sciences")
    n = len(year)
    sits, order = rng.random(n), rng.integers(0, 6, n)
    science = np.asarray(ks4["pts_eb1"], dtype=np.int64)
    open_points = _open_points(ks4)
    english = np.stack([np.isin(subjects[slot], ENGLISH)
                        for slot in OPEN_SLOTS], axis=1)  # (literature, or the residual English)
    usable = (open_points > 0) & (open_points <= science[:, None]) & ~english
    # the two best usable open slots (a slot that cannot be used ranks last)
    ranked = np.argsort(np.where(usable, -open_points, 1), axis=1, kind="stable")[:, :2]
    rows = np.arange(n)
    both = usable[rows, ranked[:, 0]] & usable[rows, ranked[:, 1]]
    second_best = open_points[rows, ranked[:, 0]]
    pillar = (science < 4) | (second_best >= np.minimum(science, 5))
    share = interpolate(TRIPLE_SCIENCE_SHARE, year)
    # (grades relative to the year's: the national grade shift moves every grade alike)
    shift = interpolate(life.ctx.params["ks4.year_shift"], year)
    relative = science - TRIPLE_SCIENCE_CENTRE - shift
    odds = share / (1 - share) * np.exp(TRIPLE_SCIENCE_ODDS * relative)
    takes = (sits < odds / (1 + odds)) & both & pillar
    labels = np.array(list(itertools.permutations(SEPARATE_SCIENCES)))[order]
    subjects["eb1"] = np.where(takes, labels[:, 0], subjects["eb1"])
    for k in (0, 1):
        for index, slot in enumerate(OPEN_SLOTS):
            subjects[slot] = np.where(takes & (ranked[:, k] == index), labels[:, k + 1],
                                      subjects[slot])


def _add_second_subjects(life: LifeCourse, subjects: dict[str, np.ndarray]) -> None:
    """A second humanity (geography beside history, history beside geography) and a second
    language (French, or Spanish beside French) in place of an open subject, for
    :data:`SECOND_SUBJECT_SHARES` of the pupils with a humanity or language: in their best
    open slot graded at most the EBacc slot's (so that slot holds the better of the two, as
    the EBacc pillar reads it) that holds neither English nor another EBacc subject. The
    grades stay with their slots; Attainment 8's fill follows (:func:`a8_positions`)."""
    ks4 = life.ks4
    open_points = _open_points(ks4)
    for slot, share in SECOND_SUBJECT_SHARES.items():
        first = subjects[slot]
        sits = life.ctx.rng(f"ks4.second_{slot}").random(len(first))
        taken = np.stack([np.isin(subjects[other], list(EBACC_SUBJECTS | set(ENGLISH)))
                          for other in OPEN_SLOTS], axis=1)
        grade = np.asarray(ks4[f"pts_{slot}"], dtype=np.int64)
        usable = (open_points > 0) & (open_points <= grade[:, None]) & ~taken
        best = np.argmax(np.where(usable, open_points, -1), axis=1)
        takes = (sits < share) & usable.any(axis=1)
        second = SECOND_SUBJECT[slot](first)
        for index, other in enumerate(OPEN_SLOTS):
            subjects[other] = np.where(takes & (best == index), second, subjects[other])


SECOND_SUBJECT = {
    "eb2": lambda first: np.where(first == "4010", "3910", "4010"),
    "eb3": lambda first: np.where(first == "5650", "5750", "5650"),
}
"""The second GCSE of a pupil's humanity (the other one) or language (French, or Spanish
beside French: the two most entered)."""


def a8_positions(points: np.ndarray, subjects: np.ndarray) -> np.ndarray:
    """(pupils, 8) for each Attainment 8 slot (English, maths, three EBacc, three open: the
    order of ``SLOTS``), the position in ``SLOTS`` of the GCSE filling it, -1 if none.

    The EBacc slots take the three best EBacc GCSEs (ties: the earlier position), the open
    slots the rest. The slots are the positions themselves unless an EBacc GCSE in an open
    position (a separate science, a second humanity or language) is among the three best: it
    takes the place of an EBacc position's GCSE that is not (or of an empty one), which moves
    to the open slot it left. Every GCSE of the eight positions fills a slot (the pupil's
    extra GCSEs, ``ks4_extras``, are graded so that they fill none), so the scores of the
    slots sum to the same Attainment 8 whichever fill; only the elements' shares differ."""
    points = np.asarray(points, dtype=np.int64)
    n = len(points)
    rows = np.arange(n)[:, None]
    positions = np.arange(len(SLOTS))
    eligible = np.isin(subjects, list(EBACC_SUBJECTS)) & (points > 0) & (positions >= 2)
    best = np.argsort(np.where(eligible, -points * 16 + positions, 999), axis=1,
                      kind="stable")[:, :3]
    ebacc = np.zeros(points.shape, dtype=bool)
    ebacc[rows, best] = np.take_along_axis(eligible, best, axis=1)
    promoted, stays = ebacc[:, 5:], ebacc[:, 2:5]
    demoted = ~stays & (points[:, 2:5] > 0)
    out = np.tile(positions, (n, 1))
    into = _in_order(~stays)  # EBacc slots free for a promoted GCSE, in order
    promoted_order, demoted_order = _in_order(promoted), _in_order(demoted)
    promotions, demotions = promoted.sum(1), demoted.sum(1)
    for k in range(3):
        moves = k < promotions
        out[moves, 2 + into[moves, k]] = 5 + promoted_order[moves, k]
        # (a demoted GCSE, if any, takes the open slot the promoted one left: demoted <=
        # promoted)
        out[moves, 5 + promoted_order[moves, k]] = np.where(
            k < demotions, 2 + demoted_order[:, k], -1)[moves]
    return out


def filled_grades(points: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """(pupils, 8) the grade in each Attainment 8 slot (``positions`` from :func:`a8_positions`),
    0 where the slot is empty."""
    points = np.asarray(points, dtype=np.int64)
    return np.where(positions >= 0,
                    np.take_along_axis(points, np.maximum(positions, 0), axis=1), 0)


def _open_points(ks4: Frame) -> np.ndarray:
    """(pupils, 3) the open slots' grades (9-1 points, 0 without an entry)."""
    return np.stack([np.asarray(ks4[f"pts_{slot}"], dtype=np.int64) for slot in OPEN_SLOTS],
                    axis=1)


def _in_order(mask: np.ndarray) -> np.ndarray:
    """(rows, k) the column indices where ``mask`` is True first, in order, then the others."""
    return np.argsort(~mask, axis=1, kind="stable")


def _languages(life: LifeCourse, year: np.ndarray) -> np.ndarray:
    """Each pupil's EBacc language: for :data:`HERITAGE_SHARE` of the pupils with English as
    an additional language and a heritage language (:data:`HERITAGE_LANGUAGES`), that one;
    else French, German, Spanish or another in the year's shares."""
    rng = life.ctx.rng("ks4.language")
    n = len(year)
    names = list(LANGUAGE_SHARES[min(LANGUAGE_SHARES)])
    shares = np.stack([interpolate({y: s[name] for y, s in LANGUAGE_SHARES.items()}, year)
                       for name in names], axis=1)
    main = np.array(names)[categorical(rng, shares)]  # (the stream's first n draws)
    other, heritage, which = (rng.random(n) for _ in range(3))
    language = np.where(main == "other", codes_of_uniforms(OTHER_LANGUAGES, other), main)
    person = life.ks4["person"]
    groups = np.array(list(life.ctx.params["population.ethnicity"]))[
        life.persons["ethnicity"][person]]
    speaks = np.asarray(life.persons["eal"][person], dtype=bool) & (heritage < HERITAGE_SHARE)
    for group, choices in HERITAGE_LANGUAGES.items():
        mine = speaks & (groups == group)
        language = np.where(mine, codes_of_uniforms(choices, which), language)
    return language


def _open_subjects(rng: np.random.Generator, year: np.ndarray) -> np.ndarray:
    """(pupils, 3 + extras) different open subjects, drawn without replacement in proportion
    to their weights among those sat in the pupil's year (the exponential-keys method: the
    smallest of -log(u) / weight), for the open slots then the extra entries."""
    codes = np.array(list(OPEN_SUBJECTS))
    weights = np.array([w for w, _ in OPEN_SUBJECTS.values()])
    last = np.array([9999 if y is None else y for _, y in OPEN_SUBJECTS.values()])
    keys = -np.log1p(-rng.random((len(year), len(codes)))) / weights
    keys[year[:, None] > last[None, :]] = np.inf
    return codes[np.argsort(keys, axis=1)[:, :len(OPEN_SLOTS) + len(EXTRA_SLOTS)]]


def reformed(subject: str | np.ndarray, year: np.ndarray) -> np.ndarray:
    """True where a GCSE in ``subject`` (a plams.mapping code, or one per row) is a reformed
    (9-1 graded) one in that academic year."""
    first = np.full(np.broadcast(np.asarray(subject), np.asarray(year)).shape, REFORMED_OTHERS)
    for code, year_from in REFORMED_FROM.items():
        first = np.where(np.asarray(subject) == code, year_from, first)
    return np.asarray(year) >= first


def exam_grade(subject: str | np.ndarray, points: np.ndarray, year: np.ndarray) -> np.ndarray:
    """The grade of a GCSE in ``subject`` as the exam row records it: 9-1 for reformed GCSEs,
    else the letter of the grade (A* coded ``*``)."""
    points = np.asarray(points, dtype=np.int64)
    return np.where(reformed(subject, year), _DIGITS[points], _LETTERS[points])


def exam_row_points(subject: str | np.ndarray, points: np.ndarray, year: np.ndarray) -> np.ndarray:
    """The points of a GCSE in ``subject`` as the exam row records them (``KS4_POINTS``): the
    9-1 grade for reformed GCSEs, else its letter's points on the year's scale (new-style to
    2013/14, old-style in 2014/15 and 2015/16, Attainment 8's legacy points after)."""
    points, year = np.asarray(points, dtype=np.int64), np.asarray(year)
    scale = (year >= OLD_SCALE_FROM).astype(np.int64) + (year >= LEGACY_A8_FROM)
    return np.where(reformed(subject, year), points.astype(float),
                    _POINTS_BY_SCALE[scale, points])


_DIGITS = np.arange(len(LETTER_OF_POINTS)).astype(str)
"""The 9-1 grades as text, as ``points.astype(str)`` writes them (looked up, not formatted)."""
_LETTERS = np.where(LETTER_OF_POINTS == "A*", "*", LETTER_OF_POINTS)
