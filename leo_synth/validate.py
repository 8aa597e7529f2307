"""``leo-synth validate``: check run configs, parameter files, variable requests and spec files,
collecting every problem."""

from __future__ import annotations

from pathlib import Path

from leo_synth.config import load_config
from leo_synth.errors import LeoSynthError
from leo_synth.spec.loader import (
    SpecError,
    default_schema_dir,
    load_catalog,
    read_yaml,
    spec_files,
)

SPEC_KEYS = {"tables", "keyspaces", "codelists", "family", "databases"}


def validate_file(path: Path, schema_dir: Path | None = None) -> list[str]:
    """Problems found in a run config, parameters, request or spec file (empty when valid)."""
    try:
        doc = read_yaml(path)
    except LeoSynthError as exc:
        return [str(exc)]
    if isinstance(doc, dict) and isinstance(doc.get("tables"), dict):  # a spec's is a list
        return _validate_request(path)
    if isinstance(doc, dict) and SPEC_KEYS & set(doc):
        return _validate_spec(path, schema_dir or default_schema_dir())
    if isinstance(doc, dict) and doc and set(doc) <= _parameter_sections():
        return _validate_parameters(path)
    return _validate_config(path)


def _parameter_sections() -> set[str]:
    from leo_synth.resources import config_file

    return set(read_yaml(config_file("parameters.yaml")))


def _validate_parameters(path: Path) -> list[str]:
    """A parameters file on its own: merged onto the defaults and checked like a run's."""
    from leo_synth.simulation.parameters import load_parameters

    try:
        load_parameters(path)
    except LeoSynthError as exc:
        return str(exc).splitlines()
    return []


def _validate_request(path: Path) -> list[str]:
    """A variable request, checked against the generator's own catalog."""
    from leo_synth.engine.generate import load_checked_catalog
    from leo_synth.request import RequestError, load_request

    try:
        load_request(path, load_checked_catalog())
    except RequestError as exc:
        return exc.problems
    except LeoSynthError as exc:
        return [str(exc)]
    return []


def _validate_spec(path: Path, schema_dir: Path) -> list[str]:
    """Check a spec file together with the other specs (so cross-file references resolve)."""
    from leo_synth.relations.registry import check_catalog

    others = [p for p in spec_files(schema_dir) if p.resolve() != path.resolve()]
    try:
        catalog = load_catalog(files=[*others, path])
    except SpecError as exc:
        return [str(p) for p in exc.problems]
    except LeoSynthError as exc:
        return [str(exc)]
    return [str(p) for p in check_catalog(catalog)]


def _validate_config(path: Path) -> list[str]:
    from leo_synth.simulation.parameters import load_parameters

    try:
        config = load_config(path)
        if config.parameters:
            load_parameters(config.resolve(config.parameters))
    except LeoSynthError as exc:
        return str(exc).splitlines()
    return []
