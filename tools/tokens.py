"""Word tokens for lexical search and citation checks: lower case, light stemming, no stopwords.

Words of every script count: accents on Latin letters are dropped (``Café`` and ``cafe`` are one
word, ``Zürich`` is ``zurich``); Greek, Cyrillic or any other script's words count as written.
Chinese, Japanese and Korean, whose words are not spaced apart, count as their overlapping pairs
of characters (``出差费用`` is ``出差 差费 费用``), as Lucene's CJK bigrams do, so a query's word
matches inside a sentence.
"""

from __future__ import annotations

import functools
import re
import unicodedata

ASCII_WORD = re.compile(r"[a-z0-9]+")
WORD = re.compile(r"[^\W_]+")
HAN = "\u3005-\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
KANA = "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"
HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
"""Character ranges of Chinese and Japanese characters, of kana and of Korean letters."""
CJK = re.compile(f"([{HAN}{KANA}{HANGUL}]+)")
"""A run of Han, kana or Hangul characters (the scripts written without spaces between words)."""
STOPWORDS = frozenset(
    "a an and are as at be by did do does for from had has have he her his how i in is it its "
    "of on or she that the their them they this to was were what when where which who whom "
    "whose why will with you your".split()
)


def stem(word: str) -> str:
    """A light English stemmer: plurals, -ing, -ed and a final -e (bees -> bee)."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes", "zes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    """The words of ``text`` in lower case, Latin letters without accents (digits count)."""
    lowered = text.lower()
    if lowered.isascii():
        return ASCII_WORD.findall(lowered)
    found = WORD.findall(NON_ASCII.sub(_plain, text.casefold()))
    if not CJK.search(lowered):
        return found
    return [part for word in found for part in _with_cjk_pairs(word)]


def _with_cjk_pairs(word: str) -> list[str]:
    """``word`` with each run of CJK characters replaced by its pairs (a lone one kept)."""
    parts: list[str] = []
    for at, piece in enumerate(CJK.split(word)):
        if at % 2 == 0:
            if piece:
                parts.append(piece)
        elif len(piece) == 1:
            parts.append(piece)
        else:
            parts.extend(piece[i : i + 2] for i in range(len(piece) - 1))
    return parts


NON_ASCII = re.compile(r"[^\x00-\x7f]")


@functools.lru_cache(maxsize=4096)
def _plain_letters(char: str) -> str:
    """A Latin letter with an accent as plain letters (é -> e, ﬁ -> fi); other letters as is."""
    decomposed = unicodedata.normalize("NFKD", char)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain if plain.isascii() else char


def _plain(found: re.Match[str]) -> str:
    return _plain_letters(found.group())


HAN_OR_KANA = re.compile(f"[{HAN}{KANA}]")


def word_count(text: str) -> int:
    """Spaced words, and each Chinese or Japanese character (as those languages count)."""
    characters = len(HAN_OR_KANA.findall(text))
    if not characters:
        return len(text.split())
    spaced = HAN_OR_KANA.sub(" ", text).split()
    return characters + sum(1 for word in spaced if any(c.isalnum() for c in word))


LETTER_OR_DIGIT = re.compile(r"[^\W_]")
LATIN = re.compile(r"[0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")


def latin_share(text: str) -> float:
    """The share of ``text``'s letters and digits written in the Latin script (1.0 if none)."""
    if text.isascii():
        return 1.0
    every = len(LETTER_OR_DIGIT.findall(text))
    return len(LATIN.findall(text)) / every if every else 1.0


def tokenize(text: str) -> list[str]:
    """Lower-cased, lightly stemmed word tokens without stopwords."""
    return [stem(token) for token in words(text) if token not in STOPWORDS]
