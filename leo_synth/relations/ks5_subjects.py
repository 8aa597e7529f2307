"""A level subjects of the KS5 tables: the student table's ``KS5_GA_<subject>`` columns, their
LEAP/LDCS mapping codes (``plams.mapping`` in schemas/vrf/fft_codelists.csv) and the shares in
which students choose them.

Shares are percentages of A level entries (JCQ summer results, England, 2010s; rounded) and
the share of each subject's entries by boys, so subject choice depends on the student's sex as
it does in the published entries (physics and computing mostly boys, psychology, sociology,
English literature and art mostly girls). Subjects of the student table without a mapping code
in the code list (Human Biology, the separate maths components, Bengali, Dutch ...) are not
simulated: their grade columns are NULL.
"""

from __future__ import annotations

import csv
from functools import cache

import numpy as np

from leo_synth.relations.ks4_subjects import LANGUAGES, SEPARATE_SCIENCES
from leo_synth.resources import data_dir

# column suffix: (mapping code, % of entries, share of entries by boys, facilitating subject)
A_LEVEL_SUBJECT_TABLE: dict[str, tuple[str, float, float, bool]] = {
    "MATH": ("2210", 11.5, 0.61, True),
    "BIOLOGY": ("1010", 8.2, 0.37, True),
    "PSYCH_SOC": ("4850", 8.0, 0.25, False),
    "CHEMISTRY": ("1110", 7.2, 0.47, True),
    "HIST": ("4010", 5.5, 0.42, True),
    "SOC": ("4890", 5.2, 0.23, False),
    "ENG_LIT": ("5110", 5.0, 0.24, True),
    "PHYSICS": ("1210", 5.0, 0.77, True),
    "BUS": ("3210", 4.6, 0.58, False),
    "GEOG": ("3910", 4.0, 0.48, True),
    "ECON": ("4410", 4.0, 0.69, False),
    "AD": ("3510", 3.0, 0.25, False),
    "MEDIA_FILM_TV": ("5350", 2.8, 0.40, False),
    "GOV_POLITICS": ("4830", 2.3, 0.55, False),
    "ENG_LANG": ("5030", 2.2, 0.27, False),
    "RE": ("4610", 2.1, 0.30, False),
    "FINE_ART": ("3690", 2.0, 0.20, False),
    "MATH_FURT": ("2330", 1.9, 0.72, True),
    "LAW": ("4770", 1.6, 0.35, False),
    "COMP_STU": ("2610", 1.5, 0.88, False),
    "PE": ("7210", 1.4, 0.68, False),
    "AD_PHOTO": ("3570", 1.2, 0.30, False),
    "DRAMA": ("5210", 1.2, 0.28, False),
    "DT_PRODUCTION": ("9080", 1.2, 0.70, False),
    "FRENCH": ("5650", 1.1, 0.32, True),
    "SPANISH": ("5750", 1.1, 0.30, True),
    "ENG": ("5010", 1.0, 0.24, False),
    "GEN_STUD": ("7810", 1.0, 0.45, False),
    "MUSIC": ("7010", 0.7, 0.55, False),
    "AD_GRAPH": ("3550", 0.6, 0.40, False),
    "FILM": ("5360", 0.5, 0.45, False),
    "IT": ("2650", 0.5, 0.65, False),
    "GERMAN": ("5670", 0.4, 0.40, True),
    "MUSIC_TECH": ("7040", 0.4, 0.80, False),
    "CLASS_CIV": ("6530", 0.4, 0.30, False),
    "CHINESE": ("5950", 0.4, 0.45, True),
    "LOGIC_PHIL": ("4790", 0.4, 0.50, False),
    "AD_TEXTI": ("3650", 0.4, 0.05, False),
    "AD_THREE": ("3670", 0.3, 0.40, False),
    "ACCOUNTING": ("7410", 0.3, 0.60, False),
    "GEOLOGY": ("1770", 0.2, 0.60, False),
    "LATIN": ("6610", 0.15, 0.50, True),
    "ENV_SCI": ("1750", 0.15, 0.45, False),
    "AD_CRITI": ("3680", 0.1, 0.30, False),
    "ELECTRONICS": ("1730", 0.1, 0.90, False),
    "MATH_STAT": ("2260", 0.1, 0.55, False),
    "ANC_HIST": ("6510", 0.1, 0.40, True),
    "DANCE": ("7230", 0.1, 0.05, False),
    "SCIENCE": ("1310", 0.1, 0.50, False),
    "ARABIC": ("5910", 0.1, 0.45, True),
    "URDU": ("6130", 0.1, 0.40, True),
    "RUSSIAN": ("6090", 0.1, 0.40, True),
    "POLISH": ("6070", 0.1, 0.40, True),
    "ITALIAN": ("5690", 0.08, 0.35, True),
    "PORTUGUESE": ("5730", 0.06, 0.40, True),
    "DT_FOOD": ("9020", 0.05, 0.10, False),
    "DT_SYSTEMS": ("9070", 0.05, 0.90, False),
    "HIST_ART": ("3830", 0.05, 0.20, False),
    "TURKISH": ("6110", 0.05, 0.40, True),
    "GREEK": ("6550", 0.03, 0.50, True),
    "PANJABI": ("6050", 0.03, 0.40, True),
    "PERSIAN": ("6150", 0.03, 0.40, True),
    "JAPANESE": ("6010", 0.03, 0.40, True),
    "MATH_ADDI": ("2340", 0.02, 0.60, False),
    "SCO_SCI_CIT": ("4910", 0.02, 0.40, False),
    "MOD_GREEK": ("5710", 0.02, 0.40, True),
    "MOD_HEBREW": ("6030", 0.01, 0.40, True),
    "OTH_CLASS": ("6650", 0.01, 0.40, True),
}

