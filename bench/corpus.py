"""A deterministic synthetic corpus for the benchmark: N sites and N oral-history records of realistic Chinese text,
and the sources they cite (content/sources/, about one for every four sites, each cited by several entries as real
sources are).

Written into a folder given by the caller (a temporary one), never into content/. Every entry is marked as
synthetic in its own text; the same N and seed always produce the same bytes.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

STREETS = ["大鹏街道", "葵涌街道", "南澳街道"]
KINDS = ["former-site", "former-residence", "memorial", "museum", "red-village"]
PLACES = ["土洋", "沙鱼涌", "大鹏所城", "王母", "水贝", "坝光", "溪涌", "东山", "鹏城", "新大", "龙岐", "西涌", "东涌", "杨梅坑", "下沙"]
BUILDINGS = ["祠堂", "教堂", "学堂", "碉楼", "民居", "码头", "书院", "古井", "纪念亭", "炮台"]
TERMS = [
    "东江纵队",
    "抗日战争",
    "游击队",
    "交通站",
    "地下党",
    "农会",
    "妇女会",
    "儿童团",
    "民兵",
    "交通员",
    "情报站",
    "医疗所",
    "税站",
    "兵工厂",
    "印刷所",
]
VERBS = ["设立", "转移", "掩护", "坚持", "组织", "动员", "接应", "保存", "修缮", "开放"]
TAGS = ["合成数据", "东江纵队", "抗日战争", "解放战争", "红色村", "交通线", "海上交通", "民间记忆", "文物保护", "现场教学"]


def _sentence(rng: random.Random) -> str:
    place, building, term, verb = rng.choice(PLACES), rng.choice(BUILDINGS), rng.choice(TERMS), rng.choice(VERBS)
    year = rng.randint(1938, 1949)
    patterns = [
        f"{year}年前后，{term}曾在{place}的{building}{verb}活动，当地群众多有参与",
        f"{place}{building}保存较为完整，是了解{term}历史的重要场所",
        f"据当地老人回忆，{term}在{place}一带{verb}多时，村民为其提供食宿",
        f"{place}的{building}后来经过{verb}，现可供学员参观学习",
        f"从{place}出发，沿海岸线可以到达附近的{rng.choice(PLACES)}，当年的{term}常走这条路线",
    ]
    return rng.choice(patterns) + "。"


def _text(rng: random.Random, chars: int) -> str:
    out = ""
    while len(out) < chars:
        out += _sentence(rng)
    return out


def source_count(n: int) -> int:
    """How many sources a corpus of n sites cites: about one for every four sites, at least two."""
    return max(2, n // 4)


def _source_id(index: int) -> str:
    return f"src-{index}"


def source(rng: random.Random, index: int) -> dict:
    """A synthetic source whose excerpts hold what the entries' footnoted sentences use (the years, places, buildings
    and terms of ``_sentence``), so the claim check has every sentence to compare and nothing to report."""
    return {
        "status": "published",
        "title": f"合成资料第{index}号（基准测试用，非真实文献）",
        "kind": "book",
        "publisher": "基准测试",
        "excerpts": [
            {"text": "、".join(f"{year}年" for year in range(1938, 1950)) + "的合成记录。", "at": "第1页", "form": "record"},
            {"text": "、".join(PLACES) + "。" + "、".join(BUILDINGS) + "。", "at": "第2页", "form": "record"},
            {"text": _text(rng, 120), "at": "第3页"},
        ],
        "updated": "2026-01-01",
    }


def _cited(n: int, count: int, sources: int) -> list[str]:
    """The ids of the ``count`` sources entry n cites: neighbours in the pool, so each source is cited by several."""
    return [_source_id((n + k) % sources + 1) for k in range(count)]


def site(rng: random.Random, n: int, records: int, sources: int = 2) -> dict:
    cited = _cited(n, 2, sources)
    paragraphs = [_text(rng, 250) + f"[^{cited[i % 2]}]" for i in range(4)]
    return {
        "status": "published",
        "name": f"合成遗址{n:05d}号{rng.choice(PLACES)}{rng.choice(BUILDINGS)}",
        "aliases": [f"合成{n:05d}"],
        "kind": KINDS[n % len(KINDS)],  # every value from 5 sites on: a small corpus has every facet page too
        "street": STREETS[n % len(STREETS)],
        "location": None,
        "summary": "（基准测试合成数据）" + _text(rng, 80)[:120],
        "body": "\n\n".join(paragraphs) + "\n",
        "teaching": {"points": [_sentence(rng) for _ in range(3)], "questions": [_sentence(rng)]},
        "related": {"oral_history": [f"record-{rng.randrange(records):05d}"]} if records else {},
        "tags": rng.sample(TAGS, 3),
        "sources": cited,
        "reviewed": {"by": "基准测试", "date": "2026-01-01"},
        "updated": "2026-01-01",
    }


def record(rng: random.Random, n: int, sites: int, sources: int = 2) -> dict:
    segments = []
    for i in range(6):
        start, end = i * 300, (i + 1) * 300
        segments.append(
            {
                "id": f"part-{i + 1}",
                "start": f"{start // 3600:02d}:{start % 3600 // 60:02d}:{start % 60:02d}",
                "end": f"{end // 3600:02d}:{end % 3600 // 60:02d}:{end % 60:02d}",
                "title": f"{rng.choice(PLACES)}的{rng.choice(TERMS)}",
                "synopsis": _text(rng, 60)[:80],
                "keywords": rng.sample(PLACES, 2),
                "transcript": _text(rng, 200),
                "sites": [f"site-{rng.randrange(sites):05d}"] if sites else [],
            }
        )
    return {
        "status": "published",
        "demo": True,
        "title": f"合成口述{n:05d}号：{rng.choice(PLACES)}往事",
        "narrator": {"name": f"合成受访者{n:05d}", "display": "full"},
        "interviewers": ["基准测试"],
        "recorded": "2021-06-12",
        "place": rng.choice(PLACES),
        "language": rng.choice(["普通话", "大鹏话（附普通话译文）", "客家话（附普通话译文）"]),
        "duration": "00:30:00",
        "consent": {"release": "signed", "date": "2021-06-12", "scope": ["transcript"]},
        "rights": {"license": "基准测试", "holder": "基准测试"},
        "summary": "（基准测试合成数据）" + _text(rng, 80)[:120],
        "segments": segments,
        "period": {"from": "1938", "to": "1949"},
        "related": {"sites": [f"site-{rng.randrange(sites):05d}"]} if sites else {},
        "tags": rng.sample(TAGS, 2),
        "sources": _cited(n, 1, sources),
        "reviewed": {"by": "基准测试", "date": "2026-01-01"},
        "updated": "2026-01-01",
    }


def write_corpus(root: Path, n: int, seed: int = 20261126) -> Path:
    """Write content/ with n sites, n records and their sources under ``root``; return the content folder."""
    rng = random.Random(seed)
    content = root / "content"
    for folder in ("sites", "oral-history", "sources"):
        (content / folder).mkdir(parents=True, exist_ok=True)
    sources = source_count(n)
    for i in range(n):
        data = site(rng, i, n, sources)
        (content / "sites" / f"site-{i:05d}.yml").write_text(_dump(data), encoding="utf-8")
    for i in range(n):
        data = record(rng, i, n, sources)
        (content / "oral-history" / f"record-{i:05d}.yml").write_text(_dump(data), encoding="utf-8")
    for i in range(1, sources + 1):
        (content / "sources" / f"{_source_id(i)}.yml").write_text(_dump(source(rng, i)), encoding="utf-8")
    return content


def _dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=4096)
