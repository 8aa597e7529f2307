"""Generation speed per backend and worker count; appends a table to benchmarks/results.md.

    python benchmarks/run.py [--persons 10000 50000] [--workers 1 2] [--formats sqlite parquet]
                             [--parts 2 4] [--note "what changed"]

PostgreSQL is included when LEO_SYNTH_TEST_PG is set or the local cluster can be started.

The same invocation also measures a plain writer on the same Arrow tables (read back from the
run's output, one table at a time): pyarrow ``write_table`` (zstd) for Parquet; for SQLite the
faster of ADBC's bulk ingest and one transaction of ``executemany`` per table (journal and sync
off, no indexes); for PostgreSQL a ``COPY`` of each table's Arrow-rendered CSV into a scratch
schema (no keys, no indexes). The ratio is the plain writer's seconds over leo-synth's (1.0: as
fast as just writing the data). CPU seconds are user plus system time: leo-synth's of the
benchmark process and its worker processes during the run (not a PostgreSQL server's), the plain
writer's of its process (its threads included); the floor is the run's CPU seconds over the
cores it can keep busy (its workers and the writing process, at most the machine's), the least
wall time it could take: a run at its floor is bound by CPU, not by waiting. On a shared
machine the seconds vary from run to run with the neighbours' load; the CPU seconds much
less, and the line above each table times a fixed Python loop, for comparing machines and
moments. Peak RSS is the benchmark
process's and its workers' high-water mark so far (it only grows across the rows of one
invocation: run one configuration per invocation to compare memory).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from postgres_server import ensure_server  # noqa: E402

from leo_synth import __version__  # noqa: E402
from leo_synth.config import RunConfig  # noqa: E402
from leo_synth.engine.generate import generate, load_checked_catalog  # noqa: E402
from leo_synth.readers import read_parquet, read_postgres, read_sqlite_relations  # noqa: E402
from leo_synth.spec.model import Catalog, Relation  # noqa: E402
from leo_synth.writers.sqlite import sqlite_batch, sqlite_values  # noqa: E402


def peak_rss_mb() -> float:
    """High-water resident memory of this process and of its (finished) workers, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


@dataclass
class Cost:
    """Wall-clock and CPU (user plus system) seconds of one piece of work."""

    seconds: float
    cpu: float

    def add(self, other: Cost) -> None:
        """Count ``other``'s seconds in too (work timed in pieces)."""
        self.seconds += other.seconds
        self.cpu += other.cpu


@contextlib.contextmanager
def measured(children: bool = False) -> Iterator[Cost]:
    """Time the block: the :class:`Cost` yielded is filled in when it ends, with this
    process's CPU, plus with ``children`` that of its child processes reaped meanwhile (a
    run's workers)."""
    def cpu() -> float:
        usage = [resource.getrusage(resource.RUSAGE_SELF)]
        if children:
            usage.append(resource.getrusage(resource.RUSAGE_CHILDREN))
        return sum(u.ru_utime + u.ru_stime for u in usage)

    cost = Cost(0.0, 0.0)
    wall, used = time.perf_counter(), cpu()
    yield cost
    cost.seconds, cost.cpu = time.perf_counter() - wall, cpu() - used


def cores_used(workers: int) -> int:
    """The most cores a run can keep busy: its workers and the writing process, up to the
    machine's (its CPU seconds over this are the least wall time it could take)."""
    return min(os.cpu_count() or 1, workers + 1)


def loop_seconds() -> float:
    """A fixed 30-million-step Python loop: 0.85 s on the 2-core machine of the records from
    2026-12-01 at a quiet moment, 1.3 s at a busier one (same code, same hour)."""
    started = time.perf_counter()
    total = 0
    for step in range(30_000_000):
        total += step
    return time.perf_counter() - started


def plain_parquet_seconds(out: Path, relations: list[Relation], tmp: Path) -> Cost:
    """pyarrow writing the run's tables with zstd (each read back from its output first)."""
    total = Cost(0.0, 0.0)
    for i, rel in enumerate(relations):
        table = read_parquet(out, rel)
        with measured() as cost:
            pq.write_table(table, tmp / f"plain{i}.parquet", compression="zstd")
        total.add(cost)
    return total


SqliteTables = Callable[[], Iterator[tuple[str, pa.Table]]]
"""The run's tables read back from its SQLite file one at a time, as the SQLite writer binds
them (each call reads them again)."""


