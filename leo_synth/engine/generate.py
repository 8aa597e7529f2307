"""Run a generation: plan the relations, simulate blocks (in parallel), stream to a writer.

Blocks are simulated independently (each draws only from its own keyed streams). Each
relation's batch goes to the writer as soon as a worker has built it (engine/block_stream.py),
so the writer works while the blocks are generated, in an order the writer fixes (block by
block, or a few blocks relation by relation), whichever worker finished first, so the output
is byte-identical for any number of workers. At most ``2 * workers`` blocks are in flight, so
memory depends on the block size, not on the number of persons.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import math
import multiprocessing
import platform
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any

import pyarrow as pa

from leo_synth import __version__
from leo_synth.checksum import Checksum, column_kinds
from leo_synth.config import RunConfig
from leo_synth.engine.block_stream import BlockStream
from leo_synth.engine.estimate import estimated_bytes
from leo_synth.engine.heap import keep_freed_memory
from leo_synth.engine.keys import KeyMaker
from leo_synth.engine.parts import check_part, parse_part, part_target
from leo_synth.errors import LeoSynthError
from leo_synth.interrupts import pause_point, worker_signals
from leo_synth.quirks.apply import apply_quirks, profile_rates, quirks_for
from leo_synth.quirks.model import Defects, columns_by_template
from leo_synth.relations import registry
from leo_synth.relations.derive import BATCHED_PREPARATIONS
from leo_synth.relations.fill import build_batch, fill_plan
from leo_synth.relations.ledger import ledger_frame
from leo_synth.simulation.context import BlockContext
from leo_synth.simulation.life import simulate_block
from leo_synth.simulation.parameters import Parameters, load_parameters
from leo_synth.simulation.per_block import release, release_points
from leo_synth.simulation.pools import Pools, build_pools
from leo_synth.spec.loader import (
    SpecError,
    catalog_csv_files,
    default_schema_dir,
    load_catalog,
    spec_files,
)
from leo_synth.spec.model import Catalog, Relation
from leo_synth.spec.physical import arrow_schema
from leo_synth.writers import Manifest, Writer, make_writer
from leo_synth.writers.lock import close_inherited_locks

LEDGER_RELATION = "_leo_synth_defects"
"""The answer key of the injected quirks (``schemas/defects.yaml``)."""

RelationResult = tuple[int, pa.RecordBatch | None, Checksum, bytes | pa.Buffer | None]
BlockResult = list[RelationResult]
"""Per relation (index into the run's relations): the block's batch, its checksum and the
writer's encoding of it (``Writer.encoder``, e.g. PostgreSQL's COPY payload or Parquet's
Arrow IPC stream; None without). Both are computed where the batch is built, so the work
spreads over the workers instead of queueing in the writing process; a batch with an encoding
is not sent (None), its encoding says it all. A batch None without an encoding was stored by
the worker that built it (the Dask engine)."""


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
    quirk_rates: dict[str, float] = field(default_factory=dict)
    ledger_index: int | None = None
    """Index of the answer-key relation ``_leo_synth_defects`` (None: no ledger)."""
    encoder: Callable[[Relation, pa.RecordBatch], bytes | pa.Buffer | None] | None = None
    """The writer's per-batch encoding, run in the workers (``Writer.encoder``)."""


_STATE: BlockState | None = None
"""Set in each worker (inherited on fork, or sent once when the worker starts)."""


def _init_worker(state: BlockState) -> None:
    global _STATE
    _STATE = state


def _worker_started(state: BlockState | None = None) -> None:
    """In each new worker: the parent handles signals and alone holds the output lock; the
    memory a block frees is kept for the next (engine/heap.py)."""
    worker_signals()
    close_inherited_locks()
    keep_freed_memory()
    if state is not None:
        _init_worker(state)


def block_results(block: int, state: BlockState | None = None) -> Iterator[RelationResult]:
    """Simulate one block and build every person-driven relation's batch (with ``state``, or
    the worker's own), handing each over as soon as it is built, in relation order (the
    answer key last)."""
    state = state or _STATE
    assert state is not None, "worker state not initialised"
    ledger: list[tuple[str, Defects]] = []
    yield from _built(state, block, _quirked(state), ledger)
    if state.ledger_index is not None:
        yield _ledger_result(state, block, ledger)


