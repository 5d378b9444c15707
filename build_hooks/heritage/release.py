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
import os
import re
from pathlib import Path
from urllib.parse import urlparse

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
        gz = gzip.compress(data, compresslevel=9, mtime=0)  # mtime 0: the same site gives the same bytes
        br = brotli.compress(data, quality=11)
        for suffix, packed in ((".gz", gz), (".br", br)):
            target = path.with_name(path.name + suffix)
            target.write_bytes(packed)
            target.chmod(0o644)
        count += 1
        saved += len(data) - len(br)
    return count, saved


# --- HTTP headers for the server ------------------------------------------------------------------------------

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S)


def inline_script_hashes(site: Path) -> list[str]:
    """CSP hashes of every inline script the theme writes (a handful, the same on every page of a depth): allowing
    exactly these keeps 'unsafe-inline' out of script-src. JSON data blocks are not scripts and need none."""
    found: set[str] = set()
    for page in site.rglob("*.html"):
        for match in _INLINE_SCRIPT.finditer(page.read_text(encoding="utf-8")):
            if "application/json" in match.group(1) or "application/ld+json" in match.group(1):
                continue
            digest = hashlib.sha256(match.group(2).encode("utf-8")).digest()
            found.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(found)


def content_security_policy(site: Path, extra_hosts: list[str] = ()) -> str:
    """Only our own assets (and the configured map tiles): a script or stylesheet from anywhere else is refused.
    Styles allow inline attributes (tables align columns with style="text-align: …"); media may be an https URL
    (a record's remote recording)."""
    tiles = " ".join(extra_hosts)
    return "; ".join(
        [
            "default-src 'self'",
            # 'wasm-unsafe-eval' lets the search engine compile its WebAssembly; it allows no JavaScript eval.
            f"script-src 'self' 'wasm-unsafe-eval' {' '.join(inline_script_hashes(site))}".rstrip(),
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: {tiles}".rstrip(),
            "media-src 'self' https:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def write_server_headers(site: Path, extra_hosts: list[str] = ()) -> tuple[Path, Path]:
    """Beside ``site/``: ``<site>.csp.txt`` (the policy, for an object-storage or CDN console) and
    ``<site>.nginx-headers.conf`` (``add_header`` lines that deploy/nginx/heritage.conf includes)."""
    policy = content_security_policy(site, list(extra_hosts))
    text = site.with_name(site.name + ".csp.txt")
    text.write_text(policy + "\n", encoding="utf-8")
    headers = {"Content-Security-Policy": policy, **SECURITY_HEADERS}
    conf = site.with_name(site.name + ".nginx-headers.conf")
    conf.write_text(
        "# Written by `make release` for this build of the site: include it in every location (deploy/nginx/heritage.conf).\n"
        + "".join(f'add_header {name} "{value}" always;\n' for name, value in headers.items()),
        encoding="utf-8",
    )
    for path in (text, conf):
        path.chmod(0o644)
    return text, conf
