"""Progress within the blocks: every relation's result of every block is counted as it reaches
the writer, and the terminal's bar moves with them."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
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


def _drawn(monkeypatch: pytest.MonkeyPatch, results: int, done: int,
           tick: Callable[[], None] = lambda: None) -> tuple[list[str], Progress, _Terminal]:
    """The bar as drawn after each of the first ``done`` of ``results`` results of a run of
    one block on a terminal (``tick`` after each)."""
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    progress = Progress()
    progress.phase("start", fmt="sqlite", target="out.sqlite", relations=4, persons=100,
                   blocks=1, results=results)
    drawn = []
    for n in range(1, done + 1):
        progress.relation(n, results, 10 * n)
        drawn.append(terminal.getvalue().rsplit("\r", 1)[-1])
        tick()
    return drawn, progress, terminal


def test_the_bar_moves_within_a_block(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn, progress, terminal = _drawn(monkeypatch, 4, 4)
    progress.phase("commit")
    assert [line.split("]")[1].split()[0] for line in drawn] == ["25%", "50%", "75%", "100%"]
    assert "0/1 blocks" in drawn[0] and "1/1 blocks" in drawn[-1]
    assert "committing: all 1 block(s) written" in terminal.getvalue()


def test_the_eta_is_the_pace_since_the_first_result(monkeypatch: pytest.MonkeyPatch) -> None:
    # 20 s of start-up and simulation before the first of 100 results, then one every 0.2 s:
    # at 10% 18 s are left; counted from the start, the ETA said 196 s
    clock = [0.0]
    monkeypatch.setattr(time, "perf_counter", lambda: clock[0])
    log = io.StringIO()
    monkeypatch.setattr("sys.stderr", log)
    progress = Progress()
    progress.phase("start", fmt="parquet", target="out", relations=25, persons=20_000,
                   blocks=4, results=100)
    clock[0] = 20.0
    for done in range(1, 101):
        progress.relation(done, 100, done)
        clock[0] += 0.2
    lines = log.getvalue().splitlines()
    assert lines[1] == "leo-synth: 0/4 blocks (10%), 10 rows, 22 s, about 18 s to go"
    assert lines[5].endswith("(50%), 50 rows, 30 s, about 10 s to go")
    assert lines[-1].endswith("(100%), 100 rows, 40 s, about 0 s to go")


def test_the_bar_says_what_is_left_as_people_say_it(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [0.0]
    monkeypatch.setattr(time, "perf_counter", lambda: clock[0])
    drawn, _, _ = _drawn(monkeypatch, 1000, 11, lambda: clock.__setitem__(0, clock[0] + 1.0))
    assert "to go" not in drawn[0]  # (one result: no pace yet)
    assert "0/1 blocks, about 16 min 30 s to go" in drawn[-1]  # 989 left at 1 a second
