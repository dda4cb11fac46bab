"""One call that runs the whole pipeline for the notebooks.

Every notebook starts from the same tables; computing them here (and only here)
keeps the notebooks thin and free of copied logic. :func:`run` loads the selected
documents from the metadata table, runs the text stage, matches the frame and
actor lexicons and returns a :class:`Study` holding every tidy table. The
measures and charts are then one call each, in :mod:`analysis.measures` and
:mod:`analysis.charts`.

The notebooks' ``parameters`` cell feeds :func:`run` (``doc_ids``, ``metadata``,
``lexicon_dir``), so the same notebook runs on another article or a corpus
selection, for example with papermill or ``python -m analysis.report -p …``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import measures
from analysis.corpus import iter_documents, read_metadata
from analysis.engine import Vocabulary, analyse_texts
from analysis.errors import ConfigError
from analysis.lexicon import Matcher, Tokens, coverage, load_actor_lexicon, load_frame_lexicon
from analysis.paths import FIGURES_DIR, LEXICON_DIR, METADATA_FILE

#: The coverage report's reasons, as the overview and the notebooks show them.
READABLE_REASONS = {
    "guard": "set aside by a sense guard",
    "partial_phrase": "first word of a multi-word term",
    "exact_with_clitics": "exact term written with clitics",
    "unlisted_variant": "lexicon word with an unlisted ending",
}


@dataclass
class Study:
    """Every table of one analysis run (columns: ``docs/design.md``)."""

    documents: pd.DataFrame
    tokens: pd.DataFrame
    sentences: pd.DataFrame
    quotes: pd.DataFrame
    repairs: pd.DataFrame
    types: pd.DataFrame
    frames: pd.DataFrame
    actors: pd.DataFrame
    frame_terms: pd.DataFrame
    hits: pd.DataFrame
    actor_hits: pd.DataFrame
    exclusions: pd.DataFrame
    coverage: pd.DataFrame
    figures_dir: Path = field(default=FIGURES_DIR)

    @property
    def words(self) -> pd.DataFrame:
        """Word tokens only (``kind == "word"``), the unit of every rate."""
        return self.tokens[self.tokens["kind"] == measures.WORD_KIND]

    def frame_label(self, frame: str, *, arabic: bool = True, sep: str = "\n") -> str:
        """The English label of a frame id, with its Arabic label on a second line.

        Each language on its own line keeps chart labels readable: a line mixing
        a long English label with Arabic would wrap in the middle of either.
        """
        row = self.frames.loc[self.frames["frame"] == frame]
        if row.empty:
            return frame
        label = str(row["label_en"].iloc[0])
        return f"{label}{sep}{row['label_ar'].iloc[0]}" if arabic else label

    def actor_labels(self) -> dict[str, str]:
        """Actor id → English label and Arabic label on two lines (for charts)."""
        labels = self.actors["label_en"] + "\n" + self.actors["label_ar"]
        return dict(zip(self.actors["actor"], labels, strict=True))

    def frame_caption(self, frame: str) -> str:
        """Return ``English label (Arabic label)``, for captions and prose.

        In brackets after the English, the Arabic label keeps a following count or
        colon in place (a bare Arabic label would pull a following number into its
        right-to-left run).
        """
        english = self.frame_label(frame, arabic=False)
        arabic = self.frame_label(frame).split("\n", 1)[-1]
        return english if arabic == english else f"{english} ({arabic})"

    def frame_table(self) -> pd.DataFrame:
        """Frames with their labels and hit counts (zero for frames without hits)."""
        counts = measures.count_frames(self.hits).set_index("frame")["n"]
        table = self.frames.loc[:, ["frame", "label_en", "label_ar"]].copy()
        table["n"] = table["frame"].map(counts).fillna(0).astype(int)
        return table.sort_values(["n", "frame"], ascending=[False, True], kind="stable")

    def labelled(self, table: pd.DataFrame, column: str = "frame") -> pd.DataFrame:
        """A copy of ``table`` whose frame ids are replaced by bilingual labels (for charts)."""
        out = table.copy()
        out[column] = out[column].map(lambda f: self.frame_label(str(f)))
        return out

    def term_collocations(
        self, *, min_hits: int = 2, span: int = 4, min_freq: int = 2
    ) -> pd.DataFrame:
        """Collocates of every framing term found at least ``min_hits`` times.

        The node is the bare form of the hit's first word (for الأمم المتحدة:
        أمم); measures as in :func:`analysis.measures.collocations`.
        """
        counts = measures.count_terms(self.hits)
        frequent = set(counts.loc[counts["n"] >= min_hits, "term"])
        first = self.hits.loc[self.hits["term"].isin(frequent), ["doc_id", "token_start"]]
        heads = self.tokens.merge(
            first, left_on=["doc_id", "index"], right_on=["doc_id", "token_start"]
        )
        tables = [
            measures.collocations(self.tokens, node, span=span, min_freq=min_freq)
            for node in sorted(set(heads["bare"]))
        ]
        tables = [t for t in tables if len(t)]
        if not tables:
            return measures.collocations(self.tokens, "", span=span, min_freq=min_freq).iloc[0:0]
        return pd.concat(tables, ignore_index=True)

    def readable(self, table: pd.DataFrame) -> pd.DataFrame:
        """A copy of ``table`` for readers: labels for ids, written forms beside normalized ones.

        Frame and actor ids become their labels, coverage reasons plain words;
        ``node``/``collocate`` (normalized forms) get their most frequent written
        form beside them; ``doc_id`` goes when the run has one document, and
        bookkeeping columns (``line``, ``entry_id``) go.
        """
        out = table.drop(columns=[c for c in ("line", "entry_id") if c in table.columns])
        if len(self.documents) == 1 and "doc_id" in out.columns:
            out = out.drop(columns="doc_id")
        if "frame" in out.columns:
            out["frame"] = out["frame"].map(lambda f: self.frame_caption(str(f)))
        if "actor" in out.columns:
            labels = dict(zip(self.actors["actor"], self.actors["label_en"], strict=True))
            out["actor"] = out["actor"].map(lambda a: labels.get(a, a))
        if "reason" in out.columns:
            out["reason"] = out["reason"].map(lambda r: READABLE_REASONS.get(r, r))
        written = self._written_forms()
        for column in ("node", "collocate"):
            if column in out.columns:
                position = list(out.columns).index(column) + 1
                out.insert(position, f"{column} as written", out[column].map(written).fillna(""))
        return out

    def _written_forms(self) -> dict[str, str]:
        """Each bare or normalized form with its most frequent written form in the run."""
        words = self.words
        forms: dict[str, str] = {}
        for column in ("bare", "normalized"):
            pairs = words.groupby([column, "surface"], observed=True).size().reset_index(name="n")
            pairs = pairs.sort_values(["n", "surface"], ascending=[False, True], kind="stable")
            for form, surface in zip(pairs[column], pairs["surface"], strict=True):
                forms.setdefault(str(form), str(surface))
        return forms

    def summary(self) -> dict[str, int]:
        """Headline numbers quoted in the notebooks' prose (all computed, never typed)."""
        words = self.words
        applied = self.repairs[~self.repairs["vetoed"].astype(bool)] if len(self.repairs) else None
        repairs = 0 if applied is None else int(len(applied))
        extra_words = (
            0
            if applied is None
            else int(sum(len(str(r).split()) - 1 for r in applied["replacement"]))
        )
        return {
            "documents": int(len(self.documents)),
            "sentences": int(len(self.sentences)),
            "words": int(len(words)),
            "tokens": int(len(self.tokens)),
            "word_types": int(words["normalized"].nunique()),
            "repairs": repairs,
            # A repair splits one written word into several: without repairs, each
            # repaired group counts as the single word the file shows.
            "words_without_repairs": int(len(words)) - extra_words,
            "quotes": int(len(self.quotes)),
            "speech_quotes": int((self.quotes["kind"] == "speech").sum()),
            "hits": int(len(self.hits)),
            "quoted_hits": int((self.hits["voice"] == "quoted").sum()),
            "frames_found": int(self.hits["frame"].nunique()),
            "frames_declared": int(len(self.frames)),
            "lexicon_terms": int(len(self.frame_terms)),
            "actor_hits": int(len(self.actor_hits)),
            "guard_exclusions": int(len(self.exclusions)),
        }


