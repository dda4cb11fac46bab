"""A varied synthetic Arabic news-like corpus for benchmarks and stress tests.

No PyPI package ships a real Arabic news corpus, and nothing may be downloaded at
run time, so benchmarks build one: documents are mixed from

* the seed article's sentences, with their words shuffled or partly replaced;
* sentences drawn from wordfreq's Arabic word list (offline, in the wheel) with
  Zipf-distributed frequencies, so common words recur and rare ones are rare
  (this matters: caches per word type would be flattered by a repeated text);

plus the features the text stage must handle: ``،`` and ``·``/``.``/``؟``/line
breaks, ``''…''`` and « » quotations after speech verbs, Arabic-Indic and ASCII
numbers, shadda and other diacritics, tatweel, Latin words, and occasional lost
spaces (run-together words). Output is deterministic for a given ``seed``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from functools import lru_cache

from analysis.paths import CORPUS_DIR

SEED_FILE = CORPUS_DIR / "algiers-sahrawi-solidarity-2009.txt"
TERMINATORS = ["·", "·", ".", ".", ".", "؟", "!", "\n"]
SPEECH_VERBS = ["قال", "وقال", "أضاف", "ويضيف", "أوضح", "وأكد", "قالت"]
LATIN = ["UN", "Polisario", "MINURSO", "Lanzarote", "AFP", "Sahara"]
DIACRITICS = "\u064e\u064f\u0650\u0651\u0652\u064b\u064c\u064d"


@lru_cache(maxsize=1)
def _vocabulary(size: int = 60_000) -> tuple[list[str], list[float]]:
    import wordfreq

    words = [w for w in wordfreq.top_n_list("ar", size, wordlist="large") if not w.isdigit()]
    cumulative: list[float] = []
    total = 0.0
    for w in words:
        total += wordfreq.word_frequency(w, "ar", wordlist="large")
        cumulative.append(total)
    return words, cumulative


@lru_cache(maxsize=1)
def _seed_sentences() -> list[list[str]]:
    text = SEED_FILE.read_text(encoding="utf-8")
    sentences = [s.split() for s in text.replace("·", "·\n").splitlines() if s.strip()]
    return [[w.strip("·") for w in s if w.strip("·")] for s in sentences]


def _decorate(word: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.02 and len(word) > 2:
        i = rng.randrange(1, len(word))
        return word[:i] + rng.choice(DIACRITICS) + word[i:]
    if roll < 0.025 and len(word) > 2:
        return word[:-1] + "\u0640" * rng.randint(1, 4) + word[-1]
    return word


def _sentence(rng: random.Random, words: list[str], cumulative: list[float]) -> str:
    if rng.random() < 0.3:
        base = list(rng.choice(_seed_sentences()))
        if rng.random() < 0.5:
            rng.shuffle(base)
        n_replace = len(base) // 3
        replacement = rng.choices(words, cum_weights=cumulative, k=n_replace)
        for k, w in enumerate(replacement):
            base[rng.randrange(len(base))] = w if k % 2 else base[rng.randrange(len(base))]
        tokens = base[: rng.randint(6, 40)]
    else:
        tokens = rng.choices(words, cum_weights=cumulative, k=rng.randint(4, 35))
    out: list[str] = []
    i = 0
    while i < len(tokens):
        roll = rng.random()
        word = _decorate(tokens[i], rng)
        if roll < 0.03 and i + 4 < len(tokens):
            verb = rng.choice(SPEECH_VERBS)
            inner = " ".join(tokens[i : i + rng.randint(1, 6)])
            out.append(f"{verb} ''{inner}''" if rng.random() < 0.7 else f"{verb}: «{inner}»")
            i += 1 + len(inner.split())
            continue
        if roll < 0.05:
            number = str(rng.randint(1, 2030))
            if rng.random() < 0.5:
                number = number.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
            out.append(number)
        elif roll < 0.06:
            out.append(rng.choice(LATIN))
        if roll > 0.995 and out:
            out[-1] = out[-1] + word  # a lost space
        else:
            out.append(word)
        if rng.random() < 0.08:
            out[-1] += "،"
        i += 1
    return " ".join(out) + rng.choice(TERMINATORS)


def synthetic_document(rng: random.Random) -> str:
    """One document of 5–40 sentences (see module docstring)."""
    words, cumulative = _vocabulary()
    parts = []
    for _ in range(rng.randint(5, 40)):
        sentence = _sentence(rng, words, cumulative)
        sep = "" if sentence.endswith("\n") or rng.random() < 0.05 else " "
        parts.append(sentence + sep)
    return "".join(parts).strip() + "\n"


def synthetic_corpus(target_bytes: int, seed: int = 0) -> Iterator[str]:
    """Yield documents until their UTF-8 size reaches ``target_bytes``."""
    rng = random.Random(seed)
    size = 0
    while size < target_bytes:
        doc = synthetic_document(rng)
        size += len(doc.encode("utf-8"))
        yield doc
