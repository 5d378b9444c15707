"""One visibility filter for every output: nothing hidden reaches any file of any build.

A content tree is made from the fixture: for every collection that some reference field names, hidden targets —
a draft, an entry under review and, where the model has them, an embargoed record, a demonstration entry, a record
whose narrator asked to stay anonymous, and a record with a withheld segment. Then, for every collection of the
registry, published hosts whose EVERY reference field (found from the models by ``link.reference_paths``, never
listed here) names those targets, one per round. The real builds (``python -m heritage build`` and ``release``)
and the offline package made from the built site are scanned byte by byte, compressed files decompressed, for
the marker each hidden thing carries (its id, its title, a withheld segment's id, a narrator's real name).
"""

from __future__ import annotations

import copy
import datetime as dt
import gzip
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import brotli
import pytest
import yaml

from conftest import FIXTURE_CONTENT, ROOT
from heritage.collections.registry import REGISTRY
from heritage.core.references import ANY, reference_paths

pytestmark = pytest.mark.site

PREFIX = "zqvis"  # every marker starts with it: ids are slugs, so markers are lower-case words
REAL_NAME = "ZQVISREALNAME"  # the anonymous narrator's real name
WITHHELD_SEGMENT = f"{PREFIX}-withheld-segment"  # a withheld segment's id (its title carries it too)
FAR_FUTURE = dt.date(2999, 1, 1)
SITE_URL = "https://red.example.org/"


def _model(collection: str):
    return REGISTRY[collection].model


