"""Shared building blocks used by every helpdesk app (not an app itself)."""
