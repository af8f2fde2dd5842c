"""The DSPT submission drafted from the repository: what the IG lead copies into the DSPT on
submission day, item by item.

Everything comes from one check run (:func:`draft`): the profile (organisation, position,
deadline, ICO registration, senior roles, certificates), every DSPT item the organisation's
category is asked with a proposed answer, a comment drafted from the claims and their dated
evidence and the documents to upload, then the action plan. No fact the position has is
worked out again here; this module only chooses words for it. ``dspt export`` writes it as
Markdown, CSV and JSON (:func:`markdown`, :func:`csv_text`, :func:`json_text`), and the
internal portal's Submission page renders the same :class:`Submission`.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from dsptkit.engine import CheckRun
from dsptkit.model import AttachmentState, Evidence, Level, Repository
from dsptkit.report import FORMAT_VERSION
from dsptkit.status import ClaimStanding, ClaimState, ItemState, ItemStatus, Position

# the senior roles the DSPT asks about, in the order the profile lists them; others follow
SENIOR_ROLES = ("siro", "caldicott_guardian", "ig_lead", "dpo")
ROLE_TITLES = {"siro": "SIRO", "caldicott_guardian": "Caldicott Guardian", "ig_lead": "IG lead",
               "dpo": "Data protection officer", "it_lead": "IT lead"}
LEVEL_NAMES = {Level.APPROACHING: "Approaching Standards", Level.MET: "Standards Met",
               Level.OPTIONAL: "optional"}
ICO_ITEM = "dspt:1.1.1"  # answered with the ICO registration number
SENIOR_ITEM = "dspt:1.1.5"  # answered with the senior roles and how they were appointed
RESTRICTED_NOTE = "restricted: not copied; upload it yourself"
DOCUMENTS = "documents"  # the folder under OUT the documents are copied to
CSV_COLUMNS = ("id", "title", "level", "answer_type", "proposed_answer", "comment", "documents",
               "status")
_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]+")
_NAME_LIMIT = 120


@dataclass(frozen=True)
class Role:
    """A role's holder and how they were appointed, as organisation.yaml records it."""

    role: str  # "siro"
    title: str  # "SIRO"
    person: str  # person id
    name: str  # the holder's name, from the people register (else the id)
    appointed_on: date | None
    how: str | None
    evidence: str | None  # the evidence id recording the appointment
    senior: bool


@dataclass(frozen=True)
class Held:
    """A current certificate."""

    scheme: str  # "ce-plus"
    name: str  # "Cyber Essentials Plus"
    expires: date
    evidence: str
    number: str | None


@dataclass(frozen=True)
class Profile:
    organisation: str
    ods_code: str | None
    category: str
    edition: str | None  # the catalogue's
    statement: str  # the position, in words (never a bare level)
    notes: tuple[str, ...]
    deadline: date
    deadline_text: str
    banner: str | None  # the catalogue is not for the cycle assessed
    ico_registration: str | None
    roles: tuple[Role, ...]
    certificates: tuple[Held, ...]


@dataclass(frozen=True)
class Document:
    """A file to upload for an item: an attachment of the evidence that shows it."""

    name: str  # its name under OUT/documents/, e.g. "1.1.2-EV-2026-012-iar.pdf"
    item: str  # "dspt:1.1.2"
    evidence: str  # the evidence id
    evidence_title: str
    source: str | None  # repository-relative path
    sha256: str | None  # as the check read it
    restricted: bool
    copy: bool  # dspt export copies it
    note: str | None  # why it is not copied, when it is not


@dataclass(frozen=True)
class Entry:
    """One DSPT item as the organisation answers it."""

    ref: str  # "dspt:1.1.2"
    id: str  # "1.1.2"
    title: str
    level: str  # Approaching Standards | Standards Met | optional
    answer_type: str  # yes-no | text | document | date | not stated
    inferred: bool  # the answer type is the catalogue's inference ("[Inf] ...")
    proposed_answer: str
    comment: str
    documents: tuple[Document, ...]
    status: str
    item_status: ItemStatus
    mandatory: bool
    answered: bool  # met, or answered "not applicable"

    @property
    def answer_type_text(self) -> str:
        return f"{self.answer_type} (inferred)" if self.inferred else self.answer_type


