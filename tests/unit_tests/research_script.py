"""Prompt-routed replies for the research team's roles."""

import json
import re

DECIDER = "You decide how to answer"
PLANNER = "You break a question"
CHOOSER = "Pick the tool to solve it"
QUERIES = "Write up to three short inputs"
ANSWER = "Answer the sub-task"
REFLECT = "You check whether the results"
FINAL = "You write the final answer"


def decision(kind: str) -> str:
    return json.dumps({"reason": "because", "type": kind})


def plan(*tasks: tuple[int, str, list[int]]) -> str:
    return json.dumps({"tasks": [{"id": i, "query": q, "dependency": d} for i, q, d in tasks]})


def subtask(prompt: str) -> str:
    return prompt.split("Sub-task: ")[-1].split("\n")[0]


def echo_answer(prompt: str) -> str:
    return f"ANSWER<{subtask(prompt)}>"


def sufficient(yes: bool = True, *new: tuple[str, list[int]]) -> str:
    return json.dumps(
        {
            "sufficient": yes,
            "reason": "r",
            "new_tasks": [{"query": q, "dependency": d} for q, d in new],
        }
    )


def context_of(prompt: str) -> str:
    match = re.search(r"Context:\n(.*?)\n\n", prompt, re.S)
    return match.group(1) if match else ""
