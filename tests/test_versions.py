"""``versions.installed_version`` answers as ``importlib.metadata.version`` does (it replaces
it in a run, to spare importing it)."""

from __future__ import annotations

import importlib.metadata

import pytest

from leo_synth.versions import installed_version


@pytest.mark.parametrize("name", ["leo-synth", "leo_synth", "numpy", "pyarrow", "Faker",
                                  "SQLAlchemy", "adbc-driver-sqlite", "PyYAML"])
def test_the_installed_version_is_the_metadata_version(name: str) -> None:
    assert installed_version(name) == importlib.metadata.version(name)


def test_a_missing_distribution_raises_the_metadata_error() -> None:
    with pytest.raises(importlib.metadata.PackageNotFoundError):
        installed_version("no-such-distribution-leo-synth")