@dataclass(frozen=True)
class Action:
    """A line of the action plan: a planned claim, or a mandatory item with no plan."""

    kind: str  # "planned" | "no plan"
    items: tuple[str, ...]
    claim: str | None
    says: str | None
    owner: str | None  # by name
    target: date | None
    overdue: bool
    note: str


@dataclass(frozen=True)
class Submission:
    as_of: date
    profile: Profile
    items: tuple[Entry, ...]
    action_plan: tuple[Action, ...]
    position: dict[str, Any]  # the verdict and the counts, as the JSON gives them
    include_restricted: bool

    @property
    def documents(self) -> tuple[Document, ...]:
        return tuple(d for e in self.items for d in e.documents)

    @property
    def answered(self) -> int:
        return sum(1 for e in self.items if e.answered)


# -- drafting -------------------------------------------------------------------------------

def draft(run: CheckRun, include_restricted: bool = False) -> Submission:
    """The submission for one check run: the command and the portal page call this alone."""
    pos = run.position
    repo = run.repo
    names = _Names(repo)
    profile = _profile(pos, repo, names)
    used: set[str] = set()
    items = tuple(_entry(state, pos, profile, names, used, include_restricted)
                  for state in pos.items.values()
                  if state.item.framework == "dspt" and state.level is not None)
    verdict = pos.verdict
    position = {"level": verdict.level.value, "headline": verdict.headline,
                "statement": verdict.statement, "notes": list(verdict.notes),
                "mandatory": len(pos.mandatory), "mandatory_answered": pos.mandatory_met,
                "blocking": [s.item.ref for s in pos.blocking]}
    return Submission(pos.as_of, profile, items, _action_plan(pos, names), position,
                      include_restricted)


