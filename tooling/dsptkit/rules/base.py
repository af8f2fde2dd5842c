"""Rule registry, the context rules read, and the results they produce."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from dsptkit.git import History
from dsptkit.model import LoadReport, Loc, Repository, Severity
from dsptkit.rules.table import RETIRED, TABLE
from dsptkit.status import Position

Check = Callable[["Context"], Iterable["Result"]]


@dataclass(frozen=True)
class Rule:
    """A registered rule: its entry in the rules table (``table.py``) and its check."""

    code: str  # stable: two letters and three digits, e.g. CL102
    name: str  # reads as the problem, e.g. claim.evidence-stale
    severity: Severity
    summary: str  # what it finds, one line
    why: str  # why it matters
    fix: str  # how to fix it
    example: str  # a snippet of a file, or a sentence, that trips it
    check: Check | None  # None for results the loader produces
    needs: frozenset[str] = frozenset()  # kinds of file that must all have loaded

    @property
    def finds(self) -> str:
        return self.summary

    @property
    def doc(self) -> str:
        """Why it matters, how to fix it and the example, as one text."""
        return f"{self.why}\n\n{self.fix}\n\nExample:\n\n{self.example}"

    @property
    def sections(self) -> tuple[tuple[str, str], ...]:
        """The documentation under its headings, in the order ``dspt rules CODE`` shows it."""
        return (("What it finds", self.summary), ("Why it matters", self.why),
                ("How to fix it", self.fix), ("Example", self.example))


@dataclass(frozen=True)
class Result:
    code: str
    severity: Severity
    loc: Loc
    message: str
    subject: str | None = None  # the claim, policy, evidence or item id a waiver can name
    items: tuple[str, ...] = ()  # catalogue items the result concerns

    @property
    def sort_key(self) -> tuple:
        return (self.loc.path, self.loc.line, self.loc.col, self.code, self.message)


@dataclass
class Context:
    repo: Repository
    as_of: date
    today: date
    position: Position
    history: History | None = None  # None or unavailable: rules that need it are skipped
    policy_changes: dict = field(default_factory=dict)  # path -> [git.Change]
    report: LoadReport = field(default_factory=LoadReport)  # what the loader found wrong


class Registry:
    """Rules by code; refuses a code not in the rules table, a retired code, and a second
    rule with the same code or name."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}

    def add(self, rule: Rule) -> Rule:
        if rule.code in RETIRED:
            raise ValueError(f"rule code {rule.code} is retired ({RETIRED[rule.code]}); "
                             "codes are never reused: add a new one to rules/table.py")
        if rule.code not in TABLE:
            raise ValueError(f"rule code {rule.code} is not in the rules table "
                             "(rules/table.py)")
        if rule.code in self._rules:
            raise ValueError(f"rule code {rule.code} is registered twice")
        if any(r.name == rule.name for r in self._rules.values()):
            raise ValueError(f"rule name {rule.name} is registered twice")
        self._rules[rule.code] = rule
        return rule

    def __getitem__(self, code: str) -> Rule:
        return self._rules[code]

    def __contains__(self, code: object) -> bool:
        return code in self._rules

    def get(self, code: str) -> Rule | None:
        return self._rules.get(code)

    def all(self) -> list[Rule]:
        return [self._rules[code] for code in sorted(self._rules)]


REGISTRY = Registry()


def _from_table(code: str, check: Check | None, needs: Iterable[str] = ()) -> Rule:
    entry = TABLE.get(code)
    if entry is None:  # let the registry say why (not in the table, or retired)
        return Rule(code, "", Severity.ERROR, "", "", "", "", check, frozenset(needs))
    return Rule(code, entry.name, entry.severity, entry.finds, entry.why, entry.fix,
                entry.example, check, frozenset(needs))


def rule(code: str, needs: Iterable[str] = ()) -> Callable[[Check], Check]:
    """Register a check function as the rule ``code`` of the rules table (``table.py``),
    which gives its name, severity and documentation.

    ``needs`` names the kinds of file ("policies", "evidence", "standards") the rule must
    see in full: when one of them could not be read, the rule is skipped instead of
    reporting gaps that are only the unread file. "history" means git history: without it
    the rule is not run.
    """

    def register(func: Check) -> Check:
        REGISTRY.add(_from_table(code, func, needs))
        return func

    return register


def loader_rule(code: str) -> None:
    """Register the rule ``code`` of the rules table whose results come from the loader (or
    the check engine) rather than a check function."""
    REGISTRY.add(_from_table(code, None))


def selected(code: str, select: Iterable[str], ignore: Iterable[str]) -> bool:
    """Whether a code is chosen by ``--select``/``--ignore`` prefixes (ignore wins)."""
    select = tuple(select)
    if select and not code.startswith(select):
        return False
    return not code.startswith(tuple(ignore))


def run_rules(ctx: Context, codes: Iterable[str]) -> tuple[list[Result], list[str]]:
    """Run the chosen rules; loader problems become results of their loader rules.

    Returns the results and the codes of rules skipped because files they need were unreadable.
    """
    chosen = set(codes)
    results = [Result(p.code, REGISTRY[p.code].severity, p.loc, p.message)
               for p in ctx.report.problems if p.code in chosen]
    skipped = []
    for code in sorted(chosen):
        rule_ = REGISTRY[code]
        if rule_.check is None:
            continue
        if rule_.needs & ctx.report.incomplete:
            skipped.append(code)
            continue
        if "history" in rule_.needs and (ctx.history is None or not ctx.history.available):
            continue
        results.extend(r for r in rule_.check(ctx) if r.code in chosen)
    return results, skipped


def result(code: str, loc: Loc, message: str, subject: str | None = None,
           items: tuple[str, ...] = ()) -> Result:
    """Build a result with the severity its rule declares."""
    return Result(code, REGISTRY[code].severity, loc, message, subject, items)
