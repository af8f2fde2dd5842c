"""``dspt adopt PATH...``: bring an organisation's existing documents in.

Files and folders; Markdown with or without front matter, plain text and Word .docx. Each
document becomes a policy, a dated record (evidence) or a register, with only the facts read
with confidence written, where it came from recorded (``adopted_from:``), its links
rewritten, and everything else in ``adoption-report.md``. What would be written is run
through the same check as ``dspt check`` first; a document the check would reject is not
written and the report says why. Nothing is overwritten and source files are never changed.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from dsptkit import pipeline
from dsptkit.adopt import plan as planning
from dsptkit.adopt import report
from dsptkit.asof import assessment_date
from dsptkit.commands._shared import repository_root
from dsptkit.errors import UsageError
from dsptkit.model import Severity, one_line
from dsptkit.repository import load
from dsptkit.writing import Overlay, Plan, replace_atomically

REPORT = "adoption-report.md"
_VAR = re.compile(r"^([A-Za-z_][A-Za-z0-9_.-]{0,63})=(.*)$", re.S)


def run(args: argparse.Namespace) -> int:
    from dsptkit.adopt import links, sources

    root = Path(repository_root(args))
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        raise UsageError(f"{one_line(missing[0])} does not exist; nothing was adopted")
    repo, _ = load(root)
    options = planning.Options(kind=args.kind, owner=_owner(args.owner, repo),
                               variables=_variables(args.var or []),
                               replace_starters=args.replace_starters,
                               today=assessment_date(None))
    found = [_own_files(root, source) for source in sources.gather(list(args.paths))]
    items = planning.plan(root, found, repo, options)
    variables = planning.variables_for(repo, options.variables)
    moved = {planning._norm(i.source.path): i.target for i in items if i.target}
    images: dict[str, bytes] = {}
    for item in items:
        if item.target and item.kind and item.kind.kind == "evidence":
            _attach_images(item, moved, images)
    for item in items:
        if item.target and item.kind and item.kind.kind != "register":
            text = _fill(item, variables)
            item.content, item.unresolved = links.rewrite(text, item.source.path,
                                                          item.target, moved)
    _drop_what_the_check_rejects(root, items, images)
    adopted = [i for i in items if i.target]
    text = report.markdown(items, options.today, args.dry_run)
    counts = report.summary(items)
    line = (f"{counts['adopted']} adopted ({counts['policies']} policies, {counts['evidence']} "
            f"records, {counts['registers']} registers), {counts['skipped']} not adopted, "
            f"{counts['already']} adopted before; {counts['claims']} draft claims")
    if args.dry_run:
        for item in items:
            where = item.target or f"not adopted: {item.skipped}" if not item.already \
                else f"already adopted as {item.already}"
            print(f"{one_line(item.source.path)} -> {one_line(where)}")
        print(f"dry run: {line}; nothing was written.")
        return _exit_code(items)
    report_path = _report_path(root)
    writing = Plan(root)
    replaced = []
    for item in adopted:
        if item.replaces:
            replaced.append(item)
        else:
            writing.add(item.target, planning.render(item))
    for path, data in images.items():
        if any(i.target and path.startswith(posixpath_base(i.target)) for i in adopted):
            writing.add(path, data)
    writing.add(report_path, text)
    writing.write(validate=False)  # validated above, document by document
    for item in replaced:
        replace_atomically(root / item.target, planning.render(item).encode("utf-8"))
    for item in items:
        if item.target:
            print(f"{one_line(item.source.path)} -> {item.target}")
        elif item.already:
            print(f"{one_line(item.source.path)}: already adopted as {one_line(item.already)}")
        else:
            print(f"{one_line(item.source.path)}: not adopted: {one_line(item.skipped or '')}")
    print(f"{line}. Read {report_path} for what was read, from which line, and what is left "
          "to you; then run 'dspt check'.")
    return _exit_code(items)


def _exit_code(items: list) -> int:
    """0 when something was adopted (or everything had been before); 1 when documents were
    given and none could be adopted."""
    adopted = any(i.target for i in items)
    return 0 if adopted or not items or all(i.already for i in items) else 1


_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}")


def _fill(item, variables: dict[str, str]) -> str:  # type: ignore[no-untyped-def]
    """The document's text with the placeholders the repository or --var can fill filled
    (the rest stay, marked in the portal and listed in the report)."""
    filled: list[str] = []

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name in variables:
            filled.append(name)
            return variables[name]
        return match.group(0)

    text = _PLACEHOLDER.sub(value, item.source.text)
    if filled:
        item.reported.append("placeholders filled in the text: " +
                             ", ".join(dict.fromkeys(filled)))
    return text


def _own_files(root: Path, source):  # type: ignore[no-untyped-def]
    """A file already part of this repository (its content folders, its reports) is not
    adopted again: adopting the repository's own folder would copy it into itself."""
    import os

    try:
        real = Path(os.path.realpath(source.path))
        rel = real.relative_to(Path(os.path.realpath(root)))
    except (OSError, ValueError):
        return source
    if rel.parts and (rel.parts[0] in ("policies", "evidence", "standards", "site_config",
                                       "site", ".git", "snapshots") or
                      rel.name.startswith("adoption-report")):
        source.skipped = f"part of this repository already ({rel.as_posix()})"
    return source


