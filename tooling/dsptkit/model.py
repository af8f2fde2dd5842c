"""The repository as data: frozen dataclasses, no I/O.

Everything the rules, the status and the reports know comes from here; the loaders in
``repository.py`` are the only code that builds these objects from files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from dsptkit.durations import Duration

if TYPE_CHECKING:
    from dsptkit.patient_data import Found

# control characters, line and paragraph separators, and the bidirectional controls that can
# make a line read differently from what it holds (U+202E turns text around)
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(32), 127)} | {
    c: f"\\u{c:04x}" for c in (0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F),
                               *range(0x2066, 0x206A))}


def one_line(text: str) -> str:
    """Text with control characters and line separators escaped (``\\n`` becomes ``\\x0a``), so a
    file name or value can never break a ``path:line:col: CODE message`` line in two."""
    return text.translate(_CONTROL) if not text.isprintable() else text


class Loc(NamedTuple):
    """Where something stands: a repository-relative POSIX path, 1-based line and column.

    A named tuple rather than a dataclass: tens of thousands are made per run.
    """

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{one_line(self.path)}:{self.line}:{self.col}"


class Severity(StrEnum):
    ERROR = "error"  # the repository is broken: fails the run, blocks a commit
    FINDING = "finding"  # the compliance position has a gap
    WARNING = "warning"  # worth a look; never a gap by itself


class Level(StrEnum):
    """How mandatory a catalogue item is for one organisation category."""

    APPROACHING = "approaching"  # needed for Approaching Standards (and so for Standards Met)
    MET = "met"  # needed for Standards Met
    OPTIONAL = "optional"  # answerable, not mandatory


class PolicyStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    RETIRED = "retired"


class Outcome(StrEnum):
    """What a piece of evidence found."""

    PASS = "pass"
    FAIL = "fail"
    PARTIAL = "partial"


class AttachmentState(StrEnum):
    """What the loader found on disk (or in git) for an attachment."""

    OK = "ok"
    MISSING = "missing"
    DIRECTORY = "directory"
    OUTSIDE = "outside"  # the path leaves the repository
    SPECIAL = "not a regular file"  # a FIFO, device or socket: never opened
    UNREADABLE = "unreadable"  # there, but it cannot be read (permissions, a symlink loop)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str | None
    started: date | None
    left: date | None
    loc: Loc
    email: str | None = None
    extra: dict[str, str] = field(default_factory=dict, hash=False)  # adopted columns kept


@dataclass(frozen=True)
class Waiver:
    """An explicit, approved, expiring exception to a rule or a catalogue item."""

    rule: str | None
    item: str | None
    subject: str | None
    reason: str
    approved_by: str
    expires: date
    loc: Loc


@dataclass(frozen=True)
class Settings:
    """The ``check:`` section of organisation.yaml, with defaults."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    warning_window: Duration = Duration(days=30, text="30d")
    evidence_every: Duration = Duration(months=12, text="1y")
    policy_review_every: Duration = Duration(months=36, text="3y")
    owner_share_limit: float = 0.5
    backdating_days: int = 30
    separation_of_duties: bool = False
    history: bool = True  # False: git history is not the organisation's record; not read
    # staff acknowledge a policy marked `acknowledge: true` within this of its approval or
    # of their start, whichever is later (AK101)
    acknowledge_within: Duration = Duration(days=30, text="30d")
    # pairs of roles one person should not hold together (OW104); the default follows the
    # ICO's guidance that a DPO must not also decide why and how data is used
    separate_roles: tuple[tuple[str, str], ...] = (("dpo", "siro"), ("dpo", "it_lead"))


DEFAULT_SETTINGS = Settings()


@dataclass(frozen=True)
class Appointment:
    """How a role's holder was appointed, as organisation.yaml records it."""

    role: str
    person: str
    appointed_on: date | None
    how: str | None
    evidence: str | None  # an evidence id
    loc: Loc


@dataclass(frozen=True)
class Answer:
    """An item answered other than by claims: "not applicable", with who decided and why."""

    item: str  # "dspt:1.4.3"
    answer: str  # "not applicable"
    reason: str
    decided_by: str
    decided_on: date
    loc: Loc


