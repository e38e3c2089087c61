"""migrate-scan: read a Python monolith statically and plan its move to AWS serverless."""

__version__ = "0.1.0"
