"""``dspt scope``: the data map as the scoping step of the guides asks for it. What patient and
personal data the organisation holds, where, who touches it, how it moves, why it is
processed, and what is missing.

Everything comes from one pipeline run: the facts from ``run.position.datamap`` and what is
missing from the run's results (the DM rules, and RG102/RG103/RG104 about the map's systems,
suppliers and registers, each waived one shown as waived), never worked out again here. The
JSON (:func:`scope_data`) is built first and the text is drawn from it, so the two always
say the same. Text from the repository is made inert with ``one_line`` (control characters,
line breaks and bidirectional controls escaped) before it is laid out; "not recorded" stands
wherever the registers do not say.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

from dsptkit.datamap import (
    CONDITIONS,
    LAWFUL_BASES,
    MAP_KINDS,
    MAP_REGISTERS,
    REGISTER_TITLES,
    RELATED,
    DataMap,
    Node,
    is_uk,
    key,
    no_transfers,
    register_file,
)
from dsptkit.datamap import (
    missing as map_missing,
)
from dsptkit.engine import CheckRun, chosen_codes
from dsptkit.model import Repository, Severity, one_line
from dsptkit.report import FORMAT_VERSION
from dsptkit.report.text import RESET, paint
from dsptkit.repository import REGISTER_FILES
from dsptkit.rules import REGISTRY, Result

# the registers the scope reads: the three of the map, then the two it links to
KINDS = MAP_KINDS
CATEGORY_WORDS = {"patient": "patient", "special_category": "special category",
                  "criminal_offence": "criminal offence", "staff": "staff",
                  "business_contacts": "business contacts", "financial": "financial",
                  "other": "other"}
NODE_WORDS = {"system": "our system", "supplier": "supplier", "customer": "customer",
              "nhs": "NHS", "public": "the public", "other": "outside party"}
WIDTH = 100  # text is wrapped to the terminal's width, at most this
NOT_RECORDED = "not recorded"
BOLD = "\033[1m"


# -- what the scope is made of (the JSON) --------------------------------------------------------

def scope_data(run: CheckRun, patient_only: bool = False) -> dict[str, Any]:
    """The scope as one JSON-ready object (schemas/output/scope.schema.json)."""
    dm: DataMap = run.position.datamap
    repo = run.repo
    org = repo.organisation
    nodes = {n.key: n for n in dm.nodes}
    patient_asset = {key(v.asset.name): v.patient for v in dm.assets}

    assets = [_asset(v, repo) for v in dm.assets if not patient_only or v.patient is not False]
    activities = []
    for view in dm.activities:
        uses_patient = [patient_asset.get(key(a.name)) for a in view.assets]
        patient: bool | None = True if any(uses_patient) else (
            None if not view.assets or None in uses_patient else False)
        if not patient_only or patient is not False:
            activities.append(_activity(view, patient, repo))
    flows = [_flow(v) for v in dm.flows if not patient_only or v.patient is not False]
    suppliers = [_supplier(v) for v in dm.suppliers if not patient_only or v.patient is not False]
    parties = []
    for party in dm.parties:
        node = nodes.get(f"party:{key(party.name)}")
        reached = bool(node and node.patient)
        if not patient_only or reached:
            parties.append({"name": party.name, "kind": party.kind,
                            "description": party.description, "patient": reached,
                            "path": party.loc.path, "line": party.loc.line})
    gaps = _missing(run)
    notes = [{"path": n.loc.path, "line": n.loc.line, "column": n.loc.col, "message": n.message}
             for n in dm.notes]
    kept = [m for m in gaps if not m["waived"]]
    return {
        "format_version": FORMAT_VERSION,
        "as_of": run.as_of.isoformat(),
        "organisation": {"name": org.name, "ods_code": org.ods_code, "category": org.category}
        if org else None,
        "patient_only": patient_only,
        "registers": _registers(run, dm),
        "information_assets": assets,
        "processing": activities,
        "flows": flows,
        "suppliers": suppliers,
        "parties": parties,
        "missing": gaps,
        "notes": notes,
        "rules_not_run": _not_run(run),
        "summary": {
            "map": not dm.empty,
            "information_assets": len(assets),
            "patient_information_assets": sum(1 for a in assets if a["patient"]),
            "activities": len(activities),
            "flows": len(flows),
            "patient_flows": sum(1 for f in flows if f["patient"]),
            "suppliers": len(suppliers),
            "patient_suppliers": sum(1 for s in suppliers if s["patient_data"]),
            "parties": len(parties),
            "errors": sum(1 for m in kept if m["severity"] == "error"),
            "findings": sum(1 for m in kept if m["severity"] == "finding"),
            "warnings": sum(1 for m in kept if m["severity"] == "warning"),
            "waived": sum(1 for m in gaps if m["waived"]),
            "notes": len(notes),
            "repository_errors": run.errors,
        },
    }


def _person(repo: Repository, owner: str | None) -> str | None:
    """The name of the person behind an owner written as a person id or a role; None when
    the registers do not name one."""
    if not owner:
        return None
    org = repo.organisation
    ident = org.person_for(owner) if org else owner
    person = repo.people.get(ident)
    return person.name if person else None


def _asset(view, repo: Repository) -> dict[str, Any]:
    asset = view.asset
    unsupported = {key(s.name) for s in view.unsupported}
    return {
        "name": asset.name,
        "description": asset.description,
        "data_categories": list(asset.data_categories) if asset.data_categories is not None
        else None,
        "patient": view.patient,
        "special_category": view.special,
        "hosted_in": list(asset.hosted_in),
        "outside_uk": list(view.outside_uk),
        "transfer_safeguard": asset.transfer_safeguard,
        "suppliers": list(asset.suppliers),
        "systems": list(asset.systems),
        "unsupported_systems": [s for s in asset.systems if key(s) in unsupported],
        "location": asset.location,
        "format": asset.format,
        "owner": asset.owner,
        "owner_name": _person(repo, asset.owner),
        "volume": asset.volume,
        "retention": asset.retention,
        "controls": list(asset.controls),
        "used_by": list(view.activities),
        "evidence": list(asset.evidence),
        "path": asset.loc.path,
        "line": asset.loc.line,
    }


def _activity(view, patient: bool | None, repo: Repository) -> dict[str, Any]:
    activity = view.activity
    listed = activity.transfer_list
    if listed is not None:
        transfers = {"listed": True, "text": None, "checkable": True,
                     "list": [{"country": t.country, "recipient": t.recipient,
                               "safeguard": t.safeguard, "outside_uk": not is_uk(t.country)}
                              for t in listed]}
    else:
        text = activity.transfers
        transfers = {"listed": False, "text": text,
                     "checkable": text is None or no_transfers(text), "list": []}
    return {
        "activity": activity.activity,
        "purpose": activity.purpose,
        "lawful_basis": activity.lawful_basis,
        "lawful_bases": list(view.bases),
        "special_category": view.special,
        "condition": activity.special_category_condition,
        "conditions": list(view.conditions),
        "patient": patient,
        "data_subjects": activity.data_subjects,
        "data_categories": activity.data_categories,
        "information_assets": list(activity.information_assets),
        "recipients": activity.recipients,
        "transfers": transfers,
        "retention": activity.retention,
        "owner": activity.owner,
        "owner_name": _person(repo, activity.owner),
        "path": activity.loc.path,
        "line": activity.loc.line,
    }


def _end(node: Node | None, written: str) -> dict[str, Any]:
    if node is None:
        return {"name": written, "kind": None, "side": None, "patient": None}
    return {"name": node.name, "kind": node.kind, "side": node.side, "patient": node.patient}


def _flow(view) -> dict[str, Any]:
    flow = view.flow
    return {
        "from": _end(view.source, flow.source),
        "to": _end(view.target, flow.target),
        "data": flow.data,
        "data_categories": list(flow.data_categories) if flow.data_categories is not None
        else None,
        "information_assets": list(flow.information_assets),
        "via": flow.via,
        "frequency": flow.frequency,
        "patient": view.patient,
        "evidence": list(flow.evidence),
        "path": flow.loc.path,
        "line": flow.loc.line,
    }


def _supplier(view) -> dict[str, Any]:
    supplier = view.supplier
    contract = supplier.contract
    protection = contract.data_protection if contract and contract.data_protection is not None \
        else supplier.contract_article_28
    subs = supplier.sub_processors
    return {
        "name": supplier.name,
        "service": supplier.service,
        "processes_patient_data": supplier.processes_patient_data,
        "patient_data": view.patient,
        "data_processed": supplier.data_processed,
        "country": supplier.country,
        "contract": {
            "standing": view.contract.name.lower(),
            "text": view.contract.value,
            "ok": view.contract.ok,
            "signed": contract.signed.isoformat() if contract and contract.signed else None,
            "expires": contract.expires.isoformat() if contract and contract.expires else None,
            "data_protection": protection,
            "reference": contract.reference if contract else None,
            "evidence": contract.evidence if contract else None,
        },
        "sub_processors": None if subs is None else [
            {"name": s.name, "service": s.service, "country": s.country} for s in subs],
        "certification": supplier.certification,
        "checked": supplier.checked.isoformat() if supplier.checked else None,
        "check_standing": view.checked.value,
        "named_by": list(view.named_by),
        "holds": list(view.holds),
        "path": supplier.loc.path,
        "line": supplier.loc.line,
    }


def _register_path(kind: str) -> str:
    return f"evidence/registers/{REGISTER_FILES[kind]}.yaml"


def _registers(run: CheckRun, dm: DataMap) -> list[dict[str, Any]]:
    found = []
    for kind in KINDS:
        register = dm.registers.get(kind)
        if register is not None:
            state, path = "present", register.loc.path
        else:
            broken = [r.loc.path for r in run.results
                      if r.severity is Severity.ERROR and register_file(r.loc.path) == kind]
            unreadable = f"registers.{kind}" in run.report.incomplete or bool(broken)
            state = "unreadable" if unreadable else "absent"
            path = broken[0] if broken else _register_path(kind)
        found.append({
            "kind": kind,
            "title": REGISTER_TITLES[kind],
            "path": path,
            "state": state,
            "entries": len(register.entries) if register else None,
            "reviewed": register.reviewed.isoformat() if register and register.reviewed else None,
            "approved_by": register.approved_by if register else None,
            "approved_on": register.approved_on.isoformat()
            if register and register.approved_on else None,
            "map": kind in MAP_REGISTERS,
        })
    return found


def _missing(run: CheckRun) -> list[dict[str, Any]]:
    def entry(r: Result, waiver) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        return {"code": r.code, "name": REGISTRY[r.code].name, "severity": r.severity.value,
                "path": r.loc.path, "line": r.loc.line, "column": r.loc.col,
                "message": r.message, "subject": r.subject, "items": list(r.items),
                "waived": waiver is not None,
                "waiver": None if waiver is None else {
                    "reason": waiver.reason, "approved_by": waiver.approved_by,
                    "expires": waiver.expires.isoformat(), "path": waiver.loc.path,
                    "line": waiver.loc.line}}

    return [entry(r, w) for r, w in map_missing(run)]


def _not_run(run: CheckRun) -> list[dict[str, str]]:
    """The rules about the map whose gaps this run cannot show, and why."""
    chosen = set(chosen_codes(run.repo, None, ()))
    out = []
    for rule in REGISTRY.all():
        if not (rule.code.startswith("DM") or rule.code in RELATED):
            continue
        if rule.code in run.skipped:
            out.append({"code": rule.code, "reason": "some files it needs could not be read"})
        elif rule.code not in chosen:
            out.append({"code": rule.code, "reason": "turned off by check.select or check.ignore "
                                                     "in organisation.yaml"})
    return out


# -- the text ----------------------------------------------------------------------------------

def _s(value: object) -> str:
    """Repository text made inert for a terminal: one line, no control characters."""
    return one_line(str(value))


def _or(value: object, missing: str = NOT_RECORDED) -> str:
    return _s(value) if value not in (None, "", [], ()) else missing


def _names(values: list[str] | None, missing: str = NOT_RECORDED) -> str:
    return ", ".join(_s(v) for v in values) if values else missing


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


class _Text:
    def __init__(self, width: int, colour: bool) -> None:
        self.width = max(50, min(width, WIDTH))
        self.colour = colour
        self.lines: list[str] = []

    def blank(self) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def heading(self, text: str) -> None:
        self.blank()
        for line in textwrap.wrap(text, self.width, subsequent_indent="  "):
            self.lines.append(f"{BOLD}{line}{RESET}" if self.colour else line)

    def say(self, text: str, indent: int = 0, hang: int = 2) -> list[str]:
        """``text`` wrapped at spaces to the width, continuation lines indented by ``hang``
        more; words longer than a line are broken."""
        wrapped = textwrap.wrap(text, self.width, initial_indent=" " * indent,
                                subsequent_indent=" " * (indent + hang),
                                break_on_hyphens=False) or [" " * indent]
        self.lines.extend(wrapped)
        return wrapped

    def fields(self, parts: list[str], indent: int, hang: int = 2) -> None:
        """Short facts joined by ' · ', as many to a line as fit; a line that runs on ends
        with the '·' so the next starts with a fact, and a fact too long for a line is
        wrapped on its own."""
        lines: list[str] = []
        current = " " * indent
        fresh = True  # nothing on the current line yet
        parts = [p for p in parts if p]
        for i, part in enumerate(parts):
            joined = current + part if fresh else f"{current} · {part}"
            room = self.width - (2 if i < len(parts) - 1 else 0)  # for a " ·" to follow
            if len(joined) <= room:
                current, fresh = joined, False
                continue
            if not fresh:
                lines.append(current + " ·")
                current = " " * (indent + hang)
            wrapped = textwrap.wrap(part, room, initial_indent=current,
                                    subsequent_indent=" " * (indent + hang),
                                    break_on_hyphens=False)
            lines.extend(wrapped[:-1])
            current, fresh = wrapped[-1], False
        lines.append(current)
        self.lines.extend(lines)


def format_text(run: CheckRun, patient_only: bool = False, colour: bool = False,
                width: int = WIDTH) -> str:
    data = scope_data(run, patient_only)
    out = _Text(width, colour)
    org = data["organisation"]
    title = f"data map as of {data['as_of']}" + (" (patient data only)" if patient_only else "")
    if org:
        ods = f" (ODS {_s(org['ods_code'])})" if org["ods_code"] else ""
        out.say(f"{_s(org['name'])}{ods} · {title}", 0, 2)
    else:
        out.say(f"{title[0].upper()}{title[1:]} (organisation.yaml could not be read)", 0, 2)
    _headline(out, data)
    _registers_text(out, data)
    _assets_text(out, data)
    _suppliers_text(out, data)
    _flows_text(out, data)
    _activities_text(out, data)
    _missing_text(out, data)
    return "\n".join(out.lines).rstrip("\n") + "\n"


def _headline(out: _Text, data: dict[str, Any]) -> None:
    s = data["summary"]
    suppliers = f"{_plural(s['suppliers'], 'supplier')} ({s['patient_suppliers']} with patient data)"
    if s["map"]:
        def count(kind: str, text: str, many: str) -> str:
            state = _register(data, kind)["state"]
            return {"unreadable": f"{many} not known", "absent": f"{many} not recorded"}.get(
                state, text)

        out.fields([count("information_assets",
                          f"{_plural(s['information_assets'], 'information asset')} "
                          f"({s['patient_information_assets']} with patient data)",
                          "information assets"),
                    count("processing", _plural(s["activities"], "processing activity",
                                                "processing activities"),
                          "processing activities"),
                    count("data_flows", f"{_plural(s['flows'], 'flow')} ({s['patient_flows']} "
                                        "with patient data)", "flows"),
                    count("suppliers", suppliers, "suppliers")], 0)
    else:
        out.fields(["No data map yet", suppliers if _register(data, "suppliers")["state"] ==
                    "present" else "suppliers not recorded"], 0)
    counts = [_plural(n, word) for n, word in ((s["errors"], "error"), (s["findings"], "finding"),
                                                (s["warnings"], "warning")) if n]
    missing = [", ".join(counts) if counts else "nothing the checks find"]
    if s["waived"]:
        missing.append(f"{s['waived']} waived")
    if s["notes"]:
        missing.append(f"{_plural(s['notes'], 'thing')} not recorded")
    out.fields([f"What is missing: {missing[0]}", *missing[1:]], 0)


def _registers_text(out: _Text, data: dict[str, Any]) -> None:
    out.heading("Registers")
    registers = data["registers"]
    for reg in registers:
        title = reg["title"][0].upper() + reg["title"][1:]
        path = _s(reg["path"])
        if reg["state"] == "absent":
            out.say(f"{title}: none ({path} does not exist)", 2, 4)
        elif reg["state"] == "unreadable":
            out.say(f"{title}: could not be read ({path}; its errors are under What is missing)",
                    2, 4)
        else:
            parts = [f"{title}: {path}", _plural(reg["entries"], "entry", "entries"),
                     f"reviewed {reg['reviewed']}" if reg["reviewed"] else "review date not recorded"]
            if reg["map"]:
                parts.append(f"approved by {_s(reg['approved_by'])} on {reg['approved_on']}"
                             if reg["approved_on"] else "approval not recorded")
            out.fields(parts, 2)
    if data["summary"]["map"] and all(r["entries"] == 0 for r in registers if r["map"]):
        out.blank()
        out.say("The data map's registers are there but empty: list the information the "
                "organisation holds, why it is processed and where it flows (docs/format.md "
                "shows the fields), then run 'dspt scope' again.", 0, 0)
    if not data["summary"]["map"]:
        unreadable = any(r["map"] and r["state"] == "unreadable" for r in registers)
        out.blank()
        if unreadable:
            out.say("The data map's registers could not be read: fix the errors under What is "
                    "missing (or run 'dspt check'), then run 'dspt scope' again.", 0, 0)
        else:
            others = any(r["state"] == "present" for r in registers if not r["map"])
            out.say("No data map yet: there is no information asset register, record of "
                    "processing activities or data flows register. Add "
                    "evidence/registers/information-assets.yaml, processing.yaml and "
                    "data-flows.yaml (docs/format.md shows their fields; 'dspt adopt' maps "
                    "registers kept as Markdown tables), have management approve them "
                    "(approved: {by, on}), then run 'dspt scope' again."
                    + (" Below is what the other registers already say." if others else ""),
                    0, 0)


def _categories(asset: dict[str, Any]) -> str:
    cats = asset["data_categories"]
    if cats is None:
        return "data categories not recorded"
    if not cats:
        return "no data categories"
    return ", ".join(CATEGORY_WORDS.get(c, _s(c)) for c in cats)


def _assets_text(out: _Text, data: dict[str, Any]) -> None:
    assets = data["information_assets"]
    s = data["summary"]
    out.heading(_titled(data, "information_assets", "Patient and personal data we hold",
                        f"{_plural(len(assets), 'information asset')}, "
                        f"{s['patient_information_assets']} with patient data"))
    if not assets:
        out.say(_none(data, "information_assets"), 2, 2)
        return
    for asset in assets:
        out.say(f"{_s(asset['name'])} [{_categories(asset)}]", 2, 4)
        unsupported = set(asset["unsupported_systems"])
        systems = ", ".join(_s(n) + (" (past vendor support)" if n in unsupported else "")
                            for n in asset["systems"])
        where = [f"Where: {_names(asset['hosted_in'], 'country not recorded')}",
                 (f"supplier{'s' if len(asset['suppliers']) > 1 else ''} "
                  f"{_names(asset['suppliers'])}") if asset["suppliers"]
                 else "supplier not recorded",
                 (f"system{'s' if len(asset['systems']) > 1 else ''} {systems}") if systems
                 else "systems not recorded"]
        if asset["outside_uk"]:
            where.append("outside the UK: " + (f"safeguard {_s(asset['transfer_safeguard'])}"
                                                if asset["transfer_safeguard"]
                                                else "safeguard not recorded"))
        out.fields(where, 4)
        owner = _or(asset["owner"])
        if asset["owner_name"]:
            owner += f" ({_s(asset['owner_name'])})"
        out.fields([f"Owner: {owner}", f"volume: {_or(asset['volume'])}",
                    f"kept: {_or(asset['retention'])}"], 4)
        out.fields([f"Controls: {_names(asset['controls'])}",
                    f"used by: {_names(asset['used_by'], _unknown(data, 'processing', 'no processing activity'))}"],
                   4)


def _register(data: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(r for r in data["registers"] if r["kind"] == kind)


def _titled(data: dict[str, Any], kind: str, title: str, counts: str) -> str:
    """A section's heading with its counts, or with why there are none to count."""
    state = _register(data, kind)["state"]
    if state == "unreadable":
        return f"{title} (not known)"
    if state == "absent":
        return f"{title} (not recorded)"
    return f"{title} ({counts})"


