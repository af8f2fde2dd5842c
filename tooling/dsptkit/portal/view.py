"""What every page shows the same way: badges for each standing, people's names, catalogue
levels, restricted records, a document's text, a file's history.

Every fact comes from the check run (the position and the results); this module only
chooses words and colours for them. Templates reach it as ``site`` (``site.owner(name)``,
``site.claim_badge(state)``), page builders use it to choose what each page holds.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, unquote

from dsptkit.datamap import key
from dsptkit.engine import CheckRun, why_no_history
from dsptkit.git import Commit
from dsptkit.model import Asset, CatalogueItem, Evidence, Level, Policy, Severity, Supplier
from dsptkit.portal import links
from dsptkit.portal.public import RESTRICTED, STAFF, Exposure, Redactor
from dsptkit.portal.sanitise import Document, Rewrite, body
from dsptkit.rules import REGISTRY, Result, Rule
from dsptkit.standing import EvidenceStanding, EvidenceState
from dsptkit.status import ClaimStanding, ClaimState, ItemStatus, Overall

# colours (CSS classes in site_config/docs/assets/portal.css) for each standing
ITEM_CSS = {
    ItemStatus.MET: "met", ItemStatus.AT_RISK: "at-risk", ItemStatus.PLANNED: "planned",
    ItemStatus.NOT_MET: "not-met", ItemStatus.NOT_APPLICABLE: "na",
}
OVERALL_CSS = {Overall.EXCEEDED: "met", Overall.MET: "met", Overall.APPROACHING: "planned",
               Overall.NOT_MET: "not-met", Overall.UNDETERMINED: "at-risk"}
CLAIM_CSS = {
    ClaimStanding.CURRENT: "met", ClaimStanding.EXPIRING: "at-risk",
    ClaimStanding.STALE: "not-met", ClaimStanding.FAILED: "not-met",
    ClaimStanding.NO_EVIDENCE: "not-met", ClaimStanding.PLANNED: "planned",
    ClaimStanding.PLAN_OVERDUE: "not-met", ClaimStanding.INACTIVE: "na",
}
EVIDENCE_CSS = {
    EvidenceStanding.CURRENT: "met", EvidenceStanding.SUPERSEDED: "na",
    EvidenceStanding.EXPIRED: "not-met", EvidenceStanding.FAILED: "not-met",
    EvidenceStanding.NOT_YET: "na", EvidenceStanding.UNLINKED: "na",
}
SEVERITY_CSS = {Severity.ERROR: "not-met", Severity.FINDING: "at-risk", Severity.WARNING: "na"}
# findings that mean an approved policy's approval is not the whole story
POLICY_WARNINGS = {"PO101": ("not-met", "approved, review overdue"),
                   "HI004": ("at-risk", "approved, but changed since"),
                   "HI005": ("at-risk", "approved by its own author")}


@dataclass(frozen=True)
class Badge:
    css: str  # met, at-risk, planned, not-met, na
    text: str


class SiteView:
    """The check run as every page sees it, for one build (public or internal)."""

    def __init__(self, run: CheckRun, internal: bool, exposure: Exposure | None = None) -> None:
        self.run = run
        self.repo = run.repo
        self.pos = run.position
        self.as_of = run.position.as_of
        self.internal = internal
        self.public = not internal
        self.organisation = run.repo.organisation
        self.category = self.organisation.category if self.organisation else ""
        self.published = tuple(ev for ev in self.repo.evidence
                               if internal or ev.classification != "restricted")
        published = {ev.id for ev in self.published}
        self.hidden = frozenset(ev.id for ev in self.repo.evidence if ev.id not in published)
        self._pages_by_path: dict[str, str] | None = None  # document path -> its page
        # what this build shows of people, assets and incidents, and what it must not repeat
        self.exposure = Exposure.everything() if internal else (exposure or Exposure())
        self.show_names = self.exposure.names
        self.redactor = Redactor(run, self.hidden, self.exposure, internal)
        self.policy_of_claim = {c.id: p for p in self.repo.policies for c in p.claims}
        self.results_by_item: dict[str, list[Result]] = defaultdict(list)
        self.results_by_policy: dict[str, list[Result]] = defaultdict(list)
        policy_of_path = {p.loc.path: p for p in self.repo.policies}
        policy_of_subject = {p.id: p for p in self.repo.policies} | self.policy_of_claim
        for res in run.results:
            for ref in res.items:
                self.results_by_item[ref].append(res)
            policy = policy_of_path.get(res.loc.path) or policy_of_subject.get(res.subject or "")
            if policy is not None:
                self.results_by_policy[policy.id].append(res)
        self.waived_by_policy: dict[str, list[str]] = defaultdict(list)  # waived rule codes
        for res, _waiver in run.waived:
            policy = policy_of_path.get(res.loc.path) or policy_of_subject.get(res.subject or "")
            if policy is not None:
                self.waived_by_policy[policy.id].append(res.code)
        self._evidence_badges: dict[str, Badge] = {}
        self.bodies = run.report.bodies  # each document's Markdown after its front matter
        self.history = run.history if run.history is not None and run.history.available else None
        self.history_note = why_no_history(run.repo, run.history)
        self._anchors: dict[str, dict[str, str]] = {}
        self._evidence_by_id: dict[str, Evidence] | None = None

    # -- words for the model ------------------------------------------------------------

    def owner(self, name: str | None) -> str:
        """A person or role as people know them: "Priya Shah (it_lead)"; in a public build
        that shows roles, not names, the role alone: "it_lead", or a person's role."""
        if not name:
            return ""
        person_id = self.organisation.person_for(name) if self.organisation else name
        person = self.repo.people.get(person_id)
        if not self.show_names:
            if person_id != name:  # a role
                return name
            return (person.role or STAFF) if person else self.redactor.text(name)
        if person and person_id != name:
            return f"{person.name} ({name})"
        return person.name if person else name

    def level_text(self, item: CatalogueItem) -> str:
        level = item.level_for(self.category)
        if level is Level.APPROACHING:
            return "mandatory (Approaching Standards and Standards Met)"
        if level is Level.MET:
            return "mandatory for Standards Met"
        if level is Level.OPTIONAL:
            return "optional"
        return f"not asked of category {self.category}" if self.category else "—"

    def redact(self, text: str) -> str:
        """Text a page repeats (a reason, a commit message) as this build may show it: a
        public build never names restricted evidence, nor (showing roles) people."""
        return self.redactor.text(text)

    def message(self, res: Result) -> str:
        """A finding's message as this build may show it (see :mod:`dsptkit.portal.public`)."""
        return self.redactor.message(res)

    def where(self, res: Result) -> str:
        """A finding's file and line, or "a restricted record"."""
        return self.redactor.where(res)

    def is_hidden(self, evidence: Evidence | None) -> bool:
        return evidence is not None and evidence.id in self.hidden

    def shown(self, evidence: tuple[Evidence, ...] | list[Evidence]) -> list[Evidence]:
        """The evidence a build may show: restricted records left out of a public build."""
        return [ev for ev in evidence if ev.id not in self.hidden]

    def rule(self, code: str) -> Rule:
        return REGISTRY[code]

    def document(self, path: str, rewrite: Rewrite | None = None, page: str | None = None
                 ) -> Document:
        """A policy's or evidence file's own text, rendered safely when shown. With ``page``
        (the page it is shown on), links to other policies and records in the repository
        lead to their pages; ``rewrite`` (attachments) is asked first."""
        if page is not None:
            rewrite = self._document_links(path, page, rewrite)
        return Document(body(self.bodies.get(path, "")), rewrite)

    def _document_links(self, path: str, page: str, first: Rewrite | None) -> Rewrite:
        if self._pages_by_path is None:
            self._pages_by_path = {p.loc.path: links.policy(p.id) for p in self.repo.policies}
            self._pages_by_path |= {e.loc.path: links.evidence(e.id) for e in self.repo.evidence
                                    if e.id not in self.hidden}
        pages = self._pages_by_path
        folder = posixpath.dirname(path)

        def rewrite(value: str, image: bool) -> str | None:
            found = first(value, image) if first is not None else None
            if found is not None or image:
                return found
            target, _, anchor = value.strip().partition("#")
            to = pages.get(posixpath.normpath(posixpath.join(folder, unquote(target))))
            if to is None:
                return None  # it points into the repository, not the site
            return links.url(page, to) + (f"#{quote(anchor)}" if anchor else "")

        return rewrite

    def commits(self, path: str) -> list[Commit] | None:
        """A file's commits, newest first; None when there is no history to read."""
        return self.history.of(path) if self.history is not None else None

    def evidence_by_id(self, ident: str) -> Evidence | None:
        """The evidence record an id names, or None when no record has it."""
        if self._evidence_by_id is None:
            self._evidence_by_id = {ev.id: ev for ev in self.repo.evidence}
        return self._evidence_by_id.get(ident)

    # -- anchors: where a register entry is on its page ------------------------------------

    def supplier_anchor(self, name: str) -> str:
        """The id of a supplier's row on the Registers page (``supplier-northwind-cloud``):
        the same for every page that links to it, and for the same name in any case."""
        return self._anchor("supplier", name, (s.name for s in self.repo.entries("suppliers")
                                               if isinstance(s, Supplier)))

    def system_anchor(self, name: str) -> str:
        """The id of a system's row among the Registers page's assets (``asset-booking-platform``)."""
        return self._anchor("asset", name, (a.name for a in self.repo.entries("assets")
                                            if isinstance(a, Asset)))

    def _anchor(self, prefix: str, name: str, names: Iterable[str]) -> str:
        table = self._anchors.get(prefix)
        if table is None:
            table = self._anchors[prefix] = anchors(prefix, names)
        found = table.get(key(name))
        if found is None:  # not in its register: an id of its own, clashing with none
            found = table[key(name)] = anchors(prefix, [name], set(table.values()))[key(name)]
        return found

    # -- badges ---------------------------------------------------------------------------

    def badge(self, css: str, text: object) -> Badge:
        return Badge(css, str(text))

    def overall_css(self, overall: Overall) -> str:
        return OVERALL_CSS[overall]

    def item_badge(self, status: ItemStatus) -> Badge:
        return Badge(ITEM_CSS[status], str(status))

    def severity_badge(self, severity: Severity) -> Badge:
        return Badge(SEVERITY_CSS[severity], str(severity))

    def claim_badge(self, state: ClaimState) -> Badge:
        standing, claim = state.standing, state.claim
        when = state.expires.isoformat() if state.expires else "?"
        target = claim.target.isoformat() if claim.target else "no date"
        text = {
            ClaimStanding.CURRENT: f"current to {when}",
            ClaimStanding.EXPIRING: f"expires {when}",
            ClaimStanding.STALE: f"expired {when}",
            ClaimStanding.FAILED: "failed" + (f" ({state.latest_failure.collected.isoformat()})"
                                              if state.latest_failure else ""),
            ClaimStanding.NO_EVIDENCE: "no evidence",
            ClaimStanding.PLANNED: f"planned for {target}",
            ClaimStanding.PLAN_OVERDUE: f"plan overdue ({target})",
            ClaimStanding.INACTIVE: f"{state.policy.status} policy: does not count",
        }[standing]
        return Badge(CLAIM_CSS[standing], text)

    def inactive_badge(self, policy: Policy) -> Badge:
        return Badge("na", f"{policy.status} policy: does not count")

    def evidence_state(self, evidence: Evidence) -> EvidenceState:
        return self.pos.evidence[evidence.id]

    def evidence_badge(self, evidence: Evidence) -> Badge:
        """Current (to when), superseded (by what), expired (when), failed, not yet collected,
        or supporting no claim: never a bare "pass". (Each record appears on several pages.)"""
        badge = self._evidence_badges.get(evidence.id)
        if badge is None:
            badge = self._evidence_badges[evidence.id] = self._evidence_badge(evidence)
        return badge

    def _evidence_badge(self, evidence: Evidence) -> Badge:
        state = self.pos.evidence[evidence.id]
        standing = state.standing
        if standing is EvidenceStanding.CURRENT:
            text = f"current to {state.expires.isoformat()}" if state.expires else "current"
        elif standing is EvidenceStanding.EXPIRED:
            text = f"expired {state.expires.isoformat()}" if state.expires else "expired"
        elif standing is EvidenceStanding.SUPERSEDED:
            text = f"superseded by {self._name(state.superseded_by)}" if state.superseded_by \
                else "superseded"
        elif standing is EvidenceStanding.FAILED:
            text = "failed" if evidence.outcome == "fail" else f"failed ({evidence.outcome})"
            if state.superseded_by is not None:  # history: a passing re-test took its place
                return Badge("na", f"{text}; superseded by {self._name(state.superseded_by)}")
        else:
            text = str(standing)
        return Badge(EVIDENCE_CSS[standing], text)

    def _name(self, evidence: Evidence | None) -> str:
        if evidence is None:
            return ""
        return RESTRICTED if evidence.id in self.hidden else evidence.id

    def policy_findings(self, policy: Policy) -> list[Result]:
        """Open results about a policy: its own, its claims', and those in its file."""
        return self.results_by_policy.get(policy.id, [])

    def policy_badge(self, policy: Policy) -> Badge:
        """A policy's status; an approved policy that changed since, or is past its review,
        says so instead of a plain green "approved"."""
        if not policy.active:
            return Badge("na", str(policy.status))
        codes = {r.code for r in self.policy_findings(policy)}
        waived = set(self.waived_by_policy.get(policy.id, ()))
        if self.pos.policies[policy.id].overdue and "PO101" not in waived:
            codes.add("PO101")
        for code, (css, text) in POLICY_WARNINGS.items():
            if code in codes:
                return Badge(css, text)
        for code, (_css, text) in POLICY_WARNINGS.items():
            if code in waived:  # accepted for now, with an approved, expiring waiver
                return Badge("at-risk", f"{text} (waived)")
        return Badge("met", str(policy.status))

    def training_percent(self) -> int | None:
        """Trained current people as a whole percentage, rounded down, so the page never
        shows 95% for a share the RG101 rule counts as under 95%."""
        training = self.pos.training
        if not training.people:
            return None
        return 100 * training.trained // len(training.people)


_NOT_ID = re.compile(r"[^a-z0-9]+")


def anchors(prefix: str, names: Iterable[str], taken: set[str] | None = None) -> dict[str, str]:
    """Stable HTML ids for register entries by name, keyed by :func:`dsptkit.datamap.key`:
    ``prefix-`` and the name in lower-case ASCII letters and digits joined by hyphens
    ("Café  Nero" is ``supplier-cafe-nero``); a name with none of those, or whose id another
    name took first, gets a number after it. Nothing a name holds reaches the id but
    letters, digits and hyphens."""
    used = set(taken or ())
    found: dict[str, str] = {}
    for name in names:
        k = key(name)
        if k in found:
            continue
        ascii_name = unicodedata.normalize("NFKD", k).encode("ascii", "ignore").decode()
        stem = f"{prefix}-{_NOT_ID.sub('-', ascii_name).strip('-')}".rstrip("-")
        ident, n = stem, 2
        while ident in used or ident == prefix:
            ident, n = f"{stem}-{n}", n + 1
        used.add(ident)
        found[k] = ident
    return found
