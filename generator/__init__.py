"""clientgen: turn an OpenAPI 3.0/3.1 spec into a typed, production-grade Python client."""

__version__ = "0.1.0"
