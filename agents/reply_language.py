"""Which language a person's words are in, said to the roles that write back to them.

Prompts are in English, so a small model answers in English unless told otherwise: the
1.5B model wrote an English piece for a French topic, and for a Chinese one even when
asked to use "the language of the topic". Named outright ("in Chinese") it follows. A
script that belongs to one language names it, and so do the letters of Russian or
Ukrainian, and a few short words (and letters such as ñ or ł) of the commonest languages
written in Latin letters (``Wie hoch ist der ...`` is German). A word several of them
share counts for each in part, and a language is named only well ahead of the next, so
an English question with a Spanish name in it stays English; any other text gets the
general instruction.
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
CYRILLIC_OF = (
    ("Russian", re.compile(r"[ыэёЫЭЁ]"), re.compile(r"[іїєґўђјљњћџәғқңөұүһІЇЄҐЎЂЈЉЊЋЏӘҒҚҢӨҰҮҺ]")),
    (
        "Ukrainian",
        re.compile(r"[іїєґІЇЄҐ]"),
        re.compile(r"[ыэёъўђјљњћџәғқңөұүһЫЭЁЪЎЂЈЉЊЋЏӘҒҚҢӨҰҮҺ]"),
    ),
)
"""Cyrillic languages told by their letters: a letter of theirs that their neighbours lack
(Russian's ы, э, ё; Ukrainian's і, ї, є, ґ), and none of the letters they lack."""
FUNCTION_WORDS = {
    "English": "the a an is are was were be been and of to in on at by with from why how what "
    "who where which for does do did can this that it mean my your i you has have had not "
    "since there me give tell about please all could would should will as or but also its "
    "their they he she his her we into than then these those other such more most",
    "French": "le la les des du un une est sont et pour que qui dans pas quelle quel pourquoi "
    "comment où ne je mon ma mes il elle nous vous depuis sur avec au aux ce cette ont été "
    "plus me",
    "Spanish": "el los las del una es son está y para que qué por cómo dónde tiene cuál la no "
    "me mi mis desde con se lo al su sus muy pero cuando hay fue también quiero puedo",
    "German": "der die das und ist sind ein eine nicht wie warum was wer wo für mit ich mein "
    "meine meinen seit wurde den dem des auf zu von auch hat haben bei kein keinen",
    "Italian": "il lo gli della una è sono per che perché come dove non quale mi mio da ho ha "
    "hanno con del le di un si anche al alla qual",
    "Portuguese": "o os as do da uma é são para que por como onde não qual minha meu desde com "
    "em no na um foi tem mas se ao dos das quero preciso",
    "Dutch": "de het een en is zijn niet van waarom hoe wat wie waar voor mijn ik sinds met op "
    "te dat die er ook heb heeft werd geen",
    "Polish": "i w nie na się z do że jest to jak co dlaczego mój moja moje mi od są czy przez "
    "dla już tak kto",
    "Turkish": "ve bir bu da de ile için ne neden nasıl mi mı çok ama gibi daha olan var yok "
    "ben benim kim",
    "Swedish": "och att det är som en på inte med för har jag min mitt sedan av till om varför "
    "hur vad",
    "Indonesian": "dan yang di ke dari ini itu tidak saya untuk dengan ada apa mengapa "
    "bagaimana sejak kami anda siapa",
}
"""Short words that, taken together, tell these languages apart (an accent counts)."""
WORDS_OF = {language: frozenset(words.split()) for language, words in FUNCTION_WORDS.items()}
SHARED_BY = {
    word: sum(word in known for known in WORDS_OF.values())
    for known in WORDS_OF.values()
    for word in known
}
"""How many of the languages have each word: a word of k languages counts 1/k for each."""
LETTERS_OF = {
    "Spanish": "ñ¿¡",
    "Portuguese": "ãõ",
    "German": "ß",
    "French": "œ",
    "Polish": "łżź",
    "Turkish": "ığ",
}
"""Letters (and marks) of one of these languages alone: each the text has weighs half a word."""
WORD = re.compile(r"[^\W\d_]+")
ENOUGH = 1.5
"""The least weight that names a language, which must also lead the next by a third of it."""


def language_of(text: str) -> str | None:
    """The language ``text`` is mostly written in, when its script or words tell (else None).

    English is None too: the prompts are English already.
    """
    letters = len(LETTER.findall(text))
    for language, sign, script in SCRIPTS:
        if sign.search(text):
            return language if 2 * len(script.findall(text)) >= letters else None
    if CYRILLIC.search(text):
        mostly = 2 * len(CYRILLIC.findall(text)) >= letters
        for language, sign, foreign in CYRILLIC_OF:
            if sign.search(text) and not foreign.search(text):
                return language if mostly else None
        return None
    return _by_words(text.lower())


def _by_words(text: str) -> str | None:
    """The language whose short words and own letters weigh most in ``text``, if enough."""
    words = WORD.findall(text)
    weights = sorted(
        (
            (
                sum(1 / SHARED_BY[w] for w in words if w in known)
                + sum(letter in text for letter in LETTERS_OF.get(language, "")) / 2,
                language,
            )
            for language, known in WORDS_OF.items()
        ),
        reverse=True,
    )
    (best, language), (second, _) = weights[0], weights[1]
    named = best >= ENOUGH and best - second >= ENOUGH / 3 and language != "English"
    return language if named else None


def in_their_language(text: str, what: str) -> str:
    """An instruction to write in the language of ``text`` (the ``what``: topic, question)."""
    language = language_of(text)
    if language:
        return f"Write in {language}, the language of the {what}."
    return f"Write in the language the {what} is written in."
