"""Everyday synonyms for the `words` layer (answer/entail.py): a statement's word is accounted for when its
evidence has a word of one of the statement word's most frequent WordNet senses (up to SENSES of those seen
in WordNet's sense-tagged corpus, at least the first) — 'film' for 'movie', 'answer' for 'reply', 'car' for
'automobile'. Labellers and models paraphrase with such words; the curated tables (lexicon.SYNONYMS,
PARAPHRASES) cannot list them all.

Why so few senses: across all the senses of a word WordNet joins words a reader never takes for each other;
measured on the five faithfulness sets, every tagged sense let a minimal-edit falsehood through where another
layer had a gap, three did not (and kept almost as many faithful paraphrases). Why never for some words: a
word that a contradiction layer reads — a contrary (rise/fall), aspect (stop, remain), hedge, negator,
direction or pro-verb — keeps to the curated tables, so that no synonym stands in for the word whose change
makes the falsehood. entail.check_words adds two more limits: an adjective or adverb (a judgement, a degree)
is never accounted for by a synonym, and a statement that leans on one gets no unknown word tolerated.

The table (`_wordsense_data.py`) is derived from WordNet 3.0 by `build`: stems of single-word lemmas → stems
of the other members of the lemma's chosen synsets. WordNet 3.0 Copyright 2006 by Princeton University; used
under its licence (reproduced at the head of the generated module), which permits copying and redistribution.

    python -m assistant.answer.wordsense /path/to/wordnet-3.0   # rewrites _wordsense_data.py
"""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path

from assistant.lexicon import (
    ASPECT_WORDS,
    CONTRARIES,
    DIRECTION_WORDS,
    HEDGE_VERBS,
    HEDGES,
    HEDGES_EXTRA,
    LOCAL_CONTRARIES,
    NEGATED_WORDS,
    NEGATORS,
    PRO_VERBS,
)

_WORD = re.compile(r"[a-z]+(?:-[a-z]+)?")
_POS = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
LINE = 110  # characters per line of the generated table
SENSES = 3  # senses of a word whose synonyms count, most frequent first (see above)


def _stem(word: str) -> str:
    from assistant.answer.entail import stem

    return stem(word)


@cache
def guarded() -> frozenset[str]:
    """Stems a synonym may never account for: the words the contradiction layers read (contraries, aspect,
    hedges, negators, directions, pro-verbs). They keep to the curated tables."""
    words = {w for pair in CONTRARIES for w in pair} | ASPECT_WORDS | PRO_VERBS | HEDGES | HEDGES_EXTRA
    words |= HEDGE_VERBS | NEGATORS | LOCAL_CONTRARIES | DIRECTION_WORDS | set(NEGATED_WORDS)
    return frozenset(_stem(w) for w in words)


@cache
def table() -> dict[str, frozenset[str]]:
    """stem → stems of the other words of its chosen WordNet senses (guarded stems left out on both sides)."""
    from assistant.answer._wordsense_data import DATA

    guard = guarded()
    out: dict[str, set[str]] = {}
    for line in DATA.split("\n"):
        if not line.strip():
            continue
        key, *others = line.split()
        if key not in guard:
            out.setdefault(key, set()).update(set(others) - guard)
    return {k: frozenset(v) for k, v in out.items() if v}


def synonym_in(stems_of_word: set[str], evidence: set[str]) -> bool:
    """Is any of the word's stems (its own, its lemma's) a synonym of a stem the evidence has?"""
    if stems_of_word & guarded():
        return False
    known = table()
    return any(known.get(s, frozenset()) & evidence for s in stems_of_word)


# -- building the table from WordNet's database files -------------------------------------------------
def _synsets(folder: Path) -> dict[tuple[str, str], list[str]]:
    """(part of speech, offset) → member words, read from data.* by each line's own offset field (the files'
    line ends may have been rewritten, so byte offsets are not trusted)."""
    out = {}
    for pos, name in _POS.items():
        for line in (folder / f"data.{name}").read_text("latin-1").splitlines():
            if line.startswith("  "):
                continue  # the licence header
            fields = line.split(" | ")[0].split()
            count = int(fields[3], 16)
            out[(pos, fields[0])] = [fields[4 + 2 * i].lower().split("(")[0] for i in range(count)]
    return out


def build(folder: Path) -> str:
    """The table as text: 'stem other-stem …' per line, from each single-word lemma's chosen senses."""
    synsets = _synsets(folder)
    found: dict[str, set[str]] = {}
    for pos, name in _POS.items():
        for line in (folder / f"index.{name}").read_text("latin-1").splitlines():
            if line.startswith("  "):
                continue
            fields = line.split()
            lemma, senses, pointers = fields[0], int(fields[2]), int(fields[3])
            if not _WORD.fullmatch(lemma) or not senses:
                continue
            tagged = int(fields[5 + pointers])  # senses seen in the tagged corpus, most frequent first
            chosen = fields[6 + pointers : 6 + pointers + max(1, min(tagged, SENSES))]
            key = _stem(lemma)
            others = {_stem(w) for off in chosen for w in synsets[(pos, off)] if _WORD.fullmatch(w)} - {key}
            if others:
                found.setdefault(key, set()).update(others)
    lines = []
    for key, others in sorted(found.items()):
        line = key
        for other in sorted(others):
            if len(line) + len(other) >= LINE:  # (a long entry goes on over lines that repeat its key)
                lines.append(line)
                line = key
            line += f" {other}"
        lines.append(line)
    return "\n".join(lines)


def write_module(folder: Path) -> Path:
    """Rewrite `_wordsense_data.py` from a WordNet 3.0 database folder, WordNet's licence at its head (the
    licence asks that its notice appear on all copies, modified ones included)."""
    target = Path(__file__).with_name("_wordsense_data.py")
    body = build(folder)
    licence = [line.rstrip() for line in (folder / "LICENSE").read_text("latin-1").splitlines()]
    target.write_text(
        "# Generated by `python -m assistant.answer.wordsense WORDNET_DIR` (see answer/wordsense.py): stems of\n"
        "# WordNet 3.0 lemmas and of their synonyms. WordNet's licence:\n#\n"
        + "".join(f"# {line}".rstrip() + "\n" for line in licence)
        + f'\nDATA = """\\\n{body}\n"""\n',
        encoding="utf-8",
    )
    return target


if __name__ == "__main__":
    print(write_module(Path(sys.argv[1])))
