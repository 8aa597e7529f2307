"""leo-synth as users install it: a wheel built from the sources, installed without ``-e``
into a fresh virtual environment, and the command line run from a folder that is not the
checkout (so no file of the checkout can be found by accident)."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from leo_synth import __version__
from leo_synth.engine.generate import spec_digest
from leo_synth.resources import DATA_FOLDERS, data_dir

SOURCES = ("leo_synth", *DATA_FOLDERS, "setup.py", "pyproject.toml", "README.md")
"""What a clean clone holds that the build reads (copied, so the build leaves no debris)."""


def test_data_folders_resolve_to_the_checkout_in_a_source_tree() -> None:
    for name in DATA_FOLDERS:
        assert data_dir(name) == ROOT / name
    with pytest.raises(ValueError, match="unknown data folder"):
        data_dir("tests")


def build_wheel(tmp: Path) -> Path:
    """``python -m build`` (sdist, then the wheel from the sdist) on a copy of the sources."""
    source = tmp / "source"
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, source / name)
    dist = tmp / "dist"
    done = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir",
                           str(dist), str(source)], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    # (the licence as a TOML table made setuptools warn twice on every build and install)
    assert "project.license" not in done.stdout + done.stderr
    wheels = list(dist.glob("leo_synth-*.whl"))
    assert len(wheels) == 1 and list(dist.glob("leo_synth-*.tar.gz")), list(dist.iterdir())
    return wheels[0]


def fresh_venv(tmp: Path, wheel: Path) -> Path:
    """A new venv holding only the wheel. Its dependencies are taken from the test's own
    environment through a ``.pth`` line placed after the venv's site-packages (the suite runs
    offline, so they cannot be downloaded); leo-synth itself comes from the wheel."""
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120)
    python = venv / "bin" / "python"
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                           "--quiet", "--no-deps", "--no-index", str(wheel)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    site = subprocess.run([str(python), "-c", "import sysconfig; "
                           "print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "zz_leo_synth_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


@pytest.mark.slow
def test_wheel_installs_and_the_cli_works_from_any_folder(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("/METADATA")))
    assert b"\nLicense-Expression: MIT\n" in metadata
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "leo_synth").rglob("*.py")}
    assert modules <= set(names), sorted(modules - set(names))  # no subpackage left out
    for name in DATA_FOLDERS:
        shipped = {p.relative_to(ROOT).as_posix() for p in (ROOT / name).rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts}
        assert {f"leo_synth/_data/{p}" for p in shipped} <= set(names), name

    venv = fresh_venv(tmp_path, wheel)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "LEO_SYNTH_CACHE": str(tmp_path / "cache")}
    env.pop("PYTHONPATH", None)

    def leo(*args: str, code: int = 0) -> subprocess.CompletedProcess:
        done = subprocess.run([str(venv / "bin" / "leo-synth"), *args], capture_output=True,
                              text=True, cwd=work, env=env, timeout=300, check=False)
        assert done.returncode == code, (args, done.returncode, done.stderr[-2000:])
        return done

    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import leo_synth, leo_synth.resources as r; "
                            "print(leo_synth.__file__); print(r.schema_dir()); "
                            "print(leo_synth.__version__)"],
                           capture_output=True, text=True, cwd=work, env=env, check=True)
    module, schemas, version = where.stdout.split()
    assert module.startswith(str(venv)) and schemas.startswith(str(venv)), where.stdout
    assert version == __version__

    # the wheel ships the caches a default run builds, so the first run builds none of its own
    # but the place names of its seed (drawn per seed; the default seed's are shipped)
    shipped = {Path(n).name.split("-")[0] for n in names if n.startswith("leo_synth/_prebuilt/")}
    assert {"catalog", "ddl", "yaml", "place"} <= shipped, shipped
    leo("generate", "--persons", "50", "--seed", "3", "--out", "small.sqlite", "--quiet")
    built = sorted(p.name.split("-")[0] for p in (tmp_path / "cache").glob("*.pickle"))
    assert built == ["place"], built
    with sqlite3.connect(work / "small.sqlite") as con:
        manifest = json.loads(con.execute("select * from _leo_synth_manifest").fetchone()[-1])
    settings = manifest["leo_synth"]
    assert settings["spec_sha256"] == spec_digest(ROOT / "schemas")  # the same specs shipped
    assert settings["version"] == __version__ and settings["persons"] == 50
    assert "npd_i2.spring_census_2011" in leo("tables").stdout
    assert "PupilMatchingRefAnonymous" in leo("tables", "spring_census_2011").stdout
    leo("dictionary", "--format", "json", "--out", "dictionary.json")
    assert json.loads((work / "dictionary.json").read_text())
    leo("request-template", "--out", "request.yaml")
    assert "leo_employment" in (work / "request.yaml").read_text()
    (work / "run.yaml").write_text("persons: 50\nout: run.sqlite\n")
    assert "ok" in leo("validate", "run.yaml").stdout
    report = leo("report", "--db", "small.sqlite", "--json", "report.json", code=1)
    assert "try --statistical" in report.stderr  # 50 persons miss most published figures
    assert json.loads((work / "report.json").read_text())
    module_run = subprocess.run([str(venv / "bin" / "python"), "-m", "leo_synth", "--version"],
                                capture_output=True, text=True, cwd=work, env=env, check=True)
    assert __version__ in module_run.stdout


def test_readme_names_every_source_database(catalog) -> None:
    """The README's Parquet folder list and search_path recipe cover every database written
    (the recipe once lacked ucas_i2, and `relation "ucas_2007_to_2021" does not exist`)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    databases = {rel.database for rel in catalog.relations(2)}
    parquet = readme.split("- **Parquet**: a folder per source database", 1)[1].split("\n- ")[0]
    assert {f"`{db}/`" for db in databases} <= set(re.findall(r"`\w+/`", parquet)), parquet
    paths = re.findall(r"SET search_path TO ([\w, ]+);", readme)
    assert len(paths) == 2 and all(databases <= {p.strip() for p in path.split(",")}
                                   for path in paths), paths
