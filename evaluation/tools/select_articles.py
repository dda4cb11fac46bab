"""Draw the evaluation articles from the ANT archives (reproducible; writes articles.csv).

Ten articles per outlet (six outlets): seven political or conflict news articles,
drawn round-robin over topics so that no single story dominates, and three from
other categories (economy, technology, sport, culture, society) so that
look-alikes in other senses show. Each outlet's articles are split half into
``dev`` (rules may be tuned on them) and half into ``test`` (reported, never
tuned on); where a group is odd, the extra article goes to dev and test in
turn. Articles of 120-650 words only, one per distinct text. Topics are found
by place and topic names, not by the frame lexicon.

Run: python evaluation/tools/select_articles.py

``--more`` draws a second round of dev articles (``MORE_POLITICAL`` political
and ``MORE_OTHER`` other per outlet, seed ``SEED_MORE``) among those not drawn
yet, and appends them to articles.csv as ``dev``: drawn after the first
measurement of the test part, so that the rules are tuned on more text, never
on the test part.

``--fresh-test ROUND`` starts a new round (3, 4, …): the test part so far becomes
dev (its scores were measured, and from now on its errors may be read), and a
new test part is drawn (``FRESH_POLITICAL`` political and ``FRESH_OTHER`` other
per outlet, seed ``SEED_FRESH + ROUND - 3``) among the articles not drawn yet.
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

import ant

SEED = 20261205
SEED_MORE = 20261206
MORE_POLITICAL, MORE_OTHER = 4, 1
SEED_FRESH = 20261207
FRESH_POLITICAL, FRESH_OTHER = 4, 1
PER_OUTLET_POLITICAL = 7
PER_OUTLET_OTHER = 3
MIN_WORDS, MAX_WORDS = 120, 650
OUTLETS = {
    "alarabia": "Al Arabiya",
    "BBC": "BBC Arabic",
    "CNN": "CNN Arabic",
    "france24": "France 24",
    "skynews": "Sky News Arabia",
    "Jawhara FM": "Jawhara FM",
}
POLITICAL_CATEGORIES = {"internationalNews", "middleEast", "politic", "localNews"}
OTHER_CATEGORIES = {"economy", "technology", "sport", "culture", "society"}
# Topic names (places, peoples, institutions, events): what the article is about.
TOPICS = {
    "palestine": r"فلسطين|الفلسطيني|غزة|القدس|الضفة الغربية",
    "western_sahara": r"الصحراء الغربية|البوليساريو|الصحراوي",
    "refugees": r"اللاجئين|لاجئين|النازحين|المهاجرين",
    "un_diplomacy": r"الأمم المتحدة|مجلس الأمن|غوتيريش",
    "protest": r"احتجاج|مظاهرات|المتظاهرين|الاحتجاجات",
    "independence_movements": r"كردستان|كتالونيا|الأكراد|الانفصال",
    "colonial_memory": r"الاستعمار|الحقبة الاستعمارية|الثورة الجزائرية|حرب التحرير",
    "war": r"سوريا|اليمن|ميانمار|الروهينغا|ليبيا",
}
OUT = Path(__file__).resolve().parents[1] / "articles.csv"


def pools_of_articles(excluded: set[str]) -> dict[tuple[str, str], list[dict]]:
    """Candidate articles by (outlet, topic), one per distinct text, ``excluded`` left out."""
    pools: dict[tuple[str, str], list[dict]] = {}
    seen_texts: set[str] = set()
    for article in ant.articles():
        src, cat, text = article.get("SRC"), article.get("CAT"), article.get("TEXT", "")
        if src not in OUTLETS or not text or article["DOCNO"] in excluded:
            continue
        words = len(text.split())
        digest = ant.sha256(text)
        if not MIN_WORDS <= words <= MAX_WORDS or digest in seen_texts:
            continue
        seen_texts.add(digest)
        row = {
            "docno": article["DOCNO"],
            "outlet": OUTLETS[src],
            "category": cat,
            "words": words,
            "sha256": digest,
        }
        if cat in POLITICAL_CATEGORIES:
            for topic, pattern in TOPICS.items():
                if len(re.findall(pattern, text)) >= 2:
                    pools.setdefault((src, topic), []).append({**row, "topic": topic})
                    break
        elif cat in OTHER_CATEGORIES:
            pools.setdefault((src, "other:" + cat), []).append({**row, "topic": "other"})
    return pools


def draw(pools, rng: random.Random, src: str, political: int, other: int) -> list[dict]:
    """``political`` articles of ``src`` round-robin over topics, then ``other`` ones."""
    topics = [t for t in TOPICS if pools.get((src, t))]
    rng.shuffle(topics)
    picked: list[dict] = []
    while len(picked) < political and topics:
        for topic in list(topics):
            pool = pools[(src, topic)]
            if not pool:
                topics.remove(topic)
                continue
            picked.append(pool.pop(rng.randrange(len(pool))))
            if len(picked) == political:
                break
    others = sorted(k for k in pools if k[0] == src and k[1].startswith("other:"))
    rng.shuffle(others)
    for key in others[:other]:
        pool = pools[key]
        picked.append(pool.pop(rng.randrange(len(pool))))
    return picked


def main() -> None:
    """Draw the articles and write ``evaluation/articles.csv``."""
    rng = random.Random(SEED)
    pools = pools_of_articles(set())
    chosen = []
    odd = 0
    for src in OUTLETS:
        picked = draw(pools, rng, src, PER_OUTLET_POLITICAL, PER_OUTLET_OTHER)
        political = [p for p in picked if p["topic"] != "other"]
        other = [p for p in picked if p["topic"] == "other"]
        for group in (political, other):
            rng.shuffle(group)
            half = len(group) // 2
            if len(group) % 2:
                half += odd % 2
                odd += 1
            for k, row in enumerate(group):
                row["split"] = "dev" if k < half else "test"
        chosen.extend(sorted(political + other, key=lambda r: (r["split"], r["docno"])))
    write(chosen)


COLUMNS = ["docno", "outlet", "category", "topic", "split", "words", "sha256"]


def more() -> None:
    """Append a second round of dev articles to ``evaluation/articles.csv``."""
    with open(OUT, encoding="utf-8", newline="") as handle:
        existing = list(csv.DictReader(handle))
    write(existing + drawn_round(existing, SEED_MORE, MORE_POLITICAL, MORE_OTHER, "dev"))


def fresh_test(round_number: int) -> None:
    """Make the old test part dev and append a new test part to ``evaluation/articles.csv``."""
    with open(OUT, encoding="utf-8", newline="") as handle:
        existing = [{**row, "split": "dev"} for row in csv.DictReader(handle)]
    seed = SEED_FRESH + round_number - 3
    write(existing + drawn_round(existing, seed, FRESH_POLITICAL, FRESH_OTHER, "test"))


def drawn_round(existing: list[dict], seed: int, political: int, other: int,
                split: str) -> list[dict]:  # fmt: skip
    """A round of articles not in ``existing``, drawn per outlet with ``seed``, by DOCNO."""
    rng = random.Random(seed)
    pools = pools_of_articles({row["docno"] for row in existing})
    added = [{**row, "split": split}
             for src in OUTLETS for row in draw(pools, rng, src, political, other)]  # fmt: skip
    return sorted(added, key=lambda r: r["docno"])


def write(rows: list[dict]) -> None:
    """Write ``rows`` to ``evaluation/articles.csv``."""
    with open(OUT, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row[c] for c in COLUMNS})
    print(f"{len(rows)} articles written to {OUT}")


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["--fresh-test"]:
        fresh_test(int(sys.argv[2]))
    else:
        more() if sys.argv[1:] == ["--more"] else main()