@dataclass(frozen=True)
class Publication:
    """A past DSPT publication, as organisation.yaml records it."""

    published: date
    edition: str
    status: str  # "Standards Met", "Approaching Standards", ...
    loc: Loc


@dataclass(frozen=True)
class ImprovementPlan:
    agreed_with: str
    agreed_on: date
    evidence: str | None
    loc: Loc


@dataclass(frozen=True)
class Organisation:
    name: str
    ods_code: str | None
    category: str
    edition: str | None
    roles: dict[str, str]  # role -> person id
    settings: Settings
    waivers: tuple[Waiver, ...]
    loc: Loc
    role_locs: dict[str, Loc] = field(default_factory=dict)
    appointments: dict[str, Appointment] = field(default_factory=dict)  # by role
    ico_registration: str | None = None
    answers: tuple[Answer, ...] = ()
    publications: tuple[Publication, ...] = ()
    improvement_plan: ImprovementPlan | None = None
    role_aliases: dict[str, str] = field(default_factory=dict)  # "CTO" -> "it_lead"

    def person_for(self, owner: str) -> str:
        """The person behind a role name, or the name itself when it is not a role."""
        return self.roles.get(owner, owner)


@dataclass(frozen=True)
class CatalogueItem:
    ref: str  # "dspt:1.1.1"
    framework: str
    id: str
    title: str
    standard: str
    standard_title: str
    assertion: str
    assertion_title: str
    levels: dict[str, Level]  # organisation category -> level; absent = not applicable
    evidence_every: Duration | None
    guidance: str | None
    provenance: str | None
    loc: Loc
    exempt_by: tuple[str, ...] = ()  # certificate schemes that satisfy this item while current
    maps_to: tuple[tuple[str, str], ...] = ()  # (other item ref, relation)
    answer: str | None = None  # yes-no | text | document | date: what the DSPT asks for
    answer_source: str | None = None
    not_applicable: str | None = None  # where the DSPT allows "not applicable": the source
    needs_profile: tuple[str, ...] = ()  # profile facts the item's answer is (ico_registration)

    def level_for(self, category: str) -> Level | None:
        return self.levels.get(category)


SCHEME_NAMES = {
    "ce": "Cyber Essentials",
    "ce-plus": "Cyber Essentials Plus",
    "iso27001": "ISO/IEC 27001",
    "psn": "PSN",
}

# Relations under which evidence for one framework's item carries across to another's.
CARRYING_RELATIONS = frozenset({"equal", "superset"})


@dataclass(frozen=True)
class Cycle:
    """An edition's publication window."""

    opens: date | None
    deadline: date
    source: str | None


@dataclass(frozen=True)
class Published:
    """How many items the official edition has for one category, at each level (None: unknown)."""

    met: int | None
    approaching: int | None
    items: int | None
    source: str


@dataclass(frozen=True)
class LevelRule:
    """What one publication level needs for one category, as the catalogue states it."""

    items: str | None = None  # "approaching" | "met": every counted item of that level met
    plan: str | None = None  # "action" | "agreed"
    once: bool = False
    certificate: str | None = None
    unknown: str | None = None  # the rule is not known: why
    source: str | None = None


@dataclass(frozen=True)
class Framework:
    """A catalogue's own facts: which framework, which edition, what it lacks, what the
    official edition publishes and what each level needs, per category."""

    id: str
    title: str
    edition: str | None
    known_gaps: str | None
    loc: Loc
    cycle: Cycle | None = None
    published: dict[str, Published] = field(default_factory=dict)  # by category
    positions: dict[str, dict[str, LevelRule]] = field(default_factory=dict)  # category -> level
    files: tuple[str, ...] = ()  # every catalogue file of this framework, the edition's first
    locs: dict[str, Loc] = field(default_factory=dict)  # "cycle", "published.3.met", ... -> where


