"""``dspt portal pdf``: the audit pack, or any set of the portal's pages, as one PDF.

The pages are the portal's own: the same check run, the same :class:`~dsptkit.portal.site.Site`
and the same templates (overrides included) as the site and ``dspt portal export``, so no
fact is computed twice. They are put one after another into a single print document
(``templates/print.html``) and printed by Chromium, headless, with its own ``--print-to-pdf``:
a browser that already lays the site out, and prints CSS ``@page`` margin boxes (Chromium
131 and later) for the page numbers, the as-of date, the organisation and the title on
every page. dsptkit adds no PDF library.

Links in the document:

* between pages that are printed: links inside the PDF (to the page, or to the heading);
* to a page or file that is not printed: the published portal's address when mkdocs.yml
  sets ``site_url`` (and the page is in the public portal), otherwise plain text with the
  page's path in the portal beside it; never a relative link that leads nowhere;
* to other sites: left as they are.

The print document runs nothing: its Content-Security-Policy allows no script and loads
nothing (its own stylesheet by hash, images inlined as ``data:`` URIs), and no page the
portal renders holds a script. Images are only the raster attachments the portal shows.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import os
import posixpath
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from html import escape, unescape
from pathlib import Path
from urllib.parse import quote, unquote, urljoin

from markupsafe import Markup

from dsptkit.error_handler import hangups_interrupt
from dsptkit.errors import FatalError
from dsptkit.portal.site import Page, Site
from dsptkit.portal.templating import Renderer

DEFAULT_PAGE = "audit-pack.md"
CHROMIUM_VARIABLE = "DSPT_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
MARGIN_BOXES = 131  # the first Chromium that prints @page margin boxes (page numbers, date)
TIMEOUT = 180  # seconds for Chromium to print; a large set of pages takes a while
STYLE_HASH = "dspt-style-hash"  # replaced by the hash of the document's own <style>
CSP = ("default-src 'none'; script-src 'none'; style-src " + STYLE_HASH + "; img-src data:; "
       "font-src 'none'; connect-src 'none'; frame-src 'none'; object-src 'none'; "
       "base-uri 'none'; form-action 'none'")
IMAGES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
          ".gif": "image/gif", ".webp": "image/webp"}

# an HTML start or end tag as the templates and the sanitiser write them (attribute values
# double-quoted, '<' in text always escaped); '>' inside a quoted value does not end it
_TAG = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_ATTRIBUTE = re.compile(r'(\s)(href|src|id)="([^"]*)"')
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_TAGS = re.compile(r"<[^>]*>")
PLAIN = "span"  # what a link that leads nowhere in the PDF becomes
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class Refused(FatalError):
    """The PDF was not written: OUT exists, a page is not found, Chromium is missing or
    failed (exit 1, as the command's help says)."""

    exit_code = 1


@dataclass(frozen=True)
class Section:
    anchor: str  # the id of the page in the document, e.g. "p2-policies-access-control"
    title: str
    html: Markup  # the page as its template rendered it, links and ids rewritten


# ---------------------------------------------------------------------------- the pages


def select(pages: Iterable[Page], wanted: list[str]) -> list[Page]:
    """The pages named by ``--page`` (paths in the portal or globs, in the order given, each
    page once), or the audit pack. A path may be written as its page (``gaps.md``), its
    published file (``gaps.html``) or without either (``gaps``, ``policies/``)."""
    pages = list(pages)
    chosen: dict[str, Page] = {}
    for pattern in wanted or [DEFAULT_PAGE]:
        found = _matches(pages, pattern)
        if not found:
            raise Refused(_not_found(pattern, pages))
        for page in found:
            chosen.setdefault(page.path, page)
    return list(chosen.values())


def _matches(pages: list[Page], pattern: str) -> list[Page]:
    text = pattern.strip().replace("\\", "/").lstrip("/")
    while text.startswith("./"):
        text = text[2:]
    if text.endswith(".html"):
        text = text[:-5] + ".md"
    candidates = [text] if text.endswith(".md") else \
        [text + "index.md"] if text.endswith("/") else [text, text + ".md", text + "/index.md"]
    for candidate in candidates:
        found = [page for page in pages if fnmatchcase(page.path, candidate)]
        if found:
            return found
    return []


def _not_found(pattern: str, pages: list[Page]) -> str:
    paths = [page.path for page in pages]
    close = difflib.get_close_matches(pattern.strip(), paths, n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    return (f"--page {pattern}: no page of the portal has that path.{hint} A page is named by "
            "its path in the portal, as in its address with .md for .html (audit-pack.md, "
            "gaps.md, policies/access-control.md, evidence/EV-2026-017.md) or by a glob "
            "('policies/*'); 'dspt portal export DIR' lists every page in DIR/pages.json. "
            "A public build has no page for restricted evidence; nothing was written")


# ----------------------------------------------------------------------- the document


def anchor(index: int, path: str) -> str:
    """The id of a printed page in the document: unique, and readable in the PDF's outline
    of destinations (``p2-policies-access-control``)."""
    stem = path[:-3] if path.endswith(".md") else path
    return f"p{index}-" + re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")


class Relinker:
    """Rewrites one rendered page for the print document: ids made unique to the page,
    links between printed pages made links inside the document, other links to the portal
    made absolute (``site_url``) or plain text, images inlined."""

    def __init__(self, anchors: dict[str, str], site_url: str | None, published: set[str],
                 images: dict[str, Path]) -> None:
        self.anchors = anchors  # printed page path -> its anchor
        self.site_url = site_url.rstrip("/") + "/" if site_url else None
        self.published = published  # what the public portal at site_url holds
        self.images = images  # published path of an image attachment -> the file
        self._inlined: dict[str, str] = {}

    def page(self, html: str, here: str) -> str:
        """The page's HTML with its tags rewritten; text is left exactly as it was. A link
        that leads nowhere in the PDF becomes a ``span.dspt-unlinked``, its portal path in
        ``data-path`` for the print stylesheet to show after it (only where its text does
        not already name the page)."""
        prefix = self.anchors[here]
        out: list[str] = []
        position = 0
        # for each <a> open (they do not nest): when it became text, its path and where its
        # start tag is in ``out``; else None
        links: list[tuple[str, int] | None] = []
        svg = 0  # how deep inside inline SVG (the data map's diagram): links there stay <a>
        for match in _TAG.finditer(html):
            out.append(html[position:match.start()])
            position = match.end()
            closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
            if name == "svg" and not attributes.rstrip().endswith("/"):
                svg += -1 if closing else 1
            if not closing:
                out.append(self._start(name, attributes, here, prefix, links, len(out), svg > 0))
            elif name == "a" and links and (plain := links.pop()) is not None:
                path, at = plain
                text = unescape(_TAGS.sub("", "".join(out[at + 1:]))).strip()
                if not _names(text, path):
                    out[at] = out[at][:-1] + f' data-path="{escape(path)}">'
                out.append(f"</{PLAIN}>")
            else:
                out.append(match.group(0))
        out.append(html[position:])
        return "".join(out)

    def _start(self, name: str, attributes: str, here: str, prefix: str,
               links: list[tuple[str, int] | None], at: int, in_svg: bool = False) -> str:
        """A start tag rewritten: its id, link and image source. Inside SVG a link that
        leads nowhere stays an ``<a>`` without its target (a plain group there): a ``<span>``
        would end the SVG in an HTML parser, and what follows would not be drawn."""
        unlinked: list[str] = []

        def attribute(found: re.Match[str]) -> str:
            space, key, value = found.groups()
            if key == "id":
                return f'{space}id="{prefix}--{value}"'
            if key == "src" and name == "img":
                data = self._image(unescape(value), here)
                return f'{space}src="{data}"' if data else ""
            if key == "href" and name == "a":
                target, path = self._link(unescape(value), here, prefix)
                if target is None:
                    unlinked.append(path)
                    return ""
                return f'{space}href="{escape(target)}"'
            return found.group(0)

        attributes = _ATTRIBUTE.sub(attribute, attributes)
        if name == "details" and not re.search(r"\sopen\b", attributes):
            attributes += " open"  # printed open: a closed fold would hide what it holds
        if name == "a":
            links.append((unlinked[0], at) if unlinked and not in_svg else None)
            if unlinked and not in_svg:  # a link that leads nowhere in the PDF: its text alone
                name = PLAIN
                attributes = re.sub(r'\s(download|rel|target)(="[^"]*")?', "", attributes)
                attributes = re.sub(r'\sclass="([^"]*)"', r' class="\1 dspt-unlinked"', attributes) \
                    if 'class="' in attributes else attributes + ' class="dspt-unlinked"'
        return f"<{name}{attributes}>"

    def _link(self, href: str, here: str, prefix: str) -> tuple[str | None, str]:
        """Where a link in the page ``here`` goes in the PDF: (href, "") or (None, the
        portal path to show as text)."""
        if href.startswith("#"):
            return (f"#{prefix}--{href[1:]}" if href[1:] else f"#{prefix}"), ""
        if _SCHEME.match(href) or href.startswith("//"):
            return href, ""  # another site, or mailto:
        target, _, fragment = href.partition("#")
        path = posixpath.normpath(posixpath.join(posixpath.dirname(here), unquote(target)))
        if path.startswith("../") or path == "..":
            return None, unquote(target)
        page = path[:-5] + ".md" if path.endswith(".html") else path
        if page in self.anchors:
            start = self.anchors[page]
            return (f"#{start}--{fragment}" if fragment else f"#{start}"), ""
        if self.site_url and path in self.published:
            return urljoin(self.site_url, quote(path, safe="/")) + \
                (f"#{fragment}" if fragment else ""), ""
        return None, path

    def _image(self, src: str, here: str) -> str | None:
        """An attachment shown as an image, inlined as a data: URI; anything else is dropped."""
        if _SCHEME.match(src) or src.startswith("//"):
            return src if src.startswith("data:image/") else None
        path = posixpath.normpath(posixpath.join(posixpath.dirname(here), unquote(src)))
        file = self.images.get(path)
        if file is None:
            return None
        if path not in self._inlined:
            try:
                data = file.read_bytes()
            except OSError:
                return None
            encoded = base64.b64encode(data).decode("ascii")
            self._inlined[path] = f"data:{IMAGES[file.suffix.lower()]};base64,{encoded}"
        return self._inlined[path]


def _names(text: str, path: str) -> bool:
    """Whether a link's text already names the page it led to: an ID such as EV-2026-017,
    dspt:4.5.3 or CL102, whose page is evidence/EV-2026-017.html, items/dspt-4.5.3.html,
    rules/CL102.html. Such a link becomes its text alone, without the path."""
    stem = posixpath.basename(path)
    stem = stem[:-5] if stem.endswith(".html") else stem
    return bool(text) and text.replace(":", "-") == stem


def document(site: Site, renderer: Renderer, pages: list[Page], *, site_url: str | None,
             published: set[str], root: Path) -> str:
    """The print document for ``pages``: each page rendered by its template, in order."""
    anchors = {page.path: anchor(n, page.path) for n, page in enumerate(pages, 1)}
    images = {asset.path: root / asset.source for asset in site.assets
              if asset.packed is None and Path(asset.source).suffix.lower() in IMAGES}
    relinker = Relinker(anchors, site_url, published, images)
    sections = [Section(anchors[page.path], page.title,
                        Markup(relinker.page(renderer.render(page).html, page.path)))
                for page in pages]
    view = site.view
    organisation = view.organisation.name if view.organisation else "Evidence repository"
    title = pages[0].title if len(pages) == 1 else f"{len(pages)} pages of the evidence portal"
    html = renderer.env.get_template("print.html").render(
        sections=sections, document_title=title, organisation=organisation,
        header=f"{organisation} — {title}", as_of=site.as_of, internal=not site.public,
        footer="Internal build: do not publish" if not site.public else "Public build",
        csp=Markup(CSP))
    hashes = dict.fromkeys(  # the template's own <style> elements (pages hold none)
        "'sha256-" + base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode()
        + "'" for style in _STYLE.findall(html))
    return html.replace(STYLE_HASH, " ".join(hashes) or "'none'", 1)


# ------------------------------------------------------------------------ printing


def find_chromium() -> str:
    """Chromium (or Google Chrome): ``DSPT_CHROMIUM``, else the first on PATH."""
    given = os.environ.get(CHROMIUM_VARIABLE, "").strip()
    if given:
        found = shutil.which(given)
        if found is None:
            raise Refused(f"{CHROMIUM_VARIABLE}={given}: no such program; set it to Chromium's "
                          "path (or unset it to look for chromium on PATH); nothing was written")
        return found
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise Refused("dspt portal pdf prints with Chromium, and none was found: install it "
                  "(Debian and Ubuntu: apt install chromium; macOS: install Google Chrome) or "
                  f"set {CHROMIUM_VARIABLE} to its path; nothing was written")


def chromium_version(program: str) -> int | None:
    """Chromium's major version, or None when it does not say."""
    try:
        done = subprocess.run([program, "--version"], capture_output=True, text=True,
                              timeout=30, check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r"(\d+)\.\d+\.\d+", done.stdout)
    return int(found.group(1)) if found else None


def flags(profile: Path) -> list[str]:
    """Headless, printing only: no sandbox as root (Chromium refuses to run as root with
    it), no GPU, nothing fetched or synced, a fresh profile. (Turning scripts off with
    ``--blink-settings`` stops headless printing altogether; the document's
    Content-Security-Policy forbids them instead, and it holds none.)"""
    sandbox = ["--no-sandbox"] if os.name == "posix" and os.geteuid() == 0 or \
        os.environ.get("DSPT_CHROMIUM_NO_SANDBOX") == "1" else []
    return ["--headless", *sandbox, "--disable-gpu", "--disable-quic", "--no-first-run",
            "--no-default-browser-check", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions",
            "--disable-breakpad", "--mute-audio",
            f"--user-data-dir={profile}", "--no-pdf-header-footer"]


def print_pdf(html: str, program: str, timeout: float = TIMEOUT) -> bytes:
    """The print document printed by Chromium; its temporary files are removed."""
    with tempfile.TemporaryDirectory(prefix="dspt-pdf-", ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        source = folder / "print.html"
        source.write_text(html, encoding="utf-8")
        output = folder / "out.pdf"
        command = [program, *flags(folder / "profile"), f"--print-to-pdf={output}",
                   source.as_uri()]
        with hangups_interrupt():  # a kill or a closed terminal tidies up as Ctrl-C does
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       stdin=subprocess.DEVNULL, start_new_session=True,
                                       env=dict(os.environ, HOME=str(folder)))
            try:
                _, err = process.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                _stop(process)
                raise Refused(f"Chromium did not finish printing in {timeout:g} seconds; "
                              "nothing was written") from None
            except BaseException:
                _stop(process)
                raise
            finally:
                _stop(process, only_children=True)
        data = output.read_bytes() if output.is_file() else b""
        if process.returncode != 0 or not data.startswith(b"%PDF-"):
            raise Refused("Chromium could not print the PDF" + _why(err.decode("utf-8", "replace"))
                          + "; nothing was written")
        return data


def _stop(process: subprocess.Popen[bytes], only_children: bool = False) -> None:
    """End Chromium's process group (the helpers it started), then Chromium itself."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):
        pass
    if not only_children:
        process.kill()
        try:  # a helper Chromium started in a session of its own may hold the pipes open
            process.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            for pipe in (process.stdout, process.stderr):
                if pipe is not None:
                    pipe.close()
            process.wait(timeout=5)


def _why(stderr: str) -> str:
    """Chromium's own words about the failure, without its routine noise (D-Bus and the
    like, which a headless machine has none of)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()
             and "dbus" not in line.lower() and "unexpected operator" not in line]
    if any("sandbox" in line.lower() for line in lines):
        lines.append("(where Chromium's sandbox cannot run, set DSPT_CHROMIUM_NO_SANDBOX=1)")
    return (": " + " / ".join(lines[-3:])) if lines else ""