def _sqlite_tables(out: Path, relations: list[Relation]) -> SqliteTables:
    return lambda: ((rel.name, sqlite_batch(table))
                    for rel, table in read_sqlite_relations(out, relations))


def _create_plain(execute: Callable[[str], object], name: str, table: pa.Table) -> None:
    columns = ", ".join(f'"{column}"' for column in table.column_names)
    execute(f'CREATE TABLE "{name}" ({columns})')


def _timed_load(execute: Callable[[str], object], tables: SqliteTables,
                insert: Callable[[str, pa.Table], object]) -> Cost:
    """A plain load in one transaction, journal and sync off: each table created and
    ``insert``-ed (the reading of the tables is not counted)."""
    total = Cost(0.0, 0.0)
    with measured() as cost:
        execute("PRAGMA journal_mode=OFF")
        execute("PRAGMA synchronous=OFF")
        execute("BEGIN")
    total.add(cost)
    for name, table in tables():
        with measured() as cost:
            _create_plain(execute, name, table)
            insert(name, table)
        total.add(cost)
    with measured() as cost:
        execute("COMMIT")
    total.add(cost)
    return total


def executemany_seconds(tables: SqliteTables, target: Path) -> Cost:
    """One ``executemany`` per table."""
    target.unlink(missing_ok=True)

    with contextlib.closing(sqlite3.connect(target, isolation_level=None)) as conn:
        def insert(name: str, table: pa.Table) -> None:
            columns = [sqlite_values(table.column(i)) for i in range(table.num_columns)]
            conn.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" * len(columns))})',
                             zip(*columns, strict=True))

        return _timed_load(conn.execute, tables, insert)


def adbc_seconds(tables: SqliteTables, target: Path) -> Cost:
    """ADBC's bulk ingest of each table."""
    import adbc_driver_sqlite.dbapi

    target.unlink(missing_ok=True)
    with adbc_driver_sqlite.dbapi.connect(str(target), autocommit=True) as conn, \
            conn.cursor() as cur:
        return _timed_load(cur.execute, tables,
                           lambda name, table: cur.adbc_ingest(name, table, mode="append"))


def plain_sqlite_seconds(out: Path, relations: list[Relation], tmp: Path) -> Cost:
    """The fastest plain SQLite load of the run's tables (read back from its output)."""
    tables = _sqlite_tables(out, relations)
    return min(adbc_seconds(tables, tmp / "plain.sqlite"),
               executemany_seconds(tables, tmp / "plain.sqlite"), key=lambda c: c.seconds)


def plain_postgres_seconds(url: str, relations: list[Relation], tmp: Path) -> Cost:
    """COPY of the run's tables (read back, rendered as CSV by Arrow) into a scratch schema."""
    import psycopg

    from leo_synth.writers.postgres import copy_csv

    schema = "leo_synth_bench_plain"
    total = Cost(0.0, 0.0)
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        cur.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")  # the benchmark's own scratch
        with measured() as cost:
            cur.execute(f"CREATE SCHEMA {schema}")
        total.add(cost)
        for rel in relations:
            table = read_postgres(url, rel)
            with measured() as cost:
                name = rel.name.lower()
                cur.execute(f'CREATE TABLE {schema}."{name}" (LIKE "{rel.database}"."{name}")')
                with cur.copy(f'COPY {schema}."{name}" FROM STDIN WITH (FORMAT csv)') as copy:
                    copy.write(copy_csv(rel, table))
            total.add(cost)
        with measured() as cost:
            conn.commit()
        total.add(cost)
        cur.execute(f"DROP SCHEMA {schema} CASCADE")
        conn.commit()
    return total


PLAIN = {"parquet": plain_parquet_seconds, "sqlite": plain_sqlite_seconds,
         "postgres": plain_postgres_seconds}

PARTS_HEADER = ["| persons | format | workers | parts | whole run s | each part s | "
                "N machines s | speed-up | one machine s | parts = whole |",
                "|---:|---|---:|---:|---:|---|---:|---:|---:|---|"]


