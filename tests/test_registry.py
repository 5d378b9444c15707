"""The collection registry: a new collection is one declaration, and everything else follows from it.

A throwaway collection ("plaques", with a reference to sites) is added here the way a newcomer would: a model,
a template, a registry entry. Link checking, back-links, JSON Schema, the field dictionary, `make new`, the nav,
reserved ids and the preview cache then work for it without touching any other module.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Optional

import jsonschema
import pytest
from pydantic import Field

from heritage import build, check
from heritage.collections.registry import REGISTRY
from heritage.core.cache import BuildCache
from heritage.core.catalog import Collection
from heritage.core.schema import EntryBase, Text, _config, ref
from heritage.outputs.json_schema import render_schema, write_schemas
from heritage.outputs.scaffold import kinds, scaffold, usage
from heritage.pages.fields import describe

TODAY = dt.date(2026, 11, 26)


class Plaque(EntryBase):
    model_config = _config("标志牌")

    title: Text = Field(description="标志牌上的文字")
    site: ref("sites") = Field(description="所在遗址的编号")
    near: list[ref("sites")] = Field(default_factory=list, description="附近的遗址")
    erected: Optional[Text] = Field(None, description="设立年份")


PLAQUE_TEMPLATE = """{{ {"title": e.title, "description": e.summary}|front_matter }}
# {{ e.title|inline }}

{{ e.summary }}

位于：[{{ related(entry, "sites")[0].title|inline if related(entry, "sites") else "" }}]({{ link_to(related(entry, "sites")[0]) if related(entry, "sites") else "" }})
"""

PLAQUE = """status: published
title: 测试标志牌
site: alpha-hq
summary: 一块用于测试新集合的标志牌条目。
sources:
  - s
reviewed:
  by: 测试审核人
  date: 2026-11-26
