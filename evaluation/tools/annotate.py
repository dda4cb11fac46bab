"""Annotation tool for the evaluation corpus (standard library; guidelines: docs/annotation.md).

    annotate.py text DOCNO        the article, each line with its offset
    annotate.py marks DOCNO       numbered sentence-end candidates and quotation marks
    annotate.py build DRAFT.json  resolve a draft into evaluation/gold/DOCNO.json
    annotate.py show DOCNO        the gold drawn over the text, to review it
    annotate.py draft DOCNO       a draft (anchors) made back from the gold, to edit

(run as ``python evaluation/tools/annotate.py …`` from the project root)

Drafts refer to the text by numbered candidates and by anchors: a short snippet copied
from the text with the target in square brackets, ``"حق الشعب في [تقرير المصير]"``;
the snippet must occur exactly once (else add context, or give ``"occurrence": k``,
1-based). A draft holds pieces of the text, so it stays under ``build/`` (not
committed); the gold file holds offsets and the short forms annotated, never passages.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import ant

ROOT = ant.ROOT
# A second, independent annotation (for agreement) is built elsewhere: GOLD_DIR=evaluation/second
GOLD_DIR = ROOT / os.environ.get("GOLD_DIR", "evaluation/gold")
CACHE = ROOT / "build" / "evaluation" / "texts"
FRAMES = (
    "colonialism",
    "self_determination",
    "solidarity",
    "struggle",
    "humanitarian",
    "international",
)
VOICES = ("narration", "quoted")
KINDS = ("speech", "term")
TERMINATORS = ".!?؟…·۔"
CLOSERS = "\"'»”›)]}’"
QUOTE_MARKS = re.compile(r"'{2,}|[\"«»“”„‟‹›]")
CONTEXT = 45


def text_of(docno: str) -> str:
    """The article's document text (cached under build/)."""
    path = CACHE / f"{docno}.txt"
    if path.is_file():
        return path.read_text(encoding="utf-8")
    for article in ant.articles({docno}):
        CACHE.mkdir(parents=True, exist_ok=True)
        path.write_text(article["TEXT"], encoding="utf-8")
        return article["TEXT"]
    raise SystemExit(f"{docno}: not in the ANT archives")


def sentence_candidates(text: str) -> list[int]:
    """Offsets where a sentence may end.

    After a run of terminators (and closing marks glued to it), and at the end of
    every non-empty line.
    """
    points = set()
    for m in re.finditer(rf"[{re.escape(TERMINATORS)}]+[{re.escape(CLOSERS)}]*", text):
        points.add(m.end())
    for m in re.finditer(r"\S[ \t]*(?=\n|$)", text):
        points.add(m.start() + 1)
    return sorted(points)


def quote_marks(text: str) -> list[tuple[int, int]]:
    """Spans of the quotation marks of ``text``."""
    return [(m.start(), m.end()) for m in QUOTE_MARKS.finditer(text)]


def snippet(text: str, start: int, end: int, mark: str = "‖") -> str:
    """``text[start:end]`` with some context, line breaks shown as ⏎."""
    left = text[max(0, start - CONTEXT) : start].replace("\n", "⏎")
    right = text[end : end + CONTEXT].replace("\n", "⏎")
    inner = text[start:end].replace("\n", "⏎")
    return f"…{left}{mark}{inner}{mark if inner else ''}{right}…"


def resolve(text: str, anchor: str, occurrence: int | None = None) -> tuple[int, int]:
    """Offsets of the bracketed target of ``anchor`` (a snippet of the text)."""
    if anchor.count("[") != 1 or anchor.count("]") != 1 or anchor.index("[") > anchor.index("]"):
        raise ValueError(f"anchor needs one [target]: {anchor!r}")
    before, rest = anchor.split("[", 1)
    target, after = rest.split("]", 1)
    plain = before + target + after
    found = [m.start() for m in re.finditer(re.escape(plain), text)]
    if not found:
        raise ValueError(f"anchor not found in the text: {anchor!r}")
    if occurrence is None and len(found) > 1:
        raise ValueError(
            f"anchor occurs {len(found)} times, add context or 'occurrence': {anchor!r}"
        )
    at = found[(occurrence or 1) - 1]
    return at + len(before), at + len(before) + len(target)


def resolve_point(text: str, anchor: str, occurrence: int | None = None) -> int:
    """Offset of the ``|`` in a boundary anchor such as ``"الأخير.| وقال"``."""
    if anchor.count("|") != 1:
        raise ValueError(f"boundary anchor needs one |: {anchor!r}")
    start, _ = resolve(text, anchor.replace("|", "[]"), occurrence)
    return start