A_LEVEL_NAMES = np.array(list(A_LEVEL_SUBJECT_TABLE))
A_LEVEL_MAPPINGS = np.array([v[0] for v in A_LEVEL_SUBJECT_TABLE.values()])
MAPPING_OF_SUBJECT = {name: v[0] for name, v in A_LEVEL_SUBJECT_TABLE.items()}
FACILITATING_MAPPINGS = np.array([v[0] for v in A_LEVEL_SUBJECT_TABLE.values() if v[3]])
"""Facilitating subjects (Russell Group, as in DfE's AAB measure): maths and further maths,
English literature, physics, biology, chemistry, geography, history, classical and modern
languages."""
GENERAL_STUDIES = MAPPING_OF_SUBJECT["GEN_STUD"]


@cache
def subject_titles() -> dict[str, str]:
    """The title of each plams.mapping code (its label in the FFT code lists: "Mathematics",
    "English Literature", "Art & Design (Photography)"), as an applicant would name it."""
    with open(data_dir("schemas") / "vrf" / "fft_codelists.csv", encoding="utf-8") as handle:
        return {row["code"]: row["label"] for row in csv.DictReader(handle)
                if row["list"] == "plams.mapping"}


def subject_weights(female: np.ndarray) -> np.ndarray:
    """(students, subjects) weights of each subject for each student, by the student's sex."""
    share = np.array([v[1] for v in A_LEVEL_SUBJECT_TABLE.values()])
    boys = np.array([v[2] for v in A_LEVEL_SUBJECT_TABLE.values()])
    # A subject's entries split by sex; each sex makes about half of all entries.
    return np.where(np.asarray(female, dtype=bool)[:, None], share * (1 - boys) * 2,
                    share * boys * 2)


PREREQUISITES: dict[str, tuple[tuple[str, int], ...]] = {
    "MATH": (("mat", 5),), "MATH_STAT": (("mat", 5),), "MATH_ADDI": (("mat", 5),),
    "MATH_FURT": (("mat", 7),), "PHYSICS": (("mat", 5), ("sci", 5)),
    "BIOLOGY": (("sci", 5),), "CHEMISTRY": (("sci", 5),),
    "ENG_LIT": (("eng", 5),), "ENG_LANG": (("eng", 5),), "ENG": (("eng", 5),),
}
"""The GCSEs (KS4 slot: ``eng``, ``mat`` or ``sci``, the science slot's double award or best
separate science; points on the 9-1 scale) a sixth form asks of a subject's A level students,
an assumption near typical entry requirements: 5 (a strong pass; the upper C of the letter
grades) in maths for maths and physics, in science for the sciences and in English for
English, A / 7 for further maths. (Many sixth forms ask B / 6 for maths or a science; with
it, too few simulated students could take maths to keep its share of the entries.)"""


