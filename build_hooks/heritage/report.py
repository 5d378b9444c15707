"""How ``check`` speaks: plain text for a terminal, GitHub annotations and a job summary in a pull request."""

from __future__ import annotations

from .problems import Problem, Severity, errors_in


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotations(problems: list[Problem]) -> str:
    """Workflow commands that put each problem on its line of the pull request's diff.

    https://docs.github.com/actions/reference/workflow-commands-for-github-actions
    """
    lines = []
    for problem in sorted(problems):
        level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTICE: "notice"}[problem.severity]
        props = [f"file={_escape_property(problem.path)}"]
        if problem.line is not None:
            props.append(f"line={problem.line}")
        title = problem.field or ("内容错误" if level == "error" else "编辑规范")
        props.append(f"title={_escape_property(title)}")
        lines.append(f"::{level} {','.join(props)}::{_escape_data(problem.message)}")
    return "\n".join(lines)


def markdown_summary(problems: list[Problem], entries: int) -> str:
    """A short report for the job page ($GITHUB_STEP_SUMMARY)."""
    errors = errors_in(problems)
    warnings = [p for p in problems if p.severity is Severity.WARNING]
    if not problems:
        return f"### 内容检查通过 ✅\n\n{entries} 个条目，没有发现问题。\n"
    head = "### 内容检查未通过 ❌" if errors else "### 内容检查通过（有编辑规范提示）⚠️"
    out = [head, "", f"{entries} 个条目：{len(errors)} 个错误（阻止发布），{len(warnings)} 个警告（编辑规范提示）。", ""]
    out += ["| 级别 | 位置 | 字段 | 问题 |", "| --- | --- | --- | --- |"]
    for p in sorted(problems):
        where = f"`{p.path}:{p.line}`" if p.line is not None else f"`{p.path}`"
        level = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.NOTICE: "提示"}[p.severity]
        message = p.message.replace("|", "\\|").replace("\n", " ")
        out.append(f"| {level} | {where} | `{p.field}` | {message} |" if p.field else f"| {level} | {where} | | {message} |")
    return "\n".join(out) + "\n"
