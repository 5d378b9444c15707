"""The models of people and events (declared in ``registry.py`` like every collection).

Both build on ``schema.EntryBase`` and on the dated parts every collection shares (``schema.DatedFact``,
``DateAccount``, EDTF dates from ``dates.py``): a date is written once, with its source, and other sources' dates
for the same fact go under ``also`` — the page shows them side by side and under "资料说法不一", the timeline too.
References are typed ``ref(...)``: a person naming an event is linked both ways by ``link.py``; a reference to one
oral-history segment is written ``record-id#segment-id`` (``ref("oral-history", part="segments")``).
"""

from __future__ import annotations

from typing import ClassVar, Literal, Optional

from pydantic import BaseModel, Field

from heritage.core import dates, vocab
from heritage.core.schema import EDTF_HELP, DateAccount, DatedFact, Edtf, EntryBase, Label, Place, SourceRef, Teaching, Text, _config, ref

SEGMENT_REF_HELP = "口述史片段，写作 记录编号#片段编号（如 demo-tuyang-memories#founding）；记录页面的该片段下会列出本条目"


class PersonName(BaseModel):
    model_config = _config("姓名")

    name: Label = Field(description="这个名字，照来源原样书写（外文拼写照原样大小写）", examples=["欧阳汝山"])
    kind: Literal[tuple(vocab.NAME_KINDS)] = Field(description="类别")  # type: ignore[valid-type]
    source: SourceRef = Field(description="来源编号（须在 sources 中声明）")
    note: Optional[Text] = Field(None, description="说明，如“入党后随母姓改名”")


class LifeDate(BaseModel):
    # Birth or death: the date and/or the place, with their source; other sources' dates under `also`. When the place
    # comes from another source than the date, `place_source` names it, so the place is not cited to the date's source.
    model_config = _config("生卒")

    date: Optional[Edtf] = Field(None, description=EDTF_HELP + "；不知道时不填", examples=["1917-04"])
    place: Optional[Text] = Field(None, description="地点，照来源的写法（含当时的地名）", examples=["宝安县大鹏区王母圩水贝村"])
    source: SourceRef = Field(description="来源编号（须在 sources 中声明）；同时写了日期和地点时，这是日期的来源")
    place_source: Optional[SourceRef] = Field(
        None,
        description="地点的来源编号（须在 sources 中声明）：地点和日期出自不同资料时填写，页面上地点后单独标注这个来源；不填则地点与日期同出 source",
        examples=["pe020"],
    )
    note: Optional[Text] = Field(None, description="说明")
    also: list[DateAccount] = Field(default_factory=list, description="其他资料给出的不同日期（说法不一），页面并列显示")


class Role(BaseModel):
    model_config = _config("职务")

    title: Label = Field(description="职务，连同机构写全", examples=["东江纵队司令员"])
    date: Optional[Edtf] = Field(None, description="任职时间，" + EDTF_HELP + "；资料没有写明时不填", examples=["1943-12"])
    source: SourceRef = Field(description="来源编号（须在 sources 中声明）")
    note: Optional[Text] = Field(None, description="说明")
    also: list[DateAccount] = Field(default_factory=list, description="其他资料给出的不同任职时间（说法不一），页面并列显示")


class PersonRelated(BaseModel):
    model_config = _config("相关条目")

    sites: list[ref("sites")] = Field(default_factory=list, description="相关遗址条目编号（文件名）；遗址页面也会列出此人")
    events: list[ref("events")] = Field(
        default_factory=list,
        description="相关事件条目编号（文件名）；事件页面也会列出此人",
        examples=[["east-river-column-proclaimed-1943"]],
    )
    people: list[ref("people")] = Field(default_factory=list, description="相关人物条目编号（文件名）", examples=[["zeng-sheng"]])
    oral_history: list[ref("oral-history")] = Field(
        default_factory=list, description="相关口述史条目编号（文件名）", examples=[["demo-tuyang-memories"]]
    )
    segments: list[ref("oral-history", part="segments")] = Field(
        default_factory=list, description=SEGMENT_REF_HELP, examples=[["demo-tuyang-memories#founding"]]
    )