def _quirked(state: BlockState) -> list[int]:
    """The person-driven relations a block builds (all but the answer key, which is made of
    what their quirks did), in relation order."""
    return [index for index in state.person_relations if index != state.ledger_index]


def _built(state: BlockState, block: int, indices: list[int],
           ledger: list[tuple[str, Defects]]) -> Iterator[RelationResult]:
    """Simulate the block and build the relations ``indices``, in their order, noting each
    one's defects in ``ledger``. (Simulating a block is a small share of building its
    relations: the processes sharing a block's relations each simulate it.) Results only
    some builders read are dropped after their last relation (``simulation/per_block.py``)."""
    first = block * state.block_size
    size = min(state.block_size, state.persons - first)
    ctx = BlockContext(state.seed, block, first, size, state.params, state.pools, state.keys)
    life = simulate_block(ctx)
    releases = release_points([state.relations[index].table.builder for index in indices])
    for position, index in enumerate(indices):
        rel = state.relations[index]
        frame = registry.BUILDERS[rel.table.builder].build(life, rel)
        batch = build_batch(rel, frame, state.seed, block)
        batch, defects = apply_quirks(rel, batch, state.quirk_rates, state.seed, block, life)
        ledger.append((rel.name, defects))
        del frame  # (before the release: a view's frame holds slices of the rows released)
        if position in releases:
            release(life, releases[position])
        yield _finished(state, index, batch)


def _ledger_result(state: BlockState, block: int,
                   ledger: list[tuple[str, Defects]]) -> RelationResult:
    """The answer key's result of a block, from every relation's defects in relation order."""
    assert state.ledger_index is not None
    rel = state.relations[state.ledger_index]
    batch = build_batch(rel, _ledger_rows(ledger), state.seed, block)
    return _finished(state, state.ledger_index, batch)


def compute_block(block: int, state: BlockState | None = None) -> BlockResult:
    """A whole block's results at once (:func:`block_results`)."""
    return list(block_results(block, state))


def _finished(state: BlockState, index: int, batch: pa.RecordBatch) -> RelationResult:
    """A relation's block result: its checksum, and its encoding or else its batch."""
    checksum = Checksum.of(batch, arrow_schema(state.relations[index]))
    if state.encoder is not None and batch.num_rows:
        encoded = state.encoder(state.relations[index], batch)
        if encoded is not None:  # (None: the writer takes this batch as it is)
            return index, None, checksum, encoded
    return index, batch, checksum, None


class ShippedBatch:
    """A batch on its way from a worker process to the writing process, pickled as an
    uncompressed Arrow IPC stream: pickling a RecordBatch itself rebuilds every column in
    Python on both sides (a 320-column batch of a hundred rows cost about a millisecond
    each way, a tenth of a second per block in all), the stream is written and read in C
    (an Arrow buffer, which a worker sends out of band, engine/block_stream.py).
    Unpickled, it is the batch again (the same columns, types and values)."""

    __slots__ = ("batch",)

    def __init__(self, batch: pa.RecordBatch):
        self.batch = batch

    def __reduce__(self) -> tuple[Callable[[pa.Buffer], pa.RecordBatch], tuple[pa.Buffer]]:
        # Sized first, then written into a buffer of exactly that size: a growing stream
        # reallocates and copies as it goes, and each new allocation is fresh pages (a
        # block's 130 MB of batches: 0.44 s of a worker's CPU, 0.19 s sized first)
        size = pa.MockOutputStream()
        _write_stream(size, self.batch)
        data = pa.allocate_buffer(size.size())
        _write_stream(pa.FixedSizeBufferWriter(data), self.batch)
        return _read_shipped, (data,)


def _write_stream(sink: pa.NativeFile, batch: pa.RecordBatch) -> None:
    """``batch`` as an Arrow IPC stream (its schema, then the batch) to ``sink``."""
    with pa.ipc.new_stream(sink, batch.schema) as stream:
        stream.write_batch(batch)


_SHIPPED_READ = pa.ipc.IpcReadOptions(use_threads=False)
"""(Arrow's thread pool costs more than it saves on a batch's many small buffers.)"""


