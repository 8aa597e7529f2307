"""Run a generation: plan the relations, simulate blocks (in parallel), stream to a writer.

Blocks are simulated independently (each draws only from its own keyed streams) and their
batches are handed to the writer strictly in block order, whichever worker finished first, so
the output is byte-identical for any number of workers. At most ``2 * workers`` blocks are in
flight, so memory depends on the block size, not on the number of persons.
"""

from __future__ import annotations

import hashlib
import math
import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from leo_synth import __version__
from leo_synth.checksum import Checksum
from leo_synth.config import RunConfig
from leo_synth.engine.keys import KeyMaker
from leo_synth.errors import LeoSynthError
from leo_synth.interrupts import Interrupted, pause_point, worker_signals
from leo_synth.relations import registry
from leo_synth.relations.fill import build_batch
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.life import simulate_block
from leo_synth.simulation.parameters import Parameters, load_parameters
from leo_synth.simulation.pools import Pools, build_pools
from leo_synth.spec.loader import (
    SpecError,
    catalog_csv_files,
    default_schema_dir,
    load_catalog,
    spec_files,
)
from leo_synth.spec.model import Catalog, Relation
from leo_synth.writers import Manifest, Writer, make_writer
from leo_synth.writers.lock import close_inherited_locks

BlockResult = list[tuple[int, pa.RecordBatch, Checksum]]
"""Per relation (index into the run's relations): the block's batch and its checksum. The
checksum is computed where the batch is built, so the work spreads over the workers instead
of queueing in the writing process."""


@dataclass
class RunSummary:
    """What a finished run wrote."""

    relations: list[Relation]
    rows: dict[str, int]
    seconds: float
    blocks: int
    target: str
    fmt: str

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclass
class BlockState:
    """Everything a worker needs to simulate any block of the run."""

    seed: int
    persons: int
    block_size: int
    params: Parameters
    pools: Pools
    keys: KeyMaker
    relations: list[Relation]
    person_relations: list[int] = field(default_factory=list)


_STATE: BlockState | None = None
"""Set in each worker (inherited on fork, or sent once by the pool initializer)."""


def _init_worker(state: BlockState) -> None:
    global _STATE
    _STATE = state


def _worker_started(state: BlockState | None = None) -> None:
    """In each new worker: the parent handles signals and alone holds the output lock."""
    worker_signals()
    close_inherited_locks()
    if state is not None:
        _init_worker(state)


def compute_block(block: int) -> BlockResult:
    """Simulate one block and build every person-driven relation's batch."""
    state = _STATE
    assert state is not None, "worker state not initialised"
    first = block * state.block_size
    size = min(state.block_size, state.persons - first)
    ctx = BlockContext(state.seed, block, first, size, state.params, state.pools, state.keys)
    life = simulate_block(ctx)
    out: BlockResult = []
    for index in state.person_relations:
        rel = state.relations[index]
        frame = registry.BUILDERS[rel.table.builder].build(life, rel)
        batch = build_batch(rel, frame, state.seed, block)
        out.append((index, batch, Checksum.of(batch, batch.schema)))
    return out


def iterate_blocks(state: BlockState, workers: int) -> Iterator[BlockResult]:
    """Block results in block order, computed by ``workers`` processes."""
    n_blocks = math.ceil(state.persons / state.block_size)
    if workers <= 1 or n_blocks <= 1:
        _init_worker(state)
        for block in range(n_blocks):
            yield compute_block(block)
        return
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods:
        _init_worker(state)  # inherited by the forked workers, nothing to pickle
        context = multiprocessing.get_context("fork")
        pool = context.Pool(workers, initializer=_worker_started)
    else:  # pragma: no cover - platforms without fork
        context = multiprocessing.get_context("spawn")
        pool = context.Pool(workers, initializer=_worker_started, initargs=(state,))
    with pool:
        pending: deque = deque()
        next_block = 0
        while next_block < n_blocks or pending:
            while next_block < n_blocks and len(pending) < 2 * workers:
                pending.append(pool.apply_async(compute_block, (next_block,)))
                next_block += 1
            yield pending.popleft().get()


