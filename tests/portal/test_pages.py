"""Page builders as pure functions: the same pages whatever generator renders them."""

from __future__ import annotations

from datetime import date

from dsptkit import pipeline
from dsptkit.portal.html import url
from dsptkit.portal.pages import build_site
from dsptkit.portal.render import to_html


def test_relative_urls_between_pages():
    assert url("index.md", "items/dspt-1.1.1.md") == "items/dspt-1.1.1.html"
    assert url("items/a.md", "items/b.md") == "b.html"
    assert url("evidence/EV-1.md", "evidence/files/EV-1/x.png") == "files/EV-1/x.png"
    assert url("items/x.md", "policies/y.md#claims") == "../policies/y.html#claims"
    assert url("a/b/c.md", "index.md") == "../../index.html"


def test_the_renderer_handles_the_builders_markdown_and_passes_html_through():
    html, toc = to_html("# Title\n\nSome *emphasis*, **strong** and `code`.\n\n## Part\n\n"
                        "<!--dspt:html-->\n<table>\n\n<tr><td>*kept*</td></tr></table>\n"
                        "<!--/dspt:html-->\n\n### Sub\n\n## Part\n")
    assert html.splitlines() == [
        '<h1 id="title">Title</h1>',
        "<p>Some <em>emphasis</em>, <strong>strong</strong> and <code>code</code>.</p>",
        '<h2 id="part">Part</h2>',
        "<table>", "", "<tr><td>*kept*</td></tr></table>",
        '<h3 id="sub">Sub</h3>',
        '<h2 id="part_1">Part</h2>',
    ]
    assert [(t["id"], [c["id"] for c in t["children"]]) for t in toc] == \
        [("title", ["part", "part_1"])]
    assert toc[0]["children"][0]["children"][0]["id"] == "sub"


def test_pages_leave_restricted_evidence_out_unless_internal(repo):
    repo.write("evidence/2026/secret.md", "---\nid: EV-S\ntitle: Secret thing\n"
                                          "collected: 2026-06-02\nby: bob\nsupports: [GV-1]\n"
                                          "outcome: pass\nclassification: restricted\n---\n")
    run = pipeline.run(repo.root, date(2026, 7, 1))
    public = build_site(run)
    assert "evidence/EV-S.md" not in {p.path for p in public.pages}
    assert not any("Secret thing" in p.markdown or "EV-S" in p.markdown for p in public.pages)
    internal = build_site(run, internal=True)
    assert "evidence/EV-S.md" in {p.path for p in internal.pages}


def test_user_text_is_escaped_in_every_page(repo):
    repo.write("evidence/2026/e2.md", "---\nid: EV-2\ntitle: <b onmouseover=x>Bold</b>\n"
                                      "collected: 2026-06-02\nby: bob\nsupports: [GV-1]\n"
                                      "outcome: pass\n---\n")
    run = pipeline.run(repo.root, date(2026, 7, 1))
    site = build_site(run)
    assert not any("<b onmouseover" in p.markdown for p in site.pages)
    assert any("&lt;b onmouseover=x&gt;Bold&lt;/b&gt;" in p.markdown for p in site.pages)


def test_plain_records_render_as_the_markdown_parser_would():
    from dsptkit.portal import sanitise

    for text in ("# Title\n\nOne paragraph,\nover two lines.\n\nAnother one.\n",
                 "Just text with 100% (brackets) and a colon: here.\n",
                 "## Heading\nnot separated\n"):
        fast = sanitise._plain(text)
        full = sanitise.nh3.clean(sanitise._MARKDOWN.reset().convert(text),
                                  tags=sanitise.TAGS, attributes=sanitise.ATTRIBUTES)
        assert fast is None or fast == full, text
    assert sanitise._plain("# Title\n\nText.\n") == "<h1>Title</h1>\n<p>Text.</p>"
    assert sanitise._plain("- a list\n") is None
    assert sanitise._plain("Some *emphasis*\n") is None
    assert sanitise._plain("<script>x</script>") is None