def parts_line(config: RunConfig, catalog: Catalog, parts: int, whole_seconds: float) -> str:
    """The run of ``config`` made as ``parts`` parts one after another (as N machines would
    make them at once): each part's seconds, the slowest (the wall time on N machines), the
    speed-up over the whole run, their sum (one machine), and whether the parts' manifests add
    up to the whole run's (``verify``'s check: the parts' checksums sum to the whole's)."""
    from leo_synth.engine.parts import parse_part, part_target
    from leo_synth.output_reading import open_output
    from leo_synth.verify import combine_parts, compare_manifests

    seconds, targets = [], []
    for k in range(1, parts + 1):
        part = config.with_overrides(part=f"{k}/{parts}")
        seconds.append(generate(part, catalog).seconds)
        targets.append(part_target(config.out, config.format, parse_part(part.part)))
    whole, problems = combine_parts([open_output(str(target)) for target in targets])
    problems += compare_manifests(whole, open_output(config.out).manifest, "the whole run")
    for target in targets:  # (the benchmark's own scratch, in its temporary folder)
        path = Path(target)
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    each = ", ".join(f"{s:.1f}" for s in seconds)
    same = "yes" if not problems else f"no: {problems[0]}"
    return (f"| {config.persons:,} | {config.format} | {config.worker_count()} | {parts} | "
            f"{whole_seconds:.1f} | {each} | {max(seconds):.1f} | "
            f"{whole_seconds / max(seconds):.2f} | {sum(seconds):.1f} | {same} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--formats", nargs="+",
                        default=["sqlite", "parquet", "postgres", "duckdb", "csv"])
    parser.add_argument("--parts", type=int, nargs="*", default=[],
                        help="also make each run (but PostgreSQL's) as N parts, one after "
                             "another: the wall time on N machines, and the parts checked "
                             "to add up to the whole run")
    parser.add_argument("--no-record", action="store_true", help="print only")
    parser.add_argument("--note", default="", help="a line recorded under the heading")
    args = parser.parse_args()
    catalog = load_checked_catalog()
    pg_url, _ = ensure_server() if "postgres" in args.formats else (None, "")
    machine = loop_seconds()
    print(f"machine check: a 30-million-step Python loop took {machine:.2f} s", flush=True)
    lines = ["| persons | format | workers | seconds | CPU s | floor s | rows | cells | rows/s | "
             "peak RSS MB | plain writer s | plain CPU s | ratio |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    parts_lines = list(PARTS_HEADER)
    if args.parts:
        print("(then the parts table: " + PARTS_HEADER[0] + ")", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for persons in args.persons:
            for fmt in args.formats:
                if fmt == "postgres" and pg_url is None:
                    continue
                for workers in args.workers:
                    out = pg_url if fmt == "postgres" else str(Path(tmp) / f"bench.{fmt}")
                    config = RunConfig(persons=persons, workers=workers, format=fmt, out=out,
                                       if_exists="replace")
                    with measured(children=True) as run:
                        summary = generate(config, catalog)
                    rss = peak_rss_mb()
                    rate = summary.total_rows / summary.seconds
                    cells = sum(summary.rows[rel.name] * len(rel.columns)
                                for rel in summary.relations)
                    if fmt in PLAIN:
                        target = out if fmt == "postgres" else Path(out)
                        cost = PLAIN[fmt](target, summary.relations, Path(tmp))
                        plain = (f"{cost.seconds:.1f} | {cost.cpu:.1f} | "
                                 f"{cost.seconds / summary.seconds:.2f}")
                    else:
                        plain = " | | "
                    line = (f"| {persons:,} | {fmt} | {workers} | {summary.seconds:.1f} | "
                            f"{run.cpu:.1f} | {run.cpu / cores_used(workers):.1f} | "
                            f"{summary.total_rows:,} | {cells:,} | "
                            f"{rate:,.0f} | {rss:,.0f} | {plain} |")
                    print(line, flush=True)
                    lines.append(line)
                    if fmt != "postgres":
                        for parts in args.parts:
                            line = parts_line(config, catalog, parts, summary.seconds)
                            print(line, flush=True)
                            parts_lines.append(line)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    header = (f"\n## {dt.date.today().isoformat()} - leo-synth {__version__}, Python "
              f"{platform.python_version()}, {os.cpu_count()} CPUs, load average at the "
              f"end {load}; a 30-million-step Python loop {machine:.2f} s at the start\n\n")
    if args.note:
        header += args.note + "\n\n"
    if not args.no_record:
        with open(HERE / "results.md", "a", encoding="utf-8") as handle:
            handle.write(header + "\n".join(lines) + "\n")
            if args.parts:
                handle.write("\n" + "\n".join(parts_lines) + "\n")


if __name__ == "__main__":
    main()
