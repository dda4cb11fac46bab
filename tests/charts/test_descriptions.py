"""Charts carry a caption and an alt text that states what they show."""

from __future__ import annotations

import pandas as pd

from analysis.charts import plot_frame_counts, plot_frames_by_voice


def test_bar_chart_alt_text_lists_each_bar_with_its_value() -> None:
    counts = pd.DataFrame({"term": ["تضامن", "احتلال"], "gloss": ["solidarity", "occupation"],
                           "n": [1, 3]})  # fmt: skip
    fig = plot_frame_counts(counts, title="Hits per term")
    assert fig.caption == "Hits per term"
    # largest first, as drawn; the English line of each bilingual label
    assert fig.alt == "Bar chart. Hits per term: احتلال 3; تضامن 1."


def test_voice_chart_alt_text_gives_both_voices() -> None:
    hits = pd.DataFrame({"frame": ["a", "a", "b"], "voice": ["quoted", "narration", "quoted"]})
    fig = plot_frames_by_voice(hits, title="By voice")
    assert "a: narration 1, quoted 1" in fig.alt and "b: narration 0, quoted 1" in fig.alt
