"""Image to music without the models: CPU seconds to compose and render 30 s of audio.

Everything after the brief is code: the composer, the MIDI file, the numpy synthesizer
and the WAV file. The brief is a dense one (four instruments, a held pad, a lively
tempo); each step is timed in CPU seconds, best of a few runs, after one warm-up run.
Reading and measuring a 12-megapixel JPEG is timed as well.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image

from benchmarks.report import figure, heading
from tools.music.brief import checked_brief
from tools.music.composer import compose
from tools.music.midi import midi_bytes
from tools.music.renderers import RenderRequest, SynthRenderer
from tools.music.synth import SAMPLE_RATE
from tools.music.wav import wav_bytes
from tools.pictures.analysis import analyse
from tools.pictures.loading import open_picture

SECONDS = 30.0
RUNS = 3
TARGET_S = 1.0
BRIEF = checked_brief(
    {
        "title": "Benchmark",
        "mood": "lively",
        "key": "D",
        "mode": "major",
        "tempo_bpm": 126,
        "meter": "4/4",
        "instruments": ["Acoustic Grand Piano", "Flute", "Acoustic Bass", "String Ensemble 1"],
        "progression": ["I", "V", "vi", "IV", "ii", "V7"],
        "dynamics": ["mp", "f", "mp"],
        "seconds": SECONDS,
    }
)


def _cpu(step: Callable[[], Any]) -> tuple[float, Any]:
    started = time.process_time()
    result = step()
    return time.process_time() - started, result


def _one_run() -> dict[str, float]:
    times: dict[str, float] = {}
    times["compose"], score = _cpu(lambda: compose(BRIEF, seed=1))
    times["midi"], _ = _cpu(lambda: midi_bytes(score))
    request = RenderRequest(score, BRIEF.as_prompt(), "", SECONDS, 1, SAMPLE_RATE)
    times["render"], audio = _cpu(lambda: SynthRenderer().render(request))
    times["wav"], _ = _cpu(lambda: wav_bytes(audio))
    return times


def _picture_cpu() -> float:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "photo.jpg"
        Image.linear_gradient("L").resize((4000, 3000)).convert("RGB").save(path, quality=85)
        return min(_cpu(lambda: analyse(open_picture(path)))[0] for _ in range(RUNS))


def run() -> None:
    """Print the CPU seconds of each step and of the whole, against the target."""
    heading(f"Image to music in code: compose and render {SECONDS:.0f} s of audio (no model)")
    _one_run()
    best = min((_one_run() for _ in range(RUNS)), key=lambda t: sum(t.values()))
    figure("compose the score", best["compose"], "s", "-", True)
    figure("write the MIDI file", best["midi"], "s", "-", True)
    figure(
        f"render {SECONDS:.0f} s at {SAMPLE_RATE} Hz stereo (synth)", best["render"], "s", "-", True
    )
    figure("write the WAV file", best["wav"], "s", "-", True)
    total = sum(best.values())
    figure("compose + render, CPU", total, "s", f"< {TARGET_S:.0f} s", total < TARGET_S)
    figure("read and measure a 4000 x 3000 JPEG", _picture_cpu(), "s", "-", True)
