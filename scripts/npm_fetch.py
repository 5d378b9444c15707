"""Vendor files from npm packages at pinned versions, without Node.js: download, verify, extract.

vendor.lock.json (at the project root) pins every package: name, version, the registry's sha512 ``integrity`` of
its tarball, optionally the platform it is for (npm's ``os``/``cpu`` names), and which files of the tarball go
where, each with the sha256 of its bytes. ``make setup`` runs this script; it downloads only what is missing or
changed, checks the tarball against the pinned integrity before reading it, and writes each file atomically.

The registry is the one npm is configured with: ``npm_config_registry`` (or ``NPM_CONFIG_REGISTRY``) from the
environment, else npm's default. A mirror (e.g. https://registry.npmmirror.com/) serves the same tarballs, and the
pinned integrity makes any difference an error.

    python scripts/npm_fetch.py                      # install what vendor.lock.json pins for this machine
    python scripts/npm_fetch.py --check              # exit 1 unless every file is installed and intact
    python scripts/npm_fetch.py add leaflet@1.9.4 package/dist/leaflet.js=docs/assets/vendor/leaflet.js
                                                     # pin a package (asks the registry once) and install it

Standard library only: it runs before anything else is installed.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import os
import platform
import sys
import tarfile
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "vendor.lock.json"
DEFAULT_REGISTRY = "https://registry.npmjs.org/"
MAX_TARBALL_BYTES = 200 * 1024 * 1024
TIMEOUT_SECONDS = 60

# platform.system()/machine() → npm's os/cpu names.
_NPM_OS = {"Linux": "linux", "Darwin": "darwin", "Windows": "win32", "FreeBSD": "freebsd"}
_NPM_CPU = {"x86_64": "x64", "amd64": "x64", "AMD64": "x64", "aarch64": "arm64", "arm64": "arm64", "ARM64": "arm64"}


class FetchError(Exception):
    pass


def registry_url() -> str:
    url = os.environ.get("npm_config_registry") or os.environ.get("NPM_CONFIG_REGISTRY") or DEFAULT_REGISTRY
    return url if url.endswith("/") else url + "/"


def tarball_url(registry: str, name: str, version: str) -> str:
    """The conventional tarball address every npm registry serves: <registry>/<name>/-/<basename>-<version>.tgz."""
    basename = name.rsplit("/", 1)[-1]
    return f"{registry}{name}/-/{basename}-{version}.tgz"


def this_platform() -> tuple[str, str]:
    return _NPM_OS.get(platform.system(), platform.system().lower()), _NPM_CPU.get(platform.machine(), platform.machine())


def applies_here(package: dict, here: tuple[str, str]) -> bool:
    return package.get("os", here[0]) == here[0] and package.get("cpu", here[1]) == here[1]


def check_integrity(data: bytes, integrity: str) -> None:
    """npm's Subresource-Integrity string, e.g. ``sha512-<base64>``; only sha512 is accepted."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512" or not expected:
        raise FetchError(f"unsupported integrity {integrity!r}: pin a sha512 integrity")
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if actual != expected:
        raise FetchError(f"integrity mismatch: expected sha512-{expected}, got sha512-{actual}")


