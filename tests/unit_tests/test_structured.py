import json

import httpx
from langchain_core.messages import HumanMessage
from langchain_core.runnables import RunnableLambda
from langchain_openai import ChatOpenAI

from agents.critic import Critique
from agents.llm.ledger import Ledger
from agents.llm.structured import decide, describe_schema, parse_json_object, response_format_for
from tests.fakes import ScriptedChatModel, caller, scripted

FALLBACK = Critique(approved=False, score=5, feedback="fallback")
ASK = [HumanMessage("Review: bees are nice.")]


def test_valid_reply_is_accepted_first_time():
    ledger = Ledger()
    model = scripted('{"approved": true, "score": 9, "feedback": "fine"}')
    decision = decide(caller(model, ledger=ledger), ASK, Critique, fallback=FALLBACK)
    assert decision.value == Critique(approved=True, score=9, feedback="fine")
    assert (decision.attempts, decision.fallback_used) == (1, False)


def test_json_inside_prose_is_found():
    value = parse_json_object(
        'Sure! {"approved": false, "score": 2, "feedback": "x"} Hope it helps', Critique
    )
    assert value.score == 2


def test_invalid_reply_is_reasked_with_the_validation_error():
    ledger = Ledger()
    model = scripted(
        '{"approved": true, "score": 11, "feedback": "x"}',
        '{"approved": true, "score": 8, "feedback": "x"}',
    )
    decision = decide(caller(model, ledger=ledger), ASK, Critique, fallback=FALLBACK)
    assert decision.attempts == 2 and not decision.fallback_used
    second_prompt = model.prompts_text()[1]
    assert "score: Input should be less than or equal to 10" in second_prompt
    assert '"score": 11' in second_prompt


def test_fallback_after_retries_is_marked():
    ledger = Ledger()
    model = scripted("a", "b", "c")
    decision = decide(caller(model, ledger=ledger), ASK, Critique, fallback=FALLBACK, retries=2)
    assert decision.value is FALLBACK
    assert decision.fallback_used and decision.attempts == 3
    assert len(decision.errors) == 3 and ledger.calls == 3
    assert model.exhausted


def test_schema_is_described_to_the_model():
    ledger = Ledger()
    text = describe_schema(Critique)
    assert '"score": integer from 1 to 10' in text
    model = scripted('{"approved": true, "score": 9, "feedback": "fine"}')
    decide(caller(model, ledger=ledger), ASK, Critique, fallback=FALLBACK)
    assert '"approved": boolean' in model.prompts_text()[0]


def test_response_format_is_strict_json_schema():
    fmt = response_format_for(Critique)
    assert fmt["type"] == "json_schema"
    schema = fmt["json_schema"]["schema"]
    assert fmt["json_schema"]["strict"] is True
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"approved", "score", "feedback"}


def test_openai_compatible_models_are_constrained_by_response_format():
    ledger = Ledger()
    seen: list[dict] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        seen.append(body)
        content = '{"approved": false, "score": 4, "feedback": "add data"}'
        return httpx.Response(
            200,
            json={
                "id": "1",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": content},
                    }
                ],
                "usage": {"prompt_tokens": 12, "completion_tokens": 9, "total_tokens": 21},
            },
        )

    model = ChatOpenAI(
        model="served",
        api_key="x",
        base_url="http://server.invalid/v1",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    decision = decide(caller(model, ledger=ledger), ASK, Critique, fallback=FALLBACK)
    assert decision.value.feedback == "add data"
    assert seen[0]["response_format"]["type"] == "json_schema"
    assert (
        seen[0]["response_format"]["json_schema"]["schema"]["properties"]["score"]["maximum"] == 10
    )
    assert ledger.usage()["model"]["input_tokens"] == 12


class ToolCallingFake(ScriptedChatModel):
    """Stands in for a provider with native structured output."""

    def with_structured_output(self, schema, *, include_raw=False, **kwargs):
        def run(messages):
            raw = self.invoke(messages)
            try:
                return {
                    "raw": raw,
                    "parsed": schema.model_validate_json(raw.content),
                    "parsing_error": None,
                }
            except Exception as error:
                return {"raw": raw, "parsed": None, "parsing_error": error}

        return RunnableLambda(run)


def test_providers_structured_output_is_used_and_reasked():
    ledger = Ledger()
    model = ToolCallingFake(script=["{}", '{"approved": true, "score": 7, "feedback": "ok"}'])
    decision = decide(caller(model, ledger=ledger), ASK, Critique, fallback=FALLBACK)
    assert decision.value.score == 7 and decision.attempts == 2
    assert "Field required" in model.prompts_text()[1]
    assert ledger.usage()["model"]["calls"] == 2
    assert ledger.usage()["model"]["input_tokens"] > 0


def test_a_reply_cut_at_the_length_limit_is_reasked():
    ledger = Ledger()
    replies = iter(
        [
            ("length", '{"approved": true, "score": 7, "feedback": "This goes on and on'),
            ("stop", '{"approved": true, "score": 7, "feedback": "short"}'),
        ]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        finish, content = next(replies)
        return httpx.Response(
            200,
            json={
                "id": "1",
                "object": "chat.completion",
                "created": 0,
                "model": "m",
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": finish,
                        "message": {"role": "assistant", "content": content},
                    }
                ],
                "usage": {"prompt_tokens": 10, "completion_tokens": 400, "total_tokens": 410},
            },
        )

    model = ChatOpenAI(
        model="m",
        api_key="x",
        base_url="http://server.invalid/v1",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    decision = decide(caller(model, ledger=ledger), ASK, Critique, fallback=FALLBACK)
    assert decision.attempts == 2 and decision.value.feedback == "short"
    assert "length limit" in decision.errors[0]
    assert ledger.usage()["model"]["output_tokens"] == 800


class Unavailable(Exception):
    status_code = 503


def test_a_transient_failure_is_tried_again_and_every_attempt_is_counted():
    ledger = Ledger()
    model = scripted(Unavailable("busy"), '{"approved": true, "score": 8, "feedback": "ok"}')
    decision = decide(caller(model, ledger=ledger), ASK, Critique, fallback=FALLBACK)
    assert decision.value.score == 8 and ledger.calls == 2


def test_a_lasting_failure_ends_after_the_retries_and_a_bad_request_at_once():
    import pytest

    from tools.kernel.errors import ModelCallError

    ledger = Ledger()
    down = scripted(Unavailable("down"), Unavailable("down"), Unavailable("down"))
    with pytest.raises(ModelCallError, match="model failed: Unavailable"):
        decide(caller(down, ledger=ledger), ASK, Critique, fallback=FALLBACK)
    assert ledger.calls == 3 and down.exhausted
    refused = scripted(ValueError("bad request"))
    with pytest.raises(ModelCallError):
        decide(caller(refused, ledger=ledger), ASK, Critique, fallback=FALLBACK)
    assert ledger.calls == 4
