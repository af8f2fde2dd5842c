"""The data map: what personal and patient data the organisation holds, where, and who
touches it, with every reference between the registers resolved, as of a date.

Built once per run from the model and the position (``Position.datamap``), from five
registers: the information asset register, the record of processing activities, the data
flows, the suppliers and the asset register (the systems). The DM rules report its
:attr:`DataMap.gaps`; ``dspt scope`` and the portal's Data map page render the same object
and take what is missing from the run's results, so nothing works these facts out twice.

Names link entries: a flow's ends, an information asset's systems and suppliers, an
activity's information assets. Names match whatever their case and spacing ("northwind
cloud" is "Northwind  Cloud"); a name that matches nothing, or two kinds of thing, is a
broken reference (DM001, an error).
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from dsptkit.model import (
    Asset,
    DataFlow,
    InformationAsset,
    Loc,
    Party,
    ProcessingActivity,
    Register,
    Repository,
    Supplier,
    Transfer,
)
from dsptkit.standing import YEAR, Checked, Support

if TYPE_CHECKING:
    from dsptkit.engine import CheckRun
    from dsptkit.model import Waiver
    from dsptkit.rules.base import Result
    from dsptkit.status import Position

# the registers of the data map the DSPT asks to be reviewed and approved (1.1.2), with files
MAP_REGISTERS = {"information_assets": "information-assets.yaml", "processing": "processing.yaml",
                 "data_flows": "data-flows.yaml"}
REGISTER_TITLES = {"information_assets": "information asset register",
                   "processing": "record of processing activities",
                   "data_flows": "data flows register", "suppliers": "suppliers register",
                   "assets": "asset register"}

CATEGORIES = ("patient", "special_category", "criminal_offence", "staff", "business_contacts",
              "financial", "other")

# UK GDPR Article 6(1): the six lawful bases, key -> how reports name it
LAWFUL_BASES = {
    "consent": "consent (6(1)(a))",
    "contract": "contract (6(1)(b))",
    "legal_obligation": "legal obligation (6(1)(c))",
    "vital_interests": "vital interests (6(1)(d))",
    "public_task": "public task (6(1)(e))",
    "legitimate_interests": "legitimate interests (6(1)(f))",
}
_BASIS_LETTERS = dict(zip("abcdef", LAWFUL_BASES, strict=True))
_BASIS_WORDS = (
    ("consent", re.compile(r"(?<!explicit )\bconsent")),
    # a contract with the data subject; "contract with the local authority" is not one
    ("contract", re.compile(r"\bcontract(?!\w)(?! with (?!(?:the |an? |our |each )?(?:data "
                            r"subjects?|individuals?|employees?|staff|service users?|patients?"
                            r"|them|him|her|clients?|customers?|people)\b))")),
    ("legal_obligation", re.compile(r"\blegal obligation")),
    ("vital_interests", re.compile(r"\bvital interest")),
    ("public_task", re.compile(r"\bpublic task|\bofficial authority|\bpublic interest task")),
    ("legitimate_interests", re.compile(r"\blegitimate interest")),
)
# UK GDPR Article 9(2): the ten conditions for special category data
CONDITIONS = {
    "explicit_consent": "explicit consent (9(2)(a))",
    "employment": "employment, social security and social protection (9(2)(b))",
    "vital_interests": "vital interests (9(2)(c))",
    "not_for_profit": "not-for-profit bodies (9(2)(d))",
    "made_public": "made public by the data subject (9(2)(e))",
    "legal_claims": "legal claims and judicial acts (9(2)(f))",
    "substantial_public_interest": "reasons of substantial public interest (9(2)(g))",
    "health_or_social_care": "health or social care (9(2)(h))",
    "public_health": "public health (9(2)(i))",
    "archiving_research": "archiving, research and statistics (9(2)(j))",
}
_CONDITION_LETTERS = dict(zip("abcdefghij", CONDITIONS, strict=True))
_CONDITION_WORDS = (
    ("explicit_consent", re.compile(r"\bexplicit consent")),
    ("employment", re.compile(r"\bemployment|\bsocial (?:security|protection)")),
    ("vital_interests", re.compile(r"\bvital interest")),
    ("not_for_profit", re.compile(r"\bnot for profit")),
    ("made_public", re.compile(r"\bmade public|\bmanifestly public")),
    ("legal_claims", re.compile(r"\blegal claims?|\bjudicial")),
    ("substantial_public_interest", re.compile(r"\bsubstantial public interest")),
    ("health_or_social_care", re.compile(
        r"\bhealth (?:or|and) social care|(?<!public )\bhealth ?care|\bsocial care|\bmedical"
        r"|\bmedicine|\bmedical diagnosis|\bprovision of (?:health|care|treatment)")),
    ("public_health", re.compile(r"\bpublic health")),
    ("archiving_research", re.compile(r"\barchiving|\bresearch|\bstatistic")),
)
# 6(1)(e), 6.1(e), 6.1.e, 6(1)e and the same for 9(2)(h)
_ARTICLE_6 = re.compile(r"(?<![\d.])6 ?(?:\( ?1 ?\)|\. ?1)\.? ?(?:\( ?([a-f]) ?\)|([a-f])\b)")
_ARTICLE_9 = re.compile(r"(?<![\d.])9 ?(?:\( ?2 ?\)|\. ?2)\.? ?(?:\( ?([a-j]) ?\)|([a-j])\b)")
# what a transfers text says when there are none
_NO_TRANSFERS = re.compile(r"^(?:none|no|n/?a|nil|not applicable|no transfers?|none outside (?:the )?uk"
                           r"|uk only|no transfers? outside (?:the )?uk|-+)\.?$")
_UK = {"uk", "u.k.", "united kingdom", "gb", "great britain", "england", "scotland", "wales",
       "northern ireland", "united kingdom of great britain and northern ireland", "uk south",
       "uk west", "london"}


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# what people write in a cell that records nothing
_PLACEHOLDER = re.compile(r"^(?:none|nil|no|n/?a|na|tbc|tbd|to be (?:confirmed|decided|agreed)"
                          r"|unknown|not known|not recorded|not applicable|[-?.]*)$")
_NEGATED = re.compile(r"^(?:none|nil|no|not|n/?a|na|tbc|tbd|unknown)\b")


@functools.lru_cache(maxsize=65536)
def key(name: str) -> str:
    """A name as references match it: case, runs of spaces, compatibility forms (fullwidth
    letters) and invisible characters (zero-width spaces) do not matter."""
    return " ".join(unicodedata.normalize("NFKC", name).translate(_INVISIBLE).casefold().split())


def recorded(text: str | None) -> bool:
    """Whether a field says something: blank, "None", "TBC", "N/A", "unknown" record nothing."""
    return text is not None and not _PLACEHOLDER.match(_words(text))


def _words(text: str) -> str:
    return " ".join(re.sub(r"[_\-–]+", " ", text.casefold()).split())


def is_uk(country: str) -> bool:
    """True when a country as written is the UK or one of its nations."""
    return _words(country).replace("the ", "") in _UK


def lawful_bases(text: str) -> tuple[str, ...]:
    """The Article 6 bases a lawful basis as written names (keys of LAWFUL_BASES), in order;
    none when it is not recognised."""
    words = _words(text)
    if _NEGATED.match(words):  # "N/A - no contract yet", "Not consent": no basis
        return ()
    found = [_BASIS_LETTERS[m.group(1) or m.group(2)] for m in _ARTICLE_6.finditer(words)]
    found += [basis for basis, pattern in _BASIS_WORDS if pattern.search(words)]
    if words.replace(" ", "_") in LAWFUL_BASES:
        found.append(words.replace(" ", "_"))
    return tuple(dict.fromkeys(found))


def conditions(text: str) -> tuple[str, ...]:
    """The Article 9 conditions a condition as written names (keys of CONDITIONS)."""
    words = _words(text)
    if _NEGATED.match(words):  # "None - non-medical data": no condition
        return ()
    found = [_CONDITION_LETTERS[m.group(1) or m.group(2)] for m in _ARTICLE_9.finditer(words)]
    found += [cond for cond, pattern in _CONDITION_WORDS if pattern.search(words)]
    if words.replace(" ", "_") in CONDITIONS:
        found.append(words.replace(" ", "_"))
    return tuple(dict.fromkeys(found))


def no_transfers(text: str) -> bool:
    """True when a transfers field written as text says there are none."""
    return bool(_NO_TRANSFERS.match(_words(text)))


class ContractStanding(StrEnum):
    CURRENT = "current, covers data protection"
    DATES_NOT_RECORDED = "covers data protection; dates not recorded"
    NO_DATA_PROTECTION = "does not cover data protection"
    PROTECTION_NOT_RECORDED = "not recorded whether it covers data protection"
    NOT_SIGNED = "not yet signed"
    EXPIRED = "expired"
    NOT_RECORDED = "no contract recorded"

    @property
    def ok(self) -> bool:
        return self in (ContractStanding.CURRENT, ContractStanding.DATES_NOT_RECORDED)


def contract_standing(supplier: Supplier, as_of: date) -> ContractStanding:
    """Whether a supplier's contract is in force on ``as_of`` and covers data protection.
    A bare ``contract_article_28: true`` covers data protection with its dates unknown."""
    contract = supplier.contract
    if contract is None:
        if supplier.contract_article_28 is None:
            return ContractStanding.NOT_RECORDED
        return (ContractStanding.DATES_NOT_RECORDED if supplier.contract_article_28
                else ContractStanding.NO_DATA_PROTECTION)
    covers = contract.data_protection
    if covers is None:
        covers = supplier.contract_article_28
    if contract.signed is not None and contract.signed > as_of:
        return ContractStanding.NOT_SIGNED
    if contract.expires is not None and contract.expires < as_of:
        return ContractStanding.EXPIRED
    if covers is None:
        return ContractStanding.PROTECTION_NOT_RECORDED
    if not covers:
        return ContractStanding.NO_DATA_PROTECTION
    if contract.signed is None and contract.expires is None:
        return ContractStanding.DATES_NOT_RECORDED
    return ContractStanding.CURRENT


@dataclass(frozen=True)
class Gap:
    """Something the data map lacks or gets wrong; the DM rule ``code`` reports it."""

    code: str
    loc: Loc
    message: str
    subject: str | None = None
    items: tuple[str, ...] = ()
    needs: frozenset[str] = frozenset()  # loader kinds ("evidence", "registers.assets") it relies on
    ref: str | None = None  # the evidence id a broken reference names


@dataclass(frozen=True)
class Note:
    """Something not recorded that no rule reports but the scope should say."""

    loc: Loc
    message: str


@dataclass(frozen=True)
class Node:
    """One end of a data flow as the diagram draws it."""

    key: str  # "system:<name>", "supplier:<name>", "party:<name>"
    name: str
    kind: str  # system | supplier | customer | nhs | public | other
    entry: Asset | Supplier | Party
    patient: bool  # patient data reaches it, or it holds patient data

    @property
    def side(self) -> str:
        """Where it stands on the map: ours, a supplier, or outside."""
        return {"system": "ours", "supplier": "supplier"}.get(self.kind, "outside")


@dataclass(frozen=True)
class AssetView:
    """An information asset with its references resolved."""

    asset: InformationAsset
    patient: bool | None  # None: its data categories are not recorded
    special: bool | None
    systems: tuple[Asset, ...]
    suppliers: tuple[Supplier, ...]
    outside_uk: tuple[str, ...]  # countries it is held in outside the UK
    missing: tuple[str, ...]  # what a patient-data asset lacks: owner, hosting place ...
    unsupported: tuple[Asset, ...]  # its systems past their vendor support end
    activities: tuple[str, ...] = ()  # activities that use it


@dataclass(frozen=True)
class ActivityView:
    activity: ProcessingActivity
    bases: tuple[str, ...]  # recognised Article 6 bases
    conditions: tuple[str, ...]  # recognised Article 9 conditions
    special: bool  # it uses special category data
    assets: tuple[InformationAsset, ...]
    transfers: tuple[Transfer, ...]
    transfers_known: bool  # False: written as text that does not say "none"


@dataclass(frozen=True)
class FlowView:
    flow: DataFlow
    source: Node | None
    target: Node | None
    patient: bool | None  # None: its categories are not recorded (and no patient asset)
    assets: tuple[InformationAsset, ...]


@dataclass(frozen=True)
class SupplierView:
    supplier: Supplier
    checked: Checked
    contract: ContractStanding
    patient: bool | None  # handles patient data: as recorded, or as the map shows; None:
    # not recorded and the map shows none reaching it
    named_by: tuple[str, ...]  # what in the map names it, in words
    holds: tuple[str, ...] = ()  # information assets it hosts or handles


@dataclass(frozen=True)
class DataMap:
    as_of: date
    registers: dict[str, Register | None]  # the map's registers and the two it links to
    assets: tuple[AssetView, ...]
    activities: tuple[ActivityView, ...]
    flows: tuple[FlowView, ...]
    suppliers: tuple[SupplierView, ...]
    parties: tuple[Party, ...]
    nodes: tuple[Node, ...]  # the ends of the flows, ours first, then suppliers, then outside
    gaps: tuple[Gap, ...]
    notes: tuple[Note, ...]
    systems: dict[str, Asset] = field(default_factory=dict)  # by key(name)

    @property
    def empty(self) -> bool:
        """No data map register is present."""
        return all(self.registers.get(kind) is None for kind in MAP_REGISTERS)

    @functools.cached_property
    def mapped_systems(self) -> frozenset[str]:
        """The keys of the systems the map names: ends of flows and information assets'
        systems."""
        return frozenset({key(n.name) for n in self.nodes if n.kind == "system"} |
                         {key(s.name) for v in self.assets for s in v.systems})

    @property
    def patient_assets(self) -> tuple[AssetView, ...]:
        return tuple(v for v in self.assets if v.patient)

    @property
    def patient_suppliers(self) -> tuple[SupplierView, ...]:
        return tuple(v for v in self.suppliers if v.patient)

    def supplier(self, name: str) -> SupplierView | None:
        wanted = key(name)
        return next((v for v in self.suppliers if key(v.supplier.name) == wanted), None)


HINTS = 50  # unknown names given a "did you mean": each costs a pass over every name


def _hint(name: str, *tables: dict) -> str:
    """A close match among the entries of ``tables`` (by key), by its name as written."""
    names = {k: entry.name for table in tables for k, entry in table.items()}
    close = difflib.get_close_matches(key(name), list(names), n=1, cutoff=0.85)
    return f" (did you mean '{names[close[0]]}'?)" if close else ""


class _Builder:
    def __init__(self, repo: Repository, as_of: date, position: Position) -> None:
        self.repo, self.as_of, self.position = repo, as_of, position
        self.gaps: list[Gap] = []
        self.notes: list[Note] = []
        self.hints = 0
        self.systems: dict[str, Asset] = {}
        self.system_names: dict[str, str] = {}
        for asset in repo.entries("assets"):
            if isinstance(asset, Asset):
                self.systems.setdefault(key(asset.name), asset)
        self.supplier_by: dict[str, Supplier] = {}
        for supplier in repo.entries("suppliers"):
            if isinstance(supplier, Supplier):
                k = key(supplier.name)
                if k in self.supplier_by:
                    self.gap("DM001", supplier.loc, f"supplier '{supplier.name}' is listed twice "
                                                    "in the suppliers register (first at line "
                                                    f"{self.supplier_by[k].loc.line}); names in "
                                                    "the data map must say which one is meant",
                             subject=supplier.name)
                else:
                    self.supplier_by[k] = supplier
        self.info_by: dict[str, InformationAsset] = {}
        for asset in repo.entries("information_assets"):
            if isinstance(asset, InformationAsset):
                k = key(asset.name)
                if k in self.info_by:
                    self.gap("DM001", asset.loc, f"information asset '{asset.name}' is listed "
                                                 "twice (first at line "
                                                 f"{self.info_by[k].loc.line}); give each its "
                                                 "own name", subject=asset.name)
                else:
                    self.info_by[k] = asset
        flows = repo.registers.get("data_flows")
        self.party_by: dict[str, Party] = {}
        for party in flows.parties if flows else ():
            k = key(party.name)
            if k in self.party_by:
                self.gap("DM001", party.loc, f"party '{party.name}' is listed twice under "
                                             "parties", subject=party.name)
            else:
                self.party_by[k] = party
        self.evidence = {e.id for e in repo.evidence}
        self.support = {key(s.asset.name): s.support for s in position.assets}
        self.checked = {key(s.supplier.name): s.checked for s in position.suppliers}
        # what names each supplier, and whether patient data reaches it through the map
        self.named: dict[str, list[str]] = {}
        self.patient_suppliers: dict[str, str] = {}  # key -> why the map says patient data
        self.holds: dict[str, list[str]] = {}

    def hint(self, name: str, *tables: dict) -> str:
        """A "did you mean" for the first HINTS unknown names (each costs a pass over every
        name: thousands of unknown names against thousands of entries would take minutes)."""
        self.hints += 1
        return _hint(name, *tables) if self.hints <= HINTS else ""

    def gap(self, code: str, loc: Loc, message: str, subject: str | None = None,
            items: tuple[str, ...] = (), needs: Iterable[str] = (), ref: str | None = None) -> None:
        self.gaps.append(Gap(code, loc, message, subject, items, frozenset(needs), ref))

    def evidence_refs(self, what: str, ids: Iterable[str], locs: dict[str, Loc], loc: Loc,
                      field_name: str = "evidence") -> None:
        for i, ident in enumerate(ids):
            if ident not in self.evidence:
                self.gap("DM001", locs.get(f"{field_name}.{i}", locs.get(field_name, loc)),
                         f"{what} cites evidence '{ident}', which no evidence file declares",
                         needs=("evidence",), ref=ident)

    def resolve(self, names: tuple[str, ...], table: dict, what: str, field_name: str,
                register: str, entry_locs: dict[str, Loc], loc: Loc) -> list:
        found = []
        for i, name in enumerate(names):
            hit = table.get(key(name))
            if hit is None:
                where = entry_locs.get(f"{field_name}.{i}", entry_locs.get(field_name, loc))
                present = self.repo.registers.get(register) is not None
                why = (f"which is not in the {REGISTER_TITLES[register]}" if present else
                       f"but there is no {REGISTER_TITLES[register]} "
                       f"(evidence/registers/{register.replace('_', '-')}.yaml)")
                self.gap("DM001", where, f"{what} names {field_name.rstrip('s').replace('_', ' ')}"
                                         f" '{name}', {why}{self.hint(name, table)}",
                         needs=(f"registers.{register}",))
            else:
                found.append(hit)
        return found

    # -- information assets --------------------------------------------------------------

    def asset_views(self, using: dict[str, list[ProcessingActivity]]) -> list[AssetView]:
        views = []
        for asset in self.repo.entries("information_assets"):
            if not isinstance(asset, InformationAsset):
                continue
            what = f"information asset '{asset.name}'"
            cats = asset.data_categories
            patient = None if cats is None else "patient" in cats
            special = True if asset.special_category or (cats and "special_category" in cats) \
                else (False if cats is not None or asset.special_category is False else None)
            systems = self.resolve(asset.systems, self.systems, what, "systems", "assets",
                                   asset.locs, asset.loc)
            suppliers = self.resolve(asset.suppliers, self.supplier_by, what, "suppliers",
                                     "suppliers", asset.locs, asset.loc)
            self.evidence_refs(what, asset.evidence, asset.locs, asset.loc)
            for supplier in suppliers:
                k = key(supplier.name)
                self.named.setdefault(k, []).append(what)
                self.holds.setdefault(k, []).append(asset.name)
                if patient:
                    self.patient_suppliers.setdefault(k, f"it hosts {what}, which holds patient "
                                                         "data")
            if patient is None and asset.holds_personal_data is not False:
                self.notes.append(Note(asset.loc, f"{what}: its data categories are not "
                                                  "recorded, so whether it holds patient data "
                                                  "is not known (add data_categories)"))
            missing = []
            if patient:
                if not recorded(asset.owner):
                    missing.append("owner")
                if not any(recorded(c) for c in asset.hosted_in):
                    missing.append("hosting place (hosted_in)")
                if not recorded(asset.retention):
                    missing.append("retention rule (retention)")
                if not any(recorded(c) for c in asset.controls):
                    missing.append("control that protects it (controls)")
                if missing:
                    self.gap("DM103", asset.loc, f"{what} holds patient data but records no "
                                                 f"{_listing(missing, 'or')}",
                             subject=asset.name, items=("dspt:1.1.2",))
            outside = tuple(c for c in asset.hosted_in if recorded(c) and not is_uk(c))
            users = using.get(key(asset.name), [])
            for country in outside:
                covered = recorded(asset.transfer_safeguard) or any(
                    recorded(t.safeguard) and key(t.country) == key(country)
                    for activity in users for t in activity.transfer_list or ())
                if not covered:
                    self.gap("DM105", asset.locs.get("hosted_in", asset.loc),
                             f"{what} is held in {country}, outside the UK, with no safeguard "
                             "for the transfer recorded (transfer_safeguard, or a transfer to "
                             f"{country} with its safeguard in an activity that uses it)",
                             subject=asset.name, items=("dspt:1.1.2",))
            unsupported = tuple(s for s in systems
                                if self.support.get(key(s.name)) is Support.UNSUPPORTED)
            if patient:
                for system in unsupported:
                    until = system.supported_until.isoformat() if system.supported_until else "?"
                    self.gap("DM106", system.loc, f"system '{system.name}' holds patient data "
                                                  f"({what}) and has been out of vendor support "
                                                  f"since {until}",
                             subject=system.name, items=("dspt:8.1.4",))
            views.append(AssetView(asset, patient, special, tuple(systems), tuple(suppliers),
                                   outside, tuple(missing), unsupported,
                                   tuple(a.activity for a in users)))
        return views

    # -- processing ----------------------------------------------------------------------

    def activity_views(self) -> tuple[list[ActivityView], dict[str, list[ProcessingActivity]]]:
        views = []
        using: dict[str, list[ProcessingActivity]] = {}
        for activity in self.repo.entries("processing"):
            if not isinstance(activity, ProcessingActivity):
                continue
            what = f"activity '{activity.activity}'"
            assets = self.resolve(activity.information_assets, self.info_by, what,
                                  "information_assets", "information_assets", activity.locs,
                                  activity.loc)
            for asset in assets:
                using.setdefault(key(asset.name), []).append(activity)
            self.evidence_refs(what, activity.evidence, activity.locs, activity.loc)
            bases = lawful_bases(activity.lawful_basis) if activity.lawful_basis else ()
            where = activity.locs.get("lawful_basis", activity.loc)
            if not recorded(activity.lawful_basis):
                self.gap("DM104", activity.loc, f"{what} records no lawful basis (UK GDPR "
                                                "Article 6)", subject=activity.activity,
                         items=("dspt:1.1.2",))
            elif not bases:
                self.gap("DM104", where, f"{what}: lawful basis '{activity.lawful_basis}' is not "
                                         "one of the six in UK GDPR Article 6(1) as dsptkit reads "
                                         f"them ({', '.join(LAWFUL_BASES)})",
                         subject=activity.activity, items=("dspt:1.1.2",))
            special_assets = [a.name for a in assets if a.special_category or (
                a.data_categories and "special_category" in a.data_categories)]
            special = bool(activity.special_category) or bool(special_assets)
            conds = conditions(activity.special_category_condition) \
                if activity.special_category_condition else ()
            if special and not recorded(activity.special_category_condition):
                why = (f"it uses {_listing([repr(n) for n in special_assets])}, marked special "
                       "category" if special_assets else "it is marked special_category")
                self.gap("DM104", activity.loc, f"{what} uses special category data ({why}) but "
                                                "records no condition for it (UK GDPR Article "
                                                "9(2), special_category_condition)",
                         subject=activity.activity, items=("dspt:1.1.2",))
            elif special and not conds:
                self.gap("DM104", activity.locs.get("special_category_condition", activity.loc),
                         f"{what}: condition '{activity.special_category_condition}' is not one "
                         "of the ten in UK GDPR Article 9(2) as dsptkit reads them "
                         f"({', '.join(CONDITIONS)})",
                         subject=activity.activity, items=("dspt:1.1.2",))
            transfers = activity.transfer_list or ()
            known = activity.transfer_list is not None or activity.transfers is None or \
                no_transfers(activity.transfers)
            if not known:
                self.gap("DM105", activity.locs.get("transfers", activity.loc),
                         f"{what}: transfers are written as text ('{activity.transfers}'), so "
                         "whether each has a safeguard cannot be checked; list them as "
                         "{country, recipient, safeguard}, or write [] for none",
                         subject=activity.activity, items=("dspt:1.1.2",))
            for transfer in transfers:
                if not is_uk(transfer.country) and not recorded(transfer.safeguard):
                    to = f" to {transfer.recipient}" if transfer.recipient else ""
                    self.gap("DM105", transfer.loc, f"{what} transfers data{to} in "
                                                    f"{transfer.country}, outside the UK, with no "
                                                    "safeguard recorded",
                             subject=activity.activity, items=("dspt:1.1.2",))
            for name in {*activity.recipient_list,
                         *(t.recipient for t in transfers if t.recipient)}:
                k = key(name)
                if k in self.supplier_by:
                    self.named.setdefault(k, []).append(what)
                    if any(a.data_categories and "patient" in a.data_categories
                                       for a in assets):
                        self.patient_suppliers.setdefault(
                            k, f"{what}, which uses patient data, shares it with them")
            views.append(ActivityView(activity, bases, conds, special, tuple(assets),
                                      tuple(transfers), known))
        return views, using

    # -- flows -----------------------------------------------------------------------------

    def endpoint(self, flow: DataFlow, name: str, field_name: str) -> tuple[str, object] | None:
        k = key(name)
        hits = [(kind, table[k]) for kind, table in (("system", self.systems),
                                                     ("supplier", self.supplier_by),
                                                     ("party", self.party_by)) if k in table]
        where = flow.locs.get(field_name, flow.loc)
        if not hits:
            self.gap("DM001", where, f"flow {flow.name}: '{name}' is not a system in the asset "
                                     "register, a supplier in the suppliers register or a party "
                                     "listed under parties"
                                     f"{self.hint(name, self.systems, self.supplier_by, self.party_by)}",
                     needs=("registers.assets", "registers.suppliers"))
            return None
        if len(hits) > 1:
            kinds = " and ".join(f"a {kind}" for kind, _ in hits)
            self.gap("DM001", where, f"flow {flow.name}: '{name}' names {kinds}; rename one so "
                                     "each name means one thing (e.g. the system "
                                     f"'{name} account')")
            return None
        return hits[0]

    def flow_views(self, asset_views: dict[str, AssetView]) -> tuple[list[FlowView], list[Node]]:
        views = []
        nodes: dict[str, Node] = {}
        patient_nodes: set[str] = set()
        register = self.repo.registers.get("data_flows")
        for flow in register.entries if register else ():
            if not isinstance(flow, DataFlow):
                continue
            what = f"flow {flow.name}"
            assets = self.resolve(flow.information_assets, self.info_by, what,
                                  "information_assets", "information_assets", flow.locs, flow.loc)
            self.evidence_refs(what, flow.evidence, flow.locs, flow.loc)
            patient: bool | None = bool(
                flow.data_categories and "patient" in flow.data_categories) or any(
                asset_views[key(a.name)].patient for a in assets if key(a.name) in asset_views)
            if not patient and flow.data_categories is None:
                patient = None
                self.notes.append(Note(flow.loc, f"{what}: its data categories are not recorded, "
                                                 "so whether it carries patient data is not "
                                                 "known (add data_categories)"))
            ends = []
            for name, field_name in ((flow.source, "from"), (flow.target, "to")):
                hit = self.endpoint(flow, name, field_name)
                if hit is None:
                    ends.append(None)
                    continue
                kind, entry = hit
                node_kind = entry.kind if isinstance(entry, Party) else kind
                node_key = f"{'party' if isinstance(entry, Party) else kind}:{key(entry.name)}"
                if node_key not in nodes:
                    nodes[node_key] = Node(node_key, entry.name, node_kind, entry, False)
                if patient:
                    patient_nodes.add(node_key)
                if kind == "supplier":
                    k = key(entry.name)
                    self.named.setdefault(k, []).append(what)
                    if patient:
                        self.patient_suppliers.setdefault(k, f"{what} carries patient data")
                ends.append(node_key)
            source = nodes.get(ends[0]) if ends[0] else None
            target = nodes.get(ends[1]) if ends[1] else None
            views.append(FlowView(flow, source, target, patient, tuple(assets)))
        for view in asset_views.values():  # systems holding patient data are patient nodes too
            if view.patient:
                patient_nodes.update(f"system:{key(s.name)}" for s in view.systems)
                patient_nodes.update(f"supplier:{key(s.name)}" for s in view.suppliers)
        marked = {k: Node(n.key, n.name, n.kind, n.entry, k in patient_nodes)
                  for k, n in nodes.items()}
        views = [FlowView(v.flow, marked.get(v.source.key) if v.source else None,
                          marked.get(v.target.key) if v.target else None, v.patient, v.assets)
                 for v in views]
        order = {"ours": 0, "supplier": 1, "outside": 2}
        ordered = sorted(marked.values(), key=lambda n: (order[n.side], key(n.name)))
        return views, ordered

    # -- suppliers ---------------------------------------------------------------------------

    def supplier_views(self) -> list[SupplierView]:
        views = []
        for supplier in self.supplier_by.values():
            k = key(supplier.name)
            what = f"supplier '{supplier.name}'"
            named = tuple(dict.fromkeys(self.named.get(k, ())))
            mapped_patient = self.patient_suppliers.get(k)
            patient = True if supplier.processes_patient_data or mapped_patient is not None \
                else (False if supplier.processes_patient_data is False else None)
            standing = contract_standing(supplier, self.as_of)
            self.evidence_refs(what, supplier.evidence, supplier.locs, supplier.loc)
            if supplier.contract and supplier.contract.evidence:
                self.evidence_refs(f"the contract of {what}", (supplier.contract.evidence,),
                                   supplier.locs, supplier.loc, "contract.evidence")
            if (named or patient) and not standing.ok:
                contract = supplier.contract
                signed = contract.signed.isoformat() if contract and contract.signed else "?"
                expires = contract.expires.isoformat() if contract and contract.expires else "?"
                detail = {
                    ContractStanding.NOT_RECORDED: "has no contract recorded (contract)",
                    ContractStanding.NO_DATA_PROTECTION: "has a contract that does not cover "
                                                         "data protection",
                    ContractStanding.PROTECTION_NOT_RECORDED: "has a contract, but whether it "
                                                              "covers data protection is not "
                                                              "recorded (contract.data_protection)",
                    ContractStanding.NOT_SIGNED: f"has a contract not signed until {signed}",
                    ContractStanding.EXPIRED: f"has a contract that expired on {expires}",
                }[standing]
                because = f"named by {_listing(named[:3])}" if named else \
                    "recorded as handling patient data"
                self.gap("DM101", supplier.locs.get("contract", supplier.loc),
                         f"{what} ({because}) {detail}", subject=supplier.name,
                         items=("dspt:10.2.2",))
            if patient and supplier.sub_processors is None:
                why = "recorded as processes_patient_data: true" if supplier.processes_patient_data else \
                    mapped_patient
                self.gap("DM102", supplier.loc, f"{what} handles patient data ({why}) but its "
                                                "sub-processors are not recorded "
                                                "(sub_processors, or [] for none)",
                         subject=supplier.name, items=("dspt:10.1.2",))
            if supplier.processes_patient_data is False and mapped_patient:
                self.gap("DM102", supplier.locs.get("processes_patient_data", supplier.loc),
                         f"{what} is recorded as not handling patient data, but {mapped_patient}",
                         subject=supplier.name, items=("dspt:10.1.2",))
            if standing is ContractStanding.DATES_NOT_RECORDED and (named or patient):
                self.notes.append(Note(supplier.loc, f"{what}: the contract's dates are not "
                                                     "recorded, so whether it is current is "
                                                     "not known (contract: {signed, expires})"))
            views.append(SupplierView(supplier, self.checked.get(k, Checked.NEVER), standing,
                                      patient, named, tuple(dict.fromkeys(self.holds.get(k, ())))))
        return views

    # -- the registers' review and approval (1.1.2) ------------------------------------------

    def register_gaps(self) -> None:
        since = YEAR.before(self.as_of)
        for kind, filename in MAP_REGISTERS.items():
            register = self.repo.registers.get(kind)
            title = REGISTER_TITLES[kind]
            if register is None:
                self.gap("DM107", Loc(f"evidence/registers/{filename}"),
                         f"there is no {title} (evidence/registers/{filename}; 'dspt init' "
                         "writes a starter, docs/format.md shows the fields)", subject=kind,
                         items=("dspt:1.1.2",), needs=(f"registers.{kind}",))
                continue
            where = register.approved_loc or register.loc
            lacks = []
            if register.approved_on is None:
                lacks.append("no approval by management (approved: {by, on})")
            if register.reviewed is None:
                lacks.append("no review date (reviewed)")
            if lacks:
                self.gap("DM107", where, f"the {title} records {_listing(lacks)}",
                         subject=kind, items=("dspt:1.1.2",))
            if register.approved_on is None:
                continue
            if register.approved_on > self.as_of:
                self.gap("DM107", where, f"the {title} was not approved until "
                                         f"{register.approved_on.isoformat()}, after "
                                         f"{self.as_of.isoformat()}", subject=kind,
                         items=("dspt:1.1.2",))
            elif register.approved_on < since:
                self.gap("DM107", where, f"the {title} was last approved on "
                                         f"{register.approved_on.isoformat()}, over 12 months "
                                         "ago", subject=kind, items=("dspt:1.1.2",))


def _listing(parts: list[str] | tuple[str, ...], last: str = "and") -> str:
    parts = list(parts)
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {last} " + parts[-1]


def build(repo: Repository, as_of: date, position: Position) -> DataMap:
    """The data map as of ``as_of``: call through ``position.datamap``, which builds it once."""
    builder = _Builder(repo, as_of, position)
    activities, using = builder.activity_views()
    assets = builder.asset_views(using)
    by_key = {key(v.asset.name): v for v in assets}
    flows, nodes = builder.flow_views(by_key)
    suppliers = builder.supplier_views()
    builder.register_gaps()
    registers = {kind: repo.registers.get(kind)
                 for kind in (*MAP_REGISTERS, "suppliers", "assets")}
    return DataMap(as_of, registers, tuple(assets), tuple(activities), tuple(flows),
                   tuple(suppliers), tuple(builder.party_by.values()), tuple(nodes),
                   tuple(builder.gaps), tuple(builder.notes), builder.systems)


# results about the map besides the DM rules: unsupported systems, suppliers not checked,
# registers not reviewed
RELATED = ("RG102", "RG103", "RG104")
MAP_KINDS = (*MAP_REGISTERS, "suppliers", "assets")  # the map's registers and the two it links


def register_file(path: str) -> str | None:
    """The register kind a repository path is the file of, among the map's, or None."""
    folder, _, name = path.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    if folder != "evidence/registers" or not dot or suffix not in ("yaml", "yml"):
        return None
    kind = stem.replace("-", "_")
    return kind if kind in MAP_KINDS else None


def about_the_map(res: Result, dm: DataMap) -> bool:
    """Whether a result of the run says something is missing from the data map: every DM
    rule's; RG102 for a system the map names; RG103 for any supplier (the suppliers register
    is part of the map); RG104 for the map's registers; and any error in their files (an
    unreadable register says why there)."""
    if res.code.startswith("DM"):
        return True
    if res.code == "RG102":
        return res.subject is not None and key(res.subject) in dm.mapped_systems
    if res.code == "RG103":
        return True
    if res.code == "RG104":
        return res.subject in dm.registers
    from dsptkit.model import Severity

    return res.severity is Severity.ERROR and register_file(res.loc.path) is not None


def missing(run: CheckRun) -> list[tuple[Result, Waiver | None]]:
    """What is missing from the data map, from the run's results: open ones in the check's
    order, then waived ones with their waivers. ``dspt scope`` and the portal show this."""
    dm = run.position.datamap
    found: list[tuple[Result, Waiver | None]] = [
        (r, None) for r in run.results if about_the_map(r, dm)]
    waived = sorted(((r, w) for r, w in run.waived if about_the_map(r, dm)),
                    key=lambda pair: pair[0].sort_key)
    return found + waived