class _Names:
    """People by name: "Priya Shah (it_lead)" for a role, "Priya Shah" for a person id."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.org = repo.organisation

    def person(self, person_id: str) -> str:
        person = self.repo.people.get(person_id)
        return person.name if person else person_id

    def __call__(self, who: str | None) -> str:
        if not who:
            return "not recorded"
        person_id = self.org.person_for(who) if self.org else who
        person = self.repo.people.get(person_id)
        if person is None:
            return who
        return f"{person.name} ({who})" if person_id != who else person.name


def _profile(pos: Position, repo: Repository, names: _Names) -> Profile:
    org = repo.organisation
    calendar = pos.calendar
    roles: list[Role] = []
    if org is not None:
        order = [r for r in SENIOR_ROLES if r in org.roles] + \
            [r for r in org.roles if r not in SENIOR_ROLES]
        for role in order:
            person = org.roles[role]
            appointment = org.appointments.get(role)
            roles.append(Role(role, ROLE_TITLES.get(role, role.replace("_", " ")), person,
                              names.person(person),
                              appointment.appointed_on if appointment else None,
                              appointment.how if appointment else None,
                              appointment.evidence if appointment else None,
                              role in SENIOR_ROLES))
    held = tuple(Held(scheme, ev.certificate.name, ev.certificate.expires, ev.id,
                      ev.certificate.number)
                 for scheme, ev in sorted(pos.certificates.items()) if ev.certificate)
    return Profile(org.name if org else "", org.ods_code if org else None,
                   org.category if org else "", calendar.edition, pos.verdict.statement,
                   pos.verdict.notes, calendar.deadline, calendar.deadline_text, calendar.banner,
                   org.ico_registration if org else None, tuple(roles), held)


def _entry(state: ItemState, pos: Position, profile: Profile, names: _Names, used: set[str],
           include_restricted: bool) -> Entry:
    item = state.item
    answer_type = item.answer or "not stated"
    inferred = bool(item.answer_source and item.answer_source.startswith("[Inf]"))
    documents = _documents(state, pos.repo, used, include_restricted)
    comment = _comment(state, names)
    proposed = _proposed(state, answer_type, comment, documents, profile, names)
    return Entry(item.ref, item.id, item.title, LEVEL_NAMES.get(state.level, str(state.level))
                 if state.level else "", answer_type, inferred, proposed, comment, documents,
                 _status(state), state.status, state.mandatory, state.answered)


def _status(state: ItemState) -> str:
    if state.answer is not None:
        return "not applicable (answered)"
    if state.status is ItemStatus.NOT_APPLICABLE:  # optional, and nothing answers it
        return "not answered (optional)"
    return state.status.value


def _proposed(state: ItemState, answer_type: str, comment: str,
              documents: tuple[Document, ...], profile: Profile, names: _Names) -> str:
    answer = state.answer
    if answer is not None:
        return (f"Not applicable: {_sentence(answer.reason)} Decided by "
                f"{names(answer.decided_by)} on {answer.decided_on.isoformat()}.")
    met = state.status.is_met
    cert = state.certificate.certificate if state.certificate else None
    if answer_type == "yes-no":
        if not met:
            return "No"
        if cert is not None and state.certificate is not None:
            return (f"Yes (met via the {cert.name} certificate {state.certificate.id}, valid "
                    f"until {cert.expires.isoformat()})")
        return "Yes"
    drafted = _drafted(state, answer_type, comment, documents, profile, met)
    if met or state.status.value == "not applicable":  # optional and unanswered: said as such
        return drafted
    return f"Not met: {_sentence(state.reason)} Draft once met: {drafted}"


def _drafted(state: ItemState, answer_type: str, comment: str, documents: tuple[Document, ...],
             profile: Profile, met: bool) -> str:
    """The answer in the form the DSPT asks for, as the evidence would give it."""
    if answer_type == "text" and state.item.ref == ICO_ITEM:
        return profile.ico_registration or \
            "not recorded: add profile.ico_registration to organisation.yaml"
    if answer_type == "text" and state.item.ref == SENIOR_ITEM:
        return _senior_roles(profile)
    if answer_type == "document":
        if documents:
            return "; ".join(d.name for d in documents)
        return "no document: the current evidence has no file attached" if met else \
            "no document: no current evidence to upload"
    if answer_type == "date":
        dates = [s.latest_pass.collected for s in state.claims
                 if s.latest_pass is not None and not s.claim.planned]
        if state.certificate is not None:
            dates.append(state.certificate.collected)
        return max(dates).isoformat() if dates else "no dated evidence"
    return comment


def _senior_roles(profile: Profile) -> str:
    parts = []
    for role in profile.roles:
        if not role.senior:
            continue
        text = f"{role.title}: {role.name}"
        text += f", appointed on {role.appointed_on.isoformat()}." if role.appointed_on else "."
        text += f" {_sentence(role.how)}" if role.how else " How appointed is not recorded."
        if role.evidence:
            text += f" Evidence: {role.evidence}."
        parts.append(text)
    return " ".join(parts) if parts else "no senior roles recorded in organisation.yaml"


def _comment(state: ItemState, names: _Names) -> str:
    """What we do, who does it, when it was last shown, and what is not current."""
    if state.answer is not None:
        answer = state.answer
        return (f"{_sentence(answer.reason)} Decided by {names(answer.decided_by)} on "
                f"{answer.decided_on.isoformat()}.")
    parts: list[str] = []
    if state.certificate is not None and state.certificate.certificate is not None:
        cert = state.certificate.certificate
        parts.append(f"Met via our {cert.name} certificate ({state.certificate.id}, valid until "
                     f"{cert.expires.isoformat()}).")
    for claim_state in state.claims:
        parts.append(_claim_comment(claim_state, names))
    if not state.claims and state.certificate is None:
        if state.status is ItemStatus.NOT_APPLICABLE:
            parts.append("Optional: nothing in the repository answers it.")
        else:
            parts.append(f"Not met: {_sentence(state.reason)}")
    return " ".join(parts)


def _claim_comment(state: ClaimState, names: _Names) -> str:
    claim = state.claim
    owner = names(claim.owner)
    if claim.planned:
        target = claim.target.isoformat() if claim.target else "no target date"
        late = ", overdue" if state.standing is ClaimStanding.PLAN_OVERDUE else ""
        return f"Planned: {_sentence(claim.says)} Owner: {owner}; target {target}{late}."
    text = f"{_sentence(claim.says)} Owner: {owner}."
    latest = state.latest_pass
    if latest is not None:
        text += f" Last shown on {latest.collected.isoformat()}: {_title(latest)}."
    standing = state.standing
    if standing is ClaimStanding.EXPIRING and state.expires:
        text += f" It expires on {state.expires.isoformat()}: renew it before then."
    elif standing is ClaimStanding.STALE and state.expires:
        text += f" Not current: that evidence expired on {state.expires.isoformat()}."
    elif standing is ClaimStanding.FAILED and state.latest_failure is not None:
        failure = state.latest_failure
        text += (f" Not current: {_title(failure)} on {failure.collected.isoformat()} found "
                 f"'{failure.outcome}'.")
    elif standing is ClaimStanding.NO_EVIDENCE:
        text += " Not current: no evidence is recorded yet."
    elif standing is ClaimStanding.INACTIVE:
        text += f" Does not count: its policy is {state.policy.status}."
    return text


def _title(evidence: Evidence) -> str:
    return f"{evidence.title.strip()} ({evidence.id})"


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if not text or text[-1] in ".!?" else text + "."


# -- documents ------------------------------------------------------------------------------

def _documents(state: ItemState, repo: Repository, used: set[str],
               include_restricted: bool) -> tuple[Document, ...]:
    """Each attachment of the latest passing evidence of each current claim meeting the item,
    and of the certificate's evidence when the item is met that way."""
    if state.answer is not None:
        return ()
    shown: list[Evidence] = [s.latest_pass for s in state.claims
                             if s.standing.counts and s.latest_pass is not None]
    if state.certificate is not None:
        shown.append(state.certificate)
    found: list[Document] = []
    seen: set[tuple[str, str]] = set()
    for evidence in shown:
        restricted = evidence.classification == "restricted"
        for att in evidence.files:
            key = (evidence.id, att.repo_path or att.path)
            if key in seen:
                continue
            seen.add(key)
            name = _name(state.item.id, evidence.id, att.path, used)
            problem = _problem(repo.root, att.state, att.repo_path)
            note = f"not copied: {problem}" if problem else \
                RESTRICTED_NOTE if restricted and not include_restricted else None
            found.append(Document(name, state.item.ref, evidence.id, evidence.title,
                                  att.repo_path, att.actual_sha256, restricted, note is None,
                                  note))
    return tuple(found)