LANGUAGE_GRADE = 5
"""The GCSE grade (9-1 points) a sixth form asks of a language's A level students, in that
language: a strong pass (an assumption near typical entry requirements, often a B)."""


def eligible_subjects(grades: dict[str, np.ndarray],
                      language: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """(students, subjects) whether each student's KS4 English, maths and science grades
    (``grades``: slot -> points) meet each subject's :data:`PREREQUISITES`, and, with
    ``language`` (each student's KS4 language GCSE: its mapping code and grade points),
    whether the student
    holds the GCSE in a language A level's language at :data:`LANGUAGE_GRADE` or above
    (language A levels are taken by those who took the language at GCSE)."""
    n = len(next(iter(grades.values())))
    out = np.ones((n, len(A_LEVEL_NAMES)), dtype=bool)
    for name, required in PREREQUISITES.items():
        for slot, points in required:
            out[:, list(A_LEVEL_NAMES).index(name)] &= np.asarray(grades[slot]) >= points
    if language is not None:
        code, points = (np.asarray(values) for values in language)
        for index, mapping in enumerate(A_LEVEL_MAPPINGS):
            if mapping in LANGUAGES:
                out[:, index] &= (code == mapping) & (points >= LANGUAGE_GRADE)
    return out


DEGREE_A_LEVELS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "CAH01-01": (("1110", "1010"), ()),  # medicine and dentistry: chemistry and biology
    "CAH02-02": (("1110",), ("1010",)),  # pharmacy: chemistry; biology
    "CAH02-05": (("1010",), ("1110",)),  # medical sciences: biology; chemistry
    "CAH03-01": (("1010",), ("1110",)),  # biosciences: biology; chemistry
    "CAH05-01": (("1110", "1010"), ()),  # veterinary sciences
    "CAH07-01": (("2210", "1210"), ("2330",)),  # physics: maths, physics; further maths
    "CAH07-02": (("1110",), ("2210",)),  # chemistry: chemistry; maths
    "CAH09-01": (("2210",), ("2330",)),  # mathematical sciences: maths; further maths
    "CAH10-01": (("2210",), ("1210",)),  # engineering: maths; physics
    "CAH11-01": ((), ("2210", "2610")),  # computing: maths, computing
    "CAH15-02": (("2210",), ("4410",)),  # economics: maths; economics
    "CAH19-01": (("5110",), ()),  # English studies: English literature
    "CAH04-01": ((), ("4850",)),  # psychology
    "CAH15-01": ((), ("4890",)),  # sociology
    "CAH15-03": ((), ("4830",)),  # politics: government and politics
    "CAH20-01": ((), ("4010",)),  # history
    "CAH20-02": ((), ("4610",)),  # philosophy and religious studies
    "CAH21-01": ((), ("3510",)),  # creative arts: art and design
    "CAH26-01": ((), ("3910",)),  # geography
}
"""The A levels (mapping codes) a degree subject (CAH2) asks of its entrants, and those its
entrants often take, as universities' entry requirements state them (medicine chemistry and
biology, physics maths and physics, English English literature): an A level student who
enters the subject straight after KS5 takes the required ones (where their GCSEs allow it)
and is :data:`PREFERRED_WEIGHT` times as likely to take the others."""
REQUIRED_WEIGHT = 1e6
PREFERRED_WEIGHT = 4.0


