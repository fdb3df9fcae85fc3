"""Type checks that import nothing: a provider package loads when a model of it is made."""

from __future__ import annotations

import sys
from typing import Any


def is_instance(value: Any, module: str, name: str) -> bool:
    """Whether ``value`` is a ``module.name``; False at once if ``module`` was never imported.

    No object of a class can exist before its module is imported, so checking an
    object's type never needs to load a provider's package.
    """
    loaded = sys.modules.get(module)
    kind = getattr(loaded, name, None) if loaded is not None else None
    return isinstance(kind, type) and isinstance(value, kind)
