"""Parallel parts: split one run's person blocks into N shares generated separately.

Part K of N (``--part K/N``) generates a contiguous range of the run's blocks: blocks
``floor((K-1) * B / N)`` up to (not including) ``floor(K * B / N)`` of the ``B`` blocks the whole
run has. Blocks draw only from their own keyed streams, so every part holds exactly the rows the
whole run holds for those blocks; run-level (static) relations such as ``idbr_lookup`` are
written by part 1 only. The N parts together equal the whole run: rows add up and the
order-independent per-relation checksums combine (:meth:`Checksum.absorb`) to the whole run's.

Each part goes to its own target, named after the run's ``--out`` (see :func:`part_target`), so
the same command with a different ``--part`` can run on each machine.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from leo_synth.errors import LeoSynthError

_PART = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


@dataclass(frozen=True)
class Part:
    """Part ``index`` (1-based) of ``count``."""

    index: int
    count: int

    def blocks(self, n_blocks: int) -> range:
        """This part's share of a run's ``n_blocks`` blocks (contiguous; possibly empty)."""
        return range((self.index - 1) * n_blocks // self.count,
                     self.index * n_blocks // self.count)

    @property
    def label(self) -> str:
        return f"part-{self.index}-of-{self.count}"

    @property
    def writes_static(self) -> bool:
        """Run-level relations are written once, by part 1."""
        return self.index == 1


def parse_part(text: str) -> Part:
    """``"K/N"`` as a :class:`Part` (1 <= K <= N)."""
    match = _PART.fullmatch(text)
    if not match:
        raise LeoSynthError(f"part must look like K/N (e.g. 2/3 for the second of three "
                            f"parts), got {text!r}")
    index, count = int(match[1]), int(match[2])
    if count < 1 or not 1 <= index <= count:
        raise LeoSynthError(f"part {text}: K must be between 1 and N (N at least 1)")
    return Part(index, count)


def check_part(part: Part, persons: int, block_size: int) -> None:
    """Refuse a split with more parts than the run has blocks (some part would be empty)."""
    n_blocks = math.ceil(persons / block_size)
    if part.count > n_blocks:
        raise LeoSynthError(f"part {part.index}/{part.count}: the run has only {n_blocks} "
                            f"block(s) of {block_size:,} persons; use at most {n_blocks} "
                            f"parts or a smaller block size")


def part_target(out: str, fmt: str, part: Part) -> str:
    """Where part K of N of a run whose ``--out`` is ``out`` is written.

    Parquet: ``out/leo_parquet`` -> ``out/leo_parquet.part-2-of-3``; SQLite:
    ``out/leo.sqlite`` -> ``out/leo.part-2-of-3.sqlite``. PostgreSQL is refused: the parts
    would have to share one schema.
    """
    if fmt == "postgres":
        raise LeoSynthError("--part writes each part to its own file output: use --format "
                            "parquet or sqlite, then write them into PostgreSQL with leo-synth "
                            "combine PART... --out postgresql://...")
    if "://" in out:  # an fsspec URL (the Dask engine's dataset): no path arithmetic
        return f"{out.rstrip('/')}.{part.label}"
    path = Path(out)
    if fmt == "sqlite" and path.suffix:
        return str(path.with_name(f"{path.stem}.{part.label}{path.suffix}"))
    return str(path.with_name(f"{path.name}.{part.label}"))
