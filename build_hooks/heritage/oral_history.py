"""What an oral-history record publishes besides its page, and what consent allows it to publish.

All of it respects the record's consent: media (and the captions that go with it) only when the scope includes
audio or video; redacted segments never; the narrator's real name only when ``display: full``.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from pathlib import Path

from .schema import OralHistory, Segment, timecode_seconds
from .validate import segment_anchor


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


def media_uri(ref: str) -> str | None:
    """Where a local media file is published (``media/<name>``); ``None`` for a URL."""
    return None if ref.startswith("https://") else f"media/{ref}"


def media_src(ref: str, page_dir: str) -> str:
    """The ``src`` of the player on the page whose URL directory is ``page_dir`` (directory URLs)."""
    uri = media_uri(ref)
    return ref if uri is None else posixpath.relpath(uri, page_dir)


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
    return [PublicSegment(segment_anchor(s, i), s) for i, s in enumerate(record.segments) if not s.redacted]


def _vtt_time(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}.000"


def _vtt_text(text: str) -> str:
    # A cue ends at a blank line and "-->" would start a new timing line: keep each cue's text intact.
    return "\n".join(line for line in text.replace("-->", "→").replace("&", "&amp;").replace("<", "&lt;").splitlines() if line.strip())


def chapters_vtt(record: OralHistory) -> str:
    """WebVTT chapters: one cue per public segment, titled like the segment."""
    cues = ["WEBVTT", ""]
    for item in public_segments(record):
        cues += [item.anchor, f"{_vtt_time(item.start_seconds)} --> {_vtt_time(item.end_seconds)}", _vtt_text(item.segment.title), ""]
    return "\n".join(cues)


def captions_vtt(record: OralHistory) -> str:
    """WebVTT captions: each public segment's transcript over its time range (the transcript is not time-aligned
    more finely than the segment)."""
    cues = ["WEBVTT", ""]
    for item in public_segments(record):
        if item.segment.transcript:
            cues += [item.anchor, f"{_vtt_time(item.start_seconds)} --> {_vtt_time(item.end_seconds)}", _vtt_text(item.segment.transcript), ""]
    return "\n".join(cues)


def index_json(record: OralHistory, record_id: str, narrator: str, url: str) -> str:
    """A machine-readable index of the record: what the page shows, nothing more."""
    data = {
        "id": record_id,
        "title": record.title,
        "demo": record.demo,
        "narrator": narrator,
        "recorded": record.recorded,
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
        "redacted_segments": sum(1 for s in record.segments if s.redacted),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- citations ---------------------------------------------------------------------------------------------------

ACCESS_DATE = "[引用日期]"  # replaced by the reader's date in the browser; stays readable without JavaScript


def cite_gbt7714(record: OralHistory, narrator: str, url: str, segment: Segment | None = None) -> str:
    """GB/T 7714-2015, as for an online audio-visual document of another type ([Z/OL]).

    Pattern: 主要责任者. 题名[Z/OL]. 出版地: 出版者, 年(更新或修改日期)[引用日期]. 获取和访问路径.
    """
    who = f"{narrator}口述" + (f", {'、'.join(record.interviewers)}访谈" if record.interviewers else "")
    title = record.title if segment is None else f"{record.title}: {segment.title}（{segment.start}–{segment.end}）"
    return f"{who}. {title}[Z/OL]. {record.place}: {record.rights.holder}, {record.recorded}{ACCESS_DATE}. {url}."


def cite_chicago(record: OralHistory, narrator: str, url: str, segment: Segment | None = None) -> str:
    """Chicago Manual of Style (17th ed.), bibliography form for an unpublished interview."""
    by = f", interview by {', '.join(record.interviewers)}" if record.interviewers else ""
    part = "" if segment is None else f", {segment.start}–{segment.end}, “{segment.title}”"
    return f"{narrator}{by}, {record.place}, {record.recorded}{part}. “{record.title}.” {record.rights.holder}. {url}."
