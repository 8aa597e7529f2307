"""Record the per-relation conformance checksums that ``tests/test_conformance.py`` checks.

    python tools/update_conformance.py          # regenerate tests/conformance/checksums.json
    make conformance                             # the same, in the project's .venv

The file pins what one small run (its settings are in the file: persons, seed, block size,
iteration) produces: every relation's row count and order-independent content checksum. Any
change to the generated data, intended or not, makes the test fail and names the relations
that changed. When the change is intended (a new field, a recalibrated parameter), run this,
and commit the new file with a message that says why the data changed; the diff of the file
shows which relations moved.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from leo_synth.config import RunConfig
from leo_synth.engine.generate import generate
from leo_synth.readers import read_manifest

ROOT = Path(__file__).resolve().parents[1]
CHECKSUMS = ROOT / "tests" / "conformance" / "checksums.json"
SETTINGS = ("persons", "seed", "block_size", "iteration")
DEFAULT_SETTINGS = {"persons": 1000, "seed": 7, "block_size": 500, "iteration": 2}
"""The suite's small run (``tests/conftest.py`` SMALL), so the test reuses its extract."""


def conformance_record(manifest: dict) -> dict:
    """The part of a manifest that the conformance file pins."""
    settings = manifest["leo_synth"]
    return {"settings": {key: settings[key] for key in SETTINGS},
            "relations": {name: rel["checksum"]
                          for name, rel in sorted(manifest["relations"].items())}}


def main() -> None:
    settings = (json.loads(CHECKSUMS.read_text())["settings"] if CHECKSUMS.exists()
                else DEFAULT_SETTINGS)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "conformance.sqlite"
        generate(RunConfig(format="sqlite", out=str(db), if_exists="replace", workers=1,
                           **settings))
        record = conformance_record(read_manifest(db))
    CHECKSUMS.parent.mkdir(parents=True, exist_ok=True)
    CHECKSUMS.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    print(f"{CHECKSUMS.relative_to(ROOT)}: {len(record['relations'])} relations", file=sys.stderr)


if __name__ == "__main__":
    main()
