"""The one-pass text stage equals the per-document implementation it replaced.

``tests/reference_pipeline.py`` is a frozen copy of ``analysis/pipeline.py`` (and
of ``analysis.quotes.annotate``) from before the rewrite that made the text stage
work per word type and per batch with numpy. Both must give identical tables —
tokens, sentences, quotes, repairs, with the same dtypes — on the seed article,
on random strings (Hypothesis), on many documents at once (batches, empty
documents, vetoed repairs) and on a synthetic corpus.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import pipeline, repair
from analysis.paths import CORPUS_DIR
from analysis.synthetic import synthetic_corpus

sys.path.insert(0, str(Path(__file__).parent))
import reference_pipeline as reference  # noqa: E402
from test_text_properties import PIECES  # noqa: E402

SEED = CORPUS_DIR / "algiers-sahrawi-solidarity-2009.txt"
NAMES = ("tokens", "sentences", "quotes", "repairs")


def assert_same(new, old) -> None:
    for name in NAMES:
        pd.testing.assert_frame_equal(getattr(new, name), getattr(old, name), check_exact=True)


def test_seed_article() -> None:
    text = SEED.read_text(encoding="utf-8")
    new = pipeline.analyse_text(text, "seed", warn=False)
    assert_same(new, reference.analyse_text(text, "seed", warn=False))
    # Not vacuous: the seed has quotes, repairs and several sentences.
    assert len(new.quotes) == 7 and len(new.repairs) == 3 and len(new.sentences) == 6


texts = st.lists(
    st.sampled_from(PIECES + ["قال", "وأوضح", "الصادق", "بوقطاية", "3.5"]), max_size=60
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts.map("".join), min_size=1, max_size=4))
def test_random_batches(docs) -> None:
    pairs = [(f"d{i}", d) for i, d in enumerate(docs)]
    new = list(pipeline.analyse_texts(pairs, batch=3))
    old = list(reference.analyse_texts(pairs, batch=3))
    assert len(new) == len(old)
    for a, b in zip(new, old, strict=True):
        assert_same(a, b)


# Words of quotes and their attribution, joined by spaces: quotes followed by a
# comma and a speech verb with or without a name, verbs that introduce the next
# quote, sentence ends and line breaks in between.
ATTRIBUTION_WORDS = st.lists(
    st.one_of(
        st.sampled_from(
            ["''", "«", "»", '"', "،", ",", ".", ":", "\n", "قالت", "وقال", "أضاف", "امينتو"]
            + ["حيدر", "الوزير", "الناشط", "نعم", "لن", "نتنازل", "عن", "حقنا", "الشعب"]
        ),
        # whole pieces, so that the patterns the rule looks at come up often
        st.sampled_from(
            ["'' لن نتنازل عن حقنا ''", "« نعم »", '" الشعب "', "، قالت امينتو حيدر"]
            + ["، وقال الوزير :", "، أضاف", "، \n قالت حيدر", ", قال الناشط الوزير"]
            + [": قالت حيدر", "الشعب قالت الوزير"]
        ),
    ),
    max_size=30,
).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ATTRIBUTION_WORDS, min_size=1, max_size=3))
def test_random_quotes_and_attributions(docs) -> None:
    pairs = [(f"d{i}", d) for i, d in enumerate(docs)]
    for a, b in zip(
        pipeline.analyse_texts(pairs, batch=2), reference.analyse_texts(pairs, batch=2), strict=True
    ):
        assert_same(a, b)


def test_vetoed_repairs_in_a_batch(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    # الأممالمتحدة is split in document "a" but vetoed in document "b".
    vetoes = tmp_path / "vetoes.csv"
    vetoes.write_text("doc_id,original,reason\nb,الأممالمتحدة,test\n", encoding="utf-8")
    monkeypatch.setattr(repair, "VETO_FILE", vetoes)
    pairs = [("a", "قالت الأممالمتحدة."), ("b", "''الأممالمتحدة'' و الأممالمتحدة"), ("c", "")]
    new = pipeline.analyse_texts(pairs)
    old = reference.analyse_texts(pairs)
    for a, b in zip(new, old, strict=True):
        assert_same(a, b)
        assert a.repairs["vetoed"].tolist() == [False, True, True]


def test_synthetic_corpus() -> None:
    docs = list(synthetic_corpus(300_000, seed=3))
    pairs = [(f"d{i}", d) for i, d in enumerate(docs)]
    for a, b in zip(
        pipeline.analyse_texts(pairs, batch=25),
        reference.analyse_texts(pairs, batch=25),
        strict=True,
    ):
        assert_same(a, b)


def test_arrays_stay_valid_after_the_vocabulary_is_emptied(monkeypatch: pytest.MonkeyPatch) -> None:
    # A batch's arrays keep the attribute arrays they were made with: emptying
    # the vocabulary (bound 5) for a later batch must not change the first one.
    small = pipeline._Vocabulary(pipeline._SURFACES.names, 5)
    monkeypatch.setattr(pipeline, "_SURFACES", small)
    text = SEED.read_text(encoding="utf-8")
    first = pipeline.analyse_arrays([("seed", text)])
    pipeline.analyse_arrays([("other", "قال الرئيس إن الشعب الصحراوي يطالب بتقرير المصير.")])
    assert len(small) < 40  # emptied: the seed's 250-odd types are gone
    assert_same(pipeline._tables(first), reference.analyse_text(text, "seed", warn=False))


def test_threads_sharing_the_vocabulary() -> None:
    from concurrent.futures import ThreadPoolExecutor

    docs = list(synthetic_corpus(200_000, seed=11))
    batches = [[(f"b{k}d{i}", d) for i, d in enumerate(docs[k::4])] for k in range(4)]
    expected = [reference.analyse_texts(b, batch=len(b)) for b in batches]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda b: pipeline._tables(pipeline.analyse_arrays(b)), batches))
    for g, e in zip(got, expected, strict=True):
        assert_same(g, next(e))
