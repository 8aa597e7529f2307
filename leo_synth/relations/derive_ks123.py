"""EYFSP and key stage 1-3 measures derived from the pupil's results, as DfE defines them.

The KS1, KS2 and KS3 builders provide each pupil's levels (KS1 as outcome indices 0..6 of
``W, 1, 2C, 2B, 2A, 3, 4``), test marks, fine levels, teacher assessments and prior
attainment (``ks123_results.py``); the rules of ``schemas/rules/ks1.yaml``, ``ks2_pupil.yaml``,
``ks2_exam.yaml``, ``ks3_pupil.yaml`` and ``ks3_result.yaml`` name these derivations, so flags,
point scores, progress and value added agree with the levels row by row. A prior attainment
of -1 means the pupil has no earlier row: measures that need it are NULL.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from leo_synth.relations.derive import as_text, derivation, per_frame, take_codes
from leo_synth.relations.ks123_results import KS1_CODES, KS1_POINTS, KS1_WHOLE
from leo_synth.relations.registry import YEAR_ATTRIBUTE
from leo_synth.relations.values import Masked
from leo_synth.simulation.calendar import yyyymmdd
from leo_synth.simulation.frame import Frame, split_nulls
from leo_synth.simulation.move_dates import YEAR_BEFORE_MONTHS
from leo_synth.spec.model import Relation, RelationColumn


@per_frame
def _values(frame: Frame, name: str) -> tuple[np.ndarray, np.ndarray]:
    """An attribute's values as floats and its NULL mask (NULL for Masked or -1 indices),
    shared by the frame's derivations of the attribute, so both are read-only."""
    values, null = split_nulls(frame[name])
    values, null = values.astype(float), null.view()  # a view: the frame's mask stays writable
    values.flags.writeable = null.flags.writeable = False
    return values, null


def _names(of: Any) -> list[str]:
    return list(of) if isinstance(of, list) else [str(of)]


def _out(values: np.ndarray, null: np.ndarray, column: RelationColumn | None) -> object:
    """Values as the column stores them (numbers in a text column as text, formatted once per
    distinct value), NULL where ``null``."""
    if column is not None and column.spec.type.kind == "string" and values.dtype.kind in "iuf":
        values = as_text(values)
    return Masked(values, null) if null.any() else values


def _coded(codes: np.ndarray, index: np.ndarray, null: np.ndarray,
           column: RelationColumn | None) -> object:
    """``codes[index]`` as the column stores it (converted once per code), NULL where
    ``null``."""
    if column is None:
        return _out(codes[index], null, column)
    return take_codes(column, codes, index, null)


@derivation("ks_flag")
def ks_flag(frame: Frame, relation: Relation, column: RelationColumn, rng: np.random.Generator,
            params: dict[str, Any]) -> object:
    """1 if every attribute of ``of`` (``any: true``: any of them) is at least ``at_least`` and
    at most ``at_most`` (a list: one bound per attribute), else 0; NULL where one is NULL or,
    with ``prior``, a prior index is -1."""
    names = _names(params["of"])
    oks, null = [], np.zeros(len(frame), dtype=bool)

    def bound(key: str, i: int) -> float:
        value = params[key]
        return float(value[i] if isinstance(value, list) else value)

    for i, name in enumerate(names):
        values, missing = _values(frame, name)
        if params.get("prior"):
            missing = missing | (values < 0)
        null |= missing
        ok = np.ones(len(frame), dtype=bool)
        if "at_least" in params:
            ok &= values >= bound("at_least", i) - 1e-9
        if "at_most" in params:
            ok &= values <= bound("at_most", i) + 1e-9
        oks.append(ok)
    ok = np.any(oks, axis=0) if params.get("any") else np.all(oks, axis=0)
    return _out(ok.astype(np.int64), null, column)


def _capped_points(points: np.ndarray, params: dict[str, Any]) -> np.ndarray:
    """Level points held at ``points_cap`` if given: DfE's fine-graded KS2 points stop at level
    6's 39 (the VRF's ranges), though a level 6 pupil's fine level runs past 6."""
    return np.minimum(points, float(params["points_cap"])) if "points_cap" in params else points


