"""The shipped people, events and corrected entries, read against the fact sheet's promises.

Every disagreement listed in §4 of the fact sheet (`dapeng-facts-people-events.md`, kept outside this repository)
that concerns an entry we publish must be shown on that entry's page with every value. The table below is that §4,
row by row, with the entries each row concerns; the test reads the shipped entries, requires each of them to be
published, and looks for every value on its built page. And nothing fictional may look real.
"""

from __future__ import annotations

import datetime as dt
import re

import mutagen
import pytest

from conftest import ROOT, valid_entries
from heritage import build
from heritage.collections.oral_history import DEMO_CUE

CONTENT = ROOT / "content"
TODAY = dt.date(2026, 11, 28)

# (§4 topic, entries concerned, the values that must all be on each of their pages)
SHEET_DISAGREEMENTS = [
    ("曾生's original name", ["people/zeng-sheng"], ["曾振声", "曾振生", "曾振华"]),
    ("袁庚's birth date", ["people/yuan-geng", "sites/yuan-geng-ancestral-home"], ["1917年4月23日", "4月5日"]),
    ("袁庚 joined the CPC", ["people/yuan-geng"], ["1939年3月", "1939年3月27日", "1936年"]),
    (
        "袁庚 and the 护航大队",
        ["people/yuan-geng", "people/liu-pei", "events/sea-escort-unit-1941"],
        ["称自己任海上游击队护航大队大队长", "东纵海上大队大队长", "1943年8月"],
    ),
    ("袁庚's artillery command", ["people/yuan-geng"], ["1946年任三野炮兵团团长", "1949年任两广纵队炮兵团团长", "任四野炮兵团团长"]),
    ("袁庚's release", ["people/yuan-geng"], ["1973年9月", "1975年10月"]),
    ("尹林平's military-political title", ["people/yin-linping"], ["广东军政委员会主任", "兼东江军政委员会主任", "军政委员会书记"]),
    ("梁广 secretary of the 粤南省委", ["people/liang-guang"], ["1940年12月", "1940年秋"]),
    ("王作尧 romanisation", ["people/wang-zuoyao"], ["Wang Zuorao", "Wang Zuoyao"]),
    ("刘黑仔 birth", ["people/liu-heizai"], ["农历1919年八月三十", "1919年10月23日", "1920年"]),
    ("刘黑仔 birthplace", ["people/liu-heizai"], ["大鹏东北", "深圳河畔"]),
    ("刘黑仔's rank in the short-gun unit", ["people/liu-heizai"], ["副队长（队长为黄冠芳）", "沙田短枪队副队长", "- 队长[^pe061]"]),
    ("刘黑仔 西北支队 post", ["people/liu-heizai"], ["同年12月任西北支队参谋兼短枪队长", "1945年7月任西北支队顾问兼短枪队长"]),
    ("黄作梅 birthplace", ["people/huang-zuomei"], ["香港新界", "香港湾仔"]),
    ("黄作梅 joined the CPC", ["people/huang-zuomei"], ["1941年6月", "1941年10月"]),
    ("黄作梅 head of the HK branch", ["people/huang-zuomei"], ["1949年6月", "1949年8月"]),
    ("Chan Chak party size", ["events/chan-chak-escape-1941"], ["60多名", "71名官兵，其中68人步行", "七十二名", "70余人"]),
    ("Rescue duration", ["events/secret-rescue-1942"], ["历时11个月", "历时近七个月"]),
    ("Rescue numbers", ["events/secret-rescue-1942"], ["约800人", "七八百人", "数百人"]),
    ("HQ arrives at Tuyang", ["events/hq-moves-to-tuyang-1942", "sites/tuyang-east-river-column-hq"], ["1942年春", "1942年底"]),
    (
        "HQ leaves Tuyang",
        ["events/hq-leaves-tuyang-1945", "sites/tuyang-east-river-column-hq"],
        ["1945年2月", "5月底", "至1945年5月", "10月7日"],
    ),
    ("Kerr shot down", ["events/kerr-rescue-1944"], ["1944年2月11日", "1944年2月21日"]),
    ("Cadre school first class", ["events/cadre-school-1944"], ["只有军事队，学员200人", "分军事队和政治队"]),
    (
        "Withdrawal departure",
        ["events/northern-withdrawal-1946", "sites/shayuchong-northern-withdrawal-memorial"],
        ["1946年6月30日", "6月29日下午", "约16时", "13时"],
    ),
    (
        "Withdrawal numbers",
        ["events/northern-withdrawal-1946", "sites/shayuchong-northern-withdrawal-memorial"],
        ["2583人", "2400人", "4500人"],
    ),
    ("Memorial wall names", ["sites/shayuchong-northern-withdrawal-memorial"], ["2107个名字", "2583人"]),
    (
        "沙鱼涌 exhibition-hall opening",
        [
            "sites/shayuchong-red-memory-exhibition-hall",
            "sites/shayuchong-northern-withdrawal-memorial",
            "events/exhibition-hall-opening-2016",
        ],
        ["2016年6月", "2016年7月"],
    ),
    ("Column strength", ["events/east-river-column-proclaimed-1943"], ["11000多人", "一万二千人"]),
]


@pytest.fixture(scope="module")
def result():
    return build(CONTENT, today=TODAY)


@pytest.mark.parametrize("topic, entries, values", SHEET_DISAGREEMENTS, ids=[row[0] for row in SHEET_DISAGREEMENTS])
def test_every_disagreement_of_the_sheet_is_shown_on_the_pages_it_concerns(result, topic, entries, values):
    for key in entries:
        collection, entry_id = key.split("/")
        entry = result.catalog.entries.get((collection, entry_id))
        assert entry is not None and entry.status == "published", f"{key} is not published"
        page = result.pages[f"{key}.md"]
        for value in values:
            assert value in page, f"{topic}: “{value}” is not on {key}"


