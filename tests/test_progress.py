"""Progress within the blocks: every relation's result of every block is counted as it reaches
the writer, and the terminal's bar moves with them."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from leo_synth.cli import Progress
from leo_synth.config import RunConfig
from leo_synth.engine.generate import generate
from leo_synth.relations import registry


def test_relation_progress_counts_every_result_of_every_block(tmp_path: Path, catalog) -> None:
    calls: list[tuple[int, int, int]] = []
    starts: list[dict[str, Any]] = []
    config = RunConfig(persons=600, block_size=300, workers=1, format="sqlite",
                       out=str(tmp_path / "leo.sqlite"))
    summary = generate(config, catalog, relation_progress=lambda *call: calls.append(call),
                       phase=lambda name, **facts: starts.append(facts) if name == "start"
                       else None)
    person_relations = sum(not registry.BUILDERS[rel.table.builder].static
                           for rel in summary.relations)
    total = starts[0]["results"]
    assert total == 2 * person_relations
    assert [done for done, _, _ in calls] == list(range(1, total + 1))
    assert {expected for _, expected, _ in calls} == {total}
    rows = [seen for _, _, seen in calls]
    assert rows == sorted(rows) and rows[-1] == summary.total_rows


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_moves_within_a_block(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    progress = Progress()
    progress.phase("start", fmt="sqlite", target="out.sqlite", relations=4, persons=100,
                   blocks=1, results=4)
    drawn = []
    for done in range(1, 5):
        progress.relation(done, 4, 10 * done)
        drawn.append(terminal.getvalue().rsplit("\r", 1)[-1])
    progress.phase("commit")
    assert [line.split("]")[1].split()[0] for line in drawn] == ["25%", "50%", "75%", "100%"]
    assert "0/1 blocks" in drawn[0] and "1/1 blocks" in drawn[-1]
    assert "committing: all 1 block(s) written" in terminal.getvalue()
