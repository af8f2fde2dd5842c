"""The shipped catalogues: well-formed, consistent with what is known, every reference resolving.

Most checks read the YAML files directly, so that they state what the files hold whatever
the loader makes of them; the first and the last check go through the loader, because they
are about the repository as a whole.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from dsptkit.repository import load

STANDARDS = ROOT / "standards"
DSPT = STANDARDS / "dspt" / "catalogue.yaml"
LEVELS = {"approaching", "met", "optional"}
MANDATORY = {"approaching", "met"}
ANSWERS = {"yes-no", "text", "document", "date"}
# Items a source says the DSPT lets be answered "not applicable" (see each item's
# not_applicable.source): 1.3.12 [V-2nd] DCH, 1.4.2 [V-off] News 131, 5.1.1 and 6.1.2
# [V-ds] CS-v8; 1.4.3 is our inference (nothing destroyed in-house, nothing to answer).
NOT_APPLICABLE_ALLOWED = {"1.3.12", "1.4.2", "1.4.3", "5.1.1", "6.1.2"}


def read(path: Path) -> dict:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def items_of(doc: dict) -> list[tuple[str, str, dict]]:
    """(standard id, assertion id, item) for every item of a catalogue document."""
    return [(standard["id"], assertion["id"], item)
            for standard in doc.get("standards", [])
            for assertion in standard.get("assertions", [])
            for item in assertion.get("items", [])]


@pytest.fixture(scope="module")
def catalogues() -> dict[Path, dict]:
    return {path: read(path) for path in sorted(STANDARDS.rglob("*.yaml"))}


@pytest.fixture(scope="module")
def dspt() -> dict:
    return read(DSPT)


@pytest.fixture(scope="module")
def dspt_items(dspt) -> dict[str, dict]:
    return {item["id"]: item for _, _, item in items_of(dspt)}


def at_level(dspt_items, category, levels):
    return {ident for ident, item in dspt_items.items()
            if item.get("levels", {}).get(category) in levels}


@pytest.fixture(scope="module")
def loaded():
    return load(ROOT)


def test_catalogues_load_without_problems(loaded):
    assert [p for p in loaded[1].problems if p.loc.path.startswith("standards/")] == []


def test_ids_are_unique_and_hierarchical(catalogues):
    declared = Counter((doc.get("framework"), item["id"])
                       for doc in catalogues.values() for _, _, item in items_of(doc))
    assert [ref for ref, n in declared.items() if n > 1] == []
    for doc in catalogues.values():
        for standard, assertion, item in items_of(doc):
            assert item["id"].startswith(assertion + "."), item["id"]
            assert assertion.startswith(standard + ".") or assertion == standard, assertion


def test_category_4_counts_match_the_v8_extraction(dspt, dspt_items):
    """45 items for GP practices in v8, 29 of them mandatory for Standards Met [V-ds] CS-v8;
    the catalogue's published counts say the same."""
    seen = at_level(dspt_items, "4", LEVELS)
    mandatory = at_level(dspt_items, "4", MANDATORY)
    assert (len(seen), len(mandatory)) == (45, 29)
    published = dspt["published"]["4"]
    assert (published["items"], published["met"]) == (45, 29)


def test_category_3_mandatory_items_stay_within_the_published_count(dspt, dspt_items):
    """45 Standards Met items are published for category 3 in v8; those identified so far
    must not exceed that, and the gap is stated in the catalogue."""
    mandatory = at_level(dspt_items, "3", MANDATORY)
    assert 37 <= len(mandatory) <= 45
    assert "45" in dspt["known_gaps"]
    assert {"4.3.1", "7.1.1"} <= mandatory  # newly mandatory in v8 [V-2nd] RCPA


def test_published_counts_are_pinned_to_their_sources(dspt, dspt_items):
    published = dspt["published"]
    assert set(published) == {"2", "3", "4"}
    for category, counts in published.items():
        assert set(counts) == {"met", "approaching", "items", "source"}, category
        assert "[" in counts["source"], category
    # [V-2nd] RCPA, DCH: 45 items mandatory for Standards Met for category 3 in v8.
    assert published["3"]["met"] == 45
    # [V-ds] CS-v8: 29 of category 4's 45 items mandatory for Standards Met.
    assert published["4"]["met"] == 29
    # GP practices must achieve Standards Met [V-2nd] NE London ICB: no Approaching count.
    assert published["4"]["approaching"] is None
    # No source gives category 2 counts.
    assert [published["2"][key] for key in ("met", "approaching", "items")] == [None] * 3
    # A count not published for v8 may be carried forward only when the source says so.
    approaching = published["3"]["approaching"]
    if approaching is not None:
        assert "carried forward" in published["3"]["source"]
        assert "[Inf]" in published["3"]["source"]
        assert len(at_level(dspt_items, "3", {"approaching"})) <= approaching


