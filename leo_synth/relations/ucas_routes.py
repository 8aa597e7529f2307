"""How a placed UCAS applicant was accepted, and which of their applications holds the place.

The VRF lists the acceptance routes (Firm choice, Insurance choice, Main Scheme Clearing,
Direct Clearing, Adjustment, Extra, RPA, Other Main Scheme Choice) without codes; their
one-digit codes here follow that order. Most young applicants are placed at their firm
choice; mature applicants more often apply direct to Clearing or are recorded by their
provider (RPA), with one application only (roughly UCAS's end-of-cycle shares by age). Every
acceptance was the firm choice before.
"""

from __future__ import annotations

import numpy as np

from leo_synth.relations.ucas_unconditional import offer_columns
from leo_synth.relations.values import Masked
from leo_synth.simulation.stats import categorical

ROUTES = ("Firm choice", "Insurance choice", "Main Scheme Clearing", "Direct Clearing",
          "Adjustment", "Extra", "RPA", "Other Main Scheme Choice")
"""Acceptance routes, in the VRF's order (code = position + 1)."""
FIRM, INSURANCE, CLEARING, DIRECT, ADJUSTMENT, EXTRA, RPA, OTHER_MAIN = range(len(ROUTES))
SHARES = {"young": (0.76, 0.09, 0.09, 0.02, 0.002, 0.013, 0.015, 0.01),
          "mature": (0.55, 0.05, 0.10, 0.15, 0.0, 0.01, 0.12, 0.02)}
"""Shares of the routes for applicants aged up to 20 and older."""
APPLICATION_ROUTE = {CLEARING: ("3", "Clearing"), DIRECT: ("3", "Clearing"),
                     ADJUSTMENT: ("2", "Adjustment"), EXTRA: ("4", "Extra"),
                     RPA: ("5", "RPA")}
"""The application route of the application holding the place (others: "1", Main scheme)."""
LATE = (CLEARING, DIRECT, ADJUSTMENT, EXTRA)
"""Routes whose application is made after the June 30 deadline (July or August)."""
SINGLE = (DIRECT, RPA)
"""Routes of applicants with that one application only."""
DECISIONS = np.array(["Conditional offer", "Unconditional offer", "Rejected"])
HELD_FIRM = (FIRM, INSURANCE, CLEARING, ADJUSTMENT)
"""Routes of applicants who held a firm choice at the June 30 deadline (their first choice,
so it was an offer then)."""


def acceptance_routes(rng: np.random.Generator, mature: np.ndarray) -> np.ndarray:
    """The acceptance route of each placed applicant (``mature``: aged over 20)."""
    shares = np.where(mature[:, None], np.array(SHARES["mature"]), np.array(SHARES["young"]))
    return categorical(rng, shares)


def made_late(route: np.ndarray, placed: np.ndarray) -> np.ndarray:
    """Whether each application (``route``: its applicant's; ``placed``: it holds the place)
    was made after the June 30 deadline: Clearing, Extra, Adjustment."""
    return placed & np.isin(route, LATE)


def placed_choice(route: np.ndarray, choices: np.ndarray) -> np.ndarray:
    """The position among an applicant's applications of the one that holds the place: the
    firm choice first, the insurance second, an unanswered main scheme choice third, a later
    route's application last."""
    return np.select([route == INSURANCE, route == OTHER_MAIN, np.isin(route, LATE)],
                     [np.ones_like(choices), np.full_like(choices, 2), choices - 1], 0)


def firm_offer(route: np.ndarray, choice: np.ndarray) -> np.ndarray:
    """Whether each application (``route``: its applicant's, -1 if not placed) was the offer the
    applicant held firm at June 30: the first choice of one placed by a route that held it."""
    return (choice == 0) & np.isin(route, HELD_FIRM)


def responses(route: np.ndarray, choice: np.ndarray, placed: np.ndarray,
              offered: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The applicant's reply to each application at June 30 (rows of an applicant in choice
    order): firm and insurance, and whether they replied at all. Only an offer is accepted:
    the firm choice is the first, if an offer, of an applicant who held one (or placed by RPA,
    a place the provider accepted directly; or not placed, the offer missed); the insurance
    the second, if an offer, beside a firm one; a rejection has no reply, nor the unanswered
    choice placed by "Other Main Scheme Choice"."""
    holds = np.isin(route, HELD_FIRM) | (route < 0) | (placed & (route == RPA))
    firm = (choice == 0) & offered & holds
    insurance = (choice == 1) & offered & np.r_[False, firm[:-1]]
    replied = offered & ~(placed & (route == OTHER_MAIN))
    return firm, insurance, replied


def route_columns(route: np.ndarray, choice: np.ndarray, placed: np.ndarray,
                  offered: np.ndarray, unconditional: np.ndarray,
                  offer_kind: np.ndarray) -> dict[str, object]:
    """Per application (``route``: its applicant's acceptance route, -1 if not placed;
    ``placed``: the application holds the place; rows of an applicant in choice order): the
    routes, and the provider's decision and the applicant's response at the June 30 deadline,
    NULL for an application made after it (Clearing, Extra, Adjustment) and the response NULL
    where the applicant made none (:func:`responses`); the unconditional offers' flags of
    the applications UCAS analysed (``offer_kind``, :mod:`~leo_synth.relations.ucas_unconditional`).
    """
    late = made_late(route, placed)
    firm, insurance, replied = responses(route, choice, placed, offered)
    unconditional, flags = offer_columns(offer_kind, firm, unconditional)
    application = [APPLICATION_ROUTE.get(r, ("1", "Main scheme")) for r in range(len(ROUTES))]
    codes = np.array([code for code, _ in application])
    names = np.array([name for _, name in application])
    kind = np.maximum(route, 0)
    return {
        "acceptance_route_code": np.where(placed, (kind + 1).astype(str), ""),
        "acceptance_route": np.where(placed, np.array(ROUTES)[kind], ""),
        "application_route_code": np.where(placed, codes[kind], "1"),
        "application_route": np.where(placed, names[kind], "Main scheme"),
        "main_scheme_application_flag": (~late).astype(np.int64),
        **flags,
        "june30_hep_decision_code": Masked(
            np.where(offered, np.where(unconditional, "U", "C"), "R"), late),
        "june30_app_response_code": Masked(
            np.where(firm, "F", np.where(insurance, "I", "D")), late | ~replied),
        # (it was drawn apart from the code: a third of the other choices "Unconditional
        # offer", a third "Rejected" beside the code C)
        "provider_decision_june30": Masked(np.where(
            offered, np.where(unconditional, DECISIONS[1], DECISIONS[0]), DECISIONS[2]), late),
        "app_response_june30": Masked(
            np.where(firm, "Firm", np.where(insurance, "Insurance", "Declined")),
            late | ~replied),
    }
