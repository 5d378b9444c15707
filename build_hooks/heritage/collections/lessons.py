"""Lessons (content/lessons/): a lesson plan that assembles sites, people, events and oral-history segments, with
readings, questions and a timed outline whose durations add up.

The lesson states no history of its own: the facts are those of the entries it uses (each with its sources, on
its page and in the lesson's list of materials); the lesson adds the teacher's plan — goals, an outline with
minutes, questions — and readings, each naming a declared source. A demonstration lesson (``demo: true``) says so
at the top of its page, as demonstration oral-history records do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Optional

from pydantic import BaseModel, Field, StrictBool

from heritage.core import vocab
from heritage.core.schema import EntryBase, Integer, Label, Reference, SourceRef, Text, _config, _range, ref
from heritage.core.visibility import anchor

if TYPE_CHECKING:  # pragma: no cover
    from heritage.core.catalog import Catalog, PageContext
    from heritage.core.entry import Entry

SEGMENT_RECORD = Reference("oral-history")  # the record a "record#segment" reference names
Minutes = Annotated[Integer, *_range(1, 480, "分钟数", "integer")]
Audience = Literal[tuple(vocab.AUDIENCES)]  # type: ignore[valid-type]


class Reading(BaseModel):
    model_config = _config("阅读材料")

    source: SourceRef = Field(description="来源编号（须在 sources 中声明）：学员课前或课上阅读的资料")
    note: Optional[Text] = Field(None, description="读什么、为什么读", examples=["阅读其中关于土洋会议的段落"])


class Step(BaseModel):
    model_config = _config("教学环节")

    title: Label = Field(description="环节名称", examples=["导入"])
    minutes: Minutes = Field(description="这一环节的分钟数；各环节合计须等于 duration_minutes", examples=[5])
    activity: Text = Field(description="做什么：讲授要点、播放片段、讨论等（教学安排，不写未注明出处的史实）")
    # A reference like any other (exports and the visibility filter find it from its type), that must repeat one
    # of related.segments (checked below): linked there, so the record lists the lesson once.
    segments: list[ref("oral-history", part="segments")] = Field(
        default_factory=list,
        description="这一环节播放的口述片段：口述史编号#片段编号，须列在 related.segments 中",
        examples=[["demo-tuyang-memories#founding"]],
    )


class LessonRelated(BaseModel):
    model_config = _config("用到的条目")

    sites: list[ref("sites")] = Field(default_factory=list, description="用到的遗址条目编号；遗址页面也会列出本教案")
    people: list[ref("people")] = Field(default_factory=list, description="用到的人物条目编号")
    events: list[ref("events")] = Field(default_factory=list, description="用到的事件条目编号")
    segments: list[ref("oral-history", part="segments")] = Field(
        default_factory=list,
        description="用到的口述片段：口述史编号#片段编号（页面显示时间码）",
        examples=[["demo-tuyang-memories#founding"]],
    )


class Lesson(EntryBase):
    model_config = _config("教案")

    demo: StrictBool = Field(False, description="演示教案（虚构，只演示格式）：页面顶部显示“演示数据”提示，正式发布时不包含")
    title: Label = Field(description="教案标题", examples=["东江纵队在土洋宣告成立（本站教案）"])
    audience: list[Audience] = Field(default_factory=list, description="适用对象：party-members、students、public；不填表示不限")
    duration_minutes: Annotated[Integer, *_range(5, 480, "总时长", "integer")] = Field(description="总时长（分钟）", examples=[45])
    objectives: list[Text] = Field(default_factory=list, description="教学目标，每条一句")
    outline: list[Step] = Field(min_length=1, description="教学流程：按顺序的环节，分钟数合计等于 duration_minutes")
    readings: list[Reading] = Field(default_factory=list, description="阅读材料，每条注明来源")
    questions: list[Text] = Field(default_factory=list, description="讨论题")
    related: LessonRelated = Field(default_factory=LessonRelated, description="用到的遗址、人物、事件和口述片段")

    TITLE_FIELD: ClassVar[str] = "title"

    def cross_checks(self) -> list[tuple[tuple, str]]:
        """(field path, message) of problems across fields, reported with file and line by validate.py."""
        problems: list[tuple[tuple, str]] = []
        total = sum(step.minutes for step in self.outline)
        if total != self.duration_minutes:
            parts = " + ".join(str(step.minutes) for step in self.outline)
            problems.append(
                (
                    ("outline",),
                    f"各教学环节的分钟数合计 {parts} = {total} 分钟，与总时长 duration_minutes（{self.duration_minutes} 分钟）不一致。"
                    "请调整各环节的 minutes 或总时长。",
                )
            )
        used = set(self.related.segments)
        for index, step in enumerate(self.outline):
            for position, segment in enumerate(step.segments):
                if segment not in used:
                    problems.append(
                        (
                            ("outline", index, "segments", position),
                            f"片段 “{segment}” 在这一环节播放，但没有列在 related.segments 中。请把它加到 related.segments。",
                        )
                    )
        return problems

    @property
    def is_demo(self) -> bool:  # a demonstration is left out of releases and open data (core/visibility.py)
        return self.demo


# --- the page --------------------------------------------------------------------------------------------------


def segment_item(catalog: Catalog, reference: str) -> dict[str, Any] | None:
    """A segment named "record#segment" as the page shows it: its record, title, time range and anchor; None when
    the build does not show the record (a draft, an embargo). A withheld segment shows as withheld, never its title
    or id (``Visibility.item`` refuses it)."""
    record = catalog.visibility.target(reference.partition("#")[0], SEGMENT_RECORD)
    if record is None:
        return None
    segment_id = reference.partition("#")[2]
    for index, segment in enumerate(record.model.segments):
        if segment.id == segment_id:
            withheld = catalog.visibility.item(record, "segments", segment_id) is None
            return {"record": record, "segment": segment, "anchor": anchor(segment, index), "withheld": withheld}
    return None


def page_context(renderer: PageContext, entry: Entry) -> dict[str, Any]:
    catalog = renderer.catalog
    model = entry.model
    steps = []
    elapsed = 0
    for step in model.outline:
        played = [item for item in (segment_item(catalog, r) for r in step.segments) if item]
        steps.append({"step": step, "start": elapsed, "end": elapsed + step.minutes, "segments": played})
        elapsed += step.minutes

    def found(collection: str, ids: list[str]) -> list[Entry]:
        return [e for e in (catalog.visibility.target(i, Reference(collection)) for i in ids) if e is not None]

    return {
        "steps": steps,
        "sites": found("sites", model.related.sites),
        "people": found("people", model.related.people),
        "events": found("events", model.related.events),
        "segments": [s for s in (segment_item(catalog, r) for r in model.related.segments) if s],
        "readings": [(reading, entry.source(reading.source)) for reading in model.readings],
        "audiences": vocab.AUDIENCES,
    }


def card_meta(entry: Entry) -> list[str]:
    model = entry.model
    return [f"{model.duration_minutes} 分钟", *(vocab.AUDIENCES[a] for a in model.audience), *(["演示数据"] if model.demo else [])]