def _none(data: dict[str, Any], kind: str) -> str:
    """What a section says when it lists nothing: why, in the register's terms."""
    reg = _register(data, kind)
    if reg["state"] == "unreadable":
        return (f"Not known: the {reg['title']} ({_s(reg['path'])}) could not be read; its "
                "errors are under What is missing.")
    if reg["state"] == "absent":
        return f"Not recorded: there is no {reg['title']} ({_s(reg['path'])})."
    return "None with patient data." if data["patient_only"] else "None recorded."


def _unknown(data: dict[str, Any], kind: str, missing: str) -> str:
    """What a fact that comes from another register reads when nothing was found there."""
    reg = _register(data, kind)
    if reg["state"] == "unreadable":
        return f"not known ({reg['title']} could not be read)"
    if reg["state"] == "absent":
        return f"not recorded (no {reg['title']})"
    return missing


def _patient_words(supplier: dict[str, Any]) -> str:
    recorded, shown = supplier["processes_patient_data"], supplier["patient_data"]
    if recorded is True:
        return "yes"
    if recorded is False:
        return "recorded as no, but the data map shows patient data reaching them" if shown \
            else "no"
    return "yes, as the data map shows (not recorded in the suppliers register)" if shown \
        else NOT_RECORDED


def _contract_words(contract: dict[str, Any]) -> str:
    words = _s(contract["text"])
    dates = []
    if contract["signed"]:
        dates.append(f"signed {contract['signed']}")
    if contract["expires"]:
        dates.append(f"ends {contract['expires']}")
    elif contract["signed"]:
        dates.append("no end date")
    if contract["reference"]:
        dates.append(_s(contract["reference"]))
    return words + (f" ({', '.join(dates)})" if dates else "")


