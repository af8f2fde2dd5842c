"""Pages as data, rendered by templates: what each page shows, whatever generator builds it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from conftest import ROOT
from dsptkit import pipeline
from dsptkit.portal.links import url
from dsptkit.portal.site import build_site
from dsptkit.portal.templating import Renderer, toc
from portal_helpers import rendered_pages

PORTAL = ROOT / "tooling/dsptkit/portal"


def test_relative_urls_between_pages():
    assert url("index.md", "items/dspt-1.1.1.md") == "items/dspt-1.1.1.html"
    assert url("items/a.md", "items/b.md") == "b.html"
    assert url("evidence/EV-1.md", "evidence/files/EV-1/x.png") == "files/EV-1/x.png"
    assert url("items/x.md", "policies/y.md#claims") == "../policies/y.html#claims"
    assert url("a/b/c.md", "index.md") == "../../index.html"


def test_no_portal_module_is_over_400_lines():
    sizes = {str(p.relative_to(PORTAL)): len(p.read_text().splitlines())
             for p in PORTAL.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 400} == {}
    assert not (PORTAL / "render.py").exists() and not (PORTAL / "pages.py").exists()


def test_no_page_builder_writes_html():
    """HTML lives in the templates: the builders and helpers hand over data only."""
    tags = re.compile(r"""["']<(?:a|p|div|span|table|tr|td|th|h[1-6]|svg|img|code|strong)\b""")
    found = [str(p.relative_to(PORTAL)) for p in PORTAL.rglob("*.py") if tags.search(p.read_text())]
    assert found == []


def test_pages_are_data_with_plain_titles_and_templates(repo):
    run = pipeline.run(repo.root, date(2026, 7, 1))
    site = build_site(run)
    paths = {p.path: p for p in site.pages}
    assert paths["evidence/EV-1.md"].title == "EV-1 ICO registration checked"
    assert paths["evidence/EV-1.md"].template == "evidence.html"
    assert paths["evidence/EV-1.md"].context["ev"].id == "EV-1"
    assert all((PORTAL / "templates" / p.template).is_file() for p in site.pages)


def test_pages_leave_restricted_evidence_out_unless_internal(repo):
    repo.write("evidence/2026/secret.md", "---\nid: EV-S\ntitle: Secret thing\n"
                                          "collected: 2026-06-02\nby: bob\nsupports: [GV-1]\n"
                                          "outcome: pass\nclassification: restricted\n---\n")
    run = pipeline.run(repo.root, date(2026, 7, 1))
    public = rendered_pages(run)
    assert "evidence/EV-S.md" not in public
    assert not any("Secret thing" in html or "EV-S" in html for html in public.values())
    assert "1 restricted record not published." in public["policies/governance.md"]
    internal = rendered_pages(run, internal=True)
    assert "Secret thing" in internal["evidence/EV-S.md"]


def test_user_text_is_escaped_in_every_page(repo):
    repo.write("evidence/2026/e2.md", "---\nid: EV-2\ntitle: <b onmouseover=x>Bold</b>\n"
                                      "collected: 2026-06-02\nby: bob\nsupports: [GV-1]\n"
                                      "outcome: pass\n---\n")
    run = pipeline.run(repo.root, date(2026, 7, 1))
    pages = rendered_pages(run)
    assert not any("<b onmouseover" in html for html in pages.values())
    assert "&lt;b onmouseover=x&gt;Bold&lt;/b&gt;" in pages["evidence/EV-2.md"]
    site = build_site(run)
    page = next(p for p in site.pages if p.path == "evidence/EV-2.md")
    assert page.title == "EV-2 <b onmouseover=x>Bold</b>"  # plain text, as written
    assert page.front_matter().startswith(  # MkDocs reads meta titles as HTML: escaped
        '---\ntitle: "EV-2 &lt;b onmouseover=x&gt;Bold&lt;/b&gt;"\n')


def test_peoples_markdown_goes_through_markdown_and_the_sanitiser():
    from dsptkit.portal.sanitise import Document, render

    assert render("# Title\n\nSome *emphasis* and a list:\n\n- one\n- two\n") == \
        "<h1>Title</h1>\n<p>Some <em>emphasis</em> and a list:</p>\n<ul>\n<li>one</li>\n" \
        "<li>two</li>\n</ul>"
    assert render("<script>alert(1)</script><img src=x onerror=alert(2)>").strip() == \
        "<p><img></p>"  # no script, no handler, and no relative link into the repository
    assert render('<a href="javascript:x()">click</a>') == \
        '<p><a rel="noopener noreferrer">click</a></p>'
    assert render("[see](../policies/x.md)") == "<p><a rel=\"noopener noreferrer\">see</a></p>"
    doc = Document("Plain text & more")
    assert doc.__html__() == "<p>Plain text &amp; more</p>" and doc
    assert not Document("  \n")


