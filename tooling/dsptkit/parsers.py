"""Argument parsers for the commands that write files, kept apart from the commands
themselves so that `dspt check` (run before every commit) never imports their code."""

from __future__ import annotations

from dsptkit.asof import argument as _date

CATEGORIES = {"2": "IT supplier of 50+ staff and £10m+ turnover",
              "3": "company, social care, charity or other small organisation",
              "4": "GP practice"}


def add_init(sub) -> None:  # type: ignore[no-untyped-def]
    init = sub.add_parser(
        "init", help="scaffold a new organisation's evidence repository",
        description="Create a new evidence repository in DIR (which must be empty or not exist): "
                    "organisation.yaml, the DSPT catalogue, twelve starter policies as drafts, "
                    "empty registers, the portal's mkdocs.yml, a pre-commit hook, a README, and "
                    "a git repository. Asks "
                    "for what the options do not give when run at a terminal.")
    init.add_argument("directory", metavar="DIR")
    init.add_argument("--name", help="the organisation's name")
    init.add_argument("--ods-code", help="its ODS code, as registered in the DSPT")
    init.add_argument("--category", help="its DSPT category: " +
                      "; ".join(f"{k} = {v}" for k, v in CATEGORIES.items()))
    init.add_argument("--no-git", action="store_true", help="do not run 'git init'")
    init.add_argument("--no-starter", dest="starter", action="store_false",
                      help="write no starter policies (for an organisation that will bring its "
                           "own with 'dspt adopt')")
    init.add_argument("--tool", metavar="SPEC",
                      help="how CI and the pre-commit hook install dsptkit: a pinned pip "
                           "requirement such as 'dsptkit==0.2.0' or 'dsptkit @ git+URL@SHA' "
                           "(default: how this dsptkit was installed, pinned; docs/install.md)")


def add_new(sub) -> None:  # type: ignore[no-untyped-def]
    new = sub.add_parser("new", help="write a new evidence or policy file",
                         description="Write a new evidence or policy file with valid front "
                                     "matter. Never overwrites anything.")
    kinds = new.add_subparsers(dest="kind", metavar="KIND", required=True)

    ev = kinds.add_parser("evidence", help="record dated evidence for one or more claims",
                          description="Write evidence/YYYY/DATE-TITLE.md supporting the given "
                                      "claims, copy each attachment beside it, and record its "
                                      "sha256.")
    ev.add_argument("--claim", dest="claims", action="append", required=True, metavar="ID",
                    help="a claim this evidence supports (repeat for several)")
    ev.add_argument("--file", dest="files", action="append", default=[], metavar="PATH",
                    help="an attachment to copy in (repeat for several)")
    ev.add_argument("--title", help="what this evidence is (default: from the claim)")
    ev.add_argument("--collected", metavar="YYYY-MM-DD", help="when it was collected "
                    "(default: today)")
    ev.add_argument("--by", help="who collected it: a person id or role (default: the claim's "
                                 "owner)")
    ev.add_argument("--outcome", choices=("pass", "fail", "partial"), default="pass")
    ev.add_argument("--restricted", action="store_true",
                    help="classify it restricted: it never reaches a published portal")
    ev.add_argument("--repo", metavar="DIR", default=None)

    pol = kinds.add_parser("policy", help="start a new policy as a draft",
                           description="Write policies/ID.md as a draft with no claims yet.")
    pol.add_argument("--id", dest="policy_id", required=True, help="e.g. remote-working")
    pol.add_argument("--title", required=True)
    pol.add_argument("--owner", required=True, help="a person id or role, e.g. ig_lead")
    pol.add_argument("--repo", metavar="DIR", default=None)


def add_hash(sub) -> None:  # type: ignore[no-untyped-def]
    hsh = sub.add_parser(
        "hash", help="record missing sha256 hashes of attachments",
        description="For each attachment listed under 'files:' without a sha256, compute it and "
                    "add the line. A hash already recorded is never changed: a mismatch stays an "
                    "error, because evidence must not change after collection.")
    hsh.add_argument("paths", nargs="*", metavar="EVIDENCE.md",
                     help="evidence files (default: every file under evidence/)")
    hsh.add_argument("--repo", metavar="DIR", default=None)