def _read_shipped(data: pa.Buffer) -> pa.RecordBatch:
    """The batch a :class:`ShippedBatch` carried (its buffers stay in ``data``)."""
    return pa.ipc.open_stream(data, options=_SHIPPED_READ).read_next_batch()


def _shipped_results(block: int) -> Iterator[RelationResult]:
    """:func:`block_results` as a worker process sends them (:func:`_shipped`)."""
    return _shipped(block_results(block))


def _shipped(results: Iterable[RelationResult]) -> Iterator[RelationResult]:
    """Results as a worker process sends them: batches as :class:`ShippedBatch`, which the
    writing process receives as batches."""
    for index, batch, checksum, encoded in results:
        shipped: Any = None if batch is None else ShippedBatch(batch)
        yield index, shipped, checksum, encoded


def _share_results(task: tuple[int, int, int]) -> Iterator[Any]:
    """In a worker: share ``k`` of ``n`` of block ``b``'s relations (``task`` = (b, k, n):
    the relations at positions k, k + n, ...), as :func:`_shipped_results` sends them, then
    their defects (a list, the share's last item) for the answer key."""
    block, share, shares = task
    assert _STATE is not None, "worker state not initialised"
    ledger: list[tuple[str, Defects]] = []
    yield from _shipped(_built(_STATE, block, _quirked(_STATE)[share::shares], ledger))
    yield ledger


def _ledger_rows(ledger: list[tuple[str, Defects]]) -> Any:
    """The answer key's frame of a block: every relation's defects, in relation order."""
    merged = Defects()
    names: list[str] = []
    for name, defects in ledger:
        merged.extend(defects)
        names.extend([name] * len(defects))
    return ledger_frame(names, merged.row_key, merged.column, merged.quirk, merged.action,
                        merged.clean_value)


@dataclass
class InFlight:
    """Instrumentation of the memory bound: the most blocks ever in flight at once (handed to
    a worker and not yet to the writer). Each is a whole block of rows, in a worker or waiting
    in this process, so this times the block size bounds the engine's memory."""

    peak: int = 0

    def note(self, blocks: int) -> None:
        self.peak = max(self.peak, blocks)


IN_PROCESS_PERSONS = 1_000
"""A run of one block with fewer persons is generated in the writing process: a worker
process would cost more than it saves (it starts, and copies pages of its parent)."""


def iterate_blocks(state: BlockState, workers: int, blocks: range | None = None,
                   in_flight: InFlight | None = None, together: int = 1
                   ) -> Iterator[Iterable[RelationResult]]:
    """Per block, in block order (all the run's blocks, or ``blocks``), its results as they are
    built (each block's must be read before the next block's), by ``workers`` processes
    (engine/block_stream.py) while this process writes what came before. At most
    ``2 * workers`` blocks are in flight (one with a single worker), or ``together``.

    ``together`` consecutive blocks are read relation by relation (each relation's in block
    order; 0: as many as there are worker processes, for a writer whose output does not
    depend on the order of relations), so that a relation has all its rows once the last
    blocks have built it, not once they are done (``Writer.blocks_together``); their results
    come with the first of them, and the others' are empty."""
    if blocks is None:
        blocks = range(math.ceil(state.persons / state.block_size))
    in_flight = in_flight or InFlight()
    if not blocks:
        return
    shares = block_shares(len(blocks), workers)
    if shares == [1] and state.persons - blocks[0] * state.block_size < IN_PROCESS_PERSONS:
        _init_worker(replace(state, encoder=None))  # the writer encodes what it needs
        in_flight.note(1)
        yield block_results(blocks[0])
        return
    _init_worker(state)  # inherited by forked workers, nothing to pickle
    processes = min(workers, sum(shares))
    together = blocks_at_once(workers, len(blocks), together)
    limit = max(together, 1 if workers <= 1 else 2 * workers)
    spawn = "fork" not in multiprocessing.get_all_start_methods()
    if not spawn and processes > 1 and 1 in shares:  # (a share plans its own relations)
        _plan_for_workers(state)
    with BlockStream(processes, _task_results, _worker_started,
                     (state,) if spawn else ()) as stream:
        submitted = 0
        for position in range(0, len(blocks), together):
            while submitted < len(blocks) and submitted - position < limit:
                _submit(stream, blocks[submitted], shares[submitted])
                submitted += 1
                if submitted == len(blocks):
                    stream.end()
            in_flight.note(submitted - position)
            group = [_received(state, stream, blocks[i], shares[i])
                     for i in range(position, min(position + together, len(blocks)))]
            yield _relation_by_relation(group) if len(group) > 1 else group[0]
            yield from ([] for _ in group[1:])
            for results in group:  # (the end of each block, or a caller that stopped early)
                for _unread in results:
                    pass


