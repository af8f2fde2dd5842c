"""How this dsptkit was installed, as a pinned pip requirement for CI and the pre-commit hook.

``dspt init`` writes the requirement into the organisation's workflow and hook config, so
that CI and pre-commit install the very dsptkit the organisation installed, never whatever a
bare name resolves to on the day. pip records where a distribution came from in its
``direct_url.json`` (PEP 610): a VCS URL and the commit it resolved to, an archive (wheel or
sdist) and its hash, or a local folder. A distribution with no such record came from a
package index, and its exact version pins it.

``--tool SPEC`` overrides the record; :func:`parse_requirement` accepts only pinned forms
and writes them back in a canonical form made of characters that are safe inside single
quotes in a shell and inside a double-quoted YAML scalar, so a requirement can never break
out of the workflow line or the config it is written into.
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from dsptkit.errors import UsageError

NAME = "dsptkit"
EXTRA_PORTAL = "portal"

_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_EXTRA = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
# PEP 440, one exact version (no wildcard); the local part (+abc.1) is allowed
_VERSION = re.compile(
    r"v?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*"
    r"(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)[-_.]?[0-9]*)?"
    r"(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?"
    r"(?:[-_.]?dev[-_.]?[0-9]*)?"
    r"(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?", re.IGNORECASE)
# what a URL may hold here: RFC 3986 characters less those a shell, YAML or GitHub's
# ${{ }} expressions give a meaning to (' " ` $ ; & | ( ) * { } \ ! , and whitespace)
_URL_CHARS = re.compile(r"[A-Za-z0-9._~:/?#@+=%-]+")
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")  # SHA-1 or SHA-256 object id
_HASH = re.compile(r"(sha256=[0-9a-f]{64}|sha384=[0-9a-f]{96}|sha512=[0-9a-f]{128})")
_ARCHIVES = (".whl", ".tar.gz", ".zip")
_VCS = ("git", "hg")
_REVISION = re.compile(r"[A-Za-z0-9._/+-]{1,200}")  # what a tag name written as a comment may hold


@dataclass(frozen=True)
class InstallSpec:
    """A pinned pip requirement for dsptkit, and where it came from."""

    requirement: str                  # pinned, canonical: "dsptkit==0.2.0", "dsptkit @ git+URL@SHA"
    kind: str                         # "index" | "vcs" | "archive" | "directory" | "unknown"
    url: str | None = None            # the repository (VCS, no "git+", no "@rev") or archive/folder URL
    commit: str | None = None         # the VCS commit
    note: str = ""                    # where it came from, for people
    warning: str | None = None        # what will not work (a local path CI cannot reach)
    revision: str | None = None       # the revision asked for (a tag), kept as a comment
    vcs: str | None = None            # "git" or "hg"
    subdirectory: str | None = None   # a VCS URL's #subdirectory=
    version: str | None = None        # dsptkit's version, when known
    name: str = NAME
    extras: tuple[str, ...] = ()
    pin: str = ""                     # the requirement after the name and extras: "==0.2.0" or " @ URL"

    def with_extras(self, *extras: str) -> str:
        """The requirement with these extras added: ``dsptkit[portal] @ URL``."""
        every = sorted(set(self.extras) | set(extras))
        return f"{self.name}{'[' + ','.join(every) + ']' if every else ''}{self.pin}"

    @property
    def hook_repository(self) -> tuple[str, str] | None:
        """(git URL, commit) when pre-commit can use the project's own hook from that git
        repository at that commit; None when it must build a local hook."""
        if self.kind == "vcs" and self.vcs == "git" and self.commit and self.url and not self.subdirectory:
            return self.url, self.commit
        return None


def install_spec() -> InstallSpec:
    """How the dsptkit running now was installed (PEP 610 ``direct_url.json``), pinned."""
    from importlib import metadata

    try:
        distribution = metadata.distribution(NAME)
    except metadata.PackageNotFoundError:
        return InstallSpec("", "unknown", note="dsptkit is not installed as a package (run from "
                                               "source), so how to install it is not known")
    text = distribution.read_text("direct_url.json")
    try:
        record = json.loads(text) if text else None
    except ValueError:
        record = {}
    return spec_from_direct_url(record, distribution.version)


def spec_from_direct_url(record: dict | None, version: str | None) -> InstallSpec:
    """The pinned requirement a PEP 610 record (None: installed from an index) stands for."""
    pinned_version = version if version and _VERSION.fullmatch(version) else None
    if record is None:
        if not pinned_version:
            return InstallSpec("", "unknown", note=f"installed with version {version!r}, which "
                                                   "cannot be pinned", version=version)
        spec = parse_requirement(f"{NAME}=={pinned_version}")
        return replace(spec, note=f"installed from a package index at version {pinned_version}",
                       version=version,
                       warning=f"dsptkit was installed from a package index, so CI will run "
                               f"'pip install {NAME}=={pinned_version}' against PyPI (or the index "
                               "pip is configured with there); a version pin does not say who "
                               "published the package: prefer --tool with the project's git URL "
                               "at a commit or a wheel with its sha256 (docs/install.md)")
    url = record.get("url") if isinstance(record.get("url"), str) else ""
    subdirectory = record.get("subdirectory")
    fragment = f"#subdirectory={subdirectory}" if isinstance(subdirectory, str) and subdirectory else ""
    vcs_info, archive_info, dir_info = (record.get(key) for key in ("vcs_info", "archive_info", "dir_info"))
    if isinstance(vcs_info, dict):
        vcs, commit = vcs_info.get("vcs"), vcs_info.get("commit_id")
        asked = vcs_info.get("requested_revision")
        asked = asked if isinstance(asked, str) and _REVISION.fullmatch(asked) else None
        spec = _checked(f"{NAME} @ {vcs}+{url}@{commit}{fragment}", f"{vcs} {url}")
        if not spec.requirement:
            return spec
        at = f" at {asked}" if asked and asked != commit else ""
        return replace(spec, note=f"installed from {vcs} {spec.url}{at} (commit {commit})",
                       revision=asked if at else None, version=version)
    if isinstance(archive_info, dict):
        hashes = archive_info.get("hashes") if isinstance(archive_info.get("hashes"), dict) else {}
        legacy = archive_info.get("hash")
        digest = hashes.get("sha256")
        if not digest and isinstance(legacy, str) and legacy.startswith("sha256="):
            digest = legacy.removeprefix("sha256=")
        if not digest and url.startswith("file:"):  # an older pip did not record it: compute it
            digest = _sha256(Path(unquote(urlsplit(url).path)))
        if not digest:
            spec = _checked(f"{NAME} @ {url}", url, need_hash=False)
            if not spec.requirement:
                return spec
            return replace(spec, version=version, note=f"installed from {url}",
                           warning=_join(spec.warning, "no hash of the archive is known, so it is "
                                                       "pinned by its URL only"))
        spec = _checked(f"{NAME} @ {url}#sha256={digest}", url)
        if not spec.requirement:
            return spec
        return replace(spec, version=version, note=f"installed from {url}")
    if isinstance(dir_info, dict) and url.startswith("file:"):
        path = unquote(urlsplit(url).path)
        how = "an editable install" if dir_info.get("editable") else "a copy"
        spec = _checked(f"{NAME} @ {url}", url, allow_directory=True)
        if not spec.requirement:
            return spec
        return replace(spec, kind="directory", version=version,
                       note=f"installed from the folder {path} ({how})",
                       warning=f"dsptkit was installed from the folder {path}, which CI cannot reach "
                               "and which is no fixed version: give --tool with a pinned requirement "
                               "CI can install (docs/install.md)")
    if pinned_version:
        spec = parse_requirement(f"{NAME}=={pinned_version}")
        return replace(spec, version=version, note=f"the install record names no known source; "
                                                   f"pinned to version {pinned_version}",
                       warning="how this dsptkit was installed is not clear from its install record; "
                               "check that CI can install it, or give --tool")
    return InstallSpec("", "unknown", note="how this dsptkit was installed is not known", version=version)


def _checked(text: str, source: str, *, need_hash: bool = True, allow_directory: bool = False) -> InstallSpec:
    try:
        return parse_requirement(text, need_hash=need_hash, allow_directory=allow_directory)
    except UsageError as exc:
        return InstallSpec("", "unknown", note=f"installed from {source}, which cannot be written as a "
                                               f"pinned requirement here: {exc}")


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _join(*parts: str | None) -> str | None:
    return "; ".join(p for p in parts if p) or None


def parse_requirement(text: str, *, need_hash: bool = True, allow_directory: bool = False) -> InstallSpec:
    """Read a pinned requirement for dsptkit, or raise UsageError saying why it is not one.

    Accepted: ``dsptkit==VERSION``; ``dsptkit @ git+URL@COMMIT`` (a full commit id, never a
    branch or tag, which can move); ``dsptkit @ URL#sha256=HASH`` for a wheel, .tar.gz or .zip
    (https or file). Extras (``dsptkit[portal]``) are allowed. Nothing else is, including
    anything a shell or YAML would read specially.
    """
    given = text
    text = text.strip(" ")
    if not text:
        raise UsageError("the requirement is empty")
    bad = sorted({c for c in text if c in "'\"`$;&|(){}\\\n\r\t\v\f" or not c.isprintable() or ord(c) > 126})
    if bad:
        shown = ", ".join(repr(c) for c in bad)
        raise UsageError(f"{given!r} holds {shown}, which a pinned requirement never needs (a shell "
                         "or YAML would read it specially), so it is refused")
    head = re.match(r"([A-Za-z0-9._-]+)\s*(\[[^\]]*\])?\s*", text)
    if not head or not _NAME.fullmatch(head.group(1)):
        raise UsageError(f"{text!r} does not start with a package name")
    name, rest = head.group(1), text[head.end():]
    if re.sub(r"[-_.]+", "-", name).lower() != NAME:
        raise UsageError(f"{text!r} names {name!r}; CI and the hook need {NAME}")
    extras: tuple[str, ...] = ()
    if head.group(2):
        extras = tuple(sorted({e.strip().lower() for e in head.group(2)[1:-1].split(",") if e.strip()}))
        if not all(_EXTRA.fullmatch(e) for e in extras):
            raise UsageError(f"{text!r} has extras that are not names: {head.group(2)}")
    label = f"{NAME}{'[' + ','.join(extras) + ']' if extras else ''}"
    example = f"{NAME}==0.2.0 or '{NAME} @ git+https://github.com/ORG/dsptkit@COMMIT'"
    if not rest:
        raise UsageError(f"{text!r} is not pinned: a bare name installs whatever an index holds when "
                         f"CI runs; give one exact version or a URL at a commit ({example})")
    if rest.startswith("=="):
        version = rest[2:].strip()
        if rest.startswith("===") or not _VERSION.fullmatch(version):
            if any(c in version for c in "*,<>!~") or rest.startswith("==="):
                raise UsageError(f"{text!r} is not one exact version ({example})")
            raise UsageError(f"{version!r} in {text!r} is not a version")
        version = version.lower().removeprefix("v")  # PEP 440 reads "v0.2.0" as "0.2.0"
        return InstallSpec(f"{label}=={version}", "index", version=version, extras=extras,
                           pin=f"=={version}", note="given with --tool")
    if rest[0] in "<>~!=," or "*" in rest:
        raise UsageError(f"{text!r} is a range, not one version: CI would install whatever the "
                         f"newest match is on the day; pin it ({example})")
    if not rest.startswith("@"):
        raise UsageError(f"cannot read {text!r} as a requirement ({example})")
    url = rest[1:].strip()
    return _url_requirement(text, label, extras, url, need_hash=need_hash, allow_directory=allow_directory)


def _url_requirement(text: str, label: str, extras: tuple[str, ...], url: str, *, need_hash: bool,
                     allow_directory: bool) -> InstallSpec:
    if not url or not _URL_CHARS.fullmatch(url):
        raise UsageError(f"{url!r} in {text!r} is not a URL this can write safely (letters, digits "
                         "and . _ ~ : / ? # @ + = % - only)")
    body, _, fragment = url.partition("#")
    scheme = body.split(":", 1)[0].lower() if ":" in body else ""
    vcs = scheme.split("+", 1)[0] if "+" in scheme else None
    plain = body[len(vcs) + 1:] if vcs else body
    parts = urlsplit(plain)
    if parts.scheme not in ("https", "http", "ssh", "file", "git") or \
            (parts.scheme != "file" and not parts.netloc) or not parts.path.startswith("/"):
        raise UsageError(f"{url!r} in {text!r} is not a URL pip can install from "
                         "(git+https://, git+ssh://, https:// or file://)")
    if parts.password is not None or (parts.username and parts.scheme in ("https", "http")):
        raise UsageError(f"{url!r} in {text!r} holds a user name or password, which would be "
                         "written into the repository; let git or pip find the credentials instead")
    if parts.query:
        raise UsageError(f"{url!r} in {text!r} has a query (?...), which this does not write")
    local = parts.scheme == "file"
    warning = (f"{url} is on this machine: CI cannot reach it, so the workflow will fail to install "
               "dsptkit; give --tool with a requirement CI can reach (docs/install.md)") if local else None
    fields = dict([fragment.split("=", 1)]) if "=" in fragment else {}
    if fragment and not fields:
        raise UsageError(f"{url!r} in {text!r} has a fragment this does not understand (#{fragment})")
    if vcs:
        if vcs not in _VCS:
            raise UsageError(f"{vcs}+ URLs are not supported here; use git+ ({text!r})")
        if "@" not in parts.path:
            raise UsageError(f"{url!r} in {text!r} names no commit: add @COMMIT (the full commit id, "
                             "from 'git rev-parse TAG^{commit}')")
        path, commit = parts.path.rsplit("@", 1)
        if not _COMMIT.fullmatch(commit):
            raise UsageError(f"{commit!r} in {text!r} is not a full commit id: a branch or tag can "
                             f"move, so pin the commit it stands for ('git rev-parse {commit}^{{commit}}')")
        subdirectory = None
        if fields:
            if set(fields) != {"subdirectory"} or not fields["subdirectory"]:
                raise UsageError(f"{url!r} in {text!r}: a VCS URL takes only #subdirectory=")
            subdirectory = fields["subdirectory"]
        repository = parts._replace(path=path).geturl()
        canonical = f"{vcs}+{repository}@{commit}{'#subdirectory=' + subdirectory if subdirectory else ''}"
        return InstallSpec(f"{label} @ {canonical}", "vcs", url=repository, commit=commit, vcs=vcs,
                           subdirectory=subdirectory, extras=extras, pin=f" @ {canonical}",
                           note="given with --tool", warning=warning)
    if parts.scheme not in ("https", "http", "file"):
        raise UsageError(f"{url!r} in {text!r}: a repository URL needs a VCS prefix (git+{parts.scheme}://)")
    if not parts.path.endswith(_ARCHIVES):
        if local and allow_directory:
            return InstallSpec(f"{label} @ {body}", "directory", url=body, extras=extras,
                               pin=f" @ {body}", note="given with --tool", warning=warning)
        raise UsageError(f"{url!r} in {text!r} is not a wheel, .tar.gz or .zip: a folder or a web page is "
                         "no fixed version; build a wheel and give its URL with #sha256=, or give a git "
                         "URL at a commit")
    if not fields and need_hash:
        raise UsageError(f"{url!r} in {text!r} has no hash, so whatever is at that URL when CI runs would "
                         "be installed: add #sha256=HASH (sha256sum of the file)")
    if fields and not _HASH.fullmatch(fragment):
        raise UsageError(f"#{fragment} in {text!r} is not a sha256, sha384 or sha512 hash of the file")
    canonical = f"{body}#{fragment}" if fragment else body
    return InstallSpec(f"{label} @ {canonical}", "archive", url=body, extras=extras, pin=f" @ {canonical}",
                       note="given with --tool", warning=warning)


def resolve(tool: str | None) -> InstallSpec:
    """The requirement ``dspt init`` writes: ``--tool`` when given (and pinned), else how this
    dsptkit was installed. UsageError when neither gives a pinned requirement."""
    if tool is not None:
        try:
            return parse_requirement(tool)
        except UsageError as exc:
            raise UsageError(f"--tool: {exc}") from None
    spec = install_spec()
    if not spec.requirement:
        raise UsageError(f"cannot tell how to install this dsptkit in CI: {spec.note}; give --tool "
                         "with a pinned requirement (docs/install.md); nothing was written")
    return spec


def extra_install_command(extra: str) -> str:
    """What to run to add an extra to this installation, as pinned as it was installed:
    ``pip install 'dsptkit[portal]==0.2.0'`` or ``... 'dsptkit[portal] @ git+URL@SHA'``.
    Never an unpinned bare name: when the installation cannot be told, a git URL to fill in."""
    try:
        spec = install_spec()
    except Exception:  # noqa: BLE001 - a message is being built; never fail while building it
        spec = InstallSpec("", "unknown")
    if spec.requirement and spec.kind != "directory":
        return f"pip install {shlex.quote(spec.with_extras(extra))}"
    if spec.kind == "directory" and spec.url:
        return f"pip install -e '{spec.url.removeprefix('file://')}[{extra}]'"
    return (f"pip install '{NAME}[{extra}] @ git+<the dsptkit repository URL>@<release tag>' "
            "(docs/install.md)")


# ---- writing the requirement into files -----------------------------------------------------

def pip_install(requirement: str) -> str:
    """The shell command that installs ``requirement`` (already parsed, so safe to quote)."""
    return f"python -m pip install {shlex.quote(requirement)}"


def yaml_scalar(text: str) -> str:
    """``text`` as a double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(text)


