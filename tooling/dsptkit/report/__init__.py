"""Formatting results: text for people, JSON for scripts, SARIF for code scanning, workflow
commands for GitHub Actions."""

# The version of every JSON output's format (docs/outputs.md): additive changes (a new key)
# keep it; removing or renaming a key, changing a value's type or meaning, or a new value
# where the schema lists the values, raises it. Each output's JSON Schema is
# schemas/output/NAME.schema.json.
FORMAT_VERSION = 1


def help_uri(code: str) -> str:
    """Where a rule is documented: its section of docs/rules.md, whose headings are the codes
    (SARIF's helpUri, and ``help_uri`` in ``dspt rules --format json``)."""
    from dsptkit import DOCS_URL

    return f"{DOCS_URL}rules.md#{code.lower()}"
