"""What the user decided about clustering: pins, granularity and the seed of community detection."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Granularity = Literal["coarse", "normal", "fine"]


@dataclass(frozen=True)
class ClusterSettings:
    """What the user decided: pinned contexts, how fine to split, the seed of the randomised algorithm.

    `pins`: (context name, module patterns); a pattern is a dotted module name, or `pkg.*` for
    `pkg` and every module below it. The most specific pattern wins.
    """

    pins: tuple[tuple[str, tuple[str, ...]], ...] = ()
    granularity: Granularity = "normal"
    seed: int = 42