updated: 2026-11-26
"""


@pytest.fixture
def registry(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "plaque.md.j2").write_text(PLAQUE_TEMPLATE, encoding="utf-8")
    collection = Collection(
        name="plaques", label="标志牌", kind="plaque", model=Plaque, template="plaque.md.j2", schema_file="plaque.schema.json"
    )
    return REGISTRY.with_collection(collection, templates_dir=templates)


@pytest.fixture
def plaque_content(content):
    (content / "plaques").mkdir()
    (content / "plaques" / "first.yml").write_text(PLAQUE, encoding="utf-8")
    return content


def test_new_collection_builds_its_pages_and_listing(plaque_content, registry):
    result = build(plaque_content, today=TODAY, registry=registry)
    assert "# 测试标志牌" in result.pages["plaques/first.md"]
    assert '<a class="hc-card__title" href="first/">测试标志牌</a>' in result.pages["plaques/index.md"]
    assert "plaques/index.md" in registry.listing_uris()


def test_reference_field_is_checked_without_any_link_code(plaque_content, registry):
    path = plaque_content / "plaques" / "first.yml"
    path.write_text(PLAQUE.replace("site: alpha-hq", "site: no-such-site"), encoding="utf-8")
    [error] = check(plaque_content, today=TODAY, registry=registry)
    assert (error.path, error.line, error.field) == ("content/plaques/first.yml", 3, "site")
    assert "找不到红色遗址条目 “no-such-site”" in error.message


def test_reference_in_a_rejected_entry_is_still_reported(plaque_content, registry):
    path = plaque_content / "plaques" / "first.yml"
    path.write_text(PLAQUE.replace("site: alpha-hq", "site: no-such-site").replace("title: 测试标志牌\n", ""), encoding="utf-8")
    fields = sorted(p.field for p in check(plaque_content, today=TODAY, registry=registry))
    assert fields == ["site", "title"]


def test_back_links_appear_on_the_referenced_page(plaque_content, registry):
    """A top-level reference field is a mention; the site page reaches it through the catalog."""
    result = build(plaque_content, today=TODAY, registry=registry)
    alpha = result.catalog.entries[("sites", "alpha-hq")]
    assert [m.source.id for m in result.catalog.mentions_of(alpha) if m.source.collection == "plaques"] == ["first"]


def test_related_references_show_on_both_pages(plaque_content, registry):
    """References under `related` link both ways; every page lists related entries of other collections."""

    from pydantic import BaseModel

    class PlaqueRelated(BaseModel):
        sites: list[ref("sites")] = Field(default_factory=list, description="相关遗址")

    class LinkedPlaque(Plaque):
        model_config = _config("标志牌")
        related: PlaqueRelated = Field(default_factory=PlaqueRelated, description="相关条目")

    linked = registry.with_collection(
        Collection(
            name="linked", label="关联标志牌", kind="linked", model=LinkedPlaque, template="plaque.md.j2", schema_file="linked.schema.json"
        )
    )
    (plaque_content / "linked").mkdir()
    (plaque_content / "linked" / "second.yml").write_text(
        PLAQUE.replace("测试标志牌", "第二块标志牌") + "related:\n  sites:\n    - gamma-memorial\n", encoding="utf-8"
    )
    result = build(plaque_content, today=TODAY, registry=linked)
    gamma = result.pages["sites/gamma-memorial.md"]
    assert "## 相关关联标志牌" in gamma and "[第二块标志牌](../linked/second.md)" in gamma


def test_json_schema_field_dictionary_and_scaffold_follow(plaque_content, registry, tmp_path):
    schema = json.loads(render_schema("plaques", registry))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert "site" in schema["properties"] and "sources" in schema["properties"]
    assert [p.name for p in write_schemas(tmp_path / "schemas", registry)][-1] == "plaque.schema.json"
    fields = build(plaque_content, today=TODAY, registry=registry).pages["fields.md"]
    assert "## 标志牌" in fields and "| `site` |" in fields and "sites 条目编号" in fields
    assert [d.key for d in describe(Plaque)][:3] == ["status", "title", "aliases"]
    path = scaffold("plaque", "new-plaque", plaque_content, today=TODAY, registry=registry)
    text = path.read_text(encoding="utf-8")
    assert "$schema=../../schemas/plaque.schema.json" in text and "\nsite:" in text


def test_nav_and_reserved_ids_follow(registry):
    assert {"标志牌": "plaques/index.md"} in registry.nav()
    assert "index" in registry["plaques"].reserved_ids()
    assert "streets" in registry["sites"].reserved_ids()


def test_preview_cache_sees_an_edit_of_a_new_collections_entry(plaque_content, registry):
    cache = BuildCache()
    build(plaque_content, today=TODAY, registry=registry, cache=cache)
    path = plaque_content / "plaques" / "first.yml"
    path.write_text(PLAQUE.replace("测试标志牌", "改过的标志牌"), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    pages = build(plaque_content, today=TODAY, registry=registry, cache=cache).pages
    assert "改过的标志牌" in pages["plaques/first.md"] and "改过的标志牌" in pages["plaques/index.md"]


def test_an_unknown_folder_is_named_with_the_registered_ones(plaque_content):
    problems = check(plaque_content, today=TODAY)  # the default registry has no plaques
    assert any(p.path == "content/plaques" and "content/sites/" in p.message for p in problems)


# --- a complete collection pull request: the five files --------------------------------------------------------------
#
# 1. the collection module (here the Plaque model above; page_context and the like, if any, beside it),
# 2. its entry page template (PLAQUE_TEMPLATE, build_hooks/templates/plaque.md.j2),
# 3. its declaration in collections/registry.py (the Collection in the `registry` fixture),
# 4. its JSON Schema file, written by `make schemas` (schemas/plaque.schema.json),
# 5. its test (this file's tests).
# Everything below follows from those without editing any other file: the kinds `make new` lists, the open data,
# the nav, and no existing page of the fixture site changes.


def test_make_new_lists_the_new_kind(registry):
    assert ("plaque", "标志牌", "plaques") in kinds(registry)
    assert "plaque" in usage(registry) and "content/plaques/" in usage(registry)
    assert "plaque" not in usage()  # the default registry knows nothing of it


def test_open_data_exports_the_new_collection(plaque_content, registry):
    result = build(plaque_content, today=TODAY, registry=registry)
    [row] = json.loads(result.files["data/plaques.json"])
    assert (row["id"], row["title"], row["site"]) == ("first", "测试标志牌", "alpha-hq")
    assert "first" in result.files["data/plaques.csv"]
    resources = [r["path"] for r in json.loads(result.files["data/datapackage.json"])["resources"]]
    assert {"plaques.csv", "plaques.json"} <= set(resources)
    assert "标志牌" in result.pages["data.md"]


def test_nothing_else_changes_with_a_new_collection(content, registry):
    """Every page and file of a build without the collection is the same with it, except the collection's own and the
    pages made from every collection: the home page's counts, the A–Z index, the data page and package, the field
    dictionary, and the page of the source the new entry cites (which lists it). The fixture site's goldens stay as
    they are: a collection's test brings its entries in a copy."""
    before = build(content, today=TODAY)
    (content / "plaques").mkdir()
    (content / "plaques" / "first.yml").write_text(PLAQUE, encoding="utf-8")
    after = build(content, today=TODAY, registry=registry)
    derived = {"index.md", "a-z.md", "data.md", "fields.md", "data/datapackage.json", "sources/s.md"}
    assert "plaques/first.md" not in before.pages["sources/s.md"] and "(../plaques/first.md)" in after.pages["sources/s.md"]
    changed = {uri for uri in before.pages if before.pages[uri] != after.pages[uri]}
    changed |= {uri for uri in before.files if before.files[uri] != after.files[uri]}
    assert changed <= derived
    own = {uri for uri in [*after.pages, *after.files] if uri not in before.pages and uri not in before.files}
    assert own and all("plaques" in uri for uri in own), own


