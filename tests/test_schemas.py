"""The JSON Schemas: what editors and standard validators read is what `dspt check` enforces.

The schemas in tooling/dsptkit/schemas/ are published at their ``$id``s and mapped for editors
(VS Code's YAML extension), and users run standard validators on their files with them
(check-jsonschema, in pre-commit or CI). Here a standard validator (jsonschema, Draft 2020-12,
with format checking, fed YAML the way check-jsonschema reads it) and `dspt check` must agree:
the worked example, the starter files and format.md's examples are valid for both; each bad
file is refused by both. The real check-jsonschema command runs on a few of them too.
"""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from string import Template
from urllib.parse import urlparse

import jsonschema
import pytest
import regress
from check_jsonschema.parsers import yaml as cj_yaml
from referencing import Registry, Resource

import dsptkit
from conftest import BASE_FILES, ROOT
from dsptkit.durations import DURATION_PATTERN, LIMITS, parse_duration
from dsptkit.frontmatter import parse_yaml_file
from dsptkit.schema import NONBLANK, _compiled, ecma_pattern, schema_names, validate

SCHEMA_DIR = ROOT / "tooling" / "dsptkit" / "schemas"
TEMPLATES = ROOT / "tooling" / "dsptkit" / "templates"
FRONT_MATTER_ONLY = {"policy", "evidence"}  # Markdown front matter: no editor maps .md files to a schema


def _schemas() -> dict[str, dict]:
    """The schemas of the files dspt reads, by name (``policy``, ``register-people`` ...)."""
    return {name: json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text("utf-8")) for name in schema_names()}


def _published() -> dict[str, dict]:
    """Every schema the package publishes, by its path under schemas/ (outputs' in output/)."""
    return {path.relative_to(SCHEMA_DIR).as_posix(): json.loads(path.read_text("utf-8"))
            for path in sorted(SCHEMA_DIR.rglob("*.schema.json"))}


def _walk(node, pointer: str = ""):
    """Every sub-schema with its JSON pointer."""
    if isinstance(node, dict):
        yield pointer, node
        for key, value in node.items():
            if key in ("properties", "$defs", "patternProperties"):
                for name, sub in value.items():
                    yield from _walk(sub, f"{pointer}/{key}/{name}")
            elif key in ("items", "additionalProperties", "propertyNames", "not", "if", "then", "else"):
                yield from _walk(value, f"{pointer}/{key}")
            elif key in ("anyOf", "allOf", "oneOf", "prefixItems"):
                for index, sub in enumerate(value):
                    yield from _walk(sub, f"{pointer}/{key}/{index}")


def _properties(schema: dict):
    for pointer, node in _walk(schema):
        for name, sub in node.get("properties", {}).items():
            yield f"{pointer}/properties/{name}", sub


# -- what a standard validator is here ----------------------------------------------------------

_LOAD_YAML = cj_yaml.impl2loader(cj_yaml.construct_yaml_implementation(),
                                 cj_yaml.construct_yaml_implementation(pure=True))


def load_as_validators_do(text: str):
    """YAML as check-jsonschema reads it: ruamel.yaml (YAML 1.2), dates kept as the text written."""
    return _LOAD_YAML(io.BytesIO(text.encode("utf-8")))


def _registry() -> Registry:
    return Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in _published().values())


def standard_errors(schema_name: str, text: str) -> list[str]:
    """What jsonschema (Draft 2020-12, formats checked) says of a file's YAML; [] when valid."""
    schema = _schemas()[schema_name]
    validator = jsonschema.Draft202012Validator({"$ref": schema["$id"]}, registry=_registry(),
                                                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
            for e in validator.iter_errors(load_as_validators_do(text))]


def schema_for(path: str) -> str:
    if path == "organisation.yaml":
        return "organisation"
    if path.startswith("standards/"):
        return "catalogue"
    if path.startswith("evidence/registers/"):
        return "register-" + Path(path).stem
    return "policy" if path.startswith("policies/") else "evidence"


def yaml_of(path: str, text: str) -> str:
    if not path.endswith(".md"):
        return text
    assert text.startswith("---\n"), path
    return text[4:text.index("\n---", 3) + 1]