def build(draft_path: str) -> Path:
    """Resolve a draft's anchors into offsets and write the gold file; returns its path."""
    draft = json.loads(Path(draft_path).read_text(encoding="utf-8"))
    docno = draft["docno"]
    text = text_of(docno)
    problems: list[str] = []
    candidates = sentence_candidates(text)
    marks = quote_marks(text)

    def span(item: dict) -> tuple[int, int] | None:
        try:
            return resolve(text, item["at"], item.get("occurrence"))
        except (KeyError, ValueError) as error:
            problems.append(str(error))
            return None

    ends = set()
    for k in draft.get("sentence_ends", []):
        if not 1 <= k <= len(candidates):
            problems.append(f"sentence_ends: no candidate #{k}")
        else:
            ends.add(candidates[k - 1])
    for anchor in draft.get("extra_sentence_ends", []):
        try:
            ends.add(resolve_point(text, anchor))
        except ValueError as error:
            problems.append(str(error))
    ends.discard(len(text.rstrip()))
    quotes = []
    for q in draft.get("quotes", []):
        o, c = q.get("open"), q.get("close")
        if c is None and isinstance(o, int) and 1 <= o <= len(marks) and q.get("end"):
            try:  # an unclosed quotation: it ends where the "end" anchor's | is
                stop = resolve_point(text, q["end"])
            except ValueError as error:
                problems.append(str(error))
                continue
        elif isinstance(o, int) and isinstance(c, int) and 1 <= o < c <= len(marks):
            stop = marks[c - 1][0]
        else:
            problems.append(f"quote with bad mark numbers: {q}")
            continue
        if stop <= marks[o - 1][1]:
            problems.append(f"quote ends before it starts: {q}")
            continue
        if q.get("kind") not in KINDS:
            problems.append(f"quote kind must be one of {KINDS}: {q}")
        speaker = (q.get("speaker") or "").strip()
        if speaker and speaker not in text:
            problems.append(f"speaker {speaker!r} is not written so in the text")
        if q.get("kind") == "term" and speaker:
            problems.append(f"a term quote has no speaker: {q}")
        quotes.append(
            {
                "start": marks[o - 1][1],
                "end": stop,
                "kind": q.get("kind"),
                "speaker": speaker,
                "closed": c is not None,
                "note": q.get("note", ""),
            }
        )
    frames = []
    for f in draft.get("frames", []):
        if f.get("frame") not in FRAMES or f.get("voice") not in VOICES:
            problems.append(f"frame and voice must be one of {FRAMES} / {VOICES}: {f}")
        s = span(f)
        if s:
            frames.append(
                {
                    "start": s[0],
                    "end": s[1],
                    "form": text[s[0] : s[1]],
                    "frame": f.get("frame"),
                    "voice": f.get("voice"),
                    "note": f.get("note", ""),
                }
            )
    lookalikes = []
    for f in draft.get("lookalikes", []):
        if f.get("resembles") not in FRAMES:
            problems.append(f"lookalike 'resembles' must be one of {FRAMES}: {f}")
        s = span(f)
        if s:
            lookalikes.append(
                {
                    "start": s[0],
                    "end": s[1],
                    "form": text[s[0] : s[1]],
                    "resembles": f.get("resembles"),
                    "sense": f.get("sense", ""),
                }
            )
    joined = []
    for f in draft.get("run_together", []):
        s = span(f)
        parts = f.get("parts") or []
        if s and "".join(parts) != text[s[0] : s[1]]:
            problems.append(f"run_together parts {parts} do not spell {text[s[0] : s[1]]!r}")
        elif s:
            joined.append({"start": s[0], "end": s[1], "form": text[s[0] : s[1]], "parts": parts})
    if problems:
        raise SystemExit("not built:\n  " + "\n  ".join(problems))
    key = lambda item: (item["start"], item["end"])  # noqa: E731
    gold = {
        "docno": docno,
        "sha256": ant.sha256(text),
        "annotator": draft.get("annotator", ""),
        "sentence_ends": sorted(ends),
        "quotes": sorted(quotes, key=key),
        "frames": sorted(frames, key=key),
        "lookalikes": sorted(lookalikes, key=key),
        "run_together": sorted(joined, key=key),
        "notes": draft.get("notes", ""),
    }
    GOLD_DIR.mkdir(parents=True, exist_ok=True)
    out = GOLD_DIR / f"{docno}.json"
    out.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out


