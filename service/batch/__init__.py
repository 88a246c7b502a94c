"""`brief batch`: many articles from files, folders or stdin to one JSONL of briefs (or one
Markdown file each), in-process or through a server's jobs API; resumable."""
