"""The Dask engine (``--engine dask``): person blocks as Dask tasks that write their own files.

The client plans the run as the local engine does (engine/generate.py), sends the block state
to every worker once (``scatter``), then keeps at most two tasks per worker in flight. Each task
simulates one block with the very code the local engine runs (:func:`compute_block`), so the
rows are the same, writes one Parquet file per relation into the run's staging location
(writers/parquet_dataset.py) and returns only the per-relation checksums, which the client adds
up (sums do not depend on the order the blocks finish in). The client writes the run-level
relations and, last, the manifest; then the dataset is published.

Without ``--scheduler`` a ``LocalCluster`` of one single-threaded worker per core (or
``--workers`` when above 1) is started and stopped with the run. With a scheduler address, the
workers must have leo-synth installed and must see ``--out``: a shared file system path or an
fsspec URL (``s3://...``).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import uuid
from collections.abc import Iterator
from typing import Any

from leo_synth.checksum import Checksum
from leo_synth.config import RunConfig
from leo_synth.engine.generate import BlockState, InFlight, compute_block
from leo_synth.errors import LeoSynthError
from leo_synth.spec.physical import arrow_schema
from leo_synth.writers.base import Writer
from leo_synth.writers.parquet_dataset import block_file, make_dataset_writer, write_part

CONNECT_TIMEOUT = "10s"
"""How long to try reaching a scheduler before saying it is unreachable."""
LOCAL_CLUSTER: dict[str, Any] = {"threads_per_worker": 1, "processes": True}
"""How the LocalCluster's workers run (tests use threads: ``processes=False``)."""
TASKS_PER_WORKER = 2
"""Blocks in flight per worker: enough to keep each busy, few enough to bound memory."""

StoredResult = list[tuple[int, None, Checksum, None]]
"""Per relation: its index, no batch (the worker stored it), the block's checksum and no
encoding."""


def require_dask() -> None:
    """Refuse at once, in one line, when Dask's distributed scheduler is not installed."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise LeoSynthError("--engine dask needs Dask (dask.distributed), which is not "
                            "installed: pip install 'leo-synth[dask]' (or use --engine "
                            "local)") from None


def block_task(state: BlockState, block: int, root: str) -> StoredResult:
    """On a worker: simulate ``block``, write a file per relation with rows, return the
    checksums."""
    stored: StoredResult = []
    for index, batch, checksum, _encoded in compute_block(block, state):
        if batch.num_rows:
            relation = state.relations[index]
            try:
                write_part(root, relation, block_file(block), batch, arrow_schema(relation))
            except OSError as exc:
                raise LeoSynthError(f"cannot write block {block} of {relation.name} under "
                                    f"{root}: {exc.strerror or exc}") from None
        stored.append((index, None, checksum, None))
    return stored


class DaskEngine:
    """Blocks as Dask tasks; results come back (checksums only) as the tasks finish."""

    layout = "parquet-dataset"

    def __init__(self, config: RunConfig):
        require_dask()
        self.config = config
        self.scheduler = config.scheduler
        asked = 1 if config.workers == "auto" else config.worker_count()
        self.local_workers = asked if asked > 1 else (os.cpu_count() or 1)
        self.in_flight = InFlight()
        self.workers = 0
        """Workers the scheduler had when the run started (their number bounds the tasks in
        flight: ``TASKS_PER_WORKER`` each)."""

    @property
    def workers_label(self) -> str:
        if self.scheduler:
            return f"the workers of the Dask scheduler at {self.scheduler}"
        return f"a Dask LocalCluster of {self.local_workers} workers"

    def writer(self, target: str) -> Writer:
        """The dataset writer (a local folder or an fsspec URL)."""
        return make_dataset_writer(target, self.config.if_exists)

    @contextlib.contextmanager
    def results(self, state: BlockState, blocks: range,
                writer: Writer) -> Iterator[Iterator[StoredResult]]:
        root = writer.part_root  # type: ignore[attr-defined]
        with self._client() as client:
            results = self._run(client, state, blocks, root)
            try:
                yield results
            finally:
                results.close()

    @contextlib.contextmanager
    def _client(self) -> Iterator[Any]:
        """A client of the given scheduler or of a LocalCluster started for the run. Dask's
        own log lines are kept quiet (a worker stopped by Ctrl-C makes its nanny log a
        traceback): what fails reaches the run as the task's exception, said in one line."""
        quiet = logging.getLogger("distributed")
        level = quiet.level
        quiet.setLevel(logging.CRITICAL)
        try:
            with self._connect() as client:
                yield client
        finally:
            quiet.setLevel(level)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[Any]:
        from distributed import Client, LocalCluster

        if self.scheduler:
            try:
                client = Client(self.scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
            except (OSError, TimeoutError, ValueError, TypeError) as exc:
                why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise LeoSynthError(
                    f"cannot reach the Dask scheduler at {self.scheduler} ({why}): check the "
                    f"address (e.g. tcp://host:8786) and that the scheduler runs, or leave "
                    f"--scheduler out to use this machine") from None
            with contextlib.closing(client):
                yield client
            return
        # no dashboard, and the scheduler's web server (it serves its health checks) on a
        # free port: on its default, 8787, a second run, or a user's own cluster, printed a
        # warning that the port is taken
        with LocalCluster(n_workers=self.local_workers, dashboard_address=":0",
                          scheduler_kwargs={"dashboard": False},
                          silence_logs=logging.CRITICAL, **LOCAL_CLUSTER) as cluster, \
                Client(cluster, set_as_default=False) as client:
            yield client

    def _run(self, client: Any, state: BlockState, blocks: range,
             root: str) -> Iterator[StoredResult]:
        from distributed import as_completed

        self.workers = workers = max(1, len(client.scheduler_info().get("workers", {})))
        shared = client.scatter(state, broadcast=True, hash=False)
        run = uuid.uuid4().hex[:8]
        queue = iter(blocks)

        def submit(block: int) -> Any:
            return client.submit(block_task, shared, block, root, pure=False,
                                 key=f"leo-synth-{run}-block-{block}")

        first = itertools.islice(queue, TASKS_PER_WORKER * workers)
        pending = as_completed([submit(block) for block in first], loop=client.loop)
        try:
            for future in pending:
                self.in_flight.note(pending.count() + 1)  # this one, until recorded
                result = self._result(future)
                future.release()
                block = next(queue, None)
                if block is not None:
                    pending.add(submit(block))
                yield result
        finally:
            client.cancel(list(pending.futures))

    @staticmethod
    def _result(future: Any) -> StoredResult:
        from distributed import KilledWorker

        try:
            return future.result()
        except KilledWorker as exc:
            raise LeoSynthError(f"a Dask worker died running {future.key} ({exc}); give the "
                                f"workers more memory or use a smaller --block-size") from None
