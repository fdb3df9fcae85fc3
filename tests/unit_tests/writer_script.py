"""JSON replies of the writer team's roles, for scripting fake models."""

import json

PLAN = json.dumps(
    {
        "audience": "curious adults",
        "outline": ["Intro", "Body", "End"],
        "key_points": ["bees pollinate"],
    }
)


def critique(approved: bool, score: int = 7, feedback: str = "Tighten the ending.") -> str:
    return json.dumps({"approved": approved, "score": score, "feedback": feedback})


def verdict(accept: bool, instructions: str = "") -> str:
    return json.dumps({"accept": accept, "instructions": instructions})


def draft(n: int) -> str:
    return f"Draft number {n} about bees."
