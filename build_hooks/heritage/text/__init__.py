"""Text tools: Markdown escaping and checking, the HTML allowlist, pinyin."""
