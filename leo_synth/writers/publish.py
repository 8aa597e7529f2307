"""Moving a finished staging file or folder into place with as few renames as possible.

A file is published by one ``rename`` (atomic). A folder replacing an older one is swapped in by
one ``renameat2(RENAME_EXCHANGE)`` where Linux offers it; elsewhere the old folder is first
renamed aside (``.<name>.leo-synth-old-<pid>``) and the next run puts it back if the process
was killed in between. ``--if-exists fail`` publishes with ``RENAME_NOREPLACE``, so an output
that appeared during the run is never overwritten.
"""

from __future__ import annotations

import ctypes
import errno
import os
from collections.abc import Callable
from pathlib import Path

from leo_synth.interrupts import pause_point

AT_FDCWD = -100
RENAME_NOREPLACE = 1
RENAME_EXCHANGE = 2
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EPERM}


def _load_renameat2() -> Callable[..., int] | None:
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # not Linux, or a libc older than glibc 2.28
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                         ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _load_renameat2()


def renameat2(source: Path, target: Path, flags: int) -> bool:
    """Rename with flags; False when the system or file system cannot (the caller falls back),
    OSError for a real failure (``EEXIST`` with ``RENAME_NOREPLACE``)."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(AT_FDCWD, os.fsencode(source), AT_FDCWD, os.fsencode(target), flags) == 0:
        return True
    err = ctypes.get_errno()
    if err in _UNSUPPORTED:
        return False
    raise OSError(err, os.strerror(err), str(target))


def move_new(staging: Path, target: Path) -> None:
    """Rename ``staging`` to ``target``, which must not exist (FileExistsError if it does)."""
    pause_point("publish")
    if renameat2(staging, target, RENAME_NOREPLACE):
        return
    if os.path.lexists(target):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
    os.rename(staging, target)


def swap_in(staging: Path, target: Path, aside: Path) -> Path | None:
    """Put ``staging`` in place of the existing ``target``; returns where the previous output
    now is (to be removed), or None when it is already gone (a file replaced in one step)."""
    if not staging.is_dir():
        pause_point("publish")
        os.replace(staging, target)
        return None
    if renameat2(staging, target, RENAME_EXCHANGE):
        pause_point("publish")  # both outputs whole: the new one in place, the old at staging
        return staging
    os.rename(target, aside)
    try:
        pause_point("publish")  # the window the next run repairs (see files.clear_debris)
        os.rename(staging, target)
    except BaseException:
        os.rename(aside, target)
        raise
    return aside
