"""The author's preview under `mkdocs serve`: one quick rebuild per save, drafts and notes."""
