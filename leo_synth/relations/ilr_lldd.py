"""An ILR learner's learning difficulty, disability or health problem, in the three detail
fields that go with the learner's ``LLDD`` flag.

A learner who considers themselves to have one (``LLDD`` 1) has one primary category
(``LLDD_Detail``, the ILR's primary LLDD from 2013/14), which is either a disability
(``Disability``, the ILR's L15 to 2012/13) or a learning difficulty (``LearnDiff``, L16), the
other field recording none (98); a learner without one has ``LLDD_Detail`` -1 (not applicable)
and 98 in both; a learner who gave no information (``LLDD`` 9) has 99 in all three. The category
is the person's own, the same in every year and at every provider (a draw per person). The
codes of a category in the three lists are the table :data:`CATEGORIES`; their shares are
``fe.lldd_primary`` in config/parameters.yaml.

(Rejected: the three fields drawn independently of each other and of ``LLDD``, as they were,
which gave learners with no difficulty a disability code, and learners a different one each
year.)
"""

from __future__ import annotations

import numpy as np

from leo_synth.simulation.life import LifeCourse
from leo_synth.simulation.stats import categorical

NONE, NOT_PROVIDED, NOT_APPLICABLE = 98, 99, -1
CATEGORIES = {
    # LLDD_Detail: (Disability, LearnDiff)
    4: (1, NONE),  # visual impairment
    5: (2, NONE),  # hearing impairment
    6: (3, NONE),  # disability affecting mobility
    93: (4, NONE),  # other physical disability
    95: (5, NONE),  # other medical condition
    1: (6, NONE),  # emotional/behavioural difficulties
    9: (7, NONE),  # mental health difficulty
    16: (8, NONE),  # temporary disability after illness or accident
    7: (9, NONE),  # profound complex disabilities
    15: (10, NONE),  # Asperger's syndrome
    2: (90, NONE),  # multiple disabilities
    97: (97, NONE),  # other disability
    10: (NONE, 1),  # moderate learning difficulty
    11: (NONE, 2),  # severe learning difficulty
    12: (NONE, 10),  # dyslexia
    13: (NONE, 11),  # dyscalculia
    94: (NONE, 19),  # other specific learning difficulty
    14: (NONE, 20),  # autism spectrum disorder
    3: (NONE, 90),  # multiple learning difficulties
    96: (NONE, 97),  # other learning difficulty
    0: (90, 90),  # more than one, no primary one specified
}
"""Each primary LLDD category (``LLDD_Detail``) with its ``Disability`` and ``LearnDiff``
codes (the VRF's code lists)."""


def lldd_details(life: LifeCourse, person: np.ndarray, lldd: np.ndarray) -> dict[str, np.ndarray]:
    """``lldd_detail``, ``disability`` and ``learn_diff`` of learner rows (``person``, and
    their ``LLDD`` flag: 1 has one, 2 has none, 9 not provided)."""
    shares = life.ctx.params["fe.lldd_primary"]
    codes = np.array([int(code) for code in shares])
    table = np.array([CATEGORIES[code] for code in codes.tolist()])
    drawn = categorical(life.ctx.rng("ilr.lldd_category"),
                        np.array(list(shares.values()), dtype=float), len(life.persons))
    own = drawn[person]  # (the person's category, whatever the year or provider)
    has = lldd == 1
    unknown = lldd == 9
    return {
        "lldd_detail": np.select([has, unknown], [codes[own], NOT_PROVIDED], NOT_APPLICABLE),
        "disability": np.select([has, unknown], [table[own, 0], NOT_PROVIDED], NONE),
        "learn_diff": np.select([has, unknown], [table[own, 1], NOT_PROVIDED], NONE),
    }
