"""The frames as every chart shows them: one order, one bilingual label, one colour each.

Order and labels come from the lexicon's ``frames.csv`` (its row order), the
colours from ``frame_colours.csv`` beside it (columns ``frame``, ``colour`` as
``#RRGGBB``, ``name`` in words). Both are data files a scholar reads and edits;
nothing about frames is written in this code. A chart given a
:class:`FrameScheme` draws frames in that order, labels them with it and
colours them with it, so the same frame looks the same in every chart.

The project's colours are Paul Tol's "medium-contrast" scheme
(https://personal.sron.nl/~pault/): six colours that stay distinct for
colour-blind readers and, with lightness from L* 29 to 83 in steps of about
ten, when printed in greyscale. Neighbouring frames in ``frames.csv`` get a
dark and a light colour in turn.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import ConfigError
from analysis.paths import LEXICON_DIR

FRAMES_FILE = "frames.csv"
COLOURS_FILE = "frame_colours.csv"

_HEX = re.compile(r"#[0-9A-Fa-f]{6}")


def _read_csv(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Return ``(line, row)`` for each non-blank row of a UTF-8 CSV file with *required* columns."""
    if not path.is_file():
        raise ConfigError("file not found", path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise ConfigError(f"missing column(s) {', '.join(missing)} in the header", path, 1)
        rows = []
        for row in reader:
            cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
            if any(cells.values()):
                rows.append((reader.line_num, cells))
    return rows


@dataclass(frozen=True)
class FrameScheme:
    """Frame ids in chart order, with each frame's bilingual label and colour."""

    frames: tuple[str, ...]
    labels: tuple[str, ...]
    colours: tuple[str, ...]

    @classmethod
    def load(cls, lexicon_dir: str | Path | None = None) -> FrameScheme:
        """Read ``frames.csv`` and ``frame_colours.csv`` from *lexicon_dir* (default ``lexicons/``).

        Raises :class:`ConfigError` (file and line) if a frame has no colour,
        two frames share one, a colour is not ``#RRGGBB``, or the colours file
        names a frame ``frames.csv`` does not declare.
        """
        base = Path(LEXICON_DIR if lexicon_dir is None else lexicon_dir)
        declared = _read_csv(base / FRAMES_FILE, ("frame", "label_en", "label_ar"))
        frames = tuple(row["frame"] for _, row in declared)
        labels = tuple(_bilingual(row["label_en"], row["label_ar"]) for _, row in declared)
        colours = _read_colours(base / COLOURS_FILE, frames)
        return cls(frames, labels, tuple(colours[f] for f in frames))

    def label(self, frame: str) -> str:
        """Return the logical label of *frame*: English, then Arabic on a second line."""
        return self.labels[self._index(frame)]

    def colour(self, frame: str) -> str:
        """Return the colour of *frame* as ``#RRGGBB``."""
        return self.colours[self._index(frame)]

    def order(self, present: Iterable[object]) -> list[str]:
        """Return the frames among *present* in the scheme's order.

        Raises :class:`ConfigError` if *present* holds an id the scheme lacks.
        """
        wanted = {str(f) for f in present}
        unknown = sorted(wanted - set(self.frames))
        if unknown:
            raise ConfigError(
                f"frame(s) {', '.join(unknown)} are not declared in {FRAMES_FILE} "
                f"(declared: {', '.join(self.frames)}); pass a table of frame ids"
            )
        return [f for f in self.frames if f in wanted]

    def _index(self, frame: str) -> int:
        """Return the position of *frame*, or raise ConfigError."""
        self.order([frame])
        return self.frames.index(frame)


def _bilingual(english: str, arabic: str) -> str:
    """Return ``english`` and ``arabic`` on two lines (one line if either is empty)."""
    return "\n".join(part for part in (english, arabic) if part)


def _read_colours(path: Path, frames: tuple[str, ...]) -> dict[str, str]:
    """Return frame → colour from the colours file, checked against the declared *frames*."""
    colours: dict[str, str] = {}
    seen: dict[str, str] = {}
    for line, row in _read_csv(path, ("frame", "colour")):
        frame, colour = row["frame"], row["colour"]
        if frame not in frames:
            raise ConfigError(f"frame '{frame}' is not declared in {FRAMES_FILE}", path, line)
        if frame in colours:
            raise ConfigError(f"frame '{frame}' has a second colour", path, line)
        if not _HEX.fullmatch(colour):
            raise ConfigError(f"colour '{colour}' of '{frame}' is not #RRGGBB", path, line)
        key = colour.upper()
        if key in seen:
            raise ConfigError(
                f"'{frame}' has the colour of '{seen[key]}' ({colour}): one colour per frame",
                path,
                line,
            )
        colours[frame], seen[key] = key, frame
    missing = [f for f in frames if f not in colours]
    if missing:
        raise ConfigError(f"no colour for frame(s) {', '.join(missing)}", path)
    return colours