@dataclass(frozen=True)
class Certificate:
    scheme: str  # ce | ce-plus | iso27001 | psn
    expires: date
    scope: str | None
    number: str | None

    @property
    def name(self) -> str:
        return SCHEME_NAMES.get(self.scheme, self.scheme)


@dataclass(frozen=True)
class Claim:
    id: str
    says: str
    meets: tuple[str, ...]
    evidence_every: Duration
    planned: bool
    target: date | None
    owner: str  # the claim's own owner, else its policy's
    policy_id: str
    loc: Loc
    meets_locs: tuple[Loc, ...] = ()


@dataclass(frozen=True)
class Policy:
    id: str
    title: str
    version: str
    status: PolicyStatus
    owner: str
    approved_by: str | None
    approved_on: date | None
    review_every: Duration | None
    next_review: date | None
    claims: tuple[Claim, ...]
    loc: Loc
    approved_loc: Loc
    owner_loc: Loc
    adopted_from: str | None = None  # the path dspt adopt read it from
    adopted_sha256: str | None = None  # and the sha256 of that original
    starter: bool = False  # written by dspt init, not yet made the organisation's own
    acknowledge: bool = False  # staff must acknowledge each approved version (AK101)
    next_review_loc: Loc | None = None  # where `next_review:` is written, when it is

    @property
    def active(self) -> bool:
        return self.status is PolicyStatus.APPROVED

    def active_on(self, day: date) -> bool:
        """Approved, and approved on or before ``day``: assessed on an earlier date, a policy
        approved later did not yet count."""
        return self.active and (self.approved_on is None or self.approved_on <= day)


@dataclass(frozen=True)
class Attachment:
    """An attachment as recorded in evidence, with what the loader found on disk."""

    path: str  # as written in front matter
    sha256: str | None  # as recorded
    loc: Loc
    repo_path: str | None  # repository-relative path, None when it leaves the repository
    state: AttachmentState
    actual_sha256: str | None
    detail: str | None = None  # why it cannot be read, in plain words


@dataclass(frozen=True)
class Evidence:
    id: str
    title: str
    collected: date
    by: str
    supports: tuple[str, ...]
    outcome: Outcome
    classification: str
    files: tuple[Attachment, ...]
    loc: Loc
    collected_loc: Loc
    by_loc: Loc
    supports_locs: tuple[Loc, ...]
    certificate: Certificate | None = None
    adopted_from: str | None = None  # the path dspt adopt read it from
    adopted_sha256: str | None = None  # and the sha256 of that original

    @property
    def passed(self) -> bool:
        return self.outcome is Outcome.PASS


@dataclass(frozen=True)
class TrainingRecord:
    person: str
    course: str
    completed: date
    score: float | None
    loc: Loc
    extra: dict[str, str] = field(default_factory=dict, hash=False)  # adopted columns kept


@dataclass(frozen=True)
class Asset:
    name: str
    kind: str
    version: str | None
    supported_until: date | None
    owner: str | None
    holds_personal_data: bool
    location: str | None
    loc: Loc
    priority: str | None = None  # high | medium | low
    depends_on: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict, hash=False)  # adopted columns kept


@dataclass(frozen=True)
class Supplier:
    name: str
    service: str
    data_processed: str | None
    contract_article_28: bool | None  # None: not recorded
    certification: str | None
    checked: date | None
    contact: str | None
    loc: Loc
    extra: dict[str, str] = field(default_factory=dict, hash=False)  # adopted columns kept
    processes_patient_data: bool | None = None  # None: not recorded
    country: str | None = None  # where they process the data
    sub_processors: tuple[SubProcessor, ...] | None = None  # None: not recorded; () none
    contract: Contract | None = None
    evidence: tuple[str, ...] = ()  # evidence ids of their due-diligence checks
    locs: Any = field(default_factory=dict, hash=False, compare=False, repr=False)


@dataclass(frozen=True)
class SubProcessor:
    """A supplier's own sub-processor, as the supplier declared it."""

    name: str
    service: str | None
    country: str | None


