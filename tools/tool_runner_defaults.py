"""The tool runner's defaults, read by settings and `doctor` without loading the runner."""

DEFAULT_OBSERVATION_CHARS = 2000
DEFAULT_TOOL_TIMEOUT_S = 60.0
