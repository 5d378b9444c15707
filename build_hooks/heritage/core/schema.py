"""The base model every collection's model builds on (``EntryBase``), and the field types they share.

Each field carries a Chinese description: the same models produce validation, the typed objects templates use,
and (through ``model_json_schema()``) the JSON Schema and field dictionary for editors. A field that refers to
another entry is typed ``ref("sites")``: link checking, back-links and the preview cache follow from that type.
Text types are bounded and tag-free (``Label`` ≤ 100 characters, ``Sentence``, ``Text``, ``LongText``, ``Body``).
The collections' own models live in their modules (``collections/sites.py``, ``collections/oral_history.py`` …);
rules across one entry's fields are their ``cross_checks``, run by ``stages/validate.py`` with file and line. How to
add a collection: ``ARCHITECTURE.md`` ("Adding a collection").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal, Optional

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from heritage.core import dates, vocab
from heritage.text.markdown_text import tag_like

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def _field_title(name: str, info) -> str:
    """A short Chinese title for a field, from its description (shown by editors' tools such as VS Code)."""
    description = info.description or name
    return re.split(r"[：，（；。:]", description, maxsplit=1)[0].strip() or name


def _config(title: str) -> ConfigDict:
    return ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True, title=title, field_title_generator=_field_title)


# --- plain text -------------------------------------------------------------------------------------------------

# Every text field has a maximum, so that no accepted entry makes unbounded work (a 160,000-character name once made
# a build grow to 23 GB). Short labels reach page titles, the header, tables of contents and the names index; a
# sentence is one fact, claim or teaching point; a paragraph is a note or a biography; long text is a body or a
# transcript. The shipped content uses under a tenth of each.
LABEL_MAX = 100
SENTENCE_MAX = 500
PARAGRAPH_MAX = 2_000
LONG_TEXT_MAX = 50_000

# Text HTML would read as a tag if a script re-parsed it (markdown_text.tag_like): refused in every plain text field.
TAG_LIKE_MESSAGE = (
    "含有类似 HTML 标签的文字 “{snippet}”：网页的标题、目录或提示框可能把它当作 HTML 执行（写成 &lt; 等实体也一样）。"
    "请把“<”改为全角“＜”，或改写这段文字。"
)


def _no_tags(value: str) -> str:
    piece = tag_like(value)
    if piece is not None:
        raise PydanticCustomError("tag_like", TAG_LIKE_MESSAGE, {"snippet": piece})
    return value


# What editors' tools are told (ECMAScript regex): not blank, no raw "<" opening a tag, no control character.
PLAIN_TEXT_PATTERN = (
    r"^(?![\s\S]*<[A-Za-z/!?])(?![\s\S]*[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069])[\s\S]*\S"
)


def plain_text(max_length: int, min_length: int = 1):
    """Plain text of at most ``max_length`` characters (stripped first, so blank text fails), without tag-like text."""
    schema = {"type": "string", "pattern": PLAIN_TEXT_PATTERN, "maxLength": max_length}
    if min_length > 1:
        schema["minLength"] = min_length
    return Annotated[str, StringConstraints(min_length=min_length, max_length=max_length), AfterValidator(_no_tags), WithJsonSchema(schema)]


Label = plain_text(LABEL_MAX)  # a name, title, alias, heading, keyword: one line in a header or a table of contents
Sentence = plain_text(SENTENCE_MAX)  # one fact, claim, point or question
Text = plain_text(PARAGRAPH_MAX)  # a note, a description, a biography
LongText = plain_text(LONG_TEXT_MAX)  # a transcript
Summary = plain_text(300, min_length=10)
# A body is Markdown: markdown_check.py decides what it may hold, on the HTML the site makes of it.
Body = Annotated[
    str,
    StringConstraints(min_length=1, max_length=LONG_TEXT_MAX),
    WithJsonSchema({"type": "string", "pattern": r"\S", "maxLength": LONG_TEXT_MAX}),
]
ID_MAX = 100  # ids become file names, URLs and anchors
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=ID_MAX)]
SourceRef = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=ID_MAX), Field(examples=["baike"])]  # an id from `sources`
# Tags become URLs, page titles and search facets: keep them to plain words.
Tag = Annotated[str, StringConstraints(min_length=1, max_length=20, pattern=r'^[^<>&"/#?\s]+$')]


