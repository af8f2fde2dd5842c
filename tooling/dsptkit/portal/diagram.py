"""The data map's flows as a diagram: the geometry, as data. The ``diagram.html`` template
draws it as inline SVG at build time (no script, nothing fetched, the same in print), and
escapes every name it prints.

Three columns: the outside parties (customers, NHS organisations, the public) on the left,
our own systems in the middle, the suppliers on the right, so a flow reads from the people
it comes from, through what we run, to who we pass it to. Each end of a flow is a labelled
box; each flow is a curve from the side of one box to the side of the other, with its
arrowhead at the receiving end:

* between neighbouring columns, a curve across the gap between them;
* between an outside party and a supplier, a curve that passes through a slot of its own in
  the middle column (between the boxes, never over one);
* between two boxes of one column, an arc beside the column.

Boxes in a column never overlap: each is stacked below the one before it with a gap, and
the columns are side by side. The order in each column is chosen to cross as few curves as
it can (the barycentre heuristic), and boxes sit level with what they connect to where
there is room. Labels are 12px or larger; a long name takes two lines, and one too long for
those is shortened with an ellipsis (the full name is the box's ``<title>``); each label is
also clipped to its box.

Patient-data flows are marked by more than colour: a thick solid line with a filled
arrowhead, against a thin dashed line with an open one; a box that holds or receives patient
data has a thick border and says "patient data". Arrowheads are shapes of their own, not SVG
markers, and nothing has an ``id``: the PDF printer rewrites ids, leaving ``url(#...)`` dangling.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from dsptkit.portal.labels import fit, visible, wrap

# sizes, in the SVG's own pixels (shown at 1:1 on screen: the SVG scrolls, it never shrinks)
BOX_W = 230
BOX_H = 46  # a box with a name on one line; one more line makes it LINE taller
LINE = 17  # between two lines of a name
PAD = 10  # text inside a box, from its left edge
NAME_SIZE = 14  # a box's name, bold
NOTE_SIZE = 12  # the line under it: what it is, and "patient data"
HEADING_SIZE = 15
LEGEND_SIZE = 13
GUTTER = 170  # between columns, where the curves run
MARGIN = 60  # left and right of the outer columns, where their arcs run
BOX_GAP = 16  # between two boxes of a column
SLOT = 10  # the height of a flow's slot through the middle column
SLOT_GAP = 10
PORT_GAP = 8  # between two curves meeting one side of a box
ARROW = 9  # arrowhead length
LEGEND_TOP = 8
HEADINGS_Y = 72  # the column headings' baseline
TOP = 90  # where the first box may start
BOTTOM = 24

OUTSIDE, OURS, SUPPLIERS = 0, 1, 2
COLUMNS = ("Outside parties", "Our systems", "Suppliers")


@dataclass(frozen=True)
class NodeIn:
    """One end of a flow, as the page wants it drawn."""

    key: str
    name: str  # as written in the register: shortened to fit, in full in the <title>
    column: int  # OUTSIDE, OURS or SUPPLIERS
    note: str  # the line under the name, e.g. "supplier" or "NHS organisation"
    patient: bool
    href: str | None = None  # its register entry


@dataclass(frozen=True)
class EdgeIn:
    """One flow, from one node to another."""

    source: str
    target: str
    patient: bool
    title: str  # what the flow's <title> says
    href: str | None = None  # its row in the flows table


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    lines: tuple[str, ...]  # the name as shown on one or two lines (labels.wrap)
    full: str  # the name in full (control characters made visible)
    note: str
    patient: bool
    href: str | None
    column: int

    @property
    def text_x(self) -> float:
        return self.x + PAD

    @property
    def _top(self) -> float:  # where the text block starts, centred in the box
        return self.y + (self.h - (LINE * len(self.lines) + 14)) / 2

    @property
    def name_ys(self) -> list[tuple[str, float]]:
        return [(line, round(self._top + 13 + LINE * i, 1)) for i, line in enumerate(self.lines)]

    @property
    def note_y(self) -> float:
        return round(self._top + 13 + LINE * (len(self.lines) - 1) + 16, 1)


@dataclass(frozen=True)
class Curve:
    d: str  # the path from the source to the arrowhead's base
    arrow: str  # the arrowhead's points: a filled triangle, or an open chevron
    patient: bool
    title: str
    href: str | None


@dataclass(frozen=True)
class Heading:
    x: float
    text: str


@dataclass(frozen=True)
class Diagram:
    width: int
    height: int
    title: str  # the summary: the SVG's accessible name and <title>
    headings: tuple[Heading, ...]
    boxes: tuple[Box, ...]
    curves: tuple[Curve, ...]
    empty: tuple[Heading, ...]  # "none" under a column that has no boxes
    headings_y: int = HEADINGS_Y
    sizes: dict[str, int] = field(default_factory=lambda: {
        "name": NAME_SIZE, "note": NOTE_SIZE, "heading": HEADING_SIZE, "legend": LEGEND_SIZE})

    @property
    def legend(self) -> dict[str, float]:
        """Where the legend's samples stand: a patient-data flow, another flow, a box."""
        y = LEGEND_TOP + 14
        return {"y": y, "text_y": y + 4.5, "x1": MARGIN, "x2": MARGIN + 180, "x3": MARGIN + 470,
                "box_y": LEGEND_TOP + 2, "box_h": 24}


