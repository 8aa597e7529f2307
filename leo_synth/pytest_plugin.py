"""A pytest plugin: session fixtures holding a small synthetic LEO extract, cached on disk.

Installed with leo-synth (a ``pytest11`` entry point), so any project's tests can ask for:

- ``leo_sqlite``: the path of a SQLite extract (the session's own copy: tests may write);
- ``leo_parquet``: the path of a Parquet extract (a folder);
- ``leo_duckdb``: a DuckDB connection with every relation as a view, by SRS name and as
  ``<database>.<name>`` (``npd_i2.spring_census_2011``), read from the Parquet extract;
- ``leo_postgres_url``: a PostgreSQL URL holding the extract; only when a server is named
  (``leo_synth_postgres_url`` or ``$LEO_SYNTH_POSTGRES_URL``), else the test is skipped;
- ``leo_synth_cache``: for other settings in one test, ``leo_synth_cache.sqlite(persons=50)``.

Settings come from the ini file (``leo_synth_persons``, ``leo_synth_seed``,
``leo_synth_iteration``, ``leo_synth_request``). Each extract is generated once and kept under
``leo_synth_cache_dir`` (default: leo-synth's cache, ``~/.cache/leo-synth/extracts``), keyed by
a hash of the settings, the leo-synth version and every spec, config and source file of the
installed leo-synth, so a later session reuses it at the cost of hashing those files, and any
change to them makes a new extract; so does a change to the cached extract itself (its bytes
are hashed too: a test that wrote to it). Nothing heavy is imported until a fixture is used.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import duckdb

INI_DEFAULTS = {"leo_synth_persons": "500", "leo_synth_seed": "1", "leo_synth_iteration": "2",
                "leo_synth_request": "", "leo_synth_cache_dir": "",
                "leo_synth_postgres_url": ""}
INI_HELP = {
    "leo_synth_persons": "leo-synth fixtures: simulated persons (default 500)",
    "leo_synth_seed": "leo-synth fixtures: seed (default 1)",
    "leo_synth_iteration": "leo-synth fixtures: extract iteration, 1 or 2 (default 2)",
    "leo_synth_request": "leo-synth fixtures: a variable request file (relative to the rootdir)",
    "leo_synth_cache_dir": "leo-synth fixtures: where extracts are cached (default "
                           "~/.cache/leo-synth/extracts)",
    "leo_synth_postgres_url": "leo-synth fixtures: PostgreSQL URL for leo_postgres_url "
                              "(or $LEO_SYNTH_POSTGRES_URL)",
}
POSTGRES_ENV = "LEO_SYNTH_POSTGRES_URL"
CACHED_NAMES = {"sqlite": "leo.sqlite", "parquet": "leo_parquet"}
"""The file (SQLite) or folder (Parquet) name of an extract in its settings-hash folder."""
DIGEST_FILE = "content.sha256"
"""Beside a cached extract: the SHA-256 of its bytes when it was made (see ``content_digest``)."""


def pytest_addoption(parser: pytest.Parser) -> None:
    for name, default in INI_DEFAULTS.items():
        parser.addini(name, INI_HELP[name], default=default)


@dataclass(frozen=True)
class ExtractSettings:
    """What determines a cached extract's content."""

    persons: int = 500
    seed: int = 1
    iteration: int = 2
    request: Path | None = None

    @classmethod
    def from_ini(cls, config: pytest.Config) -> ExtractSettings:
        values = {}
        for name in ("persons", "seed", "iteration"):
            raw = str(config.getini(f"leo_synth_{name}")).strip()
            try:
                values[name] = int(raw)
            except ValueError:
                raise pytest.UsageError(f"leo_synth_{name} must be a whole number, got "
                                        f"{raw!r}") from None
        request = str(config.getini("leo_synth_request")).strip()
        return cls(**values, request=config.rootpath / request if request else None)

    def key(self, fmt: str) -> str:
        """A hash of these settings, the format and the installed leo-synth."""
        digest = hashlib.sha256(json.dumps({**asdict(self), "request": None, "format": fmt},
                                           sort_keys=True).encode())
        if self.request is not None:
            if not self.request.is_file():
                raise pytest.UsageError(f"leo_synth_request: no file {self.request}")
            digest.update(self.request.read_bytes())
        digest.update(installed_fingerprint().encode())
        return digest.hexdigest()[:24]


_FINGERPRINT: str | None = None


