"""The hostile-input catalogue (issue #8): every bad input a scholar may feed in.

Each case is one test (parametrized cases count one each); docs/hostile-inputs.md
lists them with what the user gets. Two kinds of outcome are allowed:

* a documented error (an :class:`~analysis.errors.AnalysisError` subclass) whose
  message names the file (and line or byte) and the problem;
* a documented repair with a :class:`~analysis.errors.TextWarning`, after which
  **the counts are those of the clean text**: the frame hits of the repaired
  text are compared with those of the clean seed article.

The seed's frame hits were worked out by reading it (tests/lexicon/test_frames_seed.py
lists them word by word): 30 hits, solidarity 8, international 7, struggle 6,
humanitarian 4, self_determination 3, colonialism 2; 7 of them in quoted speech
(ندعم ×2, استقلاله, الثورية, باحتلال, وتحريرهم, الاستعمار). ``SEED_FRAMES`` below copies
those hand-made numbers, and every repair test compares the full list of
``(frame, term, voice)`` of its hits with the clean seed's list, so a repair
that loses, gains or moves a single hit fails.

Some cases overlap tests/test_corpus_loading.py and tests/test_lexicon_validation.py
on purpose: this file is the complete catalogue in one place.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import warnings
from collections import Counter
from pathlib import Path

import arabic_reshaper
import matplotlib
import pandas as pd
import pytest
from bidi import get_display
from matplotlib.text import Text

from analysis import charts, measures, study
from analysis.corpus import load_document, read_metadata
from analysis.engine import analyse_text
from analysis.errors import AnalysisError, ConfigError, CorpusError, LexiconError, TextWarning
from analysis.lexicon import load_frame_lexicon, match_lexicon
from analysis.report import write_atomic
from analysis.report.display import show, show_kwic
from analysis.text.normalize import BIDI_CONTROLS, normalize_word

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
SEED_ID = "algiers-sahrawi-solidarity-2009"
SEED_FILE = ROOT / "corpus" / f"{SEED_ID}.txt"
SEED = SEED_FILE.read_bytes().decode("utf-8")  # one line, no BOM, no line break
# Hand-counted (see the module docstring and tests/lexicon/test_frames_seed.py).
SEED_FRAMES = {
    "solidarity": 8,
    "international": 7,
    "struggle": 6,
    "humanitarian": 4,
    "self_determination": 3,
    "colonialism": 2,
}
SEED_QUOTED = 7
LEXICON = load_frame_lexicon()
HOSTILE_SCRIPT = "<script>window.__pwned=1</script>"
HOSTILE_IMG = '"><img src=x onerror="window.__pwned=2">'
BIDI_RE = re.compile("[" + "".join(BIDI_CONTROLS) + "]")
ARABIC_LETTER = "[\u0621-\u064a]"


def hits_of(text: str) -> pd.DataFrame:
    """Frame hits of ``text`` through the real text stage and matcher."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TextWarning)
        tables = analyse_text(text, "doc")
    return match_lexicon(tables, LEXICON).hits


def signature(hits: pd.DataFrame) -> list[tuple[str, str, str]]:
    """Every hit as (frame, lexicon term, voice), in text order."""
    return list(zip(hits["frame"], hits["term"], hits["voice"], strict=True))


@pytest.fixture(scope="module")
def seed_hits() -> pd.DataFrame:
    hits = hits_of(SEED)
    # The clean seed gives the hand-counted numbers: the reference is right.
    assert dict(Counter(hits["frame"])) == SEED_FRAMES
    assert int((hits["voice"] == "quoted").sum()) == SEED_QUOTED
    return hits


def assert_same_counts(text: str, seed_hits: pd.DataFrame) -> pd.DataFrame:
    """The hits of a repaired ``text`` are exactly the clean seed's hits."""
    hits = hits_of(text)
    assert dict(Counter(hits["frame"])) == SEED_FRAMES
    assert signature(hits) == signature(seed_hits)
    # Offsets point into the text as written. (A multi-word hit's surface is its
    # tokens joined by one space, so compare normalized, whitespace-collapsed.)
    for start, end, surface in zip(hits["start"], hits["end"], hits["surface"], strict=True):
        assert normalize_word(text[start:end]).split() == normalize_word(surface).split()
    return hits


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refused(path: Path, *phrases: str) -> CorpusError:
    """Loading ``path`` fails with a CorpusError naming the file and each phrase."""
    with pytest.raises(CorpusError) as info:
        load_document(path)
    message = str(info.value)
    assert info.value.path == str(path) and message.startswith(str(path))
    for phrase in phrases:
        assert phrase in message, message
    return info.value


def loaded_with_warning(path: Path, phrase: str):
    """Load ``path``; a TextWarning naming the file and ``phrase`` must be issued."""
    with pytest.warns(TextWarning) as record:
        doc = load_document(path)
    messages = [str(w.message) for w in record if issubclass(w.category, TextWarning)]
    assert any(str(path) in m and phrase in m for m in messages), messages
    return doc


# --- files that are not an Arabic plain-text article -------------------------


def test_01_reference_seed_counts(seed_hits):
    assert len(seed_hits) == 30


def test_02_empty_file(tmp_path):
    refused(write(tmp_path, "empty.txt", b""), "empty (0 bytes)")


def test_03_whitespace_only(tmp_path):
    refused(write(tmp_path, "blank.txt", b" \n\t\r\n\xc2\xa0 \n"), "only whitespace")


def test_04_english_article(tmp_path):
    text = b"The international conference ended in Algiers with a declaration of solidarity."
    refused(write(tmp_path, "en.txt", text), "non-Arabic", "English or French")


def test_05_french_article(tmp_path):
    text = "La conférence internationale s'est achevée à Alger (« solidarité »).".encode()
    refused(write(tmp_path, "fr.txt", text), "non-Arabic")


def test_06_mostly_latin_with_an_arabic_quotation(tmp_path):
    # 12 Arabic letters against 60+ Latin ones: not an Arabic article.
    text = "The slogan « التضامن مع الشعب » was heard at the conference in Algiers."
    refused(write(tmp_path, "mixed-en.txt", text.encode()), "non-Arabic")


def test_07_mixed_scripts_arabic_article_with_latin_names(tmp_path, seed_hits):
    # An Arabic article quoting English and French names: loads, and the Latin
    # words add no frame hit (the lexicon is Arabic), so the counts are the seed's.
    text = SEED.replace("أوباما", "أوباما (Barack Obama)").replace(
        "إسبانيا", "إسبانيا (España, Lanzarote, UN / ONU)"
    )
    doc = load_document(write(tmp_path, "mixed.txt", text.encode()))
    assert doc.warnings == []
    hits = assert_same_counts(doc.text, seed_hits)
    tables = analyse_text(doc.text)
    assert {"Barack", "Obama", "UN", "ONU"} <= set(
        tables.tokens.loc[tables.tokens.kind == "latin", "surface"]
    )
    assert len(hits) == 30


def test_08_windows_1256(tmp_path, seed_hits):
    path = write(tmp_path, "cp1256.txt", SEED.encode("cp1256"))
    doc = loaded_with_warning(path, "Windows-1256")
    assert doc.encoding == "cp1256" and doc.text == SEED
    assert_same_counts(doc.text, seed_hits)


@pytest.mark.parametrize(("bom", "codec"), [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_09_utf16_with_bom(tmp_path, seed_hits, bom, codec):
    path = write(tmp_path, "u16.txt", bom + SEED.encode(codec))
    doc = loaded_with_warning(path, "UTF-16")
    assert doc.text == SEED  # the BOM is not part of the text: offsets unchanged
    hits = assert_same_counts(doc.text, seed_hits)
    assert hits["start"].tolist() == seed_hits["start"].tolist()


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_10_utf16_without_bom(tmp_path, seed_hits, codec):
    path = write(tmp_path, "u16.txt", SEED.encode(codec))
    doc = loaded_with_warning(path, "without BOM")
    assert doc.encoding == codec and doc.text == SEED
    assert_same_counts(doc.text, seed_hits)


def test_11_utf8_with_bom(tmp_path, seed_hits):
    path = write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + SEED.encode())
    with warnings.catch_warnings():
        warnings.simplefilter("error", TextWarning)  # a BOM is normal: no warning
        doc = load_document(path)
    assert doc.encoding == "utf-8-sig" and doc.text == SEED
    hits = assert_same_counts(doc.text, seed_hits)
    # Offsets count from the first letter, not from the BOM's three bytes.
    assert hits["start"].tolist() == seed_hits["start"].tolist()


def test_12_invalid_utf8(tmp_path):
    # A stray 0xff after the first 500 characters (whole characters before it).
    data = SEED.encode()
    offset = len(SEED[:500].encode())
    path = write(tmp_path, "bad.txt", data[:offset] + b"\xff" + data[offset:])
    refused(path, "invalid UTF-8", f"byte {offset} (0xff), line 1", "mostly UTF-8")


def test_13_utf8_encoded_surrogate(tmp_path):
    # CESU/Java-style encoded surrogates (ED A0 80) are not UTF-8.
    data = "التضامن ".encode() * 20 + b"\xed\xa0\x80"
    refused(write(tmp_path, "surrogate.txt", data), "invalid UTF-8")


def test_14_nul_bytes(tmp_path):
    data = SEED.encode()[:40] + b"\x00" + SEED.encode()[40:]
    refused(write(tmp_path, "nul.txt", data), "NUL bytes", "byte 40, line 1")


def test_15_binary_file(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
    refused(write(tmp_path, "image.txt", png), "NUL bytes")


def test_16_only_digits_and_punctuation(tmp_path):
    refused(write(tmp_path, "numbers.txt", "٢٠٠٩ - 14/11 ، ؟ !".encode()), "no letters")


def test_17_saved_html_page(tmp_path):
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>خبر</title></head>"
        f"<body><article><p>{SEED}</p></article></body></html>"
    )
    refused(write(tmp_path, "page.html", page.encode()), "saved HTML page", "extract")


def test_18_html_fragment_without_doctype(tmp_path):
    # Ten or more tags are a page fragment, not an article with a stray "<".
    body = "".join(f"<p><span>{part}</span></p>\n" for part in SEED.split("·")[:5])
    refused(write(tmp_path, "fragment.txt", body.encode()), "HTML tags")


def test_19_missing_file(tmp_path):
    refused(tmp_path / "nowhere.txt", "file not found")


def test_20_a_folder_instead_of_a_file(tmp_path):
    refused(tmp_path, "cannot be read")


# --- long, huge or degenerate text ------------------------------------------


def test_21_one_10_mb_line(tmp_path, seed_hits):
    # The seed (one line) + a space + a 10 MB run of letters without any space or
    # line break (a scrape that lost every space): one line of 10 MB. The run is
    # one token; splitting it must not be tried (the split search used to be
    # quadratic in the token length and never finished on such a line).
    run = "ب" * 5_000_000  # 2 bytes each
    text = SEED + " " + run
    path = write(tmp_path, "long-line.txt", text.encode())
    assert path.stat().st_size > 10_000_000 and b"\n" not in path.read_bytes()
    doc = load_document(path)
    assert doc.text == text
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TextWarning)
        tables = analyse_text(doc.text, "long")
    seed_tokens = analyse_text(SEED).tokens
    assert len(tables.tokens) == len(seed_tokens) + 1
    last = tables.tokens.iloc[-1]
    assert (last.start, last.end, last.kind) == (len(SEED) + 1, len(text), "word")
    assert len(tables.repairs) == 3  # the seed's own three run-together words only
    hits = match_lexicon(tables, LEXICON).hits
    assert signature(hits) == signature(seed_hits)


