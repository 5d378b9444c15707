#!/usr/bin/env python3
"""大鹏红色教育资源 · 离线版的本机服务器（只用 Python 标准库）。

The offline package's server: serves the site folder beside this file on 127.0.0.1 only (nobody else on the venue's
network can reach it), with byte ranges so recordings can be sought, and opens the browser. Search and the lesson
basket need a web origin: browsers refuse both from file://. The port is fixed (8765, or the next free one) so the
browser keeps the same lesson basket from one day to the next.

What it refuses, whatever the request: a path that leaves the site folder once symlinks are resolved, a folder
without index.html (nothing is ever listed), a dotfile, a request line or path with control characters, bad
percent-encoding or an absurd length (400), and any Host header other than this server's loopback address (400: a
web page elsewhere cannot reach it through DNS rebinding). Every response carries the release's security headers
(Content-Security-Policy …), read from headers.json, which `python -m heritage offline` writes beside this file.

Runs on Python 3.8 or later (the launchers check for it).

Usage: python3 serve.py [--port N] [--no-browser]
"""

from __future__ import annotations

import argparse
import email.utils
import errno
import http.server
import json
import mimetypes
import os
import re
import sys
import threading
import webbrowser
from pathlib import Path
from urllib.parse import unquote_to_bytes

HERE = Path(__file__).resolve().parent
SITE = HERE / "site"
HEADERS_FILE = HERE / "headers.json"
FIRST_PORT = 8765
TRIES = 20
MAX_PATH = 2048  # longer request targets are refused (the site's longest path is well under 300 characters)

# Types browsers insist on (WebAssembly for search, audio for the player) whatever the host system knows.
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".geojson": "application/geo+json; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".vtt": "text/vtt; charset=utf-8",
    ".ris": "application/x-research-info-systems; charset=utf-8",  # citation files (Zotero imports them on click)
    ".bib": "application/x-bibtex; charset=utf-8",
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
    ".opus": "audio/ogg",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".mp4": "video/mp4",
    ".wav": "audio/wav",
    ".flac": "audio/flac",
    ".gpx": "application/gpx+xml",
    ".woff2": "font/woff2",
    ".webmanifest": "application/manifest+json",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
}

# Raw request line: printable ASCII and bytes >= 0x80 only (a NUL, CR, TAB or DEL inside it is malformed).
_CONTROL_BYTES = re.compile(rb"[\x00-\x1f\x7f]")
# Decoded path: no C0 or C1 control character, no DEL.
_CONTROL_CHARS = re.compile("[\x00-\x1f\x7f-\x9f]")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def load_headers(path: Path = HEADERS_FILE) -> dict:
    """The release's security headers (name → value), as the offline builder wrote them."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "Content-Security-Policy" not in data:
        raise ValueError(f"{path}: no Content-Security-Policy")
    return {str(name): str(value) for name, value in data.items()}


def inside(path: str, root: str) -> bool:
    """Whether ``path`` (resolved) is ``root`` (resolved) or lies under it."""
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # another drive on Windows
        return False


class Handler(http.server.BaseHTTPRequestHandler):
    """Static files from SITE, GET and HEAD, with Range support (a recording's duration and seeking need it)."""

    server_version = "DapengOffline/1.0"
    sys_version = ""
    root = str(SITE)  # resolved by make_server
    security_headers: dict = {}

    def log_message(self, *args):  # quiet: the window shows only what the lecturer needs
        pass

    def end_headers(self):
        for name, value in self.security_headers.items():
            self.send_header(name, value)
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    # --- what is accepted -------------------------------------------------------------------------------------

    def parse_request(self) -> bool:
        if _CONTROL_BYTES.search(self.raw_requestline.rstrip(b"\r\n")):
            self.requestline = ""
            self.request_version = "HTTP/1.0"
            self.command = None
            self.send_error(400, "Bad request: control character in the request line")
            return False
        if not super().parse_request():
            return False
        if not self._host_is_ours():
            self.send_error(400, "Bad request: this server answers only to its loopback address")
            return False
        return True

    def _host_is_ours(self) -> bool:
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1:
            return False
        port = self.server.server_address[1]
        return hosts[0].strip().lower() in {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}

    def _site_path(self) -> str | None:
        """The request target as a decoded path below "/", or None (400 already sent) when it is malformed."""
        target = self.path.split("?", 1)[0].split("#", 1)[0]
        if len(self.path) > MAX_PATH or not target.startswith("/") or _BAD_PERCENT.search(target):
            self.send_error(400, "Bad request: malformed path")
            return None
        try:
            decoded = unquote_to_bytes(target.encode("latin-1")).decode("utf-8")  # http.server read the line as Latin-1
        except UnicodeDecodeError:
            self.send_error(400, "Bad request: path is not UTF-8")
            return None
        if _CONTROL_CHARS.search(decoded) or "\\" in decoded:
            self.send_error(400, "Bad request: control character in the path")
            return None
        return decoded

    def _resolve(self, decoded: str) -> str | None:
        """The real file or folder under the site for ``decoded``, or None when there is none or it leaves the
        site (a symlink pointing out, ``..``, a drive name) or names a dotfile."""
        parts = [part for part in decoded.split("/") if part]
        if any(part.startswith(".") or ":" in part for part in parts):
            return None
        real = os.path.realpath(os.path.join(self.root, *parts))
        if not inside(real, self.root) or not os.path.exists(real):
            return None
        return real

    # --- answers ------------------------------------------------------------------------------------------------

    def do_GET(self):
        source = self._send_head()
        if source is None:
            return
        try:
            if self.command != "HEAD":
                while True:
                    chunk = source.read(64 * 1024)
                    if not chunk:
                        break
                    self.wfile.write(chunk)
        finally:
            source.close()

    do_HEAD = do_GET

    def _not_found(self) -> None:
        page = os.path.join(self.root, "404.html")
        body = b""
        if inside(os.path.realpath(page), self.root) and os.path.isfile(page):
            with open(page, "rb") as handle:
                body = handle.read()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_head(self):
        decoded = self._site_path()
        if decoded is None:
            return None
        real = self._resolve(decoded)
        if real is not None and os.path.isdir(real):
            if not decoded.endswith("/"):
                query = self.path[len(self.path.split("?", 1)[0]) :]
                self.send_response(301)
                self.send_header("Location", self.path.split("?", 1)[0] + "/" + query)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            index = os.path.realpath(os.path.join(real, "index.html"))  # never a listing
            real = index if inside(index, self.root) else None
        if real is None or not os.path.isfile(real):
            self._not_found()
            return None
        try:
            handle = open(real, "rb")
        except OSError:
            self._not_found()
            return None
        stat = os.fstat(handle.fileno())
        size = stat.st_size
        kind = TYPES.get(os.path.splitext(real)[1].lower()) or mimetypes.guess_type(real)[0] or "application/octet-stream"
        span = _range(self.headers["Range"], size) if "Range" in self.headers else (0, size - 1)
        if span is None:
            handle.close()
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        start, end = span
        length = max(end - start + 1, 0)
        handle.seek(start)
        self.send_response(206 if "Range" in self.headers else 200)
        self.send_header("Content-Type", kind)
        self.send_header("Accept-Ranges", "bytes")
        if "Range" in self.headers:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(length))
        self.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))
        self.end_headers()
        return _Limited(handle, length)


