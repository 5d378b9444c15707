"""The benchmark: build a synthetic corpus of N sites + N oral-history records with the real MkDocs build and
print what it costs, then how fast its search answers in Chromium (bench/search.py). Figures go to bench-results/
(ignored by git); nothing here asserts a time.

    make bench                 # N = 500, 2500, 5000: 1,000, 5,000 and 10,000 entries
    make bench N="100 1000"    # other sizes
    bench/run.py --no-search   # the build only
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from corpus import write_corpus  # noqa: E402
from search import measure_site, print_rows  # noqa: E402

CHILD = """
import resource, runpy, sys, json
sys.argv = ["mkdocs", "build", "--strict", "--quiet", "--site-dir", sys.argv[1]]
try:
    runpy.run_module("mkdocs", run_name="__main__")
except SystemExit as exit:
    code = exit.code or 0
else:
    code = 0
print(json.dumps({"maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}), file=sys.stderr)
sys.exit(code)
"""


def measure(n: int, work: Path) -> dict:
    corpus = work / f"n{n}"
    content = write_corpus(corpus, n)
    site = corpus / "site"
    timings = corpus / "timings.jsonl"
    env = {**os.environ, "HERITAGE_CONTENT_DIR": str(content), "HERITAGE_TIMINGS": str(timings), "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", CHILD, str(site)], cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"build failed for N={n}:\n{result.stderr[-3000:]}")
    maxrss = json.loads(result.stderr.strip().splitlines()[-1])["maxrss_kb"]
    recorded = [json.loads(line) for line in timings.read_text().splitlines()]
    pipeline = sum(r.get("pipeline_seconds", 0) for r in recorded)
    indexing = sum(r.get("search_index_seconds", 0) for r in recorded)
    indexer_memory = max((r.get("search_index_peak_mb", 0) for r in recorded), default=0)

    entry_pages = [
        p for c in ("sites", "oral-history") for p in (site / c).glob("*/index.html") if p.parent.name not in {"streets", "kinds"}
    ]
    page_bytes = [p.stat().st_size for p in entry_pages]
    chrome_bytes = [_chrome_size(p) for p in entry_pages]
    bundle = [p for folder in ("pagefind", "search") for p in (site / folder).rglob("*") if p.is_file()]
    meta = next((site / "pagefind").glob("pagefind.*.pf_meta"))
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    entries = 2 * n
    return {
        "n": n,
        "entries": entries,
        "wall_seconds": round(wall, 2),
        "entries_per_second": round(entries / wall, 1),
        "peak_memory_mb": round(maxrss / 1024, 1),
        "pipeline_seconds": round(pipeline, 2),
        "pipeline_share": round(pipeline / wall, 3),
        "entry_page_html_kb_avg": round(sum(page_bytes) / len(page_bytes) / 1024, 1),
        "entry_page_chrome_kb_avg": round(sum(chrome_bytes) / len(chrome_bytes) / 1024, 1),
        "entry_page_chrome_kb_max": round(max(chrome_bytes) / 1024, 1),
        "site_mb": round(total / 1024**2, 1),
        # Pagefind (build_hooks/heritage/outputs/search_index.py): its run, the files it writes (a browser fetches only a
        # few of them per query), and the one file every first search fetches whatever the query (pf_meta).
        "search_index_seconds": round(indexing, 2),
        "search_index_peak_memory_mb": indexer_memory,
        "search_files": len(bundle),
        "search_files_mb": round(sum(p.stat().st_size for p in bundle) / 1024**2, 1),
        "search_meta_kb": round(meta.stat().st_size / 1024, 1),
    }


def _chrome_size(page: Path) -> int:
    """Bytes of an entry page that are not the entry's own content: header, nav, footer, scripts."""
    html = page.read_text(encoding="utf-8")
    match = re.search(r'<article class="md-content__inner md-typeset">(.*)</article>', html, re.S)
    return len(html.encode()) - (len(match.group(1).encode()) if match else 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[500, 2500, 5000], help="N: sites and records each")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora and sites")
    parser.add_argument("--no-search", action="store_true", help="measure the build only, not search in Chromium")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="heritage-bench-"))
    rows = []
    try:
        for n in args.sizes:
            print(f"N={n}: {2 * n} entries …", flush=True)
            rows.append(measure(n, work))
            print("  " + ", ".join(f"{k}={v}" for k, v in rows[-1].items()), flush=True)
            if not args.no_search:
                searched = measure_site(work / f"n{n}" / "site")
                print_rows(searched, f"N={n}, {2 * n} entries")
                rows[-1]["search"] = [{k: v for k, v in r.items() if k != "files"} for r in searched]
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"corpora and sites kept in {work}")
    _print_table(rows)
    print(f"\nload average (1, 5, 15 min) at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    if len(rows) >= 2:
        first, last = rows[0], rows[-1]
        ratio = last["wall_seconds"] / first["wall_seconds"]
        print(f"\ntime({last['n']}) / time({first['n']}) = {ratio:.2f} for {last['n'] / first['n']:.0f}× the entries")
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    report = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),  # other work on the machine slows every figure: note it beside them
        "results": rows,
    }
    (out / "latest.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"figures written to {out / 'latest.json'}")
    return 0


def _print_table(rows: list[dict]) -> None:
    columns = [
        ("n", "N"),
        ("entries", "entries"),
        ("wall_seconds", "wall s"),
        ("entries_per_second", "entries/s"),
        ("peak_memory_mb", "peak MB"),
        ("pipeline_share", "ours"),
        ("entry_page_html_kb_avg", "page KB"),
        ("entry_page_chrome_kb_avg", "chrome KB"),
        ("site_mb", "site MB"),
        ("search_index_seconds", "index s"),
        ("search_index_peak_memory_mb", "index peak MB"),
        ("search_files_mb", "search files MB"),
        ("search_meta_kb", "pf_meta KB"),
    ]
    print()
    print(" | ".join(label for _, label in columns))
    for row in rows:
        print(" | ".join(str(row[key]) for key, _ in columns))
    for row in rows:
        if "search" in row:
            print_rows(row["search"], f"N={row['n']}, {row['entries']} entries")


if __name__ == "__main__":
    sys.exit(main())
