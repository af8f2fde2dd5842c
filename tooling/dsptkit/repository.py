"""Loading a whole repository into the model in one pass over the tree.

Each file is read once and parsed once; every problem is recorded with its location and
the load carries on, so one bad file never hides the state of the others.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import os
import posixpath
import stat
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from dsptkit.durations import Duration, parse_duration
from dsptkit.errors import UsageError
from dsptkit.frontmatter import Document, parse_markdown, parse_yaml_file
from dsptkit.model import (
    Acknowledgement,
    Action,
    Answer,
    Appointment,
    Asset,
    Attachment,
    AttachmentState,
    CatalogueItem,
    Certificate,
    Claim,
    Contract,
    Cycle,
    DataFlow,
    DatedField,
    Entry,
    Evidence,
    Framework,
    ImprovementPlan,
    Incident,
    InformationAsset,
    Level,
    LevelRule,
    LoadReport,
    Loc,
    Organisation,
    Outcome,
    Party,
    Person,
    Policy,
    PolicyStatus,
    Problem,
    ProcessingActivity,
    Publication,
    Published,
    Register,
    Repository,
    Risk,
    Settings,
    SubProcessor,
    Supplier,
    TextSource,
    TrainingRecord,
    Transfer,
    Waiver,
)
from dsptkit.patient_data import CHUNK, ByteScan, scan_bytes
from dsptkit.schema import validate

ORGANISATION_FILE = "organisation.yaml"
_OUTCOMES = {outcome.value: outcome for outcome in Outcome}  # faster than Outcome(text)
REGISTER_KINDS = ("people", "training", "assets", "suppliers", "incidents", "information_assets",
                  "processing", "risks", "data_flows", "acknowledgements")
# each register's file under evidence/registers/ (.yaml or .yml), and its schema's name
REGISTER_FILES = {kind: kind.replace("_", "-") for kind in REGISTER_KINDS}
_REGISTER_BY_FILE = {name: kind for kind, name in REGISTER_FILES.items()}
SKIPPED_NAMES = {"README.md", "index.md"}


def find_root(start: str | os.PathLike[str]) -> Path:
    """The nearest folder at or above ``start`` holding organisation.yaml."""
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        if (folder / ORGANISATION_FILE).is_file():
            return folder
    raise UsageError(f"{here} is not in a dsptkit repository: no {ORGANISATION_FILE} here or in "
                     "any parent folder (create one, or pass --repo DIR)")


class Tree(Protocol):
    """Files from somewhere other than the working tree (a git commit): paths and bytes."""

    def paths(self) -> list[str]: ...

    def read(self, path: str) -> bytes | None: ...


class _Loader:
    def __init__(self, root: Path, tree: Tree | None = None) -> None:
        self.tree = tree
        self.root = Path(os.path.realpath(root))
        self.real_root = str(self.root)
        self.prefix = self.real_root.rstrip(os.sep) + os.sep
        self.problems: list[Problem] = []
        self.dates: list[DatedField] = []
        self.texts: list[TextSource] = []
        # files scanned for patient data from their bytes (every file read whole and parsed
        # keeps its text instead, and is in ``read``)
        self.scanned: set[str] = set()
        self.bodies: dict[str, str] = {}
        # every file met under the content folders, those read, and hidden (dot) entries: what
        # is neither read nor an attachment is reported, never silently skipped (FM101)
        self.seen: set[str] = set()
        self.read: set[str] = set()
        self.hidden: set[str] = set()
        self.special: set[str] = set()  # FIFOs, devices, sockets: reported once, never opened
        self.id_locs: list[tuple[str, str, Loc]] = []
        self.broken: set[str] = set()
        self.incomplete: set[str] = set()
        self.settings = Settings()

    # -- walking -----------------------------------------------------------------------------

    def files(self, folder: str, suffixes: tuple[str, ...]) -> Iterator[tuple[str, bytes]]:
        """Yield (repo path, bytes) for files under ``folder`` with a suffix, in sorted order."""
        if self.tree is not None:
            prefix = folder.rstrip("/") + "/"
            for path in self.tree.paths():
                if not path.startswith(prefix):
                    continue
                name = path.rsplit("/", 1)[-1]
                hidden = next((i for i, part in enumerate(path.split("/")) if part.startswith(".")),
                              None)
                if hidden is not None:
                    self.hidden.add("/".join(path.split("/")[:hidden + 1]))
                    continue
                self.seen.add(path)
                if name.endswith(suffixes) and name not in SKIPPED_NAMES:
                    raw = self.tree.read(path)
                    if raw is not None:
                        self.read.add(path)
                        yield path, raw
            return
        base = self.root / folder
        if base.is_dir():
            yield from self._walk(str(base), suffixes)

    def _walk(self, current: str, suffixes: tuple[str, ...]) -> Iterator[tuple[str, bytes]]:
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            self.problem("FM001", self.rel(current), f"folder cannot be read: {exc.strerror}")
            return
        folders = []
        for entry in entries:
            rel = self.rel(entry.path)
            if entry.name.startswith("."):
                self.hidden.add(rel)
                continue
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                if not self.inside(target):
                    if entry.name.endswith(suffixes) or os.path.isdir(target):
                        self.problem("FM004", rel, "symlink leads outside the repository "
                                                   f"(to {target}); copy the file in instead")
                    continue
                if os.path.isdir(target):
                    continue  # never follow links to folders: no loops, no double counting
            try:
                is_dir, is_file = entry.is_dir(), entry.is_file()
            except OSError as exc:  # a symlink loop, a name too long
                if entry.name.endswith(suffixes):
                    self.problem("FM001", rel, f"file cannot be read: {exc.strerror}")
                continue
            if is_dir:
                folders.append(entry.path)
                continue
            if not is_file:  # a FIFO would block the read, and so every commit
                if rel not in self.special:
                    self.special.add(rel)
                    self.problem("FM001", rel, "is not a regular file (a FIFO, device or "
                                               "socket), so it is not read; remove it")
                continue
            self.seen.add(rel)
            if not entry.name.endswith(suffixes) or entry.name in SKIPPED_NAMES:
                continue
            try:
                with open(entry.path, "rb") as handle:
                    raw = handle.read()
            except OSError as exc:
                self.problem("FM001", rel, f"file cannot be read: {exc.strerror}")
                continue
            self.read.add(rel)
            yield rel, raw
        for folder in folders:
            yield from self._walk(folder, suffixes)

    def unread(self, evidence: list[Evidence]) -> None:
        """Report every file under the content folders that is neither read nor attached."""
        attached = {att.repo_path for ev in evidence for att in ev.files if att.repo_path}
        for path in sorted(self.seen - self.read - attached):
            name = path.rsplit("/", 1)[-1]
            if name in SKIPPED_NAMES:
                continue  # a folder's README or index: notes for people, scanned, not data
            if path.startswith("evidence/registers/"):
                why = "only YAML registers (people.yaml, training.yaml ...) are read here"
            elif path.startswith("evidence/"):
                why = "no evidence lists it under 'files:'; list it as an attachment"
            elif path.startswith("policies/"):
                why = "only Markdown policies are read here"
            else:
                why = "only YAML catalogues are read here"
            self.problem("FM101", path, f"file is not read: {why}, or move it out of the "
                                        "repository's content folders")
        for path in sorted(self.hidden):
            self.problem("FM101", path, "hidden file or folder is not read; git still commits "
                                        "it: move it out of the content folders or remove it")

    # -- the patient-data scan: every file git would commit under the content folders -------

    def text(self, rel: str, doc: Document, raw: bytes) -> None:
        """Record a parsed file's text for the patient-data scan; a file the parser could not
        read as UTF-8 text (UTF-16, another encoding, too large) is scanned from its bytes."""
        if rel in self.scanned:  # already scanned as an attachment
            return
        if doc.text:  # ``self.read`` holds it: nothing scans it again
            self.texts.append(TextSource(rel, doc.text))
        else:
            self.scan(rel, raw)

    def scan(self, rel: str, raw: bytes) -> None:
        """Scan bytes already in memory (from git, or a file the parser refused) in chunks."""
        if rel not in self.scanned:
            self.scanned.add(rel)
            self.texts.append(TextSource(rel, "", found=scan_bytes(raw)))

    def scan_the_rest(self) -> None:
        """Scan what git would commit but nothing else reads: a folder's README or index,
        every file reported FM101 (unlisted attachments, Markdown among the registers, text
        in policies/) and every hidden file and everything in a hidden folder."""
        if self.tree is not None:
            hidden = tuple(f"{path}/" for path in self.hidden)
            paths = self.seen | {p for p in self.tree.paths()
                                 if p in self.hidden or p.startswith(hidden)}
            for path in sorted(paths - self.read - self.scanned):
                raw = self.tree.read(path)
                if raw is not None:
                    self.scan(path, raw)
            return
        for path in sorted(self.seen - self.read - self.scanned):
            self._scan_file(path)
        for path in sorted(self.hidden):
            full = os.path.join(self.real_root, path)
            if not os.path.isdir(full) or os.path.islink(full):
                self._scan_file(path)
                continue
            for folder, dirs, names in os.walk(full):  # links to folders are not followed
                dirs[:] = sorted(d for d in dirs if d != ".git")
                for name in sorted(names):
                    self._scan_file(self.rel(os.path.join(folder, name)))

    def _scan_file(self, rel: str) -> None:
        """Scan one file of the working tree a chunk at a time, whatever its size."""
        if rel in self.scanned:
            return
        full = os.path.join(self.real_root, rel)
        try:
            if stat.S_ISLNK(os.lstat(full).st_mode):
                return  # git commits the link, not what it leads to
            fd = os.open(full, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
        except OSError:
            return  # gone, or unreadable: the walk has said so
        scan = ByteScan()
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                return  # a FIFO or device is never read
            for chunk in _chunks(fd, info.st_size):
                scan.feed(chunk)
        except OSError:
            return
        finally:
            os.close(fd)
        self.scanned.add(rel)
        self.texts.append(TextSource(rel, "", found=scan.close()))

    def rel(self, path: str | os.PathLike[str]) -> str:
        text = os.fspath(path)
        if text.startswith(self.prefix):  # the common case, without relpath's cost
            text = text[len(self.prefix):]
        else:
            text = os.path.relpath(text, self.root)
        return text.replace(os.sep, "/") if os.sep != "/" else text

    def inside(self, real: str) -> bool:
        return real == self.real_root or real.startswith(self.real_root + os.sep)

    def problem(self, code: str, path: str, message: str, line: int = 1, col: int = 1) -> None:
        self.problems.append(Problem(code, Loc(path, line, col), message))

    def take(self, doc: Document) -> None:
        self.problems.extend(doc.problems)

    def declare(self, namespace: str, ident: str, loc: Loc) -> None:
        self.id_locs.append((namespace, ident, loc))

    def duration(self, value: Any, default: Duration | None) -> Duration | None:
        return parse_duration(value) if isinstance(value, str) else default

    # -- organisation ------------------------------------------------------------------------

    def _check_prefixes(self, doc: Document, check: dict) -> None:
        """check.select and check.ignore are read as the command line's are."""
        from dsptkit.rules.table import prefix_problem

        for key in ("select", "ignore"):
            kept = []
            for index, prefix in enumerate(check.get(key, ())):
                why = prefix_problem(prefix, ignoring=key == "ignore")
                if why is None:
                    kept.append(prefix)
                else:
                    loc = doc.loc("check", key, index)
                    self.problem("SC001", ORGANISATION_FILE, f"'check.{key}[{index}]': {why}",
                                 loc.line, loc.col)
            if key in check:
                check[key] = kept

    def organisation(self) -> Organisation | None:
        if self.tree is not None:
            raw = self.tree.read(ORGANISATION_FILE)
            if raw is None:
                self.problem("FM001", ORGANISATION_FILE, "file is missing in this revision")
                return None
        else:
            try:
                raw = (self.root / ORGANISATION_FILE).read_bytes()
            except OSError as exc:
                self.problem("FM001", ORGANISATION_FILE, f"file cannot be read: {exc.strerror}")
                return None
        doc = parse_yaml_file(ORGANISATION_FILE, raw)
        self.text(ORGANISATION_FILE, doc, raw)
        ok = doc.data is not None and validate(doc, "organisation")
        self.take(doc)
        if not ok:
            self.incomplete.add("organisation")  # its roles are unknown: do not guess at them
            return None
        data = doc.data
        check = data.get("check", {})
        self._check_prefixes(doc, check)
        defaults = Settings()
        self.settings = Settings(
            select=tuple(check.get("select", ())),
            ignore=tuple(check.get("ignore", ())),
            warning_window=self.duration(check.get("warning_window"), defaults.warning_window),
            evidence_every=self.duration(check.get("evidence_every"), defaults.evidence_every),
            policy_review_every=self.duration(check.get("policy_review_every"),
                                              defaults.policy_review_every),
            owner_share_limit=float(check.get("owner_share_limit", defaults.owner_share_limit)),
            backdating_days=int(check.get("backdating_days", defaults.backdating_days)),
            separation_of_duties=bool(check.get("separation_of_duties", False)),
            history=bool(check.get("history", True)),
            acknowledge_within=self.duration(check.get("acknowledge_within"),
                                             defaults.acknowledge_within),
            separate_roles=tuple((str(a), str(b)) for a, b in check["separate_roles"])
            if "separate_roles" in check else defaults.separate_roles,
        )
        waivers = []
        for index, entry in enumerate(data.get("waivers", [])):
            loc = doc.loc("waivers", index)
            if not entry.get("rule") and not entry.get("item"):
                self.problem("SC002", ORGANISATION_FILE, "a waiver must name a 'rule' or an 'item'",
                             loc.line, loc.col)
                continue
            waivers.append(Waiver(entry.get("rule"), entry.get("item"), entry.get("subject"),
                                  entry["reason"], entry["approved_by"], entry["expires"], loc))
        roles: dict[str, str] = {}
        appointments: dict[str, Appointment] = {}
        for role, held in data.get("roles", {}).items():
            loc = doc.loc("roles", role)
            if isinstance(held, dict):
                roles[role] = held["person"]
                appointments[role] = Appointment(role, held["person"], held.get("appointed_on"),
                                                 held.get("how"), held.get("evidence"), loc)
            else:
                roles[role] = held
        answers = tuple(Answer(a["item"], a["answer"], a["reason"], a["decided_by"],
                               a["decided_on"], doc.loc("answers", i))
                        for i, a in enumerate(data.get("answers", [])))
        publications = tuple(Publication(p["published"], p["edition"], p["status"],
                                         doc.loc("publications", i))
                             for i, p in enumerate(data.get("publications", [])))
        for answer in answers:  # one answer per item: RF001 reports a second
            self.declare("answer for item", answer.item, answer.loc)
        plan = data.get("improvement_plan")
        for name, value, loc in (
                *((f"roles.{a.role}.appointed_on", a.appointed_on, a.loc)
                  for a in appointments.values()),
                *((f"answers[{i}].decided_on", a.decided_on, a.loc)
                  for i, a in enumerate(answers)),
                *((f"publications[{i}].published", p.published, p.loc)
                  for i, p in enumerate(publications)),
                *((("improvement_plan.agreed_on", plan["agreed_on"], doc.loc("improvement_plan")),)
                  if plan else ())):
            if isinstance(value, date):
                self.dates.append(DatedField(name, value, loc))
        return Organisation(
            name=data["name"], ods_code=data.get("ods_code"), category=str(data["category"]),
            edition=data.get("framework"), roles=roles,
            settings=self.settings, waivers=tuple(waivers), loc=Loc(ORGANISATION_FILE),
            role_locs={role: doc.loc("roles", role) for role in data.get("roles", {})},
            appointments=appointments,
            ico_registration=(data.get("profile") or {}).get("ico_registration"),
            answers=answers, publications=publications,
            role_aliases={str(k): str(v) for k, v in (data.get("role_aliases") or {}).items()},
            improvement_plan=ImprovementPlan(plan["agreed_with"], plan["agreed_on"],
                                             plan.get("evidence"), doc.loc("improvement_plan"))
            if plan else None,
        )

    # -- catalogues --------------------------------------------------------------------------

    def catalogues(self) -> tuple[dict[str, CatalogueItem], dict[str, Framework]]:
        """Every catalogue under standards/. Several files may hold one framework: the file
        with the edition's facts (``cycle``, ``published``, ``positions``) and local files
        adding items the edition's catalogue lacks."""
        items: dict[str, CatalogueItem] = {}
        frameworks: dict[str, Framework] = {}
        for rel, raw in self.files("standards", (".yaml", ".yml")):
            doc = parse_yaml_file(rel, raw)
            self.text(rel, doc, raw)
            framework, found = _catalogue(doc)
            self.take(doc)
            if framework is None:
                self.broken.update(self._catalogue_refs(doc.data))
                if doc.data is None:
                    self.incomplete.add("standards")
                continue
            held = frameworks.get(framework.id)
            if held is None:
                frameworks[framework.id] = framework
            elif _is_edition(framework) and _is_edition(held):
                # the edition's own file (standards/<framework>/catalogue.yaml) keeps its facts
                # whichever file is read first; the other is the one in error
                official = f"standards/{framework.id}/catalogue.yaml"
                keep, other = (framework, held) if rel == official else (held, framework)
                where = next(iter(other.locs.values()), other.loc)
                self.problem("SC001", where.path, f"framework '{framework.id}' already has its "
                                                  f"edition's facts (cycle, published, positions) "
                                                  f"in {keep.loc.path}; a local catalogue adds "
                                                  "items only", where.line, where.col)
                frameworks[framework.id] = replace(keep, files=(keep.loc.path, *(
                    f for f in held.files + (rel,) if f != keep.loc.path)))
            elif _is_edition(framework):
                frameworks[framework.id] = replace(framework, files=(rel, *held.files))
            else:
                frameworks[framework.id] = replace(held, files=held.files + (rel,))
            for item in found:
                self.declare("catalogue item", item.ref, item.loc)
                items.setdefault(item.ref, item)
        return items, frameworks

    @staticmethod
    def _catalogue_refs(data: dict | None) -> set[str]:
        """Item refs a broken catalogue still declares, so references to them do not cascade."""
        if not isinstance(data, dict):
            return set()
        framework = data.get("framework")
        return {f"{framework}:{item['id']}"
                for standard in _dicts(data.get("standards"))
                for assertion in _dicts(standard.get("assertions"))
                for item in _dicts(assertion.get("items")) if "id" in item}

    # -- policies ----------------------------------------------------------------------------

    def policies(self) -> list[Policy]:
        policies = []
        for rel, raw in self.files("policies", (".md",)):
            doc = parse_markdown(rel, raw)
            self.text(rel, doc, raw)
            if doc.text:
                self.bodies[rel] = doc.body
            ok = doc.data is not None and validate(doc, "policy")
            self.take(doc)
            if not ok:
                self._remember_broken(doc.data, "claims")
                if doc.data is None:
                    self.incomplete.add("policies")
                continue
            policies.append(self._policy(doc))
        return policies

    def _remember_broken(self, data: dict | None, child: str) -> None:
        if not isinstance(data, dict):
            return
        if isinstance(data.get("id"), str | int):
            self.broken.add(str(data["id"]))
        for entry in _dicts(data.get(child)):
            if isinstance(entry.get("id"), str | int):
                self.broken.add(str(entry["id"]))

    def _policy(self, doc: Document) -> Policy:
        data = doc.data
        assert data is not None
        approved = data.get("approved", {})
        policy_every = self.duration(data.get("evidence_every"), self.settings.evidence_every)
        claims = []
        for index, raw_claim in enumerate(data.get("claims", [])):
            loc = doc.loc("claims", index)
            planned = raw_claim.get("status") == "planned"
            if planned and "target" not in raw_claim:
                self.problem("SC002", doc.path, f"planned claim '{raw_claim['id']}' needs a "
                                                "'target' date: planned claims are the improvement "
                                                "plan", loc.line, loc.col)
            claim = Claim(
                id=raw_claim["id"], says=raw_claim["says"], meets=tuple(raw_claim["meets"]),
                evidence_every=self.duration(raw_claim.get("evidence_every"), policy_every),
                planned=planned, target=raw_claim.get("target"),
                owner=raw_claim.get("owner", data["owner"]), policy_id=data["id"], loc=loc,
                meets_locs=tuple(doc.loc("claims", index, "meets", m)
                                 for m in range(len(raw_claim["meets"]))),
            )
            self.declare("claim", claim.id, loc)
            claims.append(claim)
        policy = Policy(
            id=data["id"], title=data["title"], version=data["version"],
            status=PolicyStatus(data["status"]),
            owner=data["owner"], approved_by=approved.get("by"), approved_on=approved.get("on"),
            review_every=self.duration(data.get("review_every"), None),
            next_review=data.get("next_review"), claims=tuple(claims), loc=doc.loc("id"),
            approved_loc=doc.loc("approved"), owner_loc=doc.loc("owner"),
            adopted_from=(data.get("adopted_from") or {}).get("path"),
            adopted_sha256=(data.get("adopted_from") or {}).get("sha256"),
            starter=bool(data.get("starter", False)),
            acknowledge=bool(data.get("acknowledge", False)),
            next_review_loc=doc.loc("next_review") if "next_review" in data else None,
        )
        self.declare("policy", policy.id, policy.loc)
        if policy.approved_on:
            self.dates.append(DatedField("approved.on", policy.approved_on,
                                         doc.loc("approved", "on")))
        return policy

    # -- evidence ----------------------------------------------------------------------------

    def evidence(self) -> list[Evidence]:
        found = []
        for rel, raw in self.files("evidence", (".md",)):
            if rel.startswith("evidence/registers/"):
                self.read.discard(rel)  # Markdown among the registers is not read
                continue
            doc = parse_markdown(rel, raw)
            self.text(rel, doc, raw)
            if doc.text:
                self.bodies[rel] = doc.body
            ok = doc.data is not None and validate(doc, "evidence")
            self.take(doc)
            if not ok:
                self._remember_broken(doc.data, "")
                # what it supports cannot be trusted, so "no evidence" would be a guess
                self.incomplete.add("evidence")
                continue
            found.append(self._evidence(doc))
        return found

    def _evidence(self, doc: Document) -> Evidence:
        data = doc.data
        assert data is not None
        files = tuple(self._attachment(doc, i, entry) for i, entry in enumerate(data.get("files", [])))
        cert = data.get("certificate")
        certificate = Certificate(cert["scheme"], cert["expires"], cert.get("scope"),
                                  cert.get("number")) if cert else None
        supports = data["supports"]
        collected_loc = doc.loc("collected")
        evidence = Evidence(
            id=data["id"], title=data["title"], collected=data["collected"], by=data["by"],
            supports=tuple(supports), outcome=_OUTCOMES[data["outcome"]],
            classification=data.get("classification", "internal"), files=files,
            loc=doc.loc("id"), collected_loc=collected_loc, by_loc=doc.loc("by"),
            supports_locs=tuple(doc.loc("supports", i) for i in range(len(supports))),
            certificate=certificate,
            adopted_from=(data.get("adopted_from") or {}).get("path"),
            adopted_sha256=(data.get("adopted_from") or {}).get("sha256"),
        )
        self.id_locs.append(("evidence", evidence.id, evidence.loc))
        self.dates.append(DatedField("collected", evidence.collected, collected_loc))
        return evidence

    def _attachment(self, doc: Document, index: int, entry: dict) -> Attachment:
        loc = doc.loc("files", index, "path")
        written = entry["path"]
        if self.tree is not None:
            return self._tree_attachment(doc, loc, written, entry.get("sha256"))
        recorded = entry.get("sha256")
        if "\0" in written:
            return Attachment(written, recorded, loc, None, AttachmentState.UNREADABLE, None,
                              "its path contains a NUL character")
        folder = os.path.dirname(os.path.join(self.real_root, doc.path))
        target = os.path.normpath(os.path.join(folder, written))
        real = os.path.realpath(target)
        if os.path.isabs(written) or not self.inside(target) or not self.inside(real):
            return Attachment(written, entry.get("sha256"), loc, None, AttachmentState.OUTSIDE, None)
        rel = self.rel(target)
        if _in_git_dir(rel) or (real != target and _in_git_dir(self.rel(real))):
            return Attachment(written, recorded, loc, None, AttachmentState.OUTSIDE, None,
                              "it is inside .git, git's own data")
        try:
            # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then says what it is
            fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                return Attachment(written, recorded, loc, rel, AttachmentState.MISSING, None)
            if exc.errno == errno.EISDIR:
                return Attachment(written, recorded, loc, rel, AttachmentState.DIRECTORY, None)
            return Attachment(written, recorded, loc, rel, AttachmentState.UNREADABLE, None,
                              exc.strerror)
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                return Attachment(written, recorded, loc, rel, AttachmentState.DIRECTORY, None)
            if not stat.S_ISREG(info.st_mode):
                return Attachment(written, recorded, loc, rel, AttachmentState.SPECIAL, None)
            scan = None if rel in self.scanned or rel in self.read else ByteScan()
            digest = _hash_fd(fd, scan, info.st_size)
        except OSError as exc:
            return Attachment(written, recorded, loc, rel, AttachmentState.UNREADABLE, None,
                              exc.strerror)
        finally:
            os.close(fd)
        if scan is not None:
            self.scanned.add(rel)
            self.texts.append(TextSource(rel, "", found=scan.close()))
        return Attachment(written, recorded, loc, rel, AttachmentState.OK, digest)

    def _tree_attachment(self, doc: Document, loc: Loc, written: str, recorded: str | None
                         ) -> Attachment:
        assert self.tree is not None
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(doc.path), written))
        if written.startswith("/") or rel == ".." or rel.startswith("../"):
            return Attachment(written, recorded, loc, None, AttachmentState.OUTSIDE, None)
        if _in_git_dir(rel):
            return Attachment(written, recorded, loc, None, AttachmentState.OUTSIDE, None,
                              "it is inside .git, git's own data")
        streaming = getattr(self.tree, "chunks", None)  # git trees stream; others give bytes
        if streaming is not None:
            chunks = streaming(rel)
        else:
            raw = self.tree.read(rel)
            chunks = iter((raw,)) if raw is not None else None
        if chunks is None:
            folder = any(p.startswith(rel + "/") for p in self.tree.paths())
            state = AttachmentState.DIRECTORY if folder else AttachmentState.MISSING
            return Attachment(written, recorded, loc, rel, state, None)
        scan = None if rel in self.scanned or rel in self.read else ByteScan()
        digest = hashlib.sha256()
        for chunk in chunks:
            digest.update(chunk)
            if scan is not None:
                scan.feed(chunk)
        if scan is not None:
            self.scanned.add(rel)
            self.texts.append(TextSource(rel, "", found=scan.close()))
        return Attachment(written, recorded, loc, rel, AttachmentState.OK, digest.hexdigest())

    # -- registers ---------------------------------------------------------------------------

    def registers(self) -> tuple[dict[str, Register], dict[str, Person]]:
        registers: dict[str, Register] = {}
        people: dict[str, Person] = {}
        for rel, raw in self.files("evidence/registers", (".yaml", ".yml")):
            kind = _REGISTER_BY_FILE.get(Path(rel).stem)
            doc = parse_yaml_file(rel, raw)
            self.text(rel, doc, raw)
            if kind is None:
                known = ", ".join(f"{name}.yaml" for name in REGISTER_FILES.values())
                self.problem("SC003", rel, f"unknown register '{Path(rel).name}' is ignored "
                                           f"(known: {known})")
                continue
            if kind in registers:  # people.yaml and people.yml both there: the first is read
                self.problem("SC003", rel, f"a second {kind} register '{Path(rel).name}' is "
                                           f"ignored; {registers[kind].loc.path} is read")
                continue
            ok = doc.data is not None and validate(doc, f"register-{REGISTER_FILES[kind]}")
            self.take(doc)
            if not ok:  # rules that follow references into it stand down (DM001)
                self.incomplete.add(f"registers.{kind}")
                continue
            raw_entries = doc.data[kind]
            if doc.data.get("reviewed"):
                self.dates.append(DatedField("reviewed", doc.data["reviewed"], doc.loc("reviewed")))
            records = []
            mapped = kind in _DATA_MAP or kind == "incidents"  # field locs, when asked
            for index, entry in enumerate(raw_entries):
                for key in ("completed", "date", "started", "checked", "reviewed", "on", "closed"):
                    if isinstance(entry.get(key), date):
                        self.dates.append(DatedField(key, entry[key], doc.loc(kind, index, key)))
                for number, act in enumerate(entry.get("actions") or ()):
                    if isinstance(act, dict) and isinstance(act.get("done"), date):
                        self.dates.append(DatedField("done", act["done"],
                                                     doc.loc(kind, index, "actions", number, "done")))
                locs = _FieldLocs(doc, kind, index) if mapped else {}
                record = _record(kind, entry, doc.loc(kind, index), locs)
                records.append(record)
                if isinstance(record, Person):
                    self.declare("person", record.id, record.loc)
                    people.setdefault(record.id, record)
            approved = doc.data.get("approved") or {}
            if isinstance(approved.get("on"), date):
                self.dates.append(DatedField("approved", approved["on"], doc.loc("approved", "on")))
            parties = tuple(Party(str(p["name"]), str(p["kind"]), _text(p.get("description")),
                                  doc.loc("parties", i))
                            for i, p in enumerate(doc.data.get("parties") or ()))
            registers[kind] = Register(kind, doc.data.get("reviewed"), tuple(records), Loc(rel),
                                       doc.loc("reviewed") if "reviewed" in doc.data else None,
                                       tuple((str(s["path"]), str(s["sha256"]))
                                             for s in doc.data.get("sources") or ()),
                                       approved_by=_text(approved.get("by")),
                                       approved_on=approved.get("on"),
                                       approved_loc=doc.loc("approved") if approved else None,
                                       parties=parties, owner=_text(doc.data.get("owner")))
        return registers, people


