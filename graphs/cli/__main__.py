"""``python -m graphs.cli``: the ``teamgraph`` command without its console script."""

import sys

from graphs.cli import main

sys.exit(main())
