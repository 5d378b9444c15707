"""sanitize: generated pages pass an allowlist of what our templates make; hostile HTML comes out inert."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
import pytest

from conftest import ROOT
from heritage.outputs.search_index import SearchRecord, wrap_page
from heritage.text.markdown_check import SITE_MARKDOWN_CONFIG, SITE_MARKDOWN_EXTENSIONS, render_body
from heritage.text.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, html_violations, sanitize_page_html

GOLDENS = ROOT / "tests" / "goldens" / "render"

HOSTILE = {
    "script": "<p>x</p><script>alert(1)</script>",
    "script in allowed tag": "<div><script src=https://evil.example/x.js></script></div>",
    "style": "<style>body{background:url(https://evil.example/t)}</style><p>x</p>",
    "style attribute": '<p style="background:url(javascript:alert(1))">x</p>',
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "iframe srcdoc": '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    "object": '<object data="javascript:alert(1)"></object><embed src="https://evil.example/x.swf">',
    "event handler on allowed tag": '<p onclick="alert(1)">x</p><details ontoggle="alert(1)"><summary>s</summary></details>',
    "img onerror": '<img src="x" onerror="alert(1)">',
    "javascript href": '<a href="javascript:alert(1)">x</a>',
    "entity-encoded javascript href": '<a href="&#106;avascript:alert(1)">x</a><a href="java&#x09;script:1">y</a>',
    "upper-case javascript href": '<a href=" JAVASCRIPT:alert(1)">x</a>',
    "data href": '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    "vbscript href": '<a href="vbscript:msgbox(1)">x</a>',
    "javascript src": '<img src="javascript:alert(1)"><audio src="javascript:alert(1)"></audio>',
    "data src": '<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;">',
    "track src": '<video controls><track kind="captions" src="javascript:alert(1)"></video>',
    "protocol-relative src": '<img src="//evil.example/pixel.png"><a href="/\\evil.example/">x</a>',
    "svg with script": '<svg><script>alert(1)</script><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "math": '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "form action": '<form action="https://evil.example/" method="post"><input name="q"><button>go</button></form>',
    "formaction": '<form class="hc-filter"><button formaction="javascript:alert(1)">x</button></form>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "base href": '<base href="https://evil.example/">',
    "link stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "template": "<template><script>alert(1)</script></template>",
    "noscript mutation": '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript>',
    "comment trick": "<!--><script>alert(1)</script>-->",
    "theme classes and data": '<a class="md-button md-search__input" data-md-component="search">x</a>',
    "unknown data attribute": '<li data-md-state="x" data-facets="{}">x</li>',
    "target and rel": '<a href="https://example.org/" target="_blank" rel="opener">x</a>',
    "search attributes out of place": '<div data-pagefind-body="x" data-pagefind-ignore="all" hidden="until-found">x</div>'
    '<p data-pagefind-filter="栏目">x</p><span data-pagefind-meta="url:javascript:alert(1)">y</span>',
    "map settings on a hostile element": '<div class="hm-map md-sidebar" data-datum="bd09" hidden="until-found" onfocus="alert(1)"></div>'
    '<p data-tiles="https://evil.example/{z}/{x}/{y}.png">x</p>',
}


@pytest.mark.parametrize("html", [pytest.param(h, id=n) for n, h in HOSTILE.items()])
def test_hostile_html_comes_out_inert(html):
    assert html_violations(html), "the violation finder should see the problem in the input"
    cleaned = sanitize_page_html(html)
    assert html_violations(cleaned) == []
    assert "<script" not in cleaned.lower()
    assert not re.search(r"\son\w+\s*=", cleaned, re.I)
    assert sanitize_page_html(cleaned) == cleaned  # nothing left to remove


# --- what our templates make passes unchanged --------------------------------------------------------------------


class _Events(HTMLParser):
    """A document as (start tag, attributes) / end tag / text events: equal events, equal page."""

    VOID = frozenset({"br", "hr", "img", "input", "source", "track", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, tuple(sorted((name, value or "") for name, value in attrs))))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag not in self.VOID:
            self.events.append(("end", tag))

    def handle_data(self, data):
        if self.events and self.events[-1][0] == "text":
            self.events[-1] = ("text", self.events[-1][1] + data)
        else:
            self.events.append(("text", data))


def events(html: str) -> list[tuple]:
    parser = _Events()
    parser.feed(html)
    parser.close()
    return parser.events


def page_html(markdown_page: str) -> str:
    """A generated page's Markdown as MkDocs renders it: front matter off, the site's extensions (a plain
    converter: markdown_check's leaves out the raw HTML and attribute lists that templates rightly use)."""
    converter = markdown.Markdown(extensions=list(SITE_MARKDOWN_EXTENSIONS), extension_configs=SITE_MARKDOWN_CONFIG)
    return converter.convert(re.sub(r"\A---\n.*?\n---\n", "", markdown_page, flags=re.S))


# What templates and render.py helpers make that the fixture content does not show: an image (site.md.j2), a
# video with a remote recording (oral-history.md.j2), buttons (home.md.j2), a seek link (seek()), a citation
# (citation_block()), the filters of oral-history-listing.md.j2, and the Markdown an entry body may use.
TEMPLATE_SAMPLE = """\
# 页面标题

<span class="Z3988" title="ctx_ver=Z39.88-2004&amp;rft.type=webpage&amp;rft.title=%E9%A1%B5"></span>

[浏览全部遗址](sites/index.md){ .md-button .md-button--primary } [口述史](oral-history/index.md){ .md-button }

<figure markdown>
![土洋村旧址正门](../images/tuyang%20hq.jpg){ loading=lazy }
<figcaption>1990 年代 · 摄影：某某 · CC BY 4.0</figcaption>
</figure>

<div class="oh-player" data-record="demo-record" aria-label="录音播放器">
<video controls preload="none" src="https://media.example.org/a.mp4">
<track kind="chapters" src="chapters.vtt" srclang="zh" label="片段" default>
<track kind="captions" src="captions.vtt" srclang="zh" label="文字稿">
</video>
</div>

## 第一段 { #seg-1 }

[00:00:00–00:10:00](#seg-1){ .oh-seek data-start="0" data-end="600" data-segment="seg-1" } · 关键词：甲村

<details class="quote oh-citation" data-pagefind-ignore open>
<summary>引用本记录</summary>
<p>GB/T 7714-2015：</p>
<pre id="cite-record-gbt"><code>某某口述. 记录[Z/OL]. https://example.org/oral-history/x/.</code></pre>
</details>

<form class="hc-filter" data-target="hc-list" hidden>
<label>受访者 <select data-filter="narrator"><option value="">全部</option><option value="陈某">陈某</option></select></label>
<span class="hc-filter-count" aria-live="polite"></span>
</form>

<ul class="hc-cards" id="hc-list">
<li class="hc-card" data-facets="{&quot;street&quot;:[&quot;葵涌街道&quot;]}"><a class="hc-card__title" href="../sites/x/">某遗址</a><br><small>革命旧址 · 葵涌街道</small><br>简介。</li>
</ul>

*Former Headquarters*{ lang=en }

!!! warning "待审核 · 未发布"
    此页面只在本地预览中显示。

!!! quote inline end "引文"
    x

??? tip "展开"
    详情。

### 三级

#### 四级

##### 五级

###### 六级

| 左 | 中 | 右 |
| :-- | :-: | --: |
| 1 | 2 | 3 |

正文[^a]，见[网站](https://example.org/ "标题")、<mailto:office@example.org>。

```python
x = "<b>"  # 注释
```

[^a]: 测试出版社：《测试用书》。
"""


# What the hook wraps every entry page's HTML in for the search index (heritage.outputs.search_index.wrap_page), as one raw
# HTML block: the indexed body, and the hidden block of metadata and filters.
SEARCH_SAMPLE = wrap_page(
    "",
    SearchRecord(
        url="sites/x/",
        title="某遗址",
        aliases=("某旧址",),
        filters=(("栏目", "红色遗址"), ("街道", "葵涌街道")),
        terms=("东江纵队",),
    ),
)


def template_outputs() -> list[tuple[str, str]]:
    pages = [(path.relative_to(GOLDENS).as_posix(), path.read_text(encoding="utf-8")) for path in sorted(GOLDENS.rglob("*.md"))]
    return [*pages, ("template sample", TEMPLATE_SAMPLE), ("search wrapper", SEARCH_SAMPLE)]


@pytest.mark.parametrize("name, markdown_page", template_outputs(), ids=[name for name, _ in template_outputs()])
def test_what_templates_make_passes_unchanged(name, markdown_page):
    html = page_html(markdown_page)
    assert html_violations(html) == []
    assert events(sanitize_page_html(html)) == events(html)


def test_the_template_sample_covers_every_allowed_tag_and_attribute():
    """Nothing on the allowlist that no page makes: what only hostile markup would use must not be on it."""
    seen_tags, seen_attributes = set(), set()
    for _, markdown_page in template_outputs():
        for event in events(page_html(markdown_page)):
            if event[0] == "start":
                seen_tags.add(event[1])
                seen_attributes.update((event[1], name) for name, _ in event[2])
    assert ALLOWED_TAGS - seen_tags == set()
    allowed = {(tag, name) for tag, names in ALLOWED_ATTRIBUTES.items() for name in names}
    assert allowed - seen_attributes == set()


def test_bodies_editors_write_are_within_the_page_allowlist():
    from test_markdown_check import LEGITIMATE

    for _, body in LEGITIMATE:
        assert html_violations(render_body(body)) == [], body


def test_url_schemes():
    assert URL_SCHEMES == {"http", "https", "mailto"}
    kept = sanitize_page_html('<a href="https://a.example/">1</a><a href="mailto:a@b.cn">2</a><a href="../x/">3</a><a href="#fn:1">4</a>')
    assert kept.count("href=") == 4
    assert "href" not in sanitize_page_html('<a href="ftp://a.example/">x</a><a href="tel:110">y</a>')
