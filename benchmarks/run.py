"""Generation speed per backend and worker count; appends a table to benchmarks/results.md.

    python benchmarks/run.py [--persons 10000 50000] [--workers 1 2] [--formats sqlite parquet]
                             [--note "what changed"]

PostgreSQL is included when LEO_SYNTH_TEST_PG is set or the local cluster can be started.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from postgres_server import ensure_server  # noqa: E402

from leo_synth import __version__  # noqa: E402
from leo_synth.config import RunConfig  # noqa: E402
from leo_synth.engine.generate import generate, load_checked_catalog  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--formats", nargs="+",
                        default=["sqlite", "parquet", "postgres", "duckdb", "csv"])
    parser.add_argument("--no-record", action="store_true", help="print only")
    parser.add_argument("--note", default="", help="a line recorded under the heading")
    args = parser.parse_args()
    catalog = load_checked_catalog()
    pg_url, _ = ensure_server() if "postgres" in args.formats else (None, "")
    lines = ["| persons | format | workers | seconds | rows | rows/s |",
             "|---:|---|---:|---:|---:|---:|"]
    with tempfile.TemporaryDirectory() as tmp:
        for persons in args.persons:
            for fmt in args.formats:
                if fmt == "postgres" and pg_url is None:
                    continue
                for workers in args.workers:
                    out = pg_url if fmt == "postgres" else str(Path(tmp) / f"bench.{fmt}")
                    config = RunConfig(persons=persons, workers=workers, format=fmt, out=out,
                                       if_exists="replace")
                    summary = generate(config, catalog)
                    rate = summary.total_rows / summary.seconds
                    line = (f"| {persons:,} | {fmt} | {workers} | {summary.seconds:.1f} | "
                            f"{summary.total_rows:,} | {rate:,.0f} |")
                    print(line, flush=True)
                    lines.append(line)
    header = (f"\n## {dt.date.today().isoformat()} - leo-synth {__version__}, Python "
              f"{platform.python_version()}, {os.cpu_count()} CPUs\n\n")
    if args.note:
        header += args.note + "\n\n"
    if not args.no_record:
        with open(HERE / "results.md", "a", encoding="utf-8") as handle:
            handle.write(header + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
