"""Tool calls an embedded model writes as text become ``tool_calls``; anything else stays text."""

import json

from hypothesis import given
from hypothesis import strategies as st
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from agents.llm.local_chat import with_tool_calls
from agents.llm.tool_call_text import parse_tool_calls

TOOLS = ["wikipedia", "calculator"]


def _calls(text: str) -> list[tuple[str, dict]]:
    return [(c["name"], c["args"]) for c in parse_tool_calls(text, TOOLS).calls]


def test_qwen_tagged_calls_are_read_one_or_several():
    text = (
        '<tool_call>\n{"name": "wikipedia", "arguments": {"query": "2022 World Cup"}}\n</tool_call>\n'
        '<tool_call>{"name": "calculator", "arguments": {"expression": "2+2"}}</tool_call>'
    )
    assert _calls(text) == [
        ("wikipedia", {"query": "2022 World Cup"}),
        ("calculator", {"expression": "2+2"}),
    ]


def test_the_coder_models_fenced_json_is_a_call_and_the_narration_stays_text():
    text = 'I will look it up.\n```json\n{\n  "name": "wikipedia",\n  "arguments": {"query": "Messi"}\n}\n```'
    parsed = parse_tool_calls(text, TOOLS)
    assert [(c["name"], c["args"]) for c in parsed.calls] == [("wikipedia", {"query": "Messi"})]
    assert parsed.text == "I will look it up."
    assert parsed.calls[0]["id"]


def test_bare_json_after_a_sentence_and_string_arguments_are_read():
    text = 'To calculate:\n[{"name": "calculator", "arguments": "{\\"expression\\": \\"17*23\\"}"}]'
    assert _calls(text) == [("calculator", {"expression": "17*23"})]


def test_unknown_tools_code_and_answers_stay_text():
    for text in (
        '<tool_call>{"name": "shell", "arguments": {"cmd": "rm -rf /"}}</tool_call>',
        '```json\n{"a": 1}\n```',
        "Argentina won; Lionel Messi was the captain [1].",
        '{"name": "wikipedia", "arguments": ["not", "an", "object"]}',
    ):
        parsed = parse_tool_calls(text, TOOLS)
        assert parsed.calls == [] and parsed.text == text


@given(st.text(max_size=200))
def test_plain_text_never_becomes_a_call(text):
    parsed = parse_tool_calls(text.replace("{", "(").replace("[", "("), TOOLS)
    assert parsed.calls == [] and parsed.text == text.replace("{", "(").replace("[", "(")


@given(
    st.sampled_from(TOOLS),
    st.dictionaries(st.text(min_size=1, max_size=10), st.text(max_size=20), max_size=3),
)
def test_any_call_in_any_of_the_three_forms_round_trips(name, arguments):
    body = json.dumps({"name": name, "arguments": arguments})
    for text in (f"<tool_call>{body}</tool_call>", f"```json\n{body}\n```", f"Calling it: {body}"):
        assert _calls(text) == [(name, arguments)]


def _result(content: str) -> ChatResult:
    return ChatResult(generations=[ChatGeneration(message=AIMessage(content))])


def test_replies_to_requests_with_tools_get_tool_calls_others_are_untouched():
    tools = [{"type": "function", "function": {"name": "wikipedia", "parameters": {}}}]
    text = '```json\n{"name": "wikipedia", "arguments": {"query": "x"}}\n```'
    message = with_tool_calls(_result(text), tools).generations[0].message
    assert isinstance(message, AIMessage)
    assert [c["name"] for c in message.tool_calls] == ["wikipedia"] and message.content == ""
    untouched = with_tool_calls(_result(text), None).generations[0].message
    assert untouched.content == text and not untouched.tool_calls
