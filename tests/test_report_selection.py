"""`leo-synth generate --for-report` writes every relation the calibration report reads, so the
report's figures on it are those of the whole extract. The report also reads relations it does
not require when the extract has them (PLASC for pupils' sex and birth, the benefit spells a
P14 return repeats): a calibration run without them gave 14 of 216 figures that differed
(``he_heipr_2017`` 52.68 against 52.92 at 12,000 persons)."""

from __future__ import annotations

from pathlib import Path

import pytest

from leo_synth.config import RunConfig
from leo_synth.engine.generate import generate
from leo_synth.report.command import default_targets
from leo_synth.report.evaluate import evaluate
from leo_synth.report.selection import relation_patterns, report_selector
from leo_synth.report.source import open_sqlite
from leo_synth.report.targets import load_targets

RUN = RunConfig(persons=3000, seed=42, block_size=1500, workers=1, if_exists="replace")


def _figures(path: Path) -> dict[str, float | None]:
    ws = open_sqlite(path)
    try:
        report = evaluate(ws, load_targets(default_targets()))
    finally:
        ws.close()
    return {**{r.target.id: r.achieved for r in report.targets},
            **{r.relationship.id: r.achieved for r in report.relationships}}


@pytest.fixture(scope="module")
def whole_and_selected(tmp_path_factory: pytest.TempPathFactory, catalog
                       ) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("selection")
    whole, selected = folder / "whole.sqlite", folder / "selected.sqlite"
    generate(RUN.with_overrides(out=str(whole)), catalog)
    generate(RUN.with_overrides(out=str(selected)), catalog,
             select=report_selector(default_targets()))
    return whole, selected


def test_the_report_reads_the_same_figures_from_a_calibration_run(whole_and_selected) -> None:
    whole, selected = (_figures(path) for path in whole_and_selected)
    differ = {key: (value, selected[key]) for key, value in whole.items()
              if value != selected[key]}
    assert len(whole) > 200 and not differ, differ


def test_the_relations_read_when_present_are_selected() -> None:
    patterns = relation_patterns(load_targets(default_targets()))
    assert {"plasc_*", "leo_benefit"} <= patterns