def block_shares(blocks: int, workers: int) -> list[int]:
    """Per block of a run, how many workers share its relations (1: one worker builds it
    all). A run with fewer blocks than workers would leave workers idle from the start, so
    each block is shared among ``workers // blocks`` of them (a run of one block among all);
    sharing costs one simulation of the block per share, a small part of building its
    relations. The last blocks of a longer run are not shared (rejected: sharing the
    ``blocks % workers`` left over): while they are built, the writing process takes the
    other cores, writing each relation as its last rows come (15,000 persons on two workers,
    the third block shared: no faster, about 7% more CPU)."""
    if workers <= blocks:
        return [1] * blocks
    return [workers // blocks] * blocks


def _task_results(task: int | tuple[int, int, int]) -> Iterator[Any]:
    """A worker's task: a whole block (:func:`_shipped_results`) or a share of one
    (:func:`_share_results`)."""
    return _share_results(task) if isinstance(task, tuple) else _shipped_results(task)


def _submit(stream: BlockStream, block: int, shares: int) -> None:
    """Hand a block to the next worker, or its ``shares`` shares to the next ones."""
    if shares == 1:
        stream.submit(block)
        return
    for share in range(shares):
        stream.submit((block, share, shares))


def _received(state: BlockState, stream: BlockStream, block: int,
              shares: int) -> Iterator[RelationResult]:
    """A block's results as the writer takes them: a worker's, or its shares' merged."""
    if shares == 1:
        return stream.receive()
    return _merged_shares(state, block, [stream.receive() for _ in range(shares)])


def _merged_shares(state: BlockState, block: int,
                   shares: list[Iterator[Any]]) -> Iterator[RelationResult]:
    """The shares' results in relation order (one of each share in turn), then the answer
    key's, from their defects in the same order."""
    ledgers: list[list[tuple[str, Defects]]] = [[] for _ in shares]
    for items in itertools.zip_longest(*shares):
        for share, item in enumerate(items):
            if type(item) is list:  # a share's defects: its last item
                ledgers[share] = item
            elif item is not None:
                yield item
    if state.ledger_index is not None:
        merged = [entry for turn in itertools.zip_longest(*ledgers) for entry in turn
                  if entry is not None]
        # (built here: the writer encodes what it needs of a batch made in its process)
        yield _ledger_result(replace(state, encoder=None), block, merged)


def _plan_for_workers(state: BlockState) -> None:
    """Work out here, once, the plans that each forked worker would otherwise work out on its
    first block (it inherits them): each relation's fill plan, checksum plan, quirks (and
    their columns by template) and what its batched derivations cache (e.g. reference-code
    pools)."""
    for index in state.person_relations:
        relation = state.relations[index]
        plan = fill_plan(relation, state.seed)
        column_kinds(arrow_schema(relation))
        if quirks_for(relation):
            columns_by_template(relation)
        for name, columns in plan.batched.items():
            if name in BATCHED_PREPARATIONS:
                BATCHED_PREPARATIONS[name]([relation.columns[i] for i in columns])


def blocks_at_once(workers: int, blocks: int, together: int) -> int:
    """How many consecutive blocks :func:`iterate_blocks` hands over together (``together``,
    or with 0 as many as there are worker processes)."""
    return together or min(workers, blocks)


def _relation_by_relation(group: list[Iterator[RelationResult]]) -> Iterator[RelationResult]:
    """The results of blocks built at the same time, relation by relation (each relation's
    in block order): every block has the same relations in the same order."""
    for results in zip(*group, strict=True):
        yield from results


class LocalEngine:
    """Blocks computed by this machine's process pool (``--workers``), handed over in block
    order with their batches; the run's writer stores them."""

    layout = None
    """The output's layout when it is not the format's own (sizes differ)."""

    def __init__(self, workers: int):
        self.workers = workers
        self.in_flight = InFlight()

    @property
    def workers_label(self) -> str:
        return f"{self.workers} worker process{'es' if self.workers > 1 else ''}"

    def writer(self, target: str) -> Writer | None:
        """The engine's own writer (None: the format's)."""
        return None

    @contextlib.contextmanager
    def results(self, state: BlockState, blocks: range,
                writer: Writer) -> Iterator[Iterator[Iterable[RelationResult]]]:
        together = blocks_at_once(self.workers, len(blocks), writer.blocks_together)
        writer.expect(len(blocks), together)
        results = iterate_blocks(replace(state, encoder=writer.encoder), self.workers, blocks,
                                 self.in_flight, together=writer.blocks_together)
        try:
            yield results
        finally:
            results.close()  # stops the pool at once on a failure or interrupt


def block_engine(config: RunConfig) -> Any:
    """The engine running the person blocks: ``local`` or ``dask`` (engine/dask_blocks.py)."""
    if config.engine == "dask":
        from leo_synth.engine.dask_blocks import DaskEngine

        return DaskEngine(config)
    return LocalEngine(config.worker_count())


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
             schema_dir: Path | None = None, writer: Writer | None = None,
             phase: Callable[..., None] | None = None,
             relation_progress: Callable[[int, int, int], None] | None = None,
             space_check: bool = True) -> RunSummary:
    """Generate the extract described by ``config`` and write it to its target.

    ``progress(blocks_done, blocks_total, rows_so_far)`` is called after each block, and
    ``relation_progress(results_done, results_total, rows_so_far)`` as each relation's rows of
    a block reach the writer (progress within a block: a run has a result per block and
    person-driven relation, ``results_total``, also told to ``phase("start")``). A
    ``writer`` given replaces the one ``config.format`` and ``config.out`` name (e.g. a
    :class:`~leo_synth.writers.memory.MemoryWriter`). ``phase(name, **facts)`` is told when
    the run starts writing (``"start"``: relations, persons, blocks, target, fmt, engine,
    workers, estimated_bytes, results), when it commits (``"commit"``) and the commit's phases
    as the writer reaches them (``"index"``, ``"publish"``). ``config.engine`` chooses who computes
    the blocks: this machine's process pool, or Dask tasks (engine/dask_blocks.py). With
    ``config.part`` set, only that part's share of the blocks is generated, into the part's
    own target (engine/parts.py). A run whose estimated size exceeds the free space of a local
    target is refused before it starts, unless ``space_check`` is False.
    """
    started = time.perf_counter()
    schema_dir = schema_dir or default_schema_dir()
    catalog = catalog or load_checked_catalog(schema_dir)
    params = load_parameters(config.resolve(config.parameters) if config.parameters else None)
    relations = [rel for rel in plan_relations(catalog, config.iteration, select)
                 if config.ledger or rel.name != LEDGER_RELATION]
    keys = KeyMaker(catalog.keyspaces, config.seed)
    _check_capacity(keys, config.persons)
    part = parse_part(config.part) if config.part else None
    blocks = range(math.ceil(config.persons / config.block_size))
    target = config.out
    if part is not None:
        check_part(part, config.persons, config.block_size)
        blocks = part.blocks(len(blocks))
        target = part_target(config.out, config.format, part)
        if not part.writes_static:
            relations = [rel for rel in relations
                         if not registry.BUILDERS[rel.table.builder].static]
    engine = block_engine(config)
    writer = writer or engine.writer(target) or make_writer(config.format, target,
                                                            config.if_exists)
    writer.check(relations)  # from here on the writer may hold a lock: abort() releases it
    n_blocks = len(blocks)
    rows = {rel.name: 0 for rel in relations}
    delivered = [0] * len(relations)
    """Per relation, the blocks whose results the writer has had."""
    run_level = [registry.BUILDERS[rel.table.builder].static for rel in relations]
    static = [i for i, flag in enumerate(run_level) if flag]
    person_relations = [i for i, flag in enumerate(run_level) if not flag]
    results_total = n_blocks * len(person_relations)
    results_done = 0
    size = estimated_bytes(engine.layout or config.format, relations, catalog,
                           _persons_in(config, blocks))
    if phase:
        writer.on_phase = phase
        phase("start", relations=len(relations), persons=config.persons, blocks=n_blocks,
              target=target, fmt=config.format, workers=engine.workers_label,
              engine=config.engine, results=results_total, estimated_bytes=size)
    with writer.aborted_on_failure():
        if space_check:
            writer.check_space(size)
        pools = build_pools(config.seed, config.persons, params)
        manifest = Manifest(settings=_settings(config, schema_dir, params))
        if part is not None:
            manifest.settings["part"] = {"index": part.index, "of": part.count,
                                         "blocks": [blocks.start, blocks.stop]}
        state = BlockState(config.seed, config.persons, config.block_size, params, pools, keys,
                           relations, quirk_rates=_quirk_rates(config, params))
        state.encoder = writer.encoder
        state.ledger_index = next((i for i, rel in enumerate(relations)
                                   if rel.name == LEDGER_RELATION), None)
        state.person_relations = person_relations
        writer.open(relations, manifest)  # inside: an interrupted open is cleaned up too
        static_ctx = registry.StaticContext(config.seed, params, pools, keys)
        with engine.results(state, blocks, writer) as results:
            # nothing asked after the last block: the pool is closed after the commit, so
            # that the workers' exit (engine/block_stream.py ``end``) overlaps it
            for done, result in enumerate(itertools.islice(results, n_blocks), start=1):
                if done == 1:  # the workers have started the first blocks (their results
                    # are read only now): the run-level relations are built meanwhile
                    _write_static(writer, [relations[i] for i in static], static_ctx, rows)
                for index, batch, checksum, encoded in result:
                    if batch is None and encoded is None:  # stored by the worker
                        writer.record(relations[index], checksum)
                    else:
                        writer.write(relations[index], batch, checksum, encoded)
                    rows[relations[index].name] += checksum.rows
                    delivered[index] += 1
                    if delivered[index] == n_blocks:  # its last rows: the writer may go on
                        writer.finish(relations[index])
                    results_done += 1
                    if relation_progress:
                        relation_progress(results_done, results_total, sum(rows.values()))
                if progress:
                    progress(done, n_blocks, sum(rows.values()))
                pause_point("write")
            if not n_blocks:
                _write_static(writer, [relations[i] for i in static], static_ctx, rows)
            if phase:
                phase("commit")
            writer.commit()
    return RunSummary(relations, rows, time.perf_counter() - started, n_blocks, target,
                      config.format)


