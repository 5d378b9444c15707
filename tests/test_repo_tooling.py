"""The files that run the project elsewhere: GitHub's workflow, pre-commit, the local CI gate and the README, and the
supply chain they install from (requirements.lock with hashes, actions pinned by commit)."""

from __future__ import annotations

import re
import tomllib

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


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock_requirements() -> list[str]:
    """requirements.lock as one logical line per requirement (backslash continuations joined, comments dropped)."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8").replace("\\\n", " ")
    return [line.split(" #")[0].strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_every_locked_package_is_pinned_with_hashes():
    """pip's --require-hashes refuses a file whose sha256 the lock does not name: a replaced upload, a tampered mirror
    or a local index's substitute cannot be installed. No option in the lock may add an index or a file source."""
    lines = _lock_requirements()
    assert len(lines) >= 40
    for line in lines:
        assert not line.startswith("-"), f"no pip options in the lock (indexes, find-links, editables): {line}"
        assert re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*==[^\s;]+", line), f"not pinned with ==: {line}"
        hashes = re.findall(r"--hash=(\w+):(\S*)", line)
        assert hashes, f"no --hash: {line}"
        assert all(kind == "sha256" and re.fullmatch(r"[0-9a-f]{64}", value) for kind, value in hashes), line


def test_every_direct_dependency_is_locked_at_its_pinned_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    direct = project["dependencies"] + [d for extra in project["optional-dependencies"].values() for d in extra]
    locked: dict[str, set[str]] = {}
    for line in _lock_requirements():
        name, version = re.match(r"^([^=\s]+)==([^\s;]+)", line).groups()
        locked.setdefault(_normalize(name), set()).add(version)
    assert "pillow" in locked  # decodes images (type check, metadata stripping)
    for requirement in direct:
        match = re.fullmatch(r"([A-Za-z0-9._-]+)==(\S+)", requirement.strip())
        assert match, f"pyproject.toml pins every direct dependency with ==: {requirement}"
        name, version = match.groups()
        assert version in locked.get(_normalize(name), set()), f"{requirement} is not in requirements.lock: run `make lock`"


def test_setup_installs_only_hashed_wheels():
    """make setup (which .ci/run and the workflows go through) installs the lock with --require-hashes and wheels only
    (no sdist's setup.py runs); any other pip install in CI does too; make lock writes the hashes."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    stamp = re.search(r"^\$\(STAMP\):.*\n((?:\t.*\n)+)", makefile, flags=re.M).group(1)
    [install] = [line for line in stamp.splitlines() if "pip install" in line]
    assert "-r requirements.lock" in install and "--require-hashes" in install and "--only-binary :all:" in install
    lock = re.search(r"^lock:.*\n((?:\t.*\n)+)", makefile, flags=re.M).group(1)
    assert "--generate-hashes" in lock and "requirements.lock" in lock
    ci = [ROOT / ".ci" / "run", *sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))]
    for path in ci:
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.search(r"\bpip3? install\b", line) and not line.lstrip().startswith("#"):
                assert "--require-hashes" in line, f"{path.name}: {line.strip()}"
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "content.yml").read_text(encoding="utf-8"))
    [job] = workflow["jobs"].values()
    assert any(step.get("run", "").strip() == "make setup" for step in job["steps"])


def test_every_workflow_action_is_pinned_to_a_commit():
    """A tag can be moved to other code; a full commit SHA cannot. The comment after it names the release."""
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
    assert workflows
    seen = 0
    for path in workflows:
        text = path.read_text(encoding="utf-8")
        parsed = yaml.safe_load(text)
        uses = [job["uses"] for job in parsed["jobs"].values() if "uses" in job]
        uses += [step["uses"] for job in parsed["jobs"].values() for step in job.get("steps", []) if "uses" in step]
        for ref in uses:
            seen += 1
            if ref.startswith("./"):
                continue  # an action in this repository, pinned by the checkout itself
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), f"{path.name}: {ref} is not pinned to a commit"
        for line in text.splitlines():
            if re.match(r"^\s*(- )?uses:", line) and "@" in line:
                assert re.search(r"@[0-9a-f]{40} # v\d+(\.\d+)*$", line), f"{path.name}: name the release after the SHA: {line.strip()}"
    assert seen >= 4
