"""What a published site needs beyond being built: an address, the right permissions, pre-compressed files.

These are release defaults, not options to remember: ``make build`` always writes a site a web server can read;
``make release`` also refuses to run without a real site address (citations, the sitemap, canonical links and
QR codes would otherwise point at 127.0.0.1), leaves demonstration records out unless asked, and writes gzip and
brotli copies of every text file beside it for servers that serve them as they are (nginx ``gzip_static``, object
storage with ``Content-Encoding`` metadata).
"""

from __future__ import annotations

import gzip
import os
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