@dataclass(frozen=True)
class Reference:
    """Marks a field as the id of an entry in another collection (read by ``link.reference_paths``).
    With ``part``, the id names one item of the entry's list ``part`` as ``entry-id#item-id`` (a segment)."""

    collection: str
    part: str | None = None


PART_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*#[a-z0-9]+(?:-[a-z0-9]+)*$"


def ref(collection: str, part: str | None = None):
    """The type of a field that names an entry of ``collection`` by its id (its file name); with ``part``, one
    item of that entry's list ``part`` (e.g. ``ref("oral-history", part="segments")``: ``record-id#segment-id``)."""
    pattern, length = (PART_PATTERN, 2 * ID_MAX + 1) if part else (SLUG_PATTERN, ID_MAX)
    return Annotated[str, StringConstraints(pattern=pattern, max_length=length), Reference(collection, part)]


def _reject_bool(value: object) -> object:
    """YAML's true/false must never count as 1/0: ``lat: true`` is a mistake, not latitude 1."""
    if isinstance(value, bool):
        raise PydanticCustomError("bool_not_number", "应为数字，现在是布尔值 {value}。", {"value": str(value).lower()})
    return value


Number = Annotated[float, BeforeValidator(_reject_bool)]
Integer = Annotated[int, BeforeValidator(_reject_bool)]


def _check_hist_date(value: object) -> object:
    """Historical dates are often known only to the year or month: accept YYYY, YYYY-MM or YYYY-MM-DD."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return value  # the str type check reports it
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
    if not match:
        raise PydanticCustomError(
            "hist_date", "日期格式应为 YYYY、YYYY-MM 或 YYYY-MM-DD（例如 1943-12-02），现在是 “{value}”。", {"value": value}
        )
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is not None and not 1 <= month <= 12:
        raise PydanticCustomError("hist_date", "月份应在 01 到 12 之间，现在是 “{value}”。", {"value": value})
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise PydanticCustomError("hist_date", "这一天不存在：“{value}”。", {"value": value})
    return value.strip()


HIST_DATE_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
# YAML reads a bare year (from: 1943) as a number: the JSON Schema for editors' tools accepts both forms.
HistDate = Annotated[
    str,
    BeforeValidator(_check_hist_date),
    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 1000, "maximum": 9999}, {"type": "string", "pattern": HIST_DATE_PATTERN}]}),
]


def _check_edtf(value: object) -> object:
    """An uncertain historical date in EDTF (ISO 8601-2), see ``dates.py``; a bare year may come as a number."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return value  # the str type check reports it
    try:
        dates.parse(value)
    except dates.DateError as exc:
        raise PydanticCustomError("edtf", "{message}", {"message": str(exc)}) from None
    return value.strip()


def _check_edtf_point(value: object) -> object:
    value = _check_edtf(value)
    if isinstance(value, str) and (not isinstance(dates.parse(value), dates.Point) or dates.parse(value).lunar):
        raise PydanticCustomError(
            "edtf",
            "这里只能写一个公历日期（不能是区间或农历），例如 1944-08、1944-23（秋）或 1938~（约），现在是 “{value}”。",
            {"value": value},
        )
    return value


_EDTF_YEAR = {"type": "integer", "minimum": 1000, "maximum": 9999}
# Uncertain dates (EDTF): a year, month, day, season, approximate ~, uncertain ?, interval a/b, or 农历 (lunar).
Edtf = Annotated[str, BeforeValidator(_check_edtf), WithJsonSchema({"anyOf": [_EDTF_YEAR, {"type": "string", "pattern": dates.PATTERN}]})]
# One Gregorian date of the same kinds, not an interval (the two ends of a period).
EdtfPoint = Annotated[
    str, BeforeValidator(_check_edtf_point), WithJsonSchema({"anyOf": [_EDTF_YEAR, {"type": "string", "pattern": dates.POINT_PATTERN}]})
]
EDTF_HELP = (
    "日期（EDTF 写法）：1944 年、1944-08 月、1944-08-11 日、1944-21/22/23/24 春夏秋冬、1939-40/41 上半年/下半年、"
    "1938~ 约、1906? 存疑、1942/1945 区间（1944/.. 1944年起）、农历1919-08-30 农历（不换算）"
)


def timecode_seconds(value: str) -> int:
    hours, minutes, seconds = (int(part) for part in value.split(":"))
    return hours * 3600 + minutes * 60 + seconds


