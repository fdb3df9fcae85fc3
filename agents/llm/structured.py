"""Ask a model for a decision and get back a validated Pydantic object, always.

Every agent decision goes through :func:`decide`:

1. OpenAI-compatible models (the embedded model, OpenAI, vLLM, llama.cpp, LM Studio) are
   constrained with a JSON-schema ``response_format``; other providers use their own
   structured output; models with neither are asked for JSON in the prompt.
2. The reply is validated with Pydantic. On failure the model is re-asked with the
   validation error, up to ``retries`` more times.
3. If it still fails, the caller's documented ``fallback`` is returned, marked as such.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.utils.function_calling import convert_to_openai_function
from pydantic import BaseModel, ValidationError
from typing_extensions import TypedDict

from agents.llm.calls import RoleCaller, is_length_limit, reply_text
from agents.llm.loaded import is_instance
from tools.kernel.errors import ModelCallError, validation_problems

Schema = TypeVar("Schema", bound=BaseModel)

DEFAULT_RETRIES = 2

SCHEMA_INSTRUCTIONS = "Reply with one JSON object only, no other text, with these fields:\n{fields}"
REASK = (
    "Your reply could not be used: {error}\n"
    "Reply again with one JSON object only that matches the schema."
)


class FallbackNote(TypedDict):
    """A decision whose replies never validated, so its documented fallback was used."""

    role: str
    decision: str
    """The wire format asked for, e.g. ``Critique``."""
    error: str
    """Why the last reply could not be used."""


@dataclass
class Decision(Generic[Schema]):
    """A validated decision, how many asks it took, and whether the fallback was used."""

    value: Schema
    attempts: int
    fallback_used: bool
    errors: list[str] = field(default_factory=list)
    last_reply: str = ""
    """The text of the last reply (what a lenient reader may still use after a fallback)."""
    refused: list[str] = field(default_factory=list)
    """The text of each reply that did not validate, in order (one for each of ``errors``)."""

    def notes(self, role: str) -> list[FallbackNote]:
        """``[note]`` if the fallback was used, else ``[]``."""
        if not self.fallback_used:
            return []
        name = type(self.value).__name__
        return [FallbackNote(role=role, decision=name, error=(self.errors or [""])[-1][:300])]


def response_format_for(schema: type[BaseModel]) -> dict[str, Any]:
    """The OpenAI ``response_format`` that constrains output to ``schema``."""
    function = convert_to_openai_function(schema, strict=True)
    return {
        "type": "json_schema",
        "json_schema": {"name": function["name"], "schema": function["parameters"], "strict": True},
    }


def _field_line(name: str, spec: dict[str, Any]) -> str:
    kind = spec.get("type", "value")
    if kind == "array":
        kind = f"list of {spec.get('items', {}).get('type', 'value')}s"
        if "maxItems" in spec:
            kind += f" (at most {spec['maxItems']})"
    if "minimum" in spec and "maximum" in spec:
        kind += f" from {spec['minimum']} to {spec['maximum']}"
    if "enum" in spec:
        kind = " or ".join(json.dumps(option) for option in spec["enum"])
    elif "const" in spec:
        kind = json.dumps(spec["const"])
    description = spec.get("description", "")
    return f'- "{name}": {kind}. {description}'.rstrip()


def describe_schema(schema: type[BaseModel]) -> str:
    """A compact, model-readable list of the fields of ``schema``."""
    properties = schema.model_json_schema().get("properties", {})
    return "\n".join(_field_line(name, spec) for name, spec in properties.items())


def _schema_prompt(schema: type[BaseModel]) -> SystemMessage:
    return SystemMessage(SCHEMA_INSTRUCTIONS.format(fields=describe_schema(schema)))


def parse_json_object(text: str, schema: type[Schema]) -> Schema:
    """Validate the first JSON object in ``text`` against ``schema``."""
    start, end = text.find("{"), text.rfind("}")
    if start == -1 or end < start:
        raise ValueError(f"no JSON object in the reply {text[:200]!r}")
    return schema.model_validate_json(text[start : end + 1])


def _describe(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return validation_problems(error, "reply")
    return str(error)


LENGTH_LIMIT = (
    "the reply was cut off at the length limit before the JSON object was complete; "
    "keep every field short"
)


def _ask_once(
    caller: RoleCaller, messages: list[BaseMessage], schema: type[Schema]
) -> tuple[str, Schema | None, str | None]:
    """One ask: the reply's text, the parsed value or None, and the error text."""
    try:
        return _ask_once_unguarded(caller, messages, schema)
    except ModelCallError as error:
        if error.__cause__ is None or not is_length_limit(error.__cause__):
            raise
        return "", None, LENGTH_LIMIT


def _ask_once_unguarded(
    caller: RoleCaller, messages: list[BaseMessage], schema: type[Schema]
) -> tuple[str, Schema | None, str | None]:
    model = caller.model
    if is_instance(model, "langchain_openai", "ChatOpenAI"):
        runnable: Any = model.bind(response_format=response_format_for(schema))
        reply = caller.invoke(messages, runnable)
    else:
        try:
            structured = model.with_structured_output(schema, include_raw=True)
        except NotImplementedError:
            structured = None
        if structured is not None:
            result: Any = caller.invoke(messages, structured)
            text = reply_text(result["raw"])
            parsed = result.get("parsed")
            if isinstance(parsed, schema):
                return text, parsed, None
            error = result.get("parsing_error")
            return text, None, _describe(error) if error else "no structured output returned"
        reply = caller.invoke(messages)
    text = reply_text(reply)
    try:
        return text, parse_json_object(text, schema), None
    except (ValueError, ValidationError) as error:
        return text, None, _describe(error)


def decide(
    caller: RoleCaller,
    messages: list[BaseMessage],
    schema: type[Schema],
    *,
    fallback: Schema,
    retries: int = DEFAULT_RETRIES,
) -> Decision[Schema]:
    """Ask for a ``schema`` object; re-ask on invalid output, then fall back."""
    conversation = [_schema_prompt(schema), *messages]
    errors: list[str] = []
    refused: list[str] = []
    text = ""
    for attempt in range(1, retries + 2):
        text, value, error = _ask_once(caller, conversation, schema)
        if value is not None:
            return Decision(value, attempt, False, errors, text, refused)
        errors.append(error or "invalid reply")
        refused.append(text)
        conversation = [*conversation, AIMessage(text), HumanMessage(REASK.format(error=error))]
    return Decision(fallback, retries + 1, True, errors, text, refused)
