"""check-output: ACRO's threshold, zero and dominance verdicts on a finished CSV table, the
rounding and differencing checks added beside ACRO, the rules file, and the exit statuses."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from test_cli import assert_one_line_error, run

from leo_synth.cli import main
from leo_synth.errors import LeoSynthError
from leo_synth.output_check.checks import check_table
from leo_synth.output_check.rules import acro_defaults, load_rules
from leo_synth.output_check.table import read_table


def invoke(*args: str) -> SimpleNamespace:
    """The CLI in-process (quicker than a subprocess for error paths), shaped like ``run``."""
    result = CliRunner().invoke(main, list(args))
    return SimpleNamespace(returncode=result.exit_code, stdout=result.stdout,
                           stderr=result.stderr)


def _csv(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _rules(tmp_path: Path, text: str) -> Path:
    return _csv(tmp_path, text, "rules.yaml")


def _findings(tmp_path: Path, text: str, rules: str | None = None) -> set[tuple[str, str]]:
    table = read_table(_csv(tmp_path, text))
    loaded = load_rules(_rules(tmp_path, rules) if rules else None)
    return {(f.cell, f.rule) for f in check_table(table, loaded) if f.status == "refused"}


def test_rules_start_from_acros_defaults_and_take_an_acro_yaml(tmp_path: Path) -> None:
    acro = acro_defaults()
    rules = load_rules()
    for key in ("safe_threshold", "safe_nk_n", "safe_nk_k", "safe_pratio_p"):
        assert rules[key] == acro[key], key  # leo-synth's file states ACRO's values
    own = load_rules(_rules(tmp_path, "safe_threshold: 20\nsafe_dof_threshold: 5\n"
                                      "blocked_extensions: [.svg]\n"))
    assert own["safe_threshold"] == 20 and own["safe_nk_k"] == acro["safe_nk_k"]
    with pytest.raises(LeoSynthError, match=r"unknown rule 'safe_treshold' .*'safe_threshold'"):
        load_rules(_rules(tmp_path, "safe_treshold: 20\n"))
    with pytest.raises(LeoSynthError, match="safe_threshold must be a int"):
        load_rules(_rules(tmp_path, "safe_threshold: ten\n"))


def test_threshold_zero_and_rounding_on_a_crosstab(tmp_path: Path) -> None:
    found = _findings(tmp_path, "fsm,grade 4+,below 4\nFSM,15,7\nnot FSM,140,0\n"
                                "other,12,20\n")
    assert found == {("fsm=FSM, column=below 4", "threshold"),
                     ("fsm=FSM, column=below 4", "rounding"),
                     ("fsm=not FSM, column=below 4", "zero"),
                     ("fsm=other, column=grade 4+", "rounding")}
    relaxed = _findings(tmp_path, "fsm,grade 4+,below 4\nFSM,15,7\nnot FSM,140,0\n",
                        "zeros_are_disclosive: false\nrounding_required: false\n")
    # without the zero rule ACRO's threshold check still refuses a zero count
    assert relaxed == {("fsm=FSM, column=below 4", "threshold"),
                       ("fsm=not FSM, column=below 4", "threshold")}


def test_dominance_is_acros_n_k_and_p_ratio(tmp_path: Path) -> None:
    table = ("region,count,sum,max,top2\nLondon,40,900000,100000,90000\n"
             "North East,15,400000,340000,30000\nSouth West,20,100000,50000,30000\n")
    # North East: (340 + 30) / 400 = 92.5% >= K 90%; (400 - 370) / 340 = 8.8% < p 10%
    assert _findings(tmp_path, table) == {("region=North East", "N-K dominance"),
                                          ("region=North East", "p-ratio dominance")}
    # the configured values are the ones ACRO applies (South West: 20 / 50 = 40% < p 50%)
    assert _findings(tmp_path, table, "safe_nk_k: 0.95\nsafe_pratio_p: 0.5\n") == {
        ("region=North East", "p-ratio dominance"), ("region=South West", "p-ratio dominance")}


def test_differencing_finds_recoverable_cells(tmp_path: Path) -> None:
    # one suppressed cell beside both its margins: recoverable twice
    found = _findings(tmp_path, "fsm,grade 4+,below 4,Total\nFSM,15,c,40\n"
                                "not FSM,140,60,200\nTotal,155,85,240\n")
    assert found == {("fsm=FSM, column=below 4", "differencing")}
    # a second suppressed cell in the row and in the column protects it
    found = _findings(tmp_path, "fsm,grade 4+,below 4,Total\nFSM,c,c,40\n"
                                "not FSM,c,c,200\nTotal,155,85,240\n")
    assert found == set()
    # a failing cell left in the table is refused, and suppressing it alone would not do
    found = _findings(tmp_path, "group,persons\nA,20\nB,5\nTotal,25\n")
    assert ("group=B", "threshold") in found and ("group=B", "differencing") in found
    # a total exceeding its shown cells by fewer than 10 discloses the unshown group
    assert _findings(tmp_path, "group,persons\nA,20\nB,35\nTotal,60\n") == {
        ("group=Total", "differencing")}
    assert _findings(tmp_path, "group,persons\nA,20\nB,35\nTotal,70\n") == set()


def test_a_statistic_without_contributors_is_sent_for_review(tmp_path: Path) -> None:
    table = read_table(_csv(tmp_path, "tax_year,region,n,mean_earnings\n"
                                      "2019,London,40,31000\n"))
    assert table.dimensions == ["tax_year", "region"]  # a whole-number column is a label
    findings = check_table(table, load_rules())
    assert [(f.status, f.rule) for f in findings] == [("review", "dominance")]
    assert "mean_earnings" in findings[0].reason
    assert read_table(_csv(tmp_path, "year,n,att8\n2019,40,46.5\n")).unchecked == ["att8"]


def test_cli_exit_statuses(tmp_path: Path) -> None:
    clean = _csv(tmp_path, "fsm,grade 4+,below 4\nFSM,15,20\nnot FSM,140,60\n", "clean.csv")
    result = run("check-output", str(clean))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "clean" in result.stdout and "threshold 10 persons" in result.stdout

    refused = _csv(tmp_path, "fsm,grade 4+,below 4\nFSM,15,7\nnot FSM,140,60\n", "bad.csv")
    result = invoke("check-output", str(clean), str(refused))
    assert result.returncode == 1
    assert "REFUSED  fsm=FSM, column=below 4: threshold: 7 persons, fewer than 10" \
        in result.stdout
    assert "would be refused: 1 of 4 cells" in result.stdout

    assert_one_line_error(invoke("check-output", str(tmp_path / "none.csv")), "cannot read")
    assert_one_line_error(invoke("check-output", str(_csv(tmp_path, "a,b\nx,seven\n",
                                                          "t.csv"))),
                          "'seven' is neither a number")
    assert_one_line_error(invoke("check-output", str(clean), "--rules",
                                 str(_rules(tmp_path, "safe_nk_k: high\n"))), "safe_nk_k")
