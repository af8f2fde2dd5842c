"""Links between adopted documents follow them to their new places."""

from __future__ import annotations

from dsptkit.adopt.links import rewrite

MOVED = {
    "old/policies/Access Control.md": "policies/access-control.md",
    "old/policies/index.md": "policies/ig-framework.md",
    "old/procedures/backup.md": "policies/backup.md",
    "old/logs/2025 log.md": "evidence/2025/2025-03-01-backup-log.md",
    "old/img/diagram.png": "evidence/2025/files/diagram.png",
}


def test_relative_links_point_at_the_new_places_with_their_anchors():
    text = ("See [access](../policies/Access%20Control.md#scope), "
            "[backup](../procedures/backup.md?x=1#restore) and "
            "[same](<2025 log.md#top>).\n")
    new, unresolved = rewrite(text, "old/logs/2025 log.md", None, MOVED)
    assert new == ("See [access](../../policies/access-control.md#scope), "
                   "[backup](../../policies/backup.md?x=1#restore) and "
                   "[same](<2025-03-01-backup-log.md#top>).\n")
    assert unresolved == []


def test_site_absolute_links_and_built_page_urls_are_found_by_their_path():
    text = ("[a](/policies/Access%20Control.md) [b](/procedures/backup/) [c](/procedures/backup) "
            "[d](../procedures/backup.html) [e](/policies/) [f](./)\n")
    new, unresolved = rewrite(text, "old/policies/Access Control.md", None, MOVED)
    assert new == ("[a](access-control.md) [b](backup.md) [c](backup.md) [d](backup.md) "
                   "[e](ig-framework.md) [f](ig-framework.md)\n")
    assert unresolved == []


def test_images_reference_definitions_and_html_links_are_rewritten():
    text = ('![Diagram](../img/diagram.png "The flow")\n\n'
            '[backup]: ../procedures/backup.md "Backup"\n'
            '<a href="../policies/Access Control.md">AC</a> <img src="../img/diagram.png">\n')
    new, _ = rewrite(text, "old/procedures/backup.md", None, MOVED)
    assert new == ('![Diagram](../evidence/2025/files/diagram.png "The flow")\n\n'
                   '[backup]: backup.md "Backup"\n'
                   '<a href="access-control.md">AC</a> '
                   '<img src="../evidence/2025/files/diagram.png">\n')


def test_external_links_anchors_and_code_are_left_alone():
    text = ("[w](https://example.org/x.md) [m](mailto:ig@example.org) [t](tel:+441234) "
            "[a](#scope) [p](//cdn.example/x.md) <https://example.org>\n"
            "`[c](../procedures/backup.md)`\n"
            "```\n[d](../procedures/backup.md)\n```\n")
    new, unresolved = rewrite(text, "old/policies/index.md", None, MOVED)
    assert new == text
    assert unresolved == []


def test_links_that_cannot_be_placed_are_left_and_reported_once():
    text = "[x](missing.md) [y](missing.md#a) [z](/nowhere/) [ok](backup.md)\n"
    new, unresolved = rewrite(text, "old/procedures/backup.md", None, MOVED)
    assert new == "[x](missing.md) [y](missing.md#a) [z](/nowhere/) [ok](backup.md)\n"
    assert unresolved == ["missing.md", "missing.md#a", "/nowhere/"]


def test_an_ambiguous_site_absolute_link_is_not_guessed():
    moved = {"a/x/policy.md": "policies/a.md", "b/x/policy.md": "policies/b.md",
             "c/doc.md": "policies/c.md"}
    new, unresolved = rewrite("[p](/x/policy.md)\n", "c/doc.md", None, moved)
    assert new == "[p](/x/policy.md)\n" and unresolved == ["/x/policy.md"]
    moved["c/x/policy.md"] = "policies/cx.md"  # beside the document: the site it came from
    new, unresolved = rewrite("[p](/x/policy.md)\n", "c/doc.md", None, moved)
    assert new == "[p](cx.md)\n" and unresolved == []


def test_the_new_place_can_be_given_when_moved_does_not_hold_the_document():
    new, _ = rewrite("[b](procedures/backup.md)\n", "old/readme.md", "evidence/2025/readme.md",
                     MOVED)
    assert new == "[b](../../policies/backup.md)\n"


def test_windows_paths_and_names_differing_only_in_case_still_match():
    new, _ = rewrite("[b](..\\Procedures\\Backup.md)\n", "old\\logs\\2025 log.md", None, MOVED)
    assert new == "[b](../../policies/backup.md)\n"