def test_22_seed_repeated_on_one_long_line(seed_hits):
    # 40 copies of the seed joined by spaces, no line break (~160 KB): 40 × 30 hits.
    text = " ".join([SEED] * 40)
    hits = hits_of(text)
    assert dict(Counter(hits["frame"])) == {f: 40 * n for f, n in SEED_FRAMES.items()}
    assert int((hits["voice"] == "quoted").sum()) == 40 * SEED_QUOTED


def test_23_windows_line_endings(seed_hits):
    # CRLF between the seed's sentences: sentence and hit counts unchanged.
    text = SEED.replace("· ", "·\r\n")
    assert text.count("\r\n") == 4  # four of the six terminators are followed by a space
    assert_same_counts(text, seed_hits)


def test_24_ten_thousand_tatweels_and_diacritics_in_one_word():
    # One word drawn out by 10,000 tatweels and carrying 10,000 fathas: one token,
    # normalized to the bare word, matched once.
    word = "ت" + "\u0640" * 10_000 + "ضامن" + "\u064e" * 10_000
    hits = hits_of(f"أعلن {word} مع الشعب·")
    assert hits["frame"].tolist() == ["solidarity"]
    assert hits["surface"].tolist() == [word]


# --- markup inside the article -----------------------------------------------


def test_25_script_tag_inside_the_article(tmp_path, seed_hits):
    # A script tag in its own paragraph: loaded (one tag is not a page), counted
    # like the seed, and shown escaped (tests 27, 28, 63, 64).
    text = SEED + "\n" + HOSTILE_SCRIPT + "\n"
    doc = load_document(write(tmp_path, "script.txt", text.encode()))
    assert HOSTILE_SCRIPT in doc.text
    assert_same_counts(doc.text, seed_hits)


def test_26_attribute_breakout_inside_the_article(tmp_path, seed_hits):
    # `"><img …>` in its own paragraph: its three " marks pair only within that
    # paragraph, so no seed hit changes voice.
    text = HOSTILE_IMG + "\n" + SEED
    doc = load_document(write(tmp_path, "img.txt", text.encode()))
    hits = hits_of(doc.text)
    assert signature(hits) == signature(seed_hits)


def test_27_markup_in_tables_is_escaped():
    # The strings reach a table as cells, as column names and in a caption.
    frame = pd.DataFrame(
        {HOSTILE_SCRIPT: ["تضامن " + HOSTILE_IMG, HOSTILE_SCRIPT]}, index=[HOSTILE_IMG, "b"]
    )
    html = show(frame, caption="الإطار " + HOSTILE_SCRIPT, hide_index=False).to_html()
    assert "<script" not in html and "<img" not in html
    assert html.count("&lt;script&gt;window.__pwned=1&lt;/script&gt;") == 3  # cell, column, caption
    assert html.count("&lt;img src=x onerror=") == 2  # cell, row label


def test_28_markup_in_a_kwic_line_is_escaped():
    text = "قال الوفد <script>window.__pwned=1</script> إن التضامن واجب <b>دائما</b>·"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TextWarning)
        tables = analyse_text(text)
    hits = match_lexicon(tables, LEXICON).hits
    assert hits["term"].tolist() == ["تضامن"]
    lines = measures.kwic(hits, tables.tokens, window=20)
    html = show_kwic(lines, "KWIC").to_html()
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;" in html


# --- invisible and variant characters (repair + warning, same counts) -------

MARKS = "\u064e\u0650\u064f\u0652\u0651\u064b\u064d\u064c"  # fatha kasra damma sukun shadda tanwin


def diacritize(text: str) -> str:
    """A mark after every Arabic letter, cycling through the eight marks."""
    counter = iter(range(10**9))
    return re.sub(ARABIC_LETTER, lambda m: m.group() + MARKS[next(counter) % len(MARKS)], text)


def test_29_fully_diacritized_text(tmp_path, seed_hits):
    text = diacritize(SEED)
    assert len(text) > 1.7 * len(SEED)
    path = write(tmp_path, "tashkeel.txt", text.encode())
    with warnings.catch_warnings():
        warnings.simplefilter("error", TextWarning)  # ordinary typography: silent
        doc = load_document(path)
    hits = assert_same_counts(doc.text, seed_hits)
    # A surface is the word as written, with its marks (خلّفت stays whole).
    assert all(re.search("[\u064b-\u0652]$", s) for s in hits["surface"])


def test_30_long_tatweel_runs(tmp_path, seed_hits):
    text = re.sub(f"({ARABIC_LETTER})(?={ARABIC_LETTER})", "\\1" + "\u0640" * 7, SEED)
    doc = loaded_with_warning(write(tmp_path, "tatweel.txt", text.encode()), "tatweel")
    assert_same_counts(doc.text, seed_hits)


