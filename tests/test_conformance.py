"""Conformance: the suite's small run produces exactly the recorded per-relation checksums.

Determinism tests compare runs of the same code; this one compares against data recorded in
``tests/conformance/checksums.json``, so a change to the code, the specs or the parameters that
changes any generated value fails here, naming the relations that moved. Intended changes are
recorded with ``make conformance`` (see ``tools/update_conformance.py``).
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

from conftest import ROOT, SMALL

from leo_synth.readers import read_manifest

sys.path.insert(0, str(ROOT / "tools"))
conformance = importlib.import_module("update_conformance")

HOW_TO_UPDATE = ("if the change is intended, run `make conformance` and commit "
                 "tests/conformance/checksums.json saying why the data changed")


def test_recorded_settings_are_the_suites_small_run() -> None:
    recorded = json.loads(conformance.CHECKSUMS.read_text())["settings"]
    assert recorded == {key: getattr(SMALL, key) for key in conformance.SETTINGS}


def test_small_run_matches_the_recorded_checksums(small_sqlite: tuple[Path, object]) -> None:
    db, _ = small_sqlite
    recorded = json.loads(conformance.CHECKSUMS.read_text())["relations"]
    produced = conformance.conformance_record(read_manifest(db))["relations"]
    missing = sorted(set(recorded) - set(produced))
    added = sorted(set(produced) - set(recorded))
    changed = sorted(name for name in set(recorded) & set(produced)
                     if recorded[name] != produced[name])
    problems = [f"{label}: {', '.join(names[:12])}{' ...' if len(names) > 12 else ''}"
                for label, names in (("no longer produced", missing), ("new", added),
                                     (f"{len(changed)} changed", changed)) if names]
    assert not problems, "; ".join(problems) + f" ({HOW_TO_UPDATE})"
