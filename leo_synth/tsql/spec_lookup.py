"""The spec as ``leo-synth sql`` looks relations up in it: one catalog per process, and each
iteration's relations expanded only when a name is looked up there.

The loader's cached catalog holds Iteration 2's relations expanded; Iteration 1's (18,000
columns) take about 0.4 s to expand. Three lookups (the SRS database names, the database of
a SQLite file's relation, the columns' SRS spellings) each loaded a catalog of their own and
expanded both iterations: a grouped query of a 10,000-person SQLite file took 2.4 s wall,
its query a fiftieth of that; 1.0 s now. (Rejected: caching Iteration 1 expanded too,
which every ``generate`` would then load.)
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from leo_synth.spec.model import Catalog, Relation


@cache
def catalog() -> Catalog:
    """The catalog, loaded once per process. Not checked against the builders, as
    ``generate`` checks it: that imports every builder, and pandas with them (0.6 s), to
    look names up in an output that was checked when it was made."""
    from leo_synth.spec.loader import load_catalog

    return load_catalog()


@cache
def _by_name(iteration: int) -> dict[str, Relation]:
    return {rel.name.lower(): rel for rel in catalog().relations(iteration)}


def relation(name: str) -> Relation | None:
    """The spec's relation of this name (any case): Iteration 2's, else Iteration 1's; None
    for a name the spec cannot hold (a #temp table's, leo-synth's own ``_leo_synth_...``),
    without expanding Iteration 1 for it."""
    key = name.lower()
    if key.startswith(("#", "@", "_")):
        return None
    return _by_name(2).get(key) or _by_name(1).get(key)
