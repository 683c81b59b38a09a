"""feedsite: turn an article feed into a searchable MkDocs + Material site, and check it."""

__version__ = "0.1.0"
