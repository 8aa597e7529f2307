"""Leave out of the spec files every column key that only repeats the VRF.

    python tools/strip_vrf_facts.py FILE ...

The loader merges the VRF's ``description``, ``codes``, ``years``, ``terms`` and ``request``
into the columns of a table that names its ``vrf_table`` (``leo_synth/spec/vrf_facts.py``), so
a spec file states them only where it departs from the VRF. ``tools/sync_specs.py`` writes the
files that way; this tool does only that step (no other sync), on files in the full form
(every key stated, an absent one meaning none), e.g. a spec file taken whole from a branch that
still wrote the VRF's text into it. The catalog loaded before (full form, no merge) and after
(stripped, merged) is the same; a key the VRF gives but the column lacked becomes ``key: null``.
It refuses a file already stripped (a VRF column without a description).
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sync_specs

from leo_synth.spec.vrf_facts import VrfFacts, strip_vrf_defaults


def strip_file(path: Path, vrf: VrfFacts) -> bool:
    """Strip one spec file in place; True if it changed."""
    header, doc = sync_specs._load(path)
    if not isinstance(doc, dict) or not doc.get("tables"):
        return False
    for table in doc["tables"]:
        rows = vrf.rows(table)
        columns = []
        for column in table.get("columns") or []:
            row = rows.get(str(column["name"]).lower())
            if row is not None:
                if "description" not in column:  # the full form states every description
                    raise SystemExit(f"{path}: column {column['name']} has no description: "
                                     f"the file is stripped already (or not in the full form)")
                column = OrderedDict(strip_vrf_defaults(column, vrf.defaults(row, table)))
                sync_specs._reorder(column)
            columns.append(column)
        table["columns"] = columns
    text = sync_specs._dump(header, doc)
    if text == path.read_text(encoding="utf-8"):
        return False
    path.write_text(text, encoding="utf-8")
    return True


def main() -> int:
    files = [Path(a) for a in sys.argv[1:]]
    if not files:
        raise SystemExit("name the spec files to strip (see the docstring)")
    vrf = VrfFacts(sync_specs.VRF)
    changed = [p for p in files if strip_file(p, vrf)]
    print(f"stripped {len(changed)} file(s): {', '.join(p.name for p in changed) or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
