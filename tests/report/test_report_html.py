"""The exported HTML: offline, sanitized, Arabic right to left per element.

The first part checks the sanitizing and text filters directly (no kernel, no
browser). The second builds the fixture notebook once (tests/fixtures/notebooks/
01-rtl-fixture.ipynb: Arabic and English prose, a DataFrame and a printed output with
hostile strings, a right-to-left Styler table, a matplotlib figure) and opens the
pages in Debian's headless Chromium with all network cut off.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser_support import CHROMIUM, MISSING

from analysis import report

# One build and one browser for the whole module: keep its tests on one xdist worker.
pytestmark = pytest.mark.xdist_group("report_html")

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "notebooks" / "01-rtl-fixture.ipynb"
HOSTILE_SCRIPT = "<script>window.__pwned=1</script>"
HOSTILE_IMG = '"><img src=x onerror="window.__pwned=2">'

# --- filters, without a browser -----------------------------------------------------


def test_sanitize_adds_dir_auto_to_blocks_and_cells_only():
    html = str(report.sanitize_fragment("<div><p>نص</p><ul><li>a</li></ul><span>s</span></div>"))
    assert html == (
        '<div><p dir="auto">نص</p><ul dir="auto"><li dir="auto">a</li></ul><span>s</span></div>'
    )


def test_sanitize_keeps_an_explicit_direction():
    html = str(
        report.sanitize_fragment(
            '<table dir="rtl"><tr><td dir="ltr">a</td><td title="x>y">b</td></tr></table>'
        )
    )
    assert '<table dir="rtl">' in html
    assert '<td dir="ltr">a</td>' in html  # not overridden
    assert 'title="x&gt;y" dir="auto">b</td>' in html or 'title="x>y" dir="auto">b</td>' in html


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<script>window.__pwned=1</script>ok", "ok"),  # script and its text removed
        ('<img src=x onerror="window.__pwned=2">', "<img>"),  # handler and URL removed
        ('<p onclick="f()">p</p>', '<p dir="auto">p</p>'),
        ('<a href="javascript:alert(1)">a</a>', '<a rel="noopener noreferrer">a</a>'),
        ('<a href="data:text/html,x">a</a>', '<a rel="noopener noreferrer">a</a>'),
        ('<iframe src="https://example.org/"></iframe>x', "x"),
        ('<svg onload="f()"><text>t</text></svg>x', "x"),
        ('<link rel="stylesheet" href="https://example.org/a.css">x', "x"),
        ('<img src="https://example.org/a.png" alt="a">', '<img alt="a">'),  # would fetch
        ("<style>td {color: red}</style>", "<style>td {color: red}</style>"),  # kept
        ("<style>td {background: url(https://example.org/x)}</style>t", "t"),
        ("<style>@import 'https://example.org/a.css';</style>t", "t"),
        ("<style>td {background: u\\72l(x)}</style>t", "t"),  # escaped "url"
    ],
)
def test_sanitize_removes_what_could_run_or_fetch(dirty, clean):
    assert str(report.sanitize_fragment(dirty)) == clean


def test_sanitize_keeps_inline_images_and_rewrites_notebook_links():
    png = "data:image/png;base64,iVBORw0KGgo="
    assert str(report.sanitize_fragment(f'<img src="{png}" alt="f">')) == (
        f'<img src="{png}" alt="f">'
    )
    html = str(report.sanitize_fragment('<a href="02-frames.ipynb#counts">next</a>'))
    assert 'href="02-frames.html#counts"' in html
    html = str(report.sanitize_fragment('<a href="https://example.org/x.ipynb">x</a>'))
    assert 'href="https://example.org/x.ipynb"' in html  # a link, not a request


def test_text_output_escapes_and_splits_only_arabic_text():
    assert str(report.text_output("<b>English</b>\n")) == "&lt;b&gt;English&lt;/b&gt;\n"
    # Four lines, the third empty: one block per line, <br> keeps the empty one.
    html = str(report.text_output("سطر <i>\nline\n\nآخر\n"))
    assert html == (
        '<div class="bidi-line" dir="auto">سطر &lt;i&gt;</div>'
        '<div class="bidi-line" dir="auto">line</div>'
        '<div class="bidi-line" dir="auto"><br></div>'
        '<div class="bidi-line" dir="auto">آخر</div>'
    )


# --- the exported pages ------------------------------------------------------------


# Session scope: xdist may interleave other modules' tests on this worker, which
# would tear a module-scoped build down and make it again.
@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the fixture once; return the reports folder."""
    root = tmp_path_factory.mktemp("site")
    (root / "notebooks").mkdir()
    shutil.copy(FIXTURE, root / "notebooks" / FIXTURE.name)
    argv = ["--notebooks-dir", str(root / "notebooks"), "--output-dir", str(root / "out")]
    assert report.main(argv) == 0
    return root / "out" / "reports"


