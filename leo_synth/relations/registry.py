"""Relation builders: the code side of a spec's ``builder:`` and ``fill: <attribute>`` entries.

A builder turns one block's simulated life courses into the rows of one physical relation, as a
:class:`~leo_synth.simulation.frame.Frame` of named attributes (one array per attribute). It
declares the attributes it provides, so a spec that asks for an attribute no builder makes is
caught when the specs are validated, not halfway through a run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from leo_synth.engine.keys import KeyMaker
from leo_synth.errors import did_you_mean
from leo_synth.simulation.frame import Frame
from leo_synth.simulation.parameters import Parameters
from leo_synth.simulation.pools import Pools
from leo_synth.spec.loader import SpecProblem
from leo_synth.spec.model import Catalog, Relation

YEAR_ATTRIBUTE = "_year"
"""Row attribute with the row's start year, used to null columns outside their years."""

BuildFn = Callable[[Any, Relation], Frame]


@dataclass(frozen=True)
class Builder:
    """A registered builder. ``static`` builders make reference relations that do not depend on
    persons (employers, learning aims): they run once per run on a :class:`StaticContext`
    instead of once per block on a :class:`~leo_synth.simulation.life.LifeCourse`."""

    name: str
    provides: frozenset[str]
    build: BuildFn
    static: bool = False


@dataclass(frozen=True)
class StaticContext:
    """What a static builder sees: the run's seed, parameters, pools and key maker."""

    seed: int
    params: Parameters
    pools: Pools
    keys: KeyMaker


BUILDERS: dict[str, Builder] = {}


def builder(name: str, provides: Iterable[str],
            static: bool = False) -> Callable[[BuildFn], BuildFn]:
    """Register a relation builder under ``name`` providing ``provides`` attributes."""

    def register(fn: BuildFn) -> BuildFn:
        if name in BUILDERS:
            raise ValueError(f"builder {name!r} registered twice")
        BUILDERS[name] = Builder(name, frozenset(provides), fn, static)
        return fn

    return register


def check_catalog(catalog: Catalog) -> list[SpecProblem]:
    """Problems between the specs and the registered builders and derivations."""
    from leo_synth.relations import derive

    problems: list[SpecProblem] = []
    for table in catalog.tables:
        found = BUILDERS.get(table.builder)
        if found is None:
            extra = did_you_mean(table.builder, BUILDERS)
            problems.append(SpecProblem(table.source_file,
                                        f"unknown builder {table.builder!r}{extra}", table.name))
            continue
        for col in table.columns:
            if (col.fill.kind == "attr"
                    and col.fill.attr.replace("[n]", "1") not in found.provides):
                extra = did_you_mean(col.fill.attr, found.provides)
                problems.append(SpecProblem(
                    table.source_file, f"builder {table.builder!r} provides no attribute "
                    f"{col.fill.attr!r}{extra}", table.name, col.name))
            for name in col.fill.per:
                if name not in found.provides:
                    problems.append(SpecProblem(
                        table.source_file, f"per: builder {table.builder!r} provides no "
                        f"attribute {name!r}{did_you_mean(name, found.provides)}", table.name,
                        col.name))
            if col.fill.per and col.fill.kind == "derive" and (
                    col.fill.derive not in derive.BATCHED_DERIVATIONS):
                problems.append(SpecProblem(
                    table.source_file, f"per: derivation {col.fill.derive!r} draws no keyed "
                    "uniforms (only a draw or a batched derivation can be keyed)", table.name,
                    col.name))
            if col.fill.kind == "derive" and not derive.is_derivation(col.fill.derive):
                problems.append(SpecProblem(table.source_file,
                                            f"unknown derivation {col.fill.derive!r}",
                                            table.name, col.name))
    return problems
