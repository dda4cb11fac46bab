"""Reading a corpus file's bytes: regular files only, checked against their sha256.

A path may name something that is not a file: a folder, a named pipe (reading
one would wait forever for a writer), a device or a socket. :func:`read_file`
opens without blocking, asks the opened file what it is (so nothing can swap the
file between the question and the read) and reads only regular files. The bytes
it returns are the ones a checksum was computed from, and the ones decoded: a
file that changes between its check and its use can never be analysed
unverified.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class FileProblem(Exception):
    """Why a path cannot be read as a corpus file (``reason`` is a short phrase)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def kind_of(mode: int) -> str:
    """What a file mode says a path is: ``a folder``, ``a named pipe (FIFO)``, ... or ``a file``."""
    return next((name for test, name in _KINDS if test(mode)), "a file")


def read_file(path: Path) -> bytes:
    """The bytes of the regular file ``path``; :class:`FileProblem` otherwise.

    Reasons: ``not found``; ``cannot be read: it is a named pipe (FIFO), not a
    regular file`` (and likewise for a folder, a device, a socket); ``cannot be
    read (Permission denied)`` for other operating-system errors.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        raise FileProblem("not found") from None
    except IsADirectoryError:
        raise FileProblem("cannot be read: it is a folder, not a regular file") from None
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket, or a FIFO on some systems
            mode = os.stat(path).st_mode
            reason = f"cannot be read: it is {kind_of(mode)}, not a regular file"
            raise FileProblem(reason) from None
        raise FileProblem(f"cannot be read ({exc.strerror})") from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise FileProblem(f"cannot be read: it is {kind_of(mode)}, not a regular file")
    with os.fdopen(descriptor, "rb") as handle:
        try:
            return handle.read()
        except OSError as exc:
            raise FileProblem(f"cannot be read ({exc.strerror})") from None


def sha256_mismatch(data: bytes, expected: str) -> str | None:
    """The actual sha256 of ``data`` if it differs from ``expected`` (None: it matches)."""
    digest = hashlib.sha256(data).hexdigest()
    return None if digest == expected.lower() else digest