# -- laying it out ------------------------------------------------------------------------


@dataclass
class _Item:
    """A box, or a flow's slot through the middle column, while it is laid out."""

    key: str
    column: int
    h: float
    node: NodeIn | None = None
    y: float = 0.0
    order: float = 0.0

    @property
    def centre(self) -> float:
        return self.y + self.h / 2


@dataclass
class _Leg:
    """A flow between two items in neighbouring columns, or beside one column."""

    a: str  # the item it leaves
    b: str  # the item it reaches
    index: int  # the flow it is part of
    kind: str  # "across" (neighbouring columns) or "arc" (one column)


def _x(column: int) -> float:
    return MARGIN + column * (BOX_W + GUTTER)


def layout(nodes: list[NodeIn], edges: list[EdgeIn], title: str) -> Diagram:
    """The diagram of ``edges`` between ``nodes``; edges naming a node not given are left
    out (a broken reference is an error the check reports, and the portal is not built)."""
    items: dict[str, _Item] = {}
    names: dict[str, tuple[str, ...]] = {}
    for node in nodes:
        if node.key not in items:
            names[node.key] = wrap(visible(node.name), BOX_W - 2 * PAD, NAME_SIZE, bold=True)
            items[node.key] = _Item(node.key, node.column,
                                    BOX_H + LINE * (len(names[node.key]) - 1), node)
    flows = [(i, e) for i, e in enumerate(edges) if e.source in items and e.target in items]

    # each flow as legs between items: a slot in the middle column for a flow that skips it
    legs: list[_Leg] = []
    for index, edge in flows:
        a, b = items[edge.source], items[edge.target]
        if a.column == b.column:
            legs.append(_Leg(a.key, b.key, index, "arc"))
        elif abs(a.column - b.column) == 1:
            legs.append(_Leg(a.key, b.key, index, "across"))
        else:
            slot = _Item(f"slot:{index}", OURS, SLOT)
            items[slot.key] = slot
            legs += [_Leg(a.key, slot.key, index, "across"), _Leg(slot.key, b.key, index, "across")]

    # which side of each box every leg meets: right (+1) or left (-1)
    sides: dict[tuple[str, int], list[tuple[str, int, str]]] = defaultdict(list)  # -> (other, leg no, end)

    def side(item: _Item, other: _Item, kind: str) -> int:
        if kind == "across":
            return 1 if other.column > item.column else -1
        return -1 if item.column in (OUTSIDE, OURS) else 1  # arcs: on the outer or left side

    for n, leg in enumerate(legs):
        a, b = items[leg.a], items[leg.b]
        if a.node is not None:
            sides[(a.key, side(a, b, leg.kind))].append((b.key, n, "a"))
        if b.node is not None:
            sides[(b.key, side(b, a, leg.kind))].append((a.key, n, "b"))
    for (key, _side), ends in sides.items():  # room for every curve that meets a side
        items[key].h = max(items[key].h, len(ends) * PORT_GAP + 2 * PORT_GAP)

    columns: list[list[_Item]] = [[], [], []]
    for item in items.values():
        columns[item.column].append(item)
    _order(columns, legs, items)
    _place(columns, legs, items)

    top = min((it.y for col in columns for it in col), default=TOP)
    for col in columns:
        for it in col:
            it.y += TOP - top
    height = int(max((it.y + it.h for col in columns for it in col), default=TOP + BOX_H)
                 + BOTTOM)

    # where each leg meets each box: spread down the side, in the order of the other ends
    ports: dict[tuple[int, str], float] = {}
    for (key, _side), ends in sides.items():
        item = items[key]
        ends.sort(key=lambda e: (items[e[0]].centre, e[1]))
        step = item.h / (len(ends) + 1)
        for i, (_other, n, end) in enumerate(ends, 1):
            ports[(n, end)] = item.y + step * i

    boxes = []
    for node in nodes:
        item = items.get(node.key)
        if item is None or item.node is not node:
            continue
        full = visible(node.name)
        boxes.append(Box(_x(node.column), item.y, BOX_W, item.h, names[node.key], full,
                         fit(visible(node.note), BOX_W - 2 * PAD, NOTE_SIZE), node.patient,
                         node.href, node.column))
    curves = [_curve(edges[index], [(n, legs[n]) for n in range(len(legs)) if legs[n].index == index],
                     items, ports) for index, _edge in flows]
    width = int(2 * MARGIN + 3 * BOX_W + 2 * GUTTER)
    headings = tuple(Heading(_x(c), COLUMNS[c]) for c in range(3))
    empty = tuple(Heading(_x(c), "none") for c in range(3)
                  if not any(it.node for it in columns[c]))
    return Diagram(width, max(height, TOP + BOX_H + BOTTOM), title, headings, tuple(boxes),
                   tuple(curves), empty)