def degree_weights(degree: np.ndarray) -> np.ndarray:
    """(students, subjects) factors on each student's subject weights from the CAH2 subject
    of the degree the student enters after KS5 (``degree``: CAH2 codes, '' for none):
    :data:`REQUIRED_WEIGHT` for the subject's required A levels, :data:`PREFERRED_WEIGHT` for
    its preferred ones, else 1."""
    out = np.ones((len(degree), len(A_LEVEL_MAPPINGS)))
    column = {mapping: index for index, mapping in enumerate(A_LEVEL_MAPPINGS)}
    for cah2, (required, preferred) in DEGREE_A_LEVELS.items():
        rows = np.flatnonzero(np.asarray(degree) == cah2)
        for codes, factor in ((required, REQUIRED_WEIGHT), (preferred, PREFERRED_WEIGHT)):
            for code in codes:
                out[rows, column[code]] = factor
    return out


SEPARATE_SCIENCE_WEIGHT = 3.0
"""Factor on the biology, chemistry and physics A levels of a student who sat the three
separate sciences at GCSE (an assumption: most A level scientists took them, though double
award science qualifies a student for them too)."""


def science_weights(separate: np.ndarray) -> np.ndarray:
    """(students, subjects) factors on each student's subject weights: on the science A levels
    :data:`SEPARATE_SCIENCE_WEIGHT` for the students who sat the separate sciences
    (``separate``), else 1."""
    out = np.ones((len(separate), len(A_LEVEL_MAPPINGS)))
    out[np.ix_(np.asarray(separate, dtype=bool),
               np.isin(A_LEVEL_MAPPINGS, SEPARATE_SCIENCES))] = SEPARATE_SCIENCE_WEIGHT
    return out


def choose_subjects(rng: np.random.Generator, female: np.ndarray, k: int,
                    eligible: np.ndarray | None = None,
                    factors: np.ndarray | None = None) -> np.ndarray:
    """(students, k) mapping codes of k different subjects per student, drawn in proportion to
    the weights without replacement (the Gumbel top-k draw).

    With ``eligible`` (students, subjects) a student takes only subjects whose entry
    requirements it meets, and the subjects with requirements are weighted up for those who
    meet them until each is taken about as often as without requirements (a few rounds on
    the same draws: :data:`SHARE_ROUNDS`): requirements change who takes a subject, not how
    many. (Rejected: the weight over the share eligible, which left maths at two thirds of its
    entries: a popular subject's chance of being among a student's four saturates.) With
    ``factors`` (students, subjects: :func:`degree_weights`) a student's weights are
    multiplied by them, and the subjects they change are re-weighted in the same rounds, so
    their shares of the entries stay as without."""
    weights = subject_weights(female)
    gumbel = rng.gumbel(size=weights.shape)
    picks = _top(weights, gumbel, k)
    if eligible is not None and len(eligible):
        own = weights if factors is None else weights * factors
        wanted = np.bincount(picks.ravel(), minlength=weights.shape[1])
        limited = ~eligible.all(0) if factors is None else ~eligible.all(0) | (factors != 1).any(0)
        factor = np.ones(weights.shape[1])
        for _ in range(SHARE_ROUNDS):
            picks = _top(np.where(eligible, own * factor, 0.0), gumbel, k)
            taken = np.bincount(picks.ravel(), minlength=weights.shape[1])
            factor = np.where(limited, factor * wanted / np.maximum(taken, 1), factor)
        picks = _top(np.where(eligible, own * factor, 0.0), gumbel, k)
    return A_LEVEL_MAPPINGS[picks]


SHARE_ROUNDS = 5
"""Rounds of re-weighting the subjects with entry requirements (measured: maths reaches 98% of
its entries without requirements after five, 94% after three)."""


def _top(weights: np.ndarray, gumbel: np.ndarray, k: int) -> np.ndarray:
    """(students, k) indexes of the k largest keys log(weight) + Gumbel draw, largest first (a
    weight of 0 is never drawn)."""
    with np.errstate(divide="ignore"):
        keys = np.log(weights) + gumbel
    return np.argsort(-keys, axis=1)[:, :k]


