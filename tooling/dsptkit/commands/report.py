"""``dspt report board``: the quarterly board report (:mod:`dsptkit.report.board`).

Markdown to standard output, or to ``--output FILE``; ``--format pdf`` prints the portal's
internal Board report page (:mod:`dsptkit.portal.pages.board`) with headless Chromium, as
``dspt portal pdf`` prints its pages. A file that exists is never replaced.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dsptkit import pipeline
from dsptkit.commands._shared import repository_root, write
from dsptkit.errors import FatalError, UsageError


class Refused(FatalError):
    """The report was not written: OUT exists, or the PDF could not be printed (exit 1)."""

    exit_code = 1


def run(args: argparse.Namespace) -> int:
    if args.kind == "board":
        return board(args)
    raise UsageError(f"no such report: {args.kind}")  # argparse allows only board


def board(args: argparse.Namespace) -> int:
    from dsptkit.report import board as report

    root = Path(repository_root(args))
    as_of = pipeline.assessment_date(args.as_of)
    quarter = report.quarter_for(args.quarter, as_of)
    output = Path(args.output) if args.output else None
    if args.format == "pdf" and output is None:
        raise UsageError("--format pdf writes a file: give it with --output FILE.pdf")
    if output is not None:
        _refuse_existing(output)
    program = None
    if args.format == "pdf":
        from dsptkit.portal import needs_extra

        missing = needs_extra("dspt report board --format pdf")
        if missing:
            raise UsageError(missing)
        program = _chromium()  # before the runs: say at once when there is none
    now = pipeline.run(root, as_of)
    built = report.report(now, quarter)
    if args.format == "pdf":
        assert output is not None and program is not None
        data = _pdf(root, now, built, program)
        _write(output, data)
        print(f"wrote {output}: the board report for {quarter.name} as of "
              f"{built.as_of.isoformat()} (internal: do not publish it)")
        return 0
    text = report.markdown(built)
    if output is None:
        write(text)
        return 0
    _write(output, text.encode("utf-8"))
    print(f"wrote {output}: the board report for {quarter.name} as of {built.as_of.isoformat()}")
    return 0


def _refuse_existing(output: Path) -> None:
    if output.exists() or output.is_symlink():
        raise Refused(f"{output} exists; dspt report board writes a new file and replaces "
                      "nothing; nothing was written")
    if not output.parent.is_dir():
        raise UsageError(f"{output.parent}: no such folder; nothing was written")


def _write(output: Path, data: bytes) -> None:
    from dsptkit.writing import write_new  # atomic; refuses to replace

    try:
        write_new(output, data)
    except FileExistsError:
        raise Refused(f"{output} appeared while the report was made; it was left as it was "
                      "and nothing was written") from None
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror}; nothing was written") from None


def _chromium() -> str:
    from dsptkit.portal import pdf as printing

    try:
        program = printing.find_chromium()
    except printing.Refused as exc:
        raise Refused(str(exc).replace("dspt portal pdf", "dspt report board --format pdf")) \
            from None
    version = printing.chromium_version(program)
    if version is not None and version < printing.MARGIN_BOXES:
        raise Refused(f"{program} is Chromium {version}; the PDF needs {printing.MARGIN_BOXES} "
                      "or later, which prints the page numbers and the date in the page margins; "
                      "nothing was written")
    return program


def _pdf(root: Path, now, built, program: str) -> bytes:  # type: ignore[no-untyped-def]
    """The internal portal's Board report page, alone, printed as ``dspt portal pdf`` prints
    pages: the same template (overrides included) and print document."""
    from dsptkit.commands.portal import custom_dir
    from dsptkit.portal import pdf as printing
    from dsptkit.portal.pages import board as board_page
    from dsptkit.portal.site import Site
    from dsptkit.portal.templating import Renderer
    from dsptkit.portal.view import SiteView

    view = SiteView(now, internal=True)  # the build's words for people, badges and links
    page = board_page.page(view, built)
    site = Site([page], [], view, built.now.headline, built.as_of, False)
    html = printing.document(site, Renderer(site, custom_dir(root)), [page], site_url=None,
                             published=set(), root=root)
    try:
        return printing.print_pdf(html, program)
    except printing.Refused as exc:
        raise Refused(str(exc)) from None