def show(docno: str) -> str:
    """The gold annotation drawn over the text, for review."""
    gold = json.loads((GOLD_DIR / f"{docno}.json").read_text(encoding="utf-8"))
    text = text_of(docno)
    inserts: list[tuple[int, int, str]] = []
    for e in gold["sentence_ends"]:
        inserts.append((e, 0, " ‖S "))
    for q in gold["quotes"]:
        inserts.append((q["start"], 1, f"⟦Q:{q['kind']}:{q['speaker'] or '-'}⟧"))
        inserts.append((q["end"], -1, "⟦/Q⟧"))
    for f in gold["frames"]:
        inserts.append((f["start"], 2, f"⟨{f['frame']}/{f['voice']}:"))
        inserts.append((f["end"], -2, "⟩"))
    for f in gold["lookalikes"]:
        inserts.append((f["start"], 2, f"⟨NOT {f['resembles']}:"))
        inserts.append((f["end"], -2, "⟩"))
    for f in gold["run_together"]:
        inserts.append((f["start"], 2, "⟨JOINED:"))
        inserts.append((f["end"], -2, f" = {'+'.join(f['parts'])}⟩"))
    out = text
    for at, _, mark in sorted(inserts, key=lambda t: (t[0], t[1]), reverse=True):
        out = out[:at] + mark + out[at:]
    return out


def draft_of(docno: str) -> dict:
    """A draft (anchors instead of offsets) made back from the gold, to edit."""
    gold = json.loads((GOLD_DIR / f"{docno}.json").read_text(encoding="utf-8"))
    text = text_of(docno)
    candidates = sentence_candidates(text)
    marks = quote_marks(text)

    def anchor(start: int, end: int) -> dict:
        for width in range(0, 60, 3):
            before, after = text[max(0, start - width) : start], text[end : end + width]
            a = before + "[" + text[start:end] + "]" + after
            try:
                resolve(text, a)
                return {"at": a}
            except ValueError:
                continue
        plain = text[start:end]
        k = [m.start() for m in re.finditer(re.escape(plain), text)].index(start) + 1
        return {"at": "[" + plain + "]", "occurrence": k}

    ends = [candidates.index(e) + 1 for e in gold["sentence_ends"] if e in candidates]
    extra = [
        text[max(0, e - 20) : e] + "|" + text[e : e + 20]
        for e in gold["sentence_ends"]
        if e not in candidates
    ]
    starts = [m[1] for m in marks]
    stops = [m[0] for m in marks]
    return {
        "docno": docno,
        "annotator": gold.get("annotator", ""),
        "sentence_ends": ends,
        "extra_sentence_ends": extra,
        "quotes": [
            {
                "open": starts.index(q["start"]) + 1,
                **(
                    {"close": stops.index(q["end"]) + 1}
                    if q.get("closed", True)
                    else {"close": None, "end": text[max(0, q["end"] - 20) : q["end"]] + "|"}
                ),
                "kind": q["kind"],
                "speaker": q["speaker"],
                "note": q.get("note", ""),
            }
            for q in gold["quotes"]
        ],
        "frames": [
            {
                **anchor(f["start"], f["end"]),
                "frame": f["frame"],
                "voice": f["voice"],
                "note": f.get("note", ""),
            }
            for f in gold["frames"]
        ],
        "lookalikes": [
            {**anchor(f["start"], f["end"]), "resembles": f["resembles"], "sense": f["sense"]}
            for f in gold["lookalikes"]
        ],
        "run_together": [
            {**anchor(f["start"], f["end"]), "parts": f["parts"]} for f in gold["run_together"]
        ],
        "notes": gold.get("notes", ""),
    }


def main(argv: list[str]) -> None:
    """Run one command of the module docstring."""
    if len(argv) != 2 or argv[0] not in ("text", "marks", "build", "show", "draft"):
        raise SystemExit(__doc__)
    command, arg = argv
    if command == "text":
        text = text_of(arg)
        offset = 0
        for number, line in enumerate(text.split("\n"), start=1):
            print(f"L{number:<3} @{offset:<5} {line}")
            offset += len(line) + 1
    elif command == "marks":
        text = text_of(arg)
        print("Sentence-end candidates (list the numbers that end a sentence):")
        for k, at in enumerate(sentence_candidates(text), start=1):
            print(f"  S{k:<3} {snippet(text, at, at)}")
        print("Quotation marks (pair them by number):")
        for k, (s, e) in enumerate(quote_marks(text), start=1):
            print(f"  M{k:<3} {snippet(text, s, e)}")
    elif command == "build":
        print(f"written {build(arg)}")
    elif command == "show":
        print(show(arg))
    else:
        print(json.dumps(draft_of(arg), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
