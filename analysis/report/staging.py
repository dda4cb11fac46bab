"""A report run's outputs, written to a staging folder and swapped in together at the end.

A run writes nothing where readers look until every notebook has executed and
every page is rendered: executed notebooks, pages and figures go to a staging
folder (``build/staging/`` for the main run, ``<output-dir>/.staging/`` for a
separate one, always on the same disk as the outputs). :meth:`Staging.commit`
then moves each file into place:

1. it checks that every destination folder can be written (created if needed)
   and lies on the staging folder's disk, so that a move is a rename;
2. it writes a journal (``commit.json``) listing each move;
3. for each file it keeps the previous version as a hard link inside the staging
   folder (no copy: the same bytes, the same modification time), then renames the
   new file over it;
4. it removes the staging folder.

If a move fails, every previous version is put back and every new file removed,
so the outputs are exactly as before. If the process is killed, the next run
finds the staging folder (its owner, recorded in ``owner``, no longer running),
undoes a commit the journal shows half done, and removes the folder: a killed run
leaves no mixed outputs, temporary files or backups behind once the next run
starts. Two runs on the same outputs at once are refused.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import AnalysisError
from analysis.paths import display_path

JOURNAL = "commit.json"
OWNER = "owner"
BACKUPS = "previous"


class ReportWriteError(AnalysisError):
    """The run's outputs could not be written; the previous outputs are unchanged."""


def write_error(error: OSError, fallback: Path) -> ReportWriteError:
    """A :class:`ReportWriteError` naming the path an ``OSError`` is about.

    For a rename that is the destination (``filename2``); an error without a
    path (``write()`` on a full disk) names ``fallback``.
    """
    named = getattr(error, "filename2", None) or error.filename
    path = Path(named) if named else fallback
    reason = error.strerror or str(error)
    return ReportWriteError(
        f"{reason}; the run stopped and the previous reports and figures are unchanged",
        display_path(path),
    )


@dataclass(frozen=True)
class Move:
    """One file of the commit: the staged file, its destination, and the backup of the old one."""

    staged: Path
    final: Path
    backup: Path | None

    def as_json(self) -> dict[str, str | None]:
        """The move as the journal records it."""
        backup = None if self.backup is None else str(self.backup)
        return {"staged": str(self.staged), "final": str(self.final), "backup": backup}

    @classmethod
    def from_json(cls, entry: Mapping[str, str | None]) -> Move:
        """A move read back from the journal."""
        backup = entry["backup"]
        return cls(Path(str(entry["staged"])), Path(str(entry["final"])), backup and Path(backup))


def _process_is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _undo_move(move: Move) -> None:
    """Put back the previous version of one file, or remove the new one."""
    if move.backup is not None and move.backup.exists():
        if move.final.exists() and os.path.samefile(move.backup, move.final):
            move.backup.unlink()  # the rename never happened: the old file is in place
        else:
            os.replace(move.backup, move.final)
    elif move.backup is None and not move.staged.exists() and move.final.exists():
        move.final.unlink()


