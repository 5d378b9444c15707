"""What a published site needs beyond being built: an address, the right permissions, pre-compressed files.

These are release defaults, not options to remember: ``make build`` always writes a site a web server can read;
``make release`` also refuses to run without a real site address (citations, the sitemap, canonical links and
QR codes would otherwise point at 127.0.0.1), leaves demonstration records out unless asked, and writes gzip and
brotli copies of every text file beside it for servers that serve them as they are (nginx ``gzip_static``, object
storage with ``Content-Encoding`` metadata).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import os
import re
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlparse

import brotli

# Text files worth compressing; images, audio and fonts are compressed already.
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".xml", ".txt", ".vtt", ".csv", ".geojson", ".svg", ".map", ".webmanifest"}
MIN_COMPRESS_BYTES = 512  # below this the headers cost more than the saving

LOCAL_HOSTS = {"127.0.0.1", "localhost", "0.0.0.0", "::1", ""}


class ReleaseError(Exception):
    """A release that must not go ahead; the message says why, in Chinese."""


def require_public_site_url(url: str | None) -> str:
    """The public address of the site, which must be a real http(s) address (not a local preview address)."""
    parsed = urlparse(url or "")
    if parsed.scheme not in ("http", "https") or (parsed.hostname or "") in LOCAL_HOSTS or not parsed.hostname:
        raise ReleaseError(
            f"正式发布需要网站的公开地址，现在是 “{url or '（未设置）'}”。"
            "请这样运行：SITE_URL=https://正式域名/ make release"
            "（引用格式、站点地图、规范链接和二维码都使用这个地址，不能指向本机）。"
        )
    return url if url.endswith("/") else url + "/"


def public_base(site_url: str) -> str | None:
    """The site's public address ending in "/", or None for a preview/development address (127.0.0.1 …)."""
    try:
        return require_public_site_url(site_url)
    except ReleaseError:
        return None


# The footer's identity (overrides/partials/copyright.html): a public site in China names who runs it, how to reach
# them and its ICP filing number. Settings under ``extra.site`` in mkdocs.yml, in the order they are reported.
REQUIRED_IDENTITY = (("owner", "主办单位"), ("contact", "联系方式"), ("icp", "备案号"))


def missing_identity(extra: dict) -> list[str]:
    """One Chinese line per empty identity setting, naming the setting in mkdocs.yml (empty: nothing missing)."""
    site = extra.get("site") if isinstance(extra.get("site"), dict) else {}
    return [
        f"mkdocs.yml 中的 extra.site.{key}（{label}）为空，页脚将不显示{label}。"
        for key, label in REQUIRED_IDENTITY
        if not str(site.get(key) or "").strip()
    ]


ROBOTS_FILE = "robots.txt"


def robots_txt(site_url: str) -> str:
    """robots.txt for a site whose address is ``site_url``. A public address: everything may be crawled, and the
    sitemap is named by its absolute address (the only form robots.txt allows). A local address (a preview, a
    test build, the offline zip): nothing may be crawled, because such a build's canonical links, sitemap and
    citations point at 127.0.0.1; if one is ever uploaded by mistake, search engines must not index it."""
    base = public_base(site_url)
    if base is not None:
        return f"User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\n"
    return "# A build with a local address (not the public site): not to be indexed.\nUser-agent: *\nDisallow: /\n"


def make_world_readable(site: Path) -> None:
    """Directories 0755, files 0644: a web server running as another user can read everything, write nothing.
    (A build folder made by ``tempfile.mkdtemp`` starts as 0700, which made the server answer 403.)"""
    site.chmod(0o755)
    for root, dirs, files in os.walk(site):
        for name in dirs:
            (Path(root) / name).chmod(0o755)
        for name in files:
            (Path(root) / name).chmod(0o644)


def precompress(site: Path) -> tuple[int, int]:
    """Write ``x.gz`` and ``x.br`` beside every compressible file; returns (files compressed, bytes saved by brotli)."""
    count = saved = 0
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix not in COMPRESSIBLE or path.stat().st_size < MIN_COMPRESS_BYTES:
            continue
        data = path.read_bytes()
        count += 1
        saved += len(data) - _write_compressed_copies(path, data)
    return count, saved


def _write_compressed_copies(path: Path, data: bytes) -> int:
    """``x.gz`` and ``x.br`` of ``data`` beside ``path``; returns the size of the brotli copy."""
    gz = gzip.compress(data, compresslevel=9, mtime=0)  # mtime 0: the same site gives the same bytes
    br = brotli.compress(data, quality=11)
    for suffix, packed in ((".gz", gz), (".br", br)):
        target = path.with_name(path.name + suffix)
        target.write_bytes(packed)
        target.chmod(0o644)
    return len(br)


# --- HTTP headers for the server ------------------------------------------------------------------------------

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S)
_STYLE_ATTRIBUTE = re.compile(r"""<[a-zA-Z][^>]*?\sstyle=(?:"([^"]*)"|'([^']*)')""")
_STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>", re.S)


def _sha256(text: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode('utf-8')).digest()).decode()}'"


def inline_hashes(site: Path) -> tuple[list[str], list[str]]:
    """CSP hashes of every inline script and every inline style the site's pages hold, read in one pass.

    Scripts: the handful the theme writes (the same on every page of a depth); allowing exactly these keeps
    'unsafe-inline' out of script-src. JSON data blocks are not scripts and need none.
    Styles: ``style`` attributes (Markdown tables align their columns with style="text-align: right;", the only ones
    today) and ``<style>`` elements; allowing exactly these, with 'unsafe-hashes' for the attributes, keeps
    'unsafe-inline' out of style-src: an injected style attribute or element with any other text does nothing."""
    scripts: set[str] = set()
    styles: set[str] = set()
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for match in _INLINE_SCRIPT.finditer(text):
            if "application/json" not in match.group(1) and "application/ld+json" not in match.group(1):
                scripts.add(_sha256(match.group(2)))
        for match in _STYLE_ATTRIBUTE.finditer(text):
            styles.add(_sha256(html.unescape(match.group(1) if match.group(1) is not None else match.group(2))))
        for match in _STYLE_ELEMENT.finditer(text):
            styles.add(_sha256(match.group(1)))
    return sorted(scripts), sorted(styles)