def _wanted_ids(doc_ids: str | Iterable[str]) -> list[str]:
    """The ids a ``doc_ids`` parameter names: a comma-separated string or a list of strings."""
    if isinstance(doc_ids, str):
        wanted = [d.strip() for d in doc_ids.split(",")]
        if "" in wanted:
            raise ConfigError(
                f"parameter doc_ids {doc_ids!r} has an empty id (two commas in a row, or a "
                "comma at either end)"
            )
        return wanted
    if isinstance(doc_ids, (list, tuple)) and all(isinstance(d, str) for d in doc_ids):
        return list(doc_ids)
    raise ConfigError(
        f"parameter doc_ids is {doc_ids!r} ({type(doc_ids).__name__}), not text: give the "
        'ids as a string ("2009" or "id1,id2"); papermill reads -p doc_ids 2009 as a '
        "number, -r doc_ids 2009 keeps it as text"
    )


def _selection(documents: pd.DataFrame, doc_ids: str | Iterable[str] | None) -> pd.DataFrame:
    """The rows of ``documents`` named by ``doc_ids`` (a string may list ids with commas).

    ``None`` or an empty string selects every document. A document named twice,
    an id not in the table, or ids that are not text are refused.
    """
    if doc_ids is None or doc_ids == "":
        return documents
    wanted = _wanted_ids(doc_ids)
    repeated = sorted({d for d in wanted if wanted.count(d) > 1})
    if repeated:
        raise ConfigError(
            f"parameter doc_ids names {repeated} more than once; name each document once "
            "(counting it once or twice would both be a silent choice)"
        )
    unknown = [d for d in wanted if d not in set(documents["doc_id"])]
    if unknown:
        raise ConfigError(
            f"parameter doc_ids names {unknown}, which are not in the metadata table "
            f"(known: {sorted(documents['doc_id'])})"
        )
    return documents.set_index("doc_id").loc[wanted].reset_index()


