"""qa: offline question answering over Chinese reports, with cited extractive answers."""

__version__ = "0.1.0"

__all__ = ["__version__"]
