"""The output-checking rules: ACRO's YAML keys and defaults, plus leo-synth's two additions.

ACRO ships its defaults in ``acro/default.yaml``; leo-synth reads them from the installed
package (so a newer ACRO's defaults are used), overlays ``config/output_rules.yaml`` and then
the user's ``--rules`` file. Keys of ACRO's file that do not concern a finished table
(degrees of freedom, survival plots, blocked file types...) are accepted and ignored, so a
TRE's ACRO configuration can be given as it is.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leo_synth.errors import LeoSynthError, did_you_mean
from leo_synth.resources import config_file
from leo_synth.spec.loader import read_yaml

USED = {
    "safe_threshold": (int, "minimum persons per cell"),
    "safe_nk_n": (int, "N of the N-K dominance rule"),
    "safe_nk_k": (float, "K of the N-K dominance rule (a share, 0-1)"),
    "safe_pratio_p": (float, "p of the p-ratio rule (a share, 0-1)"),
    "zeros_are_disclosive": (bool, "whether a zero count is refused"),
    "safe_round_base": (int, "rounding base"),
    "rounding_required": (bool, "whether counts must be multiples of safe_round_base"),
    "differencing": (bool, "whether to look for cells recoverable from totals"),
}
ACRO_OTHER = ("safe_dof_threshold", "check_missing_values", "survival_safe_threshold",
              "federated", "blocked_extensions")
"""ACRO keys for its own analyses (models, survival, files): accepted, not used here."""


def default_rules_path() -> Path:
    """``config/output_rules.yaml`` (packaged data, or the checkout's)."""
    return config_file("output_rules.yaml")


def acro_defaults() -> dict[str, Any]:
    """ACRO's own defaults (``acro/default.yaml`` of the installed ACRO, found without
    importing ACRO, which loads statsmodels and matplotlib)."""
    spec = importlib.util.find_spec("acro")
    if spec is None or spec.origin is None:
        raise LeoSynthError("check-output needs ACRO: pip install acro (or "
                            "pip install 'leo-synth[sdc]')")
    return read_yaml(Path(spec.origin).with_name("default.yaml")) or {}


@dataclass(frozen=True)
class Rules:
    """The rules a table is checked against, in ACRO's terms (``risk_appetite``)."""

    values: dict[str, Any]
    source: str

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def describe(self) -> str:
        """One line stating every rule in force."""
        v = self.values
        parts = [f"threshold {v['safe_threshold']} persons",
                 f"N-K dominance (N={v['safe_nk_n']}, K={v['safe_nk_k']:.0%})",
                 f"p-ratio (p={v['safe_pratio_p']:.0%})",
                 "zeros refused" if v["zeros_are_disclosive"] else "zeros allowed"]
        if v["rounding_required"]:
            parts.append(f"counts rounded to {v['safe_round_base']}")
        if v["differencing"]:
            parts.append("differencing of totals")
        return ", ".join(parts)


def _overlay(values: dict[str, Any], path: Path) -> None:
    data = read_yaml(path)
    if data is None:
        return
    if not isinstance(data, dict):
        raise LeoSynthError(f"{path}: rules are a mapping of ACRO keys (safe_threshold: 10, "
                            f"...)")
    problems = []
    for key, value in data.items():
        if key in ACRO_OTHER:
            continue
        if key not in USED:
            problems.append(f"unknown rule '{key}'{did_you_mean(key, [*USED, *ACRO_OTHER])}")
            continue
        kind, meaning = USED[key]
        ok = (isinstance(value, bool) if kind is bool else
              isinstance(value, int | float) and not isinstance(value, bool)
              and (kind is float or float(value).is_integer()))
        if not ok or (kind is not bool and value < 0):
            problems.append(f"{key} must be a {kind.__name__} >= 0 ({meaning}), not {value!r}")
            continue
        values[key] = kind(value)
    if values.get("safe_round_base", 1) < 1:
        problems.append("safe_round_base must be 1 or more")
    if problems:
        raise LeoSynthError(f"{path}: " + "; ".join(problems))


def load_rules(path: Path | None = None) -> Rules:
    """ACRO's defaults, then leo-synth's rules file, then ``path`` when given."""
    values = {k: v for k, v in acro_defaults().items() if k in USED}
    _overlay(values, default_rules_path())
    if path is not None:
        _overlay(values, path)
    missing = [k for k in USED if k not in values]
    if missing:
        raise LeoSynthError(f"rules missing: {', '.join(missing)}")
    return Rules(values, str(path or default_rules_path()))
