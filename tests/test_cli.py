"""The CLI: check's exit status, render for another engine, and the atomic production build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE_CONTENT, ROOT
from heritage.collections.registry import REGISTRY

CASES = ROOT / "tests" / "cases" / "errors"


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "build_hooks"), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "heritage", *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_check_passes_on_valid_content():
    result = run_cli("--content", str(FIXTURE_CONTENT), "check")
    assert result.returncode == 0, result.stderr
    files = [path for c in REGISTRY for path in (FIXTURE_CONTENT / c.name).glob("*.yml")]  # every entry, drafts included
    assert len(files) >= len(REGISTRY.collections)
    assert f"内容检查通过：{len(files)} 个条目。" in result.stdout


@pytest.mark.parametrize("case", ["gbk-encoding", "latitude-out-of-range", "duplicate-key", "unknown-reference"])
def test_check_fails_with_file_and_line(case):
    result = run_cli("--content", str(CASES / case / "content"), "check")
    assert result.returncode == 1
    assert (CASES / case / "expected.txt").read_text(encoding="utf-8") in result.stderr + "\n"


def test_render_writes_pages_for_another_engine(tmp_path):
    result = run_cli("--content", str(FIXTURE_CONTENT), "render", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "sites" / "alpha-hq.md").read_text(encoding="utf-8").startswith('---\ntitle: "甲村')
    assert not (tmp_path / "sites" / "delta-draft.md").exists()
    run_cli("--content", str(FIXTURE_CONTENT), "render", "--out", str(tmp_path / "preview"), "--include-unpublished")
    assert "未发布" in (tmp_path / "preview" / "sites" / "delta-draft.md").read_text(encoding="utf-8")


@pytest.mark.site
def test_failed_build_leaves_existing_site_exactly_as_it_was(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("上一次构建的网站", encoding="utf-8")
    (site / "sub").mkdir()
    (site / "sub" / "page.html").write_text("旧页面", encoding="utf-8")
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    broken = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, broken)
    (broken / "sites" / "gamma-memorial.yml").write_text("name: [未闭合\n", encoding="utf-8")
    result = run_cli("--content", str(broken), "build", "--site-dir", str(site))

    assert result.returncode != 0
    assert "content/sites/gamma-memorial.yml:" in result.stderr
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging folder left behind


@pytest.mark.site
def test_failed_mkdocs_step_also_leaves_site_untouched(tmp_path):
    """Content is valid but MkDocs fails (here: a broken config): the old site stays, staging is removed."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("旧", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("docs_dir: docs", "docs_dir: no-such-dir"), encoding="utf-8"
    )
    result = run_cli("--content", str(FIXTURE_CONTENT), "build", "--site-dir", str(site), "--config", str(config))
    assert result.returncode != 0
    assert (site / "index.html").read_text(encoding="utf-8") == "旧"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.site
