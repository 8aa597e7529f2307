"""Simulation parameters: the defaults in ``config/parameters.yaml``, optionally overridden.

A run config may name its own parameters file; its values are deep-merged onto the defaults and
any key the defaults do not have is an error (a typo would otherwise be silently ignored).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from leo_synth.errors import LeoSynthError, did_you_mean
from leo_synth.resources import config_file
from leo_synth.simulation.parameters_schema import is_table, parameter_problems
from leo_synth.spec.loader import read_yaml, read_yaml_cached


class Parameters:
    """Read-only nested parameters with dotted-path access: ``p["labour.spell_mean_years"]``."""

    def __init__(self, tree: dict[str, Any]):
        self._tree = tree

    def __getitem__(self, path: str) -> Any:
        node: Any = self._tree
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                raise KeyError(f"no parameter {path!r}")
            node = node[part]
        return node

    def tree(self) -> dict[str, Any]:
        return copy.deepcopy(self._tree)


def _merge(base: dict[str, Any], override: dict[str, Any], where: str, problems: list[str]) -> None:
    for key, value in override.items():
        path = f"{where}.{key}" if where else str(key)
        if key not in base:
            problems.append(f"unknown parameter {path!r}{did_you_mean(key, base)}")
        elif isinstance(base[key], dict) and isinstance(value, dict) and not is_table(base[key]):
            _merge(base[key], value, path, problems)
        else:
            base[key] = value


def load_parameters(override: Path | None = None,
                    defaults: Path | None = None) -> Parameters:
    """Defaults (the shipped ``config/parameters.yaml`` unless given), with an optional
    override file merged on top."""
    tree = read_yaml_cached(defaults or config_file("parameters.yaml"))
    if override is not None:
        extra = read_yaml(override)
        if extra is None:
            extra = {}
        if not isinstance(extra, dict):
            raise LeoSynthError(f"{override}: parameters must be a mapping of sections")
        problems: list[str] = []
        pristine = copy.deepcopy(tree)
        _merge(tree, extra, "", problems)
        if not problems:
            problems = parameter_problems(tree, pristine)
        if problems:
            count = f"{len(problems)} problems" if len(problems) > 1 else "a problem"
            raise LeoSynthError(f"parameters file {override} has {count}:\n"
                                + "\n".join(f"  {problem}" for problem in problems))
    return Parameters(tree)
