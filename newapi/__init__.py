"""newapi: an LLM gateway and AI asset manager."""

__version__ = "0.1.0"
__all__ = ["__version__"]
