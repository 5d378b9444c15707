"""The search benchmark: a built site served on 127.0.0.1, Debian's Chromium typing into the header search box.

For each query and network profile, in a fresh browser context (cold cache): open an entry page, tap the search
box (which starts loading the search code, as it does for a reader), type the query, and measure

- ``first_result_s``: from the query arriving in the box to the first result on screen;
- ``kb``: bytes transferred (compressed, as sent) from the tap until the first result is on screen.

Twice: with the query arriving at once (``typing_ms`` 0: everything the search needs is loaded after the query,
the worst case) and one second after the tap (typing four characters with a pinyin input method takes longer).

Profiles: unthrottled, and a phone (Lighthouse's mobile profile: the CPU slowed 4× with CDP
``Emulation.setCPUThrottlingRate``, "slow 4G" with ``Network.emulateNetworkConditions``: 150 ms round trip,
1.6 Mbit/s down, 750 kbit/s up). The server gzips text as a production server does (Pagefind's index files are
compressed already). Nothing here asserts a time: targets are printed beside the figures.

    python bench/search.py SITE_DIR              # a site built by `mkdocs build`
    python bench/run.py                          # builds the synthetic corpora and runs this on each
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import shutil
import statistics
import sys
import threading
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]

PROFILES = {
    "unthrottled": None,
    "phone": {"cpu": 4, "latency": 150, "down": 1.6e6 / 8, "up": 750e3 / 8},
}
# Targets of issue 12 at 10,000 entries, phone profile: seconds and KB until the first result.
TARGETS = {"rare": (1.0, 300), "common": (2.0, 600)}
# The synthetic corpus (bench/corpus.py): a number that names one site (its title and alias, and the pages that link
# to it), a phrase on every page (every summary says 基准测试), and the issue's own query.
QUERIES = {"rare": "00042", "common": "基准测试", "东江纵队": "东江纵队"}
REPEATS = 3
TYPING_MS = (0, 1000)
COMPRESSIBLE = {".html", ".js", ".css", ".json", ".svg", ".txt", ".xml", ".vtt"}


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped on the fly for text (as nginx's gzip on does)."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix in COMPRESSIBLE and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = _gzipped(str(path), path.stat().st_mtime_ns)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return _Body(body)
        return super().send_head()


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


@functools.lru_cache(maxsize=4096)
def _gzipped(path: str, _mtime: int) -> bytes:
    return gzip.compress(Path(path).read_bytes(), 6)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


# Runs in the page: type the query as an input method delivers it, resolve when the first result is on screen.
TYPE_AND_WAIT = """
(query) => new Promise((resolve) => {
  const list = document.querySelector('.md-search-result__list');
  const input = document.querySelector('input.md-search__input');
  const started = performance.now();
  const done = () => resolve({ started: performance.timeOrigin + started, ms: performance.now() - started });
  const observer = new MutationObserver(() => { if (list.querySelector('.md-search-result__item')) { observer.disconnect(); done(); } });
  observer.observe(list, { childList: true });
  input.value = query;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  setTimeout(() => { observer.disconnect(); resolve({ started: performance.timeOrigin + started, ms: null }); }, 60000);
})
"""


def measure_once(browser, base: str, start_page: str, query: str, profile: dict | None, typing_ms: int = 0) -> dict:
    context = browser.new_context(viewport={"width": 412, "height": 860}, locale="zh-CN")
    page = context.new_page()
    finished: list = []
    context.on("requestfinished", lambda request: finished.append(request))
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if profile:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": profile["cpu"]})
        cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": profile["latency"], "downloadThroughput": profile["down"], "uploadThroughput": profile["up"]},
        )
    page.goto(base + start_page, wait_until="load")
    page.wait_for_load_state("networkidle")
    loaded = len(finished)
    page.click("label.md-header__button[for='__search']")  # the magnifier a phone shows in the header
    page.wait_for_selector("input.md-search__input", state="visible")
    if typing_ms:
        page.wait_for_timeout(typing_ms)
    typed = page.evaluate(TYPE_AND_WAIT, query)
    page.wait_for_timeout(100)  # let Playwright deliver the events of requests that ended before the result showed
    page.wait_for_function("() => !document.querySelector('.md-search-result__list[aria-busy]')", timeout=60000)
    meta = page.inner_text(".md-search-result__meta")  # the count, once the first page of results is in
    total = 0
    files = []
    for request in finished[loaded:]:
        timing = request.timing
        ended = timing["startTime"] + timing["responseEnd"]
        if typed["ms"] is not None and ended > typed["started"] + typed["ms"] + 1:
            continue
        sizes = request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        total += size
        files.append((request.url.removeprefix(base), size))
    context.close()
    return {"ms": typed["ms"], "bytes": total, "meta": meta, "files": files}


def measure_site(site: Path, start_page: str | None = None, queries: dict[str, str] | None = None, repeats: int = REPEATS) -> list[dict]:
    from playwright.sync_api import sync_playwright

    queries = queries or QUERIES
    start_page = start_page or _an_entry_page(site)
    server, base = serve(site)
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
            for name, query in queries.items():
                for profile_name, profile in PROFILES.items():
                    for typing_ms in TYPING_MS:
                        runs = [measure_once(browser, base, start_page, query, profile, typing_ms) for _ in range(repeats)]
                        times = [r["ms"] for r in runs if r["ms"] is not None]
                        rows.append(
                            {
                                "query": name,
                                "text": query,
                                "profile": profile_name,
                                "typing_ms": typing_ms,
                                "first_result_s": round(statistics.median(times) / 1000, 2) if times else None,
                                "first_result_s_max": round(max(times) / 1000, 2) if times else None,
                                "kb": round(statistics.median(r["bytes"] for r in runs) / 1024, 1),
                                "results": runs[-1]["meta"],
                                "files": runs[-1]["files"],
                            }
                        )
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return rows


def _an_entry_page(site: Path) -> str:
    page = next(p for p in sorted((site / "sites").glob("*/index.html")) if p.parent.name not in {"streets", "kinds"})
    return page.parent.relative_to(site).as_posix() + "/"


def print_rows(rows: list[dict], label: str = "") -> None:
    print(
        f"\nsearch{(' ' + label) if label else ''}: query | profile | typing | first result s (median, max) | KB until first result | results"
    )
    for row in rows:
        target = TARGETS.get(row["query"]) if row["profile"] == "phone" else None
        goal = f"  [target at 10,000 entries: ≤ {target[0]} s, ≤ {target[1]} KB]" if target else ""
        print(
            f"  {row['query']} ({row['text']}) | {row['profile']} | {row['typing_ms']} ms | "
            f"{row['first_result_s']}, {row['first_result_s_max']} | {row['kb']} | {row['results']}{goal}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="a built site (mkdocs build)")
    parser.add_argument("--page", help="the page to start from (default: the first site entry)")
    parser.add_argument("--query", action="append", help="name=text (default: the synthetic corpus's queries)")
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--files", action="store_true", help="list the files downloaded until the first result")
    args = parser.parse_args()
    queries = dict(q.split("=", 1) for q in args.query) if args.query else None
    rows = measure_site(args.site, args.page, queries, args.repeats)
    print_rows(rows)
    if args.files:
        for row in rows:
            print(f"\n{row['query']} / {row['profile']} / typing {row['typing_ms']} ms:")
            for url, size in row["files"]:
                print(f"  {size:>8}  {url}")
    print(json.dumps([{k: v for k, v in r.items() if k != "files"} for r in rows], ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