def add_adopt(sub) -> None:  # type: ignore[no-untyped-def]
    adopt = sub.add_parser(
        "adopt", help="bring existing documents in: policies, records, registers",
        description="Bring an organisation's existing documents into the repository: files "
                    "and folders (searched recursively) of Markdown (with or without front "
                    "matter), plain text and Word .docx. Each document becomes a policy "
                    "(policies/), a dated record of something done (evidence/), or a register "
                    "written as a table (evidence/registers/). Only facts read with confidence "
                    "are written (version, owner, approval, next review, the record's date and "
                    "who made it), with adopted_from: recording the original; explicit DSPT "
                    "references become draft claims; links between the documents are "
                    "rewritten. adoption-report.md says, per document, what was read from "
                    "which line and what is left to you. What would be written is checked as "
                    "dspt check would first; nothing is overwritten and the originals are "
                    "never changed. See docs/adopt.md.",
        epilog="Exit codes: 0 adopted (the report lists anything not adopted), 1 nothing could "
               "be adopted, 2 usage error (a path that does not exist).")
    adopt.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    adopt.add_argument("--as", dest="kind", metavar="KIND",
                       choices=("policy", "evidence", "people", "training", "assets",
                                "suppliers", "incidents", "information_assets", "processing",
                                "risks", "data_flows"),
                       help="what every document given is, instead of deciding for each: "
                            "policy, evidence, or a register (assets, suppliers, ...)")
    adopt.add_argument("--owner", metavar="ROLE",
                       help="a role or person to record where a document names no owner (a "
                            "policy) or no one who did it (a record); without it such "
                            "documents are not adopted. Each use is in the report")
    adopt.add_argument("--var", action="append", metavar="NAME=VALUE",
                       help="fill {{ NAME }} placeholders (repeatable); role holders' names "
                            "(siro_name, ...) and organisation_name are filled from the "
                            "repository")
    adopt.add_argument("--replace-starters", action="store_true",
                       help="let an adopted policy replace the untouched starter policy of the "
                            "same name that dspt init wrote")
    adopt.add_argument("--dry-run", action="store_true",
                       help="print what would be adopted where, and write nothing")
    adopt.add_argument("--repo", metavar="DIR", default=None)


def add_portal(sub) -> None:  # type: ignore[no-untyped-def]
    portal = sub.add_parser("portal", help="the portal's pages outside MkDocs",
                            description="Work with the portal's generated pages.")
    actions = portal.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export", help="write every generated page as Markdown into DIR",
        description="Write every page the portal generates (Markdown with a YAML meta block) and "
                    "every published attachment into DIR, with pages.json listing them, so that "
                    "another static site generator (such as Zensical) can be fed the same pages. "
                    "DIR must be empty or new.")
    export.add_argument("directory", metavar="DIR")
    export.add_argument("--repo", metavar="DIR", default=None)
    export.add_argument("--as-of", metavar="YYYY-MM-DD", type=_date, default=None)
    export.add_argument("--internal", action="store_true",
                        help="include restricted evidence (default: a public export)")
    pdf = actions.add_parser(
        "pdf", help="print the audit pack (or chosen pages) to one PDF",
        description="Print the audit pack, or the pages named with --page, as one PDF with "
                    "page numbers and the as-of date on every page; links between the pages "
                    "printed stay working. Uses Chromium (set DSPT_CHROMIUM to its path if it "
                    "is not on PATH). The PDF is the public build unless --internal.",
        epilog="Exit codes: 0 written, 1 refused (errors in the repository, OUT exists, a page "
               "not found, Chromium missing or failing), 2 usage error.")
    pdf.add_argument("output", metavar="OUT.pdf", help="the PDF to write (must not exist)")
    pdf.add_argument("--page", dest="pages", action="append", default=[], metavar="PATH",
                     help="a portal page to print, as its path in the portal (e.g. "
                          "audit-pack.md, policies/access-control.md, or a glob such as "
                          "'policies/*'); repeat for more (default: the audit pack)")
    pdf.add_argument("--repo", metavar="DIR", default=None)
    pdf.add_argument("--as-of", metavar="YYYY-MM-DD", type=_date, default=None)
    pdf.add_argument("--internal", action="store_true",
                     help="include restricted evidence (default: the public build)")


