"""Run configuration: a YAML file (``config/*.yaml``) whose values command-line flags override.

Every problem is reported in one message naming the key, the bad value and what is allowed.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from leo_synth.engine.parts import parse_part
from leo_synth.errors import LeoSynthError, did_you_mean
from leo_synth.quirks.profiles import DEFAULT_PROFILE, PROFILES
from leo_synth.spec.loader import read_yaml
from leo_synth.srs_address import DEFAULT_PROJECT, check_project

FORMATS = ("sqlite", "parquet", "postgres", "duckdb", "csv")
IF_EXISTS = ("fail", "replace")
ENGINES = ("local", "dask")
"""``local``: a process pool on this machine; ``dask``: Dask tasks writing a Parquet dataset."""
POSTGRES_URL_SCHEMES = ("postgresql://", "postgres://")
AUTO_WORKERS = 4
"""The most workers ``--workers auto`` starts (memory: two blocks in flight per worker)."""
MAX_PERSONS = 50_000_000
"""Above the real extract's ~39 million persons; anything larger is a typo."""


@dataclass(frozen=True)
class RunConfig:
    """Everything that determines a run's output (and where it goes)."""

    persons: int = 10_000
    seed: int = 42
    iteration: int = 2
    block_size: int = 5_000
    workers: int | str = 1
    """Worker processes, or ``auto`` (:meth:`worker_count`)."""
    format: str = "sqlite"
    out: str = "out/leo.sqlite"
    if_exists: str = "fail"
    parameters: str | None = None
    request: str | None = None
    srs_project: str = DEFAULT_PROJECT
    """The SRS project number: the schema of every relation's three-part name."""
    part: str | None = None
    """``K/N``: generate only the K-th of N shares of the person blocks (engine/parts.py)."""
    profile: str = DEFAULT_PROFILE
    quirks: dict[str, float] | None = None
    ledger: bool = True
    engine: str = "local"
    """Who runs the blocks: ``local`` (this machine's processes) or ``dask``
    (engine/dask_blocks.py)."""
    scheduler: str | None = None
    """The Dask scheduler's address (``tcp://host:8786``); None: a LocalCluster on this
    machine."""
    base_dir: str = "."

    def worker_count(self) -> int:
        """``workers``, with ``auto`` as one per core, no more than the run's blocks and at
        most ``AUTO_WORKERS`` (each worker holds up to two blocks); a run of one block shares
        its relations among one worker per core (engine/generate.py ``block_shares``)."""
        if self.workers != "auto":
            return int(self.workers)
        blocks = math.ceil(self.persons / self.block_size)
        if blocks == 1:
            return max(1, min(os.cpu_count() or 1, AUTO_WORKERS))
        return max(1, min(os.cpu_count() or 1, blocks, AUTO_WORKERS))

    def with_overrides(self, **overrides: Any) -> RunConfig:
        """A copy with the non-None overrides applied, validated."""
        values = {k: v for k, v in overrides.items() if v is not None}
        return validate(replace(self, **values))

    def resolve(self, path: str) -> Path:
        """A path from the config file, relative to the config file's folder."""
        candidate = Path(path)
        return candidate if candidate.is_absolute() else Path(self.base_dir) / candidate


_CHECKS: dict[str, tuple[type, Any]] = {
    "persons": (int, (1, MAX_PERSONS)),
    "seed": (int, (0, 2**63 - 1)),
    "iteration": (int, (1, 2)),
    "block_size": (int, (100, 1_000_000)),
    "workers": (int, (1, 64)),
    "format": (str, FORMATS),
    "out": (str, None),
    "if_exists": (str, IF_EXISTS),
    "parameters": (str, None),
    "request": (str, None),
    "part": (str, None),
    "profile": (str, PROFILES),
    "engine": (str, ENGINES),
    "scheduler": (str, None),
}