def test_the_edition_has_its_publication_window(dspt):
    cycle = dspt["cycle"]
    assert str(cycle["deadline"]) == "2026-06-30"
    assert dt.date.fromisoformat(str(cycle["opens"])) < dt.date.fromisoformat(str(cycle["deadline"]))
    assert "[" in cycle["source"]


def test_every_position_rule_has_a_source_and_known_keys(dspt):
    keys = {"items", "plan", "once", "certificate", "unknown", "source"}
    for category, levels in dspt["positions"].items():
        assert set(levels) <= {"met", "approaching", "exceeded"}, category
        for level, rule in levels.items():
            assert set(rule) <= keys, (category, level)
            assert "[" in rule["source"], (category, level)
            assert rule.get("items", "approaching") in {"approaching", "met"}
            assert rule.get("plan", "action") in {"action", "agreed"}


def test_approaching_standards_items_are_mandatory_for_standards_met_too(catalogues):
    for doc in catalogues.values():
        for _, _, item in items_of(doc):
            for category, level in item.get("levels", {}).items():
                assert level in LEVELS, (item["id"], category)


def test_every_item_says_how_far_to_trust_it(dspt_items):
    for ident, item in dspt_items.items():
        assert item.get("provenance") and "[" in item["provenance"], ident


def test_every_item_says_what_the_dspt_asks_for(dspt_items):
    """Answer types come from the category 4 extraction where it has the item [V-ds];
    every other item's answer type is our inference and says so."""
    for ident, item in dspt_items.items():
        assert item.get("answer") in ANSWERS, ident
        source = item.get("answer_source", "")
        if "4" in item.get("levels", {}):
            assert source.startswith("[V-ds] CS-v8 (category 4)"), ident
        else:
            assert source.startswith("[Inf]"), ident


def test_not_applicable_only_where_a_source_allows_it(dspt_items):
    allowed = {ident for ident, item in dspt_items.items() if "not_applicable" in item}
    assert allowed <= NOT_APPLICABLE_ALLOWED
    for ident in allowed:
        assert "[" in dspt_items[ident]["not_applicable"]["source"], ident
    assert dspt_items["1.4.3"]["not_applicable"]["source"].startswith("[Inf]")


def test_iso_annex_a_has_93_controls_and_cyber_essentials_five_themes():
    iso = items_of(read(STANDARDS / "iso27001" / "catalogue.yaml"))
    assert len(iso) == 93
    assert Counter(standard for standard, _, _ in iso) == {"A.5": 37, "A.6": 8, "A.7": 14,
                                                           "A.8": 34}
    ce = items_of(read(STANDARDS / "cyber-essentials" / "catalogue.yaml"))
    assert {standard for standard, _, _ in ce} == {"fw", "sc", "um", "ua", "mp"}


def test_exemptions_and_standards_exceeded_match_the_known_certificate_lists(dspt, dspt_items):
    exempt = {scheme: {i for i, item in dspt_items.items() if scheme in item.get("exempt_by", [])}
              for scheme in ("ce-plus", "iso27001")}
    assert exempt["ce-plus"] == {"4.2.4", "6.2.1", "9.1.1", "9.2.1"}
    assert exempt["iso27001"] == {"2.1.1", "2.2.1", "4.3.1", "5.1.1", "6.1.1", "6.1.2", "6.2.1",
                                  "7.1.2"}
    assert "exceeded" not in dspt  # replaced by positions.<category>.exceeded
    exceeded = {category: levels["exceeded"] for category, levels in dspt["positions"].items()}
    assert exceeded["3"]["certificate"] == "ce-plus"
    assert {c for c, rule in exceeded.items() if "unknown" in rule} == {"2", "4"}


def test_every_reference_in_the_repository_resolves(loaded):
    example = loaded[0]
    for claim in example.claims:
        for ref in claim.meets:
            assert ref in example.items, (claim.id, ref)
    for item in example.items.values():
        for ref, _relation in item.maps_to:
            assert ref in example.items, (item.ref, ref)
    claims = {c.id for c in example.claims}
    for evidence in example.evidence:
        assert set(evidence.supports) <= claims, evidence.id
