"""The package carries its own copies of the catalogue and the portal's site_config as real
files (no symlinks, so a checkout without symlinks still builds a working wheel). The worked
example at the top of the repository is an organisation's repository as `dspt init` makes it,
so its standards/ and site_config/ must be exactly the package's."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "tooling" / "dsptkit" / "templates"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("folder", ["standards", "site_config"])
def test_the_example_carries_the_package_copy_exactly(folder):
    packaged, example = _files(PACKAGE / folder), _files(ROOT / folder)
    assert sorted(packaged) == sorted(example), (
        f"{folder}/ and tooling/dsptkit/templates/{folder}/ list different files: copy the one "
        "you changed over the other")
    differ = [name for name in packaged if packaged[name] != example[name]]
    assert not differ, f"these differ between {folder}/ and the package's copy: {differ}"


def test_nothing_in_the_package_is_a_symlink():
    links = [p for p in (ROOT / "tooling").rglob("*") if p.is_symlink()]
    assert not links, f"symlinks in the package do not survive a checkout without them: {links}"
