"""The token table's string columns: the fast construction equals pandas' own.

``pipeline._strings`` wraps per-type strings taken for every token as pandas'
string array without checking each element again (pandas 3); the general path
(``Series.astype(str)``, used on pandas 2) must give an identical table.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import pipeline
from analysis.corpus import load_document

SEED = "algiers-sahrawi-solidarity-2009"
STRING_COLUMNS = ["doc_id", "surface", "kind", "normalized", "bare", "proclitics", "enclitic"]


@pytest.fixture(scope="module")
def seed_text() -> str:
    return load_document(SEED).text


def test_fast_string_columns_equal_astype_str(seed_text, monkeypatch):
    fast = pipeline.analyse_text(seed_text, SEED, warn=False).tokens
    monkeypatch.setattr(pipeline, "_WRAP_STR", False)
    general = pipeline.analyse_text(seed_text, SEED, warn=False).tokens
    pd.testing.assert_frame_equal(fast, general)
    expected = pd.Series(["a"], dtype=object).astype(str).dtype
    for column in STRING_COLUMNS:
        assert fast[column].dtype == expected, column
        assert all(isinstance(v, str) for v in fast[column]), column


def test_empty_text_has_the_same_dtypes(seed_text):
    empty = pipeline.analyse_text("", "empty", warn=False).tokens
    full = pipeline.analyse_text(seed_text, SEED, warn=False).tokens
    assert len(empty) == 0
    assert empty.dtypes.to_dict() == full.dtypes.to_dict()
    # Concatenating never changes a column's dtype.
    both = pd.concat([empty, full], ignore_index=True)
    assert both.dtypes.to_dict() == full.dtypes.to_dict()


def test_document_ids_are_strings_in_every_table(seed_text):
    # A caller may pass non-string ids (e.g. row numbers): every table's doc_id
    # column holds their str() ("7"), as Series.astype(str) gives, never the int.
    as_int = pipeline._analyse_batch([(7, seed_text), (8, "قال الوزير: «نعم».")], "fast")
    as_str = pipeline._analyse_batch([("7", seed_text), ("8", "قال الوزير: «نعم».")], "fast")
    for name in ("tokens", "sentences", "quotes", "repairs"):
        left, right = getattr(as_int, name), getattr(as_str, name)
        pd.testing.assert_frame_equal(left, right)
        assert set(left["doc_id"]) <= {"7", "8"}
        assert all(type(v) is str for v in left["doc_id"]), name


def test_cyclic_gc_is_restored(seed_text):
    import gc

    assert gc.isenabled()
    pipeline.analyse_text(seed_text, SEED, warn=False)
    assert gc.isenabled()  # turned back on after the batch
    gc.disable()
    try:
        pipeline.analyse_text(seed_text, SEED, warn=False)
        assert not gc.isenabled()  # a caller's choice is left alone
    finally:
        gc.enable()
    with pytest.raises(ValueError):
        pipeline.analyse_arrays([("d", seed_text)], engine="no such engine")
    assert gc.isenabled()  # also after an error


@pytest.mark.parametrize(
    "doc_ids",
    [
        ["a", "b", "الجزائر-2009"],
        ["a", 7, 2.5],  # not all str: pandas' conversion ("7", "2.5")
        [],
    ],
)
def test_document_id_values_equal_astype_str(doc_ids):
    import numpy as np

    expected = pd.Series(np.array(doc_ids, dtype=object), dtype=object).astype(str).tolist()
    got = pipeline._doc_id_values(doc_ids)
    assert got.dtype == object and got.tolist() == expected
    assert all(type(v) is str for v in got.tolist())
