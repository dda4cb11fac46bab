"""The text rules: normalize, tokenize, clitics, run-together repair, sentences, quotes.

Each rule is written once, in Python, here; the language data it reads (word
lists, speech verbs, vetoes) lives in files (:mod:`analysis.text.data`).
:mod:`analysis.text.wordtype` gathers what the rules say about one written word;
:mod:`analysis.engine` runs the rules over many documents.
"""