class Person(EntryBase):
    model_config = _config("人物")
    TITLE_FIELD: ClassVar[str] = "name"
    TITLE_IS_A_NAME: ClassVar[bool] = True
    PERSON_NAMES: ClassVar[bool] = True

    name: Label = Field(description="通行的姓名（页面标题）", examples=["袁庚"])
    names: list[PersonName] = Field(
        default_factory=list, description="其他名字：原名、曾用名、又名、化名、绰号、异写、外文拼写，每个注明来源（搜索也会用到）"
    )
    born: Optional[LifeDate] = Field(None, description="出生")
    died: Optional[LifeDate] = Field(None, description="逝世")
    origin: Optional[Place] = Field(None, description="籍贯，照来源的写法")
    roles: list[Role] = Field(default_factory=list, description="职务，每条注明来源；有任职时间的会排入时间线")
    chronology: list[DatedFact] = Field(default_factory=list, description="生平大事：有日期的事实，会按时间排入网站的时间线")
    teaching: Optional[Teaching] = Field(None, description="教学要点：现场教学要点、讨论题、建议时长和适用对象")
    related: PersonRelated = Field(default_factory=PersonRelated, description="相关条目")


class EventRelated(BaseModel):
    model_config = _config("相关条目")

    sites: list[ref("sites")] = Field(default_factory=list, description="发生地或相关遗址的条目编号；遗址页面也会列出此事件")
    people: list[ref("people")] = Field(
        default_factory=list, description="相关人物条目编号；人物页面也会列出此事件", examples=[["zeng-sheng"]]
    )
    events: list[ref("events")] = Field(default_factory=list, description="相关事件条目编号", examples=[["northern-withdrawal-1946"]])
    oral_history: list[ref("oral-history")] = Field(
        default_factory=list, description="相关口述史条目编号（文件名）", examples=[["demo-tuyang-memories"]]
    )
    segments: list[ref("oral-history", part="segments")] = Field(
        default_factory=list, description=SEGMENT_REF_HELP, examples=[["demo-tuyang-memories#founding"]]
    )


class When(BaseModel):
    model_config = _config("时间")

    date: Edtf = Field(description=EDTF_HELP, examples=["1943-12-02"])
    source: SourceRef = Field(description="来源编号（须在 sources 中声明）")
    note: Optional[Text] = Field(None, description="说明，如“确切日期未见资料”")
    also: list[DateAccount] = Field(default_factory=list, description="其他资料给出的不同日期（说法不一），页面和时间线上并列显示")


class Event(EntryBase):
    model_config = _config("事件")

    title: Label = Field(description="事件名称（页面标题）", examples=["东江纵队在土洋宣告成立"])
    when: When = Field(description="发生时间及其来源")
    place: Optional[Place] = Field(None, description="发生地点；不在大鹏的请写明所在地（如“香港西贡黄毛应村”）")
    chronology: list[DatedFact] = Field(
        default_factory=list, description="事件经过中有日期的事实（背景、前后经过），会按时间排入网站的时间线"
    )
    teaching: Optional[Teaching] = Field(None, description="教学要点：现场教学要点、讨论题、建议时长和适用对象")
    related: EventRelated = Field(default_factory=EventRelated, description="相关条目")


# --- schema.org dates (the JSON-LD of people and events, registry.py) ---------------------------------------------


def schema_org_date(point: dates.Point | None) -> str | None:
    """An ISO 8601 date at the precision schema.org's Date allows (``1944``, ``1944-08``, ``1944-08-11``), or None
    when the source's date cannot be stated as one without claiming more than the source says:

    - approximate or uncertain (``1938~``, ``1906?``, ``1906%``): None. EDTF's qualifier covers the whole date,
      the year included, and structured data has no way to carry "about" or "perhaps";
    - a season or half-year (``1944-23``): the year only, which the source does state;
    - a lunar date (``农历1910-08-30``): the Gregorian year when every day the lunar date can mean falls in one
      Gregorian year (the conversion is not done day by day here), otherwise None."""
    if point is None or point.qualified:
        return None
    if point.lunar:
        first, last = point.bounds()
        return f"{first.year:04d}" if first.year == last.year else None
    if point.season is not None or point.month is None:
        return f"{point.year:04d}"
    if point.day is None:
        return f"{point.year:04d}-{point.month:02d}"
    return f"{point.year:04d}-{point.month:02d}-{point.day:02d}"


def schema_org_span(value: object) -> tuple[str | None, str | None]:
    """(start, end) for schema.org's startDate/endDate from an EDTF date: a single date gives its start only; a span
    gives each known end (an open or unknown end gives None)."""
    parsed = dates.parse(value)
    if isinstance(parsed, dates.Interval):
        return schema_org_date(parsed.start), schema_org_date(parsed.end)
    return schema_org_date(parsed), None


def schema_org_life_date(value: object) -> str | None:
    """birthDate/deathDate: one date only; a span ("born between 1905 and 1907") is not a Date, so None."""
    if value is None:
        return None
    parsed = dates.parse(value)
    return None if isinstance(parsed, dates.Interval) else schema_org_date(parsed)
