"""One Aegra worker on a listening socket it inherits: ``python -m graphs.serving.worker FD``.

Every worker of ``teamgraph serve`` accepts on the same socket, so clients reach them all
at one address. The worker says :data:`READY` on stdout once it accepts connections.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from typing import Any

from graphs.serving.aegra import APP

READY = "teamgraph-worker-ready"


def _announce(server: Any) -> None:
    while not server.started and not server.should_exit:
        time.sleep(0.1)
    if server.started:
        print(READY, flush=True)


def main(argv: list[str]) -> int:
    """Serve Aegra on the socket whose file descriptor is ``argv[0]``."""
    import uvicorn

    listening = socket.socket(fileno=int(argv[0]))
    server = uvicorn.Server(uvicorn.Config(APP, log_level="warning", lifespan="on"))
    threading.Thread(target=_announce, args=(server,), daemon=True).start()
    server.run(sockets=[listening])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
