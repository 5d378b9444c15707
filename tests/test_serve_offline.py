"""The offline package's server (scripts/offline/serve.py), started for real on 127.0.0.1 beside a small site folder
and asked raw requests, as a curious or hostile client on the same laptop (or a web page through DNS rebinding)
would send them: nothing outside the folder, no listing, 400 for malformed requests, loopback Host names only, and the
release's security headers on every answer."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from heritage.outputs.release import SECURITY_HEADERS, content_security_policy

SERVE = ROOT / "scripts" / "offline" / "serve.py"
RECORDING = bytes(range(256)) * 40  # 10,240 bytes


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    """A package folder as the offline builder lays it out: serve.py, headers.json and site/ (with traps)."""
    folder = tmp_path_factory.mktemp("package")
    shutil.copy(SERVE, folder / "serve.py")
    site = folder / "site"
    (site / "sites" / "alpha").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>首页</title><script>1</script>", encoding="utf-8")
    (site / "404.html").write_text("<!doctype html><title>找不到这个页面</title>", encoding="utf-8")
    (site / "sites" / "alpha" / "index.html").write_text("甲村", encoding="utf-8")
    (site / "no-index").mkdir()
    (site / "no-index" / "secret-name.txt").write_text("x", encoding="utf-8")
    (site / "media").mkdir()
    (site / "media" / "talk.opus").write_bytes(RECORDING)
    (site / ".hidden").write_text("dotfile", encoding="utf-8")
    outside = folder / "outside.txt"
    outside.write_text("OUTSIDE-SECRET", encoding="utf-8")
    (site / "passwd").symlink_to("/etc/passwd")
    (site / "leak.txt").symlink_to(outside)
    (site / "etc").symlink_to("/etc", target_is_directory=True)
    (site / "up").symlink_to(folder, target_is_directory=True)
    (site / "inner.html").symlink_to(site / "sites" / "alpha" / "index.html")  # inside: fine
    (site / "trap").mkdir()
    (site / "trap" / "index.html").symlink_to(outside)  # a folder whose index leaves the site
    headers = {"Content-Security-Policy": content_security_policy(site), **SECURITY_HEADERS}
    (folder / "headers.json").write_text(json.dumps(headers, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def server(package):
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, str(package / "serve.py"), "--port", str(port), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        line = ""
        for _ in range(10):
            line = process.stdout.readline()
            if f"http://127.0.0.1:{port}/" in line:
                break
        assert f"127.0.0.1:{port}" in line, line
        yield port, json.loads((package / "headers.json").read_text(encoding="utf-8"))
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the process group this test started, by its id
        process.wait(timeout=10)


def get(port: int, path: str, headers: dict[str, str] | None = None, method: str = "GET"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in {"Host": f"127.0.0.1:{port}", **(headers or {})}.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def raw(port: int, request: bytes) -> bytes:
    """Send bytes as they are (http.client refuses to send a NUL or a space in a path) and read the whole answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def status_of(answer: bytes) -> int:
    match = re.match(rb"HTTP/1\.[01] (\d{3}) ", answer)
    assert match, answer[:200]
    return int(match.group(1))


def test_pages_and_folders_with_an_index_are_served(server):
    port, _ = server
    assert get(port, "/")[0] == 200
    status, _, body = get(port, "/sites/alpha/")
    assert status == 200 and body.decode("utf-8") == "甲村"
    status, headers, _ = get(port, "/sites/alpha?x=1")
    assert status == 301 and headers["Location"] == "/sites/alpha/?x=1"
    assert get(port, "/inner.html")[0] == 200  # a symlink that stays inside the site is followed


@pytest.mark.parametrize(
    "path",
    [
        "/passwd",  # symlink to /etc/passwd
        "/leak.txt",  # symlink to a file beside the site
        "/etc/passwd",  # through a symlinked folder
        "/etc/",
        "/up/outside.txt",
        "/up/serve.py",
        "/trap/",  # a folder whose index.html points out
        "/../outside.txt",
        "/%2e%2e/outside.txt",
        "/sites/%2e%2e/%2e%2e/outside.txt",
        "/.hidden",
        "/no-index/",  # a folder without index.html is not listed
    ],
)
def test_nothing_outside_the_site_and_no_listing(server, path):
    port, _ = server
    status, headers, body = get(port, path)
    assert status == 404, (path, status)
    assert b"root:" not in body and b"OUTSIDE-SECRET" not in body and b"secret-name" not in body
    assert body.decode("utf-8") == "<!doctype html><title>找不到这个页面</title>"
    assert "Content-Security-Policy" in headers


