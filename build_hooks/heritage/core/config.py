"""The site's configuration as every engine reads it: mkdocs.yml, read without any engine.

MkDocs, ProperDocs and Zensical all read ``mkdocs.yml``; what the pipeline and the steps after the engine need of it
(the public address, ``extra``: map tiles, open-data licence, the footer's owner and filing numbers, where 报告错误
sends a reader) is read here
with plain YAML, so those steps run the same after any engine. Python tags (``!!python/name:…``, used for Markdown
extension options) are read as nothing: they configure the engine, not us. ``!ENV [NAME, default]`` is honoured.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


class _ConfigLoader(yaml.SafeLoader):
    """Maintainers' YAML (trusted): engine-specific tags are skipped, environment variables expanded."""


def env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """MkDocs' ``!ENV NAME`` / ``!ENV [NAME, …, default]``: the first variable set, else the default (or None)."""
    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(loader.construct_scalar(node))
    names = loader.construct_sequence(node)
    *variables, default = names if len(names) > 1 else (*names, None)
    return next((os.environ[v] for v in variables if v in os.environ), default)


_ConfigLoader.add_constructor("!ENV", env_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


class ConfigError(ValueError):
    """A value of mkdocs.yml the site cannot use; the message is for the site's maintainers (Chinese)."""


@dataclass(frozen=True)
class ReportTarget:
    """Where 报告错误 on an entry page sends a reader (``extra.report`` of mkdocs.yml): a new issue in the project's
    public repository on GitHub or Gitee, and/or an e-mail. The theme (overrides/partials/feedback.html) writes the
    links from the same values; report.js adds the reader's selection when the link is followed."""

    repository: str = ""  # https://github.com/OWNER/REPO or https://gitee.com/OWNER/REPO, as written
    email: str = ""

    @property
    def host(self) -> str:
        """ "github", "gitee" or "" (no repository)."""
        return _REPOSITORY.fullmatch(self.repository).group(1).split(".")[0] if self.repository else ""

    @property
    def body_parameter(self) -> str:
        """The query parameter of a new issue's text: GitHub's documented ``body``; Gitee documents none, its form
        reads ``description`` (the issue field's name there)."""
        return {"github": "body", "gitee": "description"}.get(self.host, "")


_REPOSITORY = re.compile(r"https://(github\.com|gitee\.com)/[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.-]+")
# One plain address: nothing a mailto: URL or an HTML attribute would read as more (no spaces, quotes, %, ?, &, commas).
_EMAIL = re.compile(r"[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def report_target(extra: dict[str, Any]) -> ReportTarget | None:
    """``extra.report`` read and checked; None when neither a repository nor an e-mail is set (no link is shown).
    Raises ``ConfigError`` for a value the theme would not link (it shows nothing for one: no broken door)."""
    report = extra.get("report") or {}
    if not isinstance(report, dict):
        raise ConfigError("mkdocs.yml 的 extra.report 应当包含 repository 和/或 email 两项。")
    repository = str(report.get("repository") or "").strip()
    email = str(report.get("email") or "").strip()
    if repository and (not _REPOSITORY.fullmatch(repository) or repository.endswith(".git")):
        raise ConfigError(
            f"mkdocs.yml 的 extra.report.repository「{repository}」不是仓库的网址：应写成 https://github.com/所有者/仓库名"
            " 或 https://gitee.com/所有者/仓库名（末尾不加 / 或 .git）。"
        )
    if email and not _EMAIL.fullmatch(email):
        raise ConfigError(f"mkdocs.yml 的 extra.report.email「{email}」不是一个电子邮件地址。")
    return ReportTarget(repository=repository, email=email) if repository or email else None


@dataclass(frozen=True)
class SiteConfig:
    site_url: str
    site_name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    report: ReportTarget | None = None  # extra.report, checked (report_target)


def read_site_config(path: Path) -> SiteConfig:
    """mkdocs.yml as the steps around the engine need it. Raises ``ConfigError`` for a value they cannot use, so a
    release (which reads it first) stops before building."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    extra = dict(data.get("extra") or {})
    return SiteConfig(
        site_url=str(data.get("site_url") or ""),
        site_name=str(data.get("site_name") or ""),
        extra=extra,
        report=report_target(extra),
    )
