"""Red heritage sites (content/sites/): the model of a site entry and its parts (address, protection, visiting).

Declared in ``registry.py`` like every collection; what a site's listing, facets and JSON-LD look like is there too.
"""

from __future__ import annotations

from typing import ClassVar, Literal, Optional

from pydantic import BaseModel, Field, StrictBool

from heritage.core import vocab
from heritage.core.schema import (
    Body,
    DatedFact,
    EntryBase,
    HistDate,
    Image,
    Label,
    Location,
    Period,
    Sentence,
    SourceRef,
    Teaching,
    Text,
    _config,
    ref,
)


class Address(BaseModel):
    model_config = _config("地址")

    text: Label = Field(description="完整地址", examples=["深圳市大鹏新区葵涌街道土洋社区中心巷16号"])
    source: SourceRef = Field(description="来源编号")


class Protection(BaseModel):
    model_config = _config("文物保护级别")

    level: Literal[tuple(vocab.PROTECTION_LEVELS)] = Field(description="保护级别")  # type: ignore[valid-type]
    batch: Optional[Label] = Field(None, description="公布批次", examples=["第八批"])
    date: Optional[HistDate] = Field(None, description="公布日期：YYYY、YYYY-MM 或 YYYY-MM-DD")
    number: Optional[Label] = Field(None, description="编号", examples=["8-0679-5-163"])
    source: SourceRef = Field(description="来源编号")


class Visiting(BaseModel):
    model_config = _config("参观信息")

    hours: Optional[Sentence] = Field(None, description="开放时间")
    booking: Optional[Sentence] = Field(None, description="预约方式")
    transport: Optional[Text] = Field(None, description="交通")
    accessibility: Optional[Sentence] = Field(None, description="无障碍设施")
    source: SourceRef = Field(description="来源编号")


class SiteRelated(BaseModel):
    model_config = _config("相关条目")

    oral_history: list[ref("oral-history")] = Field(
        default_factory=list, description="相关口述史条目编号（文件名）", examples=[["demo-tuyang-memories"]]
    )
    sites: list[ref("sites")] = Field(default_factory=list, description="相关遗址条目编号（文件名）")


class Site(EntryBase):
    model_config = _config("红色遗址")
    TITLE_FIELD: ClassVar[str] = "name"
    TITLE_IS_A_NAME: ClassVar[bool] = True

    name: Label = Field(description="正式名称，与文物标志牌一致", examples=["土洋村东江纵队司令部旧址"])
    name_en: Optional[Label] = Field(
        None, description="英文名称", examples=["Former Headquarters of the East River Column, Tuyang Village"]
    )
    kind: Literal[tuple(vocab.SITE_KINDS)] = Field(description="类别")  # type: ignore[valid-type]
    street: Literal[tuple(vocab.STREETS)] = Field(description="所在街道")  # type: ignore[valid-type]
    street_inferred: StrictBool = Field(
        False, description="所在街道是本站推断、资料没有直接写明时填 true：页面、列表和首页统计中凡显示街道处都会标注“推断”"
    )
    community: Optional[Label] = Field(None, description="所在社区", examples=["土洋社区"])
    address: Optional[Address] = Field(None, description="地址及其来源")
    location: Optional[Location] = Field(None, description="坐标；没有可靠来源时写 null，页面显示“位置待核实”")
    protection: list[Protection] = Field(default_factory=list, description="文物保护级别，每条注明来源")
    period: Optional[Period] = Field(None, description="主要历史时期")
    chronology: list[DatedFact] = Field(default_factory=list, description="大事记：与这处遗址有关、有日期的事实，会按时间排入网站的时间线")
    body: Body = Field(description="正文（Markdown）。每个事实用脚注 [^来源编号] 注明出处；不能使用 HTML 标签")
    visiting: Optional[Visiting] = Field(None, description="参观信息")
    images: list[Image] = Field(default_factory=list, description="图片")
    teaching: Optional[Teaching] = Field(None, description="教学要点")
    related: SiteRelated = Field(default_factory=SiteRelated, description="相关条目")


# --- oral history ---------------------------------------------------------------------------------------------
