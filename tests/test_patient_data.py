"""NHS number detection: the Modulus 11 check, the forms people write, few false alarms."""

from __future__ import annotations

import pytest

from dsptkit.patient_data import find_nhs_numbers, nhs_checksum_ok


@pytest.mark.parametrize("digits,ok", [
    ("9434765919", True),  # the NHS Data Dictionary's worked example
    ("9434765918", False),
    ("4010232137", True),
    ("9999999999", True),  # passes the checksum, but is a test number
    ("1234567890", False),  # check digit would be 10: never issued
    ("401023213", False),
])
def test_modulus_11(digits, ok):
    assert nhs_checksum_ok(digits) is ok


@pytest.mark.parametrize("text", [
    "Patient 401 023 2137 called.",
    "ref 401-023-2137",
    "4010232137",
    "NHS no: 321 000 0018",  # Northern Ireland range, with context
])
def test_reported(text):
    digits = "".join(ch for ch in text if ch.isdigit())[-10:]
    assert [m.digits for m in find_nhs_numbers(text)] == [digits]


@pytest.mark.parametrize("text", [
    "NHS number 999 999 9999 (test range)",
    "Our test patient is 943 476 5919",  # 9xx: test and training range
    "Call 020 7946 0958",
    "Order 3210000018 shipped",  # passes the checksum, no context, outside live ranges
    "Invoice 1234567890",
    "Account 40102321370",  # eleven digits: not an NHS number
    "401 023-2137",  # mixed separators
    "sha256: 3a4010232137bf",  # digits inside a hash
    "EV4010232137",  # digits inside an identifier
])
def test_not_reported(text):
    assert list(find_nhs_numbers(text)) == []


def test_position_and_masking():
    (match,) = find_nhs_numbers("line one\n  NHS 401 023 2137\n")
    assert (match.line, match.col) == (2, 7)
    assert match.masked == "401 *** 2137"