def _in_git_dir(rel: str) -> bool:
    """True for a path in git's own folder, which is never evidence (its config can hold
    credentials in a remote's URL)."""
    return rel.replace("\\", "/").split("/", 1)[0].lower() == ".git"


def read_catalogue(rel: str, raw: bytes
                   ) -> tuple[Framework | None, dict[str, CatalogueItem], list[Problem]]:
    """One catalogue file as the repository loader reads it: its framework's facts (None when
    the file is not a valid catalogue), its items by ref, and the problems found."""
    doc = parse_yaml_file(rel, raw)
    framework, found = _catalogue(doc)
    items: dict[str, CatalogueItem] = {}
    for item in found:
        items.setdefault(item.ref, item)
    return framework, items, list(doc.problems)


def _is_edition(framework: Framework) -> bool:
    return bool(framework.cycle or framework.published or framework.positions)


def _catalogue(doc: Document) -> tuple[Framework | None, list[CatalogueItem]]:
    if isinstance(doc.data, dict) and "exceeded" in doc.data:  # the format before positions:
        loc = doc.loc("exceeded")
        doc.problem("SC001", "'exceeded' is no longer read: write what Standards Exceeded needs "
                             "per category under positions, e.g. positions: {\"3\": {exceeded: "
                             "{certificate: ce-plus, source: ...}}} (docs/format.md)",
                    loc.line, loc.col)
        return None, []
    if doc.data is None or not validate(doc, "catalogue"):
        return None, []
    data = doc.data
    ident = data["framework"]
    cycle = data.get("cycle")
    framework = Framework(
        ident, data.get("title", ident), data.get("edition"), data.get("known_gaps"),
        Loc(doc.path),
        cycle=Cycle(cycle.get("opens"), cycle["deadline"], cycle.get("source")) if cycle else None,
        published={str(cat): Published(p.get("met"), p.get("approaching"), p.get("items"),
                                        p["source"])
                   for cat, p in data.get("published", {}).items()},
        positions={str(cat): {level: LevelRule(**rule) for level, rule in levels.items()}
                   for cat, levels in data.get("positions", {}).items()},
        files=(doc.path,),
        locs={key: doc.loc(key) for key in ("cycle", "published", "positions") if key in data} | {
            f"published.{cat}.{key}": doc.loc("published", cat, key)
            for cat, counts in data.get("published", {}).items() for key in counts})
    items: list[CatalogueItem] = []
    for s, standard in enumerate(data["standards"]):
        for a, assertion in enumerate(standard.get("assertions", [])):
            for i, item in enumerate(assertion.get("items", [])):
                ref = f"{ident}:{item['id']}"
                every = item.get("evidence_every")
                items.append(CatalogueItem(
                    ref=ref, framework=ident, id=str(item["id"]), title=item["title"],
                    standard=str(standard["id"]), standard_title=standard["title"],
                    assertion=str(assertion["id"]), assertion_title=assertion["title"],
                    levels={str(k): Level(v) for k, v in item.get("levels", {}).items()},
                    evidence_every=parse_duration(every) if isinstance(every, str) else None,
                    guidance=item.get("guidance"), provenance=item.get("provenance"),
                    loc=doc.loc("standards", s, "assertions", a, "items", i),
                    exempt_by=tuple(item.get("exempt_by", ())),
                    maps_to=tuple((m["ref"], m["relation"]) for m in item.get("maps_to", ())),
                    answer=item.get("answer"), answer_source=item.get("answer_source"),
                    not_applicable=(item.get("not_applicable") or {}).get("source"),
                    needs_profile=tuple(item.get("needs_profile", ())),
                ))
    return framework, items


