"""What every simulation step of one block needs: which persons, parameters, pools, keys, RNG."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from leo_synth.engine.keys import KeyMaker
from leo_synth.engine.rng import stream
from leo_synth.simulation.parameters import Parameters
from leo_synth.simulation.pools import Pools


@dataclass
class BlockContext:
    """The block of persons ``first .. first + size - 1`` of a run."""

    seed: int
    block: int
    first: int
    size: int
    params: Parameters
    pools: Pools
    keys: KeyMaker

    @property
    def pid(self) -> np.ndarray:
        """Global person indexes of the block."""
        return np.arange(self.first, self.first + self.size, dtype=np.int64)

    def rng(self, name: str) -> np.random.Generator:
        """The block's generator for one named stream."""
        return stream(self.seed, name, self.block)
