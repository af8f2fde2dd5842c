"""The data map's readings of what people write, and what a run says when a register of
the map cannot be read."""

from __future__ import annotations

import pytest

from conftest import AS_OF
from dsptkit import pipeline
from dsptkit.datamap import conditions, is_uk, lawful_bases


@pytest.mark.parametrize("written,bases", [
    ("public_task", ("public_task",)),
    ("Public task", ("public_task",)),
    ("Article 6(1)(e)", ("public_task",)),
    ("Art 6.1(e)", ("public_task",)),
    ("6.1.e", ("public_task",)),
    ("Legitimate interest", ("legitimate_interests",)),
    ("Contract with the data subject", ("contract",)),
    ("Employment contract", ("contract",)),
    ("Legal obligation / contract", ("contract", "legal_obligation")),
    # a contract with someone else is not the data subject's contract: not read as 6(1)(b)
    ("Contract with local authority", ()),
    ("Public interest", ()),
    ("16(1)(a)", ()),
    ("Because the practice asked us to", ()),
])
def test_lawful_bases_are_read_strictly(written, bases):
    assert lawful_bases(written) == bases


@pytest.mark.parametrize("written,found", [
    ("health_or_social_care", ("health_or_social_care",)),
    ("9(2)(h)", ("health_or_social_care",)),
    ("Article 9.2.h", ("health_or_social_care",)),
    ("9.2(i) public health", ("public_health",)),
    ("employment (DBS, sickness)", ("employment",)),
    ("Our customers told us to", ()),
])
def test_article_9_conditions(written, found):
    assert conditions(written) == found


@pytest.mark.parametrize("country,uk", [("UK", True), ("United Kingdom", True),
                                        ("the United Kingdom", True), ("Scotland", True),
                                        ("Ireland", False), ("UK and EU", False),
                                        ("Cloud", False)])
def test_only_the_uk_is_the_uk(country, uk):
    assert is_uk(country) is uk


def test_a_supplier_that_does_not_say_is_not_called_free_of_patient_data(repo):
    repo.write("evidence/registers/suppliers.yaml", """\
        suppliers:
          - {name: Mailchimp, service: Newsletters}
          - {name: Ledgerly, service: Payroll, processes_patient_data: false}
          - {name: Northwind Cloud, service: Hosting, processes_patient_data: true}
        """)
    views = {v.supplier.name: v.patient for v in pipeline.run(repo.root, AS_OF).position.datamap.suppliers}
    assert views == {"Mailchimp": None, "Ledgerly": False, "Northwind Cloud": True}


def test_an_unreadable_register_is_named_in_the_notes(repo):
    repo.write("evidence/registers/suppliers.yaml", """\
        suppliers:
          - {name: Microsoft, service: Email, sub_processors: see Microsoft website,
             contract: {expires: 2025-01-01, data_protection: true}}
        """)
    run = repo.dspt("check", "--as-of", AS_OF)
    assert "suppliers.yaml:2:" in run.out and "SC001" in run.out
    assert ("note: the suppliers register could not be read (its errors are above), so the "
            "rules that read it (RG, DM, AK, IN) saw none of its entries") in run.out
    assert "DM101" not in run.out


@pytest.mark.parametrize("written", ["N/A - no contract in place yet", "Not consent", "TBC",
                                     "none"])
def test_a_basis_that_says_there_is_none_is_none(written):
    assert lawful_bases(written) == ()


@pytest.mark.parametrize("written", ["None - non-medical data", "no research performed"])
def test_a_condition_that_says_there_is_none_is_none(written):
    assert conditions(written) == ()


def test_placeholders_record_nothing(repo):
    repo.write("evidence/registers/information-assets.yaml", """\
        reviewed: 2026-01-10
        approved: {by: siro, on: 2026-01-10}
        information_assets:
          - {name: Referrals, data_categories: [patient], owner: TBC, hosted_in: [UK, USA],
             transfer_safeguard: "None", retention: "  ", controls: ["none", "-"]}
        """)
    repo.write("evidence/registers/processing.yaml", """\
        reviewed: 2026-01-10
        approved: {by: siro, on: 2026-01-10}
        processing:
          - activity: Support
            lawful_basis: N/A - no contract in place yet
            transfers: [{country: USA, safeguard: "none"}, {country: India, safeguard: TBC}]
        """)
    results = pipeline.run(repo.root, AS_OF).results
    messages = [r.message for r in results if r.code.startswith("DM")]
    assert ("information asset 'Referrals' holds patient data but records no owner, retention "
            "rule (retention) or control that protects it (controls)") in messages
    assert any("'Referrals' is held in USA, outside the UK, with no safeguard" in m
               for m in messages)
    assert sum("outside the UK, with no safeguard recorded" in m and "activity 'Support'" in m
               for m in messages) == 2
    assert any("lawful basis 'N/A - no contract in place yet' is not one of the six" in m
               for m in messages)


def test_names_that_only_look_different_are_one_name(repo):
    repo.write("evidence/registers/suppliers.yaml",
               "suppliers:\n  - {name: Northwind Cloud, service: Hosting}\n"
               "  - {name: \"Northwind\\u200b Cloud\", service: Hosting}\n"
               "  - {name: \"\\uff2eorthwind Cloud\", service: Hosting}\n")
    dm001 = [r for r in pipeline.run(repo.root, AS_OF).results if r.code == "DM001"]
    assert [r.loc.line for r in dm001] == [3, 4]
    assert all("is listed twice in the suppliers register (first at line 2)" in r.message
               for r in dm001)


def test_only_the_first_unknown_names_get_a_suggestion(repo):
    from dsptkit.datamap import HINTS

    flows = "".join(f"  - {{from: Patients, to: Patiens {n}}}\n" for n in range(HINTS + 30))
    repo.write("evidence/registers/data-flows.yaml",
               "reviewed: 2026-01-10\napproved: {by: siro, on: 2026-01-10}\n"
               "parties: [{name: Patients, kind: public}, {name: Patiens 1, kind: public}]\n"
               f"data_flows:\n{flows}")
    dm001 = [r for r in pipeline.run(repo.root, AS_OF).results if r.code == "DM001"]
    assert len(dm001) == HINTS + 29  # "Patiens 1" is a party
    assert any("did you mean" in r.message for r in dm001[:HINTS])
    assert not any("did you mean" in r.message for r in dm001[HINTS:])