def add_diff(sub) -> None:  # type: ignore[no-untyped-def]
    diff = sub.add_parser(
        "diff", help="what a change does to the compliance position",
        description="Compare the compliance position at two revisions, read from git objects "
                    "(nothing is checked out): items that move between met, at risk, not met "
                    "and planned; claims, evidence and policies added, removed or changed; new "
                    "and resolved errors and findings. HEAD may be WORKTREE for uncommitted "
                    "work.")
    diff.add_argument("base", metavar="BASE", help="e.g. origin/main")
    diff.add_argument("head", metavar="HEAD", nargs="?", default="HEAD",
                      help="default HEAD; WORKTREE for the files as they are now")
    diff.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                      help="markdown suits a pull-request comment")
    diff.add_argument("--as-of", metavar="YYYY-MM-DD", type=_date, default=None)
    diff.add_argument("--repo", metavar="DIR", default=None)


def add_history(sub) -> None:  # type: ignore[no-untyped-def]
    hist = sub.add_parser(
        "history", help="the compliance position over time, from git",
        description="The position month by month (or commit by commit), each computed from "
                    "the files as they were committed then, read from git objects: mandatory "
                    "items met, findings, errors.")
    hist.add_argument("--by", choices=("month", "commit"), default="month")
    hist.add_argument("--limit", type=int, default=12, help="months or commits (default 12)")
    hist.add_argument("--format", choices=("text", "json", "csv"), default="text")
    hist.add_argument("--as-of", metavar="YYYY-MM-DD", type=_date, default=None,
                      help="the last month to show (default: today)")
    hist.add_argument("--repo", metavar="DIR", default=None)


def add_snapshot(sub) -> None:  # type: ignore[no-untyped-def]
    snap = sub.add_parser(
        "snapshot", help="freeze a submission: a record in the repository and a git tag",
        description="Refuse if the check has errors; otherwise write snapshots/NAME.json (the "
                    "as-of date, every item's status, a manifest of every evidence file, "
                    "attachment and policy with its sha256, and the commit), commit it, and "
                    "tag that commit dspt/NAME, so the portal can be rebuilt exactly as "
                    "submitted. --verify NAME checks a snapshot against its manifest. Never "
                    "overwrites an existing snapshot.")
    snap.add_argument("name", metavar="NAME", help="e.g. 2026-27")
    snap.add_argument("--verify", action="store_true", help="verify an existing snapshot")
    snap.add_argument("--as-of", metavar="YYYY-MM-DD", type=_date, default=None)
    snap.add_argument("--repo", metavar="DIR", default=None)


def add_completion(sub) -> None:  # type: ignore[no-untyped-def]
    completion = sub.add_parser(
        "completion", help="print the shell completion script for bash, zsh or fish",
        description="Print the script that makes your shell complete dspt's commands and "
                    "options. bash: eval \"$(dspt completion bash)\" in ~/.bashrc; zsh: the "
                    "same in ~/.zshrc; fish: dspt completion fish > "
                    "~/.config/fish/completions/dspt.fish.")
    completion.add_argument("shell", choices=("bash", "zsh", "fish"))


def common(parser) -> None:  # type: ignore[no-untyped-def]
    """--repo and --as-of, as every command that reads one repository on one date takes them."""
    parser.add_argument("--repo", metavar="DIR", default=None,
                        help="the evidence repository (default: the nearest folder at or above "
                             "the current one holding organisation.yaml)")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", type=_date, default=None,
                        help="assess the position on this date (default: DSPT_AS_OF if set, "
                             "else today)")