def _checked_words(supplier: dict[str, Any]) -> str:
    if supplier["checked"] is None:
        return "never checked"
    if supplier["check_standing"] == "overdue":
        return f"last checked {supplier['checked']}, over 12 months ago"
    return f"last checked {supplier['checked']}"


def _subs_words(subs: list[dict[str, Any]] | None) -> str:
    if subs is None:
        return NOT_RECORDED
    if not subs:
        return "none"
    parts = []
    for sub in subs:
        detail = ", ".join(_s(v) for v in (sub["service"], sub["country"]) if v)
        parts.append(_s(sub["name"]) + (f" ({detail})" if detail else ""))
    return ", ".join(parts)


def _suppliers_text(out: _Text, data: dict[str, Any]) -> None:
    suppliers = data["suppliers"]
    s = data["summary"]
    out.heading(_titled(data, "suppliers", "Who touches it",
                        f"{_plural(len(suppliers), 'supplier')}, {s['patient_suppliers']} with "
                        "patient data"))
    if not suppliers:
        out.say(_none(data, "suppliers"), 2, 2)
    for supplier in suppliers:
        out.say(f"{_s(supplier['name'])}: {_s(supplier['service'])}", 2, 4)
        out.fields([f"Patient data: {_patient_words(supplier)}",
                    f"country: {_or(supplier['country'])}",
                    f"contract: {_contract_words(supplier['contract'])}"], 4)
        out.fields([f"Sub-processors: {_subs_words(supplier['sub_processors'])}",
                    _checked_words(supplier)], 4)
        if supplier["holds"]:
            out.say(f"Holds: {_names(supplier['holds'])}", 4, 2)
        elif not supplier["named_by"] and all(r["state"] == "present" for r in data["registers"]
                                              if r["map"]):
            out.say("Not named anywhere in the data map", 4, 2)
    parties = data["parties"]
    if parties:
        out.blank()
        out.say("Outside parties:", 2, 2)
        for party in parties:
            text = f"{_s(party['name'])} [{NODE_WORDS.get(party['kind'], _s(party['kind']))}]"
            if party["description"]:
                text += f": {_s(party['description'])}"
            out.say(text, 4, 2)


