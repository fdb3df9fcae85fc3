"""The Describer: says what a picture shows, its mood, light and colours, when its model can see.

Whether a model can see (:func:`sight`): the embedded models never can (they read
text only); ``describer_sees`` set to ``yes`` or ``no`` decides for any other model;
otherwise the model's LangChain profile decides (``image_inputs``), and a model without
a profile is not sent the picture. A model that sees gets the picture as an image
content block.

Fallback (documented): when the model cannot see, its call fails, or it answers nothing,
the description is the pixel analysis made in code, which opens by saying that it is an
analysis and not a caption. Nothing is ever said to have been seen that was not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from agents.llm.calls import RoleCaller, reply_text
from agents.llm.embedded import is_local
from agents.llm.models import ModelSetting
from tools.kernel.errors import ModelCallError

SEES_CHOICES = ("auto", "yes", "no")
DESCRIBER_SYSTEM = (
    "You describe pictures for a composer who will set them to music. Say what the "
    "picture shows, then its mood, its light and its colours, in at most 120 words. "
    "Describe only what you see in the image."
)
DESCRIBER_REQUEST = "Describe this picture: what is in it, its mood, its light and its colours."

Source = Literal["model", "analysis"]


@dataclass(frozen=True)
class Sight:
    """Whether a describer's model is sent the picture, and why."""

    sees: bool
    reason: str


@dataclass(frozen=True)
class Description:
    """A picture's description, who made it, and why the analysis was used if it was."""

    text: str
    source: Source
    note: str = ""


def sight(setting: ModelSetting, model: BaseChatModel | None, choice: str = "auto") -> Sight:
    """Whether the model set by ``setting`` can see, by the rule in this module's docstring."""
    if is_local(setting):
        return Sight(False, "the embedded models read text only")
    if choice == "no":
        return Sight(False, "describer_sees is no")
    if choice == "yes":
        return Sight(True, "describer_sees is yes")
    profile = getattr(model, "profile", None) or {}
    if "image_inputs" in profile:
        if profile["image_inputs"]:
            return Sight(True, "its model profile says it takes images")
        return Sight(False, "its model profile says it does not take images")
    return Sight(
        False,
        "nothing says this model takes images (set describer_sees to yes if it does)",
    )


def analysis_only(analysis: str, reason: str) -> Description:
    """The fallback: the pixel analysis, with the reason no model described the picture."""
    return Description(analysis, "analysis", reason)


def describe_picture(
    caller: RoleCaller, image_base64: str, mime_type: str, analysis: str
) -> Description:
    """Ask the describer's model about the picture; the analysis if it cannot answer."""
    request = HumanMessage(
        content=[
            {"type": "text", "text": DESCRIBER_REQUEST},
            {"type": "image", "base64": image_base64, "mime_type": mime_type},
        ]
    )
    try:
        text = reply_text(caller.invoke([SystemMessage(DESCRIBER_SYSTEM), request]))
    except ModelCallError as error:
        return analysis_only(analysis, f"the describer model failed: {error}")
    if not text:
        return analysis_only(analysis, "the describer model answered nothing")
    return Description(text, "model")