def test_demo_and_embargo_are_declared_by_the_model(content, registry):
    """What a build may show follows the model's declarations (EntryBase.is_demo, .embargoed_until), whatever the
    collection is called: no stage names the field."""

    class Sign(Plaque):
        model_config = _config("告示牌")
        fictional: bool = Field(False, description="虚构")
        hidden_until: Optional[dt.date] = Field(None, description="在此日期之前不公开")

        @property
        def is_demo(self) -> bool:
            return self.fictional

        @property
        def embargoed_until(self) -> dt.date | None:
            return self.hidden_until

    signs = registry.with_collection(
        Collection(name="signs", label="告示牌", kind="sign", model=Sign, template="plaque.md.j2", schema_file="sign.schema.json")
    )
    (content / "signs").mkdir()
    for name, extra in [("open", ""), ("fiction", "fictional: true\n"), ("later", "hidden_until: 2027-01-01\n")]:
        (content / "signs" / f"{name}.yml").write_text(PLAQUE + extra, encoding="utf-8")
    shown = build(content, today=TODAY, registry=signs)
    assert {uri for uri in shown.pages if uri.startswith("signs/") and uri != "signs/index.md"} == {"signs/open.md", "signs/fiction.md"}
    released = build(content, today=TODAY, registry=signs, include_demo=False)
    assert "signs/fiction.md" not in released.pages and "signs/open.md" in released.pages
    assert "signs/later.md" in build(content, today=dt.date(2027, 1, 2), registry=signs).pages


def test_card_facts_and_filters_of_a_new_collection_show_on_the_default_listing(plaque_content, registry):
    """A collection that declares no listing template still gets what it declares: card_meta under each title and
    its client-side filters (shown once two values occur)."""
    from dataclasses import replace

    from heritage.core.catalog import ListingFilter

    second = PLAQUE.replace("title: 测试标志牌", "title: 第二块标志牌").replace("site: alpha-hq", "site: gamma-memorial")
    (plaque_content / "plaques" / "second.yml").write_text(second, encoding="utf-8")
    plaques = replace(
        registry["plaques"],
        card_meta=lambda e: [f"位于 {e.model.site}"],
        filters=(ListingFilter("site", "所在遗址", lambda e: [(e.model.site, e.model.site)], refers_to="sites"),),
    )
    with_meta = replace(registry, collections=tuple(plaques if c.name == "plaques" else c for c in registry.collections))
    page = build(plaque_content, registry=with_meta, today=TODAY).pages["plaques/index.md"]
    assert "<small>位于 alpha-hq</small>" in page and "<small>位于 gamma-memorial</small>" in page
    assert 'data-filter="site"' in page
    assert '<option value="alpha-hq">甲村东江纵队司令部测试旧址</option>' in page  # an id shown by its title
