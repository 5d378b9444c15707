"""The files that run the project elsewhere: GitHub's workflow, pre-commit, the local CI gate and the README."""

from __future__ import annotations

import re

import yaml

from conftest import ROOT


def test_workflow_checks_builds_uploads_and_tests_every_pull_request():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "content.yml").read_text(encoding="utf-8"))
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads the key `on` as True
    assert "pull_request" in triggers
    [job] = workflow["jobs"].values()
    assert "runs-on" in job and job["steps"][0]["uses"].startswith("actions/checkout@")
    runs = [step.get("run", "") for step in job["steps"]]
    order = [next(i for i, r in enumerate(runs) if command in r) for command in ("make check", "make build", "make test")]
    assert order == sorted(order)
    upload = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"
    for step in job["steps"]:
        assert set(step) <= {"name", "uses", "run", "with", "if", "env", "id"}, step


def test_pre_commit_runs_the_check_on_changed_entries():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    check = hooks["heritage-check"]
    assert "heritage check" in check["entry"] and check["pass_filenames"] is True
    assert re.search(check["files"], "content/sites/tuyang-red-village.yml")
    assert not re.search(check["files"], "docs/about.md")


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme and "make serve" in readme
    assert re.search(r"^make test$", ci, flags=re.M)
    assert "chromium" in ci


def test_pr_template_has_the_editors_checklist():
    template = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert template.count("- [ ]") >= 6 and "make check" in template and "来源" in template


def test_every_test_named_in_the_threat_model_exists():
    """SECURITY.md names the test behind each promise: a renamed or deleted test must not leave a promise unproved."""
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    named = re.findall(r"`(tests/[\w/]+\.py)::(\w+)(?:\[[^\]]*\])?`", text)
    assert len(named) >= 15
    for path, name in named:
        source = (ROOT / path).read_text(encoding="utf-8")
        assert re.search(rf"^def {name}\(", source, flags=re.M), f"{path}::{name}"
    shorthand = re.findall(r"`::(\w+)`", text)  # `::name` after a full reference names a test of the same file
    all_tests = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    for name in shorthand:
        assert re.search(rf"^def {name}\(", all_tests, flags=re.M), name
    for case in re.findall(r"corpus cases? ((?:`[\w*-]+`(?:, )?)+)", text):
        for name in re.findall(r"`([\w-]+)`", case):
            assert (ROOT / "tests" / "cases" / "errors" / name).is_dir(), name


def test_pages_workflow_publishes_the_release_build():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["release"]["steps"]
    release = next(step for step in steps if "make release" in step.get("run", ""))
    assert release["env"]["SITE_URL"] == "${{ vars.SITE_URL }}"  # a real address, never the local default
    assert any(step.get("uses", "").startswith("actions/upload-pages-artifact@") and step["with"]["path"] == "site/" for step in steps)
    assert workflow["jobs"]["deploy"]["needs"] == "release"
