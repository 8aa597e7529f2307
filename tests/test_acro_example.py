"""examples/acro_analysis.py runs on a generated extract as a researcher would run it in the
SRS, and check-output's verdict on ACRO's crosstabs agrees with ACRO's own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from test_cli import run


def test_acro_example_runs_and_check_output_agrees_with_acro(small_sqlite, tmp_path: Path
                                                             ) -> None:
    out = tmp_path / "acro_outputs"
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "acro_analysis.py"), "--db",
         str(small_sqlite[0]), "--out", str(out)],
        capture_output=True, text=True, cwd=tmp_path, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))["results"]
    statuses = {name: results[name]["status"] for name in
                ("output_0", "output_1", "output_2", "output_3")}
    assert set(statuses.values()) <= {"pass", "fail"}
    assert "output_3: fail" in result.stdout  # the SEN table: a few pupils with an EHC plan
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acro_outputs"]  # no debris

    # ACRO's threshold and zero rules, applied by check-output to the CSVs ACRO wrote
    rules = tmp_path / "acro_only.yaml"
    rules.write_text("rounding_required: false\ndifferencing: false\n", encoding="utf-8")
    for name in ("output_0", "output_3"):  # the two crosstabs (counts)
        checked = run("check-output", str(out / f"{name}_0.csv"), "--rules", str(rules))
        assert checked.returncode == (1 if statuses[name] == "fail" else 0), checked.stdout
