"""The composer and renderer on known briefs: scale, chords, tempo, meter, length, level, bytes."""

import io

import numpy as np
import pretty_midi
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit_tests.compose_script import brief
from tools.music.brief import checked_brief
from tools.music.composer import compose
from tools.music.grid import Grid
from tools.music.midi import midi_bytes
from tools.music.renderers import RenderRequest, SynthRenderer
from tools.music.theory import chord, parse_tonic, scale, tonic_numeral
from tools.music.wav import read_wav, wav_bytes

KNOWN_BRIEFS = [
    brief(),
    brief(key="A", mode="minor", tempo_bpm=66, meter="3/4", progression=["i", "VI", "III", "VII"]),
    brief(
        key="Eb",
        mode="dorian",
        tempo_bpm=150,
        meter="6/8",
        instruments=["String Ensemble 1", "Oboe", "Contrabass", "Pad 2 (warm)"],
        progression=["i", "IV", "i", "bVII", "v7"],
        dynamics=["pp", "ff"],
    ),
    brief(key="F#", mode="lydian", meter="2/4", instruments=["Vibraphone"], seconds=7.5),
    brief(key="G", mode="mixolydian", tempo_bpm=44, progression=["I", "VII"], seconds=20),
    brief(key="B", mode="phrygian", instruments=["Acoustic Guitar (nylon)", "Cello"]),
]


def render(music_brief, seed=0, sample_rate=22050):
    score = compose(music_brief, seed)
    request = RenderRequest(
        score, music_brief.as_prompt(), "", music_brief.seconds, seed, sample_rate
    )
    return score, SynthRenderer().render(request)


def test_a_brief_is_checked_and_spelled_canonically():
    checked = checked_brief(brief(key="f#", instruments=["flute", "ACOUSTIC BASS"], mode="Ionian"))
    assert checked.key == "F#" and checked.mode == "major"
    assert checked.instruments == ("Flute", "Acoustic Bass")
    with pytest.raises(ValueError) as error:
        checked_brief(
            brief(key="H", progression=["I", "IX"], instruments=["Theremin"], tempo_bpm=300)
        )
    message = str(error.value)
    for problem in ("'H' is not a key", "'IX' is not a Roman numeral", "'Theremin'", "tempo_bpm"):
        assert problem in message


@pytest.mark.parametrize(
    "fields", KNOWN_BRIEFS, ids=lambda f: f"{f['key']}-{f['mode']}-{f['meter']}"
)
def test_every_melody_note_is_in_the_modes_scale(fields):
    music_brief = checked_brief(fields)
    score = compose(music_brief, seed=3)
    melody = score.part("melody")
    assert melody is not None and len(melody.notes) >= 3
    allowed = set(scale(parse_tonic(music_brief.key), music_brief.mode))
    assert {note.pitch % 12 for note in melody.notes} <= allowed
    assert melody.notes[-1].pitch % 12 == parse_tonic(music_brief.key), "ends on the tonic"


@pytest.mark.parametrize(
    "fields", KNOWN_BRIEFS, ids=lambda f: f"{f['key']}-{f['mode']}-{f['meter']}"
)
def test_chords_follow_the_progression_and_end_at_home(fields):
    music_brief = checked_brief(fields)
    score = compose(music_brief, seed=5)
    grid = Grid(music_brief.tempo_bpm, music_brief.meter, music_brief.seconds)
    assert score.bars == grid.bars == len(score.chords)
    tonic = parse_tonic(music_brief.key)
    for span in score.chords:
        expected = (
            tonic_numeral(music_brief.mode)
            if span.ending
            else music_brief.progression[span.bar % len(music_brief.progression)]
        )
        assert span.numeral == expected
        assert span.pitch_classes == chord(expected, tonic, music_brief.mode).pitch_classes
    assert score.chords[-1].ending == (score.bars > 1)
    chords_part = score.part("chords")
    for note in chords_part.notes:
        span = next(s for s in score.chords if s.start - 1e-6 <= note.start < s.end)
        assert note.pitch % 12 in span.pitch_classes
        assert note.end <= span.end + 1e-6
    bass = score.part("bass")
    for span in score.chords:
        first = next(n for n in bass.notes if abs(n.start - span.start) < 1e-6)
        assert first.pitch % 12 == span.pitch_classes[0], "the bass plays the root on the downbeat"