def test_peoples_markdown_never_makes_the_browser_fetch_from_another_host():
    from dsptkit.portal.sanitise import attachment_rewriter, render

    assert render("![a chart](https://img.example.net/c.png)") == \
        '<p><a href="https://img.example.net/c.png" rel="noopener noreferrer">a chart</a></p>'
    assert render("![](//img.example.net/c.png) ![x](data:image/png;base64,AA==)") == \
        "<p><span>c.png</span> <span>x</span></p>"
    assert render('<img src="https://img.example.net/c.png" alt="c"><iframe src="https://'
                  'f.example.net/"></iframe><object data="https://o.example.net/"></object>'
                  '<video src="https://v.example.net/"></video>') == '<p><img alt="c"></p>'
    rewrite = attachment_rewriter({"shot one.png": ("files/EV-1/shot one.png", True),
                                   "d.svg": ("files/EV-1/d.svg.zip", False)})
    assert render("![s](shot%20one.png) ![d](d.svg) [d](./d.svg) ![o](../other.png)",
                  rewrite) == '<p><img alt="s" src="files/EV-1/shot%20one.png"> ' \
        '<a href="files/EV-1/d.svg.zip" rel="noopener noreferrer">d</a> ' \
        '<a href="files/EV-1/d.svg.zip" rel="noopener noreferrer">d</a> <span>o</span></p>'
    assert render('<img src="d.svg">', rewrite) == "<p><img></p>"  # only images shown


def test_the_table_of_contents_comes_from_the_pages_own_headings():
    tokens = toc('<h1 id="t">T</h1><h2 id="a">A &amp; B</h2><h3 id="c">C <span>x</span></h3>'
                 '<div><h2>no id: a document heading</h2></div><h2 id="d">D</h2>')
    assert [(t["id"], t["name"]) for t in tokens] == [("t", "T")]
    assert [(c["id"], c["name"]) for c in tokens[0]["children"]] == [("a", "A &amp; B"),
                                                                     ("d", "D")]
    assert tokens[0]["children"][0]["children"][0]["name"] == "C x"


def test_the_chart_labels_both_axes_with_dates_and_counts():
    from dsptkit.portal.chart import Series, line_chart, nice_step
    from dsptkit.portal.templating import environment

    chart = line_chart([Series("met", [("2026-01", 3), ("2026-02", None), ("2026-03", 39)],
                               "reconstructed")], 39, "Mandatory items met", "Month end",
                       "Mandatory items met")
    assert [t.label for t in chart.x_ticks] == ["2026-01", "2026-02", "2026-03"]
    assert [t.label for t in chart.y_ticks] == ["0", "10", "20", "30", "40"]
    assert (nice_step(4), nice_step(12), nice_step(39), nice_step(260)) == (1, 5, 10, 100)
    svg = environment().get_template("chart.html").render(chart=chart)
    assert 'class="axis-title x-title"' in svg and ">Month end</text>" in svg
    assert 'class="axis-title y-title"' in svg and ">Mandatory items met</text>" in svg
    assert ">2026-02</text>" in svg and ">40</text>" in svg


def test_a_template_in_the_sites_custom_dir_overrides_the_packaged_one(repo, tmp_path: Path):
    custom = tmp_path / "overrides"
    (custom / "dspt").mkdir(parents=True)
    (custom / "dspt/evidence.html").write_text(
        '{% extends "dsptkit/evidence.html" %}{% block record %}<p class="ours">Our own '
        "record block for {{ ev.id }}</p>{% endblock %}")
    run = pipeline.run(repo.root, date(2026, 7, 1))
    pages = rendered_pages(run, custom_dir=custom)
    assert '<p class="ours">Our own record block for EV-1</p>' in pages["evidence/EV-1.md"]
    assert "Checked the register." not in pages["evidence/EV-1.md"]
    assert "Collected" in pages["evidence/EV-1.md"]  # the rest of the shipped template
    assert Renderer(build_site(run), custom).env.autoescape is True
