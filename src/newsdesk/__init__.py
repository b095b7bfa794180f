"""Newsdesk: a local-first AI newsroom."""

from newsdesk.settings import Settings, load_settings

__version__ = "0.1.0"

__all__ = ["Settings", "__version__", "load_settings"]
