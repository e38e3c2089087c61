"""Typed data passed between pipeline stages and the schema-v1 report."""
