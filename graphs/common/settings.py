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
from graphs.common.setting_values import check_values, unknown_names_error

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

    def __new__(cls, *args: Any, **values: Any) -> Any:
        """Refuse a name that is no setting (a run's ``context`` is given as a dict)."""
        error = unknown_names_error(cls, values)
        if error is not None:
            raise error
        return super().__new__(cls)

    def __post_init__(self) -> None:
        """Refuse a value of the wrong type, and limits that cannot be met."""
        check_values(self)
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
    error = unknown_names_error(base, values)
    if error is not None:
        raise error
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
