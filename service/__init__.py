"""Brief service: structured, grounded briefs of diplomatic news with a local language model."""

__version__ = "0.1.0"
