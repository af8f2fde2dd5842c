"""``dspt init DIR``: scaffold a new organisation's evidence repository."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from string import Template

from dsptkit import PROJECT_URL, install
from dsptkit.errors import FatalError, UsageError
from dsptkit.parsers import CATEGORIES
from dsptkit.writing import TEMPLATES, Plan, is_empty_dir

ODS = re.compile(r"^[A-Z0-9]{3,10}$")
# template files and folders whose names cannot start with a dot in the package
RENAMES = {"gitignore": ".gitignore", "pre-commit-config.yaml": ".pre-commit-config.yaml"}
FOLDERS = {"github": ".github", "vscode": ".vscode"}


def _ask(question: str) -> str:
    print(question, end=" ", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip()


def run(args: argparse.Namespace) -> int:
    target = Path(args.directory)
    if target.exists() and not is_empty_dir(target):
        what = "a file" if not target.is_dir() else "a folder that is not empty"
        raise UsageError(f"{target} is {what}; dspt init only creates a new repository in an "
                         "empty or new folder (nothing was written)")
    interactive = sys.stdin.isatty()
    name = args.name or (_ask("Organisation name:") if interactive else "")
    if not name.strip():
        raise UsageError("give the organisation's name with --name")
    category = args.category or (_ask("DSPT category (2, 3 or 4):") if interactive else "")
    category = category.strip()
    if category not in CATEGORIES:
        given = f"'{category}' is not a DSPT category" if category else "no category given"
        raise UsageError(f"{given}; use --category with 2, 3 or 4 (" +
                         "; ".join(f"{k} = {v}" for k, v in CATEGORIES.items()) + ")")
    ods = args.ods_code if args.ods_code is not None else \
        (_ask("ODS code (blank if none yet):") if interactive else "")
    ods = ods.strip().upper()
    if ods and not ODS.match(ods):
        raise UsageError(f"'{ods}' does not look like an ODS code (3 to 10 letters and digits)")
    tool = install.resolve(args.tool)  # how CI and the hook install dsptkit, pinned

    plan = Plan(target)
    values = {"name": _quoted(name.strip()), "category": category,
              "ods_line": f"ods_code: {ods}" if ods else "# ods_code: ABC12   # add when known"}
    readme = {"name": name.strip(), "project_url": PROJECT_URL,
              "install": install.pip_install(tool.requirement).removeprefix("python -m "),
              "install_portal": install.pip_install(tool.with_extras(install.EXTRA_PORTAL))
              .removeprefix("python -m ")}
    repo_templates = TEMPLATES / "repo"
    for source in sorted(p for p in repo_templates.rglob("*") if p.is_file()):
        relative = source.relative_to(repo_templates)
        relative = relative.with_name(RENAMES.get(relative.name, relative.name))
        if relative.parts[0] in FOLDERS:  # packaged without the dot, like the files above
            relative = Path(FOLDERS[relative.parts[0]], *relative.parts[1:])
        text = source.read_text("utf-8")
        if relative.name in ("organisation.yaml", "mkdocs.yml"):
            text = Template(text).safe_substitute(
                values | {"site_name": _quoted(f"{name.strip()} — DSPT evidence")})
        elif relative.name == "README.md" and len(relative.parts) == 1:
            text = Template(text).safe_substitute(readme)
        elif relative == Path(".github/workflows/dspt.yml"):
            text = install.workflow(text, tool)
        elif relative.name == ".pre-commit-config.yaml":
            text = text.replace("__DSPT_REPOS__\n", install.pre_commit_repos(tool))
        plan.add(relative, text)
    for source in sorted((TEMPLATES / "policies").glob("*.md")) if args.starter else ():
        plan.add(Path("policies") / source.name, source.read_bytes())
    standards = (TEMPLATES / "standards").resolve()
    if not standards.is_dir():
        raise FatalError(f"the DSPT catalogue is missing from this installation ({standards})")
    for source in sorted(p for p in standards.rglob("*") if p.is_file()):
        plan.add(Path("standards") / source.relative_to(standards), source.read_bytes())
    site_config = (TEMPLATES / "site_config").resolve()
    for source in sorted(p for p in site_config.rglob("*") if p.is_file()):
        plan.add(Path("site_config") / source.relative_to(site_config), source.read_bytes())
    plan.write()

    if tool.warning:
        print(f"dspt init: warning: {tool.warning}", file=sys.stderr)
    git_note = ""
    if not args.no_git:
        git_note = _git_init(target)
    print(f"Created a dsptkit repository for {name.strip()} in {target} "
          f"({len(plan.files)} files{git_note}).\n"
          f"CI and the pre-commit hook install dsptkit as {tool.requirement!r}: {tool.note}.\n"
          "Next: add your people to evidence/registers/people.yaml, make each policy in "
          "policies/ true for you and approve it, then record evidence with "
          "'dspt new evidence'. 'dspt check' shows what is missing.")
    return 0


def _quoted(text: str) -> str:
    from dsptkit.writing import yaml_string

    return yaml_string(text)


def _git_init(target: Path) -> str:
    from dsptkit.git import init_repository

    problem = init_repository(target)
    if problem == "git is not installed":
        return "; git is not installed, so no git repository was created"
    if problem:
        return f"; 'git init' failed: {problem}"
    return ", git repository initialised"