def _parameter_path(value: str | Path, name: str) -> Path:
    """A path parameter made absolute: relative paths count from the working directory.

    In a notebook the working directory is the notebook's folder (``notebooks/``),
    as in JupyterLab and in ``python -m analysis.report``; error messages name the
    absolute path, so where a relative one led is never hidden.
    """
    if not isinstance(value, (str, Path)) or str(value) == "":
        raise ConfigError(f"parameter {name} must be a path (text); got {value!r}")
    return Path.cwd() / Path(value).expanduser()


def _describe_relative(value: str | Path) -> str:
    """`` 'x.csv', relative to <cwd>`` for a relative parameter, empty for an absolute one."""
    if Path(value).expanduser().is_absolute():
        return ""
    return f" {str(value)!r}, relative to the working directory {Path.cwd()}"


def run(
    doc_ids: str | Iterable[str] | None = None,
    *,
    metadata: str | Path = METADATA_FILE,
    lexicon_dir: str | Path = LEXICON_DIR,
    figures_dir: str | Path = FIGURES_DIR,
) -> Study:
    """Load, analyse and match the selected documents; return every table.

    ``doc_ids`` is ``None`` (all documents of the metadata table), a list of ids,
    or a comma-separated string of ids (convenient as a notebook parameter); each
    document may be named once. Relative paths count from the working directory
    (a notebook's own folder). Problems with any input (missing file, bad
    metadata, malformed lexicon) raise the project's documented errors, which
    name the file and the problem.
    """
    given = metadata
    metadata = _parameter_path(metadata, "metadata")
    lexicon_dir = _parameter_path(lexicon_dir, "lexicon_dir")
    figures_dir = _parameter_path(figures_dir, "figures_dir")
    if not metadata.is_file():
        what = "is not a file" if metadata.exists() else "not found"
        raise ConfigError(
            f"metadata table {what} (parameter metadata{_describe_relative(given)})", metadata
        )
    documents = _selection(read_metadata(metadata), doc_ids)
    vocabulary = Vocabulary()
    loaded = iter_documents(documents, metadata)
    text = analyse_texts(((d.doc_id, d.text) for d in loaded), vocabulary)
    frame_lexicon = load_frame_lexicon(lexicon_dir)
    actor_lexicon = load_actor_lexicon(lexicon_dir)
    tokens = Tokens.of(text.tokens)
    frame_matcher = Matcher(frame_lexicon)
    frames = frame_matcher.match(tokens, vocabulary.types, text.quotes)
    actors = Matcher(actor_lexicon).match(tokens, vocabulary.types, text.quotes)
    return Study(
        documents=documents.reset_index(drop=True),
        tokens=text.tokens,
        sentences=text.sentences,
        quotes=text.quotes,
        repairs=text.repairs,
        types=text.types,
        frames=frame_lexicon.categories,
        actors=actor_lexicon.categories,
        frame_terms=frame_lexicon.entries,
        hits=frames.hits,
        actor_hits=actors.hits,
        exclusions=frames.exclusions,
        coverage=coverage.coverage_report(tokens, vocabulary.types, frame_matcher, frames),
        figures_dir=Path(figures_dir),
    )
