"""Which language a person's words are in, said to the roles that write back to them.

Prompts are in English, so a small model answers in English unless told otherwise: the
1.5B model wrote an English piece for a French topic, and for a Chinese one even when
asked to use "the language of the topic". Named outright ("in Chinese") it follows. A
script that belongs to one language names it, and so do a few words of the commonest
languages written in Latin letters (``Wie hoch ist der ...`` is German); any other text
gets the general instruction.
"""

from __future__ import annotations

import re

from tools.tokens import HAN, HANGUL, KANA

LETTER = re.compile(r"[^\W\d_]")
SCRIPTS = (
    ("Japanese", re.compile(f"[{KANA}]"), re.compile(f"[{KANA}{HAN}]")),
    ("Korean", re.compile(f"[{HANGUL}]"), re.compile(f"[{HANGUL}]")),
    ("Chinese", re.compile(f"[{HAN}]"), re.compile(f"[{HAN}]")),
    ("Greek", re.compile(r"[\u0370-\u03ff]"), re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")),
    ("Thai", re.compile(r"[\u0e00-\u0e7f]"), re.compile(r"[\u0e00-\u0e7f]")),
    ("Armenian", re.compile(r"[\u0530-\u058f]"), re.compile(r"[\u0530-\u058f]")),
    ("Georgian", re.compile(r"[\u10a0-\u10ff]"), re.compile(r"[\u10a0-\u10ff]")),
)
"""Scripts written by one language each: the language, a sign of it, and its letters.

Kana marks Japanese (whose letters include Han); Han without kana is taken for Chinese.
"""


CYRILLIC = re.compile(r"[\u0400-\u04ff]")
RUSSIAN_ONLY = re.compile(r"[ыэёЫЭЁ]")
OTHER_CYRILLIC = re.compile(r"[іїєґўђјљњћџәғқңөұүһІЇЄҐЎЂЈЉЊЋЏӘҒҚҢӨҰҮҺ]")
"""Letters of Russian that Bulgarian lacks, and letters Russian lacks (Ukrainian, Serbian,
Kazakh...): Cyrillic with the first and none of the second is taken for Russian."""
FUNCTION_WORDS = {
    "English": "the a an is are was and of to in on at by with from why how what who where "
    "which for does do did can this that it mean",
    "French": "le la les des du un une est sont et pour que qui dans pas quelle quel pourquoi "
    "comment où",
    "Spanish": "el los las del una es son está y para que qué por cómo dónde tiene cuál",
    "German": "der die das und ist sind ein eine nicht wie warum was wer wo für mit",
    "Italian": "il lo gli della una è sono per che perché come dove non quale",
    "Portuguese": "o os as do da uma é são para que por como onde não qual",
    "Dutch": "de het een en is zijn niet van waarom hoe wat wie waar voor",
}
"""Short words that, taken together, tell these languages apart (an accent counts)."""
WORDS_OF = {language: frozenset(words.split()) for language, words in FUNCTION_WORDS.items()}
WORD = re.compile(r"[^\W\d_]+")


def language_of(text: str) -> str | None:
    """The language ``text`` is mostly written in, when its script or words tell (else None).

    English is None too: the prompts are English already.
    """
    letters = len(LETTER.findall(text))
    for language, sign, script in SCRIPTS:
        if sign.search(text):
            return language if 2 * len(script.findall(text)) >= letters else None
    if RUSSIAN_ONLY.search(text) and not OTHER_CYRILLIC.search(text):
        return "Russian" if 2 * len(CYRILLIC.findall(text)) >= letters else None
    words = WORD.findall(text.lower())
    hits = sorted(
        ((sum(w in known for w in words), language) for language, known in WORDS_OF.items()),
        reverse=True,
    )
    (best, language), (second, _) = hits[0], hits[1]
    return language if best >= 2 and best > second and language != "English" else None


def in_their_language(text: str, what: str) -> str:
    """An instruction to write in the language of ``text`` (the ``what``: topic, question)."""
    language = language_of(text)
    if language:
        return f"Write in {language}, the language of the {what}."
    return f"Write in the language the {what} is written in."
