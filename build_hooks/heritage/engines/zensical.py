"""Zensical as an engine: the pipeline's pages and files built into a themed site by ``zensical build``.

Zensical (0.1.x) reads mkdocs.yml but runs no hooks or plugins, so nothing can hand it pages in memory: the
pipeline runs first (published entries only, as in a release), its pages and files are written into a temporary
docs folder beside a copy of docs/ and overrides/, and a configuration derived from mkdocs.yml (without ``hooks:``
and ``watch:``, with the registry's collection sections in the sidebar and this build's address) points Zensical
there. The returned ``BuildResult`` is what the post-build step (``engines/postbuild.py``) needs to sanitise every
generated page, add the search wrapping and run Pagefind: Zensical itself does none of that.

Links: generated pages use Markdown links, which every engine resolves from the .md file, and in raw HTML URLs
that every engine reads alike (``stages/render.html_url``). Search stays Pagefind: Zensical's own index is one
file for the whole site and knows no traditional→simplified Chinese or pinyin.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from heritage.collections.registry import REGISTRY
from heritage.core.config import env_tag, read_site_config
from heritage.engines import EngineError
from heritage.stages.pipeline import BuildResult, build

# mkdocs.yml keys Zensical must not see: our hook (it cannot run it; the pipeline has already run) and the live
# preview's watch list.
DROPPED_KEYS = ("hooks", "watch")


class ZensicalError(EngineError):
    """Zensical is missing, refused the configuration, or failed; or the docs folder cannot be copied safely."""


class _Tagged:
    """A Python tag of mkdocs.yml (e.g. the TOC's ``!!python/object/apply:pymdownx.slugs.slugify``), kept as
    written: Zensical reads these tags itself."""

    def __init__(self, tag: str, node: yaml.Node, value: Any):
        self.tag, self.node, self.value = tag, node, value


class _Loader(yaml.SafeLoader):
    """The maintainers' mkdocs.yml (trusted): ``!ENV`` resolved, Python tags kept for Zensical."""


def _python_tag(loader: _Loader, suffix: str, node: yaml.Node) -> _Tagged:
    if isinstance(node, yaml.MappingNode):
        value: Any = loader.construct_mapping(node, deep=True)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_scalar(node)
    return _Tagged("tag:yaml.org,2002:python/" + suffix, node, value)


_Loader.add_constructor("!ENV", env_tag)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _python_tag)


class _Dumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper: _Dumper, data: _Tagged) -> yaml.Node:
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_Dumper.add_representer(_Tagged, _represent_tagged)


def zensical_config(config_file: Path, site_url: str, *, overrides: bool, pages: set[str] | None = None) -> str:
    """mkdocs.yml as Zensical reads it for this build: no hooks or watch list, the collection sections inserted
    after the home page (what ``hooks.on_config`` does for MkDocs), this build's address, and the folders of the
    temporary project it is written into (docs/, overrides/ and site/ beside it: Zensical refuses a site_dir outside
    the configuration's folder). ``pages``: the pages the pipeline made, so a collection with nothing to show has no
    section (Registry.nav)."""
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader) or {}
    for key in DROPPED_KEYS:
        data.pop(key, None)
    nav = list(data.get("nav") or [])
    declared = {next(iter(item)) for item in nav if isinstance(item, dict)}
    sections = [section for section in REGISTRY.nav(pages) if next(iter(section)) not in declared]
    data["nav"] = nav[:1] + sections + nav[1:]
    data["site_url"] = site_url
    data["docs_dir"] = "docs"
    data["site_dir"] = "site"
    theme = dict(data.get("theme") or {})
    if overrides:
        theme["custom_dir"] = "overrides"
    else:
        theme.pop("custom_dir", None)
    data["theme"] = theme
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)


def zensical_command() -> list[str]:
    """The ``zensical`` of this environment (requirements.lock pins it), else the one on PATH."""
    beside = Path(sys.executable).with_name("zensical")
    found = str(beside) if beside.exists() else shutil.which("zensical")
    if not found:
        raise ZensicalError("没有找到 Zensical：请先运行 make setup（requirements.lock 锁定了 zensical）。")
    return [found]


def _copy_tree(source: Path, target: Path) -> None:
    """A copy of a project folder; a symlink would let the engine publish any file of the build machine: refused."""
    links = [p for p in source.rglob("*") if p.is_symlink()]
    if links:
        names = "、".join(p.relative_to(source.parent).as_posix() for p in sorted(links))
        raise ZensicalError(f"{names}: 不能是符号链接，请换成真实的文件。")
    shutil.copytree(source, target)


def write_outputs(result: BuildResult, docs: Path) -> None:
    """The generated pages and files into ``docs`` (a copy of docs/); a generated page may not replace a
    hand-written file."""
    for uri, data in {**result.pages, **result.files}.items():
        target = docs / uri
        if target.exists():
            raise ZensicalError(f"docs/{uri} 与自动生成的页面同名，请删除或改名 docs/{uri}。")
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")


def build_site(config_file: Path, content_dir: Path, site_dir: Path, *, include_demo: bool, site_url: str) -> BuildResult:
    """Run the pipeline (published entries only) and Zensical over its output into ``site_dir``; return the
    pipeline's result for the post-build step. Raises ``ContentError`` for content errors, ``ZensicalError`` when
    Zensical fails (its output is in the message)."""
    config_file = Path(config_file).resolve()
    project = config_file.parent
    settings = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader) or {}
    result = build(
        Path(content_dir),
        include_unpublished=False,
        site_url=site_url,
        include_demo=include_demo,
        extra=read_site_config(config_file).extra,
        site_name=read_site_config(config_file).site_name,
    )
    command = zensical_command()
    with tempfile.TemporaryDirectory(prefix="heritage-zensical-") as work_dir:
        work = Path(work_dir)
        docs = work / "docs"
        _copy_tree(project / str(settings.get("docs_dir") or "docs"), docs)
        write_outputs(result, docs)
        custom = (settings.get("theme") or {}).get("custom_dir")
        overrides = bool(custom) and (project / custom).is_dir()
        if overrides:
            _copy_tree(project / custom, work / "overrides")
        config = work / "mkdocs.yml"
        config.write_text(zensical_config(config_file, site_url, overrides=overrides, pages=set(result.pages)), encoding="utf-8")
        completed = subprocess.run([*command, "build", "--clean", "--config-file", str(config)], cwd=work, capture_output=True, text=True)
        built = work / "site"
        if completed.returncode != 0 or not (built / "index.html").is_file():
            raise ZensicalError(f"Zensical 构建失败（退出码 {completed.returncode}）：\n{completed.stdout}{completed.stderr}")
        site_dir = Path(site_dir)
        if site_dir.exists():
            shutil.rmtree(site_dir)
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(built, site_dir)
    return result
