"""The simulation is calibrated: every target and relationship passes at 40,000 persons.

Why 40,000 persons: it is the largest extract the suite can afford (about 30 seconds for the
relations the report reads, with two workers). At this size a KS4 cohort is about 900 pupils
(standard error of a 50% rate: 1.7 percentage points; of mean Attainment 8: 0.7 points) and a
first-degree graduation year about 300 linked graduates (standard error of a median: about
5%). A fixed tolerance narrower than that would fail on sampling noise alone, so each figure
is judged within its tolerance or its sampling noise, whichever is wider. The verdict is over
the whole family of figures at once, so the noise band is the family-wise one
(``evaluate.family_factor``: all of about 140 figures of a perfectly calibrated extract
inside it 99 times in 100, about 3.9 standard errors), not ``report --statistical``'s 2.5
per figure, which a perfectly calibrated redraw breaks somewhere four times in five.
Large-sample figures (FSM and SEN rates, ethnicity, claimant rates, the self-employed share)
keep their published tolerances; a systematic miss larger than the band still fails.
``make calibrate`` runs the report at 200,000 persons, where the bands are 2.2 times
narrower, and prints both the strict and the per-figure statistical verdict.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from leo_synth.config import RunConfig
from leo_synth.engine.generate import generate
from leo_synth.report.command import default_targets
from leo_synth.report.evaluate import Report, evaluate, family_factor
from leo_synth.report.selection import report_selector
from leo_synth.report.source import open_sqlite
from leo_synth.report.targets import load_targets

CALIBRATION_PERSONS = 40_000
CALIBRATION_SEED = 42


@pytest.fixture(scope="module")
def calibration_report(tmp_path_factory: pytest.TempPathFactory, catalog) -> Report:
    out = tmp_path_factory.mktemp("calibration") / "calibration.sqlite"
    config = RunConfig(persons=CALIBRATION_PERSONS, seed=CALIBRATION_SEED, workers=2,
                       out=str(out))
    generate(config, catalog, select=report_selector(default_targets()))
    ws = open_sqlite(Path(out))
    try:
        targets = load_targets(default_targets())
        checks = len(targets.targets) + len(targets.relationships)
        return evaluate(ws, targets, statistical=True, factor=family_factor(checks))
    finally:
        ws.close()


def test_every_target_passes_within_its_statistical_band(calibration_report: Report) -> None:
    failed = [f"{r.target.id}: {r.achieved} vs {r.target.value} (band "
              f"{r.effective_tolerance:.2f}, {r.reason or 'computed'})"
              for r in calibration_report.targets if r.passed_statistical is False]
    assert not failed, "\n".join(failed)


def test_every_relationship_holds(calibration_report: Report) -> None:
    failed = [f"{r.relationship.id}: {r.achieved}" for r in calibration_report.relationships
              if r.passed_statistical is False]
    assert not failed, "\n".join(failed)


def test_almost_every_target_is_computed(calibration_report: Report) -> None:
    """Only the targets the extract cannot express are n/a (absolute counts, 2024 figures,
    variables LEO does not hold); each carries its reason."""
    not_computed = [r for r in calibration_report.targets if r.passed_statistical is None]
    assert len(not_computed) <= 12
    assert all(r.reason for r in not_computed)
    assert len(calibration_report.targets) - len(not_computed) >= 90