@derivation("ks_points")
def ks_points(frame: Frame, relation: Relation, column: RelationColumn, rng: np.random.Generator,
              params: dict[str, Any]) -> object:
    """Point score of ``of``: ``scale: level`` 6 x level + 3 (KS2/KS3 levels and fine levels:
    level 4 = 27), ``ks1`` the KS1 points of an outcome index (W 3, 1 9, 2C 13, 2B 15, 2A 17,
    3 21, 4 27), ``ks1_code`` / ``ks1_whole`` the index's code or whole level, ``value`` the
    value itself; with several attributes their mean (``digits`` decimals). NULL for a -1 (no
    prior) KS1 index or, with ``prior``, any negative (no prior) value."""
    scale = str(params.get("scale", "level"))
    parts, null = [], np.zeros(len(frame), dtype=bool)
    for name in _names(params["of"]):
        values, missing = _values(frame, name)
        if scale.startswith("ks1"):
            missing = missing | (values < 0)
            index = np.clip(values, 0, 6).astype(np.int64)
            if scale == "ks1_code":
                return _coded(KS1_CODES, index, missing, column)
            values = (KS1_WHOLE if scale == "ks1_whole" else KS1_POINTS)[index].astype(float)
        elif scale == "level":
            values = _capped_points(6 * values + 3, params)
        if params.get("prior"):
            missing = missing | (values < 0)
        null |= missing
        parts.append(values)
    out = np.mean(parts, axis=0)
    digits = params.get("digits")
    out = np.round(out, int(digits)) if digits is not None else out
    return _out(out, null, column)


@derivation("ks_band")
def ks_band(frame: Frame, relation: Relation, column: RelationColumn, rng: np.random.Generator,
            params: dict[str, Any]) -> object:
    """The code of the band attribute ``of`` falls in: ``codes[i]`` for values from ``cuts[i-1]``
    up to ``cuts[i]`` (``codes`` has one more entry than ``cuts``); NULL where ``of`` is NULL
    or, with ``prior``, -1, or below ``null_below``."""
    values, null = _values(frame, str(params["of"]))
    if params.get("prior"):
        null = null | (values < 0)
    if "null_below" in params:
        null = null | (values < float(params["null_below"]))
    cuts = np.asarray(params["cuts"], dtype=float)
    codes = np.asarray([str(c) for c in params["codes"]], dtype=object)
    return _coded(codes, np.searchsorted(cuts, values + 1e-9, side="right"), null, column)


@derivation("ks_progress")
def ks_progress(frame: Frame, relation: Relation, column: RelationColumn,
                rng: np.random.Generator, params: dict[str, Any]) -> object:
    """Levels of progress from the earlier stage's whole level (``prior``: a KS1 outcome index,
    W counting as level 0; or ``prior_level``: a level) to the level ``of``; with ``at_least`` the
    0/1 flag of making that many levels (DfE's expected progress is 2 levels). NULL without a
    prior row."""
    level, null = _values(frame, str(params["of"]))
    if "prior" in params:
        prior, missing = _values(frame, str(params["prior"]))
        missing = missing | (prior < 0)
        prior = KS1_WHOLE[np.clip(prior, 0, 6).astype(np.int64)]
    else:
        prior, missing = _values(frame, str(params["prior_level"]))
        missing = missing | (prior < 0)
    null = null | missing
    progress = (level - prior).astype(np.int64)
    if "at_least" in params:
        progress = (progress >= int(params["at_least"])).astype(np.int64)
    return _out(progress, null, column)