def _end_words(end: dict[str, Any], data: dict[str, Any]) -> str:
    kind = end["kind"]
    if kind:
        what = NODE_WORDS.get(kind, _s(kind))
    elif any(r["state"] == "unreadable" for r in data["registers"]
             if r["kind"] in ("assets", "suppliers")):
        what = "not known: a register it may be in could not be read"
    else:
        what = "in no register"
    return f"{_s(end['name'])} [{what}]"


def _flows_text(out: _Text, data: dict[str, Any]) -> None:
    flows = data["flows"]
    s = data["summary"]
    out.heading(_titled(data, "data_flows", "How it moves",
                        f"{_plural(len(flows), 'flow')}, {s['patient_flows']} with patient data"))
    if not flows:
        out.say(_none(data, "data_flows"), 2, 2)
        return
    for flow in flows:
        mark = " · patient data" if flow["patient"] else (
            " · patient data not known" if flow["patient"] is None else "")
        out.say(f"{_end_words(flow['from'], data)} → {_end_words(flow['to'], data)}{mark}", 2, 4)
        what = flow["data"] or ", ".join(flow["information_assets"]) or (
            ", ".join(CATEGORY_WORDS.get(c, c) for c in flow["data_categories"])
            if flow["data_categories"] else None)
        out.fields([f"What: {_or(what)}", f"via: {_or(flow['via'])}",
                    f"how often: {_or(flow['frequency'])}"], 4)


