"""Identifiers shared by every stage: symbols and source locations.

A symbol is `module:qualname` (`shop.orders.views:OrderList.get`); the body of
a module is the bare module name. A location is a `/`-separated path relative
to the scanned root plus a 1-based line.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Location(BaseModel):
    """A place in the scanned tree: relative file path and 1-based line."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    file: str = Field(description="Path relative to the scanned root, '/'-separated.")
    line: int = Field(ge=0, description="1-based line; 0 when the whole file is meant.")


def make_symbol(module: str, qualname: str = "") -> str:
    """Return the symbol naming `qualname` inside `module` (the module body if empty)."""
    return f"{module}:{qualname}" if qualname else module


def split_symbol(symbol: str) -> tuple[str, str]:
    """Split a symbol into (module, qualname); qualname is '' for a module body."""
    module, _, qualname = symbol.partition(":")
    return module, qualname