def test_the_sheet_people_are_all_published(result):
    people = {e.id for e in result.catalog.collection("people")}
    assert people == {
        "yuan-geng",
        "zeng-sheng",
        "yin-linping",
        "wang-zuoyao",
        "yang-kanghua",
        "liu-heizai",
        "liang-guang",
        "lian-guan",
        "huang-zuomei",
        "cai-guoliang",
        "liu-pei",
        "liao-meng",  # added from §G of the second content review: strong sources only
        "zhong-sheng",
    }


def test_shipped_people_are_filed_under_their_surname(result):
    from heritage.text.pinyin import a_to_z

    groups = dict(a_to_z(result.catalog))
    assert "曾生" in [i.name for i in groups["Z"]]  # 曾 as a surname: Zēng
    assert "沙鱼涌村" in [i.name for i in groups["S"]]
    assert "刘黑仔" in [i.name for i in groups["L"]]


def test_no_shipped_location_and_every_fact_sourced():
    for entry in valid_entries(CONTENT):
        assert getattr(entry.model, "location", None) is None, entry.id
        if type(entry.model).NEEDS_SOURCES:  # not the sources themselves (content/sources/)
            assert entry.model.sources, entry.id


def test_inferred_street_is_flagged_wherever_it_is_shown(result):
    assert "大鹏街道](streets/dapeng.md)（本站推断" in result.pages["sites/yuan-geng-ancestral-home.md"]
    assert "推断" in result.pages["index.md"]
    # now sourced: the municipal list (the sources section's statement names the mark on every page; not counted)
    assert "本站推断" not in result.pages["sites/dongshan-temple-cadre-school.md"].split("## 资料来源")[0]


def test_descriptions_are_not_dressed_as_titles(result):
    for uri, page in result.pages.items():
        assert "本项目依据文件" not in page, uri
        assert not re.search(r"《[^》]*（[^》]*网页）》", page), uri  # "《…（某某网页）》" was a description in 《》


# --- demonstration records: nothing fictional may look real -------------------------------------------------------

HEARSAY = ("听老人讲", "老人们常说", "听说")


def demo_records():
    return [e for e in valid_entries(CONTENT) if e.collection == "oral-history" and e.model.demo]


def test_demo_records_say_what_they_are():
    for record in demo_records():
        model = record.model
        assert model.consent.release == "demo", record.id
        assert model.language.startswith("普通话") and "合成语音" in model.language, record.id  # no invented dialect
        for segment in model.segments:
            assert segment.transcript_original is None, (record.id, segment.id)
            for text in (segment.transcript or "", segment.synopsis, segment.title, model.title, model.summary):
                assert not any(word in text for word in HEARSAY), (record.id, text)


def test_no_timecodes_without_a_recording():
    for record in demo_records():
        model = record.model
        assert model.media and model.media.audio, record.id
        length = mutagen.File(CONTENT / "media" / model.media.audio).info.length
        h, m, s = (int(x) for x in model.duration.split(":"))
        assert abs(length - (h * 3600 + m * 60 + s)) < 1, record.id


def test_demo_pages_offer_no_citation_and_no_consent(result):
    for record in demo_records():
        page = result.pages[f"oral-history/{record.id}.md"]
        assert "引用此片段" not in page and "引用本记录" not in page and "[Z/OL]" not in page
        assert "演示数据，无授权书" in page and "已签署授权书" not in page
        assert "（虚构，并未实际采访）" in page
        captions = result.files[f"oral-history/{record.id}/captions.vtt"]
        cues = [block.splitlines() for block in captions.split("\n\n")[1:] if block.strip()]
        assert cues and all(cue[2].startswith(DEMO_CUE) for cue in cues)


def test_listing_does_not_borrow_the_real_collection_or_invite_citation(result):
    listing = result.pages["oral-history/index.md"]
    assert "大鹏红色革命口述史" not in listing and "可以引用" not in listing and "请勿引用" in listing


CHINESE_DIGITS = "零一二三四五六七八九"


def _spoken_number(number: str, is_year: bool) -> str:
    if is_year:
        return "".join(CHINESE_DIGITS[int(d)] for d in number)
    value, out = int(number), ""
    for unit, name in ((1000, "千"), (100, "百"), (10, "十")):
        digit, value = divmod(value, unit)
        if digit:
            out += ("两" if digit == 2 and unit == 1000 else "" if digit == 1 and unit == 10 and not out else CHINESE_DIGITS[digit]) + name
    return out + (CHINESE_DIGITS[value] if value else "")


def spoken(text: str) -> str:
    """A transcript as the synthetic voice is given it: Arabic numbers in Chinese numerals."""
    return re.sub(r"\d+(?=年)|\d+", lambda m: _spoken_number(m.group(0), text[m.end() : m.end() + 1] == "年"), text)


def test_recordings_say_exactly_the_transcripts():
    """The captions are the transcripts: the script that makes the recordings must read exactly them."""
    script = (ROOT / "scripts" / "make-demo-audio.sh").read_text(encoding="utf-8")
    for record in demo_records():
        block = script[script.index(f"  {record.id})") :]
        block = block[: block.index(";;")]
        texts = [t.replace("|", "") for t in re.findall(r'^\s+"(.*)"$', block, flags=re.M)]
        assert texts == [spoken(s.transcript) for s in record.model.segments], record.id
