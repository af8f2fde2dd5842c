"""The compliance position for people (a table per standard) and for scripts (JSON)."""

from __future__ import annotations

import json
from collections import defaultdict

from dsptkit.engine import CheckRun
from dsptkit.report import FORMAT_VERSION
from dsptkit.status import ItemState, ItemStatus

_ORDER = (ItemStatus.MET, ItemStatus.AT_RISK, ItemStatus.PLANNED, ItemStatus.NOT_MET)


def _by_standard(run: CheckRun) -> dict[tuple[str, str, str], list[ItemState]]:
    groups: dict[tuple[str, str, str], list[ItemState]] = defaultdict(list)
    for state in run.position.items.values():
        item = state.item
        groups[(item.framework, item.standard, item.standard_title)].append(state)
    return groups


# how a status word is coloured on a terminal (report.text decides whether to colour)
_STYLES = {ItemStatus.NOT_MET: "\033[1;31m", ItemStatus.PLANNED: "\033[33m",
           ItemStatus.AT_RISK: "\033[33m"}


def format_text(run: CheckRun, colour: bool = False) -> str:
    org = run.repo.organisation
    pos = run.position
    out = []
    if org:
        ods = f" (ODS {org.ods_code})" if org.ods_code else ""
        edition = f" · {org.edition}" if org.edition else ""
        out.append(f"{org.name}{ods} · category {org.category}{edition}")
    if org is None:
        out.append("organisation.yaml could not be read, so nothing is known to be mandatory: "
                   "the position cannot be worked out (run 'dspt check' and fix it)")
    verdict = pos.verdict
    out.append(f"Position as of {pos.as_of.isoformat()}: {verdict.statement}")
    out.extend(f"  {note}" for note in verdict.notes)
    cal = pos.calendar
    if cal.banner:
        out.append(f"Edition: {cal.banner}")
    out.append(cal.deadline_text)
    for evidence in pos.certificates.values():
        cert = evidence.certificate
        if cert:
            out.append(f"Certificate: {cert.name} ({evidence.id}), valid until "
                       f"{cert.expires.isoformat()}")
    out.append("")
    header = f"{'Standard':<40} {'Mandatory met':>13} {'%':>5} {'at risk':>8} {'planned':>8} " \
             f"{'not met':>8}"
    out.append(header)
    out.append("-" * len(header))
    for (framework, number, title), states in sorted(_by_standard(run).items(),
                                                     key=lambda kv: _key(kv[0])):
        mandatory = [s for s in states if s.counted]
        if not mandatory and (framework != "dspt" or
                              all(s.status is ItemStatus.NOT_APPLICABLE for s in states)):
            continue  # nothing asked of this organisation here: a row of zeros helps nobody
        met = sum(1 for s in mandatory if s.answered)
        pct = f"{100 * met // len(mandatory)}%" if mandatory else "–"
        counts = {status: sum(1 for s in states if s.status is status) for status in _ORDER}
        label = f"{number} {title}" if framework == "dspt" else f"{framework}:{number} {title}"
        out.append(f"{label[:40]:<40} {f'{met}/{len(mandatory)}':>13} {pct:>5} "
                   f"{counts[ItemStatus.AT_RISK]:>8} {counts[ItemStatus.PLANNED]:>8} "
                   f"{counts[ItemStatus.NOT_MET]:>8}")
    mandatory = pos.mandatory
    met = pos.mandatory_met
    out.append("-" * len(header))
    total_pct = f"{100 * met // len(mandatory)}%" if mandatory else "–"
    out.append(f"{'All':<40} {f'{met}/{len(mandatory)}':>13} {total_pct:>5}")
    coverage = verdict.coverage
    if coverage is not None and coverage.missing:
        out.append(f"{'Not in this catalogue':<40} {coverage.missing:>13}   (of "
                   f"{coverage.published} published)")
    if pos.not_applicable:
        out.append("")
        out.append("Answered not applicable:")
        for state in pos.not_applicable:
            answer = state.answer
            out.append(f"  {state.item.ref:<12} {answer.reason} ({answer.decided_by}, "
                       f"{answer.decided_on.isoformat()})")
    if pos.blocking:
        out.append("")
        out.append("Blocking Standards Met:")
        for state in pos.blocking:
            word = f"{state.status.value:<8}"
            if colour and state.status in _STYLES:
                word = f"{_STYLES[state.status]}{state.status.value}\033[0m" \
                       f"{' ' * (8 - len(state.status.value))}"
            out.append(f"  {state.item.ref:<12} {word} {state.item.title}")
            out.append(f"  {'':<12} {'':<8} → {state.reason}")
    at_risk = [s for s in pos.items.values() if s.status is ItemStatus.AT_RISK]
    if at_risk:
        out.append("")
        out.append("At risk (evidence expiring soon):")
        for state in at_risk:
            out.append(f"  {state.item.ref:<12} {state.reason}")
    return "\n".join(out) + "\n"


