"""Language knowledge as data: word lists, patterns and glossaries, one place per language."""