class _Limited:
    """A file read only up to ``length`` bytes."""

    def __init__(self, handle, length):
        self.handle, self.left = handle, length

    def read(self, size=-1):
        if self.left <= 0:
            return b""
        size = self.left if size is None or size < 0 else min(size, self.left)
        data = self.handle.read(size)
        self.left -= len(data)
        return data

    def close(self):
        self.handle.close()


def _range(header: str, size: int):
    """(first, last) byte of a single "bytes=a-b" range, or None when it cannot be satisfied."""
    unit, _, spec = header.partition("=")
    if unit.strip() != "bytes" or "," in spec:
        return None
    first, _, last = spec.strip().partition("-")
    try:
        if first == "":
            length = int(last)
            start, end = max(size - length, 0), size - 1
        else:
            start = int(first)
            end = int(last) if last else size - 1
    except ValueError:
        return None
    end = min(end, size - 1)
    return (start, end) if 0 <= start <= end else None


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A browser that closes the connection early (seeking in a recording) is no error worth a traceback.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def make_server(port: int | None, site: Path = SITE, headers: dict | None = None):
    """Bind 127.0.0.1 on ``port``, or on the first free port from 8765."""
    handler = type("SiteHandler", (Handler,), {"root": os.path.realpath(site), "security_headers": dict(headers or {})})
    ports = [port] if port is not None else range(FIRST_PORT, FIRST_PORT + TRIES)
    for candidate in ports:
        try:
            return Server(("127.0.0.1", candidate), handler)
        except OSError as exc:
            if exc.errno not in (errno.EADDRINUSE, errno.EACCES):
                raise
    raise SystemExit(f"无法在本机端口 {FIRST_PORT}–{FIRST_PORT + TRIES - 1} 上启动：端口都被占用了。请关闭其他程序后重试。")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="大鹏红色教育资源 · 离线版")
    parser.add_argument("--port", type=int, default=None, help="端口（默认 8765，被占用时自动换下一个）")
    parser.add_argument("--no-browser", action="store_true", help="不自动打开浏览器")
    args = parser.parse_args(argv)
    if not (SITE / "index.html").is_file():
        print(f"找不到网站文件：{SITE}。请把压缩包完整解压后再运行。", file=sys.stderr)
        return 1
    try:
        headers = load_headers()
    except (OSError, ValueError) as exc:
        print(f"找不到或读不懂安全设置文件：{HEADERS_FILE}（{exc}）。请把压缩包完整解压后再运行。", file=sys.stderr)
        return 1
    server = make_server(args.port, SITE, headers)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    print("大鹏红色教育资源 · 离线版")
    print(f"网站地址：{url}")
    print("浏览器没有自动打开时，请手动在浏览器中打开上面的地址。关闭本窗口（或按 Ctrl+C）即停止。", flush=True)
    if not args.no_browser and not os.environ.get("HERITAGE_OFFLINE_NO_BROWSER"):
        threading.Timer(0.5, lambda: webbrowser.open(url)).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