def plan_relations(catalog: Catalog, iteration: int,
                   select: Callable[[list[Relation]], list[Relation]] | None = None
                   ) -> list[Relation]:
    """The physical relations a run produces (optionally narrowed by a variable request)."""
    relations = catalog.relations(iteration)
    return select(relations) if select else relations


def spec_digest(schema_dir: Path) -> str:
    """SHA-256 of every spec file and of the VRF files the loader merges into them (names and
    contents), recorded in the manifest."""
    digest = hashlib.sha256()
    for path in [*spec_files(schema_dir), *catalog_csv_files(schema_dir)]:
        digest.update(path.relative_to(schema_dir).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_checked_catalog(schema_dir: Path | None = None) -> Catalog:
    """Load the specs and check them against the registered builders."""
    catalog = load_catalog(schema_dir)
    problems = registry.check_catalog(catalog)
    if problems:
        raise SpecError(problems)
    return catalog


def generate(config: RunConfig, catalog: Catalog | None = None,
             progress: Callable[[int, int, int], None] | None = None,
             select: Callable[[list[Relation]], list[Relation]] | None = None,
             schema_dir: Path | None = None, writer: Writer | None = None) -> RunSummary:
    """Generate the extract described by ``config`` and write it to its target.

    ``progress(blocks_done, blocks_total, rows_so_far)`` is called after each block. A
    ``writer`` given replaces the one ``config.format`` and ``config.out`` name (e.g. a
    :class:`~leo_synth.writers.memory.MemoryWriter`).
    """
    started = time.perf_counter()
    schema_dir = schema_dir or default_schema_dir()
    catalog = catalog or load_checked_catalog(schema_dir)
    params = load_parameters(config.resolve(config.parameters) if config.parameters else None)
    relations = plan_relations(catalog, config.iteration, select)
    keys = KeyMaker(catalog.keyspaces, config.seed)
    _check_capacity(keys, config.persons)
    writer = writer or make_writer(config.format, config.out, config.if_exists)
    writer.check(relations)  # from here on the writer may hold a lock: abort() releases it
    n_blocks = math.ceil(config.persons / config.block_size)
    rows = {rel.name: 0 for rel in relations}
    try:
        pools = build_pools(config.seed, config.persons, params)
        manifest = Manifest(settings=_settings(config, schema_dir, params))
        state = BlockState(config.seed, config.persons, config.block_size, params, pools, keys,
                           relations)
        static = []
        for index, rel in enumerate(relations):
            (static if registry.BUILDERS[rel.table.builder].static else
             state.person_relations).append(index)
        writer.open(relations, manifest)  # inside: an interrupted open is cleaned up too
        static_ctx = registry.StaticContext(config.seed, params, pools, keys)
        for index in static:
            rel = relations[index]
            batch = build_batch(rel, registry.BUILDERS[rel.table.builder].build(static_ctx, rel),
                                config.seed, -1)
            writer.write(rel, batch)
            rows[rel.name] += batch.num_rows
        for done, result in enumerate(iterate_blocks(state, config.workers), start=1):
            for index, batch, checksum in result:
                writer.write(relations[index], batch, checksum)
                rows[relations[index].name] += batch.num_rows
            if progress:
                progress(done, n_blocks, sum(rows.values()))
            pause_point("write")
        writer.commit()
    except Interrupted as exc:
        writer.abort()
        exc.published = writer.published
        raise
    except BaseException:
        writer.abort()
        raise
    return RunSummary(relations, rows, time.perf_counter() - started, n_blocks, config.out,
                      config.format)


def _check_capacity(keys: KeyMaker, persons: int) -> None:
    for space in keys.formats:
        if persons > keys.max_persons(space):
            raise LeoSynthError(f"{persons:,} persons exceed the {space} keyspace "
                                f"({keys.max_persons(space):,} persons at most)")


def _settings(config: RunConfig, schema_dir: Path, params: Parameters) -> dict[str, Any]:
    param_digest = hashlib.sha256(repr(sorted(params.tree().items())).encode()).hexdigest()
    return {
        "version": __version__,
        "seed": config.seed,
        "persons": config.persons,
        "block_size": config.block_size,
        "iteration": config.iteration,
        "srs_project": config.srs_project,
        "spec_sha256": spec_digest(schema_dir),
        "parameters_sha256": param_digest,
        "synthetic": "leo-synth synthetic data: no row describes a real person",
    }
