"""The one table of rule codes, in the manner of ruff's: every code dsptkit has, with its
name, severity and documentation, and the codes retired from use.

A rule module registers a check against a code here (``@rule("CL101")``); registration
refuses a code that is not in this table, a retired code, and a code registered twice. A
code never changes meaning: when a rule is removed or split, its code moves to ``RETIRED``
and is never given to another rule.

Plain Python data, so ``dspt check`` (run before every commit) pays nothing to read it.
Each entry's documentation answers four questions, shown by ``dspt rules CODE`` and on the
portal's rule page:

- ``finds``: what it finds, in one line ending with a full stop (the README's rule table);
- ``why``: why it matters;
- ``fix``: how to fix it;
- ``example``: a short snippet of a file (or a sentence) that trips it.
"""

from __future__ import annotations

from dataclasses import dataclass

from dsptkit.model import Severity

E, F, W = Severity.ERROR, Severity.FINDING, Severity.WARNING


@dataclass(frozen=True)
class Entry:
    code: str  # two letters and three digits, e.g. CL102
    name: str  # reads as the problem, e.g. claim.evidence-stale
    severity: Severity
    finds: str  # what it finds: one line
    why: str  # why it matters
    fix: str  # how to fix it
    example: str  # a snippet of a file, or a sentence, that trips it


