"""The commented team files ``teamgraph new NAME [--shape S]`` writes, one per shape."""

from __future__ import annotations

HEADER = """\
# A team of your own. `teamgraph check {file}` checks it and draws its graph;
# `teamgraph run --team-file {file} "REQUEST"` runs it (--json, --thread, --max-calls, ...).
# Every role's model: `model:` below, or --model ROLE=provider:model, or
# TEAMGRAPH_<ROLE>_MODEL, else TEAMGRAPH_MODEL, else the embedded model (local).
name: {name}
"""

SEQUENTIAL = """\
description: Find the facts, then write them up.
# sequential: each role gets the request and the previous role's work, with its
# numbered sources. Other shapes: broadcast, supervisor, reflection (--shape).
shape: sequential
roles:
  - name: researcher
    role: You find the facts the request needs, with sources.
    tools: [wikipedia]            # a role with tools is a bounded ReAct agent
    # model: openai:gpt-4o-mini
  - name: writer
    role: You write a short, clear answer from the material given, keeping its [n] citations.
  # - name: market
  #   team: research              # a built-in team (research, writer, react) plays a role
  # - name: review
  #   team_file: review.yaml      # so does another team file (relative to this one)
"""

BROADCAST = """\
description: Several roles answer at once; the answer given most often wins.
# broadcast: every role gets the request at the same time. aggregate: vote counts their
# short answers (a tie goes to the aggregator); aggregate: merge has the aggregator write
# one answer from all of them.
shape: broadcast
aggregate: vote
roles:
  - name: solver
    role: You answer with a short, exact answer.
    samples: 3                    # this role answers three times, each a vote
  - name: checker
    role: You answer carefully, checking each step, with a short answer.
aggregator:
  name: judge
  role: You choose the answer most likely to be right.
"""

SUPERVISOR = """\
description: A manager hands the work to a writer and a critic until it is done.
# supervisor: the first role is the manager; it picks who works next (or finish) until
# the work is done or max_rounds turns have been taken.
shape: supervisor
max_rounds: 4
roles:
  - name: manager
    role: You manage a writer and a critic; finish once the critic is satisfied.
  - name: writer
    role: You write, or rewrite on the critic's notes, a short piece.
  - name: critic
    role: You review the writer's latest draft and list concrete fixes.
"""

REFLECTION = """\
description: A writer drafts, a critic reviews until it approves.
# reflection: the first role works, the second reviews it ({{"approved", "score",
# "feedback"}}) until it approves or max_rounds rewrites have been made.
shape: reflection
max_rounds: 2
roles:
  - name: writer
    role: You write a clear, short piece on the request.
  - name: critic
    role: You are a demanding critic of short pieces.
"""

BODIES = {
    "sequential": SEQUENTIAL,
    "broadcast": BROADCAST,
    "supervisor": SUPERVISOR,
    "reflection": REFLECTION,
}


def template(name: str, shape: str, file: str) -> str:
    """The commented team file of team ``name`` with ``shape``, to be saved as ``file``."""
    return HEADER.format(name=name, file=file) + BODIES[shape].format()