def test_successful_build_replaces_the_site(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "stale.html").write_text("旧", encoding="utf-8")
    result = run_cli("--content", str(FIXTURE_CONTENT), "build", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    assert not (site / "stale.html").exists()
    assert (site / "sites" / "alpha-hq" / "index.html").is_file()


def _with_warning(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    path = content / "sites" / "gamma-memorial.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("最少字段的正文[^g]。", "正文,有半角逗号[^g]。"), encoding="utf-8")
    return content


def test_warnings_do_not_fail_check_unless_strict(tmp_path):
    content = _with_warning(tmp_path)
    relaxed = run_cli("--content", str(content), "check", "--format", "text")
    assert relaxed.returncode == 0 and "[警告]" in relaxed.stderr
    strict = run_cli("--content", str(content), "check", "--strict", "--format", "text")
    assert strict.returncode == 1 and "content/sites/gamma-memorial.yml:8 body:" in strict.stderr


def test_github_annotations_and_job_summary(tmp_path):
    content = _with_warning(tmp_path)
    (content / "sites" / "alpha-hq.yml").write_text("status: published\nname: 只有名字\n", encoding="utf-8")
    summary = tmp_path / "summary.md"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "build_hooks"), "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    result = subprocess.run(
        [sys.executable, "-m", "heritage", "--content", str(content), "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "::error file=content/sites/alpha-hq.yml,line=1,title=kind::缺少必填字段 `kind`。" in lines
    assert any(line.startswith("::warning file=content/sites/gamma-memorial.yml,line=8,title=body::") for line in lines)
    text = summary.read_text(encoding="utf-8")
    assert "内容检查未通过" in text and "| 错误 | <code>content\\/sites\\/alpha\\-hq\\.yml\\:1</code> | <code>kind</code> |" in text


# Values an editor controls, each trying to become a workflow command or markup in one of the channels GitHub reads.
_INJECTIONS = {
    "sites/alpha-hq.yml": 'status: published\n"x\\r::add-mask::secret\\n::error::forged": 1\n',
    "sites/beta-ruins.yml": 'status: published\n"<img src=x onerror=alert(1)>|[a](javascript:b)`![t](https://t.invalid/p.png)": 1\n',
}


def test_no_editor_value_becomes_a_workflow_command_or_markup(tmp_path):
    """The plain report (stderr), the annotations (stdout) and the step summary each escape what editors wrote:
    a CR in a key must not start a line GitHub's runner reads as a command, and the summary shows text, not HTML."""
    import markdown

    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    for name, text in _INJECTIONS.items():
        (content / name).write_text(text, encoding="utf-8")
    summary = tmp_path / "summary.md"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "build_hooks"), "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    result = subprocess.run([sys.executable, "-m", "heritage", "--content", str(content), "check"], cwd=ROOT, env=env, capture_output=True)
    assert result.returncode == 1
    stdout, stderr = result.stdout.decode(), result.stderr.decode()  # bytes: a CR must not be turned into LF on the way
    assert "add-mask" in stderr and "forged" in stderr  # reported, with the value made visible
    # GitHub's runner splits output on CR as well as LF: no line of the plain report may start a command.
    assert "\r" not in stderr and not [line for line in stderr.splitlines() if line.lstrip().startswith("::")]
    commands = stdout.splitlines()
    assert commands and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in commands)
    text = summary.read_text(encoding="utf-8")
    assert "\r" not in text and "<img" not in text and "](" not in text
    rendered = markdown.markdown(text, extensions=["tables"])
    assert "<img" not in rendered and "<a " not in rendered and "<script" not in rendered
    rows = [row for row in text.splitlines() if row.startswith("| ") and "---" not in row][1:]
    assert rows and all(row.count(" | ") == 3 for row in rows)  # every problem one row of four cells


def test_check_reports_only_the_named_files(tmp_path):
    """pre-commit passes the changed files; problems elsewhere are not theirs to fix."""
    content = _with_warning(tmp_path)
    (content / "sites" / "alpha-hq.yml").write_text("status: draft\n", encoding="utf-8")
    only_gamma = run_cli("--content", str(content), "check", "--strict", "--format", "text", str(content / "sites" / "gamma-memorial.yml"))
    assert "gamma-memorial.yml:8" in only_gamma.stderr and "alpha-hq" not in only_gamma.stderr
    only_alpha = run_cli("--content", str(content), "check", "--format", "text", str(content / "sites" / "alpha-hq.yml"))
    assert only_alpha.returncode == 1 and "gamma-memorial" not in only_alpha.stderr


def test_a_release_with_an_unusable_report_address_stops_with_the_reason(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "build_hooks"), "NO_MKDOCS_2_WARNING": "1", "HERITAGE_REPORT_EMAIL": "not-an-email"}
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "heritage", "--content", str(FIXTURE_CONTENT), "release", "--site-dir", str(site), "--site-url", "https://red.example.org/"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 2 and "extra.report.email" in result.stderr and "Traceback" not in result.stderr
    assert not site.exists()
