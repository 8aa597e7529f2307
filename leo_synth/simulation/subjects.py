"""Degree subjects: JACS principal subjects grouped into CAH2 subjects, and who studies what.

The JACS principal subjects (the four-character codes HESA records, e.g. ``L100`` economics)
and the CAH2 subject each belongs to are data (``config/jacs_cah2.csv``, with each principal
subject's weight within its CAH2 subject). ``he.subjects`` in ``config/parameters.yaml``
holds, per CAH2 subject, its share of graduates, women's share, the prior-attainment tilt
and the published earnings medians that set its pay level and growth.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from leo_synth.errors import LeoSynthError
from leo_synth.resources import config_file
from leo_synth.simulation.parameters import Parameters

SUBJECT_MAP = config_file("jacs_cah2.csv")


@dataclass(frozen=True)
class SubjectCatalogue:
    """JACS principal subjects, ordered by their CAH2 subject (parameter order)."""

    jacs: np.ndarray  # principal subject code, e.g. "L100"
    jacs_name: np.ndarray
    cah2: np.ndarray  # per principal subject: index into ``he.subjects``
    cah2_code: np.ndarray  # per CAH2 subject, e.g. "CAH15-02"
    cah2_name: np.ndarray  # per CAH2 subject
    cumulative: np.ndarray  # per principal subject: CAH2 index + cumulative weight share
    within: np.ndarray  # per principal subject: its weight's share of its CAH2 subject's

    @property
    def area(self) -> np.ndarray:
        """JACS subject area letter of each principal subject."""
        return np.array([code[0] for code in self.jacs])


@lru_cache(maxsize=4)
def _read_map(path: Path) -> tuple[tuple[str, str, str, str, float], ...]:
    with path.open(newline="", encoding="utf-8") as f:
        return tuple((r["jacs"], r["jacs_name"], r["cah2"], r["cah2_name"], float(r["weight"]))
                     for r in csv.DictReader(f))


def mapping_mismatch(codes: list[str]) -> str | None:
    """What keeps ``he.subjects``' CAH2 ``codes`` from matching the JACS mapping's, one to one
    (None when they do): the parameters check reports it before a run, and
    :func:`subject_catalogue` refuses to build on it."""
    rows = _read_map(SUBJECT_MAP)
    twice = sorted({c for c in codes if codes.count(c) > 1})
    unknown = sorted({r[2] for r in rows} - set(codes))
    unmapped = sorted(set(codes) - {r[2] for r in rows})
    if not (twice or unknown or unmapped):
        return None
    return (f"CAH2 subjects of {SUBJECT_MAP.name} not in he.subjects {unknown}, he.subjects "
            f"without a JACS principal subject {unmapped}, listed twice {twice}; make the two "
            "lists agree")


def subject_catalogue(params: Parameters) -> SubjectCatalogue:
    """The principal subjects of the mapping, checked against ``he.subjects``."""
    subjects = params["he.subjects"]
    codes = [s["cah2"] for s in subjects]
    index = {c: i for i, c in enumerate(codes)}
    rows = _read_map(SUBJECT_MAP)
    problem = mapping_mismatch(codes)
    if problem:
        raise LeoSynthError(f"{SUBJECT_MAP}: {problem}")
    rows = sorted(rows, key=lambda r: index[r[2]])  # stable: file order within a subject
    cah2 = np.array([index[r[2]] for r in rows], dtype=np.int64)
    weight = np.array([r[4] for r in rows])
    totals = np.bincount(cah2, weights=weight, minlength=len(codes))
    within = np.cumsum(weight) - np.concatenate([[0.0], np.cumsum(totals)])[cah2]
    return SubjectCatalogue(
        jacs=np.array([r[0] for r in rows]), jacs_name=np.array([r[1] for r in rows]),
        cah2=cah2, cah2_code=np.array(codes),
        cah2_name=np.array([s["name"] for s in subjects]),
        cumulative=cah2 + within / totals[cah2], within=weight / totals[cah2])


def draw_subjects(u_cah2: np.ndarray, u_jacs: np.ndarray, params: Parameters,
                  female: np.ndarray, latent: np.ndarray) -> np.ndarray:
    """Principal subject (catalogue index) of first HE courses: the CAH2 subject by its share
    among graduates of the student's sex, tilted by prior attainment (``latent``, the HE
    entry score), then the principal subject by its weight within the CAH2 subject; one
    uniform draw per course for each step."""
    catalogue = subject_catalogue(params)
    subjects = params["he.subjects"]
    tilt = params["he.subject_tilt"]
    share = np.array([s["share"] for s in subjects], dtype=float)
    share /= share.sum()
    women = np.array([s["female"] for s in subjects], dtype=float) / 100.0
    overall = float(share @ women)
    by_sex = np.where(female[:, None], share * women / overall,
                      share * (1 - women) / (1 - overall))
    prior = np.array([s["prior"] for s in subjects], dtype=float)
    # exp(b (z - mean) - b^2 var / 2) averages 1 over entrants' scores, keeping the shares.
    centred = latent[:, None] - tilt["mean"]
    weight = by_sex * np.exp(prior * centred - prior ** 2 * tilt["variance"] / 2)
    cum = np.cumsum(weight, axis=1)
    u = u_cah2 * cum[:, -1]
    cah2 = np.minimum((cum <= u[:, None]).sum(axis=1), len(subjects) - 1)
    position = np.searchsorted(catalogue.cumulative, cah2 + u_jacs, side="right")
    return np.minimum(position, len(catalogue.jacs) - 1)


SINGLE, BALANCED, MAJOR_MINOR, THREE = 0, 1, 2, 3
"""Subject combinations of a course: one subject, two equally, a major and a minor, three."""
FPE = np.array([[100.0, 0.0, 0.0], [50.0, 50.0, 0.0], [66.7, 33.3, 0.0], [33.4, 33.3, 33.3]])
"""Per combination: the full-person equivalent (XFPE01_n, percent of time) of subjects 1-3."""


def joint_rates(params: Parameters) -> np.ndarray:
    """Per principal subject: the share of its first-degree students on joint honours."""
    catalogue = subject_catalogue(params)
    joint = params["he.joint_honours"]
    codes = list(catalogue.cah2_code)
    unknown = sorted(set(joint["by_subject"]) - set(codes))
    if unknown:
        raise LeoSynthError(f"he.joint_honours.by_subject: {unknown} are not CAH2 subjects of "
                            "he.subjects; use their codes (e.g. CAH19-04)")
    by_cah2 = np.array([float(joint["by_subject"].get(c, joint["default"])) for c in codes])
    return by_cah2[catalogue.cah2]


def draw_combinations(u_joint: np.ndarray, u_kind: np.ndarray, u_second: np.ndarray,
                      u_third: np.ndarray, subject: np.ndarray, eligible: np.ndarray,
                      params: Parameters) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Joint honours of courses whose principal subject is ``subject`` (``eligible``: first
    degrees): the combination (SINGLE ... THREE) and the second and third principal subjects
    (-1 if none), each other than the courses' earlier subjects. A partner subject is drawn
    in proportion to its share of students times its joint rate, so subjects often studied
    jointly are often the partners; one uniform per course for each step."""
    catalogue = subject_catalogue(params)
    rates = joint_rates(params)
    kinds = params["he.joint_honours"]["kinds"]
    mix = np.cumsum([kinds["balanced"], kinds["major_minor"], kinds["three"]])
    joint = eligible & (u_joint < rates[subject])
    kind = np.where(joint, 1 + np.minimum((u_kind * mix[-1] >= mix[:, None]).sum(axis=0), 2),
                    SINGLE)
    share = np.array([s["share"] for s in params["he.subjects"]], dtype=float)
    weight = share[catalogue.cah2] * catalogue.within * rates
    second = _pick_other(u_second, weight, [subject], kind != SINGLE)
    third = _pick_other(u_third, weight, [subject, second], kind == THREE)
    return kind, second, third


