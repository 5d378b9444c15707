"""Golden tests for what editors read: each broken-entry case and its exact report.

A case is ``tests/cases/errors/<name>/content/`` (a small content folder) and ``expected.txt`` (the report).
Symbolic links are not committed: a case's ``symlinks.txt`` lists ``link -> target`` lines, made in a copy of the
case before it runs (targets outside the project, such as /etc/hostname, are the point).
Refresh after an intended change with ``pytest tests/test_error_messages.py --update-goldens`` and review the diff.
SECURITY.md names the classes of bad input these cases cover.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from heritage import check, format_report

CASES = Path(__file__).parent / "cases" / "errors"
TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_error_report(case, golden, tmp_path):
    problems = check(_prepare(CASES / case, tmp_path), today=TODAY)
    assert any(p.severity.value == "error" for p in problems), "every case must contain at least one error"
    for problem in problems:
        assert problem.path.startswith("content/"), problem
    golden(format_report(problems) + "\n", CASES / case / "expected.txt")


def _prepare(case: Path, tmp_path: Path) -> Path:
    links = case / "symlinks.txt"
    if not links.is_file():
        return case / "content"
    shutil.copytree(case, tmp_path / case.name)
    for line in links.read_text(encoding="utf-8").splitlines():
        link, target = (part.strip() for part in line.split("->"))
        (tmp_path / case.name / link).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / case.name / link).symlink_to(target)
    return tmp_path / case.name / "content"


def test_the_corpus_covers_at_least_forty_classes():
    assert len([p for p in CASES.iterdir() if p.is_dir()]) >= 40
