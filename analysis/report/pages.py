"""What every report page carries besides the notebook: navigation, a stamp, numbered figures.

* **Navigation**: the index, the previous and next page, and the page's own
  contents (its second-level headings), at the top of every page.
* **Stamp**: from which commit the page's inputs come, with its date, and the
  checksum of the frame lexicon the counts were made with. The stamp names the
  last commit that changed an input (code, notebooks, lexicons, corpus,
  configuration, evaluation), not the commit that holds the reports, so that
  re-running ``make report`` on a clean checkout gives the same bytes; inputs
  with uncommitted changes are said to be so.
* **Figures**: every chart becomes a numbered ``<figure>`` with its caption and
  its alt text (from the output's metadata, see :class:`analysis.charts.Chart`).
* **Mixed-direction prose**: in an English paragraph, each run of Arabic words
  is isolated (``<bdi>``), so that ``ى → ي`` or ``next:رسالة|رسائل`` keep their
  order instead of being reordered as one right-to-left run.
"""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass

from analysis.paths import PROJECT_ROOT

INPUTS = ("analysis", "notebooks", "lexicons", "corpus", "config", "evaluation")
_H2 = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)(?:<a class="anchor-link"[^>]*>.*?</a>)?</h2>', re.S)
_TAG = re.compile(r"<[^>]+>")
_FIGURE = re.compile(r'<figcaption class="report-figure" dir="auto">')
CONTENTS_MARK = "<!--report-contents-->"
_ARABIC_RUN = re.compile(
    r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]+"
    r"(?:[ \u00a0]+[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]+)*"
)
_LATIN = re.compile(r"[A-Za-z]")
_PROSE = re.compile(r"<(p|li|h[1-6]|figcaption)\b([^>]*)>(.*?)</\1>", re.S)


@dataclass(frozen=True)
class Link:
    """A link of the navigation bar."""

    href: str
    title: str


@dataclass(frozen=True)
class PageContext:
    """Where a page stands among the reports, and its stamp."""

    index: str = "index.html"
    previous: Link | None = None
    next: Link | None = None
    stamp: str = ""


def stamp(lexicon_checksum: str) -> str:
    """``commit 1a2b3c4 of 2026-12-05 · lexicon 5e6f7a8b9c0d`` for the inputs as they are now."""
    lexicon = f"lexicon checksum {lexicon_checksum[:12]}" if lexicon_checksum else ""
    commit = _input_commit()
    return " · ".join(part for part in (commit, lexicon) if part)


def _input_commit() -> str:
    """The last commit that changed an input, and whether the inputs changed since."""
    paths = [p for p in INPUTS if (PROJECT_ROOT / p).exists()]
    last = _git("log", "-1", "--format=%h %cs", "--", *paths)
    if not last:
        return "commit unknown (not a git checkout)"
    sha, date = last.split()
    dirty = _git("status", "--porcelain", "--untracked-files=no", "--", *paths)
    return f"inputs of commit {sha} ({date})" + (" with uncommitted changes" if dirty else "")


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True,
                              text=True, check=False, timeout=30)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def add_contents(page: str) -> str:
    """Put the list of the page's second-level headings where the template marked it."""
    links = []
    for anchor, inner in _H2.findall(page):
        title = html.unescape(_TAG.sub("", inner)).replace("¶", "").strip()
        links.append(
            f'<li><a href="#{html.escape(anchor)}" dir="auto">{html.escape(title)}</a></li>'
        )
    if not links:
        return page.replace(CONTENTS_MARK, "")
    listing = ('<details class="report-contents"><summary>Contents</summary>\n<ul>\n'
               + "\n".join(links) + "\n</ul>\n</details>")  # fmt: skip
    return page.replace(CONTENTS_MARK, listing)


def finish(page: str) -> str:
    """The page after nbconvert: contents listed, figures numbered, Arabic runs isolated."""
    return isolate_arabic_in_english(number_figures(add_contents(page)))


def number_figures(page: str) -> str:
    """Number the figure captions of a page in order (Figure 1, Figure 2 and so on)."""
    count = 0

    def numbered(_: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return (
            f'<figcaption class="report-figure" dir="auto">'
            f'<span class="figure-number">Figure {count}.</span> '
        )

    return _FIGURE.sub(numbered, page)


def isolate_arabic_in_english(page: str) -> str:
    """Wrap each run of Arabic words in ``<bdi>`` inside prose blocks that are English.

    A block is English when its text has a Latin letter before any Arabic one.
    Runs already inside a tag's attributes are left alone (only text is touched).
    """

    def block(match: re.Match[str]) -> str:
        tag, attributes, inner = match.groups()
        text = _TAG.sub("", inner)
        first_arabic = _ARABIC_RUN.search(text)
        first_latin = _LATIN.search(text)
        if not first_arabic or not first_latin or first_latin.start() > first_arabic.start():
            return match.group(0)
        pieces = re.split(r"(<[^>]+>)", inner)
        wrapped = [p if p.startswith("<") else _ARABIC_RUN.sub(r"<bdi>\g<0></bdi>", p)
                   for p in pieces]  # fmt: skip
        return f"<{tag}{attributes}>{''.join(wrapped)}</{tag}>"

    return _PROSE.sub(block, page)