def prior_aps(frame: Frame, params: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """The prior stage's average point score and its NULL mask: the mean of the KS1 points of
    ``prior`` outcome indices (default reading, writing, maths) or, with ``scale: level``, of
    6 x level + 3 of prior (fine) levels."""
    names = _names(params.get("prior", ["ks1read", "ks1writ", "ks1mat"]))
    points, null = [], np.zeros(len(frame), dtype=bool)
    for name in names:
        values, missing = _values(frame, name)
        missing = missing | (values < 0)
        null |= missing
        if params.get("scale") == "level":
            points.append(6 * values + 3)
        else:
            points.append(KS1_POINTS[np.clip(values, 0, 6).astype(np.int64)].astype(float))
    return np.round(np.mean(points, axis=0), 2), null


@derivation("ks_prior")
def ks_prior(frame: Frame, relation: Relation, column: RelationColumn, rng: np.random.Generator,
             params: dict[str, Any]) -> object:
    """Measures of prior attainment (the earlier stage's APS, see :func:`prior_aps`): ``what``
    aps, aps2 (squared), aps3 (cubed), eal_aps / eal_aps2 (times the EAL flag), dev (the points
    of subject ``dev`` minus the APS), present (1 if the pupil has a prior row, never NULL);
    with ``cuts`` and ``codes`` the code of the APS's band (as :func:`ks_band`)."""
    aps, null = prior_aps(frame, params)
    what = str(params.get("what", "aps"))
    if "cuts" in params:  # the band of the APS: codes[i] from cuts[i-1] up to cuts[i]
        codes = np.asarray([str(c) for c in params["codes"]], dtype=object)
        cuts = np.asarray(params["cuts"], dtype=float)
        return _coded(codes, np.searchsorted(cuts, aps + 1e-9, side="right"), null, column)
    if what == "present":
        return (~null).astype(np.int64)
    if what == "dev":
        subject, missing = _values(frame, str(params["dev"]))
        points = (6 * subject + 3 if params.get("scale") == "level"
                  else KS1_POINTS[np.clip(subject, 0, 6).astype(np.int64)])
        return _out(np.round(points - aps, 2), null | missing | (subject < 0), column)
    power = {"aps": 1, "aps2": 2, "aps3": 3, "eal_aps": 1, "eal_aps2": 2}[what]
    out = np.round(aps ** power, 2)
    if what.startswith("eal"):
        out = out * (np.asarray(frame["eal_flag"]) == 1)
    return _out(out, null, column)


@derivation("ks_value_added")
def ks_value_added(frame: Frame, relation: Relation, column: RelationColumn,
                   rng: np.random.Generator, params: dict[str, Any]) -> object:
    """Value added: the prediction ``intercept + slope x prior APS`` plus the attribute
    ``offset`` if given (the year's national line, see ``ks123_results.value_added_offset``;
    ``what: pred``, capped at ``cap``; with ``grid: [low, high, step]`` held within low and
    high on the values low + k x step, as a median of level points is), the attainment
    (``actual``: the mean of 6 x level + 3 of the attributes ``of``, each at most
    ``points_cap`` if given, or with ``raw`` their mean as they are) or actual minus predicted
    plus ``centre`` (``score``). NULL without prior attainment."""
    aps, null = prior_aps(frame, params)
    pred = float(params["intercept"]) + float(params["slope"]) * aps
    if "offset" in params:
        pred = pred + np.asarray(frame[str(params["offset"])], dtype=float)
    if "cap" in params:
        pred = np.minimum(pred, float(params["cap"]))
    if "grid" in params:  # a median of level points: one of the APS a pupil can have
        low, high, step = (float(v) for v in params["grid"])
        pred = low + step * np.round((np.clip(pred, low, high) - low) / step)
    pred = np.round(pred, 2)
    what = str(params.get("what", "score"))
    if what == "pred":
        return _out(pred, null, column)
    parts = []
    for name in _names(params["of"]):
        values, missing = _values(frame, name)
        null = null | missing
        parts.append(values if params.get("raw") else _capped_points(6 * values + 3, params))
    actual = np.round(np.mean(parts, axis=0), 2)
    if what == "actual":
        return _out(actual, null, column)
    return _out(np.round(actual - pred + float(params.get("centre", 0)), 2), null, column)


@derivation("ks_mobility")
def ks_mobility(frame: Frame, relation: Relation, column: RelationColumn,
                rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """1 if the pupil joined their school (``entry_year``, from the census history, or the year
    before for a move between February and July) in one of the NC years ``joined`` (e.g. [6]:
    in Year 6 at KS2), else 0; with ``outside_months`` (e.g. [7, 8, 9]) only a join on a day
    (``entry_date``) outside those months counts, with ``after_day`` (e.g. 912) only a join
    after that day of the first of the years' September (the NEWMOBILE cut-off, 12
    September)."""
    year = np.asarray(frame[YEAR_ATTRIBUTE], dtype=np.int64)
    entry = yyyymmdd(frame["entry_date"])
    # a move between February and July is in the year before its first spring census there
    summer_move = np.isin(entry // 100 % 100, YEAR_BEFORE_MONTHS)
    joined_nc = (np.asarray(frame["yeargrp"], dtype=np.int64)
                 - (year - np.asarray(frame["entry_year"], dtype=np.int64)) - summer_move)
    years = [int(v) for v in params["joined"]]
    out = np.isin(joined_nc, years)
    if "outside_months" in params:
        out &= ~np.isin(entry // 100 % 100, [int(v) for v in params["outside_months"]])
    if "after_day" in params:
        first_year = year - (np.asarray(frame["yeargrp"], dtype=np.int64) - min(years))
        out &= entry > first_year * 10_000 + int(params["after_day"])
    return out.astype(np.int64)


@derivation("ks_entry_date")
def ks_entry_date(frame: Frame, relation: Relation, column: RelationColumn,
                  rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """Date the pupil joined the school as yyyymmdd (the census ``EntryDate``: 1 September of
    the entry year, a mover's day within it)."""
    return yyyymmdd(frame["entry_date"])


@derivation("ks_pscale")
def ks_pscale(frame: Frame, relation: Relation, column: RelationColumn,
              rng: np.random.Generator, params: dict[str, Any]) -> object:
    """P-scale (P4-P8) for a pupil working towards level 1 (outcome index 0, W) in the
    subject ``of``, drawn, higher P-scales likelier; NULL for everyone else."""
    index, null = _values(frame, str(params["of"]))
    codes = np.array(["P4", "P5", "P6", "P7", "P8"])
    picks = codes[np.searchsorted(np.cumsum([0.1, 0.15, 0.2, 0.25, 0.3]), rng.random(len(frame)),
                                  side="right").clip(0, 4)]
    return Masked(picks.astype(object), null | (index != 0))


@derivation("ks_flag_draw")
def ks_flag_draw(frame: Frame, relation: Relation, column: RelationColumn,
                 rng: np.random.Generator, params: dict[str, Any]) -> np.ndarray:
    """A rare 0/1 flag drawn only where attribute ``of`` is 1: 1 with probability ``share``
    there, 0 everywhere else (e.g. refugee status among pupils with English as an additional
    language)."""
    eligible = np.asarray(frame[str(params["of"])]) == 1
    return (eligible & (rng.random(len(frame)) < float(params["share"]))).astype(np.int64)


@derivation("ks_extension_mark")
def ks_extension_mark(frame: Frame, relation: Relation, column: RelationColumn,
                      rng: np.random.Generator, params: dict[str, Any]) -> object:
    """The extension (level 6 / exceptional performance) test's mark out of ``out_of`` (or
    ``out_of[s]``): NULL
    unless the level ``of`` reaches ``at_least`` (the extension level); then from half marks
    (the pass) up to full marks as the main test's ``mark`` rises through ``band`` (its marks
    at that level), so an abler pupil scores more."""
    level, null = _values(frame, str(params["of"]))
    mark, missing = _values(frame, str(params["mark"]))
    low, high = (float(b) for b in params["band"])
    out_of = params["out_of"]  # a number, or one per subject (the pattern's group ``s``)
    out_of = float(out_of[str(params["s"]).lower()] if isinstance(out_of, dict) else out_of)
    share = np.clip((mark - low) / (high - low), 0.0, 1.0)
    value = np.rint(out_of / 2 + out_of / 2 * share).astype(np.int64)
    return _out(value, null | missing | (level < float(params["at_least"])), column)


PSCALE_POINTS = np.array([1.75, 2.0, 2.25, 2.5, 2.75])
"""Points of the P-scales P4 ... P8 in KS2's record of KS1 prior attainment (the VRF's range
1.75 to 3.00, in quarter steps)."""


@derivation("ks_prior_pscale")
def ks_prior_pscale(frame: Frame, relation: Relation, column: RelationColumn,
                    rng: np.random.Generator, params: dict[str, Any]) -> object:
    """Points of the P-scale (P4-P8) of a pupil who was working towards level 1 (W, outcome
    index 0) at KS1 in the subject ``of``; NULL for everyone else and without a KS1 row. The
    P-scale rises with the later mark ``by``, one P-scale per ``step`` marks, so the same
    pupil has one P-scale in every strand and their average is it."""
    index, null = _values(frame, str(params["of"]))
    mark, missing = _values(frame, str(params["by"]))
    scale = np.clip(mark // float(params["step"]), 0, len(PSCALE_POINTS) - 1).astype(np.int64)
    return _out(PSCALE_POINTS[scale], null | missing | (index != 0), column)
