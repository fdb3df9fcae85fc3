"""``teamgraph tools``: the tools a team would get, with descriptions and where each is from."""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console

from graphs.cli.flags import add_tool_flags, tools_from_flags
from graphs.cli.help import HOME_ENV, TOOLS_ENV, command
from tools.knowledge_store import DEFAULT_COLLECTION


def add_parser(commands: Any) -> None:
    """Register the ``tools`` command."""
    parser = command(
        commands,
        "tools",
        description="The tools a run would get with these flags (built-in, the community "
        "catalogue, your own module:attr tools, MCP servers), each with its description "
        "and origin, and the notes on those left out.",
        examples=["teamgraph tools", "teamgraph tools --mcp servers.json --json"],
        env={**TOOLS_ENV, **HOME_ENV},
    )
    parser.add_argument(
        "--collection",
        help=f"knowledge-base collection "
        f"(default: the collection setting, else {DEFAULT_COLLECTION})",
    )
    add_tool_flags(parser)
    parser.add_argument(
        "--catalogue", action="store_true", help="list every tool name --tools accepts instead"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, console: Console) -> int:
    """Print each tool: name, where it comes from, retrieval/network marks, description."""
    from graphs.cli.results import print_json
    from graphs.threads import jobs
    from tools.built_in_tools import BUILT_IN
    from tools.community import community_names
    from tools.tool_addressing import first_line, is_retrieval, needs_network, origin

    if args.catalogue:
        names = {"built-in": ["default", *BUILT_IN], "community": community_names()}
        if args.json:
            print_json(names)
        else:
            for kind, listed in names.items():
                print(f"{kind}: {', '.join(listed)}")
            print("and package.module:attr for your own tools")
        return 0
    if args.collection:
        from tools.knowledge_store import existing_collection

        existing_collection(args.collection)
    box = jobs.toolbox(args.collection, tools_from_flags(args), args.mcp)
    rows = [
        {
            "name": tool.name,
            "origin": origin(tool),
            "retrieval": is_retrieval(tool),
            "network": needs_network(tool),
            "description": first_line(tool.description),
        }
        for tool in box.tools
    ]
    if args.json:
        print_json({"tools": rows, "notes": box.notes})
        return 0
    width = max((len(tool.name) for tool in box.tools), default=4)
    for row in rows:
        marks = ", ".join(m for m in ("retrieval", "network") if row[m])
        print(f"{row['name']:<{width}}  [{row['origin']}{'; ' + marks if marks else ''}]")
        print(f"{'':<{width}}  {row['description']}")
    for note in box.notes:
        console.print(f"[dim]note: {note}[/dim]", highlight=False)
    return 0
