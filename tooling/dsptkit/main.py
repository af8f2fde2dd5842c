"""The ``dspt`` command line: parse arguments and dispatch to one module per verb."""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence

from dsptkit import parsers
from dsptkit.error_handler import Exit, error_handler

# commands whose parsers live in parsers.py; their code is imported only when run
AUTHORING = ("init", "new", "hash", "adopt", "portal", "diff", "history", "snapshot",
             "completion", "due", "ack", "report")


class _Version(argparse.Action):
    """--version, read from the installed package's metadata only when asked for."""

    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[no-untyped-def]
        import dsptkit

        print(f"dspt {dsptkit.__version__}")
        parser.exit()


def _codes(text: str) -> list[str]:
    return [part.strip().upper() for part in text.split(",") if part.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dspt",
        description="Keep an NHS DSPT evidence repository honest: every claim backed by "
                    "current, dated evidence.",
        epilog="Exit codes: 0 clean, 1 errors (or findings with --strict), 2 usage or "
               "internal error. 'dspt COMMAND --help' explains each command.",
    )
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="show dsptkit's version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="lint the repository: broken files and compliance gaps",
                           description="Check every policy, evidence file, register and "
                                       "catalogue. Errors (the repository is broken) fail the "
                                       "run; findings (compliance gaps) and warnings fail it "
                                       "only with --strict.")
    parsers.common(check)
    check.add_argument("--format", choices=("text", "json", "sarif", "github"), default="text",
                       help="output format (default: text, 'path:line:col: CODE message'; json "
                            "and sarif for tools, github for workflow annotations)")
    check.add_argument("--brief", action="store_true",
                       help="text output for a commit hook: the errors in full, then one line "
                            "counting findings and warnings")
    check.add_argument("--staged", action="store_true",
                       help="check the files as the next commit would hold them (git's index: "
                            "what 'git add' staged), not the working folder; untracked files "
                            "and unstaged edits are left out (the commit hook's mode)")
    check.add_argument("--strict", action="store_true",
                       help="also fail (exit 1) on findings and warnings")
    check.add_argument("--select", metavar="CODES", type=_codes, action="extend",
                       help="run only rules whose code starts with one of these "
                            "(comma-separated, e.g. CL,PD001); replaces check.select in "
                            "organisation.yaml")
    check.add_argument("--ignore", metavar="CODES", type=_codes, action="extend", default=[],
                       help="skip rules whose code starts with one of these; adds to "
                            "check.ignore in organisation.yaml")

    status = sub.add_parser("status", help="the compliance position per standard",
                            description="Print each catalogue item's status as of a date and "
                                        "the overall position (Standards Exceeded, Standards "
                                        "Met, Approaching Standards or Standards Not Met).")
    parsers.common(status)
    status.add_argument("--format", choices=("text", "json"), default="text",
                        help="output format (default: text)")

    scope = sub.add_parser("scope", help="the data map: what data, where, who touches it, "
                                         "what is missing",
                           description="Scope the organisation's data as the DSPT guides ask: "
                                       "the patient and personal data held (each information "
                                       "asset: categories, where it is hosted, owner, volume), "
                                       "the suppliers and outside parties who touch it, how it "
                                       "moves (data flows), why it is processed (lawful basis), "
                                       "and what is missing: the data map's gaps as 'dspt "
                                       "check' reports them, with path:line, and what the "
                                       "registers do not record. Read from "
                                       "evidence/registers/ (information-assets.yaml, "
                                       "processing.yaml, data-flows.yaml, suppliers.yaml, "
                                       "assets.yaml); docs/scope.md explains it.",
                           epilog="Exit codes: 0 shown (gaps in the map do not fail it), 1 the "
                                  "repository has errors (the map may be incomplete; 'dspt "
                                  "check' lists them), 2 usage error.")
    parsers.common(scope)
    scope.add_argument("--format", choices=("text", "json"), default="text",
                       help="output format (default: text)")
    scope.add_argument("--patient-only", action="store_true",
                       help="show only information assets, activities, flows, suppliers and "
                            "parties with patient data (or where it is not recorded whether); "
                            "what is missing is still the whole map's")

    rules = sub.add_parser("rules", help="list the rules, or explain one",
                           description="List every rule with its code, severity and name, or "
                                       "explain one rule in full.")
    rules.add_argument("code", nargs="?", help="a rule code (e.g. CL102) or name")
    rules.add_argument("--format", choices=("text", "json"), default="text")

    catalogue = sub.add_parser("catalogue", help="take in a new edition of a catalogue",
                               description="Work with catalogue files such as "
                                           "standards/dspt/catalogue.yaml. 'dspt catalogue diff "
                                           "OLD NEW' shows what a new DSPT edition changes, to "
                                           "take it in with care (docs/catalogue.md).")
    catalogue_actions = catalogue.add_subparsers(dest="action", metavar="ACTION", required=True)
    catalogue_diff = catalogue_actions.add_parser(
        "diff", help="what changes between two editions of a catalogue",
        description="Compare two catalogue files, such as last year's and this year's "
                    "standards/dspt/catalogue.yaml, read as dspt check reads them: items added "
                    "and removed, levels changed per organisation category, cadences "
                    "(evidence_every) changed, and items to re-read because their ID is kept "
                    "but their title, answer type or not-applicable allowance changed. Also "
                    "each edition's name, deadline and published counts.",
        epilog="Exit codes: 0 compared (whether or not anything differs), 1 a file cannot be "
               "read or is not a valid catalogue, 2 usage error.")
    catalogue_diff.add_argument("old", metavar="OLD", help="the catalogue you have, e.g. a copy "
                                                           "of last year's edition")
    catalogue_diff.add_argument("new", metavar="NEW", help="the new edition's catalogue")
    catalogue_diff.add_argument("--format", choices=("text", "json"), default="text",
                                help="output format (default: text)")
    catalogue_diff.add_argument("--category", choices=("2", "3", "4"),
                                help="show only this organisation category's levels and counts")

    export = sub.add_parser("export", help="draft the DSPT submission to copy into the DSPT",
                            description="Write the DSPT submission drafted from the repository "
                                        "into OUT (new or empty, outside the repository): "
                                        "submission.md, .csv and .json with the profile, a "
                                        "proposed answer, comment and documents for every item, "
                                        "and the action plan; the documents to upload under "
                                        "documents/ (docs/export.md).",
                            epilog="Exit codes: 0 written, 1 refused (errors in the repository, "
                                   "OUT not empty or inside the repository), 2 usage error.")
    export.add_argument("directory", metavar="OUT", help="the folder to write (new or empty)")
    export.add_argument("--repo", metavar="DIR", default=None,
                        help="the evidence repository (default: found from the current folder)")
    export.add_argument("--as-of", metavar="DATE|today|deadline", default=None,
                        help="assess on this date (YYYY-MM-DD), today, or the next publication "
                             "deadline (default: DSPT_AS_OF if set, else today)")
    export.add_argument("--format", dest="formats", metavar="md,csv,json", default="md,csv,json",
                        help="which files to write, comma-separated (default: all three)")
    export.add_argument("--include-restricted", action="store_true",
                        help="copy restricted evidence files too (otherwise listed, not copied)")

    for name in AUTHORING:
        getattr(parsers, f"add_{name}")(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # A run is short and its objects live to the end: the cyclic garbage collector would
    # only re-walk them (measured: 10-15% of a large check). Reference counting still frees.
    gc.disable()
    try:
        return _main(argv)
    finally:
        gc.enable()


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    if argv is None and "_ARGCOMPLETE" in os.environ:
        # A shell asking for completions (the code `dspt completion SHELL` prints): argcomplete
        # answers from the parser and exits (options are offered once a "-" is typed). Imported
        # only then: a normal run never pays for it.
        import argcomplete

        argcomplete.autocomplete(parser, always_complete_options=False)
    args = parser.parse_args(argv)
    try:
        with error_handler():
            if args.command == "check":
                from dsptkit.commands import check
                return check.run(args)
            if args.command == "status":
                from dsptkit.commands import status
                return status.run(args)
            if args.command == "scope":
                from dsptkit.commands import scope
                return scope.run(args)
            if args.command == "rules":
                from dsptkit.commands import rules
                return rules.run(args)
            if args.command == "catalogue":
                from dsptkit.commands import catalogue
                return catalogue.run(args)
            if args.command == "export":
                from dsptkit.commands import export
                return export.run(args)
            if args.command in AUTHORING:
                return importlib.import_module(f"dsptkit.commands.{args.command}").run(args)
            parser.print_help(sys.stderr)
            return 2
    except Exit as stop:
        return stop.code
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
