"""The CLI in a process of its own with a scripted desk (no model, no network).

``python -m tests.unit_tests.support_cli_entry ARGS...`` runs ``teamgraph ARGS...``.
``SUPPORT_SCRIPT_PAUSE=FILE`` makes the process write FILE and hang once its first action
is done, so a test can ``kill -9`` it between two actions.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from pathlib import Path

from graphs import registry, support
from graphs.cli import main
from graphs.support import execution
from tests.unit_tests.support_script import action, desk_model, proposal

ACTIONS = proposal(
    action("refund", bill_id="B1004-2025-06", amount=89),
    action("reset_line", line_id="L1004-1"),
    action("book_technician"),
)
"""For customer C1004: a refund over the cap and a technician (both wait), a line reset."""


def install() -> None:
    """The registry builds the support team on the scripted desk."""
    model = desk_model(resolution=ACTIONS)
    spec = registry.TEAMS["support"]
    real = spec.build_graph
    registry.TEAMS["support"] = dataclasses.replace(
        spec, build_graph=lambda _m, **kw: real(dict.fromkeys(support.ROLES, model), **kw)
    )
    pause = os.environ.get("SUPPORT_SCRIPT_PAUSE")
    if pause:
        run_action = execution.execute_action

        def then_hang(*args, **kwargs):
            outcome = run_action(*args, **kwargs)
            Path(pause).write_text(outcome[0])
            time.sleep(600)
            return outcome

        execution.execute_action = then_hang


if __name__ == "__main__":
    install()
    sys.exit(main(sys.argv[1:]))