def validate(config: RunConfig) -> RunConfig:
    """Check every value; raise one :class:`LeoSynthError` listing all problems."""
    problems = []
    for name, (kind, allowed) in _CHECKS.items():
        value = getattr(config, name)
        if value is None and name in ("parameters", "request", "part", "scheduler"):
            continue
        if name == "workers" and value == "auto":
            continue
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            also = " or auto" if name == "workers" else ""
            problems.append(f"{name} must be a whole number{also}, got {value!r}")
        elif kind is str and not isinstance(value, str):
            problems.append(f"{name} must be text, got {value!r}")
        elif isinstance(allowed, tuple) and kind is int and not allowed[0] <= value <= allowed[1]:
            problems.append(f"{name} must be between {allowed[0]:,} and {allowed[1]:,}, got "
                            f"{value:,}")
        elif isinstance(allowed, tuple) and kind is str and value not in allowed:
            problems.append(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
        elif name == "part":
            try:
                parse_part(value)
            except LeoSynthError as exc:
                problems.append(str(exc))
    project = config.srs_project
    try:
        project = check_project(project)
    except LeoSynthError as exc:
        problems.append(f"srs_project: {exc}")
    if isinstance(config.out, str) and isinstance(config.format, str):
        mismatch = out_format_problem(config.out, config.format)
        if mismatch:
            problems.append(mismatch)
    problems.extend(_engine_problems(config))
    if not isinstance(config.ledger, bool):
        problems.append(f"ledger must be true or false, got {config.ledger!r}")
    if config.quirks is not None:  # imported here: the quirks load the relation builders
        from leo_synth.quirks.apply import quirk_problems

        problems.extend(quirk_problems(config.quirks))
    if problems:
        raise LeoSynthError("bad configuration: " + "; ".join(problems))
    return config if project == config.srs_project else replace(config, srs_project=project)


def _engine_problems(config: RunConfig) -> list[str]:
    """The Dask engine writes a Parquet dataset; a scheduler means the Dask engine."""
    if config.engine == "dask" and config.format != "parquet":
        return [f"engine dask writes a partitioned Parquet dataset, not {config.format}: use "
                f"--format parquet (or --engine local for {config.format})"]
    if config.scheduler is not None and config.engine != "dask":
        return ["scheduler is the address of a Dask scheduler: it needs --engine dask"]
    if (config.engine == "local" and isinstance(config.out, str) and "://" in config.out
            and not is_postgres_url(config.out)):
        return [f"out {config.out} is a URL: only --engine dask writes to URLs (fsspec); "
                f"give a local path for {config.format}"]
    return []


def is_postgres_url(out: str) -> bool:
    """Whether an output names a PostgreSQL database (rather than a file or folder)."""
    return out.strip().lower().startswith(POSTGRES_URL_SCHEMES)


SUFFIX_FORMATS = {".sqlite": "sqlite", ".sqlite3": "sqlite", ".db": "sqlite",
                  ".parquet": "parquet", ".duckdb": "duckdb", ".csv": "csv"}
"""The format an output's name gives away (a folder named ``leo.parquet`` or ``leo.duckdb``,
as Spark and DuckDB users name theirs, is that format's folder)."""


def format_of_out(out: str) -> str | None:
    """The format ``out`` names: postgres for a ``postgresql://`` URL, else by its suffix
    (:data:`SUFFIX_FORMATS`); None when its name does not say (``out/leo_parquet``)."""
    if is_postgres_url(out):
        return "postgres"
    name = out.strip().rstrip("/\\").lower()
    return next((fmt for suffix, fmt in SUFFIX_FORMATS.items() if name.endswith(suffix)), None)


def out_format_problem(out: str, fmt: str) -> str | None:
    """Why ``out`` cannot take output of format ``fmt`` (None when it can): a PostgreSQL URL
    takes PostgreSQL alone, and a name with another format's suffix is a mistake (a SQLite
    file named ``leo.parquet`` that no Parquet reader opens)."""
    named = format_of_out(out)
    if named == "postgres" and fmt != "postgres":
        return (f"out is a PostgreSQL URL but format is {fmt}: use --format postgres (or "
                f"leave --format out), or give a file path")
    if fmt == "postgres" and named != "postgres":
        return None  # (the PostgreSQL writer says what a URL must look like)
    if named is not None and named != fmt:
        return (f"out {out} names a {named} output but format is {fmt}: use --format "
                f"{named} (or leave --format out), or name the output for {fmt}")
    return None


def load_config(path: Path | None, defaults: RunConfig | None = None) -> RunConfig:
    """Read a run config file (or the defaults when ``path`` is None); what the file does not
    set comes from ``defaults`` (the Python API's, unless given)."""
    defaults = defaults or RunConfig()
    if path is None:
        return validate(defaults)
    doc = read_yaml(path) or {}
    if not isinstance(doc, dict):
        raise LeoSynthError(f"{path}: a run config must be a mapping of settings")
    known = {f.name for f in fields(RunConfig)} - {"base_dir"}
    unknown = [k for k in doc if k not in known]
    if unknown:
        hints = [f"{key!r}{did_you_mean(key, known)}" for key in unknown]
        raise LeoSynthError(f"{path}: unknown setting {', '.join(hints)}; known settings: "
                            f"{', '.join(sorted(known))}")
    if "format" not in doc and isinstance(doc.get("out"), str) and format_of_out(doc["out"]):
        doc = {**doc, "format": format_of_out(doc["out"])}  # (as --out alone says it)
    try:
        config = replace(defaults, **doc, base_dir=str(path.parent))
    except TypeError as exc:  # pragma: no cover - guarded by the unknown-key check
        raise LeoSynthError(f"{path}: {exc}") from exc
    try:
        return validate(config)
    except LeoSynthError as exc:
        raise LeoSynthError(f"{path}: {exc}") from exc
