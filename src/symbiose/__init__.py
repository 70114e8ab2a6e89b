"""Symbiose: a platform for industrial and territorial ecology."""

__version__ = "0.1.0"
