"""Another school of a pupil's phase, for a pupil who changes school.

A pupil who leaves a school (a move within the phase, or a permanent exclusion) joins another
one: a school of the same LA and phase, the grammar school stepped over, or, in an LA with no
other school of the phase (special schools in a small run: one per LA), a school of the phase
in another LA, as pupils placed out of their LA are. Never the school left, so the census shows
the move that the pupil's new entry date says happened.
"""

from __future__ import annotations

import numpy as np

from leo_synth.simulation.frame import Frame
from leo_synth.simulation.pools import Pools


def another_school(pools: Pools, school: np.ndarray, draw: np.ndarray) -> np.ndarray:
    """Per pupil, a school of the phase of ``school`` other than it and not a grammar school,
    chosen by ``draw`` (uniform on [0, 1))."""
    school = np.asarray(school, dtype=np.int64)
    la, phase = pools.schools["la"][school], pools.schools["phase"][school]
    first = pools.la_first_school[phase, la]
    count = pools.la_school_count[phase, la]
    step = 1 + (draw * np.maximum(count - 1, 1)).astype(np.int64)
    new = first + (school - first + step) % count
    grammar = pools.la_grammar[la]
    new = np.where(new == grammar, first + (new - first + 1) % count, new)
    # an LA with no other school of the phase: a school of the phase in another LA
    alone = (new == school) | (new == grammar)
    elsewhere = schools_of_phase(pools.schools)
    for ph in np.unique(phase[alone]):
        which = np.flatnonzero(alone & (phase == ph))
        choices = elsewhere[ph]
        pick = (draw[which] * (len(choices) - 1)).astype(np.int64)
        pick += choices[pick] >= school[which]  # (step over the school left)
        new[which] = choices[np.minimum(pick, len(choices) - 1)]
    return new


def schools_of_phase(schools: Frame) -> dict[int, np.ndarray]:
    """Per phase, its schools but grammar schools, in pool order."""
    return {int(ph): np.flatnonzero(~schools["grammar"] & (schools["phase"] == ph))
            for ph in np.unique(schools["phase"])}