ENTRIES = (
    # -- FM: files and front matter (results from the loader) --------------------------------
    Entry(
        "FM001", "file.not-utf8", E,
        "A file is not UTF-8 text, or cannot be read.",
        "Policies, evidence, registers, catalogues and organisation.yaml are read as UTF-8. A "
        "file saved in another encoding (often Windows-1252, from an older editor or a word "
        "processor) cannot be read; nor can a file or folder the check cannot open "
        "(permissions, a symlink loop), a FIFO, device or socket where a file is expected "
        "(never opened, so the check cannot hang), or a missing organisation.yaml. Whatever "
        "the file records is missing from the position.",
        "Re-save the file as UTF-8 in your editor (a byte-order mark and Windows line endings "
        "are accepted). The message gives the line and column of the first byte that is not "
        "UTF-8, usually an accented letter, a curly quote or a pound sign. If the file cannot "
        "be read, check that it exists, that it is an ordinary file and that its permissions "
        "let you read it.",
        "# evidence/2026/visit.md, saved as Windows-1252\n"
        "Checked at the café on the high street.   # é is the byte 0xe9",
    ),
    Entry(
        "FM002", "file.binary", E,
        "A Markdown or YAML file is binary.",
        "A file with a NUL byte where Markdown or YAML is expected is usually a Word document, "
        "PDF or image renamed by mistake. Its fields cannot be read, so the policy or evidence "
        "it was meant to be is missing from the position.",
        "Keep such documents as attachments: write a short evidence file (`dspt new evidence`) "
        "and list the document under `files:` with its sha256 (`dspt hash` records it).",
        "evidence/2026/dbs-checks.md is really a Word document: it starts with the bytes "
        "'PK' and contains NUL bytes.",
    ),
    Entry(
        "FM003", "file.too-large", E,
        "A Markdown or YAML file is larger than 1 MiB.",
        "Policies, evidence records and registers are short text; a Markdown or YAML file over "
        "1 MiB (1,048,576 bytes) is almost always a mistake, such as a pasted log or an "
        "embedded image, and reading it would slow the check that runs before every commit. "
        "The file is not read.",
        "Move the bulk into an attachment listed under `files:` and keep the Markdown to a "
        "summary of what it shows.",
        "evidence/2026/firewall-review.md with a month of firewall log pasted below the front "
        "matter (2 MB).",
    ),
    Entry(
        "FM004", "file.symlink-outside", E,
        "A symlink in the repository leads outside it.",
        "Evidence must live in the repository so that git records it and its history can be "
        "shown. A link to a file on a laptop or a shared drive proves nothing to an auditor, "
        "may hold something different on every machine, and may be gone tomorrow. The link is "
        "not followed.",
        "Replace the link with a copy of the file. Links to folders, and to the files dsptkit "
        "reads (Markdown under `policies/` and `evidence/`, YAML under `standards/` and "
        "`evidence/registers/`), are reported; an attachment linked from outside is AT003.",
        "policies/backup.md -> /mnt/shared/policies/backup.md",
    ),
    Entry(
        "FM010", "front-matter.missing", E,
        "A policy or evidence file has no front matter.",
        "A policy's or evidence file's facts (its id, dates, claims or outcome) live in its "
        "front matter. Without it dsptkit cannot tell what the file is, so it is left out of "
        "the position.",
        "Start the file with a line `---`, then the YAML fields, then another line `---`; "
        "`dspt adopt` adds front matter to existing documents. The very first line must be "
        "`---`: a title or a blank line above it does not count. (`README.md` and `index.md` "
        "are not read, so they need none.)",
        "# policies/backup.md\n"
        "# Backup policy\n"
        "\n"
        "We back up every night.",
    ),
    Entry(
        "FM011", "front-matter.unterminated", E,
        "Front matter is opened but never closed.",
        "The first line is `---` but no later line is `---` (or `...`), so nothing tells the "
        "fields from the text and the file is not read.",
        "Add a line `---` after the last field.",
        "---\n"
        "id: EV-2026-031\n"
        "title: Restore test\n"
        "collected: 2026-05-02\n"
        "# Restore test          # no '---' line before the text",
    ),
    Entry(
        "FM012", "yaml.syntax", E,
        "YAML that cannot be parsed.",
        "A file whose YAML cannot be parsed is not read at all: everything it records is "
        "missing from the position, and the rules cannot see it.",
        "The message names the line and column where the parser gave up; the mistake is often "
        "on the line before: a missing colon, a tab used to indent, an unclosed quote or "
        "bracket, or a colon inside a value that is not quoted. A key must be a plain name, "
        "not a list or mapping.",
        "supports: [AC-1, BK-2      # the bracket is never closed",
    ),
    Entry(
        "FM013", "yaml.not-a-mapping", E,
        "Front matter or a YAML file is not a mapping.",
        "Every file dsptkit reads is a set of named fields. A list, a single value or nothing "
        "at all has no id, dates or claims to read, so the file is not read.",
        "Write the top level as `field: value` lines. A register keeps its list under its "
        "name (`assets:`), not at the top level.",
        "# evidence/registers/assets.yaml: the list needs 'assets:' above it\n"
        "- {name: Reception PC, kind: hardware}",
    ),
    Entry(
        "FM014", "yaml.duplicate-key", E,
        "The same key appears twice in one mapping.",
        "Most YAML readers silently keep the last value, so one of the two is ignored without "
        "a word and which one counts depends on the tool: a second `outcome:` or `collected:` "
        "can quietly change what the evidence says.",
        "Remove or rename one of them; the message gives the line of the first.",
        "outcome: pass\n"
        "outcome: fail",
    ),
    Entry(
        "FM015", "yaml.unsupported", E,
        "YAML features dsptkit does not accept.",
        "Tags (`!secret`, `!!python/object`) ask a YAML reader to build something other than "
        "plain text, numbers and dates, and merge keys (`<<`) hide what a field really holds; "
        "front matter should be plain values anyone can read. Aliases that expand to more "
        "than 50,000 values are refused too, so a hostile file cannot exhaust the check.",
        "Write the value out plainly: drop the tag (quote the value if it must start with "
        "`!`) and write merged fields out in full.",
        "title: !secret Restore test",
    ),
    # -- SC: schema (results from the loader) ------------------------------------------------
    Entry(
        "FM101", "file.not-read", W,
        "A file under policies/, evidence/ or standards/ is neither read nor an attachment.",
        "git commits everything in these folders, and whatever they hold is published with the "
        "repository, yet a file dsptkit does not read is never checked: not its dates, not its "
        "claims, not for patient data. A Word copy of a policy beside the Markdown, a CSV no "
        "evidence lists, notes in a hidden folder: each looks like evidence to a reader and "
        "proves nothing to the check.",
        "Make it something dsptkit reads (a Markdown policy or evidence record, a YAML register "
        "or catalogue), list it under `files:` of the evidence it belongs to, or move it out of "
        "the content folders. A folder's `README.md` or `index.md` is notes for people and is "
        "not reported.",
        "evidence/2026/access-review.xlsx, listed under no evidence's `files:`",
    ),
    Entry(
        "SC001", "schema.invalid-value", E,
        "A field has a value of the wrong type or form.",
        "A value dsptkit cannot read safely is not guessed at: an impossible date, a duration "
        "in words, a status outside the list, or an unquoted version read as a number. The "
        "file is left out of the position until it is fixed.",
        "Dates are written `YYYY-MM-DD` and must be real dates; durations are `90d`, `12w`, "
        "`6m`, `1y` or ISO 8601 (`P90D`); statuses and outcomes are one of the words the "
        "message lists; versions and IDs that look like numbers are quoted (`version: "
        "\"2.1\"`). The published JSON Schemas (in `tooling/dsptkit/schemas/`) list every "
        "field, and editors that read them flag mistakes as you type.",
        "collected: 2026-13-45      # there is no 13th month\n"
        "version: 2.1               # a number: write \"2.1\"",
    ),
    Entry(
        "SC002", "schema.missing-field", E,
        "A required field is missing.",
        "Required fields are what the rules need: evidence without `collected` or `outcome` "
        "cannot count for anything, a planned claim without a `target` is not a plan, and a "
        "waiver must name a `rule` or an `item`. A file missing a required field is left out "
        "of the position (a waiver naming neither is ignored).",
        "Add the fields the message lists. `docs/format.md` shows a complete example of each "
        "kind of file, and `dspt new evidence` and `dspt new policy` write files with every "
        "required field.",
        "---\n"
        "id: EV-2026-031\n"
        "title: Restore test\n"
        "collected: 2026-05-02\n"
        "by: it_lead\n"
        "supports: [BK-1]\n"
        "---                        # no 'outcome:'",
    ),
    Entry(
        "SC003", "schema.unknown-field", W,
        "A field the format does not know; it is ignored.",
        "An unknown field is usually a typo, and what it holds is ignored: with `colected:` "
        "the date you wrote is not the one that counts. A file under `evidence/registers/` "
        "whose name is not a known register is ignored the same way.",
        "Correct the spelling (the message suggests the nearest known field) or remove the "
        "field. Registers are `people.yaml`, `training.yaml`, `assets.yaml`, `suppliers.yaml` "
        "and `incidents.yaml`.",
        "colected: 2026-05-02       # did you mean 'collected'?",
    ),
    # -- RF: references ----------------------------------------------------------------------
    Entry(
        "RF001", "id.duplicate", E,
        "Two policies, claims, evidence files, people or catalogue items share an ID.",
        "IDs are how evidence finds its claim, how waivers name a subject and how the portal "
        "links pages; with two of one ID, which one counts is a matter of chance.",
        "Give the one reported (the second found) a new ID, and update whatever refers to it. "
        "IDs "
        "must be unique within their kind across the whole repository; a claim and a policy "
        "may share one.",
        "evidence/2026/access-review-q1.md and evidence/2026/access-review-q2.md both say "
        "`id: EV-2026-014`.",
    ),
    Entry(
        "RF002", "claim.unknown-item", E,
        "A claim meets a catalogue item that does not exist.",
        "A claim counts only for the items it names. A reference to an item that is in no "
        "catalogue (a typo, or an item of another edition) meets nothing, so the item you "
        "meant stays unmet.",
        "Correct the reference. It is written `framework:id`, e.g. `dspt:4.1.1`, and the item "
        "must be in a catalogue under `standards/`; `dspt status` lists the items.",
        "meets: [dspt:4.1.11]       # no such item; dspt:4.1.1 was meant",
    ),
    Entry(
        "RF003", "evidence.unknown-claim", E,
        "Evidence supports a claim that no policy makes.",
        "Evidence counts only for the claims it names. A claim ID that no policy makes backs "
        "nothing, and the claim that was meant may look unproven.",
        "Check the claim ID for a typo, or whether the claim was renamed or removed, and "
        "correct `supports:`.",
        "supports: [AC-01]          # the policy's claim is AC-1",
    ),
    Entry(
        "RF004", "person.unknown", E,
        "An owner, approver or collector is not a known person or role.",
        "Owners and approvers are who answers for a control. A name that resolves to nobody "
        "(a typo, a leaver taken off the register, a role never assigned) leaves nobody "
        "accountable, and over-reliance (OW101) and self-approval (HI005) cannot tell who is "
        "who. Policy and claim owners, approvers, evidence collectors (`by`), waiver approvers "
        "and the people roles point at are all checked.",
        "Use a person's `id` from `evidence/registers/people.yaml` or a role named under "
        "`roles:` in `organisation.yaml`; add the person to the register if they are missing. "
        "A role must point at a person in the register.",
        "owner: carol               # not in the people register, and not a role",
    ),
    Entry(
        "RF005", "waiver.unknown-target", E,
        "A waiver names a rule code or catalogue item that does not exist.",
        "A waiver records a decision to accept a risk. One that names a code or item that does "
        "not exist (usually a typo) waives nothing: the decision it records is not applied, "
        "and the mistake is easy to miss in a long list.",
        "Correct the rule code (`dspt rules` lists them; a prefix such as `CL1` is allowed) or "
        "the item (`dspt:1.1.1`), or remove the waiver.",
        "waivers:\n"
        "  - rule: CL120            # no rule's code starts CL120\n"
        "    reason: Agreed at the board.\n"
        "    approved_by: siro\n"
        "    expires: 2026-12-31",
    ),
    Entry(
        "RF006", "catalogue.unknown-mapping", E,
        "A catalogue item maps to an item of another framework that does not exist.",
        "Cross-framework mappings (`maps_to`) carry evidence between frameworks; a mapping to "
        "an item that does not exist carries nothing, silently.",
        "Correct the reference (`framework:id`, e.g. `dspt:4.2.4`) or remove the mapping; the "
        "item it names must be in a catalogue under `standards/`.",
        "# standards/ce/catalogue.yaml\n"
        "- id: ua.5\n"
        "  title: Multi-factor authentication\n"
        "  maps_to: [{ref: \"dspt:9.9.9\", relation: intersect}]",
    ),
    Entry(
        "RF007", "profile.unknown-reference", E,
        "A role appointment, improvement plan or answer in organisation.yaml names evidence "
        "or a catalogue item that does not exist.",
        "The appointment record is what the DSPT asks to see for 1.1.5; a reference to an "
        "evidence id nobody can find proves nothing, and an answer to an item that is not in "
        "the catalogue answers nothing.",
        "Correct the id to an evidence file's `id` or a catalogue item (`dspt:1.4.3`), or "
        "record the appointment as evidence.",
        "roles:\n  siro: {person: amara-okafor, evidence: EV-2026-999}",
    ),
    # -- AT: attachments ---------------------------------------------------------------------
    Entry(
        "AT001", "attachment.missing", E,
        "An attachment listed under `files:` is not there.",
        "An attachment is the proof behind an evidence record; when it is missing the record "
        "claims something it cannot show. A folder, a FIFO or device, or a file that cannot be "
        "read cannot be checked against a sha256 either.",
        "Add the file at the path written, or correct the path; paths are relative to the "
        "evidence file. List the files of a folder one by one, and check the permissions of "
        "a file that cannot be read.",
        "files:\n"
        "  - path: restore-log.txt  # no such file beside the evidence file\n"
        "    sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    ),
    Entry(
        "AT002", "attachment.hash-mismatch", E,
        "An attachment's content no longer matches the sha256 recorded when it was collected.",
        "The sha256 recorded with the evidence is what shows the attachment is the one "
        "collected. A file that no longer matches was edited or replaced afterwards, and "
        "evidence must not change after collection.",
        "If the change was a mistake, restore the original (git has it). If the file was "
        "replaced on purpose, record it as new evidence with its own date and sha256 rather "
        "than editing the old record.",
        "restore-log.txt was tidied after its sha256 was recorded in "
        "evidence/2026/restore-test.md.",
    ),
    Entry(
        "AT003", "attachment.outside-repository", E,
        "An attachment path leaves the repository (`../`, an absolute path, or a symlink out) or "
        "points into `.git`.",
        "Git only records what is inside the repository; an attachment elsewhere cannot be "
        "shown to an auditor or checked for changes, and may differ on every machine.",
        "Copy the file beside the evidence file (or into a folder under it) and write its "
        "path relative to the evidence file.",
        "files:\n"
        "  - path: ../../../Desktop/restore-log.txt\n"
        "    sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    ),
    # -- DT: dates ---------------------------------------------------------------------------
    Entry(
        "DT001", "date.future", E,
        "A collection, approval or review date is later than today.",
        "Evidence cannot be collected, nor a policy approved, in the future. A future date is "
        "usually a typo in the year, and because freshness counts from the stated date it "
        "would make evidence look current for longer than it is. Evidence `collected` dates, "
        "policy approval dates, register `reviewed` dates and the dates in register entries "
        "(`completed`, `started`, `checked`, `date`) are checked.",
        "Correct the date. Dates are checked against the real today, whatever `--as-of` "
        "says.",
        "collected: 2062-05-02      # 2026 was meant",
    ),
    # -- PD: patient data --------------------------------------------------------------------
    Entry(
        "PD001", "patient.nhs-number", E,
        "A file contains what looks like a real NHS number.",
        "Patient data must never enter the evidence repository: git history is copied to "
        "every clone and kept for ever, so the only cheap fix is to stop it before the commit. "
        "A 10-digit number that passes the Modulus 11 check (plain or 3-3-4, with spaces of "
        "any kind, hyphens or dots, a line break inside, or fullwidth digits) is reported when "
        "a word such as \"NHS\", \"patient\", \"CHI\", \"hospital\" or \"DOB\", or its "
        "column's heading, marks it as a patient identifier, unless a nearer word or heading "
        "names something else (\"invoice\", \"order\", \"phone\", \"ISBN\" ...). With "
        "neither, it is reported when it is in the ranges issued to patients (starting 4, 6 "
        "or 7) and the file mentions NHS numbers or dates of birth. Every file git would "
        "commit under policies/, evidence/ and standards/ is scanned, organisation.yaml too: "
        "READMEs, attachments of any size, files no evidence lists, hidden files, UTF-16 "
        "text; binary files are not. A file with over 100 numbers lists the first 100 and "
        "counts the rest.",
        "Remove or redact the number (the message shows it masked, e.g. `401 *** 2137`). Use "
        "numbers starting 999, the range kept for tests, in examples and training material. "
        "If the number was already committed, the history must be rewritten.",
        "Called patient 401 023 2137 about the missed letter.",
    ),
    # -- PO: policies ------------------------------------------------------------------------
    Entry(
        "PO001", "policy.approval-missing", E,
        "A policy says `status: approved` but does not say who approved it and when.",
        "Approval is what makes a policy count: only approved policies' claims meet items. An "
        "approval without an approver or a date cannot be checked, and the review date is "
        "counted from the approval date.",
        "Write `approved: {by: siro, on: 2026-04-02}` (a person or role, and the date); until "
        "then keep the policy `status: draft`.",
        "status: approved\n"
        "approved: {by: siro}       # on which date?",
    ),
    Entry(
        "PO101", "policy.review-overdue", F,
        "An approved policy is past its review date.",
        "A policy past its review date may no longer describe what the organisation does, and "
        "the DSPT expects policies to be reviewed at least every three years.",
        "Review the policy, then record the new approval (a new `version` and `approved` "
        "date). The review date is `next_review` when set, otherwise the approval date plus "
        "`review_every` (default: `check.policy_review_every` in organisation.yaml, 3 years).",
        "approved: {by: siro, on: 2026-01-10}\n"
        "next_review: 2026-06-01    # checked on 2026-07-01",
    ),
    Entry(
        "PO102", "policy.inactive-only-claim", F,
        "A catalogue item is claimed only by a draft or retired policy.",
        "Only approved policies count towards the position, so an item claimed only in a "
        "draft or retired policy is unmet however good the draft.",
        "Approve the draft (`status: approved` with `approved: {by, on}`), or move the claim "
        "into an approved policy.",
        "# policies/access-control.md, the only policy claiming dspt:4.1.1\n"
        "status: draft",
    ),
    Entry(
        "PO103", "policy.starter-untouched", F,
        "Starter policies from dspt init are still drafts as it wrote them.",
        "The starter policies are a starting point, not the organisation's policies: until "
        "each is made true for the organisation and approved, the items they claim are "
        "unclaimed. One finding sums them up, so the rest of the check is not buried under "
        "one finding per item.",
        "Make each starter your own: edit it, delete its `starter: true` line, approve it. Or "
        "bring in the organisation's own documents with `dspt adopt --replace-starters`, "
        "which replaces a starter an adopted policy covers; delete the starters you do not "
        "need.",
        "12 starter policies are still drafts as dspt init wrote them (acceptable-use, "
        "access-control, …)",
    ),
    # -- CL: claims --------------------------------------------------------------------------
    Entry(
        "CL101", "claim.no-evidence", F,
        "An in-place claim of an approved policy has no evidence at all.",
        "Saying a control is in place without proof is worse than saying nothing: the item "
        "does not count, and an auditor will ask for the evidence. Evidence dated after the "
        "assessment date is not seen.",
        "Record evidence with `supports: [CLAIM-ID]` (`dspt new evidence` writes it), or mark "
        "the claim `status: planned` with a `target` date.",
        "claims:\n"
        "  - id: BK-1\n"
        "    says: Backups are restored and tested every quarter.\n"
        "    meets: [dspt:7.3.4]    # no evidence says supports: [BK-1]",
    ),
    Entry(
        "CL102", "claim.evidence-stale", F,
        "A claim's newest passing evidence is older than its `evidence_every`.",
        "Evidence freshness fails closed: once the allowance has passed the claim no longer "
        "counts as in place, and the items it meets may become unmet. The allowance is the "
        "claim's `evidence_every`, else the policy's, else `check.evidence_every` (1 year).",
        "Collect fresh evidence and record it with the date it was collected: the date in "
        "front matter is what counts, not the commit date.",
        "evidence_every: 90d        # newest pass collected 2026-04-01: expired on 2026-06-30",
    ),
    Entry(
        "CL103", "claim.evidence-failed", F,
        "A claim says \"in place\" but its newest evidence failed or only partly passed.",
        "A failed restore test or access review means the control is not working; older "
        "passes do not make up for it, so the claim does not count.",
        "Fix the control and record passing evidence dated after the failure, or mark the "
        "claim `status: planned` with a `target` date while it is put right.",
        "# evidence/2026/restore-test.md, the newest evidence for BK-1\n"
        "outcome: partial           # two of three restores worked",
    ),
    Entry(
        "CL104", "claim.plan-overdue", F,
        "A planned claim is past its target date.",
        "Planned claims are the improvement plan; a plan past its date no longer counts for "
        "Approaching Standards.",
        "Deliver it (`status: in-place` with evidence) or re-plan with a new `target`.",
        "status: planned\n"
        "target: 2026-06-30         # checked on 2026-07-01",
    ),
    Entry(
        "CL105", "claim.allowance-too-long", F,
        "A claim allows older evidence than the catalogue item it meets.",
        "The catalogue records each item's cadence (training within 12 months, policies "
        "reviewed within 3 years...). A claim whose `evidence_every` is longer would count "
        "evidence the DSPT would not accept.",
        "Shorten the claim's `evidence_every` (or the policy's, which its claims inherit) to "
        "the item's cadence or less.",
        "meets: [dspt:3.2.1]        # the catalogue says evidence_every: 1y\n"
        "evidence_every: 2y",
    ),
    # -- CO: coverage ------------------------------------------------------------------------
    Entry(
        "CO101", "item.unclaimed", F,
        "A catalogue item mandatory for the organisation's category is claimed by no policy.",
        "Each mandatory item needs a claim: without one the organisation cannot reach "
        "Standards Met, and nothing says who will deal with it. Items claimed only by drafts "
        "are reported as PO102 instead; items waived in organisation.yaml are not mandatory.",
        "Add a claim that meets it to an approved policy: in place with evidence, or planned "
        "with a target date.",
        "dspt:1.1.1 (ICO registration) is mandatory for category 3, and no policy's claims "
        "say `meets: [dspt:1.1.1]`.",
    ),
    # -- CA: the catalogue against the DSPT edition ------------------------------------------
    Entry(
        "CA101", "catalogue.out-of-cycle", F,
        "The assessment date falls outside the catalogue edition's publication window.",
        "Each DSPT edition is published each September for a cycle ending on 30 June. "
        "Assessed after the deadline, the catalogue describes last year's questions: items "
        "may have been added, removed or made mandatory, and the position would be judged "
        "against the wrong list.",
        "Take in the current edition: get NHS England's assertions and evidence items "
        "spreadsheet, update the catalogue and its `cycle:` (standards/README.md), and use "
        "`dspt catalogue diff OLD NEW` to see what changed. Until then the position is for "
        "the old edition.",
        "cycle: {opens: 2025-09-01, deadline: 2026-06-30}   # checked on 2026-11-23",
    ),
    Entry(
        "CA102", "catalogue.incomplete", F,
        "The catalogue holds fewer mandatory items for the organisation's category than the "
        "DSPT edition publishes.",
        "A position worked out on part of the list would overstate it: \"Standards Met\" on "
        "39 items says nothing about the 6 the DSPT also asks for. While items are missing "
        "the position says how many of the published items it covers, never a plain level.",
        "Add the missing items from the DSPT itself in a local catalogue file under "
        "`standards/` (same format, `framework: dspt`, each item's `provenance: \"entered "
        "from the DSPT by <person> on <date>\"`); standards/README.md shows how.",
        "published: {\"3\": {met: 45, ...}}   # and 39 items say they are mandatory for "
        "category 3",
    ),
    # -- AN: answers -------------------------------------------------------------------------
    Entry(
        "AN101", "answer.not-applicable-not-allowed", F,
        "An item is answered \"not applicable\" where the DSPT does not allow it.",
        "The DSPT lets only some items be answered \"not applicable\" (an organisation that "
        "destroys nothing itself, say); for the rest it expects evidence. An answer it would "
        "not accept counts for nothing, and the item stays unmet.",
        "Answer the item with a claim and evidence. If the catalogue is wrong and the DSPT "
        "does allow \"not applicable\" for it, add `not_applicable: {source: ...}` to the "
        "item with where that is stated.",
        "answers:\n  - item: dspt:6.2.1        # anti-malware: no not-applicable answer\n"
        "    answer: not applicable",
    ),
    # -- PR: the organisation profile --------------------------------------------------------
    Entry(
        "PR101", "profile.incomplete", F,
        "The organisation profile the DSPT asks for is incomplete: no ICO registration "
        "number, or a senior role with no holder or no record of how they were appointed.",
        "The DSPT's organisation profile and items 1.1.1 and 1.1.5 ask for the ICO "
        "registration number and the named senior people (SIRO, Caldicott Guardian, IG lead, "
        "data protection officer) and how each was formally appointed. The submission cannot "
        "be completed without them.",
        "Add `profile: {ico_registration: ZA123456}` to organisation.yaml, and give each "
        "senior role its holder with `appointed_on`, `how` and the `evidence` id of the "
        "appointment record (docs/format.md).",
        "roles:\n  siro: amara-okafor          # no appointed_on, how or evidence",
    ),
    # -- EV: evidence ------------------------------------------------------------------------
    Entry(
        "EV101", "evidence.supports-nothing", W,
        "An evidence file supports no claim.",
        "Evidence that backs nothing is invisible in the position: it counts towards no item. "
        "A certificate need not support a claim, as it satisfies the items its scheme "
        "exempts.",
        "Add the IDs of the claims it proves to `supports:`.",
        "supports: []",
    ),
    Entry(
        "EV102", "certificate.expired", F,
        "The newest certificate of a scheme has expired.",
        "While current, a certificate such as Cyber Essentials Plus or a full-scope ISO 27001 "
        "satisfies the DSPT items its scheme exempts; from the day after it expires those "
        "items need claims and evidence of their own.",
        "Record the renewed certificate as new evidence with its own `collected` date and "
        "`certificate.expires`. Only the newest certificate of each scheme is checked, so an "
        "older one that has expired is not reported.",
        "certificate: {scheme: ce-plus, expires: 2026-06-30}   # checked on 2026-07-01",
    ),
    # -- DM: the data map (information assets, processing, data flows, suppliers) ----------
    Entry(
        "DM001", "datamap.unknown-reference", E,
        "The data map names a system, supplier, information asset, party or evidence that is "
        "not in its register.",
        "The data map is only as good as its links: a flow to a supplier nobody has assessed, "
        "or an information asset on a system the asset register does not know, is data the "
        "organisation cannot show it controls. A name that matches nothing, or matches two "
        "kinds of thing at once (a system and a supplier both called Ledgerly), or appears "
        "twice in one register, leaves the map saying something other than what was meant. "
        "Names match whatever their case and spacing.",
        "Correct the name to the one in the register (the message suggests a close match), "
        "add the missing entry to its register (a supplier to suppliers.yaml, a system to "
        "assets.yaml, an outside party under `parties:` in data-flows.yaml), or rename one "
        "of two entries that share a name.",
        "# evidence/registers/data-flows.yaml\n"
        "data_flows:\n"
        "  - {from: Booking platform, to: Quaystone Messagng}   # the supplier is Quaystone Messaging",
    ),
    Entry(
        "DM101", "datamap.supplier-contract", F,
        "A supplier the data map names, or that handles patient data, has no current contract "
        "that covers data protection.",
        "Standard 10 of the DSPT asks that every supplier handling personal data works under a "
        "contract setting out its data protection duties (UK GDPR Article 28 for a "
        "processor). A supplier that hosts an information asset, receives a flow or is a "
        "recipient of a processing activity with no contract recorded, a contract that has "
        "expired or is not yet signed, or one whose clauses do not cover data protection, is "
        "data handled outside any agreement. A bare `contract_article_28: true` counts as "
        "covering data protection with its dates unknown; `dspt scope` says so.",
        "Record the contract under the supplier: `contract: {signed: 2025-04-01, expires: "
        "2028-03-31, data_protection: true, evidence: EV-2026-012}`. If it has expired or "
        "lacks the clauses, renew it or add a data processing agreement, and record that.",
        "- name: Quaystone Messaging\n"
        "  service: SMS gateway\n"
        "  contract: {signed: 2023-07-01, expires: 2026-06-30, data_protection: true}\n"
        "  # a flow of patient data goes to Quaystone Messaging; on 2026-11-23 the contract "
        "has expired",
    ),
    Entry(
        "DM102", "datamap.patient-supplier-subprocessors", F,
        "A supplier that handles patient data has no record of its sub-processors, or is "
        "recorded as not handling patient data when the map shows it does.",
        "Your suppliers' suppliers hold your patients' data too: if a cloud provider or "
        "service partner has weak controls, that is your problem. Standard 10 asks that you "
        "know who they pass the data to. A supplier handles patient data when it says so "
        "(`processes_patient_data: true`), hosts an information asset with patient data, or "
        "is an end of a flow carrying it. Whether it was checked in the last 12 months is "
        "RG103, for every supplier.",
        "Ask the supplier for its list of sub-processors (most publish one) and record it: "
        "`sub_processors: [{name: Azure, service: Hosting, country: UK}]`, or `[]` when it "
        "uses none. If `processes_patient_data: false` is wrong, correct it.",
        "- name: Northwind Cloud\n"
        "  service: Hosting\n"
        "  processes_patient_data: true\n"
        "  # no sub_processors",
    ),
    Entry(
        "DM103", "datamap.patient-asset-incomplete", F,
        "An information asset with patient data has no owner, hosting place, retention rule "
        "or control.",
        "For every information asset holding patient data, the DSPT's register (1.1.2) names "
        "who is responsible for it, where it is held, how long it is kept and how it is "
        "protected. An asset without an owner has nobody to answer for it; one without a "
        "hosting country cannot be checked for transfers abroad; one without a retention "
        "rule is kept for ever.",
        "Fill in what the message lists: `owner:` (a person or role), `hosted_in: [UK]`, "
        "`retention:` (e.g. 8 years after the last contact) and `controls:` (e.g. [Encrypted "
        "at rest, Access by role with MFA]).",
        "- name: Patient appointment records\n"
        "  data_categories: [patient, special_category]\n"
        "  owner: ig_lead\n"
        "  # no hosted_in, retention or controls",
    ),
    Entry(
        "DM104", "datamap.lawful-basis", F,
        "A processing activity has no lawful basis, one that is not in UK GDPR Article 6, or "
        "uses special category data with no Article 9 condition.",
        "The record of processing activities (UK GDPR Article 30, DSPT 1.1.2) states the "
        "lawful basis of each use of personal data, and for special category data such as "
        "health records the Article 9 condition too. A basis that is missing or is not one of "
        "the six means the use may not be lawful. dsptkit reads the keys (public_task), the "
        "words (Public task) and the article references (6(1)(e), 9(2)(h)).",
        "Write the basis from the fixed list: consent, contract, legal_obligation, "
        "vital_interests, public_task or legitimate_interests; for special category data add "
        "`special_category_condition:` (e.g. health_or_social_care). docs/format.md lists "
        "them all. The ICO's lawful basis guidance helps choose.",
        "- activity: Appointment reminders\n"
        "  lawful_basis: Because the practice asked us to\n"
        "  information_assets: [Patient appointment records]   # special category",
    ),
    Entry(
        "DM105", "datamap.transfer-without-safeguard", F,
        "Personal data goes outside the UK with no safeguard recorded, or transfers are "
        "written in a way that cannot be checked.",
        "UK GDPR restricts transfers outside the UK: each needs a safeguard (UK adequacy "
        "regulations, the International Data Transfer Agreement, the UK Addendum to the EU "
        "clauses, or an exception). dsptkit does not decide which countries have adequacy: "
        "anywhere outside the UK needs its safeguard written down. Information held in "
        "another country (`hosted_in`) is a transfer too.",
        "List each transfer of an activity as `{country, recipient, safeguard}` (or `[]` for "
        "none), and give an information asset held abroad a `transfer_safeguard` or an "
        "activity using it that records the transfer.",
        "transfers:\n"
        "  - {country: United States, recipient: Helpdesk SaaS}   # no safeguard",
    ),
    Entry(
        "DM106", "datamap.unsupported-system-patient-data", F,
        "A system past its vendor support end holds patient data.",
        "An unsupported system gets no security updates; one holding patient data is where a "
        "breach does most harm. RG102 finds every unsupported asset; this names the ones "
        "that hold patient data, through the information assets that list them as `systems`, "
        "so the risk is seen as what it is.",
        "Upgrade or replace the system, or move the patient data off it. If the risk is "
        "accepted for a short while, record the decision as evidence and waive this finding "
        "for the system (`subject:` its name) with an expiry.",
        "# assets.yaml: {name: Old EPR server, kind: software, supported_until: 2025-10-14}\n"
        "# information-assets.yaml: {name: Clinic notes, data_categories: [patient], "
        "systems: [Old EPR server]}",
    ),
    Entry(
        "DM107", "datamap.register-not-approved", F,
        "The information asset register, record of processing activities or data flows "
        "register is missing, or not reviewed and approved by management within 12 months.",
        "DSPT 1.1.2 asks for a register of the personal data held and shared, approved by "
        "management within the last 12 months. A missing register, one with no review date, "
        "or one without a recorded approval (or an approval over a year old) is a gap an "
        "assessor will find. A review date over 12 months old is RG104.",
        "Create the register ('dspt init' writes starters; docs/format.md has the fields), "
        "review it, and record the approval at the top: `approved: {by: siro, on: "
        "2026-04-14}` with `reviewed: 2026-04-14`.",
        "# evidence/registers/processing.yaml\n"
        "reviewed: 2026-04-14\n"
        "processing: [...]   # no approved: {by, on}",
    ),
    # -- OW: ownership -----------------------------------------------------------------------
    Entry(
        "OW101", "owner.over-reliance", W,
        "One person owns more than half of the claims.",
        "If only one person understands the controls, the organisation is fragile: one "
        "absence and nobody can answer for them. Claims of approved policies are counted by "
        "person (a role counts for the person who holds it), from four claims up.",
        "Share ownership: give claims an `owner:` other than the policy's. The limit is "
        "`check.owner_share_limit` in organisation.yaml (default 0.5).",
        "alice owns 3 of 4 claims (75%): she is the SIRO, and the policies and claims say "
        "`owner: siro`.",
    ),
    Entry(
        "OW102", "owner.sole-collector", W,
        "One person collected all the current evidence for a standard.",
        "The guides warn against over-reliance on a single person: when one person alone "
        "gathers every piece of a standard's evidence, nobody else knows how, and an absence "
        "around a renewal leaves the standard unevidenced. Counted from two current evidence "
        "files per standard, when there are at least two current people (a role counts for "
        "the person who holds it). The dashboard shows who carries each standard.",
        "Have someone else collect the next evidence for one of the standard's claims (write "
        "them in the evidence's `by:`), so that two people know how.",
        "Standard 3 (Training): TR-1, TR-2 and TR-3's current evidence all say `by: ig_lead`.",
    ),
    Entry(
        "OW103", "owner.sole-approver", W,
        "One person approved every approved policy.",
        "Approval is leadership's check on what a policy says. When one person approves every "
        "policy (from three approved policies up, with at least two current people), their "
        "absence stops every review, and nobody else in leadership has read them.",
        "Share approval: have another senior person (the Caldicott Guardian, a director, the "
        "board) approve some policies, recorded in `approved: {by: ...}`.",
        "Eleven approved policies, each with `approved: {by: siro, ...}`.",
    ),
    Entry(
        "OW104", "owner.conflicting-roles", W,
        "One person holds two roles that should be held apart.",
        "Some roles check each other. The default pairs follow the ICO's guidance on data "
        "protection officers: a DPO must not hold a post that decides why and how personal "
        "data is used, such as senior management or the head of IT (UK GDPR Article 38(6)), "
        "so the DPO should not also be the SIRO or the IT lead. The pairs are "
        "`check.separate_roles` in organisation.yaml; `[]` turns the check off.",
        "Give one of the roles to someone else; or, where the organisation is too small, "
        "record how the conflict is managed and waive the warning with the SIRO's approval.",
        "roles:\n"
        "  siro: amara-okafor\n"
        "  dpo: amara-okafor",
    ),
    # -- AK: staff sign-off -------------------------------------------------------------------
    Entry(
        "AK101", "staff.policy-not-acknowledged", F,
        "A current member of staff has not acknowledged a policy's current version in time.",
        "Staff who know their duties are part of the DSPT; a policy marked `acknowledge: true` "
        "asks every current person to read and sign its current version within "
        "`check.acknowledge_within` (default 30 days) of its approval, or of their start if "
        "later. Leavers and people who have not started yet are not asked. A new version "
        "needs a new acknowledgement.",
        "Have them read the policy and record it: `dspt ack PERSON POLICY` (or many at once "
        "from the HR system's export: `dspt ack --csv FILE`).",
        "policies/acceptable-use.md: `acknowledge: true`, version \"2.0\" approved on "
        "2026-09-01; jo-lee's last acknowledgement is of version 1.4.",
    ),
    # -- IN: the learning loop ----------------------------------------------------------------
    Entry(
        "IN101", "incident.no-lessons", F,
        "A closed incident or near miss records no lessons.",
        "The DSPT asks that processes are reviewed after breaches and near misses, and that "
        "management signs off actions against recurrence. An incident closed with no lessons "
        "written (or only a placeholder such as TBC) leaves no trace that anything was learned.",
        "Write what was learned and changed in `lessons:`, and the follow-up work as "
        "`actions:` with an owner and a due date. If nothing needed to change, say so and why.",
        "incidents:\n"
        "  - id: INC-2026-02\n"
        "    date: 2026-09-01\n"
        "    summary: Laptop left on a train, encrypted, recovered next day.\n"
        "    closed: 2026-09-10        # no lessons",
    ),
    Entry(
        "IN102", "incident.action-overdue", F,
        "An action from an incident or near miss is past its due date and not done.",
        "Lessons change nothing until their actions are done. An action past its due date "
        "without a `done:` date is a promise the organisation has not kept; the board report "
        "lists it for a decision.",
        "Do it and record the day in `done:`; or agree a new due date with its owner and "
        "record it in `due:`.",
        "actions:\n"
        "  - action: Read back mobile numbers taken by phone\n"
        "    owner: ig_lead\n"
        "    due: 2026-10-31           # checked on 2026-11-23, no done: date",
    ),
    # -- RG: registers -----------------------------------------------------------------------
    Entry(
        "RG001", "register.inconsistent", E,
        "A register entry contradicts itself or another: an unknown person, a date out of order, "
        "a duplicate id.",
        "Registers are evidence: the training share, the people counted and the incidents "
        "reported all come from them. Training recorded for someone not in the people "
        "register is counted for nobody, a leaver who left before starting is never current, "
        "an incident closed before it happened or two incidents with one id cannot both be "
        "true, so the position computed from them would not be either.",
        "Correct the entry: add the person to `people.yaml` (or fix the id), put the dates in "
        "order, give each incident its own id.",
        "training:\n  - {person: zoe, course: Awareness, completed: 2026-02-01}   # no zoe in "
        "people.yaml",
    ),
    Entry(
        "RG101", "register.training-below-95", F,
        "Fewer than 95% of current people completed training in the last 12 months.",
        "The DSPT asks that at least 95% of staff (directors, trustees and volunteers "
        "included) completed data security training in the 12 months before publication "
        "(dspt:3.2.1). Current people are those in the people register who have started and "
        "not yet left; completions come from the training register.",
        "Train the people the message lists and record each completion in "
        "`evidence/registers/training.yaml`; mark leavers with `left:` in the people "
        "register.",
        "# evidence/registers/training.yaml, checked on 2026-07-01\n"
        "training:\n"
        "  - {person: alice, course: Data Security Awareness, completed: 2026-02-01}\n"
        "  - {person: bob, course: Data Security Awareness, completed: 2025-06-30}",
    ),
    Entry(
        "RG102", "register.unsupported-asset", F,
        "An asset in the register is past the end of its vendor support.",
        "Unsupported systems stop getting security fixes (dspt:8.1.4).",
        "Replace it, or record why it stays and how the risk is managed, accepted by the SIRO "
        "(DSPT 8.2.1), and waive this finding for that asset (`subject:` the asset's name) "
        "until it goes.",
        "assets:\n"
        "  - {name: Reception PC, kind: hardware, supported_until: 2025-10-14}",
    ),
    Entry(
        "RG103", "register.supplier-unchecked", F,
        "A supplier has not been checked in the last 12 months, or ever.",
        "Suppliers who handle your data are part of your security (dspt:10.2.1); contract "
        "terms lapse and certifications expire unless someone looks.",
        "Check each supplier's contract terms and certification every year and record the "
        "date in `checked`.",
        "suppliers:\n"
        "  - {name: Cloudy Hosting, service: Hosting}   # no 'checked' date",
    ),
    Entry(
        "RG104", "register.review-overdue", F,
        "A register's `reviewed` date is more than 12 months old.",
        "Registers are evidence too: the DSPT expects the asset register and the record of "
        "processing to have been reviewed within the last 12 months. Registers without a "
        "`reviewed` date are not checked.",
        "Review the register and update `reviewed`.",
        "# evidence/registers/assets.yaml, checked on 2026-07-01\n"
        "reviewed: 2025-06-30",
    ),
    # -- WV: waivers -------------------------------------------------------------------------
    Entry(
        "WV001", "waiver.expired", F,
        "A waiver has passed its expiry date and no longer applies.",
        "A waiver is an accepted risk with an end date; once it has passed, the findings it "
        "waived are reported again and the decision needs taking afresh.",
        "Renew it with a fresh approval, reason and expiry, or fix what it waived and remove "
        "it.",
        "waivers:\n"
        "  - rule: RG102\n"
        "    subject: Reception PC\n"
        "    reason: Replacement ordered.\n"
        "    approved_by: siro\n"
        "    expires: 2026-06-30    # checked on 2026-07-01",
    ),
    Entry(
        "WV002", "waiver.unused", W,
        "An in-date waiver matched nothing.",
        "A waiver that matches nothing is either no longer needed (the problem it waived is "
        "gone) or names the wrong rule, item or subject, and so is not doing what it was "
        "approved for. A waiver of an item alone is used by the position and never reported.",
        "Remove the waiver if the problem is gone; otherwise correct its `rule`, `item` or "
        "`subject`.",
        "waivers:\n"
        "  - rule: RG102\n"
        "    subject: Reception pc     # the asset is 'Reception PC'\n"
        "    reason: Replacement ordered.\n"
        "    approved_by: siro\n"
        "    expires: 2026-12-31",
    ),
    Entry(
        "WV003", "waiver.on-error", E,
        "A waiver names a rule that reports errors; errors cannot be waived.",
        "Errors mean the repository itself is broken (a bad file, a missing attachment, "
        "patient data), and the check ignores waivers for them; a waiver naming such a rule "
        "would only suggest a risk had been accepted.",
        "Fix the errors and remove the waiver.",
        "waivers:\n"
        "  - rule: PD001\n"
        "    reason: Old letters.\n"
        "    approved_by: siro\n"
        "    expires: 2026-12-31",
    ),
    Entry(
        "WV004", "waiver.item", E,
        "A waiver names a catalogue item and no rule: waivers cannot take an item out of the "
        "count.",
        "The DSPT has no route to drop a mandatory item: an item is either answered (met by "
        "claims and evidence) or, where the DSPT allows it, answered \"not applicable\" with "
        "a reason. Waivers are for findings only.",
        "Move it to `answers:` in organisation.yaml as `answer: not applicable` with the "
        "reason, `decided_by` and `decided_on`, where the catalogue allows that; otherwise "
        "answer the item with a claim. To quieten one rule's findings about an item, name the "
        "rule too (`rule: CL102` with `item:`).",
        "waivers:\n  - item: dspt:9.2.1\n    reason: No penetration test this year.",
    ),
    # -- HI: git history ---------------------------------------------------------------------
    Entry(
        "HI001", "evidence.backdated", F,
        "Evidence says it was collected long before it first entered the repository.",
        "A review done on 30 June and committed on 8 July is normal; one \"collected\" in "
        "January and first committed in November is worth a question, because the stated "
        "date is what makes evidence current. Evidence not yet committed is not checked. "
        "Records brought in by `dspt adopt` (they carry `adopted_from:`) are not checked: "
        "their true, older dates are the point of adopting them, and history starts at "
        "adoption.",
        "Check the date. If it is right, say why the evidence was recorded late (in its text) "
        "and waive this finding for it (`subject:` the evidence id); if it is wrong, correct "
        "it. The allowance is `check.backdating_days` in organisation.yaml (default 30 days).",
        "collected: 2026-06-05      # the file's first commit is dated 2026-08-20",
    ),
    Entry(
        "HI002", "evidence.committed-before-collected", E,
        "Evidence entered the repository before the date it says it was collected.",
        "Evidence cannot be committed before it exists; the collected date is wrong, and a "
        "wrong date can make stale evidence look current.",
        "Correct `collected` to the day the evidence was really collected.",
        "collected: 2026-06-20      # the file's first commit is dated 2026-06-10",
    ),
    Entry(
        "HI003", "attachment.changed-after-commit", E,
        "An attachment was changed by a commit after the one that added it.",
        "Evidence must not change after collection, and git shows that it did, even when the "
        "recorded sha256 was updated to match.",
        "Never edit an attachment: a correction is new evidence with its own date and its own "
        "file. A later commit cannot undo a change git has recorded, so this error stays while "
        "evidence lists the file: if the change has not been pushed, take it out of the "
        "history (amend or rebase the commit); otherwise record the corrected file as new "
        "evidence and explain the change to whoever assesses the evidence.",
        "restore-log.txt was added on 2026-06-15 and edited in a commit on 2026-06-20 "
        "('Tidy the log').",
    ),
    Entry(
        "HI004", "policy.changed-without-approval", F,
        "An approved policy changed after its last approval without a new version and date.",
        "The approval on record is for the words that were approved; a later change (committed "
        "or not yet committed) that does not also change `version` and the approval date "
        "means the policy now says something nobody approved. For a policy brought in by "
        "`dspt adopt` (it carries `adopted_from:`), the text as adopted is the baseline: "
        "after a first import, commit what adopt wrote as it is, then every later change "
        "needs a new version and approval date.",
        "Have the change approved and, in the same change, write the new `version` and the "
        "new `approved` date (with the approver). If the change was a mistake, undo it.",
        "A paragraph added to policies/access-control.md with `version: \"1.0\"` and "
        "`approved: {by: siro, on: 2026-01-10}` left as they were.",
    ),
    Entry(
        "HI005", "policy.self-approved", F,
        "A policy was approved by the person who last changed it.",
        "Where the organisation asks for separation of duties (`check.separation_of_duties: "
        "true`), someone other than the author approves a change: one person writing and "
        "approving their own policy is the control the setting exists to prevent. Commit "
        "authors are matched to people by the `email` (or name) in the people register.",
        "Have someone other than the author of the change review and approve it, and record "
        "them in `approved` with the new `version` and date.",
        "Alice Adams committed the last change to policies/governance.md, which says "
        "`approved: {by: siro, ...}`, and alice is the SIRO.",
    ),
    Entry(
        "HI010", "history.shallow", W,
        "The repository is a shallow clone, so the history rules see only recent commits.",
        "With the older commits missing, backdated evidence and attachments changed after "
        "collection cannot be seen, so the history rules may stay quiet when they should not.",
        "Fetch the whole history (`git fetch --unshallow`); in GitHub Actions, check out with "
        "`fetch-depth: 0`. CI services often clone with depth 1.",
        "git clone --depth 1 https://example.org/evidence.git",
    ),
)

TABLE: dict[str, Entry] = {entry.code: entry for entry in ENTRIES}

# Codes that were in use once and are never given to another rule: code -> what it was and
# why it went (e.g. "CL106 claim.foo: merged into CL102"). None has been retired yet.
RETIRED: dict[str, str] = {}


def prefix_problem(prefix: str, ignoring: bool) -> str | None:
    """Why a ``--select``/``--ignore`` prefix (or ``check.select``/``check.ignore`` entry) is
    refused, or None when it is fine. The command line and organisation.yaml both ask here.

    Errors always run: the repository is broken while one stands, so (as with waivers) no
    setting switches them off.
    """
    codes = [code for code in TABLE if code.startswith(prefix)] if prefix else []
    if not codes:
        return f"'{prefix}' matches no rule code (see 'dspt rules')"
    errors = [code for code in codes if TABLE[code].severity is E]
    if ignoring and errors:
        listed = ", ".join(errors[:4]) + (" ..." if len(errors) > 4 else "")
        return (f"'{prefix}' would switch off errors ({listed}); errors cannot be ignored: "
                "fix them instead")
    return None
