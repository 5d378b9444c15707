"""Oral history: consent decides what is published; exports and citations say exactly what the page says."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from conftest import edit_entry
from heritage import build, check
from heritage.core.problems import Severity

TODAY = dt.date(2026, 11, 26)
RECORD = "oral-history/beta-record.yml"


def edit(content, old, new, entry=RECORD):
    edit_entry(content, entry, old, new)


def errors(content):
    return [p for p in check(content, today=TODAY) if p.severity is Severity.ERROR]


def test_media_published_only_within_consent_scope(content):
    result = build(content, today=TODAY, site_url="https://example.org/")
    assert "media/beta.wav" in result.files
    assert 'class="oh-player"' in result.pages["oral-history/beta-record.md"]
    assert "oral-history/beta-record/chapters.vtt" in result.files

    edit(content, "    - transcript\n    - audio\n", "    - transcript\n")
    result = build(content, today=TODAY, site_url="https://example.org/")
    assert not any(uri.startswith("media/") for uri in result.files)
    assert "oh-player" not in result.pages["oral-history/beta-record.md"]
    assert "oral-history/beta-record/chapters.vtt" not in result.files
    assert "oral-history/beta-record/index.json" in result.files  # the index is text: transcript consent covers it


def test_unsigned_release_cannot_be_published(content):
    edit(content, "  release: signed", "  release: pending")
    [error] = errors(content)
    assert (error.field, error.line) == ("consent.release", 18)


def test_missing_media_file_is_an_error(content):
    edit(content, "  audio: beta.wav", "  audio: missing.opus")
    [error] = errors(content)
    assert error.field == "media.audio" and "content/media/missing.opus" in error.message


@pytest.mark.parametrize("ref", ["../secret.wav", "audio/beta.wav", "beta.exe", "http://example.org/a.mp3"])
def test_media_reference_must_be_a_plain_file_name_or_https(content, ref):
    edit(content, "  audio: beta.wav", f"  audio: {ref}")
    assert [p.field for p in errors(content)] == ["media.audio"]


def test_protected_name_may_not_appear_anywhere(content):
    edit(content, "  display: full", "  display: anonymous")
    edit(content, "第一段文字稿。", "第一段文字稿，测试受访者（虚构）说。")
    [error] = errors(content)
    assert error.field == "segments[0].transcript" and "匿名受访者" in error.message


def test_segment_naming_an_unknown_site_is_an_error(content):
    edit(content, "      - gamma-memorial", "      - gamma-memorialx")
    [error] = errors(content)
    assert error.field == "segments[0].sites[0]" and error.line is not None


def test_webvtt_and_json_leave_out_redacted_segments(content):
    result = build(content, today=TODAY, site_url="https://example.org/")
    chapters = result.files["oral-history/beta-record/chapters.vtt"]
    captions = result.files["oral-history/beta-record/captions.vtt"]
    # the fixture record is a demonstration: its chapter titles say so (test_demo_and_trust.py)
    assert chapters.startswith("WEBVTT\n\nseg-1\n00:00:00.000 --> 00:10:00.000\n【演示数据】第一段测试标题\n")
    assert "第二段" not in chapters and "ZQXJREDACTED" not in captions
    assert "第一段文字稿。" in captions
    index = json.loads(result.files["oral-history/beta-record/index.json"])
    assert [s["id"] for s in index["segments"]] == ["seg-1"]
    assert index["redacted_segments"] == 1
    assert index["segments"][0]["url"] == "https://example.org/oral-history/beta-record/#seg-1"


def test_citations_carry_timecodes_and_stable_urls(content):
    edit(content, "demo: true", "demo: false")  # demonstration records offer no citation (test_chronicle.py)
    page = build(content, today=TODAY, site_url="https://example.org/").pages["oral-history/beta-record.md"]
    assert (
        "测试受访者（虚构）口述, 测试采访者访谈. 乙测试口述记录[Z/OL]. 测试地点: 测试项目, 2021-06-12[引用日期]. https://example.org/oral-history/beta-record/."
        in page
    )
    assert "乙测试口述记录: 第一段测试标题（00:00:00–00:10:00）[Z/OL]" in page
    assert "https://example.org/oral-history/beta-record/#seg-1." in page
    assert "测试受访者（虚构）, interview by 测试采访者, 测试地点, 2021-06-12, 00:00:00–00:10:00" in page  # Chicago


def test_site_page_lists_the_segments_about_it(content):
    page = build(content, today=TODAY).pages["sites/gamma-memorial.md"]
    assert "[乙测试口述记录 · 第一段测试标题](../oral-history/beta-record.md#seg-1)（00:00:00–00:10:00）" in page


def test_redacted_segment_shows_neither_title_nor_text(content):
    page = build(content, today=TODAY).pages["oral-history/beta-record.md"]
    assert "第二段测试标题" not in page and "第二段提要" not in page and "ZQXJREDACTED" not in page
    assert "此片段不公开" in page


def test_whole_recording_with_withheld_parts_needs_an_editors_check(content):
    edit(content, "  checked: true  # a silent test file: nothing withheld is in it\n", "")
    [error] = errors(content)
    assert error.field == "media.checked" and "不公开的片段" in error.message


def _wav_with_info(name: str) -> bytes:
    """A tiny valid WAV whose LIST/INFO chunk names someone (as recorders and editors write it)."""
    import struct

    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)
    data = b"\0\0" * 800
    info = b"INFO" + b"IART" + struct.pack("<I", len(name.encode()) + 1) + name.encode() + b"\0"
    info += b"\0" * (len(info) % 2)
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"LIST" + struct.pack("<I", len(info)) + info
    chunks += b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks


def test_published_wav_carries_no_metadata(content):
    edit(content, "  display: full", "  display: anonymous")
    (content / "media" / "beta.wav").write_bytes(_wav_with_info("测试受访者（虚构）"))
    assert errors(content) == []
    published = build(content, today=TODAY).files["media/beta.wav"]
    assert "测试受访者".encode() not in published and b"LIST" not in published
    assert published[:4] == b"RIFF" and b"fmt " in published and b"data" in published


def test_published_opus_carries_no_tags_in_any_encoding(content):
    import io

    import mutagen
    from mutagen.oggopus import OggOpus

    from conftest import ROOT

    shutil.copyfile(ROOT / "content" / "media" / "demo-tuyang-memories.opus", content / "media" / "beta.opus")
    tagged = OggOpus(content / "media" / "beta.opus")
    tagged["artist"] = ["测试受访者"]
    tagged["comment"] = ["采访 测试受访者 的录音"]
    tagged.save()
    edit(content, "  audio: beta.wav\n", "  audio: beta.opus\n")
    published = build(content, today=TODAY).files["media/beta.opus"]
    assert "测试受访者".encode() not in published
    assert len(mutagen.File(io.BytesIO(published)).tags) == 0
    assert mutagen.File(io.BytesIO(published)).info.length > 60  # still the whole recording


def test_a_recording_that_cannot_be_stripped_is_refused(content):
    (content / "media" / "beta.wav").write_bytes(b"not a wav at all")
    [error] = errors(content)
    assert error.field == "media.audio" and "WAV" in error.message


def test_a_symlinked_recording_is_refused(content, tmp_path):
    secret = tmp_path / "secret.wav"
    secret.write_bytes(_wav_with_info("x"))
    media = content / "media" / "beta.wav"
    media.unlink()
    media.symlink_to(secret)
    [error] = errors(content)
    assert error.field == "media.audio" and "链接" in error.message


def test_embargo_is_a_notice_even_under_strict(content):
    from dataclasses import replace  # noqa: F401  (the CLI applies --strict; here: the severity it starts from)

    edit(content, "  date: 2021-06-12\n", "  date: 2021-06-12\n  embargo_until: 2030-05-01\n")
    [notice] = [p for p in check(content, today=TODAY) if p.field == "consent.embargo_until"]
    assert notice.severity is Severity.NOTICE and notice.line == 20 and "2030-05-01" in notice.message


def test_overlapping_segments_are_an_error(content):
    edit(content, '    start: "00:10:00"', '    start: "00:09:00"')
    [error] = errors(content)
    assert error.field == "segments[1].start" and "重叠" in error.message


def test_audio_and_video_together_are_an_error(content):
    edit(content, "  audio: beta.wav\n", "  audio: beta.wav\n  video: beta.webm\n")
    assert "media.video" in [p.field for p in errors(content)]


def test_a_demo_record_offers_no_citation_and_claims_no_consent(content):
    """Its licence says 不得引用 and a fictional narrator signs nothing: the page must not suggest otherwise."""
    page = build(content, today=TODAY, site_url="https://example.org/").pages["oral-history/beta-record.md"]
    assert "[Z/OL]" not in page and "引用此片段" not in page and "不提供引用格式" in page
    assert "演示数据，无授权书" in page and "已签署授权书" not in page
    assert "2021\\-06\\-12（虚构，并未实际采访）" in page


def test_release_demo_is_only_for_demo_records(content):
    edit(content, "  release: signed", "  release: demo")
    assert errors(content) == []
    edit(content, "demo: true", "demo: false")
    found = errors(content)
    assert {p.field for p in found} == {"consent.release"}
    assert any("只用于演示数据" in p.message for p in found) and any("不能发布" in p.message for p in found)


def test_every_caption_of_a_demo_record_says_so(content):
    from heritage.collections.oral_history import DEMO_CUE

    captions = build(content, today=TODAY).files["oral-history/beta-record/captions.vtt"]
    assert f"{DEMO_CUE}第一段文字稿。" in captions