# the registers whose entries name systems, suppliers and other entries (the data map): their
# list fields keep where each item stands, for messages about one reference
_DATA_MAP = {"information_assets", "processing", "data_flows", "suppliers"}


class _FieldLocs:
    """Where an entry's fields and list items stand ("systems", "systems.1",
    "contract.evidence"), worked out only when a message asks: most are never needed."""

    __slots__ = ("doc", "kind", "index")

    def __init__(self, doc: Document, kind: str, index: int) -> None:
        self.doc, self.kind, self.index = doc, kind, index

    def get(self, name: str, default: Loc | None = None) -> Loc | None:
        field, _, item = name.partition(".")
        entry = self.doc.data[self.kind][self.index]
        if field not in entry:
            return default
        if not item:
            return self.doc.loc(self.kind, self.index, field)
        value = entry[field]
        if item.isdigit() and isinstance(value, list) and int(item) < len(value):
            return self.doc.loc(self.kind, self.index, field, int(item))
        if isinstance(value, dict) and item in value:
            return self.doc.loc(self.kind, self.index, field, item)
        return default

    def __contains__(self, name: str) -> bool:
        return self.get(name) is not None

    def __getitem__(self, name: str) -> Loc:
        found = self.get(name)
        if found is None:
            raise KeyError(name)
        return found


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _record(kind: str, entry: dict, loc: Loc, locs: Any = None) -> Entry:
    """One validated register entry as its typed record."""
    def text(key: str) -> str | None:
        value = entry.get(key)
        return None if value is None else str(value)

    locs = locs or {}

    extra = {str(k): str(v) for k, v in (entry.get("extra") or {}).items()}
    if kind == "people":
        return Person(str(entry["id"]), str(entry["name"]), text("role"), entry.get("started"),
                      entry.get("left"), loc, text("email"), extra)
    if kind == "training":
        score = entry.get("score")
        return TrainingRecord(str(entry["person"]), str(entry["course"]), entry["completed"],
                              float(score) if score is not None else None, loc, extra)
    if kind == "assets":
        return Asset(str(entry["name"]), str(entry["kind"]), text("version"),
                     entry.get("supported_until"), text("owner"),
                     bool(entry.get("holds_personal_data", False)), text("location"), loc,
                     text("priority"), tuple(str(d) for d in entry.get("depends_on") or ()), extra)
    if kind == "suppliers":
        contract = entry.get("contract")
        subs = entry.get("sub_processors")
        return Supplier(
            str(entry["name"]), str(entry["service"]), text("data_processed"),
            entry.get("contract_article_28"), text("certification"), entry.get("checked"),
            text("contact"), loc, extra, processes_patient_data=entry.get("processes_patient_data"),
            country=text("country"),
            sub_processors=None if subs is None else tuple(
                SubProcessor(str(s["name"]), _text(s.get("service")), _text(s.get("country")))
                for s in subs),
            contract=None if contract is None else Contract(
                contract.get("signed"), contract.get("expires"), contract.get("data_protection"),
                _text(contract.get("evidence")), _text(contract.get("reference")),
                locs.get("contract", loc)),
            evidence=_strs(entry.get("evidence")), locs=locs)
    if kind == "information_assets":
        cats = entry.get("data_categories")
        return InformationAsset(
            str(entry["name"]), text("description"), text("owner"), text("format"),
            text("location"), entry.get("holds_personal_data"), entry.get("special_category"),
            text("retention"), entry.get("reviewed"), loc, extra,
            data_categories=None if cats is None else _strs(cats),
            systems=_strs(entry.get("systems")), hosted_in=_strs(entry.get("hosted_in")),
            suppliers=_strs(entry.get("suppliers")), volume=text("volume"),
            controls=_strs(entry.get("controls")), transfer_safeguard=text("transfer_safeguard"),
            evidence=_strs(entry.get("evidence")), locs=locs)
    if kind == "processing":
        transfers = entry.get("transfers")
        listed = None
        if isinstance(transfers, list):
            listed = tuple(Transfer(str(t["country"]), _text(t.get("recipient")),
                                    _text(t.get("safeguard")), locs.get(f"transfers.{i}", loc))
                           for i, t in enumerate(transfers))
        return ProcessingActivity(
            str(entry["activity"]), text("purpose"), text("lawful_basis"),
            text("special_category_condition"), _joined(entry.get("data_subjects")),
            text("data_categories"), _joined(entry.get("recipients")), text("retention"),
            None if listed is not None else text("transfers"), text("security"), text("owner"),
            entry.get("reviewed"), loc, extra, special_category=entry.get("special_category"),
            information_assets=_strs(entry.get("information_assets")), transfer_list=listed,
            evidence=_strs(entry.get("evidence")), recipient_list=_strs(entry.get("recipients")),
            locs=locs)
    if kind == "data_flows":
        cats = entry.get("data_categories")
        return DataFlow(str(entry["from"]), str(entry["to"]), text("data"),
                        None if cats is None else _strs(cats),
                        _strs(entry.get("information_assets")), text("via"), text("frequency"),
                        _strs(entry.get("evidence")), loc, extra, locs=locs)
    if kind == "risks":
        return Risk(text("id"), str(entry["risk"]), text("likelihood"), text("impact"),
                    text("score"), text("owner"), text("mitigation"), text("status"),
                    entry.get("reviewed"), loc, extra)
    if kind == "acknowledgements":
        return Acknowledgement(str(entry["person"]), str(entry["policy"]), str(entry["version"]),
                               entry["on"], loc, extra)
    actions = tuple(Action(str(a["action"]), _text(a.get("owner")), a.get("due"), a.get("done"),
                           locs.get(f"actions.{i}", loc), i)
                    for i, a in enumerate(entry.get("actions") or ()))
    return Incident(str(entry["id"]), entry["date"], str(entry["summary"]),
                    tuple(str(r) for r in entry.get("reported_to") or ()), text("lessons"),
                    entry.get("closed"), loc, extra, near_miss=bool(entry.get("near_miss", False)),
                    actions=actions)


