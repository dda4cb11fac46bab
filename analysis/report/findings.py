"""The overview's findings and limitations, worded from the tables of the run.

Every number in these paragraphs comes from the :class:`analysis.study.Study` of
the run (and, for the measured error, from the evaluation corpus when it is
present); nothing is typed by hand, so the text stays true when the corpus or
the lexicon changes. Methods and references are scholars' text and live in
``docs/methods.md`` and ``docs/references.md``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.paths import PROJECT_ROOT
from analysis.study import Study

#: A frame is "carried by quoted speech" when at least this share of its hits is quoted.
QUOTED_SHARE = 0.5


def findings(study: Study) -> str:
    """What the counts add up to: leading frames, and which voice carries each frame."""
    hits = study.hits
    if hits.empty:
        return ("The lexicon finds no frame hit in this corpus, so it shows no "
                "framing; see the coverage report for words it may miss.")  # fmt: skip
    counts = study.frame_table()
    counts = counts[counts["n"] > 0]
    leading = ", ".join(f"{study.frame_caption(f)} ({n})" for f, n in
                        zip(counts["frame"].head(3), counts["n"].head(3), strict=True))  # fmt: skip
    voices = _voice_table(hits)
    narrated = voices[voices["quoted_share"] < QUOTED_SHARE]["frame"].tolist()
    quoted = voices[voices["quoted_share"] >= QUOTED_SHARE]["frame"].tolist()
    speakers = sorted({s for s in hits.loc[hits["voice"] == "quoted", "speaker"] if s})
    n_quoted = int((hits["voice"] == "quoted").sum())
    lines = [
        f"The lexicon finds **{len(hits)}** frame hits in "
        f"{_count(len(study.documents), 'document')}. The most frequent frames are {leading}.",
        f"The journalist's narration carries **{len(hits) - n_quoted}** hits and quoted speech "
        f"**{n_quoted}**" + (f", voiced by {_names(speakers)}." if speakers else "."),
    ]
    if narrated:
        lines.append("Frames carried mainly by the narration: "
                     f"{', '.join(study.frame_caption(f) for f in narrated)}.")  # fmt: skip
    if quoted:
        named = ", ".join(study.frame_caption(f) for f in quoted)
        lines.append("Frames carried mainly or only by quoted speakers (the text reports them "
                     f"rather than asserting them): {named}.")  # fmt: skip
    return " ".join(lines)


def limitations(study: Study, measured: pd.DataFrame | None = None) -> str:
    """What the run cannot show, from the corpus actually analysed and the measured error.

    ``measured`` is the score table of :func:`analysis.evaluation.validation`
    (None or empty when the evaluation corpus is absent).
    """
    numbers = study.summary()
    speakers = {s for s in study.quotes.loc[study.quotes["kind"] == "speech", "speaker"] if s}
    items = [
        f"- **The corpus is small**: {_count(numbers['documents'], 'document')}, "
        f"{numbers['words']} words, {_count(len(speakers), 'quoted speaker')}. The counts "
        "describe these texts, not an "
        "outlet or a press; a difference of a few hits is not a finding.",
        "- **Counts are lexicon counts**: a frame is found where one of its listed words or "
        "expressions occurs. Framing carried by other words, by syntax or by what a text leaves "
        "out is not counted; the coverage report lists near misses.",
        _measured_error(measured),
        "- **Voice and speakers come from rules**: quotations are found by their marks and "
        "attributed by the verb and the name next to them; indirect speech counts as narration.",
    ]
    return "\n".join(items)


def document(name: str) -> str:
    """A Markdown file of ``docs/`` (methods, references) as it is, for the overview."""
    return Path(PROJECT_ROOT / "docs" / f"{name}.md").read_text(encoding="utf-8")


def _measured_error(measured: pd.DataFrame | None) -> str:
    if measured is None or measured.empty:
        return ("- **The error was not measured here**: the evaluation corpus (ANT) is not "
                "available on this machine (`evaluation/README.md`).")  # fmt: skip
    test = measured[measured["split"] == "test"].set_index("component")
    frames, speaker = test.loc["frames"], test.loc["speaker"]
    return (
        "- **Measured error** (ANT news articles annotated by reading; the 30 of the test "
        f"part, not used to tune the rules; page 5): {frames['precision']:.0%} of frame hits "
        "are right "
        f"(95 % interval {frames['precision_low']:.0%}–{frames['precision_high']:.0%}) and "
        f"{frames['recall']:.0%} of annotated frame occurrences are found "
        f"({frames['recall_low']:.0%}–{frames['recall_high']:.0%}); the speaker of a quotation "
        f"is exactly right in {speaker['accuracy']:.0%} of cases. Texts unlike news (literature, "
        "social media) were not measured."
    )


def _voice_table(hits: pd.DataFrame) -> pd.DataFrame:
    table = pd.crosstab(hits["frame"], hits["voice"]).reindex(
        columns=["narration", "quoted"], fill_value=0
    )
    table["quoted_share"] = table["quoted"] / table.sum(axis=1)
    return table.reset_index()


def _names(speakers: list[str]) -> str:
    if len(speakers) > 3:
        return f"{len(speakers)} speakers"
    return " and ".join(f"<bdi>{s}</bdi>" for s in speakers)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
