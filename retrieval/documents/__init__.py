"""Business documents: readers (Markdown, HTML, PDF, text) and the chunker."""
