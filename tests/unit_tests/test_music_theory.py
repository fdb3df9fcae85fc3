"""Keys, modes, Roman numerals and General MIDI names."""

import pytest

from tools.music.instruments import GM_NAMES, canonical_name, family_of, program_of
from tools.music.theory import (
    chord,
    key_signature_number,
    parse_meter,
    parse_numeral,
    parse_tonic,
    scale,
    scale_pitches,
    tonic_numeral,
)

C, D, E, F, G, A, B = 0, 2, 4, 5, 7, 9, 11


@pytest.mark.parametrize(
    ("name", "pitch"), [("C", 0), ("F#", 6), ("Gb", 6), ("Bb", 10), ("b♭", 10), ("Cb", 11)]
)
def test_tonic_names(name, pitch):
    assert parse_tonic(name) == pitch


@pytest.mark.parametrize("name", ["H", "", "C##", "do"])
def test_bad_tonics_say_which_keys_exist(name):
    with pytest.raises(ValueError, match="use one of C, C#"):
        parse_tonic(name)


def test_modes_are_the_seven_diatonic_scales():
    assert scale(C, "major") == (C, D, E, F, G, A, B)
    assert scale(A, "minor") == (A, B, 0, D, E, F, G)
    assert scale(D, "dorian") == (D, E, F, G, A, B, 0)
    assert scale(E, "phrygian") == (E, F, G, A, B, 0, D)
    assert scale(F, "lydian") == (F, G, A, B, 0, D, E)
    assert scale(G, "mixolydian") == (G, A, B, 0, D, E, F)
    assert scale(B, "locrian") == (B, 0, D, E, F, G, A)
    assert scale(C, "ionian") == scale(C, "major")
    assert scale(A, "Aeolian") == scale(A, "minor")


def test_scale_pitches_stay_in_range_and_in_the_scale():
    pitches = scale_pitches(D, "major", 60, 72)
    assert pitches == [61, 62, 64, 66, 67, 69, 71]
    with pytest.raises(ValueError, match="is not a mode"):
        scale(C, "blues")


@pytest.mark.parametrize(
    ("numeral", "tonic", "mode", "classes", "quality"),
    [
        ("I", C, "major", (C, E, G), "major"),
        ("V", C, "major", (G, B, D), "major"),
        ("vi", C, "major", (A, 0, E), "minor"),
        ("vii°", C, "major", (B, D, F), "diminished"),
        ("viio", C, "major", (B, D, F), "diminished"),
        ("V7", C, "major", (G, B, D, F), "major"),
        ("IV7", C, "major", (F, A, 0, E), "major"),
        ("bVII", C, "major", (10, D, F), "major"),
        ("VII", C, "mixolydian", (10, D, F), "major"),
        ("iv", A, "minor", (D, F, A), "minor"),
        ("III", A, "minor", (0, E, G), "major"),
        ("II", E, "phrygian", (F, A, 0), "major"),
        ("III+", A, "minor", (0, E, 8), "augmented"),
    ],
)
def test_numerals_name_chords_in_the_key(numeral, tonic, mode, classes, quality):
    named = chord(numeral, tonic, mode)
    assert named.pitch_classes == classes
    assert named.root == classes[0]
    assert named.quality == quality


@pytest.mark.parametrize("numeral", ["VIII", "ix", "IIV", "I9", "", "V/V"])
def test_bad_numerals_are_refused_with_the_grammar(numeral):
    with pytest.raises(ValueError, match="not a Roman numeral"):
        parse_numeral(numeral)


def test_home_chords_and_key_signatures():
    assert [tonic_numeral(m) for m in ("major", "lydian", "minor", "dorian", "locrian")] == [
        "I",
        "I",
        "i",
        "i",
        "i°",
    ]
    assert key_signature_number(D, "major") == D
    assert key_signature_number(A, "minor") == 12 + A
    assert key_signature_number(D, "dorian") == C
    assert key_signature_number(G, "mixolydian") == C


def test_meters():
    assert parse_meter("6/8") == (6, 8)
    with pytest.raises(ValueError, match="not a meter"):
        parse_meter("5/4")


def test_general_midi_names_programs_and_families():
    assert len(GM_NAMES) == 128
    assert program_of("Acoustic Grand Piano") == 0
    assert program_of("  string   ensemble 1 ") == 48
    assert canonical_name("flute") == "Flute"
    assert family_of(program_of("Cello")) == "Strings"
    assert family_of(program_of("Acoustic Bass")) == "Bass"
    with pytest.raises(ValueError, match="not a General MIDI instrument"):
        program_of("Theremin")
