"""A picture's measurements in words: a description that says it is an analysis, not a caption."""

from __future__ import annotations

from tools.pictures.analysis import PictureFeatures

ANALYSIS_OPENING = (
    "Pixel analysis, not a caption: no model looked at this picture, so this says nothing "
    "about what it shows, only how its light and colour measure."
)
"""How every analysis begins, so that no reader takes it for a description of the content."""


def light_word(features: PictureFeatures) -> str:
    """dark, dim, medium, bright or very bright."""
    value = features.brightness
    if value < 0.25:
        return "dark"
    if value < 0.42:
        return "dim"
    if value < 0.6:
        return "medium"
    return "bright" if value < 0.78 else "very bright"


def warmth_word(features: PictureFeatures) -> str:
    """warm, cool or neutral."""
    if features.warmth > 0.12:
        return "warm"
    return "cool" if features.warmth < -0.12 else "neutral"


def texture_word(features: PictureFeatures) -> str:
    """smooth, moderately detailed or busy."""
    if features.texture < 0.08:
        return "smooth"
    return "moderately detailed" if features.texture < 0.3 else "busy"


def saturation_word(features: PictureFeatures) -> str:
    """colourless, muted, moderately saturated or vivid."""
    if features.saturation < 0.06:
        return "colourless"
    if features.saturation < 0.18:
        return "muted"
    return "moderately saturated" if features.saturation < 0.35 else "vivid"


def contrast_word(features: PictureFeatures) -> str:
    """low, moderate or high."""
    if features.contrast < 0.12:
        return "low"
    return "moderate" if features.contrast < 0.25 else "high"


def mood_words(features: PictureFeatures) -> tuple[str, ...]:
    """Moods that light and colour like these commonly suggest (an inference, said as one)."""
    light, warmth = light_word(features), warmth_word(features)
    if light in ("bright", "very bright"):
        first = {"warm": "sunny", "cool": "airy"}.get(warmth, "open")
    elif light in ("dark", "dim"):
        first = {"warm": "intimate", "cool": "mysterious"}.get(warmth, "sombre")
    else:
        first = {"warm": "mellow", "cool": "wistful"}.get(warmth, "gentle")
    second = "lively" if saturation_word(features) == "vivid" else "subdued"
    if saturation_word(features) == "moderately saturated":
        second = "warm-hearted" if warmth == "warm" else "reflective"
    third = {"busy": "restless", "smooth": "calm"}.get(texture_word(features), "steady")
    return first, second, third


def _colours(features: PictureFeatures) -> str:
    named = [f"{name} ({share:.0%})" for name, share in features.colours]
    return ", ".join(named) if named else "no colour covers much of it"


def _light(features: PictureFeatures) -> str:
    tilt = features.top_minus_bottom
    where = "lighter at the top" if tilt > 0.1 else "lighter at the bottom" if tilt < -0.1 else ""
    return (
        f"Light: {light_word(features)} (mean brightness {features.brightness:.0%}), "
        f"{contrast_word(features)} contrast" + (f", {where}" if where else "") + "."
    )


def signed(value: float) -> str:
    """``value`` to two places with its sign, zero as ``+0.00`` (never ``-0.00``)."""
    return f"{round(value, 2) + 0.0:+.2f}"


def describe_features(features: PictureFeatures) -> str:
    """The measurements as a short description that says it is an analysis."""
    shape = (
        f"A {features.orientation} {features.format} picture, "
        f"{features.width} x {features.height} pixels"
    )
    read = f" ({'; '.join(features.notes)})" if features.notes else ""
    colour = (
        f"Colour: {saturation_word(features)} (saturation {features.saturation:.0%}), "
        f"{warmth_word(features)} (warmth {signed(features.warmth)}); dominant colours "
        f"{_colours(features)}."
    )
    texture = f"Texture: {texture_word(features)} (busyness {features.texture:.2f})."
    mood = (
        "Light and colour like these often suggest a mood that is "
        f"{', '.join(mood_words(features))}."
    )
    return " ".join((ANALYSIS_OPENING, f"{shape}{read}.", _light(features), colour, texture, mood))


def measurements(features: PictureFeatures) -> str:
    """The measurements in one line, for a prompt (no opening, no mood)."""
    return (
        f"{light_word(features)} (brightness {features.brightness:.2f}), "
        f"{contrast_word(features)} contrast, {saturation_word(features)} colour, "
        f"{warmth_word(features)} (warmth {signed(features.warmth)}), "
        f"{texture_word(features)} texture, {features.orientation}; colours {_colours(features)}"
    )
