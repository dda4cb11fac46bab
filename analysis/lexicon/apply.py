"""A lexicon applied to the text stage's tables: hits, guard exclusions, coverage."""

from __future__ import annotations

import pandas as pd

from analysis.engine.tables import TextTables
from analysis.lexicon import coverage
from analysis.lexicon.matching import Matcher, MatchResult, Tokens
from analysis.lexicon.schema import (
    Lexicon,
    load_actor_lexicon,
    load_frame_lexicon,
)


def match_lexicon(text: TextTables, lexicon: Lexicon) -> MatchResult:
    """Hits and guard exclusions of ``lexicon`` in the text stage's tables."""
    return Matcher(lexicon).match(Tokens.of(text.tokens), text.vocabulary.types, text.quotes)


def coverage_report(text: TextTables, lexicon: Lexicon | None = None) -> pd.DataFrame:
    """Near misses of ``lexicon`` in the text (:mod:`analysis.lexicon.coverage`)."""
    matcher = Matcher(load_frame_lexicon() if lexicon is None else lexicon)
    tokens = Tokens.of(text.tokens)
    result = matcher.match(tokens, text.vocabulary.types, text.quotes)
    return coverage.coverage_report(tokens, text.vocabulary.types, matcher, result)


def match_frames(text: TextTables, lexicon: Lexicon | None = None) -> pd.DataFrame:
    """The hits of the frame lexicon (default: ``lexicons/``)."""
    return match_lexicon(text, load_frame_lexicon() if lexicon is None else lexicon).hits


def match_actors(text: TextTables, lexicon: Lexicon | None = None) -> pd.DataFrame:
    """The hits of the actor lexicon (default: ``lexicons/``)."""
    return match_lexicon(text, load_actor_lexicon() if lexicon is None else lexicon).hits


def guard_exclusions(text: TextTables, lexicon: Lexicon | None = None) -> pd.DataFrame:
    """Candidates a sense guard set aside (تحرير رسائل, drafting letters), with the guard."""
    return match_lexicon(text, load_frame_lexicon() if lexicon is None else lexicon).exclusions
