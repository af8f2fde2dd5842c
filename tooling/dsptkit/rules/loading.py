"""Rules whose results come from reading files: encoding, front matter, YAML and schemas."""

from __future__ import annotations

from dsptkit.model import Severity
from dsptkit.rules.base import loader_rule

E, W = Severity.ERROR, Severity.WARNING

loader_rule("FM001", "file.not-utf8", E, """A file is not UTF-8 text, or cannot be read.

Policies, evidence and registers must be UTF-8 (a byte-order mark and Windows line endings
are accepted). Re-save the file as UTF-8 in your editor.""")
loader_rule("FM002", "file.binary", E, """A Markdown or YAML file is binary.

A file with a NUL byte where Markdown is expected is usually a Word document or image
renamed by mistake. Keep such files as attachments listed under `files:` in evidence.""")
loader_rule("FM003", "file.too-large", E, """A Markdown or YAML file is larger than 1 MiB.

Front matter files should be short; put large material in an attachment.""")
loader_rule("FM004", "file.symlink-outside", E, """A symlink in the repository leads outside it.

Evidence must live in the repository so that git records it; a link to a file elsewhere
proves nothing to an auditor. Copy the file in instead.""")
loader_rule("FM010", "front-matter.missing", E, """A policy or evidence file has no front matter.

Every Markdown file under `policies/` and `evidence/` starts with a `---` line, YAML
fields, and another `---` line. `dspt adopt` can add front matter to existing documents.""")
loader_rule("FM011", "front-matter.unterminated", E, """Front matter is opened but never closed.

The first line is `---` but no later line is `---` (or `...`), so nothing can tell the
fields from the text. Add a line `---` after the last field.""")
loader_rule("FM012", "yaml.syntax", E, """YAML that cannot be parsed.

The message names the line and column where the parser gave up; the mistake is often on
the line before (a missing colon, a tab, an unclosed quote or bracket).""")
loader_rule("FM013", "yaml.not-a-mapping", E, """Front matter or a YAML file is not a mapping.

The top level must be `field: value` lines, not a list or a single value.""")
loader_rule("FM014", "yaml.duplicate-key", E, """The same key appears twice in one mapping.

YAML parsers silently keep the last value, so one of the two is being ignored. Remove or
rename one of them.""")
loader_rule("FM015", "yaml.unsupported", E, """YAML features dsptkit does not accept.

Custom tags, merge keys and aliases that expand enormously are refused: front matter
should be plain values anyone can read.""")
loader_rule("SC001", "schema.invalid-value", E, """A field has a value of the wrong type or form.

Dates are written `YYYY-MM-DD` and must be real dates; durations are `90d`, `12w`, `6m`,
`1y` or ISO 8601 (`P90D`); versions and IDs that look like numbers must be quoted.
The published JSON Schemas (in `tooling/dsptkit/schemas/`) list every field.""")
loader_rule("SC002", "schema.missing-field", E, """A required field is missing.

The message lists the missing fields; `docs/format.md` shows a complete example of each
kind of file.""")
loader_rule("SC003", "schema.unknown-field", W, """A field the format does not know; it is ignored.

Usually a typo: the message suggests the nearest known field (`colected` → `collected`).""")
