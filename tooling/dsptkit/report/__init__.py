"""Formatting results: text for people, JSON for scripts, SARIF for code scanning."""
