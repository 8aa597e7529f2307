"""HESA student fields that follow from other columns or the person: the occupation behind the
socio-economic classification, the MSOA of the home output area, loads and tariffs."""

from __future__ import annotations

import numpy as np

from leo_synth.relations.values import Masked
from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.per_block import per_block
from leo_synth.simulation.text import zfill

# Occupations (SOC unit groups, parent or student before entry) of each NS-SEC class 1-7:
# the SEC analytic class is derived from the occupation, so the code is drawn given the class.
SOC2010_BY_SEC = {
    1: ("1115", "2211", "2136", "2421", "2423"), 2: ("2231", "2314", "2315", "1190", "3545"),
    3: ("4112", "4121", "4215", "4122", "4159"), 4: ("5241", "5315", "8214", "5436", "5411"),
    5: ("5223", "5231", "5249", "5314", "3114"), 6: ("6145", "7111", "6121", "6131", "7113"),
    7: ("9233", "8211", "9272", "9134", "9260"),
}
SOC2000_BY_SEC = {
    1: ("1112", "2211", "2132", "2421", "2423"), 2: ("3211", "2314", "2315", "1163", "3543"),
    3: ("4112", "4121", "4215", "4122", "4150"), 4: ("5241", "5315", "9211", "5434", "5411"),
    5: ("5223", "5231", "5249", "5314", "3114"), 6: ("6115", "7111", "6121", "6131", "7113"),
    7: ("9233", "8211", "9223", "9134", "9149"),
}
LSOAS_PER_MSOA = 5
"""LSOAs per MSOA (about 5 in England and Wales)."""


@per_block
def occupation_draw(life: LifeCourse) -> np.ndarray:
    """One uniform per person: which occupation of the person's SEC class is recorded (the
    same in every year and instance)."""
    return life.ctx.rng("hesa.occupation").random(len(life.persons))


def occupations(life: LifeCourse, person: np.ndarray, sec: np.ndarray) -> dict[str, Masked]:
    """SOC2000 and SOC2010 occupation codes of each student's SEC class (NULL for class 8, never
    worked and long-term unemployed, which has no occupation)."""
    pick = occupation_draw(life)[person]
    out = {}
    for name, table in (("soc2000", SOC2000_BY_SEC), ("soc2010", SOC2010_BY_SEC)):
        codes = np.array([table.get(c, ("",) * 5) for c in range(1, 9)])  # (8, 5)
        cls = np.clip(sec, 1, 8) - 1
        which = np.minimum((pick * codes.shape[1]).astype(np.int64), codes.shape[1] - 1)
        out[name] = Masked(codes[cls, which], sec >= 8)
    return out


def msoa_codes(lsoa: np.ndarray) -> np.ndarray:
    """The MSOA (E02...) of each LSOA (E01...): consecutive LSOAs of an LA, five to an MSOA,
    in the synthetic code range."""
    lsoa = np.asarray(lsoa).astype(str)
    if not len(lsoa):  # np.char.replace cannot size an empty result
        return lsoa
    number = np.char.replace(lsoa, "E01", "").astype(np.int64) - 900000
    return np.char.add("E02", zfill((900000 + number // LSOAS_PER_MSOA).astype(str), 6))
