"""Printing benchmark figures next to their targets."""

from __future__ import annotations


def figure(name: str, value: float, unit: str, target: str, met: bool) -> None:
    """Print one measured figure, its target and whether it is met."""
    verdict = "ok" if met else "MISSED"
    print(f"  {name:<52} {value:>10.3f} {unit:<8} target {target:<10} {verdict}", flush=True)


def heading(title: str) -> None:
    """Print a section heading."""
    print(f"\n{title}", flush=True)
