"""The definitions a target can name: one SQL computation each, grouped by family."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from leo_synth.report.derived import requirements as derived_requirements
from leo_synth.report.source import Workspace
from leo_synth.report.stats import Estimate

Params = Mapping[str, Any]
Compute = Callable[[Workspace, Params], Estimate]
Requires = Callable[[Params], list[str]]

FAMILIES = ("census", "key_stages", "ks4", "destinations", "higher_education", "graduates",
            "further_education", "labour", "benefits")


@dataclass(frozen=True)
class Definition:
    """A named computation: what it reads, the derived tables it uses, the function."""

    key: str
    family: str
    compute: Compute
    requires: Requires
    uses: tuple[str, ...]
    doc: str

    def needs(self, params: Params) -> list[str]:
        """Every extract requirement for these parameters (derived tables included)."""
        return list(self.requires(params)) + derived_requirements(list(self.uses))

    def reads(self, params: Params) -> list[str]:
        """Every relation the computation reads: its requirements and the relations its
        derived tables read when the extract has them (what a calibration run must write)."""
        return list(self.requires(params)) + derived_requirements(list(self.uses),
                                                                  optional=True)


DEFINITIONS: dict[str, Definition] = {}


def definition(key: str, requires: Requires | tuple[str, ...] = (),
               uses: tuple[str, ...] = ()) -> Callable[[Compute], Compute]:
    """Register a computation under ``key``; ``requires`` lists relations (or a function of
    the parameters giving them), ``uses`` the derived tables."""
    def register(fn: Compute) -> Compute:
        req = requires if callable(requires) else (lambda _p, r=tuple(requires): list(r))
        family = fn.__module__.rsplit(".", 1)[-1]
        DEFINITIONS[key] = Definition(key, family, fn, req, uses, (fn.__doc__ or "").strip())
        return fn
    return register


def load_all() -> dict[str, Definition]:
    """Import every family module (registering its definitions) and return the registry."""
    for family in FAMILIES:
        importlib.import_module(f"leo_synth.report.families.{family}")
    return DEFINITIONS


def run(ws: Workspace, key: str, params: Params) -> Estimate:
    """Compute a definition, building its derived tables first (results are memoised)."""
    spec = DEFINITIONS[key]
    memo = (key, _freeze(params))
    if memo not in ws.cache:
        ws.load(spec.requires(params))
        for name in spec.uses:
            ws.ensure(name)
        with ws.recording(memo):
            ws.cache[memo] = spec.compute(ws, params)
    else:
        ws.replay(memo)
    return ws.cache[memo]


def recorded_sql(ws: Workspace, key: str, params: Params) -> list[str]:
    """The queries a computed definition ran (empty when it was not computed)."""
    return ws.sql_log.get((key, _freeze(params)), [])


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value
