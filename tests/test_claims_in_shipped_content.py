"""The claim check on the real shipped content: it passes as shipped, even with --strict, and each kind of mistake a
pull request could make to a real entry is reported at the file and line of the changed sentence, and fails
--strict: a year no cited excerpt has, a number added before a footnote, a quotation no source has, a footnote moved
to a source that lacks the claim, a dispute whose two accounts say the same."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from heritage.cli import main
from heritage.core.problems import Severity
from heritage.stages.pipeline import check
from heritage.stages.support import DISPUTE, SUPPORT

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 12, 7)
WANG = "people/wang-zuoyao.yml"
YANG = "people/yang-kanghua.yml"
WITHDRAWAL = "events/northern-withdrawal-1946.yml"

# (file, text as shipped, text after the mistake, what the report must name)
MISTAKES = {
    "year": (WANG, "1936年加入中国共产党", "1937年加入中国共产党", "1937"),
    "number": (WITHDRAWAL, "登上三艘美国登陆舰[^pe107]", "登上三艘美国登陆舰，其中伤员300人[^pe107]", "300"),
    "quotation": (YANG, "杨康华原名虞焕章[^pe054]", "杨康华原名虞焕章，自称“宁做革命的马前卒”[^pe054]", "宁做革命的马前卒"),
    "moved footnote": (WANG, "他任校长[^pe102][^pe104]", "他任校长[^pe053]", "pe053"),
    "equal accounts": (WANG, "claim: 1000多人", "claim: 1300多人", "两种说法相同"),
}


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("shipped") / "content"
    shutil.copytree(ROOT / "content", content)
    return content


def _strict(content: Path) -> int:
    return main(["--content", str(content), "check", "--strict", "--format", "text"])


def test_the_shipped_content_has_no_unsupported_claim_and_passes_strict(shipped):
    problems = check(shipped, today=TODAY)
    assert [p for p in problems if p.kind in (SUPPORT, DISPUTE) or p.severity is not Severity.NOTICE] == []
    assert _strict(shipped) == 0


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_a_mistake_in_a_real_entry_is_reported_where_it_is_and_fails_strict(mistake, shipped, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(shipped, content)
    name, before, after, named = MISTAKES[mistake]
    path = content / name
    text = path.read_text(encoding="utf-8")
    assert text.count(before) == 1, f"{name} no longer has {before!r}: pick another sentence"
    path.write_text(text.replace(before, after), encoding="utf-8")
    line = text[: text.index(before)].count("\n") + 1  # the line of the changed sentence or account

    found = [p for p in check(content, today=TODAY) if p.severity is not Severity.NOTICE]
    assert found, mistake
    assert all(p.path == f"content/{name}" for p in found), found
    assert any(p.line == line and named in p.message for p in found), [(p.line, p.message) for p in found]
    assert all("请" in p.message for p in found)  # every message says how to fix it, in Chinese
    assert _strict(content) == 1


def test_a_release_refuses_an_unsupported_claim_even_without_strict(shipped, tmp_path):
    from test_cli import run_cli

    content = tmp_path / "content"
    shutil.copytree(shipped, content)
    name, before, after, _ = MISTAKES["year"]
    path = content / name
    path.write_text(path.read_text(encoding="utf-8").replace(before, after), encoding="utf-8")
    site = tmp_path / "site"
    result = run_cli("--content", str(content), "release", "--site-dir", str(site), "--site-url", "https://red.example.org/")
    assert result.returncode != 0 and "[来源核对]" in result.stderr and "1937" in result.stderr
    assert not site.exists()  # nothing published, nothing half-written
