"""Tables as readers see them: labels for ids, written forms beside normalized ones."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from analysis import study


@pytest.fixture(scope="module")
def seed():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return study.run(None)


def test_ids_become_labels_and_bookkeeping_goes(seed) -> None:
    table = pd.DataFrame({"doc_id": ["x"], "frame": ["self_determination"], "line": [3],
                          "reason": ["partial_phrase"], "n": [1]})  # fmt: skip
    shown = seed.readable(table)
    assert list(shown.columns) == ["frame", "reason", "n"]  # one document: no doc_id
    assert shown["frame"].iloc[0].startswith("Self-determination, independence and liberation (")
    assert shown["reason"].iloc[0] == "first word of a multi-word term"


def test_collocation_nodes_get_their_written_form(seed) -> None:
    # the seed writes الأمم (normalized امم after the article) and تأييد (normalized تاييد)
    table = pd.DataFrame({"node": ["امم", "تاييد"], "collocate": ["متحدة", "دولية"]})
    shown = seed.readable(table)
    assert shown["node as written"].tolist() == ["الأمم", "تأييد"]
    assert list(shown.columns) == ["node", "node as written", "collocate", "collocate as written"]