def _check_timecode(value: str) -> str:
    if not re.fullmatch(r"\d{2}:[0-5]\d:[0-5]\d", value):
        raise PydanticCustomError(
            "timecode", '时间码格式应为 HH:MM:SS（例如 "00:05:30"），并加上引号，现在是 “{value}”。', {"value": value}
        )
    return value


Timecode = Annotated[str, AfterValidator(_check_timecode), WithJsonSchema({"type": "string", "pattern": r"^\d{2}:[0-5]\d:[0-5]\d$"})]


def _range(low: float, high: float, what: str, json_type: str = "number"):
    def check(value: float) -> float:
        if not low <= value <= high:
            raise PydanticCustomError(
                "out_of_range",
                "{what}超出范围：应在 {low} 到 {high} 之间，现在是 {value}。",
                {"what": what, "low": low, "high": high, "value": value},
            )
        return value

    return AfterValidator(check), WithJsonSchema({"type": json_type, "minimum": low, "maximum": high})


def _check_url(value: str) -> str:
    if not re.fullmatch(r"https?://[^\s<>\"]+", value):
        raise PydanticCustomError("url", "网址应以 http:// 或 https:// 开头且不含空格，现在是 “{value}”。", {"value": value})
    return value


URL_MAX = 2_000  # what browsers and servers reliably accept
Url = Annotated[
    str,
    StringConstraints(max_length=URL_MAX),
    AfterValidator(_check_url),
    WithJsonSchema({"type": "string", "pattern": r"^https?://[^\s<>\"]+$", "maxLength": URL_MAX}),
]

Status = Annotated[
    Literal["draft", "review", "published"],
    Field(description="发布状态：draft（草稿）、review（待审核）、published（已发布）。只有 published 会进入正式网站。"),
]


# --- parts shared by collections ------------------------------------------------------------------------------


class DisputeAccount(BaseModel):
    model_config = _config("一种说法")

    claim: Sentence = Field(description="这一来源的说法")
    source: SourceRef = Field(description="来源编号（须在 sources 中声明）")


class Dispute(BaseModel):
    # Where sources disagree, the page says so: every account with its own source.
    model_config = _config("说法不一之处")

    topic: Label = Field(description="有分歧的事项", examples=["建筑面积"])
    accounts: list[DisputeAccount] = Field(min_length=2, description="各方说法，至少两条，每条注明来源")
    note: Optional[Text] = Field(None, description="编者说明，如倾向采用哪一说及理由")


# No SVG: an SVG is a document that can carry script, which would run on our origin when the image is opened.
class DateAccount(BaseModel):
    # Another source's date for the same fact: shown beside the first date, and under "资料说法不一".
    model_config = _config("另一种日期说法")

    date: Edtf = Field(description="这一来源给出的" + EDTF_HELP, examples=["1946-06-29"])
    source: SourceRef = Field(description="来源编号（须在 sources 中声明）")
    note: Optional[Sentence] = Field(None, description="说明，如“下午登船”", examples=["约16时开始登船"])


class DatedFact(BaseModel):
    # One dated fact: it appears on its entry's page and, in order, on the site's timeline.
    model_config = _config("大事记")

    date: Edtf = Field(
        description=EDTF_HELP + "。来源的说法比 EDTF 细（如“年底”“上旬”）时，写确定无误的较粗日期，原话写进 text", examples=["1943-12-02"]
    )
    text: Sentence = Field(description="事实：一句完整的话，写明主语，单独出现在时间线上也能读懂", examples=["东江纵队在土洋村宣告成立"])
    source: SourceRef = Field(description="来源编号（须在 sources 中声明）")
    note: Optional[Text] = Field(None, description="说明")
    also: list[DateAccount] = Field(
        default_factory=list, description="其他资料给出的不同日期（说法不一）：页面和时间线上与 date 并列显示，并列入“资料说法不一”"
    )
    period: Optional[Literal[tuple(vocab.PERIODS)]] = Field(None, description="所属时期；不填则按日期的起点自动归入")  # type: ignore[valid-type]


class Place(BaseModel):
    model_config = _config("地点")

    text: Label = Field(description="地点，照来源的写法", examples=["葵涌沙鱼涌"])
    source: SourceRef = Field(description="来源编号")


IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")


