"""Offline, right-to-left HTML pages from executed notebooks: sanitized, self-contained."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
import nh3
from nbformat import NotebookNode

from analysis.report.pages import PageContext, finish

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


TEMPLATE_NAME = "offline_rtl"


INDEX_TEMPLATE = "report_index.html.j2"


NO_CODE_DIR = "no-code"


#: Output types shown in the HTML, best first. JavaScript, widget views and mermaid
#: diagrams need scripts (from a CDN): such outputs fall back to their next type.
DISPLAY_PRIORITY = [
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/latex",
    "text/plain",
]


# Letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan,
# Mandaic, Arabic Extended, Hebrew and Arabic presentation forms).
_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


_ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) | {"style", "tfoot", "section", "bdi", "bdo"}


# Removed with everything inside them (nh3 would otherwise keep their text).
_CLEAN_CONTENT_TAGS = {"script", "iframe", "object", "embed", "template", "svg", "math"}


# No style="" attributes: nh3 cannot filter them while it keeps <style> elements, and
# the elements matter more (pandas Styler puts all its formatting there).
_ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"class", "id", "dir", "lang", "title", "align"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "td": {"rowspan", "colspan", "headers"},
    "th": {"rowspan", "colspan", "headers", "scope"},
    "ol": {"start"},
    "col": {"span"},
    "colgroup": {"span"},
    "table": {"border"},
}


_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp|svg\+xml);base64,", re.IGNORECASE)


_NOTEBOOK_LINK = re.compile(r"^(?![a-z][a-z0-9+.-]*:|/)([^#?]*)\.ipynb(#.*)?$", re.IGNORECASE)


# <style> elements (pandas, Styler) are kept unless their CSS could reach the network
# or hide such a reach behind escapes.
_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)</style>", re.IGNORECASE | re.DOTALL)


_CSS_FETCH = re.compile(r"url\s*\(|@import|image-set|image\s*\(|\\|expression\s*\(|src\s*:", re.I)


# Blocks that get dir="auto" when they have no dir of their own. After nh3 every tag
# is serialized canonically (lower-case names, attribute values in double quotes with
# '"' escaped), so a start tag is matched exactly by this expression.
_DIR_AUTO_TAG = re.compile(
    r'<(p|li|ul|ol|h[1-6]|blockquote|td|th|caption|dt|dd|figcaption)((?:\s+[^\s=>/"]+(?:="[^"]*")?)*)\s*>'
)


_HAS_DIR = re.compile(r'\sdir="')


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Keep an attribute value, rewrite it, or drop it (``None``).

    Images may only come from inline ``data:image/…`` URIs (no request is ever made
    for them); ``data:`` is refused everywhere else. Relative links to another
    notebook (``02-frames.ipynb#part``) are rewritten to its HTML export.
    """
    lowered = value.strip().lower()
    if tag == "img" and attribute == "src":
        return value if _DATA_IMAGE.match(lowered) else None
    if attribute == "href":
        if lowered.startswith("data:"):
            return None
        link = _NOTEBOOK_LINK.match(value.strip())
        if link:
            return f"{link.group(1)}.html{link.group(2) or ''}"
    return value


def _drop_fetching_styles(html: str) -> str:
    """Remove ``<style>`` elements whose CSS could make the browser fetch something."""
    return _STYLE_ELEMENT.sub(lambda m: "" if _CSS_FETCH.search(m.group(1)) else m.group(0), html)


def _add_dir_auto(html: str) -> str:
    """Give prose blocks and table cells ``dir="auto"`` unless they set ``dir`` already."""

    def add(match: re.Match[str]) -> str:
        if _HAS_DIR.search(match.group(2)):
            return match.group(0)
        return f'<{match.group(1)}{match.group(2)} dir="auto">'

    return _DIR_AUTO_TAG.sub(add, html)


