import json

import pytest

from agents.reply_language import language_of
from agents.support.reply import ReplyBrief, write_reply
from graphs import react, research, writer
from tests.fakes import RoutedChatModel, caller, scripted, system_prompts
from tests.unit_tests.research_script import ANSWER, CHOOSER, DECIDER, FINAL, decision
from tests.unit_tests.writer_script import PLAN, critique, draft, verdict
from tools.calculator import calculator

IN_CHINESE = "Write in Chinese, the language of the {what}."
AS_WRITTEN = "Write in the language the {what} is written in."


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("为什么蜜蜂很重要", "Chinese"),
        ("会議室の予約はいつまでに連絡しますか？", "Japanese"),
        ("회의실 예약은 언제까지인가요?", "Korean"),
        ("Wi-Fi密码是什么？", "Chinese"),
        ("Γιατί είναι σημαντικές οι μέλισσες;", "Greek"),
        ("What does 蜜蜂 mean?", None),
        ("Pourquoi les abeilles sont importantes", "French"),
        ("¿Qué altura tiene la Torre Eiffel?", "Spanish"),
        ("Wie hoch ist der Eiffelturm?", "German"),
        ("Por que as abelhas são importantes", "Portuguese"),
        ("What does 'quelle est la vie' mean?", None),
        ("Почему пчёлы важны?", "Russian"),
        ("Чому бджоли важливі?", "Ukrainian"),
        ("Защо пчелите са важни?", None),
        ("why bees matter", None),
        ("Mi internet no funciona desde ayer y me cobraron dos veces la factura", "Spanish"),
        ("Mon internet ne marche plus depuis hier", "French"),
        ("Mój internet nie działa od wczoraj", "Polish"),
        ("Arılar neden önemli", "Turkish"),
        ("Varför är bin viktiga", "Swedish"),
        ("Internet saya tidak berfungsi sejak kemarin", "Indonesian"),
        ("Give me a summary of El Niño", None),
        ("What is São Paulo's website?", None),
    ],
)
def test_a_script_of_one_language_names_it_when_most_of_the_text_is_in_it(text, language):
    assert language_of(text) == language


def test_the_writer_is_told_to_write_in_the_topics_language():
    for topic, said in (
        ("为什么蜜蜂很重要", IN_CHINESE),
        ("Pourquoi les abeilles sont importantes", "Write in French, the language of the {what}."),
        ("Защо пчелите са важни", AS_WRITTEN),
    ):
        models = {
            "manager": scripted(PLAN, verdict(True)),
            "writer": scripted(draft(1)),
            "critic": scripted(critique(True)),
        }
        writer.build_graph(models).invoke({"topic": topic})
        assert system_prompts(models["writer"])[0].endswith(said.format(what="topic"))
        assert "Write in" not in system_prompts(models["critic"])[0]


def test_the_research_answer_is_asked_in_the_questions_language():
    model = RoutedChatModel(
        rules=[
            (DECIDER, decision("A")),
            (CHOOSER, json.dumps({"reason": "r", "tool": "internal_knowledge"})),
            (ANSWER, "八百元。"),
            (FINAL, "八百元。"),
        ]
    )
    roles = dict.fromkeys(("decider", "planner", "executor", "finalizer"), model)
    state = research.build_graph(roles, tool_policy="model").invoke(
        {"question": "酒店上限是多少？"}
    )
    assert state["answer"] == "八百元。"
    final = [prompt for prompt in model.calls if FINAL in prompt]
    assert len(final) == 1 and IN_CHINESE.format(what="question") in final[0]


def test_the_react_answer_is_asked_in_the_questions_language():
    steps = [
        json.dumps({"thought": "t", "action": action, "action_input": value})
        for action, value in (("calculator", "2*400"), ("final_answer", "-"))
    ]
    agent = scripted(*steps, "八百元。")
    graph = react.build_graph({"agent": agent}, tools=[calculator], first_step="model")
    state = graph.invoke({"question": "酒店上限是多少？"})
    assert state["answer"] == "八百元。"
    said = IN_CHINESE.format(what="question")
    assert [said in prompt for prompt in system_prompts(agent)] == [True, True, False]
    assert said in agent.prompts_text()[2], "the answer is asked last, after the sources"


def test_the_support_reply_is_asked_in_the_tickets_language():
    model = scripted("您好，我们已重置您的线路。")
    brief = ReplyBrief(name="王芳", ticket="我的网络断了。", findings="line down", actions=[])
    write_reply(caller(model), brief, "Be kind.")
    assert system_prompts(model)[0].endswith(IN_CHINESE.format(what="ticket"))