def installed_fingerprint() -> str:
    """The leo-synth version and a hash of its sources, specs and configs (computed once)."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        from leo_synth import __version__
        from leo_synth.resources import data_dir

        package = Path(__file__).resolve().parent
        digest = hashlib.sha256(__version__.encode())
        for root, pattern in ((package, "*.py"), (data_dir("schemas"), "*.yaml"),
                              (data_dir("config"), "*.yaml")):
            for path in sorted(root.rglob(pattern)):
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
        _FINGERPRINT = f"{__version__}:{digest.hexdigest()}"
    return _FINGERPRINT


def content_digest(path: Path) -> str:
    """SHA-256 of a cached extract's bytes: the SQLite file, or every file of the Parquet
    folder with its relative path (about 20 ms for the default 500 persons)."""
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for file in files:
        digest.update(file.relative_to(path).as_posix().encode() if file != path else b"")
        with file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


class ExtractCache:
    """Extracts on disk under ``root``, one folder per settings hash, generated on first use.

    Each extract's digest is kept beside it (``DIGEST_FILE``): an extract a test wrote to (a
    table created, a row changed) no longer matches it, and is made again, with a warning,
    instead of being handed to later sessions as it was left."""

    def __init__(self, root: Path, settings: ExtractSettings):
        self.root = root
        self.settings = settings
        self.checked: set[Path] = set()
        """Extracts found intact (or made) in this session: not hashed again."""

    def path(self, fmt: str, settings: ExtractSettings | None = None) -> Path:
        """Where the extract of these settings is (or will be) cached."""
        settings = settings or self.settings
        return self.root / settings.key(fmt) / CACHED_NAMES[fmt]

    def get(self, fmt: str, **overrides: Any) -> Path:
        """The cached extract (``sqlite`` or ``parquet``), generated if missing. Outputs are
        published atomically, so an existing path is a complete extract."""
        settings = replace(self.settings, **overrides)
        path = self.path(fmt, settings)
        recorded = path.parent / DIGEST_FILE
        if path in self.checked:
            return path
        if path.exists():
            digest = content_digest(path)
            if not recorded.exists():  # (cached by an earlier leo-synth, which kept none)
                recorded.write_text(digest + "\n")
            if recorded.read_text().strip() == digest:
                self.checked.add(path)
                return path
            warnings.warn(f"leo-synth: the cached extract {path} has changed since it was "
                          f"made (a test wrote to it?); making it again", stacklevel=2)
        from leo_synth.api import generate

        generate(persons=settings.persons, seed=settings.seed, iteration=settings.iteration,
                 request=settings.request, format=fmt, out=path, if_exists="replace")
        recorded.write_text(content_digest(path) + "\n")
        self.checked.add(path)
        return path

    def sqlite(self, **overrides: Any) -> Path:
        """A SQLite extract; ``overrides`` change persons, seed, iteration or request."""
        return self.get("sqlite", **overrides)

    def parquet(self, **overrides: Any) -> Path:
        """A Parquet extract (folder); ``overrides`` as for :meth:`sqlite`."""
        return self.get("parquet", **overrides)


@pytest.fixture(scope="session")
def leo_synth_settings(pytestconfig: pytest.Config) -> ExtractSettings:
    """The extract settings from the ini file."""
    return ExtractSettings.from_ini(pytestconfig)


@pytest.fixture(scope="session")
def leo_synth_cache(pytestconfig: pytest.Config, leo_synth_settings: ExtractSettings,
                    tmp_path_factory: pytest.TempPathFactory) -> ExtractCache:
    """The on-disk cache of extracts (a session temporary folder when caching is off)."""
    from leo_synth.resources import cache_dir

    configured = str(pytestconfig.getini("leo_synth_cache_dir")).strip()
    if configured:
        root = pytestconfig.rootpath / configured
    else:
        base = cache_dir()
        root = base / "extracts" if base else tmp_path_factory.mktemp("leo_synth_extracts")
    return ExtractCache(root, leo_synth_settings)


@pytest.fixture(scope="session")
def leo_sqlite(leo_synth_cache: ExtractCache, tmp_path_factory: pytest.TempPathFactory
               ) -> Path:
    """The path of a SQLite extract: this session's own copy of the cached one, so that tests
    may write to it (a pipeline's own tables) without changing what later sessions get."""
    import shutil

    copy = tmp_path_factory.mktemp("leo_synth") / CACHED_NAMES["sqlite"]
    shutil.copyfile(leo_synth_cache.sqlite(), copy)
    return copy


@pytest.fixture(scope="session")
def leo_parquet(leo_synth_cache: ExtractCache) -> Path:
    """The path of a Parquet extract: ``<database>/<relation>.parquet`` and ``_manifest.json``."""
    return leo_synth_cache.parquet()


@pytest.fixture(scope="session")
def leo_duckdb(leo_parquet: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB connection with every relation of the extract as a view over its
    Parquet file, by SRS name and as ``<database>.<name>``."""
    import duckdb

    connection = duckdb.connect()
    for folder in sorted(p for p in leo_parquet.iterdir() if p.is_dir()):
        connection.execute(f'CREATE SCHEMA "{folder.name}"')
        for file in sorted(folder.glob("*.parquet")):
            source = str(file).replace("'", "''")
            for view in (f'"{folder.name}"."{file.stem}"', f'"{file.stem}"'):
                connection.execute(f"CREATE VIEW {view} AS SELECT * FROM read_parquet('{source}')")
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def leo_postgres_url(pytestconfig: pytest.Config, leo_synth_cache: ExtractCache) -> str:
    """A PostgreSQL URL whose database holds the extract (one schema per source database).

    The server is named by the ``leo_synth_postgres_url`` ini option or
    ``$LEO_SYNTH_POSTGRES_URL``; without one, or when it cannot be reached, the test is
    skipped with the reason. The extract is loaded only when the database does not hold this
    very one already (its manifest's checksums are those of the cached SQLite extract).
    """
    from leo_synth.readers import postgres_manifest, read_manifest
    from leo_synth.secrets import redact

    url = str(pytestconfig.getini("leo_synth_postgres_url")).strip() or \
        os.environ.get(POSTGRES_ENV, "")
    if not url:
        pytest.skip(f"leo_postgres_url needs a PostgreSQL server: set the "
                    f"leo_synth_postgres_url ini option or ${POSTGRES_ENV}")
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as connection:
            have = postgres_manifest(connection)
    except psycopg.Error as exc:
        pytest.skip(f"no PostgreSQL server at {redact(url)}: {' '.join(str(exc).split())}")
    wanted = read_manifest(leo_synth_cache.sqlite())  # the server is checked first
    if have != wanted:
        from leo_synth.api import generate

        settings = leo_synth_cache.settings
        generate(persons=settings.persons, seed=settings.seed, iteration=settings.iteration,
                 request=settings.request, format="postgres", out=url, if_exists="replace")
    return url
