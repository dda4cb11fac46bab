"""The count a scholar would write by hand in a notebook, without this project.

pyarabic's ``strip_tashkeel`` and ``tokenize``, a ``Counter`` of the words and
of the word sequences as long as the longest lexicon term (``تقرير المصير`` is
two words), then every counted sequence looked up in the frame lexicon after
naive clitic stripping (one of a few proclitic letter groups cut off the first
word). No normalization of hamza or teh marbuta, no sentences, no quotations,
no sense guards: a crude but honest count, the baseline the benchmarks compare
the project's paths with.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pyarabic.araby as araby

PROCLITICS = ("وبال", "وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")


def strip_clitics(word: str) -> str:
    """The word without its first proclitic group, if enough of it is left."""
    for prefix in PROCLITICS:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix) :]
    return word


def lexicon(terms_file: Path) -> dict[tuple[str, ...], str]:
    """Each term (its words, diacritics stripped) and its frame."""
    with open(terms_file, encoding="utf-8") as handle:
        return {
            tuple(araby.strip_tashkeel(row["term"]).split()): row["frame"]
            for row in csv.DictReader(handle)
        }


def count_frames(metadata: Path, terms_file: Path) -> Counter:
    """Frame hits in the documents of a metadata table, counted by hand."""
    terms = lexicon(terms_file)
    longest = max(len(words) for words in terms)
    grams: Counter = Counter()
    with open(metadata, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            text = (metadata.parent / row["file"]).read_text(encoding="utf-8")
            tokens = araby.tokenize(araby.strip_tashkeel(text))
            for n in range(1, longest + 1):
                grams.update(zip(*(tokens[i:] for i in range(n)), strict=False))
    frames: Counter = Counter()
    for gram, count in grams.items():
        frame = terms.get((strip_clitics(gram[0]), *gram[1:])) or terms.get(gram)
        if frame:
            frames[frame] += count
    return frames
