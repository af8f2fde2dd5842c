"""Markdown as adopted documents write it, through the portal's own render function."""

from __future__ import annotations

import pytest

from dsptkit.portal.sanitise import Document, render

NESTED = "<ul>\n<li>a<ul>\n<li>b<ul>\n<li>c</li>\n</ul>\n</li>\n</ul>\n</li>\n<li>d</li>\n</ul>"


@pytest.mark.parametrize("text", [
    "- a\n  - b\n    - c\n- d\n",  # two spaces, as GitHub and most editors write it
    "- a\n    - b\n        - c\n- d\n",  # four, as Python-Markdown wants
    "* a\n   * b\n      * c\n* d\n",  # three
])
def test_nested_lists_nest_whatever_the_indent(text):
    assert render(text) == NESTED


def test_ordered_lists_and_mixed_nesting():
    assert render("1. one\n   - sub\n2. two\n") == (
        "<ol>\n<li>one<ul>\n<li>sub</li>\n</ul>\n</li>\n<li>two</li>\n</ol>")
    assert render("- a\n  1. x\n  2. y\n- b\n") == (
        "<ul>\n<li>a<ol>\n<li>x</li>\n<li>y</li>\n</ol>\n</li>\n<li>b</li>\n</ul>")


def test_a_two_space_item_keeps_its_paragraphs_and_code():
    html = render("- a\n  - b\n\n  More about a.\n\n      code in a\n\nAfter the list.\n")
    assert html == ("<ul>\n<li>\n<p>a</p>\n<ul>\n<li>b</li>\n</ul>\n<p>More about a.</p>\n"
                    "<pre><code>code in a\n</code></pre>\n</li>\n</ul>\n<p>After the list.</p>")


def test_four_space_documents_render_exactly_as_before():
    text = "- a\n\n    para\n\n        code\n\n- b\n    - c\n"
    import markdown

    plain = markdown.markdown(text, extensions=["tables", "fenced_code", "sane_lists"])
    assert render(text) == plain


def test_lists_in_code_blocks_are_untouched():
    assert render("```\n- a\n  - b\n```\n") == "<pre><code>- a\n  - b\n</code></pre>"


def test_placeholders_are_marked_and_code_is_not():
    html = render("Signed: {{ siro_name }} (SIRO), {{Practice Name}}.\n\n`{{ raw }}`\n")
    assert html == ('<p>Signed: <mark class="dspt-placeholder">{{ siro_name }}</mark> (SIRO), '
                    '<mark class="dspt-placeholder">{{ Practice Name }}</mark>.</p>\n'
                    "<p><code>{{ raw }}</code></p>")


def test_placeholders_inside_tables_and_lists_are_marked():
    html = render("| Role | Name |\n|---|---|\n| SIRO | {{ siro }} |\n\n- Owner: {{ owner }}\n")
    assert html.count('<mark class="dspt-placeholder">') == 2


def test_the_marker_opens_nothing_else():
    html = render('{{ <script>alert(1)</script> }} <mark class="dspt-placeholder x" '
                  'onclick="alert(1)" style="color:red">m</mark> <span class="dspt-placeholder">s</span>'
                  ' <mark class="md-nav">n</mark>')
    assert "<script" not in html and "onclick" not in html and "style" not in html
    assert html.startswith("<p>{{  }} ")  # not a name: not marked (and the script is gone)
    assert '<span class="dspt-placeholder">' not in html and 'class="md-nav"' not in html


def test_documents_in_templates_render_the_same_way():
    assert str(Document("- a\n  - b\n")) == "<ul>\n<li>a<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>"


def test_links_between_documents_lead_to_their_pages_in_the_portal(repo):
    from dsptkit import pipeline
    from portal_helpers import rendered_pages

    repo.write("policies/incident.md", "---\nid: incident\ntitle: Incident procedure\n"
               "version: \"1.0\"\nstatus: draft\nowner: siro\nclaims: []\n---\n# Incident\n")
    text = (repo.root / "policies/governance.md").read_text()
    repo.write("policies/governance.md", text + "\nSee the [incident procedure](incident.md#report) "
               "and the [record](../evidence/2026/ico.md), not [this](../README.md).\n")
    html = rendered_pages(pipeline.run(repo.root, "2026-07-01"))["policies/governance.md"]
    assert '<a href="incident.html#report"' in html
    assert '<a href="../evidence/EV-1.html"' in html
    assert "README" not in html  # a link into the repository, not the site, is dropped
