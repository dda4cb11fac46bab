"""The frame and actor lexicons: their files (``schema``), matching, and coverage.

``match_lexicon(text, lexicon)`` finds a lexicon's terms in the tables of the
text stage; ``coverage_report`` lists the words the lexicon may be missing.
"""

from __future__ import annotations

from analysis.exports import lazy_exports

_EXPORTS = {
    "Lexicon": "analysis.lexicon.schema",
    "load_actor_lexicon": "analysis.lexicon.schema",
    "load_frame_lexicon": "analysis.lexicon.schema",
    "load_lexicon": "analysis.lexicon.schema",
    "match_key": "analysis.lexicon.schema",
    "Matcher": "analysis.lexicon.matching",
    "MatchResult": "analysis.lexicon.matching",
    "Tokens": "analysis.lexicon.matching",
    "coverage_report": "analysis.lexicon.apply",
    "guard_exclusions": "analysis.lexicon.apply",
    "match_actors": "analysis.lexicon.apply",
    "match_frames": "analysis.lexicon.apply",
    "match_lexicon": "analysis.lexicon.apply",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
