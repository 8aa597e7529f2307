"""The unconditional offers of UCAS's 2019 end of cycle analysis: which applications it
considered (main scheme applications of 18-year-olds from the 2013 cycle on; every simulated
applicant lives in England) and the kind of unconditional offer each of them received.

UCAS tells three kinds apart: direct unconditional (unconditional when made), conditional
unconditional (conditional, made unconditional if held firm) and other unconditional
(conditions met by June 30). Their shares of applicants by cycle are ``ucas.unconditional_offers``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from leo_synth.simulation.series import interpolate

ANALYSIS_FIRST_CYCLE = 2013
"""The first application cycle UCAS's analysis considered."""
NOT_ANALYSED, NONE, DIRECT, CONDITIONAL_UNCONDITIONAL, OTHER = -1, 0, 1, 2, 3
"""An application's kind: outside the analysis, no unconditional offer, or the offer's kind."""
KINDS = {DIRECT: "direct", CONDITIONAL_UNCONDITIONAL: "conditional_unconditional",
         OTHER: "other"}
"""The kinds by code, named as in ``ucas.unconditional_offers``."""


def offer_kinds(u: np.ndarray, shares: Mapping[str, Mapping[int, float]], cycle: np.ndarray,
                applicant: np.ndarray, offered: np.ndarray, analysed: np.ndarray) -> np.ndarray:
    """Per application (``applicant``: its applicant's index): ``NOT_ANALYSED`` outside the
    analysis, else the kind of unconditional offer it received (``NONE`` for a conditional
    offer or none), one uniform ``u`` each. An applicant with k offers gets each kind on an
    offer with chance 1 - (1 - s)^(1/k), so a share s of the applicants with an offer has
    one of that kind (s, the cycle's ``shares``)."""
    counted = offered & analysed
    size = int(applicant.max()) + 1 if len(applicant) else 0
    offers = np.bincount(applicant, weights=counted, minlength=size)[applicant]
    bound = np.zeros(len(u))
    kind = np.full(len(u), NONE)
    for code, name in KINDS.items():
        share = interpolate(shares[name], cycle)
        chance = 1.0 - (1.0 - share) ** (1.0 / np.maximum(offers, 1.0))
        kind = np.where((kind == NONE) & (u >= bound) & (u < bound + chance), code, kind)
        bound = bound + chance
    return np.where(analysed, np.where(counted, kind, NONE), NOT_ANALYSED)


def offer_columns(kind: np.ndarray, firm: np.ndarray,
                  unconditional: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Whether each offer stood unconditional at June 30 (a direct or other unconditional
    offer; a conditional unconditional one held firm; outside the analysis, ``unconditional``)
    and the analysis's flags."""
    at_june30 = np.where(kind == NOT_ANALYSED, unconditional,
                         (kind == DIRECT) | (kind == OTHER)
                         | ((kind == CONDITIONAL_UNCONDITIONAL) & firm))
    return at_june30, {
        "ucas_unconditional_offer_flag": (kind != NOT_ANALYSED).astype(int),
        "direct_unconditional_offer_flag": (kind == DIRECT).astype(int),
        "conditional_unconditional_offer_flag": (kind == CONDITIONAL_UNCONDITIONAL).astype(int),
        "other_unconditional_offer_flag": (kind == OTHER).astype(int),
        "unconditional_component_flag": (kind > NONE).astype(int),
    }
