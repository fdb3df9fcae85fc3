"""The exit codes of ``teamgraph`` (DESIGN's public contract)."""

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_WAITING = 3
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141
"""The reader of the output went away (``teamgraph threads | head``): 128 + SIGPIPE."""
