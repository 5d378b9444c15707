"""The offline package: the whole built site in one zip that a lecturer opens on a laptop with no network.

Browsers refuse what the site needs from ``file://`` (the search index is fetched and compiled as WebAssembly; the
lesson basket needs a web origin for its storage), so the package carries a tiny server: ``serve.py`` (Python's
standard library only) and, for Windows without Python, ``serve.ps1`` (Windows PowerShell), started by
double-clicking ``start-windows.bat``, ``start-mac.command`` or ``start-linux.sh``. It serves the ``site`` folder on
127.0.0.1 only, with byte ranges so recordings can be sought, and sends the release's security headers (the same
Content-Security-Policy, written into the package as ``headers.json``). How to open it: ``使用说明.txt`` in the package
(``INSTRUCTIONS`` below) and README.md.
"""

from __future__ import annotations

import json
import os
import stat
import zipfile
from collections.abc import Sequence
from pathlib import Path

from heritage.core.config import read_site_config
from heritage.core.paths import OFFLINE_SCRIPTS, PROJECT_ROOT
from heritage.outputs.release import security_headers
from heritage.pages.map_page import tile_hosts

SCRIPTS = OFFLINE_SCRIPTS
FOLDER = "dapeng-heritage-offline"  # the folder the zip unpacks to (ASCII: every unzip tool agrees on it)
LAUNCHERS = ("start-windows.bat", "start-mac.command", "start-linux.sh")
SERVERS = ("serve.py", "serve.ps1")
EXECUTABLE = {"start-mac.command", "start-linux.sh", "serve.py"}
# A fixed timestamp: the same site gives the same zip.
STAMP = (2020, 1, 1, 0, 0, 0)

INSTRUCTIONS = """\
大鹏红色教育资源 · 离线版 使用说明
====================================

这是整个网站的离线副本：所有页面、搜索、口述史录音和备课篮都可以在没有网络的电脑上使用。

一、解压
  把压缩包完整解压到电脑上（例如桌面），得到文件夹 dapeng-heritage-offline。
  不要直接在压缩软件里双击运行：那样只解压了一个文件，网站打不开。

二、打开
  Windows：双击 start-windows.bat。
           电脑装有 Python 3 时用 Python，否则自动改用系统自带的 PowerShell，不需要安装任何软件。
           如弹出“Windows 已保护你的电脑”，点“更多信息”→“仍要运行”。
  macOS：  双击 start-mac.command。第一次如被系统拦截，请右键点击它，选择“打开”。
           需要 Python 3（系统会提示安装“命令行开发者工具”，或从 python.org 安装）。
  Linux：  在终端中运行 ./start-linux.sh（需要 python3）。

  会弹出一个黑色窗口，并自动用默认浏览器打开网站，地址是 http://127.0.0.1:8765/
  （端口被占用时自动换成 8766、8767……，以窗口中显示的地址为准）。
  浏览器没有自动打开时，手动在浏览器地址栏输入窗口中显示的地址。

三、使用中
  - 用完后关闭那个黑色窗口，网站即停止。
  - 网站只在本机上打开，同一网络中的其他电脑访问不到。
  - 备课篮保存在浏览器中：下次用同一个浏览器、同一个地址打开，备课篮还在。
  - 打印讲义：在页面上按 Ctrl+P（macOS 为 Command+P），纸张选 A4。

四、为什么不能直接双击 index.html
  浏览器出于安全考虑，不允许直接打开的本地文件使用搜索和本地存储，所以需要上面的小程序在本机提供网页。
"""


HEADERS = "headers.json"  # beside serve.py, outside site/: the server reads it, never serves it


def package(site_dir: Path, out: Path, scripts: Path = SCRIPTS, extra_hosts: Sequence[str] | None = None) -> tuple[int, int]:
    """Write ``out`` (a zip): the built site under ``dapeng-heritage-offline/site/``, the servers, the launchers,
    the security headers the server sends (``headers.json``: the release's policy for this site, with the map tile
    hosts ``extra_hosts``, by default those of the project's mkdocs.yml) and the instructions beside it. The site
    folder is made to fit the policy first (its stylesheets' data: images become files). Returns (number of files,
    size of the zip in bytes)."""
    if extra_hosts is None:
        extra_hosts = _tile_hosts()
    headers = security_headers(site_dir, list(extra_hosts))
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    count = 0
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:

        def add(name: str, data: bytes, executable: bool = False, compress: bool = True) -> None:
            nonlocal count
            info = zipfile.ZipInfo(f"{FOLDER}/{name}", date_time=STAMP)
            info.external_attr = ((0o755 if executable else 0o644) | stat.S_IFREG) << 16
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            archive.writestr(info, data)
            count += 1

        for path in sorted(site_dir.rglob("*")):
            if path.is_file() and not path.is_symlink() and path.suffix not in (".gz", ".br"):
                already_small = path.suffix in (".opus", ".ogg", ".mp3", ".m4a", ".mp4", ".jpg", ".jpeg", ".png", ".webp", ".gif", ".woff2")
                add(f"site/{path.relative_to(site_dir).as_posix()}", path.read_bytes(), compress=not already_small)
        add(HEADERS, (json.dumps(headers, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        for name in (*SERVERS, *LAUNCHERS):
            add(name, (scripts / name).read_bytes(), executable=name in EXECUTABLE)
        # UTF-8 with a byte-order mark, Windows line ends: Notepad on every Windows shows it right.
        add("使用说明.txt", ("\ufeff" + INSTRUCTIONS).replace("\n", "\r\n").encode("utf-8"))
    os.replace(partial, out)
    return count, out.stat().st_size


def _tile_hosts() -> list[str]:
    """The map tile hosts of the project's mkdocs.yml (the only other hosts the policy allows, for images)."""
    return tile_hosts(read_site_config(PROJECT_ROOT / "mkdocs.yml").extra)