def add_due(sub) -> None:  # type: ignore[no-untyped-def]
    due = sub.add_parser(
        "due", help="what falls due soon, who does it; plan the year",
        description="List everything that falls due within the window, soonest first, with its "
                    "owner and what to do: evidence that expires per claim, policy and register "
                    "reviews, each person's training renewal, supplier checks, contract, "
                    "certificate and vendor-support ends, waiver expiries, planned-claim "
                    "targets, open incident actions, policy sign-offs and the next publication "
                    "deadline. Overdue items come first, marked. --plan lays out the next 12 "
                    "months and proposes moving policy reviews earlier where work piles up; "
                    "--apply makes those moves, showing the diff first (docs/due.md).",
        epilog="Exit codes: 0 listed (overdue items do not fail it; 'dspt check' does), 1 the "
               "repository has errors, or --apply was refused, 2 usage error.")
    common(due)
    due.add_argument("--within", metavar="DURATION", default="60d",
                     help="how far ahead to look: 60d, 8w, 3m, 1y (default: 60d); overdue items "
                          "are always shown")
    due.add_argument("--owner", metavar="WHO",
                     help="only what this person owns: a person id, a role (ig_lead) or a name")
    due.add_argument("--format", choices=("text", "json", "csv", "ics"), default="text",
                     help="output format (default: text; ics is an iCalendar file for Outlook or "
                          "Google Calendar, json and csv for other tools)")
    due.add_argument("--no-attendees", dest="attendees", action="store_false",
                     help="ics: leave owners out of the events (for a calendar shared beyond "
                          "staff)")
    due.add_argument("--plan", action="store_true",
                     help="lay out the next 12 months month by month, show where work piles up "
                          "and propose moving policy reviews earlier (never later) to spread it")
    due.add_argument("--apply", nargs="+", metavar="POLICY=DATE",
                     help="move these policies' next review to these dates (each earlier than "
                          "now due, not in the past): writes next_review in their front matter, "
                          "showing the diff first; --plan prints the exact command")
    due.add_argument("--yes", action="store_true",
                     help="--apply: write without asking (needed when not at a terminal)")
    due.add_argument("--dry-run", action="store_true",
                     help="--apply: show the diff, write nothing")


def add_ack(sub) -> None:  # type: ignore[no-untyped-def]
    ack = sub.add_parser(
        "ack", help="record that staff acknowledged a policy",
        description="Record in evidence/registers/acknowledgements.yaml that a person read and "
                    "acknowledged a policy (its current version, today, unless told), or many "
                    "at once from a CSV file exported by an HR system. Checks every person and "
                    "policy, shows what it adds, writes the register whole or not at all, and "
                    "never records the same acknowledgement twice (docs/acknowledgements.md).",
        epilog="Exit codes: 0 recorded (or nothing new to record), 1 refused (an unknown person "
               "or policy, a bad date, a file that cannot be read; nothing was written), 2 "
               "usage error.")
    ack.add_argument("person", metavar="PERSON", nargs="?",
                     help="who acknowledged: a person id, or their name or email as in the "
                          "people register")
    ack.add_argument("policy", metavar="POLICY", nargs="?",
                     help="the policy: its id or title")
    ack.add_argument("--version", help="the version acknowledged (default: the policy's current "
                                       "version)")
    ack.add_argument("--on", metavar="YYYY-MM-DD", type=_date,
                     help="the day it was acknowledged (default: today)")
    ack.add_argument("--csv", metavar="FILE",
                     help="record many from a CSV with a header row: a person column (id, name "
                          "or email), a policy column (id or title), and optionally version and "
                          "date columns")
    ack.add_argument("--dry-run", action="store_true", help="show what would be recorded; write "
                                                            "nothing")
    ack.add_argument("--repo", metavar="DIR", default=None)


def add_report(sub) -> None:  # type: ignore[no-untyped-def]
    report = sub.add_parser("report", help="reports for leadership: the quarterly board report",
                            description="Reports drawn from the repository and its git history.")
    kinds = report.add_subparsers(dest="kind", metavar="KIND", required=True)
    board = kinds.add_parser(
        "board", help="the quarterly board report",
        description="The quarterly board report, short enough to read in five minutes: the "
                    "position and how it changed since the last quarter (from git history), "
                    "what was done, what is due next quarter, incidents and near misses with "
                    "their lessons, training and policy sign-off, the top risks, and the "
                    "decisions the board must take (waivers to approve, plans slipping). "
                    "Markdown or PDF (docs/board.md).",
        epilog="Exit codes: 0 written, 1 the repository has errors or the PDF could not be "
               "printed, 2 usage error.")
    board.add_argument("--quarter", metavar="YYYYQN",
                       help="the quarter to report on, e.g. 2026Q4 (default: the quarter of the "
                            "as-of date, up to that date)")
    board.add_argument("--format", choices=("markdown", "pdf"), default="markdown",
                       help="markdown (default) or pdf (needs the portal extra and Chromium)")
    board.add_argument("--output", "-o", metavar="FILE",
                       help="write to FILE (never overwritten; required for pdf) instead of "
                            "printing")
    common(board)
