"""Golden tests for what editors read: each broken-entry case and its exact report.

A case is ``tests/cases/errors/<name>/content/`` (a small content folder) and ``expected.txt`` (the report).
Refresh after an intended change with ``pytest tests/test_error_messages.py --update-goldens`` and review the diff.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from heritage import check, format_report

CASES = Path(__file__).parent / "cases" / "errors"
TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_error_report(case, golden):
    problems = check(CASES / case / "content", today=TODAY)
    assert any(p.severity.value == "error" for p in problems), "every case must contain at least one error"
    for problem in problems:
        assert problem.path.startswith("content/"), problem
    golden(format_report(problems) + "\n", CASES / case / "expected.txt")