class _References(HTMLParser):
    """Collect every tag and every URL-bearing attribute of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in {"src", "href", "srcset", "poster", "data", "action", "background"}:
                self.urls.append((tag, name, value or ""))


PAGES = ["01-rtl-fixture.html", "no-code/01-rtl-fixture.html", "index.html", "no-code/index.html"]


@pytest.mark.notebook
@pytest.mark.parametrize("page", PAGES)
def test_pages_reference_nothing_outside_themselves(site, page):
    html = (site / page).read_text(encoding="utf-8")
    parser = _References()
    parser.feed(html)
    assert "script" not in parser.tags and "link" not in parser.tags
    assert "iframe" not in parser.tags and "object" not in parser.tags
    for tag, name, value in parser.urls:
        if tag == "img":
            assert value.startswith("data:image/png;base64,"), value
        else:  # links between the pages and anchors within them
            assert tag == "a" and name == "href", (tag, name)
            assert not re.match(r"[a-z]+:", value), value
    css = " ".join(re.findall(r"<style[^>]*>(.*?)</style>", html, re.DOTALL))
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)  # comments may cite URLs
    assert "@import" not in css and "@font-face" not in css
    assert all(u.startswith("data:") for u in re.findall(r"url\(\s*['\"]?([^)'\"]*)", css))


class _Handlers(HTMLParser):
    """Collect every event-handler attribute (onerror, onload, …) of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.handlers: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handlers += [(tag, name) for name, _ in attrs if name.startswith("on")]


@pytest.mark.notebook
def test_corpus_text_is_escaped_in_tables_and_printed_output(site):
    html = (site / "01-rtl-fixture.html").read_text(encoding="utf-8")
    # pandas escaped the cells; our filters escaped the printed lines.
    assert '<td dir="auto">&lt;script&gt;window.__pwned=1&lt;/script&gt;</td>' in html
    assert '<td dir="auto">"&gt;&lt;img src=x onerror="window.__pwned=2"&gt;</td>' in html
    assert (
        '<div class="bidi-line" dir="auto">"&gt;&lt;img src=x onerror="window.__pwned=2"&gt;'
        in html
    )
    parser = _Handlers()
    parser.feed(html)
    assert parser.handlers == []


# --- in the browser -----------------------------------------------------------------

browser = pytest.mark.skipif(not CHROMIUM.exists(), reason=MISSING)
# Direction and where the text actually sits: the bounding box of a Range over the
# element's text against the element's content box.
MEASURE = """
el => {
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(el);
  const text = range.getBoundingClientRect();
  return {
    direction: style.direction,
    textLeft: text.left,
    textRight: text.right,
    boxLeft: box.left + parseFloat(style.paddingLeft) + parseFloat(style.borderLeftWidth),
    boxRight: box.right - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth),
  };
}
"""


def _measure(page, selector: str, text: str) -> dict:
    locator = page.locator(selector, has_text=text).first
    return locator.evaluate(MEASURE)


def _starts_right(m: dict) -> bool:
    return abs(m["textRight"] - m["boxRight"]) <= 2 and m["textLeft"] > m["boxLeft"] + 20


def _starts_left(m: dict) -> bool:
    return abs(m["textLeft"] - m["boxLeft"]) <= 2 and m["textRight"] < m["boxRight"] - 20


@browser
@pytest.mark.browser
@pytest.mark.notebook
@pytest.mark.parametrize("page_name", PAGES)
def test_page_renders_without_any_request_leaving(site, chromium, page_name):
    page = chromium.open(site / page_name)
    try:
        assert page.title()  # rendered: the head was parsed
        assert page.locator("main").count() == 1
        outside = [u for u in chromium.requests if not u.startswith(("file://", "data:"))]
        assert outside == []
        files = [u for u in chromium.requests if u.startswith("file://")]
        assert files == [(site / page_name).as_uri()]  # only the page itself
    finally:
        page.close()


@browser
@pytest.mark.browser
@pytest.mark.notebook
def test_hostile_strings_are_shown_as_text_and_never_run(site, chromium):
    page = chromium.open(site / "01-rtl-fixture.html")
    try:
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.evaluate("document.scripts.length") == 0
        assert page.locator("img[onerror]").count() == 0
        sources = page.eval_on_selector_all("img", "els => els.map(e => e.getAttribute('src'))")
        assert len(sources) == 1 and sources[0].startswith("data:image/png;base64,")
        # The strings appear verbatim as text, in the DataFrame and in the printout.
        cells = page.eval_on_selector_all("td", "els => els.map(e => e.textContent)")
        assert HOSTILE_SCRIPT in cells and HOSTILE_IMG in cells
        lines = page.eval_on_selector_all(".bidi-line", "els => els.map(e => e.textContent)")
        assert lines[:2] == [HOSTILE_SCRIPT, HOSTILE_IMG]
    finally:
        page.close()


