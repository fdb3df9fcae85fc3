"""A model's lines that repeat its instructions are found, and only those are left out."""

from agents.instruction_echo import echoed_lines, without_echo

INSTRUCTIONS = (
    "You write the reply. Follow this style guide:\n"
    "- Greet the customer by first name and sign as the Support team.\n"
    "- Say what was found and what was done, in the customer's words, without internal ids\n"
    "  except a bill or appointment the customer needs.\n"
    "Write only the message to the customer."
)


def test_lines_copied_from_the_instructions_are_echoes_wherever_they_were_wrapped():
    text = (
        "Dear Ana,\n"
        "- Greet the customer by first name and sign as the Support team.\n"
        "  except a bill or appointment the customer needs.\n"
        "We refunded the duplicate charge. Say what was found and what was done, in the "
        "customer's words.\n"
        "the Support team"
    )
    assert echoed_lines(text, INSTRUCTIONS) == text.splitlines()[1:4]
    assert without_echo(text, INSTRUCTIONS) == "Dear Ana,\nthe Support team"


def test_a_reply_in_its_own_words_is_kept_whole():
    text = (
        "Dear Ana,\n\nWe found the bill charged twice and refunded it; we are sorry for "
        "the trouble.\n\nBest regards,\nthe Support team"
    )
    assert echoed_lines(text, INSTRUCTIONS) == []
    assert without_echo(text, INSTRUCTIONS) is text


def test_a_text_of_nothing_but_instructions_leaves_nothing():
    assert without_echo(INSTRUCTIONS, INSTRUCTIONS) == ""


def test_a_support_rewrite_is_asked_as_the_turn_after_the_writers_own_reply():
    from agents.support.reply import ReplyBrief, write_reply
    from tests.fakes import caller, scripted

    model = scripted("Dear Ana, we refunded it.", "Dear Ana, the charge is refunded.")
    brief = ReplyBrief(name="Ana", ticket="Charged twice.", findings="a duplicate", actions=[])
    write_reply(caller(model), brief, "Be kind.", previous="Hi [Your Name]", feedback="Sign.")
    write_reply(caller(model), brief, "Be kind.", previous="", feedback="Write a message.")
    kept, empty = model.calls
    assert [m.type for m in kept] == ["system", "human", "ai", "human"]
    assert kept[2].content == "Hi [Your Name]"
    assert kept[3].content.startswith("Rewrite your reply to Ana, applying this feedback:\nSign.")
    assert "Hi [Your Name]" not in kept[1].content
    assert [m.type for m in empty] == ["system", "human", "human"]
