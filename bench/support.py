"""How long the claim check (stages/support.py) takes at 1,000 entries, printed as figures (no assertion).

Writes 1,000 synthetic sites, each with a 1,000-character body of footnoted sentences (dates, numbers, names of other
entries, a quotation) citing two of 100 sources with excerpts, then times the check over all of them: once cold (every
sentence and excerpt read for the first time) and once again as a preview rebuild after one edit (what was read is
memoised by its text).

    .venv/bin/python bench/support.py [N]
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "build_hooks"))

from heritage.core.cache import BuildCache  # noqa: E402
from heritage.stages.link import link  # noqa: E402
from heritage.stages.pipeline import lint_context, load_all, validate_all  # noqa: E402
from heritage.stages.support import catalog_names, check_support  # noqa: E402

PLACES = ["土洋", "沙鱼涌", "大鹏所城", "王母", "水贝", "坝光", "溪涌", "东山", "鹏城", "新大"]


def _excerpt(rng: random.Random, index: int) -> dict:
    year, month, day = rng.randint(1938, 1949), rng.randint(1, 12), rng.randint(1, 28)
    place = rng.choice(PLACES)
    if index % 2:
        return {"text": f"{year}年{month}月{day}日，合成遗址{index:05d}号在{place}设立，共有{rng.randint(30, 900)}人参加。", "at": "第1页"}
    months = "January February March April May June July August September October November December".split()
    return {
        "text": f"On {day} {months[month - 1]} {year} about {rng.randint(30, 900)} people gathered at {place}.",
        "at": "资料卡",
        "form": "record",
    }


def write_corpus(root: Path, n: int, seed: int = 20261207) -> Path:
    rng = random.Random(seed)
    content = root / "content"
    (content / "sites").mkdir(parents=True)
    (content / "sources").mkdir()
    source_count = max(2, n // 10)
    excerpts = {}
    for s in range(source_count):
        excerpts[s] = [_excerpt(rng, s * 3 + k) for k in range(3)]
        data = {"status": "published", "title": f"合成资料{s}", "kind": "book", "excerpts": excerpts[s], "updated": "2026-01-01"}
        (content / "sources" / f"src-{s}.yml").write_text(_dump(data), encoding="utf-8")
    for i in range(n):
        cited = [i % source_count, (i * 7 + 3) % source_count]
        sentences = []
        while sum(map(len, sentences)) < 1000:
            source = rng.choice(cited)
            year, other = rng.randint(1938, 1949), rng.randrange(n)
            sentences.append(
                f"{year}年{rng.randint(1, 12)}月，合成遗址{other:05d}号在{rng.choice(PLACES)}有{rng.randint(30, 900)}人活动，"
                f"当地人称之为“{rng.choice(PLACES)}的学堂”[^src-{source}]。"
            )
        data = {
            "status": "draft",
            "name": f"合成遗址{i:05d}号",
            "kind": "former-site",
            "street": "大鹏街道",
            "location": None,
            "summary": "（基准测试合成数据）用于测量来源核对的速度。",
            "body": "".join(sentences) + "\n",
            "sources": [f"src-{s}" for s in dict.fromkeys(cited)],
            "updated": "2026-01-01",
        }
        (content / "sites" / f"site-{i:05d}.yml").write_text(_dump(data), encoding="utf-8")
    return content


def _dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=4096)


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory(prefix="bench-support-") as work:
        content = write_corpus(Path(work), n)
        raws, _ = load_all(content)
        context, _ = lint_context(content, dt.date(2026, 12, 7))
        entries, _ = validate_all(raws, context)
        link(entries, include_unpublished=True, today=dt.date(2026, 12, 7))
        sentences = sum(e.model.body.count("[^") for e in entries if e.collection == "sites")
        cache = BuildCache()
        started = time.perf_counter()
        problems = check_support(entries, catalog_names(entries, context.terms), cache)
        cold = time.perf_counter() - started
        del cache.support[entries[0].key]  # one entry edited: checked again, the others kept
        started = time.perf_counter()
        check_support(entries, catalog_names(entries, context.terms), cache)
        warm = time.perf_counter() - started
    print(
        f"claim check at {len(entries):,} entries ({n:,} sites, {sentences:,} footnoted sentences): "
        f"{cold:.2f} s cold, {warm:.2f} s on a preview rebuild; {len(problems):,} unsupported parts reported"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
