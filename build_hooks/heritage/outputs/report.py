"""How ``check`` speaks: plain text for a terminal, GitHub annotations and a job summary in a pull request, and a
page for the browser while the preview has content errors."""

from __future__ import annotations

import html
import re

from heritage.core.problems import Problem, Severity, errors_in, printable


def _escape_data(text: str) -> str:
    """A workflow command's message: GitHub's own escapes for % CR LF, then every other control character shown."""
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


# Problems of the claim check (stages/support.py) carry a kind; a pull request names them as such.
_KIND_TITLES = {"support": "来源核对", "inference": "本站推断", "dispute": "说法不一"}


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
        title = _KIND_TITLES.get(problem.kind) or problem.field or ("内容错误" if level == "error" else "编辑规范")
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
    counts = _claim_counts(problems)
    if any(counts.values()):
        out += [
            f"来源核对：{counts['support']} 处说法不见于所引来源的摘录，{counts['inference']} 句标注为本站推断，"
            f"{counts['dispute']} 处“说法不一”其实相同。",
            "",
        ]
    out += ["| 级别 | 位置 | 字段 | 问题 |", "| --- | --- | --- | --- |"]
    for p in sorted(problems):
        where = _code(f"{p.path}:{p.line}" if p.line is not None else p.path)
        level = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.NOTICE: "提示"}[p.severity]
        out.append(f"| {level} | {where} | {_code(p.field) if p.field else ''} | {_cell(p.message)} |")
    return "\n".join(out) + "\n"


# The job summary is GitHub-flavoured Markdown with raw HTML: a message quotes editors' values, so nothing in it may
# become a link, an image, a heading, a tag or a new table cell. & < > | become character references (which Markdown
# never reads as markup, and which do not split a table cell); every other ASCII punctuation character is
# backslash-escaped (a backslash before ASCII punctuation is literal in CommonMark).
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;"}
_MARKDOWN_ACTIVE = re.compile(r"[!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~]")


def _cell(text: str) -> str:
    """Plain text inside a Markdown table cell: no markup, no HTML, one line."""
    return _MARKDOWN_ACTIVE.sub(lambda m: _ENTITIES.get(m.group(), "\\" + m.group()), printable(text))


def _code(text: str) -> str:
    """A path or field as code. Not a Markdown code span (a backtick in the value would close it); Markdown inside
    inline HTML is still parsed, so the text is escaped like any cell."""
    return f"<code>{_cell(text)}</code>"


def html_report(problems: list[Problem]) -> str:
    """A page for the browser while the content has errors (the preview shows it in place of every page): every problem with its file:line, field and message, all
    HTML-escaped (messages quote editors' values as written). Self-contained: no stylesheet or script of the site,
    which may be the thing that is broken. MkDocs' live reload adds its script, so the page recovers on a good save."""
    errors = errors_in(problems)
    claims = _claims_section(problems)
    items = "\n".join(
        "<li><code>{}</code>{}<br>{}</li>".format(
            html.escape(p.path if p.line is None else f"{p.path}:{p.line}"),
            f" 字段 <code>{html.escape(p.field)}</code>" if p.field else "",
            html.escape(printable(p.message)),
        )
        for p in sorted(problems)
    )
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>内容有错误 · 预览已暂停</title>
<style>
body {{ font-family: system-ui, "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.6; color: #1a1a1a; }}
h1 {{ color: #8b0000; font-size: 1.5rem; }}
li {{ margin-bottom: 1rem; overflow-wrap: anywhere; }}
code {{ background: #f3f3f3; padding: 0 .2em; }}
</style>
</head>
<body>
<main>
<h1>内容有错误，预览已暂停</h1>
<p>内容检查发现 {len(errors)} 个错误（涉及 {len({p.path for p in errors})} 个文件）。请按提示修改并保存，本页会自动刷新，显示修改后的网站。</p>
<ol>
{items}
</ol>
{claims}
</main>
</body>
</html>
"""


def _claim_counts(problems: list[Problem]) -> dict[str, int]:
    counts = {"support": 0, "inference": 0, "dispute": 0}
    for problem in problems:
        if problem.kind in counts:
            counts[problem.kind] += 1
    return counts


def _claims_section(problems: list[Problem]) -> str:
    """The claim check on the report page: unsupported claims by entry, then the sentences marked as the site's own
    inference (they are not checked, and readers see the mark), each with its count."""
    counts = _claim_counts(problems)
    if not counts["support"] and not counts["inference"]:
        return ""

    def listing(kind: str) -> str:
        return "\n".join(
            "<li><code>{}</code><br>{}</li>".format(
                html.escape(p.path if p.line is None else f"{p.path}:{p.line}"), html.escape(printable(p.message))
            )
            for p in sorted(problems)
            if p.kind == kind
        )

    by_entry: dict[str, int] = {}
    for p in problems:
        if p.kind == "support":
            by_entry[p.path] = by_entry.get(p.path, 0) + 1
    summary = "、".join(f"{html.escape(path)}（{count}）" for path, count in sorted(by_entry.items(), key=lambda i: (-i[1], i[0])))
    return f"""<h2>来源核对</h2>
<p>{counts["support"]} 处说法不见于所引来源的摘录（涉及 {len(by_entry)} 个条目{"：" + summary if summary else ""}）；{counts["inference"]} 句标注为（本站推断），不核对来源，读者在页面上看得到这个标注。</p>
<h3>不见于来源的说法（{counts["support"]}）</h3>
<ol>
{listing("support")}
</ol>
<h3>本站推断（{counts["inference"]}）</h3>
<ol>
{listing("inference")}
</ol>"""