_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?")
IMAGE_LIMIT = 20 * 1024 * 1024


def _attach_images(item, moved: dict[str, str], images: dict[str, bytes]) -> None:  # type: ignore[no-untyped-def]
    """Images a record shows, copied beside it as its attachments (with their sha256), so
    its links still work; an image that cannot be read is left to the report."""
    import hashlib
    import os
    import posixpath

    folder = posixpath.dirname(item.source.path.replace("\\", "/"))
    base = posixpath.splitext(item.target)[0]
    files = []
    for link in dict.fromkeys(_IMAGE.findall(item.source.text)):
        if "://" in link or link.startswith(("/", "#", "data:", "mailto:")):
            continue
        original = posixpath.normpath(posixpath.join(folder, link.split("#")[0]))
        try:
            if not os.path.isfile(original) or os.path.islink(original) or \
                    os.path.getsize(original) > IMAGE_LIMIT:
                continue
            data = Path(original).read_bytes()
        except OSError:
            continue
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", posixpath.basename(original)).strip("-.") \
            or "image"
        target = f"{base}-{name}"
        if target in images:
            continue
        images[target] = data
        moved[planning._norm(original)] = target
        files.append({"path": posixpath.basename(target),
                      "sha256": hashlib.sha256(data).hexdigest()})
    if files:
        item.front["files"] = files
        item.reported.append(f"{len(files)} image{'s' if len(files) != 1 else ''} copied beside "
                             "it as attachments")


def _drop_what_the_check_rejects(root: Path, items: list, images: dict[str, bytes]) -> None:
    """Run the check over the repository with every planned file laid over it; a document
    whose file would bring a new error is not adopted, with the check's message as the
    reason. Repeated until what is left passes (a dropped file can clear others' errors)."""
    before = _errors(root, {})
    for _ in range(5):
        planned = {i.target: planning.render(i).encode("utf-8") for i in items if i.target}
        planned |= {path: data for path, data in images.items()
                    if any(i.target and path.startswith(posixpath_base(i.target))
                           for i in items)}
        if not planned:
            return
        new = [e for e in _errors(root, planned) if (e[0], e[1], e[2]) not in before]
        if not new:
            return
        by_path: dict[str, str] = {}
        for code, path, message, loc in new:
            by_path.setdefault(path, f"{loc}: {code} {one_line(message)}")
        hit = [i for i in items if i.target in by_path]
        if not hit:  # the errors are elsewhere (a clash between documents): drop them all
            for item in items:
                if item.target:
                    item.skipped = f"the check would reject what adopt wrote: {new[0][3]}: " \
                                   f"{new[0][0]} {one_line(new[0][2])}"
                    item.target = None
            return
        for item in hit:
            item.skipped = f"the check would reject what adopt wrote ({by_path[item.target]})"
            item.target = None


def posixpath_base(target: str) -> str:
    return target.rsplit(".", 1)[0] + "-"


def _errors(root: Path, planned: dict[str, bytes]) -> set:
    run = pipeline.run(root, assessment_date(None), tree=Overlay(root, planned), history=False)
    return {(r.code, r.loc.path, r.message, r.loc) for r in run.results
            if r.severity is Severity.ERROR}


def _report_path(root: Path) -> str:
    name, n = REPORT, 2
    while (root / name).exists():
        name, n = f"adoption-report-{n}.md", n + 1
    return name


def _variables(given: list[str]) -> dict[str, str]:
    found = {}
    for text in given:
        m = _VAR.match(text)
        if not m:
            raise UsageError(f"--var '{one_line(text)}' must be NAME=VALUE, e.g. "
                             "--var siro_name='Amara Okafor'")
        found[m[1]] = m[2]
    return found


def _owner(owner: str | None, repo) -> str | None:  # type: ignore[no-untyped-def]
    if owner is None:
        return None
    org = repo.organisation
    if (org and owner in org.roles) or owner in repo.people:
        return owner
    raise UsageError(f"--owner '{one_line(owner)}' is not a role in organisation.yaml or a "
                     "person in the people register")