def _name(item_id: str, evidence_id: str, path: str, used: set[str]) -> str:
    """A safe file name, unique in the folder: ``1.1.2-EV-2026-012-iar.pdf``."""
    base = path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", f"{item_id}-{evidence_id}-{base}").strip("._-") or "document"
    if len(name) > _NAME_LIMIT:
        stem, dot, suffix = name.rpartition(".")
        keep = f".{suffix}" if dot and len(suffix) <= 10 else ""
        name = name[:_NAME_LIMIT - len(keep)] + keep
    candidate, count = name, 1
    while candidate.casefold() in used:
        count += 1
        stem, dot, suffix = name.rpartition(".")
        candidate = f"{stem}-{count}.{suffix}" if dot and stem else f"{name}-{count}"
    used.add(candidate.casefold())
    return candidate


def _problem(root: str, state: AttachmentState, repo_path: str | None) -> str | None:
    """Why an attachment cannot be copied: what the loader found, or a symbolic link (never
    followed), or a path that would leave the repository."""
    if state is not AttachmentState.OK or not repo_path:
        return f"the file is {state.value}" if state is not AttachmentState.OK else \
            "it is outside the repository"
    real_root = os.path.realpath(root)
    full = os.path.normpath(os.path.join(real_root, repo_path))
    if os.path.commonpath([real_root, full]) != real_root:
        return "it is outside the repository"
    if os.path.realpath(full) != full:
        return "it is a symbolic link (or in a linked folder), which is never followed"
    return None


# -- the action plan ------------------------------------------------------------------------