def test_31_persian_and_urdu_letter_variants(tmp_path, seed_hits):
    # Text typed on a Persian/Urdu keyboard: Farsi yeh, keheh, heh goal, ae,
    # teh marbuta goal instead of the Arabic letters.
    table = str.maketrans({"ي": "ی", "ك": "ک", "ه": "ہ", "ة": "ۃ", "ى": "ی"})
    text = SEED[: len(SEED) // 2].translate(table) + SEED[len(SEED) // 2 :].replace("ه", "ە")
    assert text != SEED and len(text) == len(SEED)
    doc = loaded_with_warning(write(tmp_path, "persian.txt", text.encode()), "Persian/Urdu")
    hits = assert_same_counts(doc.text, seed_hits)
    assert hits["start"].tolist() == seed_hits["start"].tolist()  # one-to-one: same offsets


def test_32_arabic_indic_and_persian_digits(seed_hits):
    text = SEED + " انعقدت الندوة من ١٤ إلى ١٧ نوفمبر ۲۰۰۹ بحضور ٤٠ دولة·"
    with warnings.catch_warnings():
        warnings.simplefilter("error", TextWarning)  # digits are normalized silently
        tables = analyse_text(text)
    numbers = tables.tokens[tables.tokens.kind == "number"]
    assert numbers["surface"].tolist() == ["١٤", "١٧", "۲۰۰۹", "٤٠"]
    assert numbers["normalized"].tolist() == ["14", "17", "2009", "40"]
    # The added sentence has no framing word (انعقدت، الندوة، دولة are not terms).
    assert_same_counts(text, seed_hits)


def test_33_presentation_forms(tmp_path, seed_hits):
    # Text copied from a PDF: every letter in its contextual form (U+FB50–U+FEFF),
    # lam-alef as one ligature (ﻻ, ﻷ).
    text = arabic_reshaper.reshape(SEED)
    assert not re.search(ARABIC_LETTER, text.replace("ء", ""))  # nothing left in base forms
    assert "\ufefb" in text or "\ufefc" in text  # a lam-alef ligature, two letters in one
    doc = loaded_with_warning(write(tmp_path, "pdf.txt", text.encode()), "presentation-form")
    hits = assert_same_counts(doc.text, seed_hits)
    # Surfaces are the text as written: presentation forms, not base letters.
    assert all(re.search("[\ufb50-\ufeff]", s) for s in hits["surface"])


def bidi_hostile(text: str) -> str:
    """Embeddings, overrides and marks around and inside words, as scraped pages have."""
    words = text.split(" ")
    out = []
    for i, word in enumerate(words):
        if i % 7 == 0:
            word = "\u202b" + word + "\u202c"  # RLE … PDF around a word
        if i % 11 == 0 and len(word) > 3:
            word = word[:2] + "\u202e" + word[2:]  # RLO inside a word
        if i % 13 == 0:
            word = "\u202d" + word + "\u202a\u202c"  # LRO, LRE, PDF
        if i % 5 == 0:
            word += "\u200f"  # RLM after a word
        out.append(word)
    return " ".join(out) + "\u200e\u061c"


def test_34_bidi_embeddings_overrides_and_marks(tmp_path, seed_hits):
    text = bidi_hostile(SEED)
    assert all(c in text for c in "\u202a\u202b\u202c\u202d\u202e\u200e\u200f\u061c")
    doc = loaded_with_warning(write(tmp_path, "bidi.txt", text.encode()), "bidi control")
    assert_same_counts(doc.text, seed_hits)


def test_35_bidi_isolates(tmp_path, seed_hits):
    # Isolates around names and words (U+2066 LRI, U+2067 RLI, U+2068 FSI, U+2069 PDI).
    text = SEED.replace("حيدر", "\u2067حيدر\u2069").replace("الشعب", "\u2068الشعب\u2069")
    text = text.replace("التضامن", "\u2066التض\u2069امن")
    doc = loaded_with_warning(write(tmp_path, "isolates.txt", text.encode()), "bidi control")
    assert_same_counts(doc.text, seed_hits)


def test_36_zero_width_characters(tmp_path, seed_hits):
    # ZWNJ, ZWJ, word joiner and soft hyphen inside words are removed; a zero-width
    # space used as the word separator (instead of a space) becomes a space.
    text = SEED.replace("تضامن", "تض\u200cامن").replace("الدولية", "الدو\u200dلية")
    text = text.replace("الشعب", "الش\u2060عب").replace("النضال", "النض\u00adال")
    text = text.replace(" مع ", "\u200bمع\u200b").replace("القضية", "\ufeffالقضية")
    doc = loaded_with_warning(write(tmp_path, "zw.txt", text.encode()), "zero-width")
    assert_same_counts(doc.text, seed_hits)


def test_37_every_repair_at_once(tmp_path, seed_hits):
    # Diacritics + tatweel + Persian letters + bidi controls + zero-width + CRLF,
    # then the whole thing in UTF-16: still the seed's hits.
    text = SEED.replace("ي", "ی").replace(" الشعب", " \u200fالشعب\u200f")
    text = re.sub("(ت)(?=ض)", "\\1\u0640\u0640\u0640", diacritize(text)).replace("· ", "·\r\n")
    doc = loaded_with_warning(write(tmp_path, "all.txt", text.encode("utf-16")), "UTF-16")
    assert_same_counts(doc.text, seed_hits)


# --- bidi controls never reach a display ---------------------------------


@pytest.fixture(scope="module")
def bidi_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tokens and hits of a text whose framing word carries an override inside it."""
    text = "قال الوفد \u202eإن التض\u202eامن مع \u2067الشعب\u2069 واجب\u200f·"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TextWarning)
        tables = analyse_text(text)
    hits = match_lexicon(tables, LEXICON).hits
    assert hits["term"].tolist() == ["تضامن"]  # the override did not break the word
    return tables.tokens, hits


def test_38_kwic_and_token_tables_shown_without_bidi_controls(bidi_tables):
    tokens, hits = bidi_tables
    lines = measures.kwic(hits, tokens, window=5)
    # The data keep the surface as written (offset contract): the RLO is inside.
    assert lines["match"].tolist() == ["التض\u202eامن"]
    # The RLO before إن lies between tokens: no token, so no table, holds it.
    assert lines["left"].tolist() == ["قال الوفد إن"]
    with pytest.warns(TextWarning, match="bidi control"):
        kwic_html = show_kwic(lines, "KWIC").to_html()
    with pytest.warns(TextWarning, match="bidi control"):
        token_html = show(tokens[["surface", "normalized"]], "tokens").to_html()
    for html in (kwic_html, token_html):
        assert BIDI_RE.search(html) is None
    assert ">التضامن<" in kwic_html and ">الوفد إن<" not in kwic_html
    assert ">قال الوفد إن<" in kwic_html
    # The caller's tables are not changed by showing them.
    assert lines["match"].tolist() == ["التض\u202eامن"]


def test_39_chart_labels_lose_bidi_controls(bidi_tables):
    _, hits = bidi_tables
    label = "\u202e" + hits["surface"].iloc[0] + "\u202c"
    for shaping in (True, False):
        with pytest.warns(TextWarning, match="bidi control"):
            prepared = charts.prepare_text(label, shaping=shaping)
        assert BIDI_RE.search(prepared) is None
    counts = pd.DataFrame({"frame": [label, "struggle"], "n": [1, 2]})
    with pytest.warns(TextWarning, match="bidi control"):
        fig = charts.plot_frame_counts(counts, title="\u202eعنوان")
    texts = [t.get_text() for t in fig.findobj(Text)]
    assert texts and not any(BIDI_RE.search(t) for t in texts)


def test_40_lexicon_term_with_an_override_is_refused_readably(tmp_path):
    # A term typed in an RTL editor that inserted U+202E: refused, and the message
    # shows the control as an escape (it would otherwise reverse the message).
    directory = lexicon(tmp_path, ["solidarity,\u202eتضامن,s,bare,,,\n"])
    error = lexicon_refused(directory, 2, "not in Arabic script", "U+202E")
    assert "\u202e" not in str(error) and "\\u202e" in str(error)


# --- lexicons edited by hand -------------------------------------------------

DECLARATIONS = (
    "frame,label_en,label_ar,description,source\n"
    "colonialism,Colonialism,الاستعمار,d,s\n"
    "solidarity,Solidarity,التضامن,d,s\n"
)
TERMS_HEADER = "frame,term,gloss,match,suffixes,guard,note\n"
GOOD = "colonialism,استعمار,colonialism,bare,,,\n"  # line 2


def lexicon(
    tmp_path: Path, rows: list[str], header: str = TERMS_HEADER, decl: str = DECLARATIONS
) -> Path:
    (tmp_path / "frames.csv").write_text(decl, encoding="utf-8")
    (tmp_path / "frame_terms.csv").write_text(header + "".join(rows), encoding="utf-8")
    return tmp_path


def lexicon_refused(
    directory: Path, line: int | None, *phrases: str, file: str = "frame_terms.csv"
) -> LexiconError:
    with pytest.raises(LexiconError) as info:
        load_frame_lexicon(directory)
    message = str(info.value)
    assert info.value.path == str(directory / file), message
    if line is not None:
        assert info.value.line == line and f"line {line}:" in message
    for phrase in phrases:
        assert phrase in message, message
    return info.value


LEXICON_CASES = {
    # name: (rows after GOOD, failing line, phrases)
    "empty term": (["solidarity,,support,bare,,,\n"], 3, ["empty term"]),
    "term of diacritics only": (["solidarity,\u064e\u0651,s,bare,,,\n"], 3, ["empty term"]),
    "unknown frame": (["solidarty,تأييد,s,bare,,,\n"], 3, ["unknown frame 'solidarty'"]),
    "duplicate entry": (["colonialism,استعمار,again,bare,,,\n"], 3, ["duplicate entry", "line 2"]),
    "duplicate after normalization": (
        ["colonialism,إستعمار,again,bare,,,\n"],  # إ = ا after normalization
        3,
        ["duplicate entry"],
    ),
    "Latin term": (["colonialism,occupation,o,bare,,,\n"], 3, ["not in Arabic script"]),
    "Latin letter inside an Arabic term": (["colonialism,احتلaل,o,bare,,,\n"], 3, ["U+0061"]),
    "presentation forms in a term": (["solidarity,ﺗﻀﺎﻣﻦ,s,bare,,,\n"], 3, ["U+FE97"]),
    "markup in a term": (["solidarity,<b>تضامن</b>,s,bare,,,\n"], 3, ["U+003C"]),
    "guard without colon": (["colonialism,احتلال,o,bare,,المرتبة,\n"], 3, ["has no ':'"]),
    "guard with unknown direction": (
        ["colonialism,احتلال,o,bare,,after:المرتبة,\n"],
        3,
        ["'after' is not prev, next"],
    ),
    "guard word in Latin": (["colonialism,احتلال,o,bare,,next:rank,\n"], 3, ["can never match"]),
    "unknown match mode": (["colonialism,احتلال,o,stem,,,\n"], 3, ["match 'stem'"]),
    "suffix in Latin": (["colonialism,محتل,o,bare,ة|s,,\n"], 3, ["suffix 's'"]),
    "missing gloss": (["colonialism,احتلال,,bare,,,\n"], 3, ["no English gloss"]),
    "unquoted comma (extra field)": (
        ["colonialism,احتلال,o,bare,,,core term, see note\n"],
        3,
        ["8 fields but the header has 7"],
    ),
}


@pytest.mark.parametrize("case", list(LEXICON_CASES))
def test_41_lexicon_row_errors(tmp_path, case):
    rows, line, phrases = LEXICON_CASES[case]
    lexicon_refused(lexicon(tmp_path, [GOOD, *rows]), line, *phrases)


def test_42_lexicon_missing_column(tmp_path):
    directory = lexicon(
        tmp_path, ["colonialism,استعمار,bare,,,\n"], header="frame,term,match,suffixes,guard,note\n"
    )
    lexicon_refused(directory, 1, "missing column", "'gloss'")


@pytest.mark.parametrize(("encoding", "phrase"), [("cp1256", "not UTF-8"), ("utf-16", "not UTF-8")])
def test_43_lexicon_saved_by_a_spreadsheet_in_another_encoding(tmp_path, encoding, phrase):
    lexicon(tmp_path, [GOOD])
    (tmp_path / "frame_terms.csv").write_bytes((TERMS_HEADER + GOOD).encode(encoding))
    lexicon_refused(tmp_path, None, phrase)


def test_44_lexicon_file_missing(tmp_path):
    (tmp_path / "frames.csv").write_text(DECLARATIONS, encoding="utf-8")
    lexicon_refused(tmp_path, None, "file not found")


def test_45_lexicon_without_terms(tmp_path):
    lexicon_refused(lexicon(tmp_path, []), None, "no terms")


@pytest.mark.parametrize(
    ("extra", "phrase"),
    [
        ("colonialism,Again,الاستعمار,d,s\n", "duplicate frame id"),
        ("human suffering,Suffering,المعاناة,d,s\n", "lower-case ASCII"),
    ],
)
def test_46_frame_declaration_errors(tmp_path, extra, phrase):
    directory = lexicon(tmp_path, [GOOD], decl=DECLARATIONS + extra)  # line 4
    lexicon_refused(directory, 4, phrase, file="frames.csv")


def test_47_lexicon_term_with_diacritics_tatweel_and_persian_letters_still_matches(tmp_path):
    # Terms typed with marks, tatweel or a Persian keyboard normalize like the text:
    # تَضَامُن, تضـــامن and the Persian-yeh/keheh form of مكافحة all match.
    rows = [
        GOOD,
        "solidarity,تَضَامُن,s,bare,,,\n",
        "solidarity,تأیید,support,bare,,,\n",  # Farsi yeh
    ]
    lex = load_frame_lexicon(lexicon(tmp_path, rows))
    with pytest.warns(TextWarning, match="tatweel"):
        tables = analyse_text("نعلن تضامننا والتضـــامن وتأييدنا للشعب·")
    hits = match_lexicon(tables, lex).hits
    # تضامننا (+نا), والتضـــامن (و+ال, tatweel), وتأييدنا (و, +نا): three hits.
    assert hits["surface"].tolist() == ["تضامننا", "والتضـــامن", "وتأييدنا"]


def test_48_lexicon_labels_with_markup_are_escaped_in_captions(tmp_path):
    decl = DECLARATIONS.replace("Solidarity,", HOSTILE_SCRIPT.replace(",", "") + ",")
    lex = load_frame_lexicon(lexicon(tmp_path, [GOOD], decl=decl))
    label = lex.categories.set_index("frame").loc["solidarity", "label_en"]
    assert label == HOSTILE_SCRIPT  # the data keep the text
    html = show(lex.categories, caption=f"{label}: 0 hit(s)").to_html()
    assert "<script" not in html and html.count("&lt;script&gt;") == 2  # cell + caption


# --- metadata tables from spreadsheets -------------------------------------

META_HEADER = "doc_id,file,language,title,outlet,date,date_precision,notes,sha256\n"
ARTICLE = "انتهت الندوة الدولية في الجزائر بإعلان التضامن مع الشعب الصحراوي ودعوة المجتمع الدولي·\n"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def metadata(tmp_path: Path, rows: list[str], *, encoding: str = "utf-8") -> Path:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    path = tmp_path / "metadata.csv"
    path.write_bytes((META_HEADER + "".join(r + "\n" for r in rows)).encode(encoding))
    return path


GOOD_ROW = f"a,a.txt,ar,T,,2009-11-14,day,,{sha(ARTICLE)}"
METADATA_CASES = {
    # name: (rows, failing line, phrases)
    "missing file": (
        [GOOD_ROW, "b,b.txt,ar,T,,2009,year,,"],
        3,
        ["file 'b.txt' for 'b' not found"],
    ),
    "duplicate id": ([GOOD_ROW, GOOD_ROW], 3, ["duplicate doc_id 'a' (first on line 2)"]),
    "bad date (day/month/year)": (["a,a.txt,ar,T,,14/11/2009,day,,"], 2, ["bad date '14/11/2009'"]),
    "impossible date": (["a,a.txt,ar,T,,2009-02-30,day,,"], 2, ["bad date '2009-02-30'"]),
    "interval backwards": (["a,a.txt,ar,T,,2009-12/2009-11,range,,"], 2, ["ends before"]),
    "precision mismatch": (["a,a.txt,ar,T,,2009-11,day,,"], 2, ["precision 'month'"]),
    "unknown precision": (["a,a.txt,ar,T,,2009,yearly,,"], 2, ["date_precision 'yearly'"]),
    "file changed (sha256)": ([f"a,a.txt,ar,T,,2009,year,,{sha('x')}"], 2, ["sha256 of 'a.txt'"]),
    "sha256 not hex": (["a,a.txt,ar,T,,2009,year,,xyz"], 2, ["not 64 hex digits"]),
    "empty doc_id": ([",a.txt,ar,T,,2009,year,,"], 2, ["empty doc_id"]),
    "wrong number of fields": (["a,a.txt,ar,T,,2009,year,,,extra"], 2, ["wrong number of fields"]),
}


@pytest.mark.parametrize("case", list(METADATA_CASES))
def test_49_metadata_row_errors(tmp_path, case):
    rows, line, phrases = METADATA_CASES[case]
    path = metadata(tmp_path, rows)
    with pytest.raises(CorpusError) as info:
        read_metadata(path)
    assert info.value.path == str(path) and info.value.line == line
    assert str(info.value).startswith(f"{path}, line {line}: ")
    for phrase in phrases:
        assert phrase in str(info.value)


def test_50_metadata_missing_column(tmp_path):
    path = tmp_path / "metadata.csv"
    path.write_text("doc_id,file,title\na,a.txt,T\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"line 1: missing column\(s\) \['language'"):
        read_metadata(path)


@pytest.mark.parametrize(("encoding", "line"), [("cp1256", 2), ("utf-16", 1)])
def test_51_metadata_saved_in_a_spreadsheet_encoding(tmp_path, encoding, line):
    # Excel's "CSV" is Windows-1256 on an Arabic system, "Unicode text" UTF-16.
    # The Arabic title on line 2 is the first non-ASCII byte in cp1256; UTF-16
    # starts with its BOM (0xff) on line 1.
    path = metadata(tmp_path, [f"a,a.txt,ar,عنوان,,2009,year,,{sha(ARTICLE)}"], encoding=encoding)
    with pytest.raises(CorpusError, match="not UTF-8") as info:
        read_metadata(path)
    assert info.value.path == str(path) and info.value.line == line
    assert "CSV UTF-8" in str(info.value)


def test_52_metadata_is_a_folder(tmp_path):
    with pytest.raises(CorpusError, match="cannot be read") as info:
        read_metadata(tmp_path)
    assert info.value.path == str(tmp_path)


def test_53_metadata_names_an_unknown_document(tmp_path):
    path = metadata(tmp_path, [GOOD_ROW])
    with pytest.raises(CorpusError, match="no document 'zzz'") as info:
        load_document("zzz", metadata=path)
    assert info.value.path == str(path)


def test_54_metadata_row_pointing_at_a_hostile_file(tmp_path):
    # The table is fine; the file it names is a saved web page: the error names
    # that file (not the table), so the scholar knows which one to fix.
    path = metadata(tmp_path, ["a,page.txt,ar,T,,2009,year,,"])
    page = tmp_path / "page.txt"
    page.write_text("<!DOCTYPE html><html><body>" + ARTICLE + "</body></html>", encoding="utf-8")
    with pytest.raises(CorpusError, match="saved HTML page") as info:
        load_document("a", metadata=path)
    assert info.value.path == str(page)


# --- notebook parameters ------------------------------------------------------


def test_55_parameter_metadata_names_a_missing_file(tmp_path):
    missing = tmp_path / "no-such-metadata.csv"
    with pytest.raises(ConfigError, match="parameter metadata") as info:
        study.run(metadata=missing)
    assert info.value.path == str(missing)


def test_56_parameter_doc_ids_names_an_unknown_document(tmp_path):
    path = metadata(tmp_path, [GOOD_ROW])
    with pytest.raises(ConfigError, match=r"doc_ids names \['nope'\]") as info:
        study.run("a,nope", metadata=path)
    assert "known: ['a']" in str(info.value)


def test_57_parameter_lexicon_dir_names_a_missing_folder(tmp_path):
    path = metadata(tmp_path, [GOOD_ROW])
    with pytest.raises(LexiconError, match="file not found") as info:
        study.run(metadata=path, lexicon_dir=tmp_path / "no-lexicons")
    assert info.value.path == str(tmp_path / "no-lexicons" / "frames.csv")


def test_58_parameter_metadata_row_names_a_missing_file(tmp_path):
    path = metadata(tmp_path, [GOOD_ROW, "b,gone.txt,ar,T,,2009,year,,"])
    with pytest.raises(CorpusError, match="'gone.txt' for 'b' not found") as info:
        study.run(metadata=path)
    assert info.value.line == 3


def test_59_a_good_run_on_a_tmp_corpus_counts_by_hand(tmp_path):
    # The tmp article has two framing expressions, read from frame_terms.csv:
    # التضامن (solidarity, term تضامن) and المجتمع الدولي (international); الدولية
    # alone and الندوة, إعلان, الشعب, الصحراوي, دعوة are not terms.
    path = metadata(tmp_path, [GOOD_ROW])
    result = study.run(metadata=path, figures_dir=tmp_path / "figures")
    assert result.hits["term"].tolist() == ["تضامن", "المجتمع الدولي"]
    assert result.hits["frame"].tolist() == ["solidarity", "international"]


# --- data safety: atomic writes -------------------------------------------------


def test_60_failed_figure_write_keeps_the_previous_figure(tmp_path, monkeypatch):
    counts = pd.DataFrame({"frame": ["solidarity"], "n": [3]})
    fig = charts.plot_frame_counts(counts)
    (good,) = charts.save_figure(fig, "frame-counts", tmp_path, formats=["png"])
    before = good.read_bytes()

    def half_then_fail(handle, **kwargs):
        handle.write(b"\x89PNG half a figure")
        raise OSError("disk full")

    monkeypatch.setattr(fig, "savefig", half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        charts.save_figure(fig, "frame-counts", tmp_path, formats=["png"])
    assert good.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["frame-counts.png"]  # no temp file


def test_61_failed_page_write_keeps_the_previous_page(tmp_path, monkeypatch):
    page = tmp_path / "reports" / "01.html"
    write_atomic(page, "<p>good</p>")

    def fail(*args, **kwargs):
        raise OSError("interrupted")

    monkeypatch.setattr("analysis.report.build.os.replace", fail)
    with pytest.raises(OSError, match="interrupted"):
        write_atomic(page, "<p>half")
    assert page.read_text() == "<p>good</p>"
    assert [p.name for p in page.parent.iterdir()] == ["01.html"]


def test_62_errors_are_all_analysis_errors():
    # The catalogue's error classes share one base, so a notebook can catch them all.
    for cls in (CorpusError, LexiconError, ConfigError):
        assert issubclass(cls, AnalysisError)


# --- end to end: hostile corpus → real notebooks → HTML in Chromium -------------
# One build of notebooks 01 and 03 on a tmp corpus whose article carries a script
# tag, an attribute breakout and a bidi override next to framing words; every
# exported page is opened in Debian's headless Chromium with the network cut
# (helpers shared with tests/test_report_html.py).


def e2e(test):
    """Marks of the end-to-end tests: slow, notebooks, browser, one xdist worker."""
    for mark in (
        pytest.mark.slow,
        pytest.mark.notebook,
        pytest.mark.browser,
        pytest.mark.xdist_group("hostile-html"),
    ):
        test = mark(test)
    return test


HOSTILE_ARTICLE = (
    "قال الناشط الحقوقي في الندوة " + HOSTILE_SCRIPT + " إن التضامن مع الشعب الصحراوي "
    "واجب على كل الأحرار في العالم·\n"
    "وأضاف أن " + HOSTILE_IMG + " المجتمع الدولي مطالب بالتحرك من أجل تقرير المصير·\n"
    "وختم بأن الن\u202eضال مستمر حتى النصر·\n"
)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory):
    from analysis import paths
    from analysis.report import OutputLayout, build_reports, discover_notebooks, select_notebooks

    root = tmp_path_factory.mktemp("hostile-site")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "hostile.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    meta = corpus / "metadata.csv"
    title = "عنوان " + HOSTILE_SCRIPT
    meta.write_text(
        META_HEADER + f'hostile,hostile.txt,ar,"{title.replace(chr(34), chr(34) * 2)}",,'
        f'2009,year,"{HOSTILE_IMG.replace(chr(34), chr(34) * 2)}",{sha(HOSTILE_ARTICLE)}\n',
        encoding="utf-8",
    )
    notebooks = select_notebooks(
        discover_notebooks(paths.NOTEBOOKS_DIR), ["01-corpus-and-tokens", "03-context"]
    )
    layout = OutputLayout.under(root / "out")
    parameters = {"metadata": str(meta), "doc_ids": "hostile"}
    build_reports(notebooks, layout, parameters, log=lambda _: None)
    return layout, notebooks, parameters


def _pages(layout) -> list[Path]:
    return sorted(layout.reports_dir.rglob("*.html"))


@e2e
def test_63_hostile_corpus_pages_run_no_script_and_inject_nothing(hostile_site, chromium):
    layout, _, _ = hostile_site
    pages = _pages(layout)
    names = {p.relative_to(layout.reports_dir).as_posix() for p in pages}
    assert {"01-corpus-and-tokens.html", "03-context.html", "index.html"} <= names
    assert {"no-code/01-corpus-and-tokens.html", "no-code/03-context.html"} <= names
    for path in pages:
        page = chromium.open(path)
        try:
            assert page.evaluate("typeof window.__pwned") == "undefined", path
            assert page.evaluate("document.scripts.length") == 0, path
            injected = "[onerror], [onload], [onclick], iframe, object, embed, link, base"
            assert page.locator(injected).count() == 0, path
            sources = page.eval_on_selector_all("img", "els => els.map(e => e.getAttribute('src'))")
            assert all(s.startswith("data:image/png;base64,") for s in sources), path
            requests = chromium.requests
            assert [u for u in requests if not u.startswith(("file://", "data:"))] == [], path
            assert [u for u in requests if u.startswith("file://")] == [path.as_uri()], path
        finally:
            page.close()


@e2e
def test_64_hostile_text_is_shown_as_text_without_bidi_controls(hostile_site, chromium):
    layout, _, _ = hostile_site
    # 03: the concordance of التضامن has the script tag in its preceding context,
    # the one of المجتمع الدولي the attribute breakout.
    page = chromium.open(layout.reports_dir / "03-context.html")
    try:
        cells = page.eval_on_selector_all("td", "els => els.map(e => e.textContent)")
        # The notebook's window is 6 words (tokens of kind word/number/latin): the
        # contexts start inside the hostile strings, which still read as text.
        assert "script>window.__pwned=1</script> إن" in cells
        assert 'src=x onerror="window.__pwned=2">' in cells
        assert "التضامن" in cells and "المجتمع الدولي" in cells
        # النضال (struggle) carries an RLO inside the word: shown without it.
        assert "النضال" in cells
        assert not any(BIDI_RE.search(c) for c in cells)
    finally:
        page.close()
    # 01: the token table shows the hostile tokens as text, never as markup.
    page = chromium.open(layout.reports_dir / "01-corpus-and-tokens.html")
    try:
        cells = page.eval_on_selector_all("td", "els => els.map(e => e.textContent)")
        assert "script" in cells and "onerror" in cells
        assert not any(BIDI_RE.search(c) for c in cells)
    finally:
        page.close()


@e2e
def test_65_failed_run_keeps_the_previous_good_pages(hostile_site, tmp_path):
    from analysis.report import NotebookExecutionError, build_reports

    layout, notebooks, parameters = hostile_site
    before = {p: p.read_bytes() for p in layout.reports_dir.rglob("*") if p.is_file()}
    missing = tmp_path / "no-such-metadata.csv"
    with pytest.raises(NotebookExecutionError) as info:
        build_reports(
            notebooks[:1], layout, {**parameters, "metadata": str(missing)}, log=lambda _: None
        )
    message = str(info.value)
    assert "ConfigError" in message and str(missing) in message
    after = {p: p.read_bytes() for p in layout.reports_dir.rglob("*") if p.is_file()}
    assert after == before  # no half page, no lost page


# --- encodings common for Arabic: converted only if the result is Arabic ------------
# (66-72) Each conversion must give back the very text that was encoded; a wrong
# one used to be analysed as garbage under a warning that claimed success.

DOTTED = SEED.replace("·", ".")  # ISO-8859-6 and Mac-Arabic have no middle dot


def test_dotted_seed_is_the_seed_for_the_counts(seed_hits):
    # The reference for 68 and 69: '.' ends the six sentences as '·' does.
    assert_same_counts(DOTTED, seed_hits)


@pytest.mark.parametrize(
    ("bom", "codec"), [(b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be")]
)
def test_66_utf32_with_bom(tmp_path, seed_hits, bom, codec):
    path = write(tmp_path, "u32.txt", bom + SEED.encode(codec))
    doc = loaded_with_warning(path, "converted from UTF-32")
    assert doc.encoding == "utf-32" and doc.text == SEED
    hits = assert_same_counts(doc.text, seed_hits)
    assert hits["start"].tolist() == seed_hits["start"].tolist()


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_67_utf32_without_bom(tmp_path, seed_hits, codec):
    # UTF-32's zero bytes also look like UTF-16: it used to be read as UTF-16, a
    # text of NUL characters between the letters, with 0 hits.
    path = write(tmp_path, "u32.txt", SEED.encode(codec))
    doc = loaded_with_warning(path, f"converted from {codec} without BOM")
    assert doc.encoding == codec and doc.text == SEED
    assert_same_counts(doc.text, seed_hits)


def test_68_iso_8859_6(tmp_path, seed_hits):
    # Read as Windows-1256 it gave Latin letters inside Arabic words (انوتçت).
    path = write(tmp_path, "iso.txt", DOTTED.encode("iso8859_6"))
    doc = loaded_with_warning(path, "decoded as ISO-8859-6")
    assert doc.encoding == "iso8859_6" and doc.text == DOTTED
    assert_same_counts(doc.text, seed_hits)


def test_69_mac_arabic(tmp_path, seed_hits):
    # Python's Mac-Arabic codec writes spaces and '.' as Apple's right-to-left
    # variants (0xA0, 0xAE), which ISO-8859-6 does not have.
    data = DOTTED.encode("mac_arabic")
    assert b"\xa0" in data and b"\xae" in data
    doc = loaded_with_warning(write(tmp_path, "mac.txt", data), "decoded as Mac-Arabic")
    assert doc.encoding == "mac_arabic" and doc.text == DOTTED
    assert_same_counts(doc.text, seed_hits)


def test_70_bytes_that_read_as_arabic_in_two_code_pages_are_refused(tmp_path):
    # انا بها بين in Windows-1256 are bytes that ISO-8859-6 reads as الا بما بل
    # (with a kasratan): common words both ways. Choosing would be a guess.
    data = "انا بها بين انا بها بين".encode("cp1256")
    assert data.decode("iso8859_6").replace("\u064d", "") == "الا بما بل الا بما بل"
    refused(write(tmp_path, "two.txt", data), "more than one code page", "ISO-8859-6", "re-save")


@pytest.mark.parametrize("codec", ["cp720", "cp864"])
def test_71_a_code_page_that_reads_as_garbage_is_refused(tmp_path, codec):
    # DOS code pages: no supported code page gives common Arabic words from them
    # (Windows-1256 used to "succeed", giving garbage and 0 hits).
    data = SEED.replace("·", ".").encode(codec, errors="replace")
    error = refused(
        write(tmp_path, "dos.txt", data), "not recognisable", "re-save the file as UTF-8"
    )
    assert "Windows-1256 (cp1256):" in str(error) and "Mac-Arabic:" in str(error)


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe" + ("\x00" * 30 + "التضامن مع الشعب").encode("utf-16-le"),
        ("التضامن\x00مع\x00الشعب\x00" * 10).encode("utf-16-be"),
    ],
    ids=["utf-16 with BOM", "utf-16-be without BOM"],
)
def test_72_a_decoded_text_with_nul_characters_is_refused(tmp_path, data):
    # The NUL check applies to the decoded text too, not only to UTF-8 bytes.
    refused(write(tmp_path, "nul16.txt", data), "NUL characters (U+0000", "decoded as utf-16")


# --- text copied from a PDF in visual order (73-76) --------------------------------
# A PDF shows each line left to right; copied in that (visual) order, the Arabic of
# each line is reversed and written in presentation forms. The damaged files are
# made as such a PDF copy is: shaped (arabic_reshaper) and laid out by the Unicode
# bidirectional algorithm (python-bidi), one sentence per line. The logical text
# of every line must come back exactly.


def visual_copy(logical: str) -> str:
    return "\n".join(
        get_display(arabic_reshaper.reshape(line), base_dir="R") for line in logical.split("\n")
    )


PDF_LINES = SEED.replace("· ", "·\n")  # six lines, one per sentence
MIXED_LINES = (
    "قال أوباما (Barack Obama) في مؤتمر UN / ONU إن التضامن واجب·\n"
    "انعقدت الندوة من ١٤ إلى ١٧ نوفمبر ۲۰۰۹ أي 14/11/2009 ثم 2009-11-14 بنسبة 50%·\n"
    "وقال «الوفد» إن Route 66 West و COVID19 [ليسا] موضوع النضال·"
)


def test_73_visual_order_from_a_pdf_is_put_back_in_reading_order(tmp_path, seed_hits):
    copy = visual_copy(PDF_LINES)
    # Words start with a final form: الشعب is copied as ﺐﻌﺸﻟﺍ.
    assert "\ufe90\ufecc\ufeb8\ufedf\ufe8d" in copy
    finals = [w for w in copy.split() if unicodedata.name(w[0], "").endswith("FINAL FORM")]
    assert len(finals) > 200
    # Before: folded and analysed reversed, with a warning that it was repaired.
    doc = loaded_with_warning(write(tmp_path, "pdf.txt", copy.encode()), "visual order")
    assert doc.text == arabic_reshaper.reshape(PDF_LINES)  # each line in reading order
    assert any("presentation-form" in w for w in doc.warnings)  # then folded, as in 33
    assert_same_counts(doc.text, seed_hits)


def test_74_visual_order_keeps_latin_words_numbers_and_brackets_readable(tmp_path):
    logical = arabic_reshaper.reshape(MIXED_LINES)
    doc = loaded_with_warning(
        write(tmp_path, "mixed.txt", visual_copy(MIXED_LINES).encode()), "visual order"
    )
    assert doc.text == logical
    for piece in (
        "(Barack Obama)",
        "UN / ONU",
        "14/11/2009",
        "2009-11-14",
        "Route 66 West",
        "COVID19",
        "50%",
    ):
        assert piece in doc.text
    # Some PDF copies take the mirrored glyph the PDF shows for a bracket at the
    # right-to-left level ("(" drawn as ")"): brackets that pair only once
    # mirrored back are mirrored back.
    mirrored = visual_copy(MIXED_LINES).translate(str.maketrans("()[]«»", ")(][»«"))
    doc = loaded_with_warning(
        write(tmp_path, "mirrored.txt", mirrored.encode()), "brackets mirrored back"
    )
    assert doc.text == logical


@pytest.mark.parametrize(
    ("logical", "phrase"),
    [
        ("قال الوفد في مؤتمر UN 2009 إن التضامن واجب·", "UN 2009"),  # also 2009 UN
        ("قال الوفد في مؤتمر COVID-19 إن التضامن واجب·", "COVID-19"),  # also 19-COVID
    ],
)
def test_75_visual_order_that_cannot_be_recovered_for_certain_is_refused(tmp_path, logical, phrase):
    path = write(tmp_path, "pdf.txt", visual_copy(logical).encode())
    with pytest.raises(CorpusError) as info:
        load_document(path)
    assert info.value.line == 1 and "cannot be" in str(info.value) and phrase in str(info.value)
    assert "Latin words and a number" in str(info.value)


def test_76_visual_and_reading_order_mixed_in_one_file_is_refused(tmp_path):
    typed = arabic_reshaper.reshape("أعلن الوفد التضامن مع الشعب·")  # reading order
    text = visual_copy(PDF_LINES.split("\n")[0]) + "\n" + typed
    path = write(tmp_path, "mixed-order.txt", text.encode())
    with pytest.raises(CorpusError, match="visual order on line 1 but in reading order on line 2"):
        load_document(path)


# --- metadata tables from spreadsheets, continued (77-83) ----------------------------


def test_77_metadata_header_naming_a_column_twice(tmp_path):
    # The last column used to win silently: here the second 'title' is empty.
    path = tmp_path / "metadata.csv"
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    path.write_text(META_HEADER.rstrip("\n") + ",title\n" + GOOD_ROW + ",\n", encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        read_metadata(path)
    assert info.value.line == 1
    assert "column 'title' is named twice in the header (columns 4 and 10)" in str(info.value)


def test_78_oversized_metadata_cell(tmp_path):
    # A quote never closed makes the rest of the table one field; csv raised a raw
    # csv.Error ("field larger than field limit") that named no file.
    rows = [GOOD_ROW, 'b,b.txt,ar,"unclosed title,,2009,year,,', "c" * 140_000]
    path = metadata(tmp_path, rows)
    with pytest.raises(CorpusError) as info:
        read_metadata(path)
    assert info.value.path == str(path) and info.value.line == 3
    assert "cannot be read as CSV" in str(info.value) and "never closed" in str(info.value)


@pytest.mark.parametrize("separator", [";", "\t"])
def test_79_metadata_separated_by_semicolons_or_tabs(tmp_path, separator):
    # What spreadsheet programs save as "CSV" in many locales: read like commas.
    comma = metadata(tmp_path, [GOOD_ROW, "b,a.txt,ar,T,,2009-12,month,,"])
    expected = read_metadata(comma)
    text = comma.read_text(encoding="utf-8").replace(",", separator)
    other = tmp_path / "other.csv"
    other.write_text(text, encoding="utf-8")
    pd.testing.assert_frame_equal(read_metadata(other), expected)
    # A header that has the columns with none of the three separators names it.
    broken = tmp_path / "broken.csv"
    broken.write_text(text.replace(separator, "|"), encoding="utf-8")
    with pytest.raises(
        CorpusError, match=r"line 1: missing column\(s\).*separated by commas, semicolons or tabs"
    ):
        read_metadata(broken)


def test_80_empty_date_precision_is_the_dates_own(tmp_path):
    # The README says: leave a field empty when it is not known.
    rows = ["a,a.txt,ar,T,,2009-11-14,,,", "b,a.txt,ar,T,,2009-12,,,", "c,a.txt,ar,T,,2009,,,",
            "d,a.txt,ar,T,,2009-11-14/2009-12-17,,,", "e,a.txt,,,,,,,"]  # fmt: skip
    table = read_metadata(metadata(tmp_path, rows))
    assert table["date_precision"].tolist() == ["day", "month", "year", "range", "unknown"]
    # A stated precision must still fit the date.
    with pytest.raises(CorpusError, match="precision 'month' but date_precision says 'day'"):
        read_metadata(metadata(tmp_path, ["a,a.txt,ar,T,,2009-11,day,,"]))


@pytest.mark.parametrize(
    ("date", "phrases"),
    [
        (
            "01/12/2009",
            ["ambiguous", "2009-12-01 if 1 is the day", "2009-01-12 if it is the month"],
        ),
        ("14/11/2009", ["another order", "YYYY-MM-DD: 2009-11-14"]),
        ("2009/11/14", ["2009-11-14", "'/' separates the two ends of an interval"]),
    ],
)
def test_81_dates_in_another_order_say_what_to_write(tmp_path, date, phrases):
    with pytest.raises(CorpusError) as info:
        read_metadata(metadata(tmp_path, [f"a,a.txt,ar,T,,{date},day,,"]))
    assert info.value.line == 2 and f"bad date '{date}'" in str(info.value)
    for phrase in phrases:
        assert phrase in str(info.value)


@pytest.mark.parametrize(
    ("doc_id", "phrase"),
    [('"a,b"', "contains a comma"), ('"a\nb"', "line break")],
    ids=["comma", "line break"],
)
def test_82_doc_ids_that_a_selection_cannot_name_are_refused(tmp_path, doc_id, phrase):
    # doc_ids lists ids with commas: an id holding one could never be selected alone.
    with pytest.raises(CorpusError, match=phrase) as info:
        read_metadata(metadata(tmp_path, [f"{doc_id},a.txt,ar,T,,2009,year,,"]))
    assert info.value.line == 2


def test_83_ids_of_every_allowed_shape_name_figures_safely():
    # Capitals, digits only, Arabic, dots and spaces are allowed ids; figure names
    # need lower-case ASCII, and two ids never share a name.
    from analysis.corpus import doc_slug

    ids = ["algiers-sahrawi-solidarity-2009", "Doc-A", "doc-a", "2009", "007", "مقال", "a.b c"]
    slugs = [doc_slug(i) for i in ids]
    assert slugs[0] == ids[0] and slugs[2] == "doc-a" and slugs[3:5] == ["2009", "007"]
    assert len(set(slugs)) == len(ids)
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9_-]*", s) for s in slugs)
    assert slugs[1].startswith("doc-a-") and slugs[5].startswith("doc-")


# --- files that are not regular files, or changed since registered (84-86) ----------


def test_84_a_named_pipe_is_named_as_such(tmp_path):
    # It used to be "not a file and not a doc_id"; read through its metadata row,
    # it would have waited forever for a writer.
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(CorpusError, match=r"cannot be read: it is a named pipe \(FIFO\)") as info:
        load_document(str(fifo))
    assert info.value.path == str(fifo)
    path = metadata(tmp_path, ["a,pipe.txt,ar,T,,2009,year,,"])
    with pytest.raises(
        CorpusError, match="'pipe.txt' for 'a' cannot be read: it is a named pipe"
    ) as info:
        read_metadata(path)
    assert info.value.line == 2


def test_85_a_device_is_named_as_such(tmp_path):
    # /dev/null read as a file looked like an empty article.
    with pytest.raises(CorpusError, match="it is a character device, not a regular file"):
        load_document(Path("/dev/null"))
    path = metadata(tmp_path, ["a,/dev/null,ar,T,,2009,year,,"])
    with pytest.raises(
        CorpusError, match="'/dev/null' for 'a' cannot be read: it is a character device"
    ):
        read_metadata(path)


def test_86_a_registered_file_loaded_by_path_is_verified(tmp_path):
    # Loaded by its path, a corpus file skipped its checksum: a file changed since
    # it was registered was analysed unverified.
    path = metadata(tmp_path, [GOOD_ROW])
    assert load_document(tmp_path / "a.txt", metadata=path).doc_id == "a"  # the row's id
    (tmp_path / "a.txt").write_text(ARTICLE.replace("التضامن", "الاستعمار"), encoding="utf-8")
    with pytest.raises(CorpusError, match="sha256 of 'a.txt'") as info:
        load_document(tmp_path / "a.txt", metadata=path)
    assert info.value.path == str(path) and info.value.line == 2


def test_86b_each_file_is_verified_and_decoded_from_the_same_bytes(tmp_path, monkeypatch):
    # A file that changes between two reads cannot slip through: every path reads
    # each file once and checks and decodes those bytes.
    from analysis.corpus import files

    path = metadata(tmp_path, [GOOD_ROW])
    reads = Counter()
    real = files.read_file

    def counting(file):
        reads[Path(file).name] += 1
        return real(file)

    monkeypatch.setattr("analysis.corpus.metadata.read_file", counting)
    monkeypatch.setattr("analysis.corpus.documents.read_file", counting)
    load_document("a", metadata=path)
    assert reads["a.txt"] == 1
    reads.clear()
    load_document(tmp_path / "a.txt", metadata=path)
    assert reads["a.txt"] == 1
    reads.clear()
    from analysis.corpus import iter_documents

    list(iter_documents(None, path))
    assert reads["a.txt"] == 1


# --- selections (87) ---------------------------------------------------------------


def test_87_a_document_selected_twice_is_refused(tmp_path):
    # "a,a" used to give neither the single nor the double count.
    path = metadata(tmp_path, [GOOD_ROW])
    with pytest.raises(ConfigError, match=r"doc_ids names \['a'\] more than once"):
        study.run("a,a", metadata=path)
    with pytest.raises(ConfigError, match="empty id"):
        study.run("a,", metadata=path)
    from analysis.corpus import iter_documents

    with pytest.raises(CorpusError, match=r"names \['a'\] more than once"):
        list(iter_documents(["a", "a"], path))


# --- notebook parameters, continued (88-91) -------------------------------------------

NOTEBOOK_FIXTURE = ROOT / "tests" / "fixtures" / "notebooks" / "01-rtl-fixture.ipynb"


def test_88_a_numeric_doc_id_parameter_stays_text(tmp_path):
    # -p doc_ids 2009 became the number 2009, and study.run crashed on it.
    import nbformat

    from analysis import paths
    from analysis.report.notebooks import coerce_parameter, declared_parameter_types

    checked = 0
    for notebook in sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb")):
        declared = declared_parameter_types(nbformat.read(notebook, as_version=4), notebook)
        if "doc_ids" not in declared:  # 05 and 06 do not analyse the user's corpus
            continue
        assert coerce_parameter("2009", declared["doc_ids"]) == "2009", notebook.name
        assert coerce_parameter("007", declared["doc_ids"]) == "007"
        assert coerce_parameter("None", declared["doc_ids"]) is None
        assert coerce_parameter("12", declared["metadata"]) == "12"
        checked += 1
    assert checked == 5
    path = metadata(tmp_path, [GOOD_ROW.replace("a,a.txt", "2009,a.txt", 1)])
    assert study.run("2009", metadata=path).documents["doc_id"].tolist() == ["2009"]
    # What papermill's own -p makes of it is refused, saying how to keep the text.
    with pytest.raises(ConfigError, match=r"is 2009 \(int\), not text.*-r doc_ids 2009"):
        study.run(2009, metadata=path)


def test_89_a_relative_metadata_parameter_says_where_it_was_resolved_from(tmp_path, monkeypatch):
    # Resolved from notebooks/ (the kernel's working directory) without saying so.
    from analysis import paths
    from analysis.report.build import _paths_for_notebooks

    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as info:
        study.run(metadata="corpus2/metadata.csv")
    assert info.value.path == str(tmp_path / "corpus2" / "metadata.csv")
    assert f"'corpus2/metadata.csv', relative to the working directory {tmp_path}" in str(
        info.value
    )
    # On the command line a relative path counts from where the command runs; the
    # notebooks get it relative to their own folder.
    monkeypatch.chdir(paths.PROJECT_ROOT)
    given = {"metadata": "corpus2/metadata.csv", "doc_ids": "a", "figures_dir": "/tmp/figs"}
    seen = _paths_for_notebooks(given, paths.NOTEBOOKS_DIR, log=lambda _: None)
    assert seen == {
        "metadata": "../corpus2/metadata.csv",
        "doc_ids": "a",
        "figures_dir": "/tmp/figs",
    }


def fake_execute(source, parameters=None, *, timeout=None):
    """Stand-in for a kernel: the notebook with its parameters, one figure saved."""
    import nbformat

    from analysis.report import inject_parameters

    nb = inject_parameters(nbformat.read(source, as_version=4), parameters or {})
    folder = Path(source).parent / parameters["figures_dir"]
    (folder / "fixture-bars.png").write_bytes(b"new figure")
    return nb


def fixture_project(tmp_path: Path) -> Path:
    """A folder with notebooks/ holding the report fixture notebook."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (notebooks / NOTEBOOK_FIXTURE.name).write_bytes(NOTEBOOK_FIXTURE.read_bytes())
    return notebooks


def test_90_figures_dir_is_honoured_in_a_parameterised_run(tmp_path, monkeypatch):
    # It was replaced by the run's own figures/ without a word.
    from analysis import report

    monkeypatch.setattr("analysis.report.build.execute_notebook", fake_execute)
    notebooks = fixture_project(tmp_path)
    figures = tmp_path / "my-figures"
    argv = ["--notebooks-dir", str(notebooks), "--output-dir", str(tmp_path / "out")]
    assert report.main([*argv, "-p", "figures_dir", str(figures)]) == 0
    assert (figures / "fixture-bars.png").read_bytes() == b"new figure"
    assert not (tmp_path / "out" / "figures").exists()
    executed = (tmp_path / "out" / "notebooks" / NOTEBOOK_FIXTURE.name).read_text(encoding="utf-8")
    assert "../my-figures" in executed  # the notebook shows where its figures are


@pytest.mark.parametrize("where", ["output-dir", "figures_dir", "metadata folder"])
def test_91_outputs_inside_a_corpus_folder_are_refused(tmp_path, monkeypatch, capsys, where):
    from analysis import paths, report

    monkeypatch.setattr("analysis.report.build.execute_notebook", fake_execute)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    monkeypatch.setattr(paths, "CORPUS_DIR", corpus)
    other = tmp_path / "corpus2"
    other.mkdir()
    notebooks = fixture_project(tmp_path)
    argv = ["--notebooks-dir", str(notebooks), "--output-dir", str(tmp_path / "out")]
    if where == "output-dir":
        argv[-1] = str(corpus / "run")
    elif where == "figures_dir":
        argv += ["-p", "figures_dir", str(corpus / "figures")]
    else:  # the figures would go next to another corpus's metadata table
        argv[-1] = str(other / "run")
        nb = NOTEBOOK_FIXTURE.read_text(encoding="utf-8").replace(
            "fail = False", "fail = False\\nmetadata = ''"
        )
        (notebooks / NOTEBOOK_FIXTURE.name).write_text(nb, encoding="utf-8")
        argv += ["-p", "metadata", str(other / "metadata.csv")]
    assert report.main(argv) == 2
    assert "inside the corpus folder" in capsys.readouterr().err
    assert sorted(p.name for p in corpus.iterdir()) == []
    assert sorted(p.name for p in other.iterdir()) == []


# --- a failed run leaves the previous outputs exactly as they were (92-95) ------------
# A good run first, then a run that fails at one point; afterwards every previous
# file is byte-identical with the same modification time, and no staging folder,
# temporary file or backup is left. The kernel is replaced by fake_execute (the
# real notebooks are in 65, 96 and tests/report).


def outputs_of(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def good_run(tmp_path, monkeypatch):
    """A fixture project after one good run into out/; returns (argv, out)."""
    from analysis import report

    monkeypatch.setattr("analysis.report.build.execute_notebook", fake_execute)
    notebooks = fixture_project(tmp_path)
    out = tmp_path / "out"
    argv = ["--notebooks-dir", str(notebooks), "--output-dir", str(out), "-p", "fail", "False"]
    assert report.main(argv) == 0
    (out / "figures" / "fixture-bars.png").write_bytes(b"previous figure")
    return argv, out


def assert_untouched(out: Path, before: dict) -> None:
    assert outputs_of(out) == before
    assert not (out / ".staging").exists()
    assert not [p for p in out.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]


def fail_at(monkeypatch, target: str, where: str, error: BaseException) -> None:
    """Make ``target`` raise ``error`` for the file whose path ends with ``where``.

    ``target`` is ``module.function``: ``write_atomic(path, data)`` or
    ``os.replace(source, destination)`` (whose error names both files, as the
    system's does). Its other calls work as usual.
    """
    module, name = target.rsplit(".", 1)
    real = getattr(__import__(module, fromlist=[name]), name)

    def failing(*args, **kwargs):
        path = str(args[-1 if name == "replace" else 0])
        if not path.endswith(where):
            return real(*args, **kwargs)
        if isinstance(error, OSError) and name == "replace":
            raise type(error)(error.errno, error.strerror, str(args[0]), None, path)
        raise error

    monkeypatch.setattr(target, failing)


FULL = OSError(28, "No space left on device")  # what write() raises: no file name
DENIED = PermissionError(13, "Permission denied")


@pytest.mark.parametrize(
    ("target", "where", "error", "named"),
    [
        # disk full while the pages are staged
        (
            "analysis.report.build.write_atomic",
            "no-code/01-rtl-fixture.html",
            FULL,
            ".staging/reports/no-code",
        ),
        # a destination that refuses the rename, half-way through the swap: the
        # executed notebook is already in place and must be put back
        (
            "os.replace",
            "out/reports/01-rtl-fixture.html",
            DENIED,
            "out/reports/01-rtl-fixture.html",
        ),
        # interrupted (Ctrl-C) half-way through the swap
        ("os.replace", "out/reports/index.html", KeyboardInterrupt(), None),
    ],
    ids=["disk full while staging", "refused while swapping", "interrupted while swapping"],
)
def test_92_a_run_failing_at_any_point_changes_no_output(
    good_run, monkeypatch, capsys, target, where, error, named
):
    from analysis import report

    argv, out = good_run
    before = outputs_of(out)
    capsys.readouterr()
    fail_at(monkeypatch, target, where, error)
    if named is None:
        with pytest.raises(KeyboardInterrupt):
            report.main(argv)
    else:
        assert report.main(argv) == 1
        message = capsys.readouterr().err
        assert message.startswith("error: ") and named in message and "Traceback" not in message
        assert message.count("\n") == 1 and "previous reports and figures are unchanged" in message
    monkeypatch.undo()
    assert_untouched(out, before)


def test_93_a_destination_that_cannot_be_written_is_found_before_any_work(
    good_run, monkeypatch, capsys
):
    # reports/ read-only: refused before any notebook runs, naming the folder.
    from analysis import report
    from analysis.report import build

    argv, out = good_run
    before = outputs_of(out)
    capsys.readouterr()
    ran = []
    monkeypatch.setattr(build, "execute_notebook", lambda *a, **k: ran.append(a))
    real_access = os.access
    monkeypatch.setattr(
        "analysis.report.staging.os.access",
        lambda path, mode: Path(path) != out / "reports" and real_access(path, mode),
    )
    assert report.main(argv) == 1
    message = capsys.readouterr().err
    assert f"{out / 'reports'}: cannot write" in message and "nothing was run" in message
    assert ran == []
    assert_untouched(out, before)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_93b_a_read_only_reports_folder(good_run, capsys):
    from analysis import report

    argv, out = good_run
    before = outputs_of(out)
    (out / "reports").chmod(0o555)
    try:
        assert report.main(argv) == 1
    finally:
        (out / "reports").chmod(0o755)
    assert "reports: cannot write" in capsys.readouterr().err
    assert_untouched(out, before)


def test_94_a_commit_killed_half_way_is_undone_by_the_next_run(tmp_path):
    # A process killed between two renames of the swap leaves new and old files
    # mixed; the next run puts the old ones back before it starts.
    import subprocess
    import sys

    from analysis.report.staging import Staging

    final = {"reports": tmp_path / "reports", "figures": tmp_path / "figures"}
    for folder in final.values():
        folder.mkdir()
        for name in ("a.html", "b.html", "c.html"):
            (folder / name).write_text(f"old {name}", encoding="utf-8")
    before = outputs_of(tmp_path)
    script = f"""
import os, sys
from pathlib import Path
from analysis.report import staging
targets = {{"reports": Path({str(final["reports"])!r}), "figures": Path({str(final["figures"])!r})}}
run = staging.Staging(Path({str(tmp_path / ".staging")!r}), targets)
run.__enter__()
for name in targets:
    for file in ("a.html", "b.html", "c.html", "new.html"):
        (run.folder(name) / file).write_text("new " + file)
real = os.replace
count = iter(range(100))
def replace(a, b):
    if next(count) == 5:
        os._exit(9)  # killed: no cleanup of any kind
    real(a, b)
staging.os.replace = replace
run.commit(lambda _: None)
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=False, timeout=60)
    assert result.returncode == 9
    mixed = outputs_of(tmp_path)
    assert mixed != before and (tmp_path / ".staging" / "commit.json").exists()
    with Staging(tmp_path / ".staging", final):
        pass  # the next run starts: the killed commit is undone
    assert outputs_of(tmp_path) == before


def test_95_a_killed_report_run_leaves_the_previous_outputs_and_is_cleaned_up(tmp_path):
    # make report killed in the middle of a notebook (a real kernel): nothing is
    # swapped in; the staging folder it leaves is removed by the next run.
    import signal
    import subprocess
    import sys
    import time

    import nbformat
    import psutil

    notebooks = fixture_project(tmp_path)
    kernels: list = []
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "analysis.report",
        "--notebooks-dir",
        str(notebooks),
        "--output-dir",
        str(out),
    ]
    subprocess.run(
        [*command, "-p", "fail", "False"], cwd=ROOT, check=True, timeout=300, capture_output=True
    )
    before = outputs_of(out)
    # A second notebook that saves a figure, then waits to be killed.
    slow = nbformat.read(NOTEBOOK_FIXTURE, as_version=4)
    slow.cells.append(nbformat.v4.new_code_cell("import time\ntime.sleep(120)", id="wait"))
    nbformat.write(slow, notebooks / "02-slow.ipynb")
    run = subprocess.Popen([*command, "-p", "fail", "False"], cwd=ROOT, start_new_session=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        staged = out / ".staging" / "figures" / "fixture-bars.png"
        deadline = time.monotonic() + 240
        while not staged.exists():
            assert time.monotonic() < deadline and run.poll() is None
            time.sleep(0.2)
        time.sleep(3)  # a notebook is running: 01's last cells or 02's wait
        kernels = psutil.Process(run.pid).children(recursive=True)
        os.killpg(run.pid, signal.SIGKILL)  # the run's own process group
        run.wait(timeout=30)
        psutil.wait_procs(kernels, timeout=20)  # a kernel exits when its parent is gone
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
        for kernel in kernels:
            if kernel.is_running():
                kernel.kill()
    after_kill = outputs_of(out)
    assert {k: v for k, v in after_kill.items() if not k.startswith(".staging/")} == before
    (notebooks / "02-slow.ipynb").unlink()
    subprocess.run(
        [*command, "-p", "fail", "False"], cwd=ROOT, check=True, timeout=300, capture_output=True
    )
    assert not (out / ".staging").exists()
    assert set(outputs_of(out)) == set(before)


# --- every notebook runs on every valid document (96) ---------------------------------
# Edge documents, run through all five notebooks in real kernels. Counted by reading:
#   2009     التضامن: one word, one sentence (no terminator), 1 hit (ال + تضامن,
#            solidarity), no actor, no quote; an id of digits only
#   no-hits  ذهب الولد إلى المدرسة صباحا· ثم عاد إلى البيت مساء·: 2 sentences,
#            5 + 5 words, no framing word, no actor, no quote
#   Doc-A    أعلن الوفد تضامنه مع الشعب الصحراوي· وقال الناشط «التضامن واجب»·:
#            2 sentences, 6 + 4 words; hits تضامنه (solidarity), الناشط (struggle),
#            التضامن (solidarity, quoted: «…» after وقال); actor الشعب الصحراوي;
#            one quote, speech; an id with a capital letter
#   مقال.1   طالب المجتمع الدولي بإنهاء الاحتلال في الصحراء الغربية·: one sentence,
#            8 words; hits المجتمع الدولي (international), الاحتلال (colonialism);
#            actor الصحراء الغربية; an Arabic id with a dot
# All four: 6 sentences, 1 + 10 + 10 + 8 = 29 words, 6 hits (1 quoted), 2 actor
# mentions, 1 quote.

EDGE_DOCUMENTS = {
    "2009": "التضامن\n",
    "no-hits": "ذهب الولد إلى المدرسة صباحا· ثم عاد إلى البيت مساء·\n",
    "Doc-A": "أعلن الوفد تضامنه مع الشعب الصحراوي· وقال الناشط «التضامن واجب»·\n",
    "مقال.1": "طالب المجتمع الدولي بإنهاء الاحتلال في الصحراء الغربية·\n",
}


#: The notebooks that analyse the corpus of the metadata table they are given.
CORPUS_NOTEBOOKS = ("00", "01", "02", "03", "04")


@pytest.fixture(scope="module")
def edge_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One report run per selection (2009 alone, no-hits alone, all four) through the CLI."""
    from analysis import paths, report

    root = tmp_path_factory.mktemp("edge")
    corpus = root / "corpus"  # outputs may not go into the corpus folder
    corpus.mkdir()
    rows = []
    for number, (doc_id, text) in enumerate(EDGE_DOCUMENTS.items()):
        (corpus / f"doc{number}.txt").write_text(text, encoding="utf-8")
        rows.append(f'"{doc_id}",doc{number}.txt,ar,T,,2009,year,,{sha(text)}\n')
    (corpus / "metadata.csv").write_text(META_HEADER + "".join(rows), encoding="utf-8")
    runs = {}
    for selection in ("2009", "no-hits", None):
        out = root / f"out-{selection or 'all'}"
        argv = ["--notebooks-dir", str(paths.NOTEBOOKS_DIR), "--output-dir", str(out)]
        for name in CORPUS_NOTEBOOKS:  # 05 and 06 measure on the ANT corpus, not this one
            argv += ["--notebook", name]
        argv += ["-p", "metadata", str(corpus / "metadata.csv")]
        if selection is not None:
            argv += ["-p", "doc_ids", selection]
        assert report.main(argv) == 0, selection
        runs[selection or "all"] = out
    return runs


def notebook_text(out: Path, name: str) -> str:
    import nbformat

    nb = nbformat.read(out / "notebooks" / f"{name}.ipynb", as_version=4)
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error", (name, cell.get("id"))
            parts += [str(v) for v in output.get("data", {}).values()] + [output.get("text", "")]
    return "\n".join(parts)


@pytest.mark.slow
@pytest.mark.notebook
@pytest.mark.xdist_group("edge-notebooks")
@pytest.mark.parametrize(
    ("run", "numbers"),
    [
        ("2009", (1, 1, 1, 0, 0, 1, 0, 0)),
        ("no-hits", (1, 2, 10, 0, 0, 0, 0, 0)),
        ("all", (4, 6, 29, 1, 1, 6, 1, 2)),
    ],
)
def test_96_every_notebook_runs_on_edge_documents(edge_runs, run, numbers):
    # Before: one sentence crashed 03 (a NaN in a table), no actor failed 04 (and
    # so the report), a capital in an id broke a figure name, -p doc_ids 2009
    # became a number.
    from analysis.corpus import doc_slug

    out = edge_runs[run]
    documents, sentences, words, quotes, speech, hits, quoted, actors = numbers
    overview = notebook_text(out, "00-overview")
    assert f"**{documents}** document(s): **{sentences}** sentences, **{words}** words" in overview
    assert f"**{quotes}** quoted spans, of which {speech} are reported speech" in overview
    found = f"it finds **{hits}** frame hits, {quoted} of them inside quoted speech"
    assert f"{found}, and {actors} mentions" in overview
    for name in ("01-corpus-and-tokens", "02-framing-terms", "03-context"):
        notebook_text(out, name)  # every cell ran without error
    voices = notebook_text(out, "04-actors-and-voices")
    assert ("No actor of the actor lexicon is named" in voices) == (actors == 0)
    assert f"The text quotes **{speech}** passage(s) of speech" in voices
    with_hits = {"2009": ["2009"], "no-hits": [], "all": ["2009", "Doc-A", "مقال.1"]}[run]
    dispersion = {p.stem for p in (out / "figures").glob("frame-dispersion-*.png")}
    assert dispersion == {f"frame-dispersion-{doc_slug(d)}" for d in with_hits}
    assert ((out / "figures" / "actor-cooccurrence.png").exists()) == (actors > 0)
