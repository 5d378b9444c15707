"""Micro-benchmarks of the two checks every page goes through, printed as figures (no assertion: speed targets live
here, not in the tests). `make bench` runs it before the build benchmark.

    .venv/bin/python bench/micro.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "build_hooks"))

from heritage.text.markdown_check import check_body, render_body  # noqa: E402
from heritage.text.sanitize import sanitize_page_html  # noqa: E402

PARAGRAPH = "1943年12月2日，东江纵队在土洋村宣告成立[^a]。司令部设在村中的天主教堂，" * 6
BODY = (
    f"{PARAGRAPH}\n\n## 历史沿革\n\n- 抗日战争时期：司令部驻地[^a]。\n- 解放战争时期：北撤山东。\n\n"
    f'> 司令部旧址保存完好[^b]。\n\n!!! note "资料说法不一"\n    成立日期另有一说[^b]。\n\n{PARAGRAPH}\n\n{PARAGRAPH}'
)
BODY = (BODY * (1500 // len(BODY) + 1))[:1490]


def per_call(function, inputs) -> float:
    function(inputs[0])
    started = time.perf_counter()
    for each in inputs:
        function(each)
    return (time.perf_counter() - started) / len(inputs)


def main() -> int:
    bodies = [f"{BODY}{index:010d}" for index in range(50)]  # distinct texts: check_body caches by text
    print(f"check_body: {per_call(check_body, bodies) * 1000:.2f} ms per 1,500-character body")
    html = render_body(BODY)
    while len(html.encode()) < 40_000:
        html += render_body(BODY)
    html = html.encode()[:40_000].decode(errors="ignore")
    print(f"sanitize_page_html: {per_call(sanitize_page_html, [html] * 20) * 1000:.2f} ms per 40 KB page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