@dataclass(frozen=True)
class Contract:
    """A supplier's contract: its dates, whether its clauses cover data protection (UK GDPR
    Article 28), and the evidence that holds it."""

    signed: date | None
    expires: date | None  # None: runs until ended
    data_protection: bool | None  # None: not recorded
    evidence: str | None
    reference: str | None
    loc: Loc


@dataclass(frozen=True)
class Action:
    """An action an incident or near miss led to: what, who, by when, and when it was done."""

    action: str
    owner: str | None  # a person id or a role, as written
    due: date | None
    done: date | None
    loc: Loc
    index: int = 0  # its place in the incident's list (a stable part of its calendar UID)


@dataclass(frozen=True)
class Incident:
    id: str
    date: date
    summary: str
    reported_to: tuple[str, ...]
    lessons: str | None
    closed: date | None
    loc: Loc
    extra: dict[str, str] = field(default_factory=dict, hash=False)  # adopted columns kept
    near_miss: bool = False  # nothing was lost or seen, but it nearly was
    actions: tuple[Action, ...] = ()


@dataclass(frozen=True)
class Acknowledgement:
    """A person's sign-off of one version of a policy: they have read it and will follow it."""

    person: str  # a person id
    policy: str  # a policy id
    version: str  # the version they acknowledged, as the policy's `version` writes it
    date: date
    loc: Loc
    extra: dict[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class InformationAsset:
    """An entry of the information asset register: what information is held, where, by whom."""

    name: str
    description: str | None
    owner: str | None
    format: str | None
    location: str | None
    holds_personal_data: bool | None  # None: not recorded
    special_category: bool | None
    retention: str | None
    reviewed: date | None
    loc: Loc
    extra: dict[str, str] = field(default_factory=dict, hash=False)
    data_categories: tuple[str, ...] | None = None  # None: not recorded
    systems: tuple[str, ...] = ()  # asset register names
    hosted_in: tuple[str, ...] = ()  # countries, as written
    suppliers: tuple[str, ...] = ()  # suppliers register names
    volume: str | None = None
    controls: tuple[str, ...] = ()
    transfer_safeguard: str | None = None
    evidence: tuple[str, ...] = ()
    # where each list item stands, by "field" and "field.N" (e.g. "systems.1")
    locs: Any = field(default_factory=dict, hash=False, compare=False, repr=False)


@dataclass(frozen=True)
class ProcessingActivity:
    """An entry of the record of processing activities (UK GDPR Article 30)."""

    activity: str
    purpose: str | None
    lawful_basis: str | None
    special_category_condition: str | None
    data_subjects: str | None
    data_categories: str | None
    recipients: str | None
    retention: str | None
    transfers: str | None
    security: str | None
    owner: str | None
    reviewed: date | None
    loc: Loc
    extra: dict[str, str] = field(default_factory=dict, hash=False)
    special_category: bool | None = None  # the activity itself says so
    information_assets: tuple[str, ...] = ()
    transfer_list: tuple[Transfer, ...] | None = None  # None: not listed (maybe prose)
    evidence: tuple[str, ...] = ()
    recipient_list: tuple[str, ...] = ()  # recipients written as a list
    locs: Any = field(default_factory=dict, hash=False, compare=False, repr=False)


@dataclass(frozen=True)
class Transfer:
    """A transfer of personal data outside the UK, with its safeguard (UK GDPR Chapter V)."""

    country: str
    recipient: str | None
    safeguard: str | None
    loc: Loc


@dataclass(frozen=True)
class DataFlow:
    """One flow of data between two ends: systems, suppliers or outside parties, by name."""

    source: str
    target: str
    data: str | None
    data_categories: tuple[str, ...] | None
    information_assets: tuple[str, ...]
    via: str | None  # how it travels, e.g. NHSmail, API over TLS, SFTP
    frequency: str | None
    evidence: tuple[str, ...]
    loc: Loc
    extra: dict[str, str] = field(default_factory=dict, hash=False)
    locs: Any = field(default_factory=dict, hash=False, compare=False, repr=False)

    @property
    def name(self) -> str:
        return f"{self.source} -> {self.target}"


@dataclass(frozen=True)
class Party:
    """Someone outside the organisation data flows to or from that is not a supplier: a
    customer, an NHS organisation, the public."""

    name: str
    kind: str  # customer | nhs | public | other
    description: str | None
    loc: Loc


@dataclass(frozen=True)
class Risk:
    """An entry of the information risk register, its ratings as written."""

    id: str | None
    risk: str
    likelihood: str | None
    impact: str | None
    score: str | None
    owner: str | None
    mitigation: str | None
    status: str | None
    reviewed: date | None
    loc: Loc
    extra: dict[str, str] = field(default_factory=dict, hash=False)


Entry = (Person | TrainingRecord | Asset | Supplier | Incident | InformationAsset | ProcessingActivity
         | Risk | DataFlow | Acknowledgement)


@dataclass(frozen=True)
class Register:
    """A living register (people, training, assets, suppliers, incidents, information_assets,
    processing, risks, data_flows, acknowledgements) as loaded, its entries as typed records."""

    kind: str
    reviewed: date | None
    entries: tuple[Entry, ...]
    loc: Loc
    reviewed_loc: Loc | None = None
    sources: tuple[tuple[str, str], ...] = ()  # (path, sha256) of documents adopted into it
    approved_by: str | None = None  # the data map registers: who in management approved it
    approved_on: date | None = None
    approved_loc: Loc | None = None
    parties: tuple[Party, ...] = ()  # the data flows register: outside parties
    owner: str | None = None  # who keeps it up to date (a person id or a role), as written


@dataclass(frozen=True)
class DatedField:
    """A date the repository states, kept so one rule can check every date for the future."""

    name: str
    value: date
    loc: Loc


@dataclass(frozen=True)
class TextSource:
    """A file the patient-data scan reads: every file git would commit under the content
    folders. A Markdown or YAML file the loader decoded keeps its ``text``; any other file
    (attachments, files nothing else reads, UTF-16 text) is scanned as the loader streams
    it, and keeps only what was ``found`` (``text`` is then empty)."""

    path: str
    text: str
    line_offset: int = 0
    found: Found | None = None


@dataclass(frozen=True)
class Problem:
    """A result the loader produces before any rule runs (parse and schema errors)."""

    code: str
    loc: Loc
    message: str


@dataclass(frozen=True)
class LoadReport:
    """What the loader found beside the model: problems, the raw texts the patient-data scan
    reads, every stated date and declared id with where it stands, and which files were too
    broken to read. Kept apart so the model holds only the organisation's facts."""

    problems: tuple[Problem, ...] = ()
    dates: tuple[DatedField, ...] = ()
    texts: tuple[TextSource, ...] = ()
    # each policy's and evidence file's Markdown after its front matter, as the parser found
    # the closing fence (the portal renders these; nothing else looks for the fence)
    bodies: dict[str, str] = field(default_factory=dict)
    id_locs: tuple[tuple[str, str, Loc], ...] = ()  # (namespace, id, where) for every id declared
    broken_ids: frozenset[str] = field(default_factory=frozenset)  # ids from files that failed to load
    # kinds of file ("policies", "evidence", "standards") with a file too broken to read its ids;
    # rules that need to see every file of a kind stay quiet rather than report false gaps
    incomplete: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Repository:
    root: str
    organisation: Organisation | None
    items: dict[str, CatalogueItem]
    frameworks: dict[str, Framework]
    policies: tuple[Policy, ...]
    evidence: tuple[Evidence, ...]
    people: dict[str, Person]
    registers: dict[str, Register]

    @property
    def claims(self) -> tuple[Claim, ...]:
        return tuple(claim for policy in self.policies for claim in policy.claims)

    @property
    def settings(self) -> Settings:
        """The check settings, always present (the defaults when organisation.yaml is broken)."""
        return self.organisation.settings if self.organisation else DEFAULT_SETTINGS

    def entries(self, kind: str) -> tuple[Entry, ...]:
        """A register's records, or none when the register is absent."""
        register = self.registers.get(kind)
        return register.entries if register else ()
