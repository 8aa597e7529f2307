"""Packaging that pyproject.toml cannot say declaratively: the top-level data folders.

``schemas/``, ``config/`` and ``examples/`` stay where they are in the checkout and are shipped
as package data under ``leo_synth/_data/`` (found by :mod:`leo_synth.resources`), every file
of every subfolder included, so a new data file needs no packaging change. Everything else is
in pyproject.toml.
"""

from pathlib import Path

from setuptools import find_namespace_packages, setup

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

setup(
    packages=[*find_namespace_packages(include=["leo_synth", "leo_synth.*"],
                                      exclude=["*.__pycache__"]), *DATA],
    package_dir={package: folder for package, folder in DATA.items()
                 if package.count(".") == 2},  # subfolders follow their top folder
    package_data={package: ["*"] for package in DATA},
    exclude_package_data={package: ["*.pyc"] for package in DATA},
)
