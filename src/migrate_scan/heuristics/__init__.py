"""Declarative rules (heuristics/*.toml): their pydantic schema and their loader."""