def _pick_other(u: np.ndarray, weight: np.ndarray, taken: list[np.ndarray],
                wanted: np.ndarray) -> np.ndarray:
    """Per row where ``wanted``: a principal subject by ``weight``, none of ``taken``; else -1."""
    rows = np.flatnonzero(wanted)
    w = np.broadcast_to(weight, (len(rows), len(weight))).copy()
    for t in taken:
        w[np.arange(len(rows)), t[rows]] = 0.0
    cum = np.cumsum(w, axis=1)
    pick = np.minimum((cum <= (u[rows] * cum[:, -1])[:, None]).sum(axis=1), len(weight) - 1)
    out = np.full(len(u), -1, dtype=np.int64)
    out[rows] = pick
    return out


def subject_pay(params: Parameters) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per CAH2 subject: log pay level at 1 YAG, and extra log growth to 5 and from 5 to 10
    YAG, each relative to the share-weighted average subject (from the published medians)."""
    subjects = params["he.subjects"]
    tilt = params["he.subject_tilt"]
    share = np.array([s["share"] for s in subjects], dtype=float)
    share /= share.sum()
    women = np.array([s["female"] for s in subjects], dtype=float) / 100.0
    prior = np.array([s["prior"] for s in subjects], dtype=float)
    log_median = np.log(np.array([s["median"] for s in subjects], dtype=float))  # 1, 5, 10 YAG
    # Net of the pay its students' sex and prior attainment bring anyway: a subject of
    # more women than average starts higher (its women's lower pay brings its median down
    # to the published one), a subject of high prior attainment lower (ability pays anyway).
    composition = (tilt["pay_per_female_share"] * (women - share @ women)
                   + tilt["pay_per_prior"] * tilt["variance"] * (share @ prior - prior))
    level = log_median[:, 0] - share @ log_median[:, 0] + composition
    growth5 = log_median[:, 1] - log_median[:, 0]
    growth10 = log_median[:, 2] - log_median[:, 1]
    return level, growth5 - share @ growth5, growth10 - share @ growth10