def _check_image_ref(value: str) -> str:
    if re.match(r"^(?:[a-z]+:)?//", value):
        return value  # reported by the editorial rules with its own explanation (another host)
    parts = value.replace("\\", "/").split("/")
    if value.startswith("/") or ".." in parts or not value.lower().endswith(IMAGE_SUFFIXES):
        raise PydanticCustomError(
            "image_ref",
            "应为 docs/ 目录中的图片路径，如 images/tuyang/main.jpg（不以 / 开头，不含 ..，格式：{suffixes}），现在是 “{value}”。",
            {"value": value, "suffixes": "、".join(IMAGE_SUFFIXES)},
        )
    return value


PATH_MAX = 300
ImageRef = Annotated[
    str,
    StringConstraints(max_length=PATH_MAX),
    AfterValidator(_check_image_ref),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^(?!/)(?!.*(^|/)\.\.(/|$)).+\.(jpg|jpeg|png|webp|gif|JPG|JPEG|PNG|WEBP|GIF)$",
            "maxLength": PATH_MAX,
        }
    ),
]


class Image(BaseModel):
    model_config = _config("图片")

    src: ImageRef = Field(description="图片路径，相对于 docs/ 目录（图片必须保存在本站）", examples=["images/tuyang/main-building.jpg"])
    alt: Sentence = Field(description="替代文字：为看不到图片的读者描述图片内容")
    caption: Optional[Sentence] = Field(None, description="图片说明")
    credit: Label = Field(description="拍摄者或提供者")
    license: Label = Field(description="使用许可，如 CC BY 4.0、已获授权")


class Review(BaseModel):
    # Who checked the entry against its sources before publication, and when.
    model_config = _config("审核记录")

    by: Label = Field(description="审核人的角色（编辑、审核），可加姓名或编辑组名称；不写“开发团队”", examples=["编辑（与项目资料卡核对）"])
    date: dt.date = Field(description="审核日期 YYYY-MM-DD", examples=["2026-11-26"])


class Teaching(BaseModel):
    model_config = _config("教学要点")

    points: list[Sentence] = Field(default_factory=list, description="现场教学要点，每条一句")
    questions: list[Sentence] = Field(default_factory=list, description="供学员讨论的问题")
    duration_minutes: Optional[Annotated[Integer, *_range(5, 480, "时长", "integer")]] = Field(
        None, description="建议教学时长（分钟，5–480）", examples=[45]
    )
    audience: list[Literal[tuple(vocab.AUDIENCES)]] = Field(  # type: ignore[valid-type]
        default_factory=list, description="适用对象：party-members 党员干部、students 青少年学生、public 社会公众；不填表示不限"
    )


# --- sites ----------------------------------------------------------------------------------------------------


class Location(BaseModel):
    model_config = _config("坐标")

    lat: Annotated[Number, *_range(-90, 90, "纬度")] = Field(description="纬度（WGS-84，十进制度）")
    lng: Annotated[Number, *_range(-180, 180, "经度")] = Field(description="经度（WGS-84，十进制度）")
    datum: Literal["WGS84"] = Field(description="坐标系，只接受 WGS84；高德、腾讯地图的 GCJ-02 坐标须先转换")
    source: SourceRef = Field(description="坐标来源编号。没有可靠来源时不要填写坐标，写 location: null")


class Period(BaseModel):
    model_config = _config("历史时期")

    from_: EdtfPoint = Field(alias="from", description="起始：YYYY、YYYY-MM、YYYY-MM-DD，或季节 1942-21（春）、约 1938~、存疑 1906?")
    to: Optional[EdtfPoint] = Field(None, description="结束：写法同 from")
    note: Optional[Sentence] = Field(None, description="说明（也是时间线上的文字）", examples=["东江纵队司令部驻扎时间"])
    source: SourceRef = Field(description="来源编号")


