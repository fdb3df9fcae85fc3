"""Typed exceptions raised by teamgraph, each carrying a message that says what to do."""


class TeamgraphError(Exception):
    """Base class of every error teamgraph raises on purpose."""


class ModelConfigError(TeamgraphError):
    """A model setting cannot be used: unknown provider, missing package or API key."""


class LocalModelError(TeamgraphError):
    """The embedded local model server cannot start or answer."""


class InputError(TeamgraphError):
    """The request itself is unusable (for example an empty topic)."""


class ModelCallError(TeamgraphError):
    """A model call failed at run time (timeout, refused connection, provider error)."""