def _basis_words(activity: dict[str, Any]) -> str:
    written = activity["lawful_basis"]
    if not written:
        return NOT_RECORDED
    bases = activity["lawful_bases"]
    if not bases:
        return f"'{_s(written)}' (not one dsptkit recognises)"
    return ", ".join(LAWFUL_BASES[b] for b in bases)


def _condition_words(activity: dict[str, Any]) -> str:
    written = activity["condition"]
    if not written:
        return NOT_RECORDED
    if not activity["conditions"]:
        return f"'{_s(written)}' (not one dsptkit recognises)"
    return ", ".join(CONDITIONS[c] for c in activity["conditions"])


def _transfer_words(transfers: dict[str, Any]) -> str:
    if transfers["listed"]:
        if not transfers["list"]:
            return "none"
        parts = []
        for t in transfers["list"]:
            to = f" ({_s(t['recipient'])})" if t["recipient"] else ""
            guard = f"safeguard {_s(t['safeguard'])}" if t["safeguard"] else \
                ("safeguard not recorded" if t["outside_uk"] else "")
            parts.append(f"{_s(t['country'])}{to}" + (f", {guard}" if guard else ""))
        return "; ".join(parts)
    if transfers["text"] is None:
        return NOT_RECORDED
    if transfers["checkable"]:
        return f"none ('{_s(transfers['text'])}')"
    return f"'{_s(transfers['text'])}' (written as text, so not checked)"


