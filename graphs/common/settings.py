"""Team settings: one dataclass per team, its defaults filled by ``build_graph``.

A team's settings class is its graph's ``context_schema``, so Studio shows and edits it.
``build_graph(**settings)`` makes a copy of the class whose defaults are the values given;
a run may pass a full settings object, or a dict of the fields to change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, TypeVar

from agents.llm.ledger import Limits

S = TypeVar("S", bound="RunSettings")


@dataclasses.dataclass(kw_only=True)
class RunSettings:
    """Limits of one run, part of every team's settings."""

    max_calls: int | None = dataclasses.field(
        default=None,
        metadata={
            "description": "Most model calls in one run, across every role (none: no limit)."
        },
    )
    max_tokens_total: int | None = dataclasses.field(
        default=None,
        metadata={"description": "Most tokens (input + output) in one run (none: no limit)."},
    )

    def __post_init__(self) -> None:
        """Refuse limits that cannot be met."""
        self.limits()

    def limits(self) -> Limits:
        """The run limits these settings set."""
        return Limits(self.max_calls, self.max_tokens_total)


def model_setting(role: str) -> Any:
    """A per-run model field for ``role`` ("" keeps the team's model for it)."""
    return dataclasses.field(
        default="",
        metadata={
            "description": f"Model of the {role} for this run, provider:model or local "
            "(empty: the team's model)."
        },
    )


def model_override(settings: RunSettings, role: str) -> str:
    """The per-run model of ``role`` in ``settings``, or "" for the team's own."""
    return str(getattr(settings, f"{role}_model", "") or "")


def settings_class(base: type[S], values: Mapping[str, Any]) -> type[S]:
    """``base`` with ``values`` as its defaults (checked now by building one)."""
    names = [f.name for f in dataclasses.fields(base)]
    unknown = sorted(set(values) - set(names))
    if unknown:
        raise TypeError(
            f"{base.__name__} has no setting {', '.join(unknown)}; its settings are "
            f"{', '.join(names)}."
        )
    if not values:
        base()
        return base
    changed = [
        (f.name, f.type, dataclasses.field(default=values[f.name], metadata=f.metadata))
        for f in dataclasses.fields(base)
        if f.name in values
    ]
    made = dataclasses.make_dataclass(base.__name__, changed, bases=(base,), kw_only=True)
    made.__doc__ = base.__doc__
    made.__module__ = base.__module__
    made()
    return made
