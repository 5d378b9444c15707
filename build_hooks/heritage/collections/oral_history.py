"""What an oral-history record publishes besides its page, and what consent allows it to publish.

All of it respects the record's consent: media (and the captions that go with it) only when the scope includes
audio or video; redacted segments never; the narrator's real name only when ``display: full``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal, Optional

from pydantic import AfterValidator, BaseModel, Field, StrictBool, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from heritage.core import dates, vocab
from heritage.core.catalog import ListingFilter, decades
from heritage.core.entry import dotted
from heritage.core.problems import Problem
from heritage.core.schema import (
    URL_MAX,
    EntryBase,
    HistDate,
    Label,
    LongText,
    Sentence,
    Slug,
    Text,
    Timecode,
    _config,
    ref,
    timecode_seconds,
)
from heritage.core.visibility import anchor, is_withheld, narrator_name
from heritage.outputs import citations
from heritage.outputs.media import MEDIA_SUFFIXES
from heritage.outputs.opendata import dump_json

if TYPE_CHECKING:  # pragma: no cover
    from heritage.core.catalog import Catalog, ExportTarget, PageContext
    from heritage.core.entry import Entry


# A segment's public name and a narrator's: decided by the visibility filter (visibility.py) for every output.
segment_anchor = anchor
narrator_display_name = narrator_name


# --- the model ----------------------------------------------------------------------------------------------------


class Narrator(BaseModel):
    model_config = _config("受访者")

    name: Label = Field(description="受访者真实姓名（display 不是 full 时，真实姓名不会出现在网站任何地方）")
    display: Literal[tuple(vocab.NARRATOR_DISPLAY)] = Field("full", description="署名方式：full 全名、initials 化名缩写、anonymous 匿名")  # type: ignore[valid-type]
    initials: Optional[Label] = Field(None, description="display 为 initials 时显示的称呼，如“陈某”")
    born: Optional[HistDate] = Field(None, description="出生年份或日期")
    bio: Optional[Text] = Field(None, description="受访者简介")


class Consent(BaseModel):
    model_config = _config("授权")

    release: Literal[tuple(vocab.CONSENT_RELEASES)] = Field(  # type: ignore[valid-type]
        description="授权书：signed 已签署、pending 未签署、refused 拒绝公开、demo 演示数据（虚构受访者，没有授权书）"
    )
    date: Optional[dt.date] = Field(None, description="签署日期 YYYY-MM-DD")
    scope: list[Literal[tuple(vocab.CONSENT_SCOPES)]] = Field(min_length=1, description="授权公开的范围：transcript、audio、video")  # type: ignore[valid-type]
    embargo_until: Optional[dt.date] = Field(None, description="在此日期之前不公开")


class Rights(BaseModel):
    model_config = _config("版权")

    license: Label = Field(description="许可协议")
    holder: Label = Field(description="版权持有者")


def _check_media_ref(value: str) -> str:
    """A file kept in content/media/, copied to the site only when consent covers it. Never a URL: a recording on
    another host could not be stripped of its metadata or held to the consent scope, the release's policy
    (media-src 'self') would not play it, and the offline package could not carry it."""
    if re.match(r"[a-z][a-z0-9+.-]*:", value, re.I):
        raise PydanticCustomError(
            "media_remote",
            "录音、录像必须保存在本站：请把文件下载后放进 content/media/，这里只写文件名（如 interview.opus）。"
            "其他网站上的文件无法去除元数据、无法按授权范围发布，正式网站和离线包也不会播放它。现在是 “{value}”。",
            {"value": value},
        )
    if "/" in value or "\\" in value or not value.lower().endswith(MEDIA_SUFFIXES):
        raise PydanticCustomError(
            "media_ref",
            "应为 content/media/ 中的文件名（如 interview.opus，格式：{suffixes}），现在是 “{value}”。",
            {"value": value, "suffixes": "、".join(MEDIA_SUFFIXES)},
        )
    return value


MediaRef = Annotated[
    str,
    StringConstraints(max_length=URL_MAX),
    AfterValidator(_check_media_ref),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^[^/\\:]+\.(opus|ogg|oga|mp3|m4a|mp4|wav|flac|OPUS|OGG|OGA|MP3|M4A|MP4|WAV|FLAC)$",
            "maxLength": URL_MAX,
        }
    ),
]


class Media(BaseModel):
    model_config = _config("音视频")

    audio: Optional[MediaRef] = Field(None, description="录音：content/media/ 中的文件名", examples=["demo-tuyang-memories.opus"])
    video: Optional[MediaRef] = Field(None, description="录像：content/media/ 中的文件名", examples=["interview-2021.mp4"])
    checked: StrictBool = Field(
        False,
        description="已确认录音文件可以整段公开：不公开的片段已从文件中剪去，文件元数据（标题、艺术家等）中没有受访者的真实姓名。"
        "有不公开片段或受访者匿名时必须为 true",
    )


class Segment(BaseModel):
    model_config = _config("片段")

    id: Slug = Field(description="片段编号（用于链接和引用，发布后不要再改）：小写字母、数字和连字符", examples=["old-church"])
    start: Timecode = Field(description="开始时间码 HH:MM:SS")
    end: Timecode = Field(description="结束时间码 HH:MM:SS")
    title: Label = Field(description="片段标题")
    synopsis: Sentence = Field(description="内容提要")
    keywords: list[Label] = Field(default_factory=list, description="关键词（人名、地名、事件）")
    transcript: Optional[LongText] = Field(None, description="文字稿（普通话）")
    transcript_original: Optional[LongText] = Field(None, description="方言原话记录（如大鹏话、客家话）")
    redacted: StrictBool = Field(False, description="应受访者要求不公开此片段（标题和内容都不显示）")
    sites: list[ref("sites")] = Field(default_factory=list, description="此片段讲到的遗址条目编号；遗址页面会列出这个片段")


class CoveredPeriod(BaseModel):
    model_config = _config("讲述年代")

    from_: HistDate = Field(alias="from", description="起始年份", examples=["1942"])
    to: Optional[HistDate] = Field(None, description="结束年份", examples=["1946"])


class OralHistoryRelated(BaseModel):
    model_config = _config("相关条目")

    sites: list[ref("sites")] = Field(default_factory=list, description="相关遗址条目编号（文件名）")


class OralHistory(EntryBase):
    model_config = _config("口述史")

    demo: StrictBool = Field(False, description="演示数据：页面显示“演示数据”横幅；受访者为虚构人物")
    title: Label = Field(description="标题", examples=["土洋教堂里的司令部（演示）"])
    narrator: Narrator = Field(description="受访者")
    interviewers: list[Label] = Field(default_factory=list, description="采访者")
    recorded: HistDate = Field(description="采访日期", examples=["2021-06-12"])
    place: Label = Field(description="采访地点")
    language: Label = Field(description="讲述语言", examples=["大鹏话（附普通话译文）"])
    duration: Timecode = Field(description="总时长 HH:MM:SS")
    media: Optional[Media] = Field(None, description="录音、录像")
    consent: Consent = Field(description="授权情况")
    rights: Rights = Field(description="版权")
    segments: list[Segment] = Field(min_length=1, description="按时间顺序的片段索引")
    period: Optional[CoveredPeriod] = Field(None, description="讲述内容涉及的年代（用于口述史列表的筛选）")
    related: OralHistoryRelated = Field(default_factory=OralHistoryRelated, description="相关条目")

    @property
    def is_demo(self) -> bool:
        return self.demo

    @property
    def embargoed_until(self) -> dt.date | None:
        return self.consent.embargo_until

    def cross_checks(self) -> list[tuple[tuple, str]]:
        """Segments in order within the duration with unique ids, one player, the consent a publication needs."""

        problems: list[tuple[tuple, str]] = []
        duration = timecode_seconds(self.duration)
        previous_start = previous_end = -1
        seen: dict[str, int] = {}
        for index, segment in enumerate(self.segments):
            path = ("segments", index)
            start, end = timecode_seconds(segment.start), timecode_seconds(segment.end)
            if start >= end:
                problems.append(((*path, "end"), f"结束时间 {segment.end} 应晚于开始时间 {segment.start}。"))
            if end > duration:
                problems.append(((*path, "end"), f"结束时间 {segment.end} 超出了总时长 duration {self.duration}。"))
            if start < previous_start:
                problems.append(((*path, "start"), "片段应按开始时间先后排列。"))
            elif start < previous_end:
                problems.append(((*path, "start"), f"与上一个片段的时间重叠：上一个片段到 {self.segments[index - 1].end} 才结束。"))
            previous_start, previous_end = start, end
            segment_id = anchor(segment, index)
            if segment_id in seen:
                problems.append(((*path, "id"), f"片段编号 “{segment_id}” 与第 {seen[segment_id] + 1} 个片段重复。"))
            seen.setdefault(segment_id, index)
        if self.media and self.media.audio and self.media.video:
            problems.append((("media", "video"), "audio 和 video 只能填一个：页面只有一个播放器。有录像时请只写 video。"))
        if self.narrator.display == "initials" and not self.narrator.initials:
            problems.append((("narrator",), "display 为 initials 时必须填写 `initials`（网站上显示的称呼，如“陈某”）。"))
        if self.narrator.born and dates.hist_date_bounds(self.narrator.born)[0] > dates.hist_date_bounds(self.recorded)[1]:
            problems.append((("narrator", "born"), f"出生日期 {self.narrator.born} 晚于采访日期 {self.recorded}。请检查是否写错。"))
        if self.consent.release == "demo" and not self.demo:
            problems.append(
                (
                    ("consent", "release"),
                    "release: demo 只用于演示数据（demo: true）。真实记录请写授权书的实际状态：signed、pending 或 refused。",
                )
            )
        if self.is_published:
            if self.consent.release != "signed" and not (self.demo and self.consent.release == "demo"):
                problems.append(
                    (("consent", "release"), "受访者尚未签署授权书（release 不是 signed），不能发布。请把 status 改为 draft 或 review。")
                )
            if "transcript" not in self.consent.scope:
                problems.append((("consent", "scope"), "授权范围不含 transcript（文字稿），不能发布文字内容。"))
        return problems


def media_allowed(record: OralHistory) -> dict[str, str]:
    """Media this record may publish: {"audio": ref, "video": ref}, by consent scope."""
    if record.media is None:
        return {}
    allowed = {}
    for kind in ("audio", "video"):
        ref = getattr(record.media, kind)
        if ref and kind in record.consent.scope:
            allowed[kind] = ref
    return allowed


def media_uri(ref: str) -> str:
    """Where a media file of content/media/ is published (the model refuses any other kind of reference)."""
    return f"media/{ref}"


@dataclass
class PublicSegment:
    """A segment as the public may see it."""

    anchor: str
    segment: Segment

    @property
    def start_seconds(self) -> int:
        return timecode_seconds(self.segment.start)

    @property
    def end_seconds(self) -> int:
        return timecode_seconds(self.segment.end)


def public_segments(record: OralHistory) -> list[PublicSegment]:
    return [PublicSegment(anchor(s, i), s) for i, s in enumerate(record.segments) if not is_withheld(s)]


def _vtt_time(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}.000"


def _vtt_text(text: str) -> str:
    # A cue ends at a blank line and "-->" would start a new timing line: keep each cue's text intact.
    return "\n".join(line for line in text.replace("-->", "→").replace("&", "&amp;").replace("<", "&lt;").splitlines() if line.strip())


DEMO_CUE = "【演示数据，非真实访谈】"  # opens every caption of a demonstration record: no cue may pass as real
DEMO_CHAPTER = "【演示数据】"  # opens every chapter title of a demonstration record (a player's chapter menu is short)


def chapters_vtt(record: OralHistory) -> str:
    """WebVTT chapters: one cue per public segment, titled like the segment (a demonstration record's every title
    says so: a chapter menu shows titles without the page's banner)."""
    cues = ["WEBVTT", ""]
    marker = DEMO_CHAPTER if record.demo else ""
    for item in public_segments(record):
        cues += [
            item.anchor,
            f"{_vtt_time(item.start_seconds)} --> {_vtt_time(item.end_seconds)}",
            marker + _vtt_text(item.segment.title),
            "",
        ]
    return "\n".join(cues)


def captions_vtt(record: OralHistory) -> str:
    """WebVTT captions: each public segment's transcript over its time range (the transcript is not time-aligned
    more finely than the segment). A demonstration record's every cue says so."""
    cues = ["WEBVTT", ""]
    for item in public_segments(record):
        if item.segment.transcript:
            cues += [
                item.anchor,
                f"{_vtt_time(item.start_seconds)} --> {_vtt_time(item.end_seconds)}",
                (DEMO_CUE if record.demo else "") + _vtt_text(item.segment.transcript),
                "",
            ]
    return "\n".join(cues)


DEMO_NOTICE = "演示数据：受访者是虚构人物，并未实际采访，文字稿不是真实访谈记录，请勿引用。"
DEMO_RECORDED = "（虚构，并未实际采访）"  # after a demonstration record's date, as its page shows it


def index_json(record: OralHistory, record_id: str, narrator: str, url: str) -> str:
    """A machine-readable index of the record: what the page shows, nothing more. A demonstration record says so in
    a notice, and its date carries the page's label: read alone, no field of it may pass as a real interview."""
    data = {
        "id": record_id,
        **({"notice": DEMO_NOTICE} if record.demo else {}),
        "title": record.title,
        "demo": record.demo,
        "narrator": narrator,
        "recorded": f"{record.recorded}{DEMO_RECORDED}" if record.demo else record.recorded,
        "place": record.place,
        "language": record.language,
        "duration": record.duration,
        "license": record.rights.license,
        "rights_holder": record.rights.holder,
        "url": url,
        "segments": [
            {
                "id": item.anchor,
                "start": item.segment.start,
                "end": item.segment.end,
                "title": item.segment.title,
                "synopsis": item.segment.synopsis,
                "keywords": item.segment.keywords,
                "url": f"{url}#{item.anchor}",
            }
            for item in public_segments(record)
        ],
        "redacted_segments": sum(1 for s in record.segments if is_withheld(s)),
    }
    return dump_json(data)  # < > & escaped: the file stays data even if a browser is made to render it


# --- citations ---------------------------------------------------------------------------------------------------


def citation_records(site: citations.Site, entry: Entry) -> list[citations.Record]:
    """The record as an interview ([Z/OL] in GB/T 7714), then each public segment (never a withheld one) with its
    time range in the title and its anchor in the address. The narrator is named only as ``narrator_display_name``
    allows; the interviewers as the record gives them; dated the day it was recorded; published by the rights
    holder at the place of the interview (as the page's citation has always said)."""
    record = entry.model
    url = citations.address_of(site, entry.url)
    common = {
        "kind": "interview",
        "container": site.name,
        "date": str(record.recorded),
        "modified": record.updated,
        "authors": (citations.Creator(narrator_display_name(record.narrator)),),
        "interviewers": tuple(record.interviewers),
        "publisher": record.rights.holder,
        "place": record.place,
    }
    stem = f"{entry.url}{citations.FILE_STEM}"
    found = [citations.Record(key=f"{entry.collection}:{entry.id}", title=record.title, url=url, files=stem, **common)]
    for item in public_segments(record):
        segment = item.segment
        found.append(
            citations.Record(
                key=f"{entry.collection}:{entry.id}:{item.anchor}",
                title=f"{record.title}: {segment.title}（{segment.start}–{segment.end}）",
                url=f"{url}#{item.anchor}",
                files=f"{stem}-{item.anchor}",
                part=item.anchor,
                part_title=segment.title,
                span=f"{segment.start}–{segment.end}",
                part_of=record.title,
                **common,
            )
        )
    return found


# --- what the registry calls: page and listing context, exports --------------------------------------------------


def segments_about(catalog: Catalog, site: Entry) -> list[dict[str, Any]]:
    """Public segments of records that name this site in ``segments[].sites`` (withheld segments never)."""
    found = []
    for mention in catalog.mentions_of(site):
        record = mention.source
        if record.collection != "oral-history" or mention.path[0] != "segments":
            continue
        index = mention.path[1]
        segment = record.model.segments[index]
        if is_withheld(segment) or any(item["record"] is record and item["index"] == index for item in found):
            continue
        found.append({"record": record, "segment": segment, "index": index, "anchor": segment_anchor(segment, index)})
    return found


def site_page_context(renderer: PageContext, entry: Entry) -> dict[str, Any]:
    return {"segments_about": segments_about(renderer.catalog, entry)}


def record_url(site_url: str, entry: Entry) -> str:
    return f"{site_url}{entry.collection}/{entry.id}/"


def player(record: OralHistory) -> dict[str, Any] | None:
    """The one player of a record page, if consent allows publishing a recording. ``src`` is the recording's path
    under the site's root: the template makes it a root-relative URL (render.file_href), which every engine
    resolves alike in raw HTML, as it does the ``<track>`` files beside the page."""
    media = media_allowed(record)
    if not media:
        return None
    kind, ref = ("video", media["video"]) if "video" in media else ("audio", media["audio"])
    return {"kind": kind, "src": media_uri(ref)}


def page_context(renderer: PageContext, entry: Entry) -> dict[str, Any]:
    """The player of one record page, within what its consent allows. (Its citations, the record's and each public
    segment's, come from ``citation_records`` through the renderer: ``citations`` in every entry template.)"""
    record = entry.model
    return {
        "narrator_name": narrator_display_name(record.narrator),
        "player": player(record),
        "record_url": record_url(renderer.site_url, entry),
    }


def exports(context: ExportTarget, entry: Entry) -> dict[str, Any]:
    """The files a record publishes besides its page: its JSON index always; WebVTT and the recording only when
    consent covers the recording. The recording is a copy with every metadata tag removed."""
    record = entry.model
    page_dir = f"{entry.collection}/{entry.id}"
    narrator = narrator_display_name(record.narrator)
    files: dict[str, Any] = {f"{page_dir}/index.json": index_json(record, entry.id, narrator, record_url(context.site_url, entry))}
    media = media_allowed(record)
    if media:
        ref = media.get("video") or media["audio"]
        files[media_uri(ref)] = context.media_file(ref)
        files[f"{page_dir}/chapters.vtt"] = chapters_vtt(record)
        files[f"{page_dir}/captions.vtt"] = captions_vtt(record)
    return files


def public_data(entry: Entry) -> OralHistory:
    """The record as open data (opendata.py), no more than its page shows: withheld segments left out, the narrator
    named as ``narrator_display_name`` allows (birth date and biography only with ``display: full``, as on the
    page), only the recordings consent covers, and not the consent's own dates."""
    record = entry.model
    narrator = record.narrator
    full = narrator.display == "full"
    public_narrator = narrator.model_copy(
        update={
            "name": narrator_display_name(narrator),
            "initials": None,
            "born": narrator.born if full else None,
            "bio": narrator.bio if full else None,
        }
    )
    allowed = media_allowed(record)
    media = record.media.model_copy(update={"audio": allowed.get("audio"), "video": allowed.get("video")}) if allowed else None
    return record.model_copy(
        update={
            "narrator": public_narrator,
            "media": media,
            "segments": [s for s in record.segments if not is_withheld(s)],
            "consent": record.consent.model_copy(update={"date": None, "embargo_until": None}),
        }
    )


def _sites_spoken_of(entry: Entry) -> list[tuple[str, str]]:
    """Sites a record is related to or that a public segment speaks about (ids; labels filled by the renderer)."""
    ids = list(entry.model.related.sites)
    for segment in entry.model.segments:
        if not is_withheld(segment):
            ids += [i for i in segment.sites if i not in ids]
    return [(i, i) for i in ids]


def _record_period(entry: Entry) -> list[tuple[str, str]]:
    period = entry.model.period
    return decades(period.from_, period.to) if period else []


LISTING_FILTERS = (
    ListingFilter("narrator", "受访者", lambda e: [(narrator_display_name(e.model.narrator),) * 2]),
    ListingFilter("place", "采访地点", lambda e: [(e.model.place, e.model.place)]),
    ListingFilter("language", "讲述语言", lambda e: [(e.model.language, e.model.language)]),
    ListingFilter("period", "讲述年代", _record_period),
    ListingFilter("site", "相关遗址", _sites_spoken_of, refers_to="sites"),
)


def card_meta(entry: Entry) -> list[str]:
    """The facts a record's card shows under its title."""
    model = entry.model
    meta = [f"受访者：{narrator_display_name(model.narrator)}", f"{len(model.segments)} 个片段"]
    if model.demo:
        meta.insert(0, "演示数据")
    return meta


# --- checks across entries (Collection.entry_checks) ---------------------------------------------------------------


def check_protected_names(entries: list[Entry]) -> list[Problem]:
    """A narrator who asked not to be named (display: initials | anonymous) must not be named anywhere else in any
    entry's text. (Recordings are published without any metadata at all: see media.py.)"""
    protected = {e.model.narrator.name: e for e in entries if isinstance(e.model, OralHistory) and e.model.narrator.display != "full"}
    problems = []
    for entry in entries if protected else []:
        for path, text in entry.raw.nodes:
            if not isinstance(text, str) or path == ("narrator", "name"):
                continue
            for name, record in protected.items():
                if name in text:
                    problems.append(
                        Problem(
                            entry.raw.display_path,
                            entry.raw.line_of(path),
                            dotted(path),
                            f"出现了要求不公开姓名的受访者的真实姓名（见 {record.raw.display_path} 的 narrator.display）。请改用“{narrator_name(record.model.narrator)}”。",
                        )
                    )
    return problems


def check_media_privacy(entries: list[Entry]) -> list[Problem]:
    """A recording is published whole: if some segments are withheld or the narrator is not to be named, an editor
    must confirm the withheld parts were cut from the file itself — ``media.checked``."""
    problems = []
    for entry in entries:
        model = entry.model
        if not isinstance(model, OralHistory) or not media_allowed(model) or model.media.checked:
            continue
        reasons = []
        if any(is_withheld(s) for s in model.segments):
            reasons.append("有不公开的片段，而录音会整段发布")
        if model.narrator.display != "full":
            reasons.append("受访者要求不公开姓名")
        if reasons:
            problems.append(
                Problem(
                    entry.raw.display_path,
                    entry.raw.line_of(("media",)),
                    "media.checked",
                    f"{'；'.join(reasons)}：请先剪去录音中不公开的部分、确认录音中没有说出受访者姓名，确认后在 media 下写 `checked: true`；否则请从授权范围 scope 中去掉 audio/video。",
                )
            )
    return problems


def entry_checks(entries: list[Entry]) -> list[Problem]:
    return [*check_protected_names(entries), *check_media_privacy(entries)]