def _write_static(writer: Writer, relations: list[Relation],
                  ctx: registry.StaticContext, rows: dict[str, int]) -> None:
    """Build and write the run-level relations (not person-driven, e.g. ``idbr_lookup``),
    each finished at once."""
    for rel in relations:
        batch = build_batch(rel, registry.BUILDERS[rel.table.builder].build(ctx, rel),
                            ctx.seed, -1)
        writer.write(rel, batch)
        writer.finish(rel)
        rows[rel.name] += batch.num_rows


def _persons_in(config: RunConfig, blocks: range) -> int:
    """How many persons the run's ``blocks`` hold (all of them, or a part's share)."""
    return (min(blocks.stop * config.block_size, config.persons)
            - min(blocks.start * config.block_size, config.persons))


def _quirk_rates(config: RunConfig, params: Parameters) -> dict[str, float]:
    return profile_rates(config.profile, params["quirks"], config.quirks)


def _check_capacity(keys: KeyMaker, persons: int) -> None:
    for space in keys.formats:
        if persons > keys.max_persons(space):
            raise LeoSynthError(f"{persons:,} persons exceed the {space} keyspace "
                                f"({keys.max_persons(space):,} persons at most)")


DRAWING_LIBRARIES = ("numpy", "pyarrow", "faker")
"""Libraries whose upgrade may change generated values (random streams, encodings, fake text)."""


def library_versions() -> dict[str, str]:
    """Python's and the drawing libraries' versions, recorded in the manifest so that a
    library upgrade is told apart from a change of code, specs or parameters."""
    return {"python": platform.python_version(),
            **{name: installed_version(name) for name in DRAWING_LIBRARIES}}


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
        "profile": config.profile,
        "quirk_rates": _quirk_rates(config, params),
        "ledger": config.ledger,
        "libraries": library_versions(),
        "synthetic": "leo-synth synthetic data: no row describes a real person",
    }
