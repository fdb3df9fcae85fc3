"""Pictures read safely and measured: opposite pictures, every mode, bad and huge files."""

import base64
import io
import struct
import subprocess
import sys
import zlib

import numpy as np
import pytest
from PIL import Image, JpegImagePlugin

from tests.unit_tests.compose_script import dark_cool_noise, warm_gradient
from tools.kernel.errors import InputError
from tools.music.fit import mismatches
from tools.music.suggest import suggest_brief
from tools.pictures.analysis import PictureFeatures, analyse
from tools.pictures.encoding import picture_for_model
from tools.pictures.loading import PREVIEW_SIDE, open_picture
from tools.pictures.wording import (
    ANALYSIS_OPENING,
    describe_features,
    light_word,
    mood_words,
    signed,
    texture_word,
    warmth_word,
)


def measure(path):
    return analyse(open_picture(path))


def test_a_warm_bright_gradient_and_a_dark_cool_noise_get_opposite_descriptions(tmp_path):
    warm = measure(warm_gradient(tmp_path / "warm.png"))
    cool = measure(dark_cool_noise(tmp_path / "cool.png"))
    assert (light_word(warm), warmth_word(warm), texture_word(warm)) == ("bright", "warm", "smooth")
    assert (light_word(cool), warmth_word(cool), texture_word(cool)) == ("dark", "cool", "busy")
    assert warm.top_minus_bottom > 0.02 and abs(cool.top_minus_bottom) < 0.02
    assert [name for name, _ in warm.colours][:2] == ["orange", "yellow"]
    assert cool.colours[0][0] in ("navy", "blue")
    assert mood_words(warm)[0] == "sunny" and mood_words(cool)[0] == "mysterious"
    warm_text, cool_text = describe_features(warm), describe_features(cool)
    for text in (warm_text, cool_text):
        assert text.startswith(ANALYSIS_OPENING)
        assert "not a caption" in text
    assert "bright" in warm_text and "warm (warmth +" in warm_text and "smooth" in warm_text
    assert "dark" in cool_text and "cool (warmth -" in cool_text and "busy" in cool_text
    assert "320 x 240 pixels" in warm_text and "landscape" in warm_text


def test_the_fallback_brief_follows_the_picture_and_fits_it(tmp_path):
    warm = measure(warm_gradient(tmp_path / "warm.png"))
    cool = measure(dark_cool_noise(tmp_path / "cool.png"))
    bright_brief, dark_brief = suggest_brief(warm, 30), suggest_brief(cool, 30)
    assert bright_brief.mode == "major" and dark_brief.mode in ("minor", "phrygian")
    assert bright_brief.key in ("D", "A", "E", "B", "F#") and dark_brief.key in (
        "Db",
        "Ab",
        "Eb",
        "Bb",
        "F",
    )
    assert bright_brief.seconds == dark_brief.seconds == 30
    assert mismatches(bright_brief, warm) == [] and mismatches(dark_brief, cool) == []
    assert PictureFeatures.from_dict(warm.as_dict()) == warm


def test_grayscale_pictures_have_no_colour_to_speak_of(tmp_path):
    ramp = np.tile(np.linspace(0, 255, 200).astype(np.uint8), (100, 1))
    Image.fromarray(ramp, "L").save(tmp_path / "gray.png")
    features = measure(tmp_path / "gray.png")
    assert features.saturation == 0 and warmth_word(features) == "neutral"
    assert "grayscale: there is no colour to measure" in features.notes
    deep = (np.full((80, 120), 0.8) * 65535).astype(np.uint16)
    Image.fromarray(deep).save(tmp_path / "deep.png")
    picture = open_picture(tmp_path / "deep.png")
    assert picture.mode.startswith("I") and picture.grayscale
    assert analyse(picture).brightness == pytest.approx(0.8, abs=0.01)
    assert any("scaled to 8 bits" in note for note in picture.notes)


def test_a_green_of_no_measurable_warmth_is_not_said_to_be_minus_zero(tmp_path):
    Image.new("RGB", (32, 32), (5, 200, 5)).save(tmp_path / "green.png")
    features = measure(tmp_path / "green.png")
    assert f"{features.warmth:+.2f}" == "-0.00"
    assert "neutral (warmth +0.00)" in describe_features(features)
    assert [signed(v) for v in (-0.004, 0.0, 0.126, -0.3)] == ["+0.00", "+0.00", "+0.13", "-0.30"]


def test_cmyk_is_converted_and_measured(tmp_path):
    Image.new("CMYK", (120, 90), (0, 100, 200, 0)).save(tmp_path / "print.jpg")
    features = measure(tmp_path / "print.jpg")
    assert features.mode == "CMYK" and "CMYK colours converted to RGB" in features.notes
    assert warmth_word(features) == "warm"


