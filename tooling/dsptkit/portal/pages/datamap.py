"""The Data map: what personal and patient data the organisation holds, where, and who
touches it. The flows are drawn as a diagram (:mod:`dsptkit.portal.diagram`), and the same
facts follow as tables for screen readers and print: the flows, the information assets, the
processing activities, the suppliers in scope and the outside parties, then what is missing.

Every fact is the run's own: the map is ``position.datamap`` (:mod:`dsptkit.datamap`, built
once per run), and what is missing is the run's results (and waived results) of the DM rules,
with those of RG102, RG103 and RG104 that concern the map's systems, suppliers and registers.
Nothing here works a gap out again.

A public build shows suppliers, information assets, activities, flows and outside parties as
they are recorded (the registers page always shows suppliers), and people by role. Systems
are asset register entries, which a public build does not name unless widened
(``public: {assets: [names]}``): there, our systems are one box in the diagram and "one of
our systems" in the tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from dsptkit.datamap import (
    CONDITIONS,
    LAWFUL_BASES,
    MAP_REGISTERS,
    REGISTER_TITLES,
    ActivityView,
    DataMap,
    FlowView,
    Node,
    is_uk,
    key,
    missing,
    no_transfers,
)
from dsptkit.model import Waiver
from dsptkit.portal import diagram, links
from dsptkit.portal.labels import visible
from dsptkit.portal.site import Page
from dsptkit.portal.view import Badge, SiteView, anchors
from dsptkit.rules import Result
from dsptkit.standing import Checked

PATH = "data-map.md"
KIND_TEXT = {"system": "our system", "supplier": "supplier", "customer": "customer",
             "nhs": "NHS organisation", "public": "the public", "other": "outside party"}
COLUMN = {"ours": diagram.OURS, "supplier": diagram.SUPPLIERS, "outside": diagram.OUTSIDE}
CHECKED_CSS = {Checked.CHECKED: "met", Checked.OVERDUE: "not-met", Checked.NEVER: "not-met"}
OURS = "system:*"  # our systems as one box, in a public build that does not name them
# what each map register holds, for a repository that has none yet
REGISTER_HOLDS = {
    "information_assets": "each information asset (e.g. patient appointment records): its "
                          "owner, the kinds of data, the systems and suppliers that hold it, "
                          "the countries it is held in, how long it is kept and the controls "
                          "that protect it",
    "processing": "each processing activity: its purpose, lawful basis (and the condition "
                  "for special category data), data subjects, recipients, transfers outside "
                  "the UK and the information assets it uses",
    "data_flows": "the outside parties (customers, NHS organisations, the public) under "
                  "parties:, and each flow of data from one system, supplier or party to "
                  "another: what data, how it travels and how often",
}


@dataclass(frozen=True)
class End:
    """One end of a flow as a table cell shows it."""

    name: str
    kind: str  # "our system", "supplier", "NHS organisation", ...
    href: str | None  # its register entry


@dataclass(frozen=True)
class FlowRow:
    number: int
    anchor: str
    view: FlowView
    source: End | None  # None: not resolved (a broken reference, reported as DM001)
    target: End | None
    patient: str  # "yes", "no" or "not recorded"
    assets: tuple[tuple[str, str], ...]  # the information assets it carries, with their anchors


@dataclass(frozen=True)
class Text:
    """A value as a cell shows it: what was written, what dsptkit read in it, and a badge
    when it is missing or not recognised."""

    written: str | None
    read: str | None = None  # what dsptkit read in it, or what goes with it
    badge: Badge | None = None
    label: str = "read as"  # what ``read`` is: "read as", "safeguard"


@dataclass(frozen=True)
class Missing:
    result: Result
    waiver: Waiver | None = None


def page(view: SiteView) -> Page:
    dm = view.pos.datamap
    names = "names" in view.exposure.assets  # whether this build names our systems
    info = anchors("information-asset", [v.asset.name for v in dm.assets])
    activity_ids = anchors("activity", [v.activity.activity for v in dm.activities])
    party_ids = anchors("party", [p.name for p in dm.parties])
    rows = flow_rows(view, dm, names, party_ids, info)
    scope = [v for v in dm.suppliers if v.named_by or v.patient]
    gaps, waived = what_is_missing(view)
    return Page(PATH, "Data map", "datamap.html", {
        "dm": dm, "empty": dm.empty, "names": names,
        "present": {kind: dm.registers.get(kind) is not None for kind in MAP_REGISTERS},
        "files": {kind: f"evidence/registers/{name}" for kind, name in MAP_REGISTERS.items()},
        "titles": REGISTER_TITLES, "holds": REGISTER_HOLDS,
        "diagram": figure(view, dm, rows, names, party_ids) if rows else None,
        "caption": caption(names, any(n.kind == "system" for n in dm.nodes)),
        "flows": rows, "patient_flows": sum(1 for r in rows if r.view.patient),
        "assets": [(v, info[key(v.asset.name)]) for v in dm.assets],
        "activities": [(v, activity_ids[key(v.activity.activity)], basis(v), condition(v),
                        transfers(v), [(a.name, info[key(a.name)]) for a in v.assets])
                       for v in dm.activities],
        # what names each supplier in scope, as this build may say it (a public build does not
        # name our systems, so two flows from two of them can read the same)
        "scope": [(v, list(dict.fromkeys(view.redact(n) for n in v.named_by))) for v in scope],
        "other_suppliers": len(dm.suppliers) - len(scope),
        "parties": [(p, party_ids[key(p.name)], KIND_TEXT.get(p.kind, p.kind))
                    for p in dm.parties],
        "missing": gaps, "waived": waived, "notes": dm.notes,
        "checked_css": CHECKED_CSS,
    }, {"hide": ["toc"]})  # the diagram and the tables need the width; the page lists its parts


# -- the flows ------------------------------------------------------------------------------


def end(view: SiteView, node: Node | None, names: bool, party_ids: dict[str, str]) -> End | None:
    if node is None:
        return None
    kind = KIND_TEXT.get(node.kind, node.kind)
    if node.kind == "system":
        if not names:
            return End("one of our systems", "", links.url(PATH, "registers.md#assets"))
        return End(node.name, kind, links.url(PATH, "registers.md#" +
                                              view.system_anchor(node.name)))
    if node.kind == "supplier":
        return End(node.name, kind, links.url(PATH, "registers.md#" +
                                              view.supplier_anchor(node.name)))
    party = party_ids.get(key(node.name))
    return End(node.name, kind, f"#{party}" if party else None)


def flow_rows(view: SiteView, dm: DataMap, names: bool, party_ids: dict[str, str],
              info: dict[str, str]) -> list[FlowRow]:
    rows = []
    assets = {key(v.asset.name): v for v in dm.assets}
    for number, flow in enumerate(dm.flows, 1):
        if flow.patient:
            patient = "yes"
        elif flow.flow.data_categories is not None or (
                flow.assets and all(assets[key(a.name)].patient is False for a in flow.assets
                                    if key(a.name) in assets)):
            patient = "no"
        else:
            patient = "not recorded"
        rows.append(FlowRow(number, f"flow-{number}", flow,
                            end(view, flow.source, names, party_ids),
                            end(view, flow.target, names, party_ids), patient,
                            tuple((a.name, info[key(a.name)]) for a in flow.assets)))
    return rows


def figure(view: SiteView, dm: DataMap, rows: list[FlowRow], names: bool,
           party_ids: dict[str, str]) -> diagram.Diagram:
    """The diagram of the flows: every end of a flow a box, every flow a curve. A build that
    does not name our systems draws them as one box, its flows to or from each other party
    as one curve, and flows between two of our systems not at all (the table lists each)."""
    hidden = {n.key for n in dm.nodes if n.kind == "system"} if not names else set()
    nodes: list[diagram.NodeIn] = []
    for node in dm.nodes:
        if node.key in hidden:
            if not any(n.key == OURS for n in nodes):
                patient = any(n.patient for n in dm.nodes if n.key in hidden)
                count = len(hidden)
                nodes.append(diagram.NodeIn(
                    OURS, "Our systems", diagram.OURS,
                    f"{count} system{'s' if count != 1 else ''}" +
                    (" · patient data" if patient else ""), patient,
                    links.url(PATH, "registers.md#assets")))
            continue
        shown = end(view, node, names, party_ids)
        note = KIND_TEXT.get(node.kind, node.kind) + (" · patient data" if node.patient else "")
        nodes.append(diagram.NodeIn(node.key, node.name, COLUMN[node.side], note, node.patient,
                                    shown.href if shown else None))
    groups: dict[tuple[str, str], list[FlowRow]] = {}
    for row in rows:
        source, target = row.view.source, row.view.target
        if source is None or target is None:
            continue  # a broken reference (DM001): the portal is not built with one
        a = OURS if source.key in hidden else source.key
        b = OURS if target.key in hidden else target.key
        if a == OURS and b == OURS:
            continue
        # with our systems as one box, the flows between it and one other end are one curve
        groups.setdefault((a, b) if hidden else (f"{row.number}", ""), []).append(row)
    edges = []
    for group in groups.values():
        first = group[0]
        source, target = first.view.source, first.view.target
        assert source is not None and target is not None
        a = OURS if source.key in hidden else source.key
        b = OURS if target.key in hidden else target.key
        a_name = "our systems" if a == OURS else visible(source.name)
        b_name = "our systems" if b == OURS else visible(target.name)
        patient = any(r.view.patient for r in group)
        if len(group) == 1:
            title = f"Flow {first.number}: {a_name} → {b_name}: " + \
                (visible(first.view.flow.data) if first.view.flow.data
                 else "data not recorded")
        else:
            title = f"Flows {', '.join(str(r.number) for r in group)}: {a_name} → {b_name}"
        edges.append(diagram.EdgeIn(a, b, patient, title + (" (patient data)" if patient else ""),
                                    f"#{first.anchor}"))
    return diagram.layout(nodes, edges, summary(dm, rows, bool(hidden)))


def summary(dm: DataMap, rows: list[FlowRow], one_box: bool) -> str:
    """The diagram in a sentence: its accessible name and its <title>."""
    def many(n: int, one: str, more: str) -> str:
        return f"{n} {one if n == 1 else more}"

    count = {side: sum(1 for n in dm.nodes if n.side == side)
             for side in ("outside", "ours", "supplier")}
    patient = sum(1 for r in rows if r.view.patient)
    ours = many(count["ours"], "of our systems", "of our systems") + \
        (" (drawn as one box)" if one_box else "")
    return (f"Diagram of the data map: {many(len(rows), 'data flow', 'data flows')}, "
            f"{patient} carrying patient data, between "
            f"{many(count['outside'], 'outside party', 'outside parties')}, {ours} and "
            f"{many(count['supplier'], 'supplier', 'suppliers')}. The tables below give the "
            "same facts.")


def caption(names: bool, drawn: bool) -> str:
    text = ("Each box is a system, supplier or outside party that data flows to or from, and "
            "links to its register entry; each arrow is a flow, and links to its row in the "
            "flows table. The tables below give the same facts, for screen readers and print.")
    if not names and drawn:
        text += (" This public build does not name our systems, so they are one box, and flows "
                 "between them are in the table only.")
    return text


# -- the processing activities ---------------------------------------------------------------


def basis(v: ActivityView) -> Text:
    written = v.activity.lawful_basis
    if not written:
        return Text(None, badge=Badge("not-met", "not recorded"))
    if not v.bases:
        return Text(written, badge=Badge("not-met", "not recognised"))
    return Text(written, "; ".join(LAWFUL_BASES[b] for b in v.bases))


def condition(v: ActivityView) -> Text:
    written = v.activity.special_category_condition
    if not v.special:
        if written:
            return Text(written, "; ".join(CONDITIONS[c] for c in v.conditions) or None)
        return Text(None, "no special category data", label="")
    if not written:
        return Text(None, badge=Badge("not-met", "not recorded"))
    if not v.conditions:
        return Text(written, badge=Badge("not-met", "not recognised"))
    return Text(written, "; ".join(CONDITIONS[c] for c in v.conditions))


def transfers(v: ActivityView) -> list[Text]:
    """Each transfer outside the UK with its safeguard; "none"; or the text as written."""
    listed = v.activity.transfer_list
    if listed is not None:
        if not listed:
            return [Text("none")]
        found = []
        for t in listed:
            where = t.country + (f" ({t.recipient})" if t.recipient else "")
            if t.safeguard:
                found.append(Text(where, t.safeguard, label="safeguard"))
            elif is_uk(t.country):
                found.append(Text(where, "in the UK", label=""))
            else:
                found.append(Text(where, badge=Badge("not-met", "no safeguard recorded")))
        return found
    written = v.activity.transfers
    if written is None:
        return [Text(None, badge=Badge("na", "not recorded"))]
    if no_transfers(written):
        return [Text(written)]
    return [Text(written, badge=Badge("at-risk", "as written: cannot be checked"))]


# -- what is missing --------------------------------------------------------------------------


def what_is_missing(view: SiteView) -> tuple[list[Missing], list[Missing]]:
    """What is missing from the map, open and waived, as ``dspt scope`` shows it
    (dsptkit.datamap.missing, from the run's results)."""
    found = missing(view.run)
    return ([Missing(r) for r, w in found if w is None],
            [Missing(r, w) for r, w in found if w is not None])
