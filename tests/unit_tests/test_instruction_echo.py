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