def test_transparent_pixels_count_for_nothing(tmp_path):
    pixels = np.zeros((100, 200, 4), dtype=np.uint8)
    pixels[:, :100] = (240, 130, 30, 255)
    pixels[:, 100:] = (20, 40, 230, 0)
    Image.fromarray(pixels, "RGBA").save(tmp_path / "half.png")
    features = measure(tmp_path / "half.png")
    assert features.visible == pytest.approx(0.5, abs=0.02)
    assert warmth_word(features) == "warm" and features.colours[0][0] == "orange"
    assert any("transparent" in note for note in features.notes)
    paletted = Image.new("P", (50, 50), 1)
    paletted.putpalette([0, 0, 255, 250, 200, 40] + [0] * 762)
    paletted.paste(0, (0, 0, 25, 50))
    paletted.save(tmp_path / "palette.png", transparency=0)
    assert warmth_word(measure(tmp_path / "palette.png")) == "warm"
    Image.new("RGBA", (40, 40), (255, 0, 0, 0)).save(tmp_path / "clear.png")
    with pytest.raises(InputError, match="fully transparent: there is nothing visible"):
        measure(tmp_path / "clear.png")


def test_an_animated_gif_is_measured_on_its_first_frame_and_says_so(tmp_path):
    red, blue = Image.new("RGB", (60, 40), (230, 40, 20)), Image.new("RGB", (60, 40), (20, 40, 230))
    red.save(tmp_path / "anim.gif", save_all=True, append_images=[blue, blue], duration=100)
    features = measure(tmp_path / "anim.gif")
    assert "animated GIF: only its first frame was analysed" in features.notes
    assert warmth_word(features) == "warm"
    assert "animated GIF" in describe_features(features)


def test_exif_rotation_is_honoured(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (300, 100), (200, 200, 200)).save(tmp_path / "turned.jpg", exif=exif.tobytes())
    picture = open_picture(tmp_path / "turned.jpg")
    assert (picture.width, picture.height) == (100, 300)
    assert picture.preview.size == (100, 300)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just some text, not a picture\n", "is not a picture teamgraph can read"),
        (b"", "is not a picture teamgraph can read"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "cannot|not a picture|damaged"),
    ],
)
def test_files_that_are_not_pictures_are_refused_clearly(tmp_path, content, message):
    path = tmp_path / "picture.png"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        open_picture(path)


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_a_truncated_picture_is_reported_as_damaged(tmp_path, kind):
    noisy = np.random.default_rng(0).integers(0, 255, (200, 300, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(noisy).save(buffer, format=kind)
    path = tmp_path / f"cut.{kind.lower()}"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with pytest.raises(InputError, match=f"is a damaged {kind} file"):
        open_picture(path)


def test_missing_files_and_folders_are_refused(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        open_picture(tmp_path / "nowhere.png")
    with pytest.raises(InputError, match="is a folder"):
        open_picture(tmp_path)


def giant_png(path, width, height):
    """A valid 1-bit PNG of any size, written without ever holding its pixels."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
    return path


def test_a_20000_by_20000_picture_is_refused_with_memory_bounded(tmp_path):
    path = giant_png(tmp_path / "giant.png", 20000, 20000)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from tools.pictures.loading import open_picture\n"
        "from tools.kernel.errors import InputError\n"
        "try:\n"
        "    open_picture(Path(sys.argv[1]))\n"
        "except InputError as error:\n"
        "    print(error)\n"
        "status = Path('/proc/self/status').read_text()\n"
        "print(next(line.split()[1] for line in status.splitlines() if line.startswith('VmHWM')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120
    )
    message, peak_kib = result.stdout.strip().splitlines()
    assert "too large to read safely" in message and "scale it down" in message
    assert int(peak_kib) < 300_000, "far below the 400 MB the pixels would take"


def test_pictures_above_the_full_decode_limit_are_refused_before_decoding(tmp_path):
    path = giant_png(tmp_path / "big.png", 8000, 6000)
    with pytest.raises(InputError, match=r"8000 x 6000 pixels, 48 megapixels"):
        open_picture(path)


def test_large_jpegs_are_decoded_at_a_reduced_scale(tmp_path, monkeypatch):
    Image.new("RGB", (4000, 3000), (90, 140, 200)).save(tmp_path / "photo.jpg", quality=70)
    decoded = []
    real_load = JpegImagePlugin.JpegImageFile.load

    def spying_load(self):
        decoded.append(self.size)
        return real_load(self)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", spying_load)
    picture = open_picture(tmp_path / "photo.jpg")
    assert (picture.width, picture.height) == (4000, 3000)
    assert decoded and max(decoded[0]) <= 2 * PREVIEW_SIDE, "decoded at a reduced scale"
    assert max(picture.preview.size) <= PREVIEW_SIDE


def test_the_picture_sent_to_a_vision_model_is_a_small_jpeg(tmp_path):
    picture = open_picture(warm_gradient(tmp_path / "warm.png", size=(2400, 1200)))
    data = base64.b64decode(picture_for_model(picture))
    sent = Image.open(io.BytesIO(data))
    assert sent.format == "JPEG" and max(sent.size) <= 1024 and sent.mode == "RGB"
