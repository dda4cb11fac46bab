"""The real notebooks, executed top to bottom in a real Jupyter kernel.

One build of every notebook (into a temporary output folder, never over the
committed figures and reports) is shared by the tests of this module. The key
numbers checked here were worked out by reading the seed article, independently
of the code:

* 6 sentences: the text has six `·` terminators and nothing after the last one
  (one of them, `الغربية·ليس`, without a following space).
* 364 words after repairs, 360 before: a regex over Arabic letters plus shadda,
  diacritics and tatweel finds 360 written words (only خلّفت and يحمّل carry a
  shadda); splitting الولاياتالمتحدةالأمريكية (1 → 3) and the two
  الأممالمتحدة (1 → 2 each) adds 2 + 1 + 1 = 4.
* 7 quoted spans (14 `''` marks), 3 of them speech: after قال and ويضيف in
  sentence 5 and after وأوضح بوقطاية … in sentence 6; the other four set off the
  names لانثاروتي (twice) and امينتو حيدر (twice).
* 30 frame hits, 7 of them in quoted speech, listed word by word in
  tests/lexicon/test_frames_seed.py (solidarity 8, international 7, struggle 6,
  humanitarian 4, self-determination 3, colonialism 2); the quoted ones are
  ندعم ×2, استقلاله, الثورية, باحتلال, وتحريرهم, الاستعمار.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import nbformat
import pytest

from analysis import paths
from analysis.report import (
    NotebookExecutionError,
    OutputLayout,
    build_reports,
    discover_notebooks,
    select_notebooks,
)

pytestmark = [pytest.mark.notebook, pytest.mark.slow, pytest.mark.xdist_group("notebooks")]

NOTEBOOKS = discover_notebooks(paths.NOTEBOOKS_DIR)
EXPECTED_NOTEBOOKS = [
    "00-overview",
    "01-corpus-and-tokens",
    "02-framing-terms",
    "03-context",
    "04-actors-and-voices",
]
DOC = "algiers-sahrawi-solidarity-2009"
EXPECTED_FIGURES = {
    "frame-counts",
    "frame-rates",
    "term-counts",
    "frames-by-voice",
    f"frame-dispersion-{DOC}",
    f"sentence-frame-heatmap-{DOC}",
    "actor-cooccurrence",
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> OutputLayout:
    layout = OutputLayout.under(tmp_path_factory.mktemp("run"))
    main_figures = {p.name: digest(p) for p in paths.FIGURES_DIR.glob("*.*")}
    build_reports(NOTEBOOKS, layout, {}, log=lambda _: None)
    after = {p.name: digest(p) for p in paths.FIGURES_DIR.glob("*.*")}
    assert after == main_figures, "a separate run must not touch the main figures/"
    return layout


def executed(layout: OutputLayout, name: str) -> nbformat.NotebookNode:
    return nbformat.read(layout.executed_dir / f"{name}.ipynb", as_version=4)


def outputs_text(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            parts.append(str(data.get("text/markdown", "")))
            parts.append(str(data.get("text/html", "")))
            parts.append(str(data.get("text/plain", "")))
            parts.append(str(out.get("text", "")))
    return "\n".join(parts)


def test_the_numbered_notebooks_are_the_documented_ones() -> None:
    assert [p.stem for p in NOTEBOOKS] == EXPECTED_NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebooks_are_stripped(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {cell.id} has outputs: run `make strip`"
            assert cell.execution_count is None, f"{path.name} cell {cell.id}: run `make strip`"
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name} needs exactly one cell tagged 'parameters'"


@pytest.mark.parametrize("name", EXPECTED_NOTEBOOKS)
def test_every_cell_ran_without_error(build: OutputLayout, name: str) -> None:
    nb = executed(build, name)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None, f"{name}: cell {cell.id} did not run"
        for out in cell.outputs:
            assert out.output_type != "error", f"{name}: cell {cell.id} raised {out.get('ename')}"
            if out.output_type == "stream" and out.name == "stderr":
                assert "Traceback" not in out.text


def test_overview_states_the_hand_checked_numbers(build: OutputLayout) -> None:
    text = outputs_text(executed(build, "00-overview"))
    assert "**1** document(s): **6** sentences, **364** words" in text
    assert "**7** quoted spans, of which 3 are reported speech" in text
    assert "it finds **30** frame hits, 7 of them inside quoted speech" in text


def test_corpus_notebook_shows_the_repair_audit_and_word_counts(build: OutputLayout) -> None:
    text = outputs_text(executed(build, "01-corpus-and-tokens"))
    expected = "**3** repair(s) applied; the word count is 364 after repairs and 360 without them"
    assert expected in text
    for original in ("الولاياتالمتحدةالأمريكية", "الولايات المتحدة الأمريكية", "الأمم المتحدة"):
        assert original in text
    # Shadda words stay whole in the token table shown.
    assert "خلّفت" in text


def test_framing_notebook_counts_voice(build: OutputLayout) -> None:
    text = outputs_text(executed(build, "02-framing-terms"))
    assert "Of 30 frame hits, **23** are in narration and **7** in quoted speech." in text


def test_context_notebook_has_one_concordance_line_per_hit(build: OutputLayout) -> None:
    html = outputs_text(executed(build, "03-context"))
    # Each KWIC table's caption says how many lines it has; they add up to the hits.
    counts = [int(n) for n in re.findall(r"<caption>(\d+) hit\(s\): ", html)]
    assert sum(counts) == 30
    assert len(counts) == 6  # every frame has at least one hit in the seed
    assert 'dir="rtl"' in html


def test_actor_notebook_names_the_speaker(build: OutputLayout) -> None:
    text = outputs_text(executed(build, "04-actors-and-voices"))
    assert "بوقطاية" in text
    assert "The text quotes **3** passage(s) of speech" in text


def test_every_chart_is_written_in_three_formats(build: OutputLayout) -> None:
    written = {p.stem for p in build.figures_dir.iterdir()}
    assert written == EXPECTED_FIGURES
    for stem in EXPECTED_FIGURES:
        for suffix in (".png", ".svg", ".pdf"):
            assert (build.figures_dir / f"{stem}{suffix}").stat().st_size > 1000


def test_figures_are_byte_identical_to_the_committed_ones(build: OutputLayout) -> None:
    # figures/ is committed as `make report` wrote it in another process: a fresh
    # run must reproduce every file byte for byte (students get the same files).
    committed = {p.name: digest(p) for p in paths.FIGURES_DIR.iterdir() if p.suffix != ".md"}
    fresh = {p.name: digest(p) for p in build.figures_dir.iterdir()}
    assert fresh == committed


def test_a_parameter_naming_a_missing_document_fails_clearly(tmp_path: Path) -> None:
    layout = OutputLayout.under(tmp_path)
    (notebook,) = select_notebooks(NOTEBOOKS, ["01-corpus-and-tokens"])
    with pytest.raises(NotebookExecutionError) as caught:
        build_reports([notebook], layout, {"doc_ids": "no-such-article"}, log=lambda _: None)
    message = str(caught.value)
    assert "01-corpus-and-tokens" in message
    assert "no-such-article" in message and "ConfigError" in message
    assert not (layout.reports_dir / "01-corpus-and-tokens.html").exists()


# --------------------------------------------------------------------------- #
# The real exported pages in headless Chromium, network cut off
# --------------------------------------------------------------------------- #

from browser_support import Browser  # noqa: E402

# For every prose block and table cell: its first strong letter, and its computed
# direction. Code cells: their direction.
DIRECTIONS = r"""
() => {
  const firstStrong = (text) => {
    const m = text.match(/[A-Za-z\u00C0-\u024F]|[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]/);
    return m === null ? null : (/[A-Za-z\u00C0-\u024F]/.test(m[0]) ? "L" : "R");
  };
  const out = [];
  const selector = "p, li, td, th, h1, h2, h3, caption, .bidi-line"
    .split(", ").map((s) => "main " + s).join(", ");
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest(".jp-InputArea-editor")) continue;
    out.push({tag: el.tagName, text: el.textContent.trim().slice(0, 40),
              strong: firstStrong(el.textContent), direction: getComputedStyle(el).direction,
              inTable: el.closest("table") !== null});
  }
  const code = [...document.querySelectorAll(".jp-InputArea-editor pre")].map(
    el => getComputedStyle(el).direction);
  return {blocks: out, code: code};
}
"""


PAGES = [f"{name}.html" for name in EXPECTED_NOTEBOOKS] + ["index.html"]


@pytest.mark.browser
@pytest.mark.parametrize("variant", ["", "no-code/"])
@pytest.mark.parametrize("page_name", PAGES)
def test_exported_page_reads_right_to_left_where_arabic_is(
    build: OutputLayout, chromium: Browser, page_name: str, variant: str
) -> None:
    path = build.reports_dir / f"{variant}{page_name}"
    page = chromium.open(path)
    try:
        assert page.title()
        assert [u for u in chromium.requests if u != path.as_uri()] == []
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.evaluate("getComputedStyle(document.documentElement).direction") == "ltr"
        found = page.evaluate(DIRECTIONS)
        arabic = [b for b in found["blocks"] if b["strong"] == "R"]
        wrong = [b for b in arabic if b["direction"] != "rtl"]
        assert not wrong, wrong[:5]
        # English prose outside tables stays left to right.
        english = [b for b in found["blocks"] if b["strong"] == "L" and not b["inTable"]]
        assert english and all(b["direction"] == "ltr" for b in english)
        if page_name != "index.html":
            assert arabic, "every notebook shows some Arabic"
        if variant == "" and page_name != "index.html":
            assert found["code"] and set(found["code"]) == {"ltr"}
        if variant == "no-code/":
            assert found["code"] == []
    finally:
        page.close()
