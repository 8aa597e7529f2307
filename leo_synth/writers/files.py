"""The file outputs' common part: check the target, lock it, build beside it, publish it.

Guarantees (README, "Failed and interrupted runs"):

- leo-synth replaces only what it made: a target that exists is replaced only when the writer
  recognises it as its own output (``foreign`` returns None); device nodes, FIFOs, sockets and
  symbolic links are never replaced.
- one run per target at a time (:class:`OutputLock`); the existence check of
  ``--if-exists fail`` and the ownership check are made again at publish time.
- the output is built in ``.<name>.leo-synth-tmp-<pid>`` and published by renames during
  which SIGINT/SIGTERM are held back; what a killed run left (staging, an old output moved
  aside) is cleared, or put back, by the next run on the same target once its PID is dead.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import tempfile
from abc import abstractmethod
from pathlib import Path

import pyarrow as pa

from leo_synth.checksum import Checksum
from leo_synth.engine.estimate import human_bytes
from leo_synth.errors import LeoSynthError
from leo_synth.interrupts import signals_deferred
from leo_synth.spec.model import Relation
from leo_synth.writers.base import Writer
from leo_synth.writers.lock import OutputLock
from leo_synth.writers.publish import move_new, swap_in

_DEBRIS = re.compile(r"\.(?P<name>.+)\.leo-synth-(?P<kind>tmp|old|scratch)-(?P<pid>\d+)")
_LONGEST_SUFFIX = len(".") + len(".leo-synth-scratch-") + 10  # a PID has at most 10 digits


def sibling(path: Path, kind: str, pid: int | None = None) -> Path:
    """A hidden name beside ``path`` for this run's staging (``tmp``), the old output
    (``old``) or a scratch folder (``scratch``, e.g. the SQLite workers' files)."""
    return path.with_name(f".{path.name}.leo-synth-{kind}-{os.getpid() if pid is None else pid}")


def output_path(out: str, what: str) -> Path:
    """Check the ``--out`` text of a file output (``what``: "file" or "folder")."""
    if out == "":
        raise LeoSynthError(f"--out is empty: give the {what} to write")
    if out == "-":
        raise LeoSynthError(f"--out -: leo-synth cannot write to standard output; give the "
                            f"{what} to write (./- if you really mean a {what} named '-')")
    path = Path(out)
    if path.name in ("", ".", ".."):
        example = path / ("leo.sqlite" if what == "file" else "leo_parquet")
        raise LeoSynthError(f"--out {out} is a folder that holds other things; give a new "
                            f"name inside it, e.g. {example}")
    limit = _name_max(path.parent) - _LONGEST_SUFFIX
    if len(os.fsencode(path.name)) > limit:
        raise LeoSynthError(f"--out: the name {path.name[:20]}... is {len(path.name)} "
                            f"characters long; use at most {limit}")
    return path


def _name_max(folder: Path) -> int:
    while True:
        try:
            return os.pathconf(folder, "PC_NAME_MAX")
        except (OSError, ValueError):
            if folder == folder.parent:
                return 255
            folder = folder.parent


def remove(path: Path) -> None:
    """Remove a file or folder this run (or a dead run) made, if it exists."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def clear_debris(path: Path) -> list[Path]:
    """Clear what killed runs on ``path`` left behind (call with the lock held): staging is
    removed; an old output moved aside is put back when the target is missing (the run died
    between the two renames of a publish), removed otherwise. Returns what was cleared."""
    cleared = []
    for entry in sorted(path.parent.iterdir()):
        match = _DEBRIS.fullmatch(entry.name)
        if not match or match["name"] != path.name:
            continue
        pid = int(match["pid"])
        if pid == os.getpid() or _alive(pid):
            continue
        if match["kind"] == "old" and not os.path.lexists(path):
            os.rename(entry, path)
        else:
            remove(entry)
        cleared.append(entry)
    return cleared


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISLNK(mode):
        return "symbolic link"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device node"
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"  # pragma: no cover


class FileWriter(Writer):
    """A writer whose output is one file or one folder on a local file system."""

    what = "file"  # or "folder"
    write_errors: tuple[type[Exception], ...] = (OSError,)
    """What a failed write raises (disk full, I/O error), reported as one line."""

    def __init__(self, target: str, if_exists: str):
        super().__init__(target, if_exists)
        self.path = output_path(target, self.what)
        self.staging = sibling(self.path, "tmp")
        self.lock = OutputLock(self.path)
        self._checked: tuple[int, ...] | None = None
        """The stat identity of the existing file found ours at the start (see publish)."""

    @staticmethod
    @abstractmethod
    def foreign(path: Path) -> str | None:
        """Why the existing ``path`` is not an output of this writer (None when it is)."""

    def check(self, relations: list[Relation]) -> None:
        self._check_parent()
        self.lock.acquire()
        try:
            clear_debris(self.path)
            self._check_existing()
        except BaseException:
            self.lock.release()
            raise

    def check_space(self, needed: int) -> None:
        """Refuse a run whose output, about ``needed`` bytes, exceeds the free space of the
        target's file system: said at once, not after minutes of writing (a full disk mid-run
        also fails cleanly, but late). The new output is written beside the old one, which
        stays until the new one is published, so the whole estimate must fit."""
        free = shutil.disk_usage(self.path.parent).free
        if needed > free:
            raise LeoSynthError(
                f"cannot write {self.path}: the output will take about {human_bytes(needed)} "
                f"and {self.path.parent} has {human_bytes(free)} free (free some space, choose "
                f"another --out, or give --no-space-check if the estimate is too high)")

    def _check_parent(self) -> None:
        parent = self.path.parent
        if parent.exists() and not parent.is_dir():
            raise LeoSynthError(f"cannot write {self.path}: {parent} is not a directory")
        try:
            parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=parent, prefix=".leo-synth-probe-"):
                pass
        except OSError as exc:
            raise LeoSynthError(f"cannot write to {parent}: {exc.strerror or exc} (choose "
                                f"another --out)") from exc

    def _check_existing(self) -> None:
        """Refuse a target that must not be replaced (at the start and again at publish)."""
        try:
            stat = os.lstat(self.path)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise LeoSynthError(f"cannot use {self.path}: {exc.strerror or exc}") from exc
        # A file unchanged since it was found ours (same inode, size, times) is still ours:
        # reading it again costs a SQLite file's schema parse. A folder is read again.
        identity = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
        if self.what == "file" and identity == self._checked:
            return
        kind = _kind(stat.st_mode)
        if kind == "symbolic link":
            raise LeoSynthError(f"{self.path} is a symbolic link; leo-synth replaces only its "
                                f"own outputs: give the path it points to "
                                f"({os.path.realpath(self.path)}) or another --out")
        if kind != self.what:
            raise LeoSynthError(f"{self.path} exists and is a {kind}, not a {self.what}; choose "
                                f"another --out")
        if self.if_exists != "replace":
            raise LeoSynthError(f"{self.path} already exists; use --if-exists replace to "
                                f"overwrite it")
        try:
            reason = self.foreign(self.path)
        except OSError as exc:
            reason = f"it cannot be read ({exc.strerror or exc})"
        if reason:
            raise LeoSynthError(f"refusing to replace {self.path}: {reason}; leo-synth replaces "
                                f"only its own outputs: move it away or choose another --out")
        self._checked = identity

    def publish(self) -> None:
        """Move the finished staging output into place (the run's last step)."""
        aside = None
        self.announce("publish")
        with signals_deferred():
            self._check_existing()
            try:
                if os.path.lexists(self.path):
                    aside = swap_in(self.staging, self.path, sibling(self.path, "old"))
                else:
                    move_new(self.staging, self.path)
            except FileExistsError:
                raise LeoSynthError(f"{self.path} was created by something else during the "
                                    f"run; nothing was written (move it away and run again)"
                                    ) from None
            self.published = True
        if aside is not None:
            remove(aside)
        self.lock.release()

    def write(self, relation: Relation, batch: pa.RecordBatch | None,
              checksum: Checksum | None = None, encoded: bytes | None = None) -> None:
        try:
            super().write(relation, batch, checksum, encoded)
        except self.write_errors as exc:
            raise self.disk_error(exc) from exc

    def abort(self) -> None:
        with signals_deferred():  # a second Ctrl-C must not leave the clean-up half done
            self._close()
            if self.lock.fd is not None:  # staging is only ever made with the lock held
                remove(self.staging)
                aside = sibling(self.path, "old")
                if os.path.lexists(aside) and os.path.lexists(self.path):  # signal after publish
                    remove(aside)
            self.lock.release()

    @abstractmethod
    def _close(self) -> None:
        """Close whatever the writer has open on its staging output."""

    def disk_error(self, exc: OSError | Exception) -> LeoSynthError:
        """The one-line error for a failed write (disk full, permission, I/O)."""
        return disk_error(self.path, exc)


def disk_error(path: Path, exc: OSError | Exception) -> LeoSynthError:
    """The one-line error for a failed write of the output at ``path`` (disk full,
    permission, I/O), in the writing process or in a worker."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        why = "no space left on device"
    elif isinstance(exc, OSError):
        why = exc.strerror or str(exc)
    else:
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return LeoSynthError(f"cannot write {path}: {why} (free some space or choose "
                         f"another --out; the previous output, if any, is unchanged)")
