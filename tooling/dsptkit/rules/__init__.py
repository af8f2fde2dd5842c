"""The rules: a registry of named checks with stable codes, one module per family.

Importing this package registers every rule.
"""

from __future__ import annotations

from dsptkit.rules import (  # noqa: F401  (imported to register their rules)
    attachments,
    claims,
    datamap,
    dates,
    dspt,
    history,
    incidents,
    loading,
    ownership,
    patient_data,
    policies,
    references,
    registers,
    staff,
    waivers,
)
from dsptkit.rules.base import REGISTRY, Context, Result, Rule, run_rules

__all__ = ["REGISTRY", "Context", "Result", "Rule", "run_rules"]