@pytest.mark.parametrize(
    "fields", KNOWN_BRIEFS, ids=lambda f: f"{f['key']}-{f['mode']}-{f['meter']}"
)
def test_midi_tempo_meter_and_key_equal_the_brief(fields):
    music_brief = checked_brief(fields)
    score = compose(music_brief, seed=1)
    music = pretty_midi.PrettyMIDI(io.BytesIO(midi_bytes(score)))
    _, tempi = music.get_tempo_changes()
    assert list(np.round(tempi, 3)) == [music_brief.tempo_bpm]
    meter = music.time_signature_changes
    assert [(m.numerator, m.denominator, m.time) for m in meter] == [
        tuple(int(x) for x in music_brief.meter.split("/")) + (0.0,)
    ]
    assert len(music.key_signature_changes) == 1
    assert {i.program for i in music.instruments} == {p.program for p in score.parts}
    assert music.get_end_time() == pytest.approx(music_brief.seconds, abs=0.01)


@pytest.mark.parametrize("fields", KNOWN_BRIEFS[:3], ids=["major", "minor", "dorian"])
def test_the_wav_has_the_length_asked_for_is_not_silent_and_never_clips(fields):
    music_brief = checked_brief(fields)
    _, audio = render(music_brief)
    data = wav_bytes(audio)
    back = read_wav(data)
    assert back.seconds == pytest.approx(music_brief.seconds, rel=0.02)
    assert back.channels == 2
    assert back.rms > 0.02, "not silent"
    pcm = np.frombuffer(data[44:], dtype="<i2")
    assert np.abs(pcm.astype(np.int32)).max() < 32767 * 0.95, "headroom below full scale"
    first_second = back.samples[: back.sample_rate]
    assert np.abs(first_second).max() > 0.01, "music from the start"
    assert np.abs(back.samples[-50:]).max() < 0.01, "faded out at the end"


def test_same_brief_and_seed_give_the_same_bytes_and_another_seed_another_piece():
    music_brief = checked_brief(brief(seconds=6))
    first_score, first_audio = render(music_brief, seed=11)
    second_score, second_audio = render(music_brief, seed=11)
    assert midi_bytes(first_score) == midi_bytes(second_score)
    assert wav_bytes(first_audio) == wav_bytes(second_audio)
    other_score, other_audio = render(music_brief, seed=12)
    assert first_score.part("melody").notes != other_score.part("melody").notes
    assert wav_bytes(first_audio) != wav_bytes(other_audio)


def test_dynamics_follow_the_marks():
    rising = compose(checked_brief(brief(dynamics=["pp", "ff"], seconds=20)), seed=2)
    velocities = [n.velocity for n in rising.part("melody").notes]
    third = len(velocities) // 3
    assert np.mean(velocities[-third:]) > np.mean(velocities[:third]) + 30


def test_roles_go_to_the_instruments_that_suit_them():
    score = compose(
        checked_brief(brief(instruments=["Acoustic Bass", "Flute", "Acoustic Grand Piano"]))
    )
    roles = {part.role: part.instrument for part in score.parts}
    assert roles == {"melody": "Flute", "bass": "Acoustic Bass", "chords": "Acoustic Grand Piano"}
    solo = compose(checked_brief(brief(instruments=["Acoustic Grand Piano"])))
    assert [p.role for p in solo.parts] == ["melody", "bass", "chords"]
    quartet = compose(checked_brief(KNOWN_BRIEFS[2]))
    assert sorted(p.role for p in quartet.parts) == ["bass", "chords", "melody", "pad"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    key=st.sampled_from(["C", "Db", "E", "F#", "Ab", "B"]),
    mode=st.sampled_from(
        ["major", "minor", "dorian", "phrygian", "lydian", "mixolydian", "locrian"]
    ),
    tempo=st.integers(40, 200),
    meter=st.sampled_from(["2/4", "3/4", "4/4", "6/8"]),
    progression=st.lists(
        st.sampled_from(["I", "ii", "iii", "IV", "V7", "vi", "vii°", "bVII"]),
        min_size=2,
        max_size=8,
    ),
    seconds=st.floats(1, 90),
    seed=st.integers(0, 2**31),
)
def test_any_brief_gives_scale_melodies_and_notes_inside_the_piece(
    key, mode, tempo, meter, progression, seconds, seed
):
    music_brief = checked_brief(
        brief(
            key=key,
            mode=mode,
            tempo_bpm=tempo,
            meter=meter,
            progression=progression,
            seconds=seconds,
        )
    )
    score = compose(music_brief, seed)
    allowed = set(scale(parse_tonic(key), mode))
    for part in score.parts:
        for note in part.notes:
            assert 0 <= note.start < note.end <= seconds + 1e-6
            assert 1 <= note.velocity <= 127
            if part.role == "melody":
                assert note.pitch % 12 in allowed