@pytest.mark.parametrize(
    "request_line",
    [
        b"GET /a\x00b HTTP/1.1",  # NUL in the path
        b"GET /a\x01b HTTP/1.1",
        b"GET /a\x7fb HTTP/1.1",
        b"GET /a\tb HTTP/1.1",
        b"GET /%00 HTTP/1.1",  # the same, percent-encoded
        b"GET /%0d%0aSet-Cookie:x=1 HTTP/1.1",
        b"GET /%c2%85 HTTP/1.1",  # a C1 control character
        b"GET /%zz HTTP/1.1",  # bad percent-encoding
        b"GET /% HTTP/1.1",
        b"GET /%e4%b8 HTTP/1.1",  # a cut UTF-8 sequence
        b"GET /%5cetc HTTP/1.1",  # a backslash (a separator on Windows)
        b"GET /" + b"a" * 5000 + b" HTTP/1.1",  # an absurd length
        b"GET http://evil.example/ HTTP/1.1",  # not a path
    ],
)
def test_malformed_requests_get_400(server, request_line):
    port, headers = server
    answer = raw(port, request_line + f"\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    assert status_of(answer) == 400, answer[:300]
    assert f"Content-Security-Policy: {headers['Content-Security-Policy']}".encode() in answer
    assert get(port, "/")[0] == 200  # and the server is still there


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}", "[::1]:{port}"])
def test_loopback_host_names_are_accepted(server, host):
    port, _ = server
    assert get(port, "/", {"Host": host.format(port=port)})[0] == 200


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:{port}", "127.0.0.1", "127.0.0.1:1", "127.0.0.2:{port}", "localhost.evil.example:{port}", ""]
)
def test_other_host_names_are_refused(server, host):
    port, _ = server
    status, headers, body = get(port, "/", {"Host": host.format(port=port)})
    assert status == 400 and "首页" not in body.decode("utf-8", "replace")
    assert "Content-Security-Policy" in headers


def test_a_request_without_host_or_with_two_is_refused(server):
    port, _ = server
    assert status_of(raw(port, b"GET / HTTP/1.0\r\n\r\n")) == 400
    assert status_of(raw(port, f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: evil.example\r\n\r\n".encode())) == 400


@pytest.mark.parametrize("path", ["/", "/media/talk.opus", "/no-index/", "/passwd", "/sites/alpha"])
def test_every_answer_carries_the_release_headers(server, path):
    port, expected = server
    _, headers, _ = get(port, path)
    for name, value in expected.items():
        assert headers.get(name) == value, (path, name)
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "DapengOffline" in headers["Server"] and "Python" not in headers["Server"]


def test_security_headers_also_on_errors_and_unsupported_methods(server):
    port, expected = server
    answer = raw(port, f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\n\r\n".encode())
    assert status_of(answer) in (405, 501)
    assert f"Content-Security-Policy: {expected['Content-Security-Policy']}".encode() in answer


def test_recordings_can_be_sought(server):
    port, _ = server
    status, headers, body = get(port, "/media/talk.opus", {"Range": "bytes=100-199"})
    assert status == 206 and body == RECORDING[100:200]
    assert headers["Content-Range"] == f"bytes 100-199/{len(RECORDING)}" and headers["Content-Type"] == "audio/ogg"
    status, _, body = get(port, "/media/talk.opus", {"Range": "bytes=-10"})
    assert status == 206 and body == RECORDING[-10:]
    status, headers, body = get(port, "/media/talk.opus")
    assert status == 200 and body == RECORDING and headers["Accept-Ranges"] == "bytes"
    status, headers, _ = get(port, "/media/talk.opus", {"Range": f"bytes={len(RECORDING)}-"})
    assert status == 416 and headers["Content-Range"] == f"bytes */{len(RECORDING)}"
    status, headers, body = get(port, "/media/talk.opus", method="HEAD")
    assert status == 200 and body == b"" and headers["Content-Length"] == str(len(RECORDING))


def test_serve_py_needs_nothing_but_the_standard_library():
    imported = set(re.findall(r"^(?:from|import) ([a-z_.]+)", SERVE.read_text(encoding="utf-8"), re.M))
    assert {name.split(".")[0] for name in imported} <= set(sys.stdlib_module_names)


def test_without_headers_file_the_server_does_not_start(package, tmp_path):
    folder = tmp_path / "pkg"
    shutil.copytree(package / "site", folder / "site", symlinks=True)
    shutil.copy(SERVE, folder / "serve.py")
    result = subprocess.run([sys.executable, str(folder / "serve.py"), "--no-browser"], capture_output=True, text=True, timeout=20)
    assert result.returncode == 1 and "headers.json" in result.stderr and "解压" in result.stderr
