"""Relation builders: from simulated life courses to the rows of each SRS relation.

Importing the package registers every builder (one module per source family).
"""

from leo_synth.relations import (  # noqa: F401
    derive_ilr,
    derive_ks4,
    derive_ks5,
    derive_ks123,
    derive_school,
    dwp,
    hesa,
    hmrc,
    key_stages,
    ks5,
    ledger,
    lilr,
    linkage,
    npd,
    school_events,
    social_care,
    ucas,
    young_people,
)
