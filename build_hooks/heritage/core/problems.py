"""Problems found in content, and how they are reported to editors.

Every stage of the pipeline reports what is wrong as a ``Problem`` instead of raising at the first one, so an
editor sees every problem in every file in one run (the habit Pelican and MkDocs' config validation share).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

# Characters that change how a terminal or a CI log reads a line: C0 controls (a CR makes GitHub's runner start a new
# line, so `\r::add-mask::…` inside a value would become a workflow command), DEL, C1 controls, the Unicode line and
# paragraph separators and the bidi controls (text shown in another order than it is stored). Editors' values reach
# every message, so every message is printed with these written out as visible escapes.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` on one line, every control or bidi character shown as ``\\u{XXXX}``: safe for a terminal or CI log."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{{{ord(m.group()):04X}}}", text)


class Severity(StrEnum):
    ERROR = "error"  # blocks the build
    WARNING = "warning"  # printed; does not block (``--strict`` may turn it into an error)
    NOTICE = "notice"  # for the record, e.g. an embargoed record left out: never an error, even with --strict


@dataclass(frozen=True)
class Problem:
    """One problem, located as precisely as we can: file, line, field path."""

    path: str  # display path, e.g. ``content/sites/tuyang.yml``
    line: int | None
    field: str  # dotted field path in English, e.g. ``location.lat``; empty for whole-file problems
    message: str  # in Chinese: what is wrong and how to fix it
    severity: Severity = field(default=Severity.ERROR, compare=False)
    # What check found it, when a report groups it apart: "support" (a claim its sources' excerpts do not carry),
    # "inference" (a sentence marked as the site's own inference), "dispute" (a dispute whose accounts agree).
    kind: str = field(default="", compare=False)

    def sort_key(self) -> tuple:
        """By file, then line (whole-file problems, which have no line, first), field and message."""
        return (self.path, -1 if self.line is None else self.line, self.field, self.message)

    def __lt__(self, other: Problem) -> bool:
        return self.sort_key() < other.sort_key()

    def format(self) -> str:
        """One line for a terminal or a log: the path, field and message (which may quote editors' values) with
        every control character made visible, so no value can start a line of its own."""
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        what = f" {self.field}:" if self.field else ""
        label = {Severity.ERROR: "", Severity.WARNING: "[警告] ", Severity.NOTICE: "[提示] "}[self.severity]
        return printable(f"{where}{what} {label}{self.message}")


class ContentError(Exception):
    """Raised once, after every entry was checked, when any error was found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(format_report(self.problems))


def errors_in(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


def format_report(problems: list[Problem]) -> str:
    errors = errors_in(problems)
    warnings = sum(1 for p in problems if p.severity is Severity.WARNING)
    lines = [p.format() for p in sorted(problems)]
    if errors:
        files = len({p.path for p in errors})
        summary = f"内容检查发现 {len(errors)} 个错误（涉及 {files} 个文件）"
        summary += f"，{warnings} 个警告" if warnings else ""
        summary += "。请按提示修改后重试。"
    elif warnings:
        summary = f"内容检查发现 {warnings} 个警告（编辑规范提示，不影响发布；`--strict` 时视为错误）。"
    else:
        summary = "内容检查通过（以上为提示信息）。"
    return "\n".join([*lines, summary])