def workflow(template: str, spec: InstallSpec) -> str:
    """The workflow template with its two install lines filled in."""
    core = yaml_scalar(pip_install(spec.requirement))
    portal = yaml_scalar(pip_install(spec.with_extras(EXTRA_PORTAL)))
    return template.replace("__DSPT_INSTALL_PORTAL__", portal).replace("__DSPT_INSTALL__", core)


def pre_commit_repos(spec: InstallSpec) -> str:
    """The ``repos:`` entry of the pre-commit config for this requirement."""
    hook = spec.hook_repository
    if hook:
        url, commit = hook
        frozen = f"  # frozen: {spec.revision}" if spec.revision else \
            (f"  # dsptkit {spec.version}" if spec.version else "")
        return ("  # the dsptkit project's own hook (its .pre-commit-hooks.yaml), at one commit; pre-commit\n"
                "  # installs dsptkit from it into an environment of its own\n"
                f"  - repo: {yaml_scalar(url)}\n"
                f"    rev: {commit}{frozen}\n"
                "    hooks:\n"
                "      - id: dspt-check\n")
    return ("  # pre-commit installs dsptkit (additional_dependencies) into an environment of its own\n"
            "  - repo: local\n"
            "    hooks:\n"
            "      - id: dspt-check\n"
            "        name: dspt check\n"
            "        entry: dspt check --brief --staged\n"
            "        language: python\n"
            f"        additional_dependencies: [{yaml_scalar(spec.requirement)}]\n"
            "        pass_filenames: false\n"
            "        always_run: true\n"
            "        require_serial: true\n")
