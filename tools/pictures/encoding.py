"""A picture as a vision model takes it: a JPEG, at most :data:`MODEL_SIDE` a side, in base64."""

from __future__ import annotations

import base64
import io

from PIL import Image

from tools.pictures.loading import Picture

MODEL_SIDE = 1024
JPEG_QUALITY = 85
MIME_TYPE = "image/jpeg"


def picture_for_model(picture: Picture) -> str:
    """The picture's preview as base64 JPEG text (transparent parts shown over white)."""
    preview = picture.preview.copy()
    preview.thumbnail((MODEL_SIDE, MODEL_SIDE))
    canvas = Image.new("RGB", preview.size, (255, 255, 255))
    canvas.paste(preview, mask=preview.getchannel("A"))
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=JPEG_QUALITY)
    return base64.b64encode(buffer.getvalue()).decode("ascii")
