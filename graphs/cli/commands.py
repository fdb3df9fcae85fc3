"""The commands of ``teamgraph``: each one's module and summary, read without importing it."""

COMMANDS: dict[str, tuple[str, str]] = {
    "write": ("write", "have a Manager, a Writer and a Critic write a short piece"),
    "ask": ("ask", "answer a question with cited sources"),
    "compose": ("compose", "turn a picture into music: a WAV file (and a MIDI file)"),
    "ingest": ("ingest", "add PDF, Markdown, HTML and text files to the knowledge base"),
    "run": ("run", "the Manager routes a request to the teams it needs, chaining them"),
    "support": ("support", "the support desk answers a ticket (`support init` makes its database)"),
    "resume": ("resume", "finish an interrupted run from its checkpoint, or answer its approval"),
    "threads": ("threads", "list threads, or show one's history"),
    "wait": ("wait", "wait for a thread's run to end and print its result"),
    "new": ("new_team", "write a commented team file of your own (roles, models, tools, a shape)"),
    "check": ("check_team", "check a team file and draw its graph"),
    "migrate": ("migrate", "copy the threads of the SQLite file into PostgreSQL"),
    "serve": ("serve", "serve every team on an Agent Server (Aegra) over PostgreSQL and Redis"),
    "eval": ("evaluate", "a team vs a single model call, scored on real questions"),
    "graphs": ("teams", "list the teams with their Mermaid diagrams"),
    "tools": ("list_tools", "list the tools a team's run would get, and their origin"),
    "doctor": (
        "doctor",
        "show every setting and where it comes from; check models, data, keys and port",
    ),
    "model": ("model", "list the embedded models, install one, or serve one"),
}
"""Each command: its module under ``graphs.cli`` and its one-line summary, in listing order.

``teamgraph --help`` lists them from here; only the module of the command given is
imported, so a command starts without loading the others.
"""