class EntryBase(BaseModel):
    """What every collection's entries share. A collection's model adds its own fields (and its title field).

    ``TITLE_FIELD`` names the field that is the entry's title (``name`` for places and people, ``title`` for
    records and events). Editors read the fields in the order of ``ordered_fields``: status, title and aliases
    first, the collection's own fields, then the common text, sources and review fields.
    """

    TITLE_FIELD: ClassVar[str] = "title"
    # Its names are people's names: pinyin reads a surname's special readings (单 shàn, 曾 zēng …) (text/pinyin.py).
    PERSON_NAMES: ClassVar[bool] = False
    LEADING_FIELDS: ClassVar[tuple[str, ...]] = ("status", "aliases")  # the title field goes between them
    TRAILING_FIELDS: ClassVar[tuple[str, ...]] = ("summary", "body", "disputes", "tags", "sources", "reviewed", "updated")
    # Its published entries list at least one source and a review (false for the sources themselves).
    NEEDS_SOURCES: ClassVar[bool] = True
    # Its title and aliases name a person, place or body that a sentence's sources must name too (stages/support.py);
    # an event's or a lesson's title describes, it does not name.
    TITLE_IS_A_NAME: ClassVar[bool] = False
    # Common fields this collection does not use: left out of the field dictionary, `make new`, open data, and
    # refused when written (a source has no body, disputes, sources or review of its own).
    UNUSED_FIELDS: ClassVar[tuple[str, ...]] = ()

    status: Status
    aliases: list[Label] = Field(
        default_factory=list,
        max_length=20,
        description="别名、简称、旧称（用于搜索；每个不超过 100 字，最多 20 个）",
        examples=[["东纵司令部旧址"]],
    )
    summary: Summary = Field(description="纯文本简介（10–300 字），用于卡片、搜索摘要和页面描述")
    body: Optional[Body] = Field(None, description="正文（Markdown）。每个事实用脚注 [^来源编号] 注明出处；不能使用 HTML 标签")
    disputes: list[Dispute] = Field(default_factory=list, description="资料说法不一之处，页面会如实列出")
    tags: list[Tag] = Field(default_factory=list, description='标签（不超过 20 字，不含空格和 < > & " / # ?），如 东江纵队、抗日战争')
    sources: list[ref("sources")] = Field(  # type: ignore[valid-type]
        default_factory=list, description="资料来源：content/sources/ 中的来源编号；已发布的条目至少一条", examples=[["pe109", "seed"]]
    )
    reviewed: Optional[Review] = Field(None, description="审核记录；status 为 published 时必填（见 CONTRIBUTING.md 的审核流程）")
    updated: dt.date = Field(description="最后更新日期 YYYY-MM-DD")

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: object) -> None:
        """The title of every collection's entries is a ``Label``, whatever type its model declares: it becomes the
        page title, the header, table-of-contents entries and the names index, so it is short and tag-free."""
        super().__pydantic_init_subclass__(**kwargs)
        info = cls.__pydantic_fields__.get(cls.TITLE_FIELD)
        # An optional title (a source's, which may be described instead) keeps its own type and length.
        if info is None or not info.is_required() or info.metadata == FieldInfo.from_annotation(Label).metadata:
            return
        label = FieldInfo.merge_field_infos(info, FieldInfo.from_annotation(Label))
        label.title = info.title or _field_title(cls.TITLE_FIELD, info)
        cls.__pydantic_fields__[cls.TITLE_FIELD] = label
        cls.model_rebuild(force=True)

    @property
    def display_title(self) -> str:
        return getattr(self, self.TITLE_FIELD)

    @property
    def is_published(self) -> bool:
        """Reviewed and released (``status: published``): the only entries a production build may show."""
        return self.status == "published"

    # What a build may show of an entry, as its model declares it; core/visibility.py reads only these, so it names
    # no collection and no field. A model with demonstration entries or embargoes overrides them (collections/oral_history.py).
    @property
    def is_demo(self) -> bool:
        """A demonstration entry (fictional): shown with a banner, left out of a release and of the open data."""
        return False

    @property
    def embargoed_until(self) -> dt.date | None:
        """No build includes the entry before this date (a narrator's embargo)."""
        return None

    def cross_checks(self) -> list[tuple[tuple, str]]:
        """A collection's own rules across its fields: (field path, Chinese message) pairs, reported as errors by
        stages/validate.py with the file and line. None by default."""
        return []


def ordered_fields(model: type[BaseModel]) -> list[tuple[str, FieldInfo]]:
    """A model's fields in the order editors read them (field dictionary, ``make new``, "allowed fields" hints).
    Models that are not entries keep their declaration order."""
    items = dict(model.model_fields)
    if not issubclass(model, EntryBase):
        return list(items.items())
    items = {name: info for name, info in items.items() if name not in model.UNUSED_FIELDS}
    head = ["status", model.TITLE_FIELD, *model.LEADING_FIELDS[1:]]
    tail = list(model.TRAILING_FIELDS)
    middle = [name for name in items if name not in head and name not in tail]
    return [(name, items[name]) for name in (*head, *middle, *tail) if name in items]
