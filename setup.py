"""Packaging that pyproject.toml cannot say declaratively: the top-level data folders.

``schemas/``, ``config/`` and ``examples/`` stay where they are in the checkout and are shipped
as package data under ``leo_synth/_data/`` (found by :mod:`leo_synth.resources`), every file
of every subfolder included, so a new data file needs no packaging change. The wheel also
ships the caches a default run builds (``leo_synth/_prebuilt/``: see
``leo_synth.resources.PREBUILT_DIR``), so a CI job's first run after ``pip install`` is as quick
as the next. Everything else is in pyproject.toml.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

DATA_FOLDERS = ("schemas", "config", "examples")  # keep in step with leo_synth.resources


def data_folders() -> dict[str, str]:
    """Package name -> folder for each data folder and each of its subfolders."""
    folders = {}
    for name in DATA_FOLDERS:
        for folder in [Path(name), *sorted(p for p in Path(name).rglob("*") if p.is_dir())]:
            if "__pycache__" not in folder.parts:
                folders["leo_synth._data." + ".".join(folder.parts)] = folder.as_posix()
    return folders


DATA = data_folders()


class BuildWithCaches(build_py):
    """``build_py``, then one small run of the built package with its cache directory in the
    package (``_prebuilt/``): the caches are named by digests of the built files and of the
    dependency versions, so an installation with the same versions reads them and any other
    builds its own. A build without the dependencies (an isolated build from the sdist) ships
    none and says so; an editable install (``pip install -e``) builds none; nothing else
    changes."""

    def run(self) -> None:
        super().run()
        if self.dry_run or self.editable_mode:  # an editable install reads the checkout's
            return  # files, not a built package, so there is nothing to ship caches in
        build_lib = Path(self.build_lib).resolve()
        target = build_lib / "leo_synth" / "_prebuilt"
        env = {**os.environ, "LEO_SYNTH_CACHE": str(target), "PYTHONPATH": str(build_lib),
               "PYTHONDONTWRITEBYTECODE": "1"}
        with tempfile.TemporaryDirectory() as work:
            done = subprocess.run([sys.executable, "-m", "leo_synth", "generate", "--persons",
                                   "10", "--out", str(Path(work, "warm.sqlite")), "--quiet"],
                                  env=env, cwd=work, capture_output=True, text=True,
                                  check=False)
        if done.returncode != 0:
            tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
            print(f"leo-synth: no caches shipped in the wheel (the first run will build them): "
                  f"{tail}", file=sys.stderr)
            for leftover in target.glob("*"):
                leftover.unlink()


setup(
    cmdclass={"build_py": BuildWithCaches},
    packages=[*find_namespace_packages(include=["leo_synth", "leo_synth.*"],
                                      exclude=["*.__pycache__"]), *DATA],
    package_dir={package: folder for package, folder in DATA.items()
                 if package.count(".") == 2},  # subfolders follow their top folder
    package_data={package: ["*"] for package in DATA},
    exclude_package_data={package: ["*.pyc"] for package in DATA},
)
