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
import re
import warnings
from collections import Counter
from pathlib import Path

import arabic_reshaper
import matplotlib
import pandas as pd
import pytest
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
