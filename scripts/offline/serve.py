#!/usr/bin/env python3
"""大鹏红色教育资源 · 离线版的本机服务器（只用 Python 标准库）。

The offline package's server: serves the site folder beside this file on 127.0.0.1 only (nobody else on the venue's
network can reach it), with byte ranges so recordings can be sought, and opens the browser. Search and the lesson
basket need a web origin: browsers refuse both from file://. The port is fixed (8765, or the next free one) so the
browser keeps the same lesson basket from one day to the next.

Usage: python3 serve.py [--port N] [--no-browser]
"""

from __future__ import annotations

import argparse
import errno
import http.server
import mimetypes
import os
import sys
import threading
import webbrowser
from pathlib import Path

HERE = Path(__file__).resolve().parent
SITE = HERE / "site"
FIRST_PORT = 8765
TRIES = 20

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
}


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files from SITE with Range support (a recording's duration and seeking need it)."""

    server_version = "DapengOffline/1.0"
    sys_version = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(SITE), **kwargs)

    def log_message(self, *args):  # quiet: the window shows only what the lecturer needs
        pass

    def guess_type(self, path):
        return TYPES.get(os.path.splitext(str(path))[1].lower()) or mimetypes.guess_type(str(path))[0] or "application/octet-stream"

    def end_headers(self):
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) or "Range" not in self.headers:
            return super().send_head()
        try:
            handle = open(path, "rb")
        except OSError:
            self.send_error(404, "File not found")
            return None
        size = os.fstat(handle.fileno()).st_size
        span = _range(self.headers["Range"], size)
        if span is None:
            handle.close()
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.end_headers()
            return None
        start, end = span
        handle.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        return _Limited(handle, end - start + 1)


class _Limited:
    """A file read only up to ``length`` bytes (copyfile reads it to the end)."""

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


def make_server(port: int | None):
    """Bind 127.0.0.1 on ``port``, or on the first free port from 8765."""
    ports = [port] if port is not None else range(FIRST_PORT, FIRST_PORT + TRIES)
    for candidate in ports:
        try:
            return http.server.ThreadingHTTPServer(("127.0.0.1", candidate), Handler)
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
    server = make_server(args.port)
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
