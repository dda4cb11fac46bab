"""Navigation, stamp, numbered figures, folded tables and isolated Arabic in English prose."""

from __future__ import annotations

import pandas as pd

from analysis.report.display import Folded, show
from analysis.report.pages import (
    CONTENTS_MARK,
    add_contents,
    isolate_arabic_in_english,
    number_figures,
    stamp,
)


def test_figures_are_numbered_in_page_order() -> None:
    caption = '<figcaption class="report-figure" dir="auto">'
    page = f"<p>a</p>{caption}Hits per frame</figcaption><p>b</p>{caption}Voices</figcaption>"
    numbered = number_figures(page)
    assert numbered.index("Figure 1.") < numbered.index("Hits per frame")
    assert numbered.index("Figure 2.") < numbered.index("Voices")
    assert "Figure 3." not in numbered


def test_contents_list_the_second_level_headings() -> None:
    page = (f"<header>{CONTENTS_MARK}</header>"
            '<h2 id="The-frames">The frames<a class="anchor-link" href="#The-frames">¶</a></h2>'
            '<h2 id="Who-voices">Who voices &amp; when</h2>')  # fmt: skip
    listed = add_contents(page)
    assert '<a href="#The-frames" dir="auto">The frames</a>' in listed
    assert '<a href="#Who-voices" dir="auto">Who voices &amp; when</a>' in listed
    assert CONTENTS_MARK not in listed and "¶" not in listed.split("<h2")[0]


def test_arabic_runs_in_english_prose_are_isolated() -> None:
    english = "<p>alef maqsura ى → ي and the guard next:رسالة|رسائل fired on تقرير المصير</p>"
    out = isolate_arabic_in_english(english)
    assert "<bdi>ى</bdi> → <bdi>ي</bdi>" in out
    assert "next:<bdi>رسالة</bdi>|<bdi>رسائل</bdi>" in out
    # a phrase stays one run, so its words keep their right-to-left order
    assert "<bdi>تقرير المصير</bdi>" in out
    arabic = "<p>قال الوزير إن ACME تدعم</p>"
    assert isolate_arabic_in_english(arabic) == arabic  # an Arabic paragraph is left alone


def test_attributes_are_not_touched_by_isolation() -> None:
    out = isolate_arabic_in_english('<p>The term <a href="#تضامن" title="تضامن">تضامن</a></p>')
    assert 'href="#تضامن"' in out and 'title="تضامن"' in out
    assert "><bdi>تضامن</bdi></a>" in out


def test_stamp_names_a_commit_and_the_lexicon() -> None:
    text = stamp("f8fff9c4b852aaaa")
    assert "lexicon checksum f8fff9c4b852" in text and "aaaa" not in text
    assert "commit" in text


def test_long_tables_are_folded_and_short_ones_are_not() -> None:
    long = pd.DataFrame({"term": ["تضامن"] * 20, "n": range(20)})
    folded = show(long, "Hits per term")
    assert isinstance(folded, Folded)
    html = folded._repr_html_()
    assert html.startswith('<details class="long-table"><summary dir="auto">Hits per term: 20 rows')
    assert html.count("<tr") == 21  # header row and every data row
    assert not isinstance(show(long.head(5), "five"), Folded)
    assert not isinstance(show(long, "open", fold=False), Folded)