def test_the_standard_validator_really_checks_dates():
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    assert "date" in checker.checkers
    assert checker.conforms("2026-02-28", "date")
    for bad in ("2026-02-30", "2026-2-28", "2026-02-28T10:00:00", "28/02/2026", "20260228"):
        assert not checker.conforms(bad, "date"), bad


# -- $ids, $refs, descriptions -------------------------------------------------------------------

def test_every_id_is_the_schema_files_published_address():
    base = urlparse(dsptkit.SCHEMA_BASE_URL)
    owner_repo = urlparse(dsptkit.PROJECT_URL).path.strip("/")
    assert base.scheme == "https" and base.netloc == "raw.githubusercontent.com"
    # raw.githubusercontent.com/OWNER/REPO/BRANCH/PATH: the path is where the files are in this repository
    parts = base.path.strip("/").split("/")
    assert "/".join(parts[:2]) == owner_repo
    folder = "/".join(parts[3:])
    assert (ROOT / folder).resolve() == SCHEMA_DIR.resolve()
    published = _published()
    assert set(published) >= {f"{name}.schema.json" for name in schema_names()}
    for file, schema in published.items():
        assert schema["$id"] == dsptkit.SCHEMA_BASE_URL + file
        assert (ROOT / folder / file).is_file()
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(schema)


def test_every_ref_resolves_through_the_ids():
    registry = _registry()
    refs = 0
    for name, schema in _published().items():
        resolver = registry.resolver(base_uri=schema["$id"])
        for pointer, node in _walk(schema):
            if "$ref" in node:
                resolved = resolver.lookup(node["$ref"])  # raises if it points nowhere
                assert isinstance(resolved.contents, dict), f"{name}{pointer}"
                refs += 1
    assert refs >= 9
    # and from one schema to another, by the published address
    claim = registry.resolver(base_uri=dsptkit.SCHEMA_BASE_URL + "evidence.schema.json").lookup(
        "policy.schema.json#/$defs/claim")
    assert claim.contents["required"] == ["id", "says", "meets"]


def test_every_property_has_a_description():
    missing = [f"{file}#{pointer}" for file, schema in _published().items()
               for pointer, sub in _properties(schema) if not str(sub.get("description", "")).strip()]
    assert not missing, "properties without a description (editors show it as the tooltip):\n" + "\n".join(missing)


def test_every_pattern_is_ecma_262_and_says_what_it_wants():
    for name, schema in _schemas().items():
        for pointer, node in _walk(schema):
            if "pattern" in node:
                regress.Regex(node["pattern"], flags="u")  # the engine check-jsonschema uses
                assert node.get("patternErrorMessage"), f"{name}{pointer}: VS Code shows this when it fails"
            assert node.get("format") in (None, "date"), f"{name}{pointer}: only format date is used"


def test_durations_are_the_one_duration_pattern_and_the_check_knows_it():
    durations = 0
    for name, schema in _schemas().items():
        for pointer, node in _walk(schema):
            if "duration" in node.get("description", "").lower() and node.get("type") == "string":
                assert node.get("pattern") == DURATION_PATTERN, f"{name}{pointer}"
            if node.get("pattern") == DURATION_PATTERN:
                durations += 1
        nodes = [_compiled(name)]
        seen = set()
        while nodes:  # the in-house interpreter reads each of them as a duration
            node = nodes.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if node.schema.get("pattern") == DURATION_PATTERN:
                assert node.fmt == "duration" and node.pattern is None
            if node.schema.get("pattern") == NONBLANK:
                assert node.min_length >= 1 and node.pattern is None
            nodes += [*node.props.values(), *(n for n in (node.items, node.extra_node) if n is not None)]
    assert durations == 8


# -- the duration pattern is the parser ------------------------------------------------------------

