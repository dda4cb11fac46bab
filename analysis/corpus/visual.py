"""Arabic copied from a PDF in visual order: detected by its presentation forms, put back.

A PDF draws each line from left to right, so text copied out of some PDFs comes
in *visual* order: the Arabic letters of every line reversed, while runs of
Latin words and numbers read left to right. Such text is written with
presentation forms (U+FB50–U+FEFF), which give it away: each letter's form says
whether it joins the letter before it and the one after it. In reading order a
word starts with an initial or isolated form; reversed, it starts with a final
form. :func:`order_evidence` counts adjacent letter pairs whose forms only fit one
of the two orders.

:func:`to_reading_order` puts a text whose pairs say "visual" back in reading
order, line by line, as the inverse of the Unicode bidirectional algorithm for a
right-to-left paragraph (UAX #9, the rules a PDF producer applies): the line's
units are reversed, where a unit is one character at the paragraph's level, or a
run of Latin words and numbers that the algorithm keeps left to right (such runs
stay as they are). Every repaired line is then laid out again by python-bidi and
must give the copied line back (:func:`lays_out_as`). Where the inverse is not
unique, or the check fails, the text is refused with the line and the words
concerned, never guessed:

* a Latin run and a number separated only by spaces or punctuation (``UN 2009``
  reads the same as ``2009 UN`` in visual order), Arabic digits set off inside a
  Latin run, brackets inside a Latin run that do not each enclose a word
  (``UN( )UN`` is also the layout of ``(UN) (UN)``);
* a tab or an explicit bidi control inside a line;
* a mirrored character other than the paired brackets and quotes listed in
  :data:`MIRROR`; brackets and quotation marks that do not all pair, as written
  or mirrored. Some PDF copies give ``)`` where the PDF showed a mirrored ``(``,
  some do not: the orientation in which every bracket of the text pairs is taken
  (an article's brackets pair), and a stray one (``1)``) makes it uncertain;
* a text in which some lines are in visual order and others in reading order.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analysis.errors import CorpusError

#: Mirrored characters that are put back as their pair when the copy mirrored them.
MIRROR = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹", strict=True))
_PRESENTATION_FORM = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
_LINE_BREAK = re.compile("(\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029])")
#: Bidi classes as one letter each: Y Arabic letter (AL), R other right-to-left,
#: L left-to-right, E European digit, A Arabic digit, M combining mark, T European
#: terminator (% $ #), S European separator (+ -), C common separator (/ , . :),
#: X tab or explicit bidi control, N any other neutral.
_CLASS_LETTER = {
    "AL": "Y",
    "R": "R",
    "L": "L",
    "EN": "E",
    "AN": "A",
    "NSM": "M",
    "ET": "T",
    "ES": "S",
    "CS": "C",
    "S": "X",
    **dict.fromkeys(("LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"), "X"),
}
#: A left-to-right stretch of a visual line: Latin letters and digits with the
#: neutrals between them, and European terminators at either end.
_STRETCH = re.compile(r"T*[LEA](?:[LEAMTSCNX]*[LEAM])?T*")


class UncertainOrder(ValueError):
    """The reading order of a visual line cannot be recovered for certain."""

    def __init__(self, reason: str, fragment: str):
        self.reason = reason
        self.fragment = fragment
        super().__init__(f"{reason} ({fragment!r})")


@lru_cache(maxsize=1)
def _forms() -> dict[str, str]:
    """Presentation-form letters and ligatures → ``initial``/``medial``/``final``/``isolated``."""
    forms = {}
    for code in (*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFF)):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) < 2 or parts[0] not in ("<initial>", "<medial>", "<final>", "<isolated>"):
            continue
        if all(unicodedata.category(chr(int(p, 16))) == "Lo" for p in parts[1:]):
            forms[chr(code)] = parts[0][1:-1]
    return forms


def _joins(form: str) -> tuple[bool, bool]:
    """Whether a form joins the letter before it and the one after it (in reading order)."""
    return form in ("medial", "final"), form in ("initial", "medial")


def order_evidence(line: str) -> tuple[int, int]:
    """``(pairs that fit reading order only, pairs that fit visual order only)``.

    A pair is two adjacent presentation-form letters (combining marks between
    them skipped). Read in order, the first joins forward exactly when the second
    joins backward; read reversed, the other way round.
    """
    forms = _forms()
    logical = visual = 0
    previous: str | None = None
    for char in line:
        form = forms.get(char)
        if form is None:
            if unicodedata.category(char) != "Mn":
                previous = None
            continue
        if previous is not None:
            back_before, forward_before = _joins(previous)
            back_after, forward_after = _joins(form)
            fits_logical = forward_before == back_after
            fits_visual = forward_after == back_before
            logical += fits_logical and not fits_visual
            visual += fits_visual and not fits_logical
        previous = form
    return logical, visual


def _classes(line: str) -> str:
    return "".join(_CLASS_LETTER.get(unicodedata.bidirectional(c), "N") for c in line)


@dataclass
class _Unit:
    """A piece of a visual line that moves as a whole: a character, or a left-to-right run."""

    text: str
    single: bool  # one character at the paragraph's (right-to-left) level


def _context_is_arabic(classes: str, end: int) -> bool:
    """Whether the first strong character before a stretch (in reading order) is Arabic.

    In reading order, "before" is to the right in the visual line. European digits
    after Arabic letters behave as Arabic digits (rule W2 of UAX #9).
    """
    for letter in classes[end:]:
        if letter in "YRL":
            return letter == "Y"
    return False  # the start of the paragraph, whose direction is right to left


def _number_units(text: str, classes: str, arabic_context: bool) -> list[_Unit]:
    """Units of a stretch of digits: numbers stay whole, separators between them move.

    UAX #9 rules W2, W4, W5: a single separator between two numbers of one kind
    belongs to them (``/ , . :`` for both kinds, ``+ -`` for European digits only),
    and European terminators (``% $``) next to European digits too, unless the
    digits follow Arabic letters and so count as Arabic digits.
    """
    kinds = classes.replace("E", "A") if arabic_context else classes
    joined = list(kinds)
    for i in range(1, len(kinds) - 1):
        left, middle, right = kinds[i - 1], kinds[i], kinds[i + 1]
        if left == right and left in "EA" and (middle == "C" or (middle == "S" and left == "E")):
            joined[i] = left
    digits = "".join(joined)
    if "E" in digits:
        digits = re.sub(r"T+(?=E)|(?<=E)T+", lambda m: "E" * len(m.group()), digits)
    units = []
    for match in re.finditer(r"[EA][EAM]*|.", digits):
        piece = text[match.start() : match.end()]
        units.append(_Unit(piece, single=match.group()[0] not in "EA"))
    return units


def _brackets_enclose_words(run: str) -> bool:
    """Whether the brackets in a left-to-right run pair as written, each around a word.

    ``Obama (USA)`` is one run however it is read; ``UN( )UN`` can be the layout
    of ``(UN) (UN)`` as well as of a run with empty brackets, so it is refused.
    """
    openings: list[tuple[str, int]] = []
    for index, char in enumerate(run):
        if char not in MIRROR:
            continue
        if char in "([{<«‹":
            openings.append((MIRROR[char], index))
        elif not openings or openings[-1][0] != char:
            return False
        else:
            _, start = openings.pop()
            if not any(c.isalnum() for c in run[start + 1 : index]):
                return False
    return not openings


def _letter_run_units(text: str, classes: str) -> list[_Unit]:
    """Units of a stretch holding Latin letters: one run, terminators at the ends apart.

    In reading order, European digits after a Latin letter join its run (rule W7),
    so between the first and the last letter anything goes. Digits set off by a
    space or punctuation before the first letter or after the last one make the
    order uncertain (``UN 2009`` is also what ``2009 UN`` looks like in visual
    order); so do Arabic digits set off inside the run, a tab and a bidi control.
    """
    core = classes.strip("T")
    start = len(classes) - len(classes.lstrip("T"))
    end = start + len(core)
    first, last = core.index("L"), core.rindex("L")
    if "X" in core:
        raise UncertainOrder("a tab or bidi control inside a left-to-right run", text)
    outside = core[:first] + core[last + 1 :]
    if re.search("[TSCN]", outside) or re.search("A[TSCN]|[TSCN]A", core):
        raise UncertainOrder("Latin words and a number separated by spaces or punctuation", text)
    if not _brackets_enclose_words(text[start:end]):
        raise UncertainOrder("brackets inside a Latin run that do not each enclose a word", text)
    head = [_Unit(c, True) for c in text[:start]]
    tail = [_Unit(c, True) for c in text[end:]]
    return [*head, _Unit(text[start:end], single=False), *tail]


def _closing_brackets_end(line: str, start: int, end: int) -> int:
    """Where a left-to-right stretch ends once the brackets it opens are closed.

    In ``UN (UN)`` the brackets take the direction of the Latin word before them
    (rule N0 of UAX #9), so the closing one belongs to the run although no letter
    follows it.
    """
    expected = []
    for char in line[start:end]:
        if char in MIRROR and char in "([{<«‹":
            expected.append(MIRROR[char])
        elif expected and char == expected[-1]:
            expected.pop()
    while expected and end < len(line) and line[end] == expected[-1]:
        expected.pop()
        end += 1
    return end


def visual_units(line: str) -> list[_Unit]:
    """A visual line cut into the units that the bidirectional algorithm moves as wholes."""
    classes = _classes(line)
    units: list[_Unit] = []
    position = 0
    for stretch in _STRETCH.finditer(classes):
        for index in range(position, stretch.start()):
            if classes[index] == "X":
                raise UncertainOrder("a tab or bidi control", line[max(0, index - 10) : index + 10])
            units.append(_Unit(line[index], True))
        end = _closing_brackets_end(line, stretch.start(), stretch.end())
        text, kinds = line[stretch.start() : end], classes[stretch.start() : end]
        if "L" in kinds:
            units += _letter_run_units(text, kinds)
        else:
            if "X" in kinds:
                raise UncertainOrder("a tab or bidi control between numbers", text)
            units += _number_units(text, kinds, _context_is_arabic(classes, end))
        position = end
    for index in range(position, len(line)):
        if classes[index] == "X":
            raise UncertainOrder("a tab or bidi control", line[max(0, index - 10) : index + 10])
        units.append(_Unit(line[index], True))
    return units


def _unpaired(sequence: str) -> int:
    """How many brackets and quotes of :data:`MIRROR` in ``sequence`` have no partner."""
    openers = {o: c for o, c in MIRROR.items() if o in "([{<«‹"}
    stack: list[str] = []
    unpaired = 0
    for char in sequence:
        if char in openers:
            stack.append(openers[char])
        elif stack and char == stack[-1]:
            stack.pop()
        else:
            unpaired += 1
    return unpaired + len(stack)


def _choose_mirroring(lines: list[list[_Unit]]) -> bool:
    """Whether the copy mirrored brackets (so they must be swapped back).

    Only brackets at the paragraph's level can be mirrored (inside a Latin run
    they are drawn as written). The orientation in which every bracket and
    quotation mark of the text pairs is taken; if neither makes them all pair (a
    stray ``)``, or a layout that two texts share, such as ``UN (UN)``), the
    text is refused.
    """
    moved = [u.text for units in lines for u in units if u.single and unicodedata.mirrored(u.text)]
    strange = [c for c in moved if c not in MIRROR]
    if strange:
        raise UncertainOrder("a mirrored character with no known pair", strange[0])
    pairing = []
    for mirror in (False, True):
        text = "".join(_reading_line(units, mirror) for units in lines)
        if _unpaired("".join(c for c in text if c in MIRROR)) == 0:
            pairing.append(mirror)
    if len(pairing) != 1 and moved:
        reason = "brackets or quotation marks that do not all pair, as written or mirrored"
        raise UncertainOrder(reason, "".join(moved))
    return bool(pairing) and pairing[0]


def _reading_line(units: list[_Unit], mirror: bool) -> str:
    pieces = []
    for unit in reversed(units):
        swap = mirror and unit.single and unit.text in MIRROR
        pieces.append(MIRROR[unit.text] if swap else unit.text)
    return "".join(pieces)


def _split_lines(text: str) -> tuple[list[str], list[str]]:
    """Lines and the line breaks after them (the last break may be empty)."""
    parts = _LINE_BREAK.split(text)
    return parts[0::2], [*parts[1::2], ""]


def to_reading_order(text: str, path: str | Path) -> tuple[str, list[str]]:
    """``text`` in reading order, with a warning if it was in visual order.

    Text without presentation forms, or whose forms fit reading order, is
    returned as it is (no warning). Raises :class:`CorpusError` naming ``path``
    and the line when lines disagree about the order or the order of a visual
    line cannot be recovered for certain (module docstring).
    """
    if not _PRESENTATION_FORM.search(text):
        return text, []  # no presentation forms, no evidence: most texts stop here
    lines, breaks = _split_lines(text)
    evidence = [order_evidence(line) for line in lines]
    visual = [number for number, (log, vis) in enumerate(evidence, 1) if vis > log]
    if not visual:
        return text, []
    logical = [number for number, (log, vis) in enumerate(evidence, 1) if log > vis]
    if logical:
        raise CorpusError(
            f"presentation forms in visual order on line {visual[0]} but in reading order on "
            f"line {logical[0]}: a mix of text copied from a PDF and typed text cannot be "
            "put in order for certain; copy the text again in one piece",
            path,
            visual[0],
        )
    units = [_units_of_line(line, number, path) for number, line in enumerate(lines, 1)]
    try:
        mirror = _choose_mirroring(units)
    except UncertainOrder as error:
        raise _refusal(error, path, None) from None
    reading = [_reading_line(u, mirror) for u in units]
    for number, (line_units, candidate) in enumerate(zip(units, reading, strict=True), 1):
        if not lays_out_as(candidate, _unmirrored(line_units, mirror)):
            error = UncertainOrder("laid out again, it does not give this line", lines[number - 1])
            raise _refusal(error, path, number)
    repaired = "".join(line + brk for line, brk in zip(reading, breaks, strict=True))
    words = sum(vis for _, vis in evidence)
    note = (
        f"text in visual order (copied from a PDF?): {words} pair(s) of presentation-form "
        f"letters read only right to left reversed, e.g. a final form at the start of a "
        f"word; {len(lines)} line(s) put back in reading order"
        + (", brackets mirrored back" if mirror else "")
        + ". Offsets count in the reordered text; save the text in reading order to silence"
    )
    return repaired, [note]


def lays_out_as(reading: str, visual: str) -> bool:
    """Whether the bidirectional algorithm lays ``reading`` out exactly as ``visual``.

    The check of every repaired line: python-bidi (the Unicode algorithm, UAX #9)
    lays it out right to left, without mirroring brackets (``visual`` is given
    with any mirrored brackets turned back).
    """
    from bidi import get_display

    return get_display(reading, base_dir="R") == visual


def _unmirrored(units: list[_Unit], mirror: bool) -> str:
    """The visual line with the brackets a copy mirrored turned back."""
    return "".join(
        MIRROR[u.text] if mirror and u.single and u.text in MIRROR else u.text for u in units
    )


def _units_of_line(line: str, number: int, path: str | Path) -> list[_Unit]:
    try:
        return visual_units(line)
    except UncertainOrder as error:
        raise _refusal(error, path, number) from None


def _refusal(error: UncertainOrder, path: str | Path, line: int | None) -> CorpusError:
    return CorpusError(
        "text in visual order (copied from a PDF?) whose reading order cannot be "
        f"recovered for certain: {error.reason} ({error.fragment!r}); copy the text "
        "again in reading order (e.g. with pdftotext) or from the original source",
        path,
        line,
    )