def _neighbours(legs: list[_Leg], items: dict[str, _Item]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for leg in legs:
        if leg.kind == "across":
            found[leg.a].append(leg.b)
            found[leg.b].append(leg.a)
    return found


def _order(columns: list[list[_Item]], legs: list[_Leg], items: dict[str, _Item]) -> None:
    """Order each column to cross few curves and keep arcs short: each item moves to the mean
    position of what it connects to (in the neighbouring columns, and by an arc in its own),
    a few times over (the barycentre heuristic). Items with nothing to go by keep their
    place; ties keep the order given."""
    near = _neighbours(legs, items)
    arcs: dict[str, list[str]] = defaultdict(list)
    for leg in legs:
        if leg.kind == "arc" and leg.a != leg.b:
            arcs[leg.a].append(leg.b)
            arcs[leg.b].append(leg.a)

    def number(col: list[_Item]) -> None:
        span = max(len(col) - 1, 1)
        for i, it in enumerate(col):
            it.order = i / span

    for col in columns:
        number(col)
    for sweep in range(12):
        for c in ((OURS, OUTSIDE, SUPPLIERS) if sweep % 2 == 0 else (OUTSIDE, SUPPLIERS, OURS)):
            col = columns[c]
            wanted = {}
            for it in col:
                others = [items[k].order for k in near.get(it.key, ())]
                others += [items[k].order for k in arcs.get(it.key, ())]
                wanted[it.key] = sum(others) / len(others) if others else it.order
            col.sort(key=lambda it: wanted[it.key])
            number(col)


def _place(columns: list[list[_Item]], legs: list[_Leg], items: dict[str, _Item]) -> None:
    """Give every item its height on the page, in its column's order. The tallest column is
    stacked from the top; the others are placed level with what they connect to, as near as
    the gaps between boxes allow."""
    near = _neighbours(legs, items)

    def gap(a: _Item, b: _Item) -> float:
        return BOX_GAP if a.node is not None and b.node is not None else SLOT_GAP

    def stacked(col: list[_Item]) -> float:
        return sum(it.h for it in col) + sum(gap(a, b) for a, b in zip(col, col[1:], strict=False))

    spine = max(range(3), key=lambda c: (stacked(columns[c]), c == OURS))
    y = 0.0
    for i, it in enumerate(columns[spine]):
        it.y = y
        y += it.h + (gap(it, columns[spine][i + 1]) if i + 1 < len(columns[spine]) else 0)
    bottom = y
    placed = {spine}
    for c in ([OUTSIDE, SUPPLIERS] if spine == OURS else [OURS, SUPPLIERS - spine]):
        col = columns[c]
        wanted = []
        for it in col:
            ys = [items[k].centre for k in near.get(it.key, ()) if items[k].column in placed]
            wanted.append(sum(ys) / len(ys) - it.h / 2 if ys else None)
        _settle(col, wanted, gap, bottom)
        placed.add(c)


def _settle(col: list[_Item], wanted: list[float | None], gap, bottom: float) -> None:  # type: ignore[no-untyped-def]
    """Place a column's items in order, each as near its wanted height as the gaps allow:
    down from the top, then back up where the column runs below ``bottom``, then down
    again so that every gap is kept (a column taller than ``bottom`` simply runs on)."""
    def least(i: int) -> float:
        return col[i - 1].y + col[i - 1].h + gap(col[i - 1], col[i]) if i else 0.0

    for i, it in enumerate(col):
        want = wanted[i]
        it.y = max(least(i), want if want is not None else least(i))
    limit = bottom
    for i in range(len(col) - 1, -1, -1):
        it = col[i]
        it.y = min(it.y, limit - it.h)
        limit = it.y - (gap(col[i - 1], it) if i else 0.0)
    for i, it in enumerate(col):
        it.y = max(it.y, least(i))


def _curve(edge: EdgeIn, legs: list[tuple[int, _Leg]], items: dict[str, _Item],
           ports: dict[tuple[int, str], float]) -> Curve:
    parts: list[str] = []
    end_x = end_y = 0.0
    direction = 1
    for number, (n, leg) in enumerate(legs):
        a, b = items[leg.a], items[leg.b]
        last = number == len(legs) - 1
        if leg.kind == "arc":
            s = -1 if a.column in (OUTSIDE, OURS) else 1
            x = _x(a.column) + (BOX_W if s > 0 else 0)
            y1, y2 = ports[(n, "a")], ports[(n, "b")]
            bulge = min((GUTTER * 0.4 if a.column == OURS else MARGIN - 8),
                        24 + abs(y2 - y1) * 0.12)
            direction = -s
            end_x, end_y = x, y2
            parts.append(f"M{x:.1f},{y1:.1f} C{x + s * bulge:.1f},{y1:.1f} "
                         f"{x + s * bulge:.1f},{y2:.1f} "
                         f"{x + s * (ARROW if edge.patient else 1.5):.1f},{y2:.1f}")
            continue
        direction = 1 if b.column > a.column else -1
        if a.node is not None:
            x1, y1 = _x(a.column) + (BOX_W if direction > 0 else 0), ports[(n, "a")]
        else:  # leaving a slot: from its far side
            x1, y1 = _x(a.column) + (BOX_W if direction > 0 else 0), a.centre
        if b.node is not None:
            x2, y2 = _x(b.column) + (0 if direction > 0 else BOX_W), ports[(n, "b")]
        else:  # into a slot, then straight through it
            x2, y2 = _x(b.column) + (0 if direction > 0 else BOX_W), b.centre
        stop = x2 - direction * (ARROW if edge.patient else 1.5) if last else x2
        mid = (x1 + stop) / 2
        move = f"M{x1:.1f},{y1:.1f} " if not parts else f"L{x1:.1f},{y1:.1f} "
        parts.append(f"{move}C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} {stop:.1f},{y2:.1f}")
        end_x, end_y = x2, y2
    base = end_x - direction * ARROW
    half = 5.0 if edge.patient else 4.5
    if edge.patient:  # a filled triangle
        arrow = f"{base:.1f},{end_y - half:.1f} {end_x:.1f},{end_y:.1f} {base:.1f},{end_y + half:.1f}"
    else:  # an open chevron
        arrow = f"{base:.1f},{end_y - half:.1f} {end_x - direction * 1.5:.1f},{end_y:.1f} " \
                f"{base:.1f},{end_y + half:.1f}"
    return Curve(" ".join(parts), arrow, edge.patient, edge.title, edge.href)
