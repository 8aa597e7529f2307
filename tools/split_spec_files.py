"""Split multi-table spec files into one file per table (the layout of ``schemas/README.md``).

    python tools/split_spec_files.py schemas/npd/key_stages.yaml ...   # split these files
    python tools/split_spec_files.py --all                            # every multi-table file

A file ``schemas/<dir>/<name>.yaml`` holding several tables becomes one file per table in the
folder of its family, ``schemas/<family>/<table>.yaml`` (``schemas/npd/ks4_pupil.yaml``,
``schemas/lilr/aims.yaml``); file-level code lists go to ``schemas/<family>/codelists.yaml``.
Each table's text is copied verbatim (so nothing is re-dumped and hand-written comments survive);
each new file repeats the file-level ``family`` and ``database`` and gets ``order: <old order>.NN``
(NN the table's position in the old file), so the catalog's table order is unchanged. The old
file's header comment and family ``description`` are printed for ``schemas/README.md`` and the
old file is removed. Use it to re-apply the split to a branch that still edits the old files.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"
TOP_KEY = re.compile(r"^([a-z_]+):(.*)$")


def blocks(text: str) -> tuple[list[str], dict[str, list[str]]]:
    """The header comment lines and each top-level key's lines (the key line included)."""
    lines = text.splitlines()
    header: list[str] = []
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        header.append(lines.pop(0))
    out: dict[str, list[str]] = {}
    current = None
    for line in lines:
        match = TOP_KEY.match(line)
        if match:
            current = match.group(1)
            out[current] = [line]
        elif current is None:
            raise SystemExit(f"unexpected line before the first key: {line!r}")
        else:
            out[current].append(line)
    return header, out


def table_blocks(lines: list[str]) -> list[list[str]]:
    """The ``tables:`` list split into its items (each starting ``- name:`` at column 0)."""
    items: list[list[str]] = []
    for line in lines[1:]:
        if line.startswith("- "):
            items.append([line])
        elif not items:
            raise SystemExit(f"unexpected line before the first table: {line!r}")
        else:
            items[-1].append(line)  # a comment between tables goes with the table above
    return items


def split(path: Path, dry_run: bool) -> list[tuple[Path, str]]:
    text = path.read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    header, keys = blocks(text)
    unknown = set(keys) - {"family", "order", "database", "description", "tables", "codelists"}
    if unknown:
        raise SystemExit(f"{path}: cannot split a file with {sorted(unknown)}")
    family = doc["family"]
    folder = SCHEMAS / family
    items = table_blocks(keys["tables"])
    if len(items) != len(doc["tables"]):
        raise SystemExit(f"{path}: {len(items)} table blocks for {len(doc['tables'])} tables")
    written = []
    for index, (item, table) in enumerate(zip(items, doc["tables"], strict=True), start=1):
        assert yaml.safe_load("\n".join(item))[0]["name"] == table["name"]
        target = folder / f"{table['name']}.yaml"
        head = [f"# Spec of table {table['name']} ({family}); layout: schemas/README.md.",
                f"family: {family}", f"order: {doc.get('order', 100)}.{index:02d}"]
        if "database" in doc:
            head.append(f"database: {doc['database']}")
        written.append((target, "\n".join([*head, "tables:", *item]) + "\n"))
    if "codelists" in keys:
        written.append((folder / "codelists.yaml",
                        f"# Code lists of the {family} tables; layout: schemas/README.md.\n"
                        + "\n".join(keys["codelists"]) + "\n"))
    for target, _ in written:
        if target.exists() and target != path:
            raise SystemExit(f"{target} exists already")
    names = ", ".join(str(t.relative_to(ROOT)) for t, _ in written)
    print(f"== {path.relative_to(ROOT)} -> {names}")
    print("\n".join(header))
    print("\n".join(keys.get("description", [])))
    if not dry_run:
        path.unlink()
        folder.mkdir(exist_ok=True)
        for target, body in written:
            target.write_text(body, encoding="utf-8")
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--all", action="store_true", help="every spec file with 2+ tables")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    files = [p.resolve() for p in args.files]
    if args.all:
        files = [p for p in sorted(SCHEMAS.rglob("*.yaml"))
                 if len((yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("tables")
                        or []) > 1]
    for path in files:
        split(path, args.dry_run)
    return 0


if __name__ == "__main__":
    sys.exit(main())
