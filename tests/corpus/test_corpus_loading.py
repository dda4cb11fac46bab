"""Loading documents and the metadata table: encodings, hostile files, read-only."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from analysis.corpus import iter_documents, load_document, read_metadata
from analysis.engine import analyse_document
from analysis.errors import AnalysisError, CorpusError, TextWarning

ARABIC = "انتهت الندوة الدولية في الجزائر، وقال المشاركون إن القضية عادلة·\n"
SEED = "algiers-sahrawi-solidarity-2009"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_seed_by_id_and_by_path(project_root):
    by_id = load_document(SEED)
    by_path = load_document(project_root / "corpus" / f"{SEED}.txt")
    assert by_id.text == by_path.text
    assert by_id.doc_id == by_path.doc_id == SEED
    assert by_id.encoding == "utf-8"
    assert by_id.warnings == []
    assert len(by_id.text) == 2237  # 4088 bytes: 1849 two-byte + 388 one-byte chars


def test_utf8_bom_is_dropped_and_offsets_count_from_first_letter(tmp_path):
    path = write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + ARABIC.encode())
    doc = load_document(path)
    assert doc.text == ARABIC
    assert doc.encoding == "utf-8-sig"
    tokens = analyse_document(path).tokens
    assert tokens.iloc[0].start == 0 and tokens.iloc[0].surface == "انتهت"


@pytest.mark.parametrize(
    ("data", "encoding", "fragment"),
    [
        (b"\xff\xfe" + ARABIC.encode("utf-16-le"), "utf-16", "UTF-16"),
        (b"\xfe\xff" + ARABIC.encode("utf-16-be"), "utf-16", "UTF-16"),
        (ARABIC.encode("utf-16-le"), "utf-16-le", "without BOM"),
        (ARABIC.encode("cp1256"), "cp1256", "Windows-1256"),
    ],
)
def test_other_encodings_converted_with_warning(tmp_path, data, encoding, fragment):
    path = write(tmp_path, "enc.txt", data)
    with pytest.warns(TextWarning, match=fragment) as record:
        doc = load_document(path)
    assert str(path) in str(record[0].message)
    assert doc.text == ARABIC
    assert doc.encoding == encoding


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty"),
        (b"  \n\t\r\n  ", "only whitespace"),
        (
            b"The international conference ended in Algiers with a declaration "
            b"of solidarity with the Sahrawi people.",
            "non-Arabic",
        ),
        (
            "La conférence internationale s'est achevée à Alger par une déclaration.".encode(),
            "non-Arabic",
        ),
        (ARABIC.encode()[:20] + b"\xff\xfe\xfd" + ARABIC.encode()[20:], "invalid UTF-8"),
        (ARABIC.encode()[:10] + b"\x00\x00" + ARABIC.encode()[10:], "NUL"),
        (
            b"<!DOCTYPE html><html><head><title>x</title></head><body><p>"
            + ARABIC.encode()
            + b"</p></body></html>",
            "HTML",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", "NUL"),
    ],
)
def test_hostile_files_refused_with_file_name(tmp_path, data, fragment):
    path = write(tmp_path, "bad.txt", data)
    with pytest.raises(CorpusError, match=fragment) as info:
        load_document(path)
    assert str(path) in str(info.value)
    assert isinstance(info.value, AnalysisError)


def test_invalid_utf8_names_byte_and_line(tmp_path):
    data = ARABIC.encode() + "سطر ثان".encode() + b"\xc3\x28"
    path = write(tmp_path, "bad.txt", data)
    # The bad byte 0xc3 sits right after the first line + "سطر ثان" (13 bytes).
    offset = len(ARABIC.encode()) + len("سطر ثان".encode())
    with pytest.raises(CorpusError, match=f"byte {offset} .*line 2"):
        load_document(path)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("نص\u202eمقلوب", "bidi"),
        ("نص\u2067معزول\u2069", "bidi"),
        ("كل\u200cمة", "zero-width"),
        ("کتاب فارسی", "Persian/Urdu"),
        ("ﺑﺴﻢ ﺍﻟﻠﻪ", "presentation-form"),
        ("جميـــــل جدا", "tatweel"),
    ],
)
def test_invisible_or_unusual_characters_warn_with_file_name(tmp_path, text, fragment):
    path = write(tmp_path, "odd.txt", text.encode())
    with pytest.warns(TextWarning, match=fragment) as record:
        doc = load_document(path)
    assert str(path) in str(record[0].message)
    assert doc.text == text  # the original is kept; normalization repairs
    assert any(fragment in w for w in doc.warnings)


def test_loading_is_read_only(tmp_path):
    path = write(tmp_path, "doc.txt", b"\xef\xbb\xbf" + ARABIC.encode("utf-8"))
    os.utime(path, (1_000_000_000, 1_000_000_000))
    before = (path.read_bytes(), path.stat().st_mtime, sorted(os.listdir(tmp_path)))
    path.chmod(0o444)
    load_document(path)
    analyse_document(path)
    after = (path.read_bytes(), path.stat().st_mtime, sorted(os.listdir(tmp_path)))
    assert after == before


# ---- metadata table -----------------------------------------------------------

HEADER = "doc_id,file,language,title,outlet,date,date_precision,notes,sha256\n"


def make_corpus(tmp_path: Path, rows: list[str], files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    meta = tmp_path / "metadata.csv"
    meta.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return meta


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_good_metadata_and_streaming(tmp_path):
    meta = make_corpus(
        tmp_path,
        [
            f"a,a.txt,ar,Title A,,2009-11-14,day,,{sha(ARABIC)}",
            f'b,b.txt,ar,"Title, B",Outlet,2009-11,month,"note, with comma",{sha(ARABIC * 2)}',
        ],
        {"a.txt": ARABIC, "b.txt": ARABIC * 2},
    )
    frame = read_metadata(meta)
    assert frame.doc_id.tolist() == ["a", "b"]
    assert frame.loc[1, "title"] == "Title, B"
    docs = iter_documents(metadata=meta)
    assert next(docs).doc_id == "a"  # a generator: one document at a time
    assert next(docs).text == ARABIC * 2
    assert [d.doc_id for d in iter_documents(["b"], metadata=meta)] == ["b"]
    assert load_document("b", metadata=meta).text == ARABIC * 2


@pytest.mark.parametrize(
    ("rows", "line", "fragment"),
    [
        # line 3 names a file that does not exist
        (
            [f"a,a.txt,ar,T,,2009,year,,{sha(ARABIC)}", "b,missing.txt,ar,T,,2009,year,,"],
            3,
            "not found",
        ),
        # duplicate id on line 3 (first on line 2)
        (
            [f"a,a.txt,ar,T,,2009,year,,{sha(ARABIC)}", f"a,a.txt,ar,T,,2009,year,,{sha(ARABIC)}"],
            3,
            "duplicate doc_id",
        ),
        ([f"a,a.txt,ar,T,,2009-13-01,day,,{sha(ARABIC)}"], 2, "bad date"),
        ([f"a,a.txt,ar,T,,14/11/2009,day,,{sha(ARABIC)}"], 2, "bad date"),
        ([f"a,a.txt,ar,T,,2009-12-17/2009-11-14,range,,{sha(ARABIC)}"], 2, "ends before"),
        ([f"a,a.txt,ar,T,,2009-11,day,,{sha(ARABIC)}"], 2, "precision"),
        ([f"a,a.txt,ar,T,,2009,year,,{sha('something else')}"], 2, "sha256"),
        (["a,a.txt,ar,T,,2009,year,,abc"], 2, "64 hex"),
    ],
)
def test_bad_metadata_names_file_and_line(tmp_path, rows, line, fragment):
    meta = make_corpus(tmp_path, rows, {"a.txt": ARABIC})
    with pytest.raises(CorpusError, match=fragment) as info:
        read_metadata(meta)
    assert info.value.path == str(meta)
    assert info.value.line == line
    assert f"line {line}" in str(info.value)


def test_line_numbers_survive_multiline_fields(tmp_path):
    rows = [
        f'a,a.txt,ar,T,,2009,year,"a note\nover two lines",{sha(ARABIC)}',
        f"a,a.txt,ar,T,,2009,year,,{sha(ARABIC)}",
    ]
    meta = make_corpus(tmp_path, rows, {"a.txt": ARABIC})
    with pytest.raises(CorpusError, match="duplicate") as info:
        read_metadata(meta)
    assert info.value.line == 4  # header 1, first record 2–3, second record 4


def test_unknown_id_is_a_corpus_error(tmp_path):
    meta = make_corpus(tmp_path, [f"a,a.txt,ar,T,,2009,year,,{sha(ARABIC)}"], {"a.txt": ARABIC})
    with pytest.raises(CorpusError, match="no document 'zzz'"):
        load_document("zzz", metadata=meta)
    with pytest.raises(CorpusError, match="unknown doc_id"):
        list(iter_documents(["zzz"], metadata=meta))


def test_project_metadata_is_valid():
    frame = read_metadata()
    assert SEED in set(frame.doc_id)
