"""The embedded model the integration tests and notebooks in CI run on, unless marked.

Runs that check only what the run controls (nodes, files, cited sources) use the 135M
model, which answers in seconds; tests marked ``default_model`` use the default.
"""

SMALL_MODEL = "local:smollm2-135m"
