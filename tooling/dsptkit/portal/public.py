"""What a public build may show, and the redaction that keeps the rest out.

A public build is meant for the open web. It never shows restricted evidence: no page, no
attachment, and no trace of its ID, title, path or file names in any finding, reason or
commit message ("a restricted record" instead). It shows roles, not names; counts and
status, not staff records, asset versions or incident narratives. An organisation widens it
field by field (:class:`Exposure`, the ``public`` option of the ``dspt`` plugin). An
internal build shows everything.

Nothing here decides a compliance fact: the findings and their words are the check's own;
this module only chooses which of them a public page may repeat.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from dsptkit.datamap import key
from dsptkit.engine import CheckRun
from dsptkit.model import Asset, InformationAsset, ProcessingActivity, Supplier
from dsptkit.portal.attachments import base_name
from dsptkit.rules import REGISTRY, Result

# what a public build can be widened to show, register by register
# (docs/portal.md says what each exposes)
FIELDS = {
    "people": ("names", "dates"),  # names: people by name, also as owners and commit authors
    "assets": ("names", "versions", "support_dates"),
    "incidents": ("dates", "summaries"),  # summaries: what happened, as recorded
}
RESTRICTED = "a restricted record"
STAFF = "a member of staff"
SYSTEM = "one of our systems"
KEEP = "\x00keep"  # a term kept as it is: a public name that holds a withheld one


@dataclass(frozen=True)
class Exposure:
    """The fields a build shows beyond counts and status: none by default in a public
    build, every one in an internal build."""

    people: frozenset[str] = frozenset()
    assets: frozenset[str] = frozenset()
    incidents: frozenset[str] = frozenset()

    @classmethod
    def everything(cls) -> Exposure:
        return cls(**{kind: frozenset(fields) for kind, fields in FIELDS.items()})

    @classmethod
    def of(cls, options: dict[str, Iterable[str]] | None) -> Exposure:
        """From the plugin's ``public`` option, e.g. ``{"people": ["names"]}``."""
        chosen = {kind: [fields] if isinstance(fields, str) else list(fields or ())
                  for kind, fields in (options or {}).items()}
        wrong = [str(kind) for kind in chosen if kind not in FIELDS]
        wrong += [f"{kind}: {field}" for kind, fields in chosen.items() if kind in FIELDS
                  for field in fields if field not in FIELDS[kind]]
        if wrong:
            raise ValueError("unknown public field(s) " + ", ".join(wrong) + "; choose from " +
                             "; ".join(f"{k}: {', '.join(v)}" for k, v in FIELDS.items()))
        return cls(**{kind: frozenset(chosen.get(kind, ())) for kind in FIELDS})

    @property
    def names(self) -> bool:
        return "names" in self.people


class Redactor:
    """Words a public page must not repeat, and the findings it may show only in general.

    * restricted evidence: its ID, title, file path and attachment names and paths become
      "a restricted record"; a finding in its file (or about it) shows the rule's summary;
    * unless ``people: [names]``: people's names and IDs become their role;
    * unless ``assets: [names]``: the names of our systems (the asset register's entries)
      become "one of our systems" (the data map's findings name flows by their ends),
      except a name that is also a supplier's or an outside party's, which are public;
    * registers whose detail is withheld (people, training and acknowledgements without ``names``, assets
      without ``names``, incidents without any field): a finding in them shows the rule's
      summary, not its message (which names a person, a system, or an incident).
    """

    def __init__(self, run: CheckRun, hidden: frozenset[str], exposure: Exposure,
                 internal: bool) -> None:
        self.active = not internal
        terms: dict[str, str] = {}
        self.paths: frozenset[str] = frozenset()
        self.subjects = hidden
        self.withheld: frozenset[str] = frozenset()
        if internal:
            self._pattern = None
            return
        repo = run.repo
        paths = set()
        for ev in repo.evidence:
            if ev.id not in hidden:
                continue
            paths.add(ev.loc.path)
            for term in (ev.id, ev.title, ev.loc.path, base_name(ev.loc.path)):
                terms[term.lower()] = RESTRICTED
            for att in ev.files:
                for term in (att.path, base_name(att.path), att.repo_path):
                    if term:
                        terms[term.lower()] = RESTRICTED
                if att.repo_path:
                    paths.add(att.repo_path)
        self.paths = frozenset(paths)
        if not exposure.names:
            for person in repo.people.values():
                role = person.role or STAFF
                for term in (person.name, person.id):
                    terms.setdefault(term.lower(), role)
        if "names" not in exposure.assets:
            flows = repo.registers.get("data_flows")
            shown = [s.name for s in repo.entries("suppliers") if isinstance(s, Supplier)]
            shown += [p.name for p in (flows.parties if flows else ())]
            shown += [a.name for a in repo.entries("information_assets")
                      if isinstance(a, InformationAsset)]
            shown += [a.activity for a in repo.entries("processing")
                      if isinstance(a, ProcessingActivity)]
            public = {key(name) for name in shown}
            systems = [a.name for a in repo.entries("assets")
                       if isinstance(a, Asset) and key(a.name) not in public]
            for name in systems:
                terms.setdefault(name.lower(), SYSTEM)
            # names the public build shows that hold a system's name ("Backups of the booking
            # database") are kept whole: the longest match wins, so the system's is not taken
            # out of the middle of them
            holding = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n.lower()) for n in systems)
                                 + r")(?![\w-])", re.IGNORECASE) if systems else None
            for name in shown:
                if holding is not None and holding.search(name):
                    terms.setdefault(name.lower(), KEEP)
        withheld = set()
        for kind, shown in (("people", exposure.names), ("training", exposure.names),
                            ("acknowledgements", exposure.names),
                            ("assets", "names" in exposure.assets),
                            ("incidents", bool(exposure.incidents))):
            register = repo.registers.get(kind)
            if register is not None and not shown:
                withheld.add(register.loc.path)
        self.withheld = frozenset(withheld)
        self.terms = {term: word for term, word in terms.items() if term.strip()}
        self._pattern = re.compile(
            r"(?<![\w-])(?:" + "|".join(re.escape(t) for t in sorted(self.terms, key=len,
                                                                     reverse=True)) +
            r")(?![\w-])", re.IGNORECASE) if self.terms else None

    def text(self, text: str) -> str:
        """Any text a page repeats (a reason, a finding, a commit message), redacted."""
        if self._pattern is None or not text:
            return text
        return self._pattern.sub(self._replace, text)

    def _replace(self, found: re.Match[str]) -> str:
        word = self.terms.get(found.group(0).lower(), RESTRICTED)
        return found.group(0) if word == KEEP else word

    def restricted(self, res: Result) -> bool:
        return res.loc.path in self.paths or (res.subject or "") in self.subjects

    def message(self, res: Result) -> str:
        """A finding's message as this build may show it."""
        if not self.active:
            return res.message
        if self.restricted(res) or res.loc.path in self.withheld:
            summary = REGISTRY[res.code].summary
            return f"{summary} ({RESTRICTED})" if self.restricted(res) else summary
        return self.text(res.message)

    def where(self, res: Result) -> str:
        """Where a finding is, or "a restricted record" when that would name one."""
        if self.active and self.restricted(res):
            return RESTRICTED
        return f"{res.loc.path}:{res.loc.line}"