def _action_plan(pos: Position, names: _Names) -> tuple[Action, ...]:
    plans = sorted((s for s in pos.claims.values() if s.claim.planned and
                    s.standing in (ClaimStanding.PLANNED, ClaimStanding.PLAN_OVERDUE)),
                   key=lambda s: (s.claim.target or date.max, s.claim.id))
    actions = [Action("planned", s.claim.meets, s.claim.id, s.claim.says, names(s.claim.owner),
                      s.claim.target, s.standing is ClaimStanding.PLAN_OVERDUE,
                      "overdue: meet it or move its target" if
                      s.standing is ClaimStanding.PLAN_OVERDUE else "planned")
               for s in plans]
    for state in pos.items.values():
        if state.counted and not state.answered and state.status is not ItemStatus.PLANNED:
            overdue = any(c.claim.planned for c in state.claims)
            note = "its only plan is overdue: meet it or move the target" if overdue else \
                "no plan: add a planned claim"
            actions.append(Action("no plan", (state.item.ref,), None, None, None, None, overdue,
                                  note))
    return tuple(actions)


# -- writing it out -------------------------------------------------------------------------

def as_data(sub: Submission) -> dict[str, Any]:
    """The submission as plain data, keys in a fixed order: what ``submission.json`` holds."""
    p = sub.profile
    return {
        "format_version": FORMAT_VERSION,
        "as_of": sub.as_of.isoformat(),
        "position": sub.position,
        "profile": {
            "organisation": p.organisation, "ods_code": p.ods_code, "category": p.category,
            "edition": p.edition, "statement": p.statement, "notes": list(p.notes),
            "deadline": p.deadline.isoformat(), "deadline_text": p.deadline_text,
            "banner": p.banner, "ico_registration": p.ico_registration,
            "roles": [{"role": r.role, "title": r.title, "person": r.person, "name": r.name,
                       "appointed_on": _iso(r.appointed_on), "how": r.how,
                       "evidence": r.evidence, "senior": r.senior} for r in p.roles],
            "certificates": [{"scheme": c.scheme, "name": c.name,
                              "expires": c.expires.isoformat(), "evidence": c.evidence,
                              "number": c.number} for c in p.certificates],
        },
        "items": [{
            "ref": e.ref, "id": e.id, "title": e.title, "level": e.level,
            "answer_type": e.answer_type, "answer_type_inferred": e.inferred,
            "proposed_answer": e.proposed_answer, "comment": e.comment,
            "documents": [{"name": d.name, "evidence": d.evidence, "source": d.source,
                           "sha256": d.sha256, "restricted": d.restricted, "copied": d.copy,
                           "note": d.note} for d in e.documents],
            "status": e.status, "mandatory": e.mandatory, "answered": e.answered,
        } for e in sub.items],
        "action_plan": [{"kind": a.kind, "items": list(a.items), "claim": a.claim,
                         "says": a.says, "owner": a.owner, "target": _iso(a.target),
                         "overdue": a.overdue, "note": a.note} for a in sub.action_plan],
    }


def json_text(sub: Submission) -> str:
    return json.dumps(as_data(sub), indent=2, ensure_ascii=False) + "\n"


