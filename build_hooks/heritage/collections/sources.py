"""Sources (content/sources/): one file per source, shared by every entry that cites it.

An entry lists the ids of the sources it relies on (``sources: [pe109, seed]``) and cites them in footnotes
(``[^pe109]``) and in the ``source:`` of its dated facts, names and accounts. The source's own file says what it is
(title, publisher, author, date, where it was read, what kind of source), how far it can be trusted (``weak``;
``verified``: who compared it with the original, and when) and — the part the claim check reads
(``checks/support.py``) — its **excerpts**: the passages the site relies on, each with where it stands.

An excerpt is one of two forms, and the page says which:
- ``quote``: words as the source writes them, copied exactly (short).
- ``record``: what the project's fact sheet records the source as saying, when the words themselves were not
  copied (often an English note by the researcher). It backs dates, numbers and names, and a quotation only of
  Chinese words of a Chinese-language source (the sheet writes those as the source does), never an English
  source's words translated; it is shown to readers as a record, not as the source's words.

A source's page lists what the source says that the site uses and every entry that cites it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Optional

from pydantic import BaseModel, Field, StrictBool, model_validator
from pydantic_core import PydanticCustomError

from heritage.core.schema import EntryBase, HistDate, Label, Sentence, Text, Url, _config

if TYPE_CHECKING:  # pragma: no cover
    from heritage.core.catalog import PageContext
    from heritage.core.entry import Entry

SOURCES = "sources"  # the collection's folder: every entry's ``sources`` list names its entries

# What kind of source it is: the reader's first measure of how much it can carry.
SOURCE_KINDS = {
    "official": "官方发布",
    "news": "新闻报道",
    "journal": "期刊文章",
    "book": "书籍",
    "memoir": "回忆录",
    "encyclopedia": "百科条目",
    "reference": "工具书",
    "video": "视频",
    "forum": "论坛帖子",
    "blog": "个人文章",
    "aggregator": "聚合网站",
}
LANGUAGES = {"zh-Hans": "简体中文", "zh-Hant": "繁体中文", "en": "英文", "ja": "日文"}
EXCERPT_FORMS = {"quote": "原文摘录", "record": "资料卡记录（非原文）"}


class Excerpt(BaseModel):
    model_config = _config("摘录")

    text: Text = Field(
        description="quote：照原文逐字抄录（简短）；record：项目资料卡对这份资料内容的记录（可为英文）",
        examples=["1943年12月2日，东江纵队在土洋村宣告成立"],
    )
    at: Label = Field(description="摘录在资料中的位置，如“第3段”“网页开头摘录”“资料卡第二部分 §1.1”", examples=["网页开头摘录"])
    form: Literal[tuple(EXCERPT_FORMS)] = Field(  # type: ignore[valid-type]
        "quote", description="quote（原文摘录，可用于引号内的引语）或 record（资料卡记录，只用于核对日期、数字和名称）"
    )


class Verification(BaseModel):
    model_config = _config("原文核对记录")

    by: Label = Field(description="核对人的角色（编辑、审核），可加姓名", examples=["编辑"])
    date: dt.date = Field(description="核对日期 YYYY-MM-DD", examples=["2026-12-07"])


class Source(EntryBase):
    """A source, as the site cites it. Its title is the original title in 《》, or a description when the title is
    not known."""

    TITLE_FIELD: ClassVar[str] = "title"
    NEEDS_SOURCES: ClassVar[bool] = False  # a source is not itself sourced, nor reviewed like an entry
    UNUSED_FIELDS: ClassVar[tuple[str, ...]] = ("body", "disputes", "sources", "reviewed")
    LEADING_FIELDS: ClassVar[tuple[str, ...]] = ("status", "description", "aliases")

    title: Optional[Sentence] = Field(None, description="原标题，照原文照录（页面上加书名号）；不知道原标题时不填，改写 description")
    description: Optional[Sentence] = Field(
        None, description="原标题不详时对资料的描述（页面上不加书名号）", examples=["关于大鹏新区2022年党建工作任务的报道"]
    )
    kind: Literal[tuple(SOURCE_KINDS)] = Field(  # type: ignore[valid-type]
        description="资料类别：" + "、".join(f"{k} {v}" for k, v in SOURCE_KINDS.items())
    )
    publisher: Optional[Label] = Field(None, description="原始发布者（转载页请写原刊登的媒体）", examples=["深圳晚报"])
    author: Optional[Label] = Field(None, description="作者")
    published: Optional[HistDate] = Field(None, description="原文发布日期：YYYY、YYYY-MM 或 YYYY-MM-DD")
    url: Optional[Url] = Field(None, description="实际阅读到原文的网址（可能是转载页）", examples=["https://www.dpxq.gov.cn/"])
    accessed: Optional[dt.date] = Field(None, description="访问日期 YYYY-MM-DD；有网址时必填")
    access_copy: StrictBool = Field(False, description="true 表示所读网页是转载、镜像或聚合页，不是原发布者的页面")
    language: Literal[tuple(LANGUAGES)] = Field("zh-Hans", description="资料的语言：zh-Hans、zh-Hant、en、ja")  # type: ignore[valid-type]
    weak: StrictBool = Field(
        False,
        description="来源较弱：旅游聚合页、垃圾站或洗稿转载、论坛帖子、个人博客、小说化的书籍节选、机器翻译等。页面上凡引用处都会标注“来源较弱”",
    )
    verified: Optional[Verification] = Field(
        None, description="已有人把所读网页与原始出版物（原报、原刊、原书）逐字核对过时填写：核对人角色和日期；未核对不填"
    )
    note: Optional[Sentence] = Field(None, description="备注，如“王作尧子女的回忆文章”")
    excerpts: list[Excerpt] = Field(default_factory=list, description="本站依据的段落：每条注明位置和形式（原文摘录或资料卡记录）")
    summary: Optional[Sentence] = Field(None, description="简介；不填时由标题、发布者和日期生成")  # type: ignore[assignment]

    @model_validator(mode="after")
    def _title_or_description(self) -> Source:
        if self.title is None and self.description is None:
            raise PydanticCustomError("source_title", "请填写 title（原标题）；不知道原标题时填写 description（对资料的描述）。", {})
        if self.summary is None:  # cards and the page description: what it is and, when known, how it was read
            self.summary = self.citation_text + (self.note or "")
        return self

    def cross_checks(self) -> list[tuple[tuple, str]]:
        problems = []
        for name in self.UNUSED_FIELDS:
            if name in self.model_fields_set:
                problems.append(((name,), f"资料来源文件不写 {name}：摘录写在 excerpts，说明写在 note。"))
        if self.url and self.accessed is None:
            problems.append((("accessed",), "有网址的来源必须写访问日期 `accessed: YYYY-MM-DD`。"))
        if self.is_published and not self.excerpts:
            problems.append((("excerpts",), "已发布的来源至少要有一条摘录（excerpts），写明本站依据的原文或资料卡记录及其位置。"))
        return problems

    @property
    def display_title(self) -> str:
        return self.title or str(self.description)

    @property
    def label(self) -> str:
        """How the source is named in running text: 《title》 for a real title, the description otherwise."""
        return f"《{self.title}》" if self.title else str(self.description)

    @property
    def citation_text(self) -> str:
        parts = [p for p in (self.publisher, self.label, self.author, self.published) if p]
        return "，".join(parts) + "。"


def source_card_meta(entry: Entry) -> list[str]:
    model: Source = entry.model  # type: ignore[assignment]
    meta = [SOURCE_KINDS[model.kind], LANGUAGES[model.language]]
    if model.weak:
        meta.append("来源较弱")
    return meta


def source_kind(entry: Entry) -> list[tuple[str, str]]:
    """The listing's filter by kind (and weak sources apart): how a reader finds the official notices first."""
    model: Source = entry.model  # type: ignore[assignment]
    return [(model.kind, SOURCE_KINDS[model.kind])] + ([("weak", "来源较弱")] if model.weak else [])


def source_page_context(renderer: PageContext, entry: Entry) -> dict[str, Any]:
    """What the page adds to the source's own fields: every shown entry that cites it, by collection."""
    citing: dict[str, list[Entry]] = {}
    for mention in renderer.catalog.mentions_of(entry):
        group = citing.setdefault(renderer.registry[mention.source.collection].label, [])
        if mention.source not in group:
            group.append(mention.source)
    return {
        "citing": [(label, sorted(found, key=lambda e: e.id)) for label, found in citing.items()],
        "kinds": SOURCE_KINDS,
        "languages": LANGUAGES,
        "forms": EXCERPT_FORMS,
    }


class SourceView:
    """A source as an entry page cites it: its id and page, and its model's fields read through (``s.title``,
    ``s.weak`` …), so the footnote templates need not know where sources live."""

    __slots__ = ("id", "model", "src_uri")

    def __init__(self, source_id: str, model: Source) -> None:
        self.id, self.model = source_id, model
        self.src_uri = f"{SOURCES}/{source_id}.md"  # its page, as templates' link_to() reads it

    def __getattr__(self, name: str) -> Any:
        return getattr(self.model, name)
