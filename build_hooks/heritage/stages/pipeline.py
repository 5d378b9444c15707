"""The whole pipeline as plain functions: load → validate → link → render → export. No MkDocs here.

``check`` answers "is all content valid?" (every entry, every status). ``build`` returns the pages and files of one
build (published entries only, unless asked for a preview) or raises ``ContentError`` listing every problem at once.
Both take the collections from a ``Registry`` and an optional ``BuildCache``; neither keeps state of its own, so
the same inputs give the same result with or without a cache.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from heritage.collections.oral_history import media_allowed
from heritage.collections.registry import REGISTRY
from heritage.core.cache import BuildCache, stamp
from heritage.core.catalog import Catalog, Registry
from heritage.core.entry import Entry, RawEntry
from heritage.core.problems import ContentError, Problem, Severity, errors_in
from heritage.outputs.media import MediaError, resolve_media, stripped_copy
from heritage.outputs.release import ROBOTS_FILE, robots_txt
from heritage.stages.export import ExportContext, export_all
from heritage.stages.link import check_invalid_references, link
from heritage.stages.lint import LintContext, lint_entry, load_terminology
from heritage.stages.load import LoadError, load_entry
from heritage.stages.render import Renderer
from heritage.stages.support import catalog_names, check_support
from heritage.stages.validate import validate_entry

# Files that may sit in content/ beside the collection folders.
CONTENT_ROOT_FILES = {"README.md", "search-dictionary.txt", "terminology.yml"}
MEDIA_DIR = "media"  # content/media/: recordings, published only where consent covers them


@dataclass
class BuildResult:
    pages: dict[str, str]  # src_uri → Markdown
    catalog: Catalog
    warnings: list[Problem]
    files: dict[str, Any] = field(default_factory=dict)  # other outputs: uri → text (str) or bytes


def discover(content_dir: Path, registry: Registry = REGISTRY) -> tuple[list[Path], list[Problem]]:
    """Every entry file, and a problem for anything that looks like content but would not be read."""
    if not content_dir.is_dir():
        raise ContentError([Problem(str(content_dir), None, "", "找不到内容目录。请确认路径正确（默认是项目中的 content/）。")])
    files: list[Path] = []
    problems: list[Problem] = []
    root_label = content_dir.name
    root = content_dir.resolve()
    for child in sorted(content_dir.iterdir()):
        if child.name.startswith("."):
            continue
        display = f"{root_label}/{child.name}"
        if child.is_symlink():
            problems.append(Problem(display, None, "", "内容目录中不能有符号链接（它可能指向项目以外的文件）。请换成真实的目录或文件。"))
            continue
        if child.is_dir():
            if child.name == MEDIA_DIR:
                continue
            if child.name not in registry:
                problems.append(
                    Problem(
                        display,
                        None,
                        "",
                        f"未知的内容目录。条目只能放在这些目录中：{'、'.join(f'{root_label}/{c}/' for c in registry.names())}。",
                    )
                )
                continue
            for path in sorted(child.iterdir()):
                if path.name.startswith("."):
                    continue
                shown = f"{display}/{path.name}"
                if path.is_symlink() or not path.resolve().is_relative_to(root):
                    problems.append(Problem(shown, None, "", "条目文件不能是符号链接（它可能指向项目以外的文件）。请换成真实的文件。"))
                elif path.suffix == ".yml" and path.is_file():
                    files.append(path)
                elif path.suffix == ".yaml":
                    problems.append(Problem(shown, None, "", "条目文件的扩展名必须是 .yml（请改名），否则不会被读取。"))
                else:
                    problems.append(Problem(shown, None, "", "此目录只能存放 .yml 条目文件；这个文件不会被读取，请移走。"))
        elif child.name not in CONTENT_ROOT_FILES:
            problems.append(Problem(display, None, "", "条目文件必须放在集合目录中，例如 content/sites/某遗址.yml。"))
    return files, problems


def load_all(content_dir: Path, registry: Registry = REGISTRY, cache: BuildCache | None = None) -> tuple[list[RawEntry], list[Problem]]:
    raws, problems, _ = _load_all(content_dir, registry, cache)
    return raws, problems


def _load_all(content_dir: Path, registry: Registry, cache: BuildCache | None) -> tuple[list[RawEntry], list[Problem], frozenset]:
    """Entries read, problems, and the (collection, id) of every entry file found, readable or not.
    With a cache, a file whose size and modification time did not change is not read again."""
    paths, problems = discover(content_dir, registry)
    raws: list[RawEntry] = []
    for path in paths:
        key = stamp(path)
        cached = cache.loaded.get(path) if cache is not None else None
        if cached is None or cached[0] != key:
            try:
                cached = (key, load_entry(path, content_dir))
            except LoadError as exc:
                cached = (key, exc.problem)
            if cache is not None:
                cache.loaded[path] = cached
        if isinstance(cached[1], RawEntry):
            raws.append(cached[1])
        else:
            problems.append(cached[1])
    return raws, problems, frozenset((p.parent.name, p.stem) for p in paths)


def lint_context(content_dir: Path, today: dt.date, docs_dir: Path | None = None) -> tuple[LintContext, list[Problem]]:
    """What the editorial rules need: today's date, the docs folder (images), the terminology list."""
    terms, problems = load_terminology(content_dir / "terminology.yml", content_dir)
    docs = docs_dir if docs_dir is not None else content_dir.parent / "docs"
    return LintContext(today=today, docs_dir=docs if docs.is_dir() else None, terms=terms), problems