def sanitize_fragment(html: str) -> markupsafe.Markup:
    """Return ``html`` made safe to show offline, with per-element text direction.

    Used on every HTML or Markdown fragment of a notebook (markdown cells, HTML
    outputs such as DataFrames, raw HTML cells). An allow-list sanitizer (nh3, the
    Rust *ammonia* library) removes scripts, event handlers, frames, forms and
    anything not listed; ``<style>`` elements are kept (pandas' table styles) unless
    they could load something. Then each paragraph, list, heading, quote and table
    cell without a ``dir`` gets ``dir="auto"``: the browser lays it out right to left
    if its first strong letter is Arabic, left to right otherwise.
    """
    cleaned = nh3.clean(
        str(html),
        tags=_ALLOWED_TAGS,
        clean_content_tags=_CLEAN_CONTENT_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes={"http", "https", "mailto", "data"},
        strip_comments=True,
        link_rel="noopener noreferrer",
    )
    return markupsafe.Markup(_add_dir_auto(_drop_fetching_styles(cleaned)))  # noqa: S704


def text_output(text: str) -> markupsafe.Markup:
    """Return printed text as escaped HTML for a ``<pre>``, Arabic lines right to left.

    Text without right-to-left letters is rendered as nbconvert does (ANSI colours to
    HTML, everything escaped). Text with Arabic becomes one ``<div dir="auto">`` per
    line, so each line (a concordance line, a printed sentence) takes its direction
    from its first strong letter while English lines and code-like lines stay left
    to right.
    """
    from nbconvert.filters.ansi import ansi2html

    if not _RTL_LETTER.search(text):
        return markupsafe.Markup(ansi2html(text))  # noqa: S704
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    rendered = (
        f'<div class="bidi-line" dir="auto">{ansi2html(line) if line else "<br>"}</div>'
        for line in lines
    )
    return markupsafe.Markup("".join(rendered))  # noqa: S704


def notebook_title(nb: NotebookNode, fallback: str) -> str:
    """The notebook's title: ``metadata.title``, else its first Markdown heading."""
    title = nb.metadata.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            heading = re.match(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", line)
            if heading:
                text = re.sub(r"[*_`]", "", heading.group(1))
                return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).strip()
    return fallback


def _exporter(include_code: bool) -> Any:
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config({"NbConvertBase": {"display_data_priority": DISPLAY_PRIORITY}})
    exporter = HTMLExporter(
        config=config,
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=not include_code,
        exclude_input_prompt=not include_code,
        exclude_output_prompt=not include_code,
        embed_images=True,
        sanitize_html=False,  # done by our own filters, see sanitize_fragment
        skip_svg_encoding=False,
    )
    exporter.register_filter("sanitize_fragment", sanitize_fragment)
    exporter.register_filter("text_output", text_output)
    return exporter


def export_html(
    nb: NotebookNode,
    source: Path,
    *,
    include_code: bool = True,
    page: PageContext | None = None,
) -> str:
    """Return the offline HTML page for the executed notebook ``nb``.

    ``source`` is the notebook's file: its folder resolves Markdown images (which
    are embedded), its stem names the page. ``include_code=False`` hides code cells'
    input (for readers who want text and figures only). ``page`` adds the
    navigation and the stamp (:mod:`analysis.report.pages`).
    """
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)  # widget state needs a CDN script to show
    nb.metadata["title"] = notebook_title(nb, Path(source).stem)
    resources = {
        "metadata": {"name": Path(source).stem, "path": str(Path(source).parent)},
        "report_page": page,
    }
    html, _ = _exporter(include_code).from_notebook_node(nb, resources=resources)
    return finish(html)


@dataclass(frozen=True)
class IndexEntry:
    """One line of the index page."""

    name: str
    title: str
    href: str
    other_href: str | None


def render_index(
    entries: Sequence[IndexEntry],
    *,
    heading: str,
    description: str,
    other_label: str,
    parameters: Mapping[str, object] | None = None,
    stamp: str = "",
) -> str:
    """Return the HTML of an index page (autoescaped; titles laid out by ``dir="auto"``)."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        keep_trailing_newline=True,
    )
    template = environment.get_template(INDEX_TEMPLATE)
    return template.render(
        entries=entries,
        heading=heading,
        description=description,
        other_label=other_label,
        parameters=sorted((parameters or {}).items()),
        stamp=stamp,
    )
