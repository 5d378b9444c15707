"""The site's configuration as every engine reads it: mkdocs.yml, read without any engine.

MkDocs, ProperDocs and Zensical all read ``mkdocs.yml``; what the pipeline and the steps after the engine need of it
(the public address, ``extra``: map tiles, open-data licence, the footer's owner and filing numbers) is read here
with plain YAML, so those steps run the same after any engine. Python tags (``!!python/name:…``, used for Markdown
extension options) are read as nothing: they configure the engine, not us. ``!ENV [NAME, default]`` is honoured.
"""

from __future__ import annotations

import os
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


@dataclass(frozen=True)
class SiteConfig:
    site_url: str
    site_name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def read_site_config(path: Path) -> SiteConfig:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    return SiteConfig(
        site_url=str(data.get("site_url") or ""), site_name=str(data.get("site_name") or ""), extra=dict(data.get("extra") or {})
    )