@browser
@pytest.mark.browser
@pytest.mark.notebook
def test_arabic_is_right_to_left_per_element_and_code_stays_left_to_right(site, chromium):
    page = chromium.open(site / "01-rtl-fixture.html")
    try:
        assert page.evaluate("getComputedStyle(document.documentElement).direction") == "ltr"
        # Arabic prose: heading, a one-line paragraph, list items; each begins at the
        # right edge of its box (and, being short, does not reach the left edge).
        for selector, text in [
            ("h1", "تقرير تجريبي"),
            ("p", "نص عربي قصير."),
            ("li", "البند الأول"),
        ]:
            m = _measure(page, selector, text)
            assert m["direction"] == "rtl", text
            assert _starts_right(m), (text, m)
        # The long paragraph with "(3)" and "UN" inside is right to left too.
        assert _measure(page, "p", "وكلمة UN")["direction"] == "rtl"
        # English prose stays left to right, starting at the left edge.
        m = _measure(page, "p", "Short English line.")
        assert m["direction"] == "ltr" and _starts_left(m), m
        # DataFrame cells: Arabic right to left and at the right edge of a column that
        # is wider than the word (the hostile strings are longer); English cell ltr.
        m = _measure(page, "td", "تضامن")
        assert m["direction"] == "rtl" and _starts_right(m), m
        assert _measure(page, "td", "solidarity")["direction"] == "ltr"
        # A printed Arabic line is a right-to-left block, aligned right; English not.
        m = _measure(page, ".bidi-line", "التضامن مع الشعب الصحراوي")
        assert m["direction"] == "rtl" and _starts_right(m), m
        m = _measure(page, ".bidi-line", "English line")
        assert m["direction"] == "ltr" and _starts_left(m), m
        # Code cells, even with Arabic string literals, stay left to right.
        m = _measure(page, ".jp-InputArea-editor pre", "hostile_script =")
        assert m["direction"] == "ltr"
        assert abs(m["textLeft"] - m["boxLeft"]) <= 2, m
        # A table set dir="rtl" (the Styler) keeps it: first column on the right.
        table = page.locator("table#T_fixture")
        assert table.evaluate("el => getComputedStyle(el).direction") == "rtl"
        term = table.locator("th", has_text="term").bounding_box()
        count = table.locator("th", has_text="n").last.bounding_box()
        assert term["x"] > count["x"]
    finally:
        page.close()


@browser
@pytest.mark.browser
@pytest.mark.notebook
def test_no_code_variant_hides_code_and_keeps_rtl_outputs(site, chromium):
    page = chromium.open(site / "no-code" / "01-rtl-fixture.html")
    try:
        assert page.locator(".jp-InputArea-editor").count() == 0
        assert page.locator("img").count() == 1
        m = _measure(page, "p", "نص عربي قصير.")
        assert m["direction"] == "rtl" and _starts_right(m), m
        assert _measure(page, "td", "تضامن")["direction"] == "rtl"
    finally:
        page.close()


@browser
@pytest.mark.browser
@pytest.mark.notebook
def test_index_links_to_the_pages_with_their_titles(site, chromium):
    page = chromium.open(site / "index.html")
    try:
        title = page.locator(".title").first
        assert title.text_content() == "تقرير تجريبي: التضامن مع الشعب الصحراوي"
        assert title.evaluate("el => getComputedStyle(el).direction") == "rtl"
        links = page.eval_on_selector_all("a", "els => els.map(e => e.href)")
        # readers land on the page without code; the code is one link further
        assert links == [
            (site / "no-code" / "01-rtl-fixture.html").as_uri(),
            (site / "01-rtl-fixture.html").as_uri(),
        ]
    finally:
        page.close()


@browser
@pytest.mark.browser
@pytest.mark.notebook
def test_pages_carry_navigation_and_a_stamp(site, chromium):
    page = chromium.open(site / "no-code" / "01-rtl-fixture.html")
    try:
        nav = page.locator("header.report-nav nav a").first
        assert nav.text_content() == "Index"
        assert nav.evaluate("el => el.href") == (site / "index.html").as_uri()
        stamp = page.locator("header.report-nav .report-stamp").text_content()
        assert "commit" in stamp and "lexicon checksum" in stamp
        assert page.locator("footer.report-nav nav a").count() >= 1
    finally:
        page.close()


@browser
@pytest.mark.browser
def test_isolated_arabic_keeps_its_order_in_an_english_line(tmp_path, chromium):
    from analysis.report.pages import isolate_arabic_in_english

    body = isolate_arabic_in_english("<p>alef maqsura ى → ي in English</p>")
    (tmp_path / "p.html").write_text(f'<!DOCTYPE html><html><body>{body}</body></html>',
                                     encoding="utf-8")  # fmt: skip
    page = chromium.open(tmp_path / "p.html")
    try:
        left = page.evaluate(
            """() => { const p = document.querySelector('p');
                 const xs = {};
                 for (const ch of ['ى', '→', 'ي']) {
                   const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
                   let node; while ((node = walker.nextNode())) {
                     const i = node.data.indexOf(ch);
                     if (i >= 0) { const r = document.createRange(); r.setStart(node, i);
                       r.setEnd(node, i + 1); xs[ch] = r.getBoundingClientRect().left; }
                   } }
                 return xs; }"""
        )
        assert left["ى"] < left["→"] < left["ي"], left
    finally:
        page.close()