def validate_all(
    raws: list[RawEntry], context: LintContext | None = None, registry: Registry = REGISTRY
) -> tuple[list[Entry], list[Problem]]:
    """Schema, cross-field checks and (given a context) editorial rules for every entry."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    for raw in raws:
        collection = registry[raw.collection]
        if raw.id in collection.reserved_ids():
            problems.append(Problem(raw.display_path, None, "", f"“{raw.id}” 是保留名称（列表页使用），请给文件换个名字。"))
            continue
        if raw.validated is None:  # a RawEntry is new whenever its file changed: the result can be kept on it
            raw.validated = validate_entry(raw, collection.model)
        model, found = raw.validated
        problems.extend(found)
        if context is not None:
            problems.extend(lint_entry(raw, context))
        if model is not None:
            entries.append(Entry(raw, model))
    return entries, problems


def _invalid(found: frozenset, entries: list[Entry]) -> frozenset:
    """Entry files that exist but did not make a valid entry (unreadable YAML, schema errors): their own problems
    are reported; references to them are not reported again as "not found"."""
    return found - {e.key for e in entries}


def check_media(entries: list[Entry], content_dir: Path, cache: BuildCache | None = None) -> list[Problem]:
    """Every local recording a record would publish is a regular file inside content/media/ (no symlink out of it)
    whose metadata can be stripped; a recording consent does not cover is still checked to exist."""
    problems = []
    media_dir = content_dir / MEDIA_DIR
    for entry in entries:
        media = getattr(entry.model, "media", None)
        allowed = media_allowed(entry.model) if media is not None else {}
        for kind in ("audio", "video"):
            ref = getattr(media, kind, None) if media else None
            if not ref:
                continue
            try:
                path = resolve_media(media_dir, ref)
                if kind in allowed:
                    key = stamp(path)
                    cached = cache.media.get(path) if cache is not None else None
                    if cached is None or cached[0] != key:
                        cached = (key, stripped_copy(path))
                        if cache is not None:
                            cache.media[path] = cached
            except MediaError as exc:
                problems.append(Problem(entry.raw.display_path, entry.raw.line_of(("media", kind)), f"media.{kind}", str(exc)))
    return problems


def _cross_entry_checks(raws, entries, content_dir, existing, registry, cache) -> list[Problem]:
    return [
        *check_invalid_references(raws, entries, existing, registry),
        *check_media(entries, content_dir, cache),
        # A collection's checks across entries (Collection.entry_checks: the oral-history privacy rules).
        *(problem for c in registry if c.entry_checks for problem in c.entry_checks(entries)),
    ]


def _validate_and_link(content_dir, *, include_unpublished, today, docs_dir, include_demo, registry, cache):
    raws, problems, existing = _load_all(content_dir, registry, cache)
    context, found = lint_context(content_dir, today, docs_dir)
    problems += found
    entries, found = validate_all(raws, context, registry)
    problems += found
    catalog, found = link(
        entries,
        include_unpublished=include_unpublished,
        today=today,
        invalid=_invalid(existing, entries),
        include_demo=include_demo,
        registry=registry,
    )
    problems += found
    problems += _cross_entry_checks(raws, entries, content_dir, existing, registry, cache)
    # The claim check (stages/support.py): every footnoted sentence and sourced claim against its sources' excerpts.
    # Warnings (``--strict`` fails on them); what it reads of a text is memoised by the text, so a preview rebuild
    # reads again only what changed.
    problems += check_support(entries, catalog_names(entries, context.terms), cache)
    return catalog, context, problems


def check(
    content_dir: Path,
    *,
    today: dt.date | None = None,
    docs_dir: Path | None = None,
    registry: Registry = REGISTRY,
    cache: BuildCache | None = None,
) -> list[Problem]:
    """Every problem in all content, drafts included, style warnings too. Nothing is rendered."""
    _, _, problems = _validate_and_link(
        content_dir,
        include_unpublished=True,
        today=today or dt.date.today(),
        docs_dir=docs_dir,
        include_demo=True,
        registry=registry,
        cache=cache,
    )
    return sorted(problems)


def build(
    content_dir: Path,
    *,
    include_unpublished: bool = False,
    today: dt.date | None = None,
    docs_dir: Path | None = None,
    site_url: str = "",
    include_demo: bool = True,
    registry: Registry = REGISTRY,
    cache: BuildCache | None = None,
    extra: Mapping[str, Any] | None = None,
    site_name: str | None = None,
) -> BuildResult:
    """Pages and files for one build. Raises ``ContentError`` if any entry, published or not, has an error.
    ``extra``: the site's settings (mkdocs.yml ``extra``: map tiles, open-data licence); ``site_name``: the site's
    name in citations (None: this project's mkdocs.yml)."""
    catalog, context, problems = _validate_and_link(
        content_dir,
        include_unpublished=include_unpublished,
        today=today or dt.date.today(),
        docs_dir=docs_dir,
        include_demo=include_demo,
        registry=registry,
        cache=cache,
    )
    if errors_in(problems):
        raise ContentError(problems)
    synonyms = [(term.use, term.avoid) for term in context.terms if term.avoid]
    renderer = Renderer(catalog, site_url=site_url, synonyms=synonyms, cache=cache, extra=extra, site_name=site_name)
    pages = renderer.render_all()
    files = export_all(
        catalog,
        ExportContext(site_url=renderer.site_url, media_dir=content_dir / MEDIA_DIR, cache=cache, extra=extra or {}, site_name=site_name),
    )
    files[ROBOTS_FILE] = robots_txt(site_url)  # a file like any other: every engine publishes it as it is
    return BuildResult(pages, catalog, sorted(p for p in problems if p.severity is not Severity.ERROR), files)