def download(url: str) -> bytes:
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme != "https" and parsed.hostname not in ("127.0.0.1", "localhost"):
        raise FetchError(f"refusing to download over {parsed.scheme}: {url}")
    request = urllib.request.Request(url, headers={"User-Agent": "dapeng-heritage-npm-fetch/1", "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            data = response.read(MAX_TARBALL_BYTES + 1)
    except OSError as exc:
        raise FetchError(f"download failed: {url}: {exc}") from exc
    if len(data) > MAX_TARBALL_BYTES:
        raise FetchError(f"tarball larger than {MAX_TARBALL_BYTES} bytes: {url}")
    return data


def extract(tarball: bytes, member_name: str) -> tuple[bytes, int]:
    """The bytes and permission bits of one regular file in a (gzipped) npm tarball."""
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        try:
            member = archive.getmember(member_name)
        except KeyError:
            raise FetchError(f"{member_name} is not in the tarball") from None
        if not member.isfile():
            raise FetchError(f"{member_name} is not a regular file in the tarball")
        handle = archive.extractfile(member)
        assert handle is not None
        return handle.read(), member.mode & 0o777


def destination(relative: str) -> Path:
    """A lock file destination, which must stay inside the project."""
    target = (ROOT / relative).resolve()
    if not target.is_relative_to(ROOT.resolve()) or Path(relative).is_absolute():
        raise FetchError(f"destination outside the project: {relative}")
    return target


def sha256_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def write_atomically(target: Path, data: bytes, mode: int) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load_lock(path: Path = LOCK) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def missing_files(package: dict) -> list[dict]:
    return [f for f in package["files"] if sha256_of(destination(f["to"])) != f["sha256"]]


def install(package: dict, registry: str) -> list[Path]:
    """Install the package's files that are missing or differ from the lock; return what was written."""
    todo = missing_files(package)
    if not todo:
        return []
    url = tarball_url(registry, package["name"], package["version"])
    tarball = download(url)
    check_integrity(tarball, package["integrity"])
    written = []
    for entry in todo:
        data, mode = extract(tarball, entry["from"])
        actual = hashlib.sha256(data).hexdigest()
        if actual != entry["sha256"]:
            raise FetchError(f"{entry['from']} in {package['name']}@{package['version']}: sha256 {actual}, lock says {entry['sha256']}")
        target = destination(entry["to"])
        write_atomically(target, data, 0o755 if entry.get("executable") else (mode or 0o644) & 0o755)
        written.append(target)
    return written


def install_all(lock: dict, registry: str, here: tuple[str, str]) -> int:
    packages = [p for p in lock["packages"] if applies_here(p, here)]
    provided = {p.get("provides", p["name"]) for p in packages}
    wanted = {p.get("provides", p["name"]) for p in lock["packages"]}
    unsupported = sorted(wanted - provided)
    if unsupported:
        print(
            f"vendor.lock.json 中没有适用于本机平台（{here[0]}-{here[1]}）的 {'、'.join(unsupported)}。"
            "请在 vendor.lock.json 中为本平台添加对应的 npm 包（python scripts/npm_fetch.py add …）。",
            file=sys.stderr,
        )
        return 1
    for package in packages:
        label = f"{package['name']}@{package['version']}"
        try:
            written = install(package, registry)
        except FetchError as exc:
            print(f"无法获取 {label}：{exc}", file=sys.stderr)
            print(f"（镜像源：{registry}；可以用环境变量 npm_config_registry 指定其他 npm 镜像。）", file=sys.stderr)
            return 1
        for path in written:
            print(f"已安装 {label} → {path.relative_to(ROOT)}")
    return 0


def check_all(lock: dict, here: tuple[str, str]) -> int:
    stale = [f["to"] for p in lock["packages"] if applies_here(p, here) for f in missing_files(p)]
    for path in stale:
        print(f"缺少或已改动：{path}（运行 make setup）", file=sys.stderr)
    return 1 if stale else 0


def add(spec: str, mappings: list[str], registry: str, lock_path: Path = LOCK) -> int:
    """Pin ``name@version`` (the registry's integrity), with files ``tarball/path=destination``, then install it."""
    name, _, version = spec.rpartition("@")
    if not name or not version:
        raise FetchError(f"expected name@version, got {spec!r}")
    metadata = json.loads(download(f"{registry}{name}/{version}"))
    integrity = metadata["dist"]["integrity"]
    tarball = download(tarball_url(registry, name, version))
    check_integrity(tarball, integrity)
    files = []
    for mapping in mappings:
        source, _, target = mapping.partition("=")
        destination(target)
        data, mode = extract(tarball, source)
        files.append({"from": source, "to": target, "sha256": hashlib.sha256(data).hexdigest(), "executable": bool(mode & 0o111)})
    package = {"name": name, "version": version, "integrity": integrity, "files": files}
    for key in ("os", "cpu"):
        if len(metadata.get(key, [])) == 1:
            package[key] = metadata[key][0]
    lock = load_lock(lock_path) if lock_path.exists() else {"packages": []}
    lock["packages"] = [p for p in lock["packages"] if not (p["name"] == name)] + [package]
    lock_path.write_text(json.dumps(lock, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    install(package, registry)
    print(f"已锁定 {name}@{version}（{integrity[:20]}…）")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lock", type=Path, default=LOCK)
    parser.add_argument("--check", action="store_true", help="only check that every pinned file is installed and intact")
    sub = parser.add_subparsers(dest="command")
    add_cmd = sub.add_parser("add", help="pin a package version and the files to take from it")
    add_cmd.add_argument("spec", help="name@version, e.g. leaflet@1.9.4")
    add_cmd.add_argument("files", nargs="+", help="path/in/tarball=destination/in/project")
    args = parser.parse_args(argv)
    registry = registry_url()
    if args.command == "add":
        try:
            return add(args.spec, args.files, registry, args.lock)
        except FetchError as exc:
            print(f"无法锁定 {args.spec}：{exc}", file=sys.stderr)
            return 1
    lock = load_lock(args.lock)
    here = this_platform()
    return check_all(lock, here) if args.check else install_all(lock, registry, here)


if __name__ == "__main__":
    sys.exit(main())
