"""Time from saving a YAML edit to `make serve` showing it, on a synthetic corpus of N sites + N records.

.venv/bin/python bench/preview.py 500      # 1,000 entries
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from corpus import write_corpus  # noqa: E402

PORT = 8765


def fetch(path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/{path}", timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(path: str, text: str, limit: float) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        try:
            if text in fetch(path):
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"{text!r} did not appear within {limit} s")


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    work = Path(tempfile.mkdtemp(prefix="heritage-preview-"))
    content = write_corpus(work, n)
    env = {**os.environ, "HERITAGE_CONTENT_DIR": str(content), "NO_MKDOCS_2_WARNING": "1", "HERITAGE_TIMINGS": str(work / "timings.jsonl")}
    command = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dirty", "--no-strict", "--dev-addr", f"127.0.0.1:{PORT}"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        first = wait_for("sites/site-00003/", "合成遗址00003号", 600)
        print(f"{2 * n} entries: first build served after {first:.1f} s")
        times = []
        for attempt in range(3):
            path = content / "sites" / "site-00003.yml"
            marker = f"预览计时{attempt}"
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("name: 合成遗址00003号", f"name: {marker}合成遗址00003号", 1), encoding="utf-8")
            times.append(wait_for("sites/site-00003/", marker, 120))
            path.write_text(text, encoding="utf-8")
            wait_for("sites/site-00003/", "name", 5)
            time.sleep(3)  # let the rebuild for the restore finish before the next edit
        print("save → visible: " + ", ".join(f"{t:.2f} s" for t in times))
        print("our pipeline per build: " + (work / "timings.jsonl").read_text().replace("\n", " "))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