def content_security_policy(site: Path, extra_hosts: list[str] = ()) -> str:
    """Only our own assets (and the configured map tiles, for images): a script, stylesheet, image or recording
    from anywhere else is refused, and so are ``data:`` images (move_css_data_images moves the theme's icons out
    of its CSS first). Inline scripts and styles only by hash: the ones the theme and our pages write."""
    tiles = " ".join(extra_hosts)
    scripts, styles = inline_hashes(site)
    return "; ".join(
        [
            "default-src 'self'",
            # 'wasm-unsafe-eval' lets the search engine compile its WebAssembly; it allows no JavaScript eval.
            f"script-src 'self' 'wasm-unsafe-eval' {' '.join(scripts)}".rstrip(),
            # 'unsafe-hashes': the hashes also cover style attributes (not only <style> elements).
            " ".join(["style-src 'self'", *(["'unsafe-hashes'", *styles] if styles else [])]),
            f"img-src 'self' {tiles}".rstrip(),
            "media-src 'self'",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


# --- data: images out of the stylesheets ----------------------------------------------------------------------

_CSS_DATA_URL = re.compile(r"""url\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*\)""", re.S)
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})(?:\r\n|[ \t\r\n\f])?|\n|(.))", re.S)
_IMAGE_SUFFIX = {"image/svg+xml": ".svg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp", "image/jpeg": ".jpg"}
CSS_IMAGES = "assets/images/css"  # where the images found inside stylesheets are written, named by their hash


def _css_unescape(value: str) -> str:
    def one(match: re.Match) -> str:
        if match.group(1):
            return chr(int(match.group(1), 16))
        return match.group(2) or ""

    return _CSS_ESCAPE.sub(one, value)


def _data_url_bytes(url: str) -> tuple[str, bytes] | None:
    """(media type, bytes) of a ``data:`` URL, or None when it is not an image we can write as a file."""
    if not url.startswith("data:") or "," not in url:
        return None
    head, _, payload = url[5:].partition(",")
    kind, *params = head.split(";")
    if kind.strip().lower() not in _IMAGE_SUFFIX:
        return None
    if "base64" in (p.strip().lower() for p in params):
        return kind.strip().lower(), base64.b64decode(payload)
    return kind.strip().lower(), unquote_to_bytes(payload)


def move_css_data_images(site: Path) -> int:
    """Write every ``data:`` image inside the site's stylesheets (Material draws its icons with ~40 inline SVGs) to
    a file under assets/images/css/ and point the stylesheet at it, so that img-src needs no ``data:``. Compressed
    copies of a changed stylesheet are written again. Returns the number of images moved."""
    return sum(_move_data_images(sheet, site) for sheet in sorted(site.rglob("*.css")))


def _move_data_images(sheet: Path, site: Path) -> int:
    moved = 0

    def replace(match: re.Match) -> str:
        nonlocal moved
        found = _data_url_bytes(_css_unescape(match.group(1) if match.group(1) is not None else match.group(2)))
        if found is None:
            return match.group(0)
        kind, data = found
        target = site / CSS_IMAGES / (hashlib.sha256(data).hexdigest()[:20] + _IMAGE_SUFFIX[kind])
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            for folder in (target.parent, target.parent.parent):
                folder.chmod(0o755)
            _write_with_copies(target, data, compress=False)
        moved += 1
        return f'url("{Path(os.path.relpath(target, sheet.parent)).as_posix()}")'

    text = _CSS_DATA_URL.sub(replace, sheet.read_text(encoding="utf-8"))
    if moved:
        _write_with_copies(sheet, text.encode("utf-8"), compress=sheet.with_name(sheet.name + ".gz").exists())
    return moved


def _write_with_copies(path: Path, data: bytes, compress: bool) -> None:
    path.write_bytes(data)
    path.chmod(0o644)
    if compress:
        _write_compressed_copies(path, data)


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def security_headers(site: Path, extra_hosts: list[str] = ()) -> dict[str, str]:
    """Every header the server must send with every answer, the policy first. Moves the stylesheets' data: images
    out first (move_css_data_images): the policy forbids them."""
    move_css_data_images(site)
    return {"Content-Security-Policy": content_security_policy(site, list(extra_hosts)), **SECURITY_HEADERS}


def write_server_headers(site: Path, extra_hosts: list[str] = ()) -> tuple[Path, Path]:
    """Beside ``site/``: ``<site>.csp.txt`` (the policy, for an object-storage or CDN console) and
    ``<site>.nginx-headers.conf`` (``add_header`` lines that deploy/nginx/heritage.conf includes in every location
    and at server level, so that errors carry them too). The site is made to fit the policy first."""
    headers = security_headers(site, extra_hosts)
    text = site.with_name(site.name + ".csp.txt")
    text.write_text(headers["Content-Security-Policy"] + "\n", encoding="utf-8")
    conf = site.with_name(site.name + ".nginx-headers.conf")
    conf.write_text(
        "# Written by `make release` for this build of the site: include it in every location (deploy/nginx/heritage.conf).\n"
        + "".join(f'add_header {name} "{value}" always;\n' for name, value in headers.items()),
        encoding="utf-8",
    )
    for path in (text, conf):
        path.chmod(0o644)
    return text, conf