def _activities_text(out: _Text, data: dict[str, Any]) -> None:
    activities = data["processing"]
    out.heading(_titled(data, "processing", "Why we process it",
                        _plural(len(activities), "activity", "activities")))
    if not activities:
        out.say(_none(data, "processing"), 2, 2)
        return
    for activity in activities:
        head = _s(activity["activity"])
        if activity["purpose"]:
            head += f": {_s(activity['purpose'])}"
        out.say(head, 2, 4)
        basis = [f"Lawful basis: {_basis_words(activity)}"]
        if activity["special_category"] or activity["condition"]:
            basis.append(f"special category condition: {_condition_words(activity)}")
        out.fields(basis, 4)
        out.fields([f"Uses: {_names(activity['information_assets'], 'no information asset named')}",
                    f"whose data: {_or(activity['data_subjects'])}",
                    f"shared with: {_or(activity['recipients'], 'no one recorded')}"], 4)
        out.fields([f"Transfers outside the UK: {_transfer_words(activity['transfers'])}",
                    f"kept: {_or(activity['retention'])}"], 4)


def _missing_text(out: _Text, data: dict[str, Any]) -> None:
    missing = data["missing"]
    kept = [m for m in missing if not m["waived"]]
    s = data["summary"]
    counts = [_plural(n, word) for n, word in ((s["errors"], "error"), (s["findings"], "finding"),
                                                (s["warnings"], "warning")) if n]
    if s["waived"]:
        counts.append(f"{s['waived']} waived")
    out.heading("What is missing" + (f" ({', '.join(counts)})" if counts else ""))
    if data["patient_only"]:
        out.say("(the whole map, not only patient data)", 2, 2)
    if not kept and not data["rules_not_run"]:
        out.say("Nothing the checks find: every rule about the data map passes." if s["map"]
                else "The data map's own registers are missing (above).", 2, 2)
    for m in kept:
        _result_line(out, m)
    waived = [m for m in missing if m["waived"]]
    if waived:
        out.blank()
        out.say("Waived (a risk accepted until the waiver expires):", 2, 2)
        for m in waived:
            _result_line(out, m, 4)
            w = m["waiver"]
            out.say(f"waived until {w['expires']} by {_s(w['approved_by'])}: {_s(w['reason'])} "
                    f"({_s(w['path'])}:{w['line']})", 6, 4)
    if data["rules_not_run"] and (kept or waived):
        out.blank()
    for rule in data["rules_not_run"]:
        out.say(f"note: {rule['code']} not run ({rule['reason']}), so what it finds is not shown",
                2, 4)
    if data["notes"]:
        out.blank()
        out.say("Not recorded (no rule reports these, but the map cannot say without them):",
                2, 2)
        for note in data["notes"]:
            out.say(f"{_s(note['path'])}:{note['line']}:{note['column']}: {_s(note['message'])}",
                    4, 4)
    if kept or waived:
        out.blank()
        out.say("'dspt rules CODE' explains a rule and how to fix what it finds.", 0, 0)


def _result_line(out: _Text, m: dict[str, Any], indent: int = 2) -> None:
    where = f"{_s(m['path'])}:{m['line']}:{m['column']}: "
    lines = out.say(f"{where}{m['code']} {_s(m['message'])}", indent, 4)
    head = " " * indent + where
    if out.colour and lines[0].startswith(head + m["code"]):
        severity = Severity(m["severity"])
        lines[0] = head + paint(m["code"], severity, True) + lines[0][len(head) + len(m["code"]):]
        out.lines[len(out.lines) - len(lines)] = lines[0]


def format_json(run: CheckRun, patient_only: bool = False) -> str:
    return json.dumps(scope_data(run, patient_only), indent=2, ensure_ascii=False) + "\n"
