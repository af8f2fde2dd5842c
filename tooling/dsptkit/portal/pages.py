"""Every page of the portal, as a pure function of one check run.

A page is a path, a title and Markdown (with HTML blocks for tables and panels). Nothing
here reads files or asks git: the plugin passes in the check run, the history and the
timeline, and gets back pages and the attachments to publish.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from dsptkit.engine import CheckRun
from dsptkit.git import History
from dsptkit.model import CARRYING_RELATIONS, SCHEME_NAMES, CatalogueItem, Evidence, Level, Policy, Severity
from dsptkit.portal.chart import Series, line_chart
from dsptkit.portal.html import a, badge, block, e, progress, table, url
from dsptkit.portal.sanitise import attachment_rewriter, render
from dsptkit.rules import REGISTRY, Result
from dsptkit.standing import review_due
from dsptkit.status import ClaimState, ItemState, ItemStatus

DUE_WINDOW = 60  # days ahead the dashboard looks for what falls due
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")
# how quick a kind of gap is to close: the gaps page lists quick fixes first
EFFORT = {"PO101": 1, "PO102": 1, "CL104": 1, "WV001": 1, "CL105": 1, "EV101": 1,
          "CL102": 2, "EV102": 2, "WV002": 1, "CL101": 3, "CL103": 4, "CO101": 5, "OW101": 5}


@dataclass(frozen=True)
class Page:
    path: str  # e.g. "policies/access-control.md"
    title: str
    markdown: str
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Asset:
    path: str  # where it is published, e.g. "evidence/files/EV-1/shot.png"
    source: str  # repository-relative path of the file
    sha256: str | None


@dataclass(frozen=True)
class TimelinePoint:
    label: str  # "2026-03"
    reconstructed: int  # mandatory items met by the dates stated in today's files
    recorded: int | None  # mandatory items met by the files as committed then (None: no commit)


@dataclass(frozen=True)
class Site:
    pages: list[Page]
    assets: list[Asset]
    overall: str
    as_of: date
    public: bool


def build_site(run: CheckRun, timeline: list[TimelinePoint] | None = None,
               internal: bool = False) -> Site:
    """All pages and assets for a check run. A public build leaves restricted evidence out."""
    builder = _Builder(run, run.history, timeline or [], internal)
    return builder.build()


class _Builder:
    def __init__(self, run: CheckRun, history: History | None, timeline: list[TimelinePoint],
                 internal: bool) -> None:
        self.run = run
        self.repo = run.repo
        self.pos = run.position
        self.history = history
        self.timeline = timeline
        self.internal = internal
        self.category = self.repo.organisation.category if self.repo.organisation else ""
        self.published = [ev for ev in self.repo.evidence
                          if internal or ev.classification != "restricted"]
        self.hidden = {ev.id for ev in self.repo.evidence} - {ev.id for ev in self.published}
        self.policy_of_claim = {c.id: p for p in self.repo.policies for c in p.claims}
        self.evidence_of_claim: dict[str, list[Evidence]] = defaultdict(list)
        for ev in sorted(self.repo.evidence, key=lambda x: (x.collected, x.id), reverse=True):
            for claim_id in ev.supports:
                self.evidence_of_claim[claim_id].append(ev)
        self.results_by_item: dict[str, list[Result]] = defaultdict(list)
        for res in run.results:
            for ref in res.items:
                self.results_by_item[ref].append(res)
        self.mapped_from: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for item in self.repo.items.values():
            for ref, relation in item.maps_to:
                self.mapped_from[ref].append((item.ref, relation))
        self.assets: list[Asset] = []
        self.texts = {source.path: source.text for source in run.report.texts}

    # -- paths -----------------------------------------------------------------------------

    @staticmethod
    def item_page(ref: str) -> str:
        return f"items/{ref.replace(':', '-')}.md"

    @staticmethod
    def standard_page(framework: str, standard: str) -> str:
        return f"standards/{framework}-{standard}.md"

    @staticmethod
    def policy_page(policy_id: str) -> str:
        return f"policies/{policy_id}.md"

    @staticmethod
    def evidence_page(evidence_id: str) -> str:
        return f"evidence/{evidence_id}.md"

    @staticmethod
    def rule_page(code: str) -> str:
        return f"rules/{code}.md"

    # -- shared pieces ---------------------------------------------------------------------

    def redact(self, text: str) -> str:
        """Public builds never name restricted evidence, even inside a finding's message."""
        for hidden in self.hidden:
            text = text.replace(hidden, "a restricted record")
        return text

    def evidence_link(self, here: str, ev: Evidence) -> str:
        if ev.id in self.hidden:
            return '<span class="dspt-restricted">restricted record</span>'
        return a(here, self.evidence_page(ev.id), ev.id) + " " + e(ev.title)

    def owner(self, name: str) -> str:
        org = self.repo.organisation
        person_id = org.person_for(name) if org else name
        person = self.repo.people.get(person_id)
        if person and person_id != name:
            return f"{e(person.name)} ({e(name)})"
        return e(person.name if person else name)

    def level_text(self, item: CatalogueItem) -> str:
        level = item.level_for(self.category)
        if level is Level.APPROACHING:
            return "mandatory (Approaching Standards and Standards Met)"
        if level is Level.MET:
            return "mandatory for Standards Met"
        if level is Level.OPTIONAL:
            return "optional"
        return f"not asked of category {self.category}" if self.category else "—"

    def claim_state_cell(self, state: ClaimState) -> str:
        claim = state.claim
        if not state.policy.active:
            return badge("na", f"{state.policy.status} policy")
        if claim.planned:
            late = claim.target and claim.target < self.pos.as_of
            return badge("not-met" if late else "planned",
                         f"planned for {claim.target.isoformat() if claim.target else '?'}")
        if state.latest_failure is not None:
            return badge("not-met", f"failed ({state.latest_failure.collected.isoformat()})")
        if state.latest_pass is None:
            return badge("not-met", "no evidence")
        if state.expires and state.expires < self.pos.as_of:
            return badge("not-met", f"expired {state.expires.isoformat()}")
        window = self.repo.organisation.settings.warning_window if self.repo.organisation \
            else None
        if state.expires and window and window.before(state.expires) <= self.pos.as_of:
            return badge("at-risk", f"expires {state.expires.isoformat()}")
        return badge("met", f"current to {state.expires.isoformat() if state.expires else '?'}")

    def finding_rows(self, here: str, results: list[Result]) -> list[list[str]]:
        rows = []
        for res in results:
            rule = REGISTRY[res.code]
            rows.append([a(here, self.rule_page(res.code), res.code),
                         badge(_severity_css(res.severity), res.severity.value),
                         e(self.redact(res.message)),
                         f"<code>{e(res.loc.path)}:{res.loc.line}</code>",
                         e(rule.name)])
        return rows

    # -- build -----------------------------------------------------------------------------

    def build(self) -> Site:
        pages = [self.dashboard(), self.standards_index()]
        frameworks = sorted({i.framework for i in self.repo.items.values()},
                            key=lambda f: (f != "dspt", f))
        for framework in frameworks:
            standards = sorted({(i.standard, i.standard_title) for i in self.repo.items.values()
                                if i.framework == framework}, key=lambda s: _natural(s[0]))
            for number, title in standards:
                pages.append(self.standard(framework, number, title))
        pages += [self.item(state) for state in self.pos.items.values()]
        pages.append(self.policies_index())
        pages += [self.policy(p) for p in self.repo.policies]
        pages.append(self.evidence_index())
        pages += [self.evidence(ev) for ev in self.published]
        pages += [self.gaps(), self.registers(), self.rules_index()]
        pages += [self.rule(rule.code) for rule in REGISTRY.all()]
        pages.append(self.audit_pack())
        leaves = ("items/", "policies/", "evidence/", "rules/", "standards/")
        for page in pages:  # the tabs are the navigation; pages use the full width
            hide = page.meta.setdefault("hide", [])
            if "navigation" not in hide:
                hide.append("navigation")
            if page.path.startswith(leaves) and not page.path.endswith("index.md"):
                page.meta["dspt_leaf"] = True
        return Site(pages, self.assets, self.pos.overall.value, self.pos.as_of, not self.internal)

    # -- dashboard -------------------------------------------------------------------------

    def dashboard(self) -> Page:
        here = "index.md"
        org = self.repo.organisation
        pos = self.pos
        name = org.name if org else "Evidence repository"
        mandatory = [s for s in pos.items.values() if s.mandatory and not s.waived]
        met = sum(1 for s in mandatory if s.status.is_met)
        lines = [f"# {e(name)}", ""]
        summary = [f'<div class="dspt-position dspt-{_overall_css(pos.overall.value)}">',
                   f'<div class="dspt-position-label">Position as of {pos.as_of.isoformat()}'
                   "</div>",
                   f'<div class="dspt-position-value">{e(pos.overall.value)}</div>',
                   f'<div class="dspt-position-detail">{met} of {len(mandatory)} mandatory '
                   f"items met"]
        if org:
            ods = f" · ODS {e(org.ods_code)}" if org.ods_code else ""
            summary.append(f" · category {e(org.category)}{ods}"
                           f"{' · ' + e(org.edition) if org.edition else ''}")
        summary.append("</div>")
        for ev in pos.certificates.values():
            if ev.certificate:
                cert = ev.certificate
                link = self.evidence_link(here, ev) if ev.id not in self.hidden else "restricted"
                summary.append(f'<div class="dspt-position-detail">{e(cert.name)} certificate, '
                               f"valid until {cert.expires.isoformat()} ({link})</div>")
        build = "internal build: includes restricted evidence" if self.internal else \
            "public build: restricted evidence is not published"
        summary.append(f'<div class="dspt-position-detail dspt-muted">{e(build)}</div></div>')
        lines.append(block("".join(summary)))

        lines += ["## Progress by standard", ""]
        rows = []
        for (framework, number, title), states in self._standards("dspt"):
            mand = [s for s in states if s.mandatory and not s.waived]
            ok = sum(1 for s in mand if s.status.is_met)
            worst = _worst(mand) if mand else ItemStatus.NOT_APPLICABLE
            rows.append([a(here, self.standard_page(framework, number), f"{number}. {title}"),
                         progress(ok, len(mand)) if mand else "—", badge(worst)])
        lines.append(block(table(["Standard", "Mandatory items met", "Worst status"], rows,
                                 "dspt-progress-table")))

        lines += ["## What blocks Standards Met", ""]
        rows = [[a(here, self.item_page(s.item.ref), s.item.ref), e(s.item.title), badge(s.status),
                 e(self.redact(s.reason))] for s in pos.blocking]
        lines.append(block(table(["Item", "Title", "Status", "Why"], rows,
                                 empty="Nothing: every mandatory item is met.")))

        lines += [f"## Due in the next {DUE_WINDOW} days", ""]
        lines.append(block(table(["Date", "What", "Where"], self._due(here),
                                 empty=f"Nothing falls due in the next {DUE_WINDOW} days.")))

        if self.timeline:
            lines += ["## Position over time", ""]
            total = max([len(mandatory)] + [p.reconstructed for p in self.timeline])
            series = [Series("by the dates in today's evidence",
                             [(p.label, p.reconstructed) for p in self.timeline], "reconstructed")]
            if any(p.recorded is not None for p in self.timeline):
                series.insert(0, Series("as committed in git at each month's end",
                                        [(p.label, p.recorded) for p in self.timeline],
                                        "recorded"))
            lines.append(block(line_chart(series, total, "Mandatory items met, by month")))

        lines += ["## Last changes", ""]
        if self.history and self.history.available:
            rows = [[e(c.committed.date().isoformat()), e(c.author), e(c.message),
                     f"<code>{e(c.short)}</code>"] for c in self.history.commits[:10]]
            lines.append(block(table(["Date", "Author", "Change", "Commit"], rows)))
            if self.history.note:
                lines.append(f"*{e(self.history.note)}.*")
        else:
            note = self.history.note if self.history else "history was not read"
            lines.append(f"*No history: {e(note)}.*")
        return Page(here, "Dashboard", "\n".join(lines) + "\n", {"hide": ["toc"]})

    def _due(self, here: str) -> list[list[str]]:
        pos, horizon = self.pos, self.pos.as_of + timedelta(days=DUE_WINDOW)
        due: list[tuple[date, str, str]] = []
        for state in pos.claims.values():
            claim = state.claim
            if not state.policy.active:
                continue
            where = a(here, self.policy_page(state.policy.id), state.policy.title)
            if claim.planned and claim.target and claim.target <= horizon:
                due.append((claim.target, f"planned claim {e(claim.id)} due", where))
            elif state.expires and pos.as_of <= state.expires <= horizon:
                due.append((state.expires, f"evidence for {e(claim.id)} expires", where))
        default = self.repo.organisation.settings.policy_review_every if self.repo.organisation \
            else None
        for policy in self.repo.policies:
            when = review_due(policy, default)
            if policy.active and when and when <= horizon:
                due.append((when, "policy review" + (" (overdue)" if when < pos.as_of else ""),
                            a(here, self.policy_page(policy.id), policy.title)))
        for ev in pos.certificates.values():
            if ev.certificate and ev.certificate.expires <= horizon:
                due.append((ev.certificate.expires, f"{e(ev.certificate.name)} certificate expires",
                            self.evidence_link(here, ev)))
        for waiver in self.repo.organisation.waivers if self.repo.organisation else ():
            if pos.as_of <= waiver.expires <= horizon:
                due.append((waiver.expires, f"waiver of {e(waiver.rule or waiver.item)} expires",
                            "<code>organisation.yaml</code>"))
        return [[d.isoformat(), what, where] for d, what, where in sorted(due, key=lambda x: x[0])]

    def _standards(self, framework: str):
        groups: dict[tuple[str, str, str], list[ItemState]] = defaultdict(list)
        for state in self.pos.items.values():
            item = state.item
            if item.framework == framework:
                groups[(item.framework, item.standard, item.standard_title)].append(state)
        return sorted(groups.items(), key=lambda kv: _natural(kv[0][1]))

    # -- standards and items ---------------------------------------------------------------

    def standards_index(self) -> Page:
        here = "standards/index.md"
        lines = ["# Standards", ""]
        frameworks = sorted({(i.framework) for i in self.repo.items.values()},
                            key=lambda f: (f != "dspt", f))
        for framework in frameworks:
            fw = self.repo.frameworks.get(framework)
            title = fw.title if fw else framework
            edition = f" ({fw.edition})" if fw and fw.edition else ""
            lines += [f"## {e(title)}{e(edition)}", ""]
            if fw and fw.known_gaps:
                lines.append(block(f'<p class="dspt-note">Known gaps: {e(fw.known_gaps)}</p>'))
            rows = []
            for (fw_id, number, title_), states in self._standards(framework):
                mand = [s for s in states if s.mandatory and not s.waived]
                ok = sum(1 for s in mand if s.status.is_met)
                counted = {st: sum(1 for s in states if s.status is st) for st in ItemStatus}
                rows.append([a(here, self.standard_page(fw_id, number), f"{number}. {title_}"),
                             progress(ok, len(mand)) if mand else "—",
                             str(counted[ItemStatus.MET] + counted[ItemStatus.AT_RISK]),
                             str(len(states))])
            lines.append(block(table(["Standard", "Mandatory met", "Items met", "Items"], rows)))
        return Page(here, "Standards", "\n".join(lines) + "\n")

    def standard(self, framework: str, number: str, title: str) -> Page:
        here = self.standard_page(framework, number)
        fw = self.repo.frameworks.get(framework)
        lines = [f"# {e(number)}. {e(title)}", ""]
        if fw:
            lines.append(f"*{e(fw.title)}*")
        by_assertion: dict[tuple[str, str], list[ItemState]] = defaultdict(list)
        for state in self.pos.items.values():
            item = state.item
            if item.framework == framework and item.standard == number:
                by_assertion[(item.assertion, item.assertion_title)].append(state)
        for (assertion, atitle), states in sorted(by_assertion.items(),
                                                  key=lambda kv: _natural(kv[0][0])):
            lines += ["", f"## {e(assertion)} {e(atitle)}", ""]
            rows = [[a(here, self.item_page(s.item.ref), s.item.id), e(s.item.title),
                     e(self.level_text(s.item)), badge(s.status), e(self.redact(s.reason))]
                    for s in states]
            lines.append(block(table(["Item", "Title", "Level", "Status", "Why"], rows)))
        return Page(here, f"{number}. {title}", "\n".join(lines) + "\n")

    def item(self, state: ItemState) -> Page:
        item = state.item
        here = self.item_page(item.ref)
        lines = [f"# {e(item.ref)} {e(item.title)}", ""]
        facts = [["Status", badge(state.status) + " " + e(self.redact(state.reason))],
                 ["Level", e(self.level_text(item))],
                 ["Standard", a(here, self.standard_page(item.framework, item.standard),
                                f"{item.standard}. {item.standard_title}")],
                 ["Assertion", e(f"{item.assertion} {item.assertion_title}")]]
        if item.evidence_every:
            facts.append(["Evidence needed within", e(item.evidence_every)])
        if item.exempt_by:
            names = ", ".join(SCHEME_NAMES.get(s, s) for s in item.exempt_by)
            facts.append(["Exempt with a current certificate", e(names)])
        if state.certificate is not None:
            facts.append(["Met via certificate", self.evidence_link(here, state.certificate)])
        if state.waived:
            facts.append(["Waived", "yes (see below)"])
        facts.append(["Provenance", e(item.provenance or "not recorded")])
        lines.append(block(table(["", ""], facts, "dspt-facts")))
        if item.guidance:
            lines += ["## What good evidence looks like", "", e(item.guidance), ""]
        lines += ["## Claims that meet it", ""]
        rows = []
        for cs in state.claims:
            claim = cs.claim
            carried = "" if item.ref in claim.meets else " (carried across a mapping)"
            rows.append([a(here, self.policy_page(cs.policy.id), cs.policy.title),
                         f"<strong>{e(claim.id)}</strong> {e(claim.says)}{e(carried)}",
                         self.owner(claim.owner), e(claim.evidence_every),
                         self.claim_state_cell(cs)])
        inactive = [(p, c) for p in self.repo.policies if not p.active for c in p.claims
                    if item.ref in c.meets]
        for policy, claim in inactive:
            rows.append([a(here, self.policy_page(policy.id), policy.title),
                         f"<strong>{e(claim.id)}</strong> {e(claim.says)}",
                         self.owner(claim.owner), e(claim.evidence_every),
                         badge("na", f"{policy.status} policy: does not count")])
        lines.append(block(table(["Policy", "Claim", "Owner", "Evidence every", "State"], rows,
                                 empty="No policy claims this item.")))
        for cs in state.claims:
            lines += [f"### Evidence for {e(cs.claim.id)}", ""]
            lines.append(block(self.evidence_table(here, cs)))
        waivers = [w for w in (self.repo.organisation.waivers if self.repo.organisation else ())
                   if w.item == item.ref]
        waived_results = [(r, w) for r, w in self.run.waived if item.ref in r.items]
        if waivers or waived_results:
            lines += ["## Waivers", ""]
            rows = [[e(w.rule or "the whole item"), e(w.reason), self.owner(w.approved_by),
                     e(w.expires.isoformat())] for w in waivers]
            rows += [[e(r.code), e(w.reason), self.owner(w.approved_by), e(w.expires.isoformat())]
                     for r, w in waived_results]
            lines.append(block(table(["Waives", "Reason", "Approved by", "Expires"], rows)))
        maps = [(ref, rel, "maps to") for ref, rel in item.maps_to] + \
            [(ref, rel, "mapped from") for ref, rel in self.mapped_from.get(item.ref, [])]
        if maps:
            lines += ["## Other frameworks", ""]
            rows = [[e(direction), a(here, self.item_page(ref), ref) if ref in self.repo.items
                     else e(ref), e(self.repo.items[ref].title) if ref in self.repo.items else "",
                     e(rel), "yes" if rel in CARRYING_RELATIONS or
                     (direction == "mapped from" and rel == "subset") else "no"]
                    for ref, rel, direction in maps]
            lines.append(block(table(["", "Item", "Title", "Relation", "Evidence carries"],
                                     rows)))
        results = self.results_by_item.get(item.ref, [])
        if results:
            lines += ["## Findings", ""]
            lines.append(block(table(["Rule", "Severity", "Finding", "Where", "Name"],
                                     self.finding_rows(here, results))))
        return Page(here, f"{item.ref} {item.title}", "\n".join(lines) + "\n")

    def evidence_table(self, here: str, cs: ClaimState) -> str:
        rows, hidden = [], 0
        for ev in self.evidence_of_claim.get(cs.claim.id, []):
            if ev.id in self.hidden:
                hidden += 1
                continue
            age = (self.pos.as_of - ev.collected).days
            allowance = cs.claim.evidence_every.after(ev.collected)
            within = allowance >= self.pos.as_of
            rows.append([e(ev.collected.isoformat()), self.evidence_link(here, ev),
                         badge("met" if ev.passed else "not-met", ev.outcome), self.owner(ev.by),
                         f"{age} days" + ("" if within else
                                          f" (over the {e(cs.claim.evidence_every)} allowance)")])
        html = table(["Collected", "Evidence", "Outcome", "By", "Age"], rows,
                     empty="No evidence recorded.")
        if hidden:
            html += f'<p class="dspt-note">{hidden} restricted record{"s" if hidden > 1 else ""} ' \
                    "not published.</p>"
        return html

    # -- policies --------------------------------------------------------------------------

    def policies_index(self) -> Page:
        here = "policies/index.md"
        default = self.repo.organisation.settings.policy_review_every if self.repo.organisation \
            else None
        rows = []
        for p in sorted(self.repo.policies, key=lambda x: x.title.lower()):
            due = review_due(p, default)
            overdue = p.active and due and due < self.pos.as_of
            rows.append([a(here, self.policy_page(p.id), p.title), e(p.version),
                         badge("met" if p.active else "na", p.status), self.owner(p.owner),
                         e(p.approved_on.isoformat() if p.approved_on else "—"),
                         badge("not-met", f"{due.isoformat()} overdue") if overdue
                         else e(due.isoformat() if due else "—"), str(len(p.claims))])
        md = "# Policies\n" + block(table(["Policy", "Version", "Status", "Owner", "Approved",
                                           "Next review", "Claims"], rows, "dspt-sortable"))
        return Page(here, "Policies", md)

    def policy(self, policy: Policy) -> Page:
        here = self.policy_page(policy.id)
        default = self.repo.organisation.settings.policy_review_every if self.repo.organisation \
            else None
        due = review_due(policy, default)
        approved = f"{self.owner(policy.approved_by)} on {policy.approved_on.isoformat()}" \
            if policy.approved_by and policy.approved_on else "not approved"
        facts = [["Version", e(policy.version)],
                 ["Status", badge("met" if policy.active else "na", policy.status)],
                 ["Owner", self.owner(policy.owner)], ["Approved", approved],
                 ["Next review", e(due.isoformat() if due else "—") +
                  (" " + badge("not-met", "overdue") if policy.active and due and
                   due < self.pos.as_of else "")],
                 ["Source", f"<code>{e(policy.loc.path)}</code>"]]
        lines = [f"# {e(policy.title)}", "", block(table(["", ""], facts, "dspt-facts")),
                 "## Claims", ""]
        rows = []
        for claim in policy.claims:
            state = self.pos.claims.get(claim.id)
            items = ", ".join(a(here, self.item_page(ref), ref) if ref in self.repo.items
                              else e(ref) for ref in claim.meets)
            rows.append([f"<strong>{e(claim.id)}</strong>", e(claim.says), items,
                         self.owner(claim.owner), e(claim.evidence_every),
                         self.claim_state_cell(state) if state else ""])
        lines.append(block(table(["Claim", "Says", "Meets", "Owner", "Evidence every", "State"],
                                 rows, empty="This policy makes no claims yet.")))
        body = self._document_body(policy.loc.path)
        if body:
            lines += ["## The policy", "", block(f'<div class="dspt-document">{body}</div>')]
        lines += ["## Version history", ""]
        lines.append(block(self._file_history(policy.loc.path)))
        return Page(here, policy.title, "\n".join(lines) + "\n")

    def _document_body(self, path: str, rewrite=None) -> str:  # type: ignore[no-untyped-def]
        text = self.texts.get(path)
        if text is None:
            return ""
        if text.startswith("---"):
            end = text.find("\n---", 3)
            text = text[text.find("\n", end + 1) + 1:] if end != -1 else ""
        stripped = text.lstrip("\n")
        if stripped.startswith("# "):  # the page already has the document's title
            text = stripped.split("\n", 1)[1] if "\n" in stripped else ""
        return render(text, rewrite)

    def _file_history(self, path: str) -> str:
        if not self.history or not self.history.available:
            note = self.history.note if self.history else "history was not read"
            return f"<p class=\"dspt-note\">No history: {e(note)}.</p>"
        rows = [[e(c.committed.date().isoformat()), e(c.author), e(c.message),
                 f"<code>{e(c.short)}</code>"] for c in self.history.of(path)]
        return table(["Date", "Author", "Change", "Commit"], rows,
                     empty="Not yet committed to git.")

    # -- evidence --------------------------------------------------------------------------

    def evidence_index(self) -> Page:
        here = "evidence/index.md"
        rows = []
        for ev in sorted(self.published, key=lambda x: (x.collected, x.id), reverse=True):
            age = (self.pos.as_of - ev.collected).days
            expiries = [self.policy_claim_expiry(c, ev) for c in ev.supports]
            expiry = min((d for d in expiries if d), default=None)
            claims = ", ".join(e(c) for c in ev.supports) or "—"
            rows.append([f'<span data-sort="{ev.collected.isoformat()}">'
                         f"{ev.collected.isoformat()}</span>",
                         a(here, self.evidence_page(ev.id), ev.id),
                         e(ev.title), claims, badge("met" if ev.passed else "not-met", ev.outcome),
                         f'<span data-sort="{age:06d}">{age} days</span>',
                         e(expiry.isoformat()) if expiry else "—"])
        hidden = len(self.hidden)
        note = f'<p class="dspt-note">{hidden} restricted record{"s" if hidden != 1 else ""} ' \
               "not published.</p>" if hidden else ""
        filter_box = ('<p><label>Filter: <input type="search" class="dspt-filter" '
                      'data-table="dspt-evidence" placeholder="ID, title, claim, outcome">'
                      "</label></p>")
        md = "# Evidence register\n" + block(
            filter_box + table(["Collected", "ID", "Title", "Claims", "Outcome", "Age", "Expires"],
                               rows, "dspt-sortable dspt-evidence") + note)
        return Page(here, "Evidence register", md, {"search": {"exclude": True}})

    def policy_claim_expiry(self, claim_id: str, ev: Evidence) -> date | None:
        policy = self.policy_of_claim.get(claim_id)
        if policy is None:
            return None
        claim = next(c for c in policy.claims if c.id == claim_id)
        return claim.evidence_every.after(ev.collected)

    def evidence(self, ev: Evidence) -> Page:
        here = self.evidence_page(ev.id)
        links = {}
        rows = []
        for att in ev.files:
            name = att.path.replace("\\", "/").rsplit("/", 1)[-1]
            published = f"evidence/files/{ev.id}/{name}"
            if att.state == "ok" and att.repo_path:
                self.assets.append(Asset(published, att.repo_path, att.actual_sha256))
                links[att.path] = url(here, published)
                preview = ""
                if name.lower().endswith(IMAGE_SUFFIXES):
                    preview = f'<br><img src="{e(url(here, published))}" alt="{e(name)}" ' \
                              'class="dspt-attachment">'
                rows.append([f'<a href="{e(url(here, published))}" download>{e(name)}</a>'
                             + preview, f"<code>{e(att.actual_sha256)}</code>",
                             "matches" if att.actual_sha256 == att.sha256 else "DIFFERS"])
            else:
                rows.append([e(name), f"<code>{e(att.sha256)}</code>", e(att.state)])
        supports = ", ".join(
            a(here, self.policy_page(self.policy_of_claim[c].id), c)
            if c in self.policy_of_claim else e(c) for c in ev.supports) or "—"
        facts = [["Collected", e(ev.collected.isoformat())], ["By", self.owner(ev.by)],
                 ["Supports", supports], ["Outcome", badge("met" if ev.passed else "not-met",
                                                           ev.outcome)],
                 ["Classification", e(ev.classification)],
                 ["Source", f"<code>{e(ev.loc.path)}</code>"]]
        if ev.certificate:
            cert = ev.certificate
            facts.insert(4, ["Certificate", f"{e(cert.name)}, expires {cert.expires.isoformat()}"])
        lines = [f"# {e(ev.id)} {e(ev.title)}", "", block(table(["", ""], facts, "dspt-facts"))]
        body = self._document_body(ev.loc.path, attachment_rewriter(links))
        if body:
            lines += ["## Record", "", block(f'<div class="dspt-document">{body}</div>')]
        if ev.files:
            lines += ["## Attachments", "", block(table(["File", "sha256", "Check"], rows))]
        if self.history and self.history.available:
            lines += ["## History", "", block(self._file_history(ev.loc.path))]
        # short pages, ten thousand of them: no table of contents to render
        return Page(here, f"{ev.id} {ev.title}", "\n".join(lines) + "\n", {"hide": ["toc"]})

    # -- gaps, registers, rules, audit pack --------------------------------------------------

    def gaps(self) -> Page:
        here = "gaps.md"
        mandatory = {ref for ref, s in self.pos.items.items() if s.mandatory}
        gaps = [r for r in self.run.results if r.severity is not Severity.ERROR]
        gaps.sort(key=lambda r: (not (set(r.items) & mandatory), EFFORT.get(r.code, 3),
                                 r.sort_key))
        rows = []
        for res in gaps:
            items = ", ".join(a(here, self.item_page(ref), ref) for ref in res.items
                              if ref in self.repo.items) or "—"
            rows.append([a(here, self.rule_page(res.code), res.code), items,
                         e(self.redact(res.message)), f"<code>{e(res.loc.path)}:{res.loc.line}</code>",
                         "yes" if set(res.items) & mandatory else ""])
        lines = ["# Gaps and improvement plan", "",
                 "Every finding, mandatory items first, then the quickest to fix.", "",
                 block(table(["Rule", "Items", "Finding", "Where", "Mandatory"], rows,
                             empty="No gaps: every claim is backed by current evidence.")),
                 "## Improvement plan", ""]
        plans = [s for s in self.pos.claims.values() if s.claim.planned and s.policy.active]
        rows = [[e(s.claim.target.isoformat() if s.claim.target else "?"),
                 f"<strong>{e(s.claim.id)}</strong> {e(s.claim.says)}",
                 ", ".join(a(here, self.item_page(r), r) for r in s.claim.meets
                           if r in self.repo.items),
                 self.owner(s.claim.owner), self.claim_state_cell(s)]
                for s in sorted(plans, key=lambda s: s.claim.target or date.max)]
        lines.append(block(table(["Target", "Planned claim", "Meets", "Owner", "State"], rows,
                                 empty="No planned claims.")))
        if self.run.waived:
            lines += ["## Waived", ""]
            rows = [[e(r.code), e(self.redact(r.message)), e(w.reason), self.owner(w.approved_by),
                     e(w.expires.isoformat())] for r, w in self.run.waived]
            lines.append(block(table(["Rule", "Finding", "Reason", "Approved by", "Expires"], rows)))
        return Page(here, "Gaps and improvement plan", "\n".join(lines) + "\n")

    def registers(self) -> Page:
        regs = self.repo.registers
        pos = self.pos
        as_of = pos.as_of
        lines = ["# Registers", ""]
        training = pos.training
        lines += ["## People and training", ""]
        if training.share is not None:
            state = "met" if training.met else "not-met"
            lines.append(block(f"<p>{badge(state, f'{int(100 * training.share)}% trained')} since "
                               f"{training.since.isoformat()} ({training.trained} of "
                               f"{len(training.people)} current people; the DSPT asks for at "
                               "least 95%).</p>"))
        current = {p.id for p in training.people}
        rows = []
        for p in self.repo.people.values():
            last = training.last_completed.get(p.id)
            if p.id in training.in_date:
                cell = e(last.isoformat()) if last else ""
            elif p.id in current:
                cell = badge("not-met", f"not in date{f' (last {last.isoformat()})' if last else ''}")
            elif p.started and p.started > as_of:
                cell = badge("na", f"starts {p.started.isoformat()}")
            else:
                cell = e(last.isoformat()) if last else ""
            rows.append([e(p.name), e(p.role or ""), e(p.started.isoformat() if p.started else ""),
                         e(p.left.isoformat() if p.left else ""), cell])
        lines.append(block(table(["Name", "Role", "Started", "Left", "Last trained"], rows,
                                 empty="No people register.")))
        lines += ["## Assets", ""]
        css = {"unsupported": "not-met", "support ending": "at-risk", "supported": "met",
               "not recorded": "na"}
        rows = [[e(s.asset.name), e(s.asset.kind), e(s.asset.version or ""),
                 e(s.asset.supported_until.isoformat() if s.asset.supported_until else ""),
                 badge(css[s.support.value], s.support.value),
                 "yes" if s.asset.holds_personal_data else ""] for s in pos.assets]
        lines.append(block(table(["Asset", "Kind", "Version", "Supported until", "Support",
                                  "Personal data"], rows, empty="No assets register.")))
        lines += ["## Suppliers", ""]
        rows = [[e(s.supplier.name), e(s.supplier.service), e(s.supplier.data_processed or ""),
                 "yes" if s.supplier.contract_article_28 else badge("not-met", "no"),
                 e(s.supplier.certification or ""),
                 e(s.supplier.checked.isoformat() if s.supplier.checked else "never")]
                for s in pos.suppliers]
        lines.append(block(table(["Supplier", "Service", "Data", "Article 28 contract",
                                  "Certification", "Checked"], rows,
                                 empty="No suppliers register.")))
        lines += ["## Incidents", ""]
        rows = [[e(i.id), e(i.date.isoformat()), e(i.summary), e(", ".join(i.reported_to)),
                 e(i.lessons or ""),
                 e(i.closed.isoformat()) if i.closed else badge("at-risk", "open")]
                for i in self.repo.entries("incidents")]
        lines.append(block(table(["ID", "Date", "What happened", "Reported to", "Lessons",
                                  "Closed"], rows, empty="No incidents recorded.")))
        del regs
        return Page("registers.md", "Registers", "\n".join(lines) + "\n")

    def rules_index(self) -> Page:
        here = "rules/index.md"
        counts: dict[str, int] = defaultdict(int)
        for res in self.run.results:
            counts[res.code] += 1
        rows = [[a(here, self.rule_page(r.code), r.code), e(r.name), e(r.severity.value),
                 e(r.summary), str(counts.get(r.code, 0))] for r in REGISTRY.all()]
        md = "# Rules\n\nEvery check `dspt check` runs, with the number of results now.\n" + \
            block(table(["Code", "Name", "Severity", "What it finds", "Now"], rows,
                        "dspt-sortable"))
        return Page(here, "Rules", md)

    def rule(self, code: str) -> Page:
        here = self.rule_page(code)
        rule = REGISTRY[code]
        results = [r for r in self.run.results if r.code == code]
        lines = [f"# {e(code)} {e(rule.name)}", "", f"**{e(rule.summary)}**", "",
                 f"Severity: {badge(_severity_css(rule.severity), rule.severity.value)}",
                 "", e(rule.doc), "", "## Now", ""]
        lines.append(block(table(["Rule", "Severity", "Finding", "Where", "Name"],
                                 self.finding_rows(here, results),
                                 empty="Nothing in the repository trips this rule.")))
        return Page(here, f"{code} {rule.name}", "\n".join(lines) + "\n")

    def audit_pack(self) -> Page:
        here = "audit-pack.md"
        org = self.repo.organisation
        pos = self.pos
        lines = [f"# Audit pack: {e(org.name if org else 'evidence repository')}", "",
                 f"Position as of {pos.as_of.isoformat()}: **{e(pos.overall.value)}**. "
                 "This page gathers the whole submission for printing (use your browser's "
                 "print to PDF).", "", "## Items", ""]
        rows = [[a(here, self.item_page(ref), ref), e(s.item.title), e(self.level_text(s.item)),
                 badge(s.status), e(self.redact(s.reason))]
                for ref, s in pos.items.items() if s.item.framework == "dspt"
                and s.status is not ItemStatus.NOT_APPLICABLE]
        lines.append(block(table(["Item", "Title", "Level", "Status", "Why"], rows)))
        lines += ["## Claims and their evidence", ""]
        for policy in self.repo.policies:
            if not policy.active:
                continue
            for claim in policy.claims:
                cs = pos.claims[claim.id]
                lines += [f"### {e(claim.id)}: {e(claim.says)}", "",
                          f"{e(policy.title)} · meets {e(', '.join(claim.meets))} · "
                          f"owner {self.owner(claim.owner)} · {self.claim_state_cell(cs)}", ""]
                lines.append(block(self.evidence_table(here, cs)))
        lines += ["## Policies", ""]
        for policy in self.repo.policies:
            if policy.active:
                lines += [f"### {e(policy.title)} (version {e(policy.version)})", ""]
                body = self._document_body(policy.loc.path)
                lines.append(block(f'<div class="dspt-document">{body}</div>'))
        return Page(here, "Audit pack", "\n".join(lines) + "\n", {"search": {"exclude": True}})


def _natural(text: str) -> tuple:
    return tuple((int(p), "") if p.isdigit() else (10**9, p) for p in text.replace("A.", "").split("."))


def _worst(states: list[ItemState]) -> ItemStatus:
    order = [ItemStatus.NOT_MET, ItemStatus.PLANNED, ItemStatus.AT_RISK, ItemStatus.MET,
             ItemStatus.NOT_APPLICABLE]
    return min((s.status for s in states), key=order.index)


def _overall_css(value: str) -> str:
    return {"Standards Exceeded": "met", "Standards Met": "met",
            "Approaching Standards": "planned"}.get(value, "not-met")


def _severity_css(severity: Severity) -> str:
    return {Severity.ERROR: "not-met", Severity.FINDING: "at-risk"}.get(severity, "na")