AWARDING_BODIES = ("AQA", "OCR", "Pearson", "WJEC Eduqas")
"""Awarding bodies of A levels in England; KS5_BOARDNO is the body's position (1-4)."""
BOARD_SHARES = {"default": (0.45, 0.22, 0.23, 0.10),
                "4850": (0.75, 0.10, 0.10, 0.05), "4890": (0.80, 0.05, 0.05, 0.10),
                "5110": (0.60, 0.15, 0.10, 0.15), "5030": (0.65, 0.10, 0.15, 0.10),
                "2210": (0.25, 0.15, 0.55, 0.05), "2330": (0.15, 0.20, 0.60, 0.05),
                "2610": (0.25, 0.70, 0.00, 0.05), "6530": (0.00, 0.95, 0.00, 0.05),
                "6610": (0.00, 0.95, 0.00, 0.05), "5360": (0.05, 0.05, 0.00, 0.90),
                "5350": (0.40, 0.10, 0.00, 0.50), "1110": (0.50, 0.35, 0.10, 0.05),
                "1210": (0.50, 0.35, 0.10, 0.05), "1010": (0.45, 0.35, 0.15, 0.05),
                "4410": (0.45, 0.15, 0.35, 0.05), "4010": (0.40, 0.30, 0.25, 0.05)}
"""Share of each awarding body in a subject's entries (by mapping code; approximate market
shares: AQA leads psychology, sociology and English, Pearson maths, OCR computing and
classics, WJEC Eduqas film studies)."""


def choose_boards(rng: np.random.Generator, mapping: np.ndarray) -> np.ndarray:
    """Awarding body numbers (1-4) of results, drawn by the subject's board shares."""
    mapping = np.asarray(mapping).astype(str)
    shares = np.array([BOARD_SHARES.get(code, BOARD_SHARES["default"]) for code in mapping],
                      dtype=float).reshape(len(mapping), len(AWARDING_BODIES))
    cumulative = np.cumsum(shares / shares.sum(1, keepdims=True), axis=1)
    picks = (rng.random(len(mapping))[:, None] > cumulative).sum(1)
    return np.minimum(picks, len(AWARDING_BODIES) - 1) + 1


def board_subject_number(board: np.ndarray, mapping: np.ndarray) -> np.ndarray:
    """The awarding body's number for the subject: one per board and subject (the board's
    digit before the mapping code), as the real specification codes are."""
    return np.char.add(np.asarray(board).astype(str), np.asarray(mapping).astype(str))


LINEAR_FROM = {
    **dict.fromkeys(("3510", "3550", "3570", "3650", "3670", "3680", "3690", "1010", "3210",
                     "1110", "2610", "4410", "5030", "5110", "5010", "4010", "1210", "4850",
                     "4890"), 2017),
    **dict.fromkeys(("6610", "6550", "7230", "5210", "5650", "5670", "5750", "3910", "7010",
                     "7210", "4610"), 2018),
    **dict.fromkeys(("2210", "2330", "7410", "6510", "6530", "9020", "9070", "9080", "1730",
                     "1750", "5360", "1770", "3830", "4770", "5350", "7040", "4790", "4830",
                     "2260", "5950", "5690", "6090", "5910", "5730", "6070", "6110",
                     "6130", "6010", "6050", "6150", "5710", "6030", "6650"), 2019),
}
"""Summer of the first exams of each subject's reformed, linear A level (Ofqual's three waves:
first teaching in 2015, 2016 and 2017), by mapping code. Before it, every A level since
Curriculum 2000 (first exams 2002) was modular; subjects withdrawn rather than reformed
(General Studies, applied ICT, science, citizenship, additional maths) stay modular."""


def modular(mapping: np.ndarray, exam_year: np.ndarray) -> np.ndarray:
    """True where the subject's A level was modular in the summer ``exam_year``: before its
    reformed linear specification's first exams (:data:`LINEAR_FROM`), or never reformed."""
    first = np.array([LINEAR_FROM.get(code, 10_000) for code in np.asarray(mapping).astype(str)],
                     dtype=np.int64)
    return np.asarray(exam_year, dtype=np.int64) < first
