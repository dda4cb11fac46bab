"""Matching on the text stage's arrays equals matching on its tables.

``frames.match_arrays`` (used for corpus-scale counting) must give exactly the
hit and exclusion tables that ``frames.match_lexicon`` gives on the tokens and
quotes tables of the same batch: same rows, order, columns and dtypes.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import frames, pipeline
from analysis.lexicon import load_actor_lexicon, load_frame_lexicon
from analysis.paths import CORPUS_DIR
from analysis.synthetic import synthetic_corpus

SEED = CORPUS_DIR / "algiers-sahrawi-solidarity-2009.txt"
LEXICONS = {"frames": load_frame_lexicon, "actors": load_actor_lexicon}


def assert_same_matches(pairs, lexicon) -> frames.MatchResult:
    arrays = pipeline.analyse_arrays(pairs)
    tables = pipeline._tables(arrays)
    expected = frames.match_lexicon(tables.tokens, tables.quotes, lexicon)
    got = frames.match_arrays(arrays, lexicon)
    pd.testing.assert_frame_equal(got.hits, expected.hits, check_exact=True)
    pd.testing.assert_frame_equal(got.exclusions, expected.exclusions, check_exact=True)
    return expected


@pytest.mark.parametrize("name", sorted(LEXICONS))
def test_seed_and_a_synthetic_batch(name) -> None:
    lexicon = LEXICONS[name]()
    text = SEED.read_text(encoding="utf-8")
    seed = assert_same_matches([("seed", text)], lexicon)
    if name == "frames":
        assert len(seed.hits) == 28  # the hand-checked count (tests/test_frames_seed.py)
        assert (seed.hits["voice"] == "quoted").sum() == 6
    docs = list(synthetic_corpus(400_000, seed=5))
    # Documents out of id order, and an empty one, in one batch.
    pairs = [(f"d{len(docs) - i:04d}", d) for i, d in enumerate(docs)] + [("empty", "")]
    found = assert_same_matches(pairs, lexicon)
    assert len(found.hits) > 100


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(
            st.sampled_from(
                [
                    "الاستعمار",
                    "تقرير",
                    "المصير",
                    "للشعب",
                    "الصحراوي",
                    "تحرير",
                    "رسائل",
                    "قال",
                    "''",
                    "«",
                    "»",
                    "·",
                    "\n",
                    " ",
                    "الأممالمتحدة",
                    "وتضامن",
                ]
            ),
            max_size=40,
        ).map(" ".join),
        min_size=1,
        max_size=3,
    )
)
def test_random_batches(docs) -> None:
    assert_same_matches([(f"d{i}", d) for i, d in enumerate(docs)], load_frame_lexicon())