def _duration_samples():
    for unit in "dwmyDWMY":
        limit = LIMITS[unit.lower()]
        for count in (*range(0, 40), *range(limit - 3, limit + 4), 10 * limit, 10**25):
            yield f"{count}{unit}"
            yield f" 0{count} {unit} "
            yield f"P{count}{unit}"
            yield f"p00{count}{unit} "
    yield from ("", "P", "p", "PT1H", "P1Y6M", "P1y2m3w4d", "P0Y0M0W0D", "P0Y1D", "P1D1Y", "1.5y", "-1d",
                "+1d", "1 y s", "90", "d", "3 months", "\u0669\u0660d", "90d\u00a0", "\ufeff90d", "90d\x1c",
                "\t90\td\t", "90d\n", " 90 d ", "90 d", "0" * 5000 + "1d", "P" + "0" * 5000 + "1D", "1" * 5000 + "d")
    rng = random.Random(12)
    alphabet = [*"0123456789PpDdWwMmYyTt .-", "\t", "\n", "\v", "\u00a0", "\u2028", "00", "100", "1200", "5217",
                "36525", "36526"]
    yield from ("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8))) for _ in range(20000))


def test_the_duration_pattern_accepts_exactly_what_dspt_parses():
    python, ecma = ecma_pattern(DURATION_PATTERN), regress.Regex(DURATION_PATTERN, flags="u")
    for text in _duration_samples():
        parsed = parse_duration(text) is not None
        assert (python.search(text) is not None) == parsed, repr(text)
        assert (ecma.find(text) is not None) == parsed, repr(text)


# -- agreement on real files ------------------------------------------------------------------------

def _example_files() -> list[tuple[str, str]]:
    """Every file of the worked example, the starter repository and format.md that a schema covers."""
    files = [("organisation.yaml", (ROOT / "organisation.yaml").read_text("utf-8"))]
    for base, prefix in ((ROOT, ""), (TEMPLATES / "repo", "template:"), (TEMPLATES, "template:")):
        for folder, suffix in (("standards", ".yaml"), ("evidence/registers", ".yaml"), ("policies", ".md"),
                               ("evidence", ".md")):
            for path in sorted((base / folder).rglob(f"*{suffix}")):
                rel = path.relative_to(base).as_posix()
                if path.name in ("README.md", "index.md") or (suffix == ".md" and rel.startswith("evidence/registers")):
                    continue
                files.append((prefix + rel, path.read_text("utf-8")))
    starter = Template((TEMPLATES / "repo" / "organisation.yaml").read_text("utf-8"))  # as dspt init fills it in
    files.append(("template:organisation.yaml", starter.substitute(name="Test Care Ltd", category="3",
                                                                     ods_line="ods_code: ZZ001")))
    text = (ROOT / "docs" / "format.md").read_text("utf-8")
    files += [(f"format.md:{path}", body) for path, body in
              re.findall(r"<!-- example: (\S+) -->\n```(?:yaml|markdown)\n(.*?)```", text, re.S)]
    return list(dict(files).items())


def test_the_example_starters_and_docs_are_valid_for_a_standard_validator_and_for_dspt():
    files = _example_files()
    assert len(files) > 60
    kinds = {schema_for(path.split(":", 1)[-1]) for path, _ in files}
    assert kinds >= set(schema_names())
    for path, text in files:
        rel = path.split(":", 1)[-1]
        name = schema_for(rel)
        assert standard_errors(name, yaml_of(rel, text)) == [], path
        if rel.endswith(".md"):
            from dsptkit.frontmatter import parse_markdown
            doc = parse_markdown(rel, text.encode("utf-8"))
        else:
            doc = parse_yaml_file(rel, text.encode("utf-8"))
        assert validate(doc, name) and doc.problems == [], (path, doc.problems)


def test_dspt_check_finds_no_schema_problem_in_the_example(capsys):
    from dsptkit.main import main

    main(["check", "--repo", str(ROOT), "--format", "json"])
    results = json.loads(capsys.readouterr().out)["results"]
    assert [r for r in results if r["code"].startswith(("SC", "FM"))] == []


# Each case: the file, then (old, new) replacements in conftest's BASE_FILES, or the whole file.
EV, PO, ORG, CAT, REG = ("evidence/2026/ico.md", "policies/governance.md", "organisation.yaml",
                         "standards/dspt/catalogue.yaml", "evidence/registers/")
EVERY = "evidence_every: 90d"
BAD = {
    "a date that does not exist": (EV, [("2026-06-01", "2026-02-30")]),
    "a date in words": (EV, [("2026-06-01", "next week")]),
    "a date without two-digit month and day": (EV, [("2026-06-01", "2026-6-1")]),
    "a date and time for a date": (EV, [("2026-06-01", "2026-06-01T10:30:00")]),
    "a value outside the allowed set": (EV, [("outcome: pass", "outcome: passed")]),
    "a string for a list": (EV, [("supports: [GV-1]", "supports: GV-1")]),
    "an unknown key": (EV, [("outcome: pass", "outcome: pass\nreviewer: bob")]),
    "a missing required field": (EV, [("by: bob\n", "")]),
    "an id with spaces": (EV, [("id: EV-1", "id: EV 1")]),
    "a title of spaces only": (EV, [("title: ICO registration checked", "title: '   '")]),
    "a short sha256": (EV, [("outcome: pass", "outcome: pass\nfiles: [{path: a.pdf, sha256: 3a7b}]")]),
    "a duration in words": (PO, [(EVERY, "evidence_every: 30 days")]),
    "a zero duration": (PO, [(EVERY, "evidence_every: 0d")]),
    "a zero ISO duration": (PO, [(EVERY, "evidence_every: P0D")]),
    "an ISO duration with hours": (PO, [(EVERY, "evidence_every: PT12H")]),
    "a duration over 100 years": (PO, [(EVERY, "evidence_every: 101y")]),
    "a number for text": (PO, [('version: "1.0"', "version: 2.1")]),
    "a claim meeting nothing": (PO, [("meets: [dspt:1.1.1]", "meets: []")]),
    "an item without its framework": (PO, [("meets: [dspt:1.1.1]", "meets: [1.1.1]")]),
    "category 1": (ORG, [("category: 3", "category: 1")]),
    "a bad ICO number": (ORG, [("ico_registration: ZA123456", "ico_registration: Z12")]),
    "a warning window in words": (ORG, [("framework:", "check: {warning_window: 2 weeks}\nframework:")]),
    "a share over 1": (ORG, [("framework:", "check: {owner_share_limit: 1.5}\nframework:")]),
    "a misspelt top-level key": (ORG, [("name: Test", "nmae: Test")]),
    "a role without its person": (ORG, [("siro: {person: alice, ", "siro: {")]),
    "a person without a name": (REG + "people.yaml", [("{id: bob, name: Bob Brown}", "{id: bob}")]),
    "a score over 100": (REG + "training.yaml", [("2026-02-03}", "2026-02-03, score: 120}")]),
    "a quoted yes for a boolean": (REG + "suppliers.yaml",
                                   "suppliers:\n  - {name: A, service: B, contract_article_28: 'yes'}\n"),
    "an empty column heading": (REG + "assets.yaml", "assets:\n  - {name: A, kind: B, extra: {'': x}}\n"),
    "a rating that is a list": (REG + "risks.yaml", "risks:\n  - {risk: A, likelihood: [1, 2]}\n"),
    "an incident without a date": (REG + "incidents.yaml", "incidents:\n  - {id: I-1, summary: A}\n"),
    "a level outside the list": (CAT, [('levels: {"3": optional}', 'levels: {"3": mandatory}')]),
    "a catalogue cadence in words": (CAT, [("evidence_every: 1y", "evidence_every: 3 months")]),
}
GOOD = {
    "a date in quotes": (EV, [("2026-06-01", '"2026-06-01"')]),
    "an ISO duration": (PO, [(EVERY, "evidence_every: P30D")]),
    "an ISO duration in lower case": (PO, [(EVERY, "evidence_every: p1y6m")]),
    "a duration with spaces": (PO, [(EVERY, "evidence_every: 12 W")]),
    "a date where text is asked for": (PO, [('version: "1.0"', "version: 2026-01-10")]),
    "a date in an adopted column": (REG + "assets.yaml",
                                    "assets:\n  - {name: A, kind: B, extra: {Checked: 2026-05-01}}\n"),
}


def _case(repo, path: str, change) -> str:
    if isinstance(change, str):
        text = change
    else:
        text = textwrap.dedent(BASE_FILES[path])
        for old, new in change:
            assert old in text, (path, old)
            text = text.replace(old, new)
    repo.write(path, text)
    return text


def _dspt_schema_problems(repo, path: str) -> list[str]:
    run = repo.dspt("check", "--format", "json")
    return [f"{r['code']} {r['message']}" for r in json.loads(run.out)["results"]
            if r["path"] == path and r["code"].startswith("SC")]


def test_the_base_repository_is_valid_for_both(repo):
    for path, text in BASE_FILES.items():
        assert standard_errors(schema_for(path), yaml_of(path, textwrap.dedent(text))) == [], path
    assert [r for r in json.loads(repo.dspt("check", "--format", "json").out)["results"]
            if r["code"].startswith(("SC", "FM"))] == []


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_file_is_refused_by_both(repo, case):
    path, change = BAD[case]
    text = _case(repo, path, change)
    assert standard_errors(schema_for(path), yaml_of(path, text)), f"{case}: the standard validator accepts it"
    assert _dspt_schema_problems(repo, path), f"{case}: dspt check accepts it"


@pytest.mark.parametrize("case", list(GOOD))
def test_a_good_file_is_accepted_by_both(repo, case):
    path, change = GOOD[case]
    text = _case(repo, path, change)
    assert standard_errors(schema_for(path), yaml_of(path, text)) == [], case
    assert _dspt_schema_problems(repo, path) == [], case


def test_a_date_in_quotes_is_read_as_a_date_and_a_date_for_text_as_the_text_written():
    doc = parse_yaml_file("evidence/registers/assets.yaml", b'reviewed: "2026-05-01"\nassets:\n'
                          b"  - {name: A, kind: B, version: 2026-01-10, extra: {Checked: 2026-05-01T10:00:00}}\n")
    assert validate(doc, "register-assets"), doc.problems
    import datetime as dt

    assert doc.data["reviewed"] == dt.date(2026, 5, 1)
    assert doc.data["assets"][0]["version"] == "2026-01-10"
    assert doc.data["assets"][0]["extra"] == {"Checked": "2026-05-01T10:00:00"}


# -- the real check-jsonschema command ----------------------------------------------------------------

def _check_jsonschema(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", *args], capture_output=True, text=True,
                          cwd=ROOT, check=False, timeout=300)


def test_check_jsonschema_accepts_the_example_and_refuses_a_bad_file(tmp_path):
    schemas = "tooling/dsptkit/schemas/"
    for schema, files in (("organisation", ["organisation.yaml"]),
                          ("register-people", ["evidence/registers/people.yaml"]),
                          ("register-assets", ["evidence/registers/assets.yaml"]),
                          ("catalogue", [CAT, "standards/cyber-essentials/catalogue.yaml"])):
        done = _check_jsonschema("--schemafile", f"{schemas}{schema}.schema.json", *files)
        assert done.returncode == 0, done.stdout + done.stderr
    bad = tmp_path / "organisation.yaml"
    bad.write_text((ROOT / "organisation.yaml").read_text("utf-8")
                   .replace("warning_window: 30d", "warning_window: 30 days")
                   .replace("category: 3", "category: 1"), "utf-8")
    done = _check_jsonschema("--schemafile", f"{schemas}organisation.schema.json", str(bad))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "warning_window" in done.stdout and "category" in done.stdout


# -- editors ---------------------------------------------------------------------------------------------

def test_init_maps_every_yaml_schema_by_its_id_for_vs_code():
    template = json.loads((TEMPLATES / "repo" / "vscode" / "settings.json").read_text("utf-8"))
    project = json.loads((ROOT / ".vscode" / "settings.json").read_text("utf-8"))
    ids = {schema["$id"]: name for name, schema in _schemas().items()}
    mapped = template["yaml.schemas"]
    assert set(mapped) <= set(ids), "every URL is a schema's $id"
    assert {ids[url] for url in mapped} == set(schema_names()) - FRONT_MATTER_ONLY
    # the same files as this repository's own mapping, which names the schemas by their path here
    assert {ids[url]: globs for url, globs in mapped.items()} == \
        {path.rsplit("/", 1)[-1].removesuffix(".schema.json"): globs for path, globs in project["yaml.schemas"].items()}
    extensions = json.loads((TEMPLATES / "repo" / "vscode" / "extensions.json").read_text("utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]
