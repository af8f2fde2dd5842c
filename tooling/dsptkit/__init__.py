"""dsptkit: a git-backed evidence repository for the NHS Data Security and Protection Toolkit."""

from __future__ import annotations

# Where the project lives. Rule documentation (SARIF helpUri), the schemas' $ids and the
# editor mappings `dspt init` writes are all built from these, so a move changes one place.
PROJECT_URL = "https://github.com/dsptkit/dsptkit"
DOCS_URL = f"{PROJECT_URL}/blob/main/docs/"
SCHEMA_BASE_URL = "https://raw.githubusercontent.com/dsptkit/dsptkit/main/tooling/dsptkit/schemas/"


def __getattr__(name: str) -> str:
    # The one source of the version is pyproject.toml, read back from the installed package's
    # metadata. Read only when asked: importing importlib.metadata costs more than a small check.
    if name == "__version__":
        from importlib import metadata

        try:
            return metadata.version("dsptkit")
        except metadata.PackageNotFoundError:  # pragma: no cover - a checkout never installed
            return "0+unknown"
    raise AttributeError(f"module 'dsptkit' has no attribute {name!r}")