def _template(collection: str) -> dict:
    """The first published entry of the fixture in ``collection``: a valid entry to copy from."""
    for path in sorted((FIXTURE_CONTENT / collection).glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data["status"] == "published":
            return data
    raise AssertionError(f"tests/fixtures has no published entry in {collection}: add one to copy from")


def _retitle(data: dict, collection: str, marker: str) -> None:
    data[_model(collection).TITLE_FIELD] = f"隐藏测试条目{marker}"
    data["summary"] = f"只用于可见性测试的隐藏条目 {marker}。"
    data.pop("aliases", None)


def _targets(collection: str) -> dict[str, dict]:
    """id → data of every hidden (or protected) target in ``collection``, derived from what its model has."""
    model = _model(collection)
    fields = model.model_fields
    made: dict[str, dict] = {}

    def new(kind: str, **changes) -> dict:
        data = copy.deepcopy(_template(collection))
        if "demo" in fields:
            data["demo"] = False
        data.update(changes)
        entry_id = f"{PREFIX}-{kind}-{collection}"
        _retitle(data, collection, entry_id)
        made[entry_id] = data
        return data

    new("draft", status="draft")
    new("review", status="review")
    if "demo" in fields:
        new("demo", status="published", demo=True)
    if "consent" in fields:
        data = new("embargo", status="published")
        data["consent"]["embargo_until"] = FAR_FUTURE
    if "narrator" in fields:
        data = new("anonymous", status="published")
        data["narrator"] = {"name": REAL_NAME, "display": "anonymous"}
        data.setdefault("media", {})["checked"] = True  # the recording was checked: nothing names the narrator
    if "segments" in fields:
        data = new("withheld", status="published")
        data["segments"][-1].update(id=WITHHELD_SEGMENT, title=f"不公开片段 {WITHHELD_SEGMENT}", redacted=True)
        data.setdefault("media", {})["checked"] = True
    return made


def _part_values(collection: str, part: str, targets: dict[str, dict]) -> list[str]:
    """``entry#item`` references to an item of every hidden target (the withheld one to its withheld item)."""
    values = []
    for entry_id, data in targets.items():
        items = data.get(part) or []
        assert items, f"the fixture's {collection} entry has no {part}: add one"
        item = next((i for i in items if i.get("redacted")), items[0]) if entry_id.endswith("-withheld-" + collection) else items[0]
        values.append(f"{entry_id}#{item['id']}")
    return values


def _plant(data, pattern: tuple, value: str, path: str) -> None:
    """Put ``value`` at ``pattern`` (a ``reference_paths`` pattern): appended to a list of ids; a single id in the
    first item of a list of mappings (a route's first stop), never repeated in the others."""
    head, rest = pattern[0], pattern[1:]
    if head is ANY:
        assert isinstance(data, list), path
        if not rest:
            data.append(value)
            return
        assert data, f"{path}: the template has no item here; add one to the fixture"
        targets = data if rest[-1] is ANY else data[:1]
        for item in targets:
            _plant(item, rest, value, path)
        return
    if not rest:
        data[head] = value
        return
    if data.get(head) is None:
        data[head] = [] if rest[0] is ANY and len(rest) == 1 else {}
    _plant(data[head], rest, value, f"{path}.{head}")


def make_content(root: Path) -> dict[str, set[str]]:
    """Write the content tree; return the markers that must appear nowhere (``always``) and those that only a
    build including demonstration data may show, never in open data (``demo``)."""
    shutil.copytree(FIXTURE_CONTENT, root)
    fields = [(c.name, pattern, reference) for c in REGISTRY for pattern, reference in reference_paths(c.model)]
    assert fields, "the registry declares no reference field"
    targets = {name: _targets(name) for name in {reference.collection for _, _, reference in fields}}
    values = {}
    for _, _, reference in fields:
        known = targets[reference.collection]
        if reference.part:
            values[reference] = _part_values(reference.collection, reference.part, known)
        else:
            values[reference] = list(known)
    rounds = max(len(v) for v in values.values())
    for collection in REGISTRY:
        for round_ in range(rounds):
            host = copy.deepcopy(_template(collection.name))
            if "demo" in collection.model.model_fields:
                host["demo"] = False
            if "duration_minutes" in host and not collection.model.model_fields["duration_minutes"].is_required():
                host.pop("duration_minutes")  # an optional total the planted stops would no longer add up to
            for name, pattern, reference in fields:
                # A shown entry citing a withheld source is refused outright, by check and by every build
                # (test_sources.py): none can carry one. The hidden sources are still written, below, and must
                # still appear nowhere (listing, search, open data, A–Z).
                if name == collection.name and reference.collection != "sources":
                    _plant(host, pattern, values[reference][round_ % len(values[reference])], name)
            _write(root / collection.name / f"host-{round_}.yml", host)
    for name, made in targets.items():
        for entry_id, data in made.items():
            _write(root / name / f"{entry_id}.yml", data)
    shown = ("-demo-", "-anonymous-", "-withheld-")  # a record with a withheld segment, or an anonymous narrator, is shown
    always = {entry_id for made in targets.values() for entry_id in made if not any(kind in entry_id for kind in shown)}
    always |= {REAL_NAME, WITHHELD_SEGMENT, "ZQXJDRAFT", "ZQXJREVIEW", "ZQXJREDACTED"}
    demo = {entry_id for made in targets.values() for entry_id in made if "-demo-" in entry_id}
    assert demo and any("-embargo-" in m for m in always) and any("-withheld-" in m for m in always)
    return {"always": always, "demo": demo}


def _write(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HERITAGE_DEMO", "HERITAGE_PREVIEW")}
    environment.update(PYTHONPATH=str(ROOT / "build_hooks"), NO_MKDOCS_2_WARNING="1", **env)
    return subprocess.run([sys.executable, "-m", "heritage", *args], cwd=ROOT, env=environment, capture_output=True, text=True)


def readable(name: str, data: bytes) -> bytes:
    """A file as a reader gets it: gzip (Pagefind's files, .gz copies) and brotli (.br copies) decompressed."""
    if data[:2] == b"\x1f\x8b":
        return gzip.decompress(data)
    if name.endswith(".br"):
        return brotli.decompress(data)
    return data


def leaks(files: dict[str, bytes], markers: set[str]) -> list[str]:
    found = []
    for name, data in files.items():
        data = readable(name, data)
        lowered = data.lower()
        found += [f"{marker} in {name}" for marker in sorted(markers) if marker.encode() in data or marker.lower().encode() in lowered]
    return found


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> tuple[Path, dict[str, set[str]]]:
    root = tmp_path_factory.mktemp("visibility") / "content"
    markers = make_content(root)
    return root, markers


@pytest.fixture(scope="module")
def fixture_entries():
    from conftest import valid_entries

    return {entry.key: entry for entry in valid_entries(FIXTURE_CONTENT)}


def test_one_filter_decides_entries_items_references_and_names(fixture_entries):
    """The release, the normal build, the preview and open data: the same questions, one object answering."""
    from heritage.core.schema import Reference
    from heritage.core.visibility import Visibility

    today = dt.date(2026, 11, 26)
    draft, record = fixture_entries[("sites", "delta-draft")], fixture_entries[("oral-history", "beta-record")]
    build_ = Visibility(include_unpublished=False, include_demo=True, today=today, entries=fixture_entries)
    preview = Visibility(include_unpublished=True, include_demo=True, today=today, entries=fixture_entries)
    release = Visibility(include_unpublished=False, include_demo=False, today=today, entries=fixture_entries)
    assert not build_.entry(draft) and preview.entry(draft) and not preview.for_open_data().entry(draft)
    assert build_.entry(record) and not release.entry(record) and not build_.for_open_data().entry(record)
    segment = Reference("oral-history", "segments")
    assert build_.reference("beta-record#seg-1", segment) and not build_.reference("beta-record#second", segment)
    assert not release.reference("beta-record#seg-1", segment) and not build_.reference("nope#seg-1", segment)
    assert not build_.reference("delta-draft", Reference("sites")) and preview.reference("delta-draft", Reference("sites"))
    later = Visibility(include_unpublished=True, today=dt.date(2020, 1, 1), entries=fixture_entries)
    record.model.consent.embargo_until, before = dt.date(2021, 1, 1), record.model.consent.embargo_until
    try:
        assert not later.entry(record) and "2021-01-01" in later.hidden_because(record)  # even in the preview
    finally:
        record.model.consent.embargo_until = before
    data = {"related": {"sites": ["alpha-hq", "delta-draft"]}}
    assert build_.public_references(data, type(draft.model)) == {"related": {"sites": ["alpha-hq"]}}
    narrator = record.model.narrator.model_copy(update={"name": "真名", "display": "initials", "initials": "陈某"})
    assert build_.narrator_name(narrator) == "陈某"
    assert build_.narrator_name(narrator.model_copy(update={"display": "anonymous"})) == "匿名受访者"


def _id_fields(model, prefix=()):
    """(path, is a reference) of every field of a model whose value is written as an entry id with an item
    (``entry-id#item-id``), wherever it sits."""
    from pydantic import BaseModel

    from heritage.core.schema import PART_PATTERN, Reference
    from heritage.pages.fields import _unwrap

    for name, info in model.model_fields.items():
        core, _, metadata = _unwrap(info.annotation)
        metadata += list(info.metadata)
        path = (*prefix, info.alias or name)
        if isinstance(core, type) and issubclass(core, BaseModel):
            yield from _id_fields(core, path)
        elif any(getattr(m, "pattern", None) == PART_PATTERN for m in metadata):
            yield path, any(isinstance(m, Reference) for m in metadata)


def test_every_field_that_names_an_item_of_another_entry_is_a_reference():
    """The filter finds references by their type: a field written ``record#segment`` without the type would be
    exported unfiltered (a lesson's ``outline[].segments`` was)."""
    for collection in REGISTRY:
        untyped = [".".join(path) for path, typed in _id_fields(collection.model) if not typed]
        assert not untyped, f"{collection.name}: {untyped} name entries but are not typed schema.ref(...)"


def test_the_planted_content_is_valid_and_every_reference_field_holds_hidden_targets(content):
    from heritage import check
    from heritage.core.references import references_in_data

    root, markers = content
    problems = [p for p in check(root) if p.severity.value == "error"]
    assert problems == []
    for collection in REGISTRY:
        data = yaml.safe_load((root / collection.name / "host-0.yml").read_text(encoding="utf-8"))
        written = {path for path, *_ in references_in_data(data, collection.model)}
        for pattern, _ in reference_paths(collection.model):
            if pattern[0] in collection.model.UNUSED_FIELDS:
                continue  # a field the collection refuses (a source lists no sources)
            assert any(len(p) == len(pattern) and all(a is ANY or a == b for a, b in zip(pattern, p, strict=True)) for p in written), (
                collection.name,
                pattern,
            )


def test_no_hidden_thing_in_any_file_of_a_build_and_its_offline_package(content, tmp_path):
    """``make build`` (demonstration records shown with their label): drafts, entries under review, embargoed
    records, withheld segments and a protected narrator's name appear in no file; demonstration records in no
    open-data file. The offline package is the same site in a zip."""
    from heritage.outputs.offline import package

    root, markers = content
    site = tmp_path / "site"
    result = run_cli("--content", str(root), "build", "--site-dir", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    files = tree(site)
    assert any(name.endswith(".pf_fragment") for name in files) and "sitemap.xml" in files
    assert "data/lessons.json" in files and any(name.endswith(".vtt") for name in files)
    problems = leaks(files, markers["always"])
    problems += leaks({n: d for n, d in files.items() if n.startswith("data/")}, markers["demo"])
    assert not problems, "\n".join(problems)
    assert leaks(files, markers["demo"]), "the build shows demonstration records (with their label) outside open data"

    zipped = tmp_path / "offline.zip"
    package(site, zipped)
    with zipfile.ZipFile(zipped) as archive:
        inside = {name: archive.read(name) for name in archive.namelist() if not name.endswith("/")}
    assert not leaks(inside, markers["always"])


def test_no_hidden_or_demonstration_thing_in_any_file_of_a_release(content, tmp_path):
    """``make release``: no demonstration record either, in any file, its .gz and .br copies included, and QR codes
    only for what is published."""
    root, markers = content
    site = tmp_path / "site"
    result = run_cli("--content", str(root), "release", "--site-dir", str(site), SITE_URL=SITE_URL)
    assert result.returncode == 0, result.stdout + result.stderr
    files = tree(site)
    assert any(name.endswith(".br") for name in files) and any(name.endswith("qr.svg") for name in files)
    files.update({p.name: p.read_bytes() for p in site.parent.glob("site.*") if p.is_file()})
    problems = leaks(files, markers["always"] | markers["demo"])
    assert not problems, "\n".join(problems)
