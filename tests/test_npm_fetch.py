"""scripts/npm_fetch.py: pinned npm tarballs, verified before use, from a registry served here (no network)."""

from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import io
import json
import sys
import tarfile
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import npm_fetch  # noqa: E402


def tarball(files: dict[str, bytes], mode: int = 0o755) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = mode
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def registry(tmp_path, monkeypatch):
    """A folder served as an npm registry on 127.0.0.1 (npm_config_registry points at it)."""
    folder = tmp_path / "registry"
    folder.mkdir()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("npm_config_registry", f"http://127.0.0.1:{server.server_port}")
    yield folder
    server.shutdown()
    server.server_close()


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.setattr(npm_fetch, "ROOT", root)
    return root


def publish(registry: Path, name: str, version: str, data: bytes) -> None:
    target = registry / name / "-" / f"{name.rsplit('/', 1)[-1]}-{version}.tgz"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def lock_for(data: bytes, files: dict[str, bytes], to: str = "bin/tool", **extra) -> dict:
    source = next(iter(files))
    return {
        "packages": [
            {
                "name": "@scope/tool",
                "version": "1.0.0",
                "integrity": integrity(data),
                "files": [{"from": source, "to": to, "sha256": hashlib.sha256(files[source]).hexdigest(), "executable": True}],
                **extra,
            }
        ]
    }


def write_lock(path: Path, lock: dict) -> Path:
    path.write_text(json.dumps(lock), encoding="utf-8")
    return path


def test_installs_the_pinned_file_once(registry, project, tmp_path):
    files = {"package/bin/tool": b"#!/bin/sh\necho ok\n"}
    data = tarball(files)
    publish(registry, "@scope/tool", "1.0.0", data)
    lock = write_lock(tmp_path / "lock.json", lock_for(data, files))
    assert npm_fetch.main(["--lock", str(lock)]) == 0
    installed = project / "bin" / "tool"
    assert installed.read_bytes() == files["package/bin/tool"]
    assert installed.stat().st_mode & 0o111
    assert npm_fetch.main(["--lock", str(lock), "--check"]) == 0
    (registry / "@scope").rename(registry / "gone")  # an installed, intact file is not downloaded again
    assert npm_fetch.main(["--lock", str(lock)]) == 0


def test_a_tarball_that_differs_from_the_pin_is_refused(registry, project, tmp_path, capsys):
    files = {"package/bin/tool": b"good"}
    pinned = tarball(files)
    publish(registry, "@scope/tool", "1.0.0", tarball({"package/bin/tool": b"evil"}))
    lock = write_lock(tmp_path / "lock.json", lock_for(pinned, files))
    assert npm_fetch.main(["--lock", str(lock)]) == 1
    assert "integrity mismatch" in capsys.readouterr().err
    assert not (project / "bin" / "tool").exists()


def test_a_changed_installed_file_is_replaced(registry, project, tmp_path):
    files = {"package/bin/tool": b"good"}
    data = tarball(files)
    publish(registry, "@scope/tool", "1.0.0", data)
    lock = write_lock(tmp_path / "lock.json", lock_for(data, files))
    (project / "bin").mkdir()
    (project / "bin" / "tool").write_bytes(b"tampered")
    assert npm_fetch.main(["--lock", str(lock), "--check"]) == 1
    assert npm_fetch.main(["--lock", str(lock)]) == 0
    assert (project / "bin" / "tool").read_bytes() == b"good"


def test_destinations_stay_inside_the_project(registry, project, tmp_path, capsys):
    files = {"package/bin/tool": b"x"}
    data = tarball(files)
    publish(registry, "@scope/tool", "1.0.0", data)
    lock = write_lock(tmp_path / "lock.json", lock_for(data, files, to="../outside"))
    assert npm_fetch.main(["--lock", str(lock)]) == 1
    assert "outside the project" in capsys.readouterr().err
    assert not (tmp_path / "outside").exists()


def test_packages_for_other_platforms_are_skipped_and_a_missing_one_is_named(registry, project, tmp_path, monkeypatch, capsys):
    files = {"package/bin/tool": b"x"}
    data = tarball(files)
    lock = lock_for(data, files, os="linux", cpu="x64", provides="tool")
    monkeypatch.setattr(npm_fetch, "this_platform", lambda: ("darwin", "arm64"))
    assert npm_fetch.main(["--lock", str(write_lock(tmp_path / "lock.json", lock))]) == 1
    assert "darwin-arm64" in capsys.readouterr().err


def test_the_registry_comes_from_npm_configuration(monkeypatch):
    monkeypatch.setenv("npm_config_registry", "https://registry.npmmirror.com")
    assert npm_fetch.registry_url() == "https://registry.npmmirror.com/"
    assert (
        npm_fetch.tarball_url(npm_fetch.registry_url(), "@pagefind/linux-x64", "1.6.0")
        == "https://registry.npmmirror.com/@pagefind/linux-x64/-/linux-x64-1.6.0.tgz"
    )
    monkeypatch.delenv("npm_config_registry")
    monkeypatch.delenv("NPM_CONFIG_REGISTRY", raising=False)
    assert npm_fetch.registry_url() == "https://registry.npmjs.org/"


def test_plain_http_is_refused_except_on_this_machine():
    with pytest.raises(npm_fetch.FetchError, match="refusing"):
        npm_fetch.download("http://registry.example.org/x.tgz")


def test_the_project_lock_pins_pagefind_1_6_0_for_linux():
    lock = json.loads((ROOT / "vendor.lock.json").read_text(encoding="utf-8"))
    pagefind = [p for p in lock["packages"] if p.get("provides") == "pagefind"]
    assert {(p["os"], p["cpu"]) for p in pagefind} >= {("linux", "x64"), ("linux", "arm64")}
    for package in pagefind:
        assert package["version"] == "1.6.0" and package["integrity"].startswith("sha512-")
        assert [f["to"] for f in package["files"]] == [".venv/bin/pagefind_extended"]