def csv_text(sub: Submission) -> str:
    """One row per item; a cell a spreadsheet would read as a formula starts with a quote."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in sub.items:
        writer.writerow([_csv_cell(v) for v in (
            e.id, e.title, e.level, e.answer_type_text, e.proposed_answer, e.comment,
            "; ".join(d.name if d.copy else f"{d.name} (not copied: {d.note})"
                      for d in e.documents), e.status)])
    return out.getvalue()


def _csv_cell(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def markdown(sub: Submission) -> str:
    """The submission for people: headings and tables, to copy from item by item."""
    p = sub.profile
    lines = [f"# DSPT submission draft: {_inline(p.organisation)}", "",
             f"Drafted by `dspt export` from the evidence repository as of "
             f"{sub.as_of.isoformat()}. Nothing here is sent anywhere: read each answer, then "
             "copy it into the DSPT yourself.", "", "## Profile", "", "| | |", "| --- | --- |"]
    position = " ".join((p.statement, *p.notes))
    for label, value in (("Organisation", p.organisation), ("ODS code", p.ods_code or "not recorded"),
                         ("Category", p.category), ("Edition (catalogue)", p.edition or "not stated"),
                         ("Position", position), ("Deadline", p.deadline_text),
                         ("ICO registration", p.ico_registration or "not recorded")):
        lines.append(f"| {label} | {_cell(value)} |")
    if p.banner:
        lines += ["", f"> {_inline(p.banner)}"]
    lines += ["", "### Senior roles", ""]
    if p.roles:
        lines += ["| Role | Holder | Appointed on | How | Evidence |", "| --- | --- | --- | --- | --- |"]
        lines += [f"| {_cell(r.title)} | {_cell(r.name)} | {_iso(r.appointed_on) or 'not recorded'} | "
                  f"{_cell(r.how or 'not recorded')} | {_cell(r.evidence or '—')} |" for r in p.roles]
    else:
        lines.append("No roles are recorded in organisation.yaml.")
    lines += ["", "### Certificates", ""]
    if p.certificates:
        lines += ["| Scheme | Expires | Evidence |", "| --- | --- | --- |"]
        lines += [f"| {_cell(c.name)} | {c.expires.isoformat()} | {_cell(c.evidence)} |"
                  for c in p.certificates]
    else:
        lines.append("No current certificate.")
    lines += _markdown_items(sub)
    lines += _markdown_plan(sub)
    lines += _markdown_documents(sub)
    return "\n".join(lines) + "\n"


def _markdown_items(sub: Submission) -> list[str]:
    category = sub.profile.category
    lines = ["", "## Items", "",
             f"{len(sub.items)} items are asked of category {_inline(category)}; {sub.answered} "
             "are answered (met, or not applicable).", "",
             "| ID | Title | Level | Answer type | Status |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {_cell(e.id)} | {_cell(e.title)} | {_cell(e.level)} | {_cell(e.answer_type_text)} "
              f"| {_cell(e.status)} |" for e in sub.items]
    for e in sub.items:
        documents = "; ".join(d.name + (f" ({d.note})" if d.note else "") for d in e.documents)
        lines += ["", f"### {_inline(e.id)} {_inline(e.title)}", "", "| | |", "| --- | --- |",
                  f"| Level | {_cell(e.level)} |", f"| Answer type | {_cell(e.answer_type_text)} |",
                  f"| Status | {_cell(e.status)} |",
                  f"| Proposed answer | {_cell(e.proposed_answer)} |",
                  f"| Comment | {_cell(e.comment)} |",
                  f"| Documents | {_cell(documents or 'none')} |"]
    return lines


def _markdown_plan(sub: Submission) -> list[str]:
    lines = ["", "## Action plan", ""]
    plans = [a for a in sub.action_plan if a.kind == "planned"]
    unplanned = [a for a in sub.action_plan if a.kind != "planned"]
    if not sub.action_plan:
        return lines + ["Nothing to plan: no planned claims, and every mandatory item is answered."]
    if plans:
        lines += ["| Items | Claim | What we will do | Owner | Target | Overdue |",
                  "| --- | --- | --- | --- | --- | --- |"]
        lines += [f"| {_cell(', '.join(a.items))} | {_cell(a.claim or '')} | {_cell(a.says or '')} | "
                  f"{_cell(a.owner or '')} | {_iso(a.target) or 'no date'} | "
                  f"{'yes' if a.overdue else 'no'} |" for a in plans]
    if unplanned:
        lines += ["", "Mandatory items not met with no plan in date:", "", "| Item | Action |",
                  "| --- | --- |"]
        lines += [f"| {_cell(', '.join(a.items))} | {_cell(a.note)} |" for a in unplanned]
    return lines


def _markdown_documents(sub: Submission) -> list[str]:
    docs = sub.documents
    lines = ["", "## Documents", ""]
    if not docs:
        return lines + ["No documents to upload."]
    lines += [f"Copied to `{DOCUMENTS}/`, each named by its item. Upload each with its item.", "",
              "| File | Item | Evidence | Note |", "| --- | --- | --- | --- |"]
    lines += [f"| {_cell(d.name)} | {_cell(d.item)} | {_cell(d.evidence)} {_cell(d.evidence_title)} | "
              f"{_cell(d.note or 'copied')} |" for d in docs]
    return lines


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _inline(text: str) -> str:
    """Text on one Markdown line: no line breaks, no raw HTML."""
    return " ".join(str(text).split()).replace("<", "&lt;").replace(">", "&gt;")


def _cell(text: str) -> str:
    """Text in a Markdown table cell: ``|`` escaped, line breaks as ``<br>``, no raw HTML."""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join(_inline(line).replace("|", "\\|") for line in lines if line.strip()) or " "