def format_json(run: CheckRun) -> str:
    org = run.repo.organisation
    pos = run.position
    standards = []
    for (framework, number, title), states in sorted(_by_standard(run).items(),
                                                     key=lambda kv: _key(kv[0])):
        mandatory = [s for s in states if s.counted]
        standards.append({
            "framework": framework, "id": number, "title": title,
            "mandatory": len(mandatory),
            "mandatory_met": sum(1 for s in mandatory if s.answered),
            "counts": {status.value: sum(1 for s in states if s.status is status)
                       for status in ItemStatus},
        })
    data = {
        "format_version": FORMAT_VERSION,
        "as_of": pos.as_of.isoformat(),
        "organisation": {"name": org.name, "ods_code": org.ods_code, "category": org.category,
                         "framework": org.edition} if org else None,
        "overall": pos.overall.value,
        "position": _verdict(pos),
        "calendar": {"edition": pos.calendar.edition,
                     "in_cycle": pos.calendar.in_cycle,
                     "deadline": pos.calendar.deadline.isoformat(),
                     "deadline_known": pos.calendar.deadline_known,
                     "days_left": pos.calendar.days_left,
                     "banner": pos.calendar.banner},
        "certificates": {scheme: {"evidence": ev.id,
                                  "expires": ev.certificate.expires.isoformat()
                                  if ev.certificate else None}
                         for scheme, ev in pos.certificates.items()},
        "blocking": [s.item.ref for s in pos.blocking],
        "standards": standards,
        "items": [{
            "ref": ref, "title": s.item.title,
            "level": s.level.value if s.level else None,
            "mandatory": s.mandatory, "status": s.status.value, "reason": s.reason,
            "answer": {"answer": s.answer.answer, "reason": s.answer.reason,
                       "decided_by": s.answer.decided_by,
                       "decided_on": s.answer.decided_on.isoformat()} if s.answer else None,
            "certificate": s.certificate.id if s.certificate else None,
            "claims": [{
                "id": c.claim.id, "policy": c.policy.id, "planned": c.claim.planned,
                "latest_pass": c.latest_pass.id if c.latest_pass else None,
                "latest_pass_collected": c.latest_pass.collected.isoformat()
                if c.latest_pass else None,
                "expires": c.expires.isoformat() if c.expires else None,
                "current": c.current, "standing": c.standing.value,
            } for c in s.claims],
        } for ref, s in pos.items.items()],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _verdict(pos) -> dict:
    verdict = pos.verdict

    def coverage(c):
        return {"held": c.held, "published": c.published, "missing": c.missing,
                "complete": c.complete} if c else None

    return {"level": verdict.level.value, "headline": verdict.headline,
            "statement": verdict.statement, "notes": list(verdict.notes),
            "mandatory": len(pos.mandatory), "mandatory_met": pos.mandatory_met,
            "coverage": {"met": coverage(verdict.coverage),
                         "approaching": coverage(verdict.approaching_coverage)}}


def _key(group: tuple[str, str, str]) -> tuple:
    framework, number, _ = group
    return (framework != "dspt", framework, int(number) if number.isdigit() else 10**6, number)