def undo(moves: list[Move], created: list[Path]) -> None:
    """Put every previous version back, remove every new file and every new folder.

    Safe to repeat, and safe on a commit that stopped anywhere: a move not yet
    made leaves its staged file, which tells it apart from one made. Every move
    is undone even if one fails; the first failure is raised at the end.
    """
    failure: OSError | None = None
    for move in reversed(moves):
        try:
            _undo_move(move)
        except OSError as error:
            failure = failure or error
    for folder in sorted(created, key=lambda f: len(f.parts), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    if failure is not None:
        raise failure


class Staging:
    """The staging folder of one run, mapping each destination folder to a staged one.

    ``targets`` maps a short name (``"reports"``) to a destination folder. Use as
    a context manager: entering cleans up after an earlier killed run and creates
    the folder; leaving without :meth:`commit` (an error, an interrupt) removes it
    and changes no output.
    """

    def __init__(self, root: Path, targets: Mapping[str, Path]):
        self.root = Path(root)
        self.targets = {name: Path(folder) for name, folder in targets.items()}
        self.created: list[Path] = []  # destination folders this run made
        self.made_for_root: list[Path] = []  # folders above the staging folder this run made

    def __enter__(self) -> Staging:
        try:
            self._recover()
            self.made_for_root = [f for f in self.root.parents if not f.exists()]
            self.root.mkdir(parents=True)
            (self.root / OWNER).write_text(str(os.getpid()), encoding="utf-8")
            for name in self.targets:
                (self.root / name).mkdir()
        except OSError as error:
            raise write_error(error, self.root) from None
        return self

    def __exit__(self, *exc_info: object) -> None:
        if (self.root / JOURNAL).exists():
            try:
                undo(*self._journal())
            except OSError:
                return  # the journal stays: the next run undoes the rest
        shutil.rmtree(self.root, ignore_errors=True)
        for folder in self.made_for_root:  # innermost first; only if left empty
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()

    def _recover(self) -> None:
        """Clean up after an earlier run on the same outputs that was killed."""
        if not self.root.exists():
            return
        owner = self.root / OWNER
        pid = int(owner.read_text(encoding="utf-8") or 0) if owner.exists() else 0
        if pid and pid != os.getpid() and _process_is_running(pid):
            raise ReportWriteError(
                f"another report run (process {pid}) is writing these outputs; wait for it "
                f"to finish, or remove {display_path(self.root)} if it is gone",
                display_path(self.root),
            )
        if (self.root / JOURNAL).exists():
            undo(*self._journal())
        shutil.rmtree(self.root)

    def _journal(self) -> tuple[list[Move], list[Path]]:
        """The moves and new folders of a commit, as recorded before the first move."""
        try:
            record = json.loads((self.root / JOURNAL).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return [], []  # no whole journal: no move was made
        moves = [Move.from_json(entry) for entry in record["moves"]]
        return moves, [Path(folder) for folder in record["created"]]

    def _write_journal(self, moves: list[Move]) -> None:
        record = {"moves": [m.as_json() for m in moves], "created": [str(f) for f in self.created]}
        temporary = self.root / (JOURNAL + ".new")
        temporary.write_text(json.dumps(record), encoding="utf-8")
        os.replace(temporary, self.root / JOURNAL)

    def folder(self, name: str) -> Path:
        """The staged counterpart of the destination folder ``name``."""
        return self.root / name

    def staged_path(self, final: Path) -> Path:
        """Where to stage the file that will end up at ``final``."""
        final = Path(final)
        matches = [
            (len(folder.parts), name)
            for name, folder in self.targets.items()
            if final.is_relative_to(folder)
        ]
        if not matches:
            raise ValueError(f"{final} is not in any destination folder")
        _, name = max(matches)
        return self.root / name / final.relative_to(self.targets[name])

    def _moves(self) -> list[Move]:
        moves = []
        for name, folder in self.targets.items():
            staged_folder = self.root / name
            for staged in sorted(p for p in staged_folder.rglob("*") if p.is_file()):
                final = folder / staged.relative_to(staged_folder)
                backup = self.root / BACKUPS / str(len(moves)) if final.exists() else None
                moves.append(Move(staged, final, backup))
        return moves

    def check_writable(self) -> None:
        """Before any work: each destination can be written, on the staging folder's disk.

        For a destination folder that does not exist yet, the nearest folder above
        it that does is checked. Nothing is created. Raises :class:`ReportWriteError`
        naming the first folder that fails.
        """
        device = os.stat(self.root).st_dev
        for folder in self.targets.values():
            existing = next(f for f in (folder, *folder.parents) if f.exists())
            if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
                raise ReportWriteError(
                    "cannot write: not a writable folder; nothing was run", display_path(existing)
                )
            if os.stat(existing).st_dev != device:
                raise ReportWriteError(
                    f"is on another disk than the staging folder {display_path(self.root)}, so "
                    "the outputs cannot be swapped in at once; choose an --output-dir there",
                    display_path(folder),
                )

    def check_destinations(self, moves: list[Move] | None = None) -> None:
        """Every destination folder exists (created if needed), is writable, on this disk.

        Raises :class:`ReportWriteError` naming the first folder that is not.
        """
        folders = {m.final.parent for m in moves} if moves else set(self.targets.values())
        device = os.stat(self.root).st_dev
        for folder in sorted(folders):
            missing = [f for f in (folder, *folder.parents) if not f.exists()]
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise write_error(error, folder) from None
            self.created += missing
            if not os.access(folder, os.W_OK | os.X_OK):
                raise ReportWriteError(
                    "cannot write: permission denied; nothing was changed", display_path(folder)
                )
            if os.stat(folder).st_dev != device:
                raise ReportWriteError(
                    f"is on another disk than the staging folder {display_path(self.root)}, so "
                    "the outputs cannot be swapped in at once; choose an --output-dir there",
                    display_path(folder),
                )

    def commit(self, log: Callable[[str], None] = print) -> list[Path]:
        """Swap every staged file into place; on any failure, undo and raise.

        Returns the destination paths, in order.
        """
        moves = self._moves()
        try:
            self.check_destinations(moves)
            self._write_journal(moves)
            (self.root / BACKUPS).mkdir()
            for move in moves:
                _swap_in(move)
        except BaseException as error:
            self._undo_after(error, moves)
            raise
        (self.root / JOURNAL).unlink()
        for move in moves:
            log(f"wrote {display_path(move.final)}")
        return [move.final for move in moves]

    def _undo_after(self, error: BaseException, moves: list[Move]) -> None:
        """Undo a failed commit; raise the error as a :class:`ReportWriteError` if it is an OSError.

        If the undo itself fails, the journal stays, so that the next run undoes
        the rest, and the message says so.
        """
        try:
            undo(moves, self.created)
        except OSError as failure:
            raise ReportWriteError(
                f"{failure.strerror}: the run stopped half-way through replacing the outputs "
                "and could not put every previous file back; the next report run will",
                display_path(failure.filename or self.root),
            ) from error
        (self.root / JOURNAL).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise write_error(error, self.root) from None


def _swap_in(move: Move) -> None:
    """Keep the old file as a hard link (a copy where links are not allowed), rename the new."""
    if move.backup is not None:
        try:
            os.link(move.final, move.backup)
        except OSError:
            shutil.copy2(move.final, move.backup)
    os.replace(move.staged, move.final)