def _joined(value: Any) -> str | None:
    """A field written as text or a list, as one text."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return None if value is None else str(value)


def _hash_fd(fd: int, scan: ByteScan | None, size: int) -> str:
    """The sha256 of an open file, read in chunks that are scanned for patient data as they
    pass: one chunk is held at a time, so memory stays flat whatever the size."""
    digest = hashlib.sha256()
    for chunk in _chunks(fd, size):
        digest.update(chunk)
        if scan is not None:
            scan.feed(chunk)
    return digest.hexdigest()


def _chunks(fd: int, size: int) -> Iterator[bytes]:
    """An open file's bytes in chunks of up to ``CHUNK``. Reads are sized by what fstat said
    (then a small read finds the end), so a small file never costs a 1 MiB buffer; a file
    that grows meanwhile is still read to its end."""
    want = min(CHUNK, size + 1)
    while chunk := os.read(fd, want):
        yield chunk
        want = CHUNK if len(chunk) == want else 4096


def _dicts(value: Any) -> list[dict]:
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def load_repository(root: str | os.PathLike[str], tree: Tree | None = None) -> Repository:
    """The model alone, for commands that only read facts (``new``, ``adopt``)."""
    return load(root, tree)[0]


def load(root: str | os.PathLike[str], tree: Tree | None = None) -> tuple[Repository, LoadReport]:
    """Load every file of the repository at ``root`` into the model, and report beside it
    what the loader found wrong.

    With ``tree``, files come from it (e.g. a git commit) instead of the working tree.
    """
    # Loading makes many small objects that all stay alive: the cyclic garbage collector
    # would walk them again and again for nothing (about 15% of a large load).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(root, tree)
    finally:
        if was_enabled:
            gc.enable()


def _load(root: str | os.PathLike[str], tree: Tree | None) -> tuple[Repository, LoadReport]:
    loader = _Loader(Path(root), tree)
    organisation = loader.organisation()
    items, frameworks = loader.catalogues()
    registers, people = loader.registers()
    policies = loader.policies()
    evidence = loader.evidence()
    loader.unread(evidence)
    loader.scan_the_rest()
    repo = Repository(
        root=str(root), organisation=organisation, items=items, frameworks=frameworks,
        policies=tuple(policies), evidence=tuple(evidence), people=people, registers=registers)
    report = LoadReport(
        problems=tuple(loader.problems), dates=tuple(loader.dates), texts=tuple(loader.texts),
        bodies=loader.bodies,
        id_locs=tuple(loader.id_locs), broken_ids=frozenset(loader.broken),
        incomplete=frozenset(loader.incomplete))
    return repo, report
