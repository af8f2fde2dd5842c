"""dsptkit: a git-backed evidence repository for the NHS Data Security and Protection Toolkit."""

from __future__ import annotations

__version__ = "0.1.0"
