"""Command line of the pipeline: check content, write the generated pages, or build the site atomically.

python -m heritage check                 # validate everything; exit 1 on any error
python -m heritage render --out DIR      # write the generated Markdown pages for another engine
python -m heritage build --site-dir site # check, build elsewhere (--engine mkdocs|properdocs|zensical), clean and index
                                         # the built pages (engines/postbuild.py), then swap into place
python -m heritage offline --out X.zip   # the whole site in a zip with a local server, for a laptop with no network
python -m heritage new site my-site-id   # a commented template for a new entry
python -m heritage schemas               # regenerate schemas/*.schema.json
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from heritage.collections.registry import REGISTRY
from heritage.core.config import ConfigError, read_site_config
from heritage.core.paths import PROJECT_ROOT
from heritage.core.problems import ContentError, Severity, errors_in, format_report, printable
from heritage.engines import DEFAULT_ENGINE, ENGINES, EngineError
from heritage.engines.postbuild import Plan, PostbuildError, apply_plan, plan_for
from heritage.outputs.images import ImageRefused, strip_site
from heritage.outputs.json_schema import write_schemas
from heritage.outputs.offline import package
from heritage.outputs.release import (
    ReleaseError,
    make_world_readable,
    missing_identity,
    precompress,
    require_public_site_url,
    write_server_headers,
)
from heritage.outputs.report import github_annotations, markdown_summary
from heritage.outputs.scaffold import ScaffoldError, kinds, scaffold
from heritage.outputs.search_index import SearchIndexError, read_dictionary
from heritage.pages.map_page import tile_hosts
from heritage.stages.pipeline import build, check


def _cmd_check(args: argparse.Namespace) -> int:
    problems = check(args.content)
    if args.files:
        # pre-commit passes the changed files: everything is still checked (references need the whole
        # collection), but only what concerns these files is reported.
        missing = [f for f in args.files if not Path(f).is_file()]
        if missing:
            print(f"找不到文件：{'、'.join(missing)}", file=sys.stderr)
            return 1
        wanted = {_display_path(Path(f), args.content) for f in args.files}
        problems = [p for p in problems if p.path in wanted]
    if args.strict:  # style warnings become failures; notices (e.g. an embargo) stay notices
        problems = [
            replace(p, severity=Severity.ERROR, message=f"[编辑规范] {p.message}") if p.severity is Severity.WARNING else p
            for p in problems
        ]
    entries = _count_entries(args.content)
    github = args.format == "github" or (args.format == "auto" and os.environ.get("GITHUB_ACTIONS") == "true")
    if github:
        if problems:
            print(github_annotations(problems))
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            with open(summary_file, "a", encoding="utf-8") as handle:
                handle.write(markdown_summary(problems, entries))
    if problems:
        print(format_report(problems), file=sys.stderr)
    if errors_in(problems):
        return 1
    if not errors_in(problems) and not any(p.severity is Severity.WARNING for p in problems):
        print(f"内容检查通过：{entries} 个条目。")
    return 0


def _display_path(path: Path, content: Path) -> str:
    """``content/sites/x.yml`` for any way of naming the file (relative to the repo, absolute, …)."""
    try:
        return path.resolve().relative_to(content.resolve().parent).as_posix()
    except ValueError:
        return path.as_posix()


def _count_entries(content: Path) -> int:
    return sum(1 for _ in content.glob("*/*.yml"))


def _cmd_render(args: argparse.Namespace) -> int:
    try:
        result = build(args.content, include_unpublished=args.include_unpublished, site_url=args.site_url)
    except ContentError as exc:
        print(format_report(exc.problems), file=sys.stderr)
        return 1
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for uri, markdown in result.pages.items():
        target = out / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    for uri, data in result.files.items():
        target = out / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    if result.warnings:
        print(format_report(result.warnings), file=sys.stderr)
    print(f"已生成 {len(result.pages)} 个页面、{len(result.files)} 个其他文件到 {out}。")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    """Build into a fresh folder beside the target, then swap: a failed build leaves the old site untouched."""
    problems = check(args.content)
    if getattr(args, "strict_claims", False):
        # A release publishes no claim its sources do not carry (stages/support.py).
        problems = [
            replace(p, severity=Severity.ERROR, message=f"[来源核对] {p.message}")
            if p.kind == "support" and p.severity is Severity.WARNING
            else p
            for p in problems
        ]
    if errors_in(problems):
        print(format_report(problems), file=sys.stderr)
        print("构建已停止，现有的网站目录没有任何改动。", file=sys.stderr)
        return 1
    site_dir: Path = args.site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-", dir=site_dir.parent))
    engine = getattr(args, "engine", DEFAULT_ENGINE)
    plan = _run_engine(engine, args, staging)
    if plan is None:
        shutil.rmtree(staging, ignore_errors=True)
        print("构建失败，现有的网站目录没有任何改动。", file=sys.stderr)
        return 1
    try:  # every image decoded and rewritten without metadata, whatever engine copied it; before precompression
        stripped = strip_site(staging)
    except ImageRefused as exc:
        shutil.rmtree(staging, ignore_errors=True)
        print("构建已停止：以下图片不能发布（网站目录中的路径；原文件在 docs/ 的同一路径下）。", file=sys.stderr)
        for line in str(exc).splitlines():
            print(f"  {printable(line)}", file=sys.stderr)
        print("现有的网站目录没有任何改动。", file=sys.stderr)
        return 1
    print(f"已去除 {stripped} 个图片文件的元数据（EXIF、GPS 位置、XMP、注释）。")
    try:  # the same after any engine: the allowlist over every generated page, the search wrapping and index
        report = apply_plan(staging, plan)
    except (PostbuildError, SearchIndexError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"{exc}\n构建已停止，现有的网站目录没有任何改动。", file=sys.stderr)
        return 1
    print(f"已检查 {report.pages} 个生成页面，并为 {report.entry_pages} 个条目页面建立搜索索引（{report.seconds:.1f} 秒）。")
    make_world_readable(staging)  # before the swap: the published folder is never unreadable, even briefly
    if getattr(args, "compress", False):
        count, saved = precompress(staging)
        print(f"已为 {count} 个文本文件生成 .gz 和 .br 压缩副本（brotli 共节省 {saved // 1024} KB）。")
    _swap_into_place(staging, site_dir)
    print(f"网站已生成到 {site_dir}。")
    return 0


def _run_engine(engine: str, args: argparse.Namespace, staging: Path) -> Plan | None:
    """Build the site into ``staging`` with ``engine``; what the post-build step needs, or None if the engine failed.

    MkDocs and ProperDocs run in a child process with the project's hook, which writes the post-build plan to the
    file named by HERITAGE_HANDOVER (so the pipeline runs once). Zensical runs no hooks: its adapter
    (``heritage.engines.zensical.build_site``) runs the pipeline, builds, and returns the ``BuildResult``."""
    content = args.content.resolve()
    if engine == "zensical":
        from heritage.engines import zensical  # lazily: only this engine needs it

        try:
            result = zensical.build_site(
                args.config.resolve(),
                content,
                staging,
                include_demo=os.environ.get("HERITAGE_DEMO", "1") != "0",
                site_url=read_site_config(args.config).site_url,  # mkdocs.yml's !ENV [SITE_URL, …], as MkDocs reads it
            )
        except ContentError as exc:
            print(format_report(exc.problems), file=sys.stderr)
            return None
        except EngineError as exc:  # ZensicalError among them
            print(f"Zensical 构建失败：{exc}", file=sys.stderr)
            return None
        if result is None:
            return None
        return plan_for(result, REGISTRY, read_dictionary(content))
    descriptor, name = tempfile.mkstemp(prefix="heritage-plan-", suffix=".json")
    os.close(descriptor)
    handover = Path(name)
    try:
        command = [
            sys.executable,
            "-m",
            engine,
            "build",
            "--strict",
            "--clean",
            "--config-file",
            str(args.config),
            "--site-dir",
            str(staging),
        ]
        # the hook reads the same content and writes the plan of the post-build step
        env = {**os.environ, "HERITAGE_CONTENT_DIR": str(content), "HERITAGE_HANDOVER": str(handover)}
        completed = subprocess.run(command, cwd=args.config.resolve().parent, env=env)
        text = handover.read_text(encoding="utf-8") if completed.returncode == 0 else ""
        if not text:
            if completed.returncode == 0:
                print(f"{engine} 没有运行项目的构建钩子（mkdocs.yml 的 hooks），无法完成安全检查和搜索索引。", file=sys.stderr)
            return None
        return Plan.from_json(text)
    finally:
        handover.unlink(missing_ok=True)


def _cmd_release(args: argparse.Namespace) -> int:
    """The published site: a real address required, demonstration records left out unless asked, files
    readable by the web server, gzip and brotli copies beside every text file."""
    try:
        site_url = require_public_site_url(args.site_url)
    except ReleaseError as exc:
        print(f"没有发布：{exc}", file=sys.stderr)
        return 2
    missing = missing_identity(read_site_config(args.config).extra)
    strict = os.environ.get("STRICT", "") not in ("", "0")
    for line in missing:
        print(f"{'错误' if strict else '警告'}：{line}", file=sys.stderr)
    if missing and strict:
        print("没有发布：STRICT=1 时，主办单位、联系方式和备案号都必须填写（mkdocs.yml 的 extra.site）。", file=sys.stderr)
        return 2
    os.environ["SITE_URL"] = site_url
    os.environ["HERITAGE_DEMO"] = "1" if args.with_demo else "0"
    args.compress = True
    args.strict_claims = True  # a release never publishes a claim its sources do not carry, STRICT or not
    print(f"正式发布：网站地址 {site_url}；演示数据{'保留（--with-demo）' if args.with_demo else '不包含'}。")
    code = _cmd_build(args)
    if code == 0:
        for path in write_server_headers(args.site_dir.resolve(), _tile_hosts(args.config)):
            print(f"已写入服务器响应头：{path}")
    return code


def _tile_hosts(config_file: Path) -> list[str]:
    return tile_hosts(read_site_config(config_file).extra)


def _cmd_offline(args: argparse.Namespace) -> int:
    """The whole site in one zip for a laptop with no network, with a tiny local server (offline.py)."""
    with tempfile.TemporaryDirectory(prefix="heritage-offline-") as work:
        args.site_dir = Path(work) / "site"
        args.compress = False
        code = _cmd_build(args)
        if code != 0:
            return code
        count, size = package(args.site_dir, args.out.resolve(), extra_hosts=_tile_hosts(args.config))
    print(f"离线包已生成：{args.out}（{count} 个文件，{size / 1024 / 1024:.1f} MB）。解压后双击启动脚本，见包内的 使用说明.txt。")
    return 0


def _cmd_new(args: argparse.Namespace) -> int:
    try:
        path = scaffold(args.kind, args.id, args.content)
    except ScaffoldError as exc:
        print(f"没有创建文件：{exc}", file=sys.stderr)
        return 1
    shown = path.relative_to(args.content.parent) if path.is_relative_to(args.content.parent) else path
    print(f"已创建 {shown.as_posix()}。请填写其中的【必填】字段，然后运行 make check。")
    return 0


def _cmd_schemas(args: argparse.Namespace) -> int:
    for path in write_schemas(args.out):
        print(f"已写入 {path}")
    return 0


def _swap_into_place(staging: Path, site_dir: Path) -> None:
    """Two renames: the window in which ``site_dir`` is missing is as short as the file system allows."""
    retired = None
    if site_dir.exists():
        retired = site_dir.with_name(f".{site_dir.name}.old-{os.getpid()}")
        site_dir.rename(retired)
    staging.rename(site_dir)
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m heritage", description="大鹏红色教育资源：内容检查与构建")
    parser.add_argument("--content", type=Path, default=PROJECT_ROOT / "content", help="内容目录（默认 content/）")
    sub = parser.add_subparsers(dest="command", required=True)
    check_cmd = sub.add_parser("check", help="检查全部条目（含草稿），有错误时返回非零")
    check_cmd.add_argument("files", nargs="*", help="只报告这些文件的问题（供 pre-commit 使用）；仍会检查全部条目")
    check_cmd.add_argument("--strict", action="store_true", help="把警告（编辑规范提示）也当作错误")
    check_cmd.add_argument(
        "--format",
        choices=["auto", "text", "github"],
        default="auto",
        help="github：输出 GitHub 注释（::error file=…），并把摘要写入 $GITHUB_STEP_SUMMARY；auto：在 GitHub Actions 中自动使用",
    )
    check_cmd.set_defaults(func=_cmd_check)
    render = sub.add_parser("render", help="把生成的 Markdown 页面写入目录，供其他引擎使用")
    render.add_argument("--out", type=Path, required=True)
    render.add_argument("--include-unpublished", action="store_true", help="同时生成草稿和待审核条目")
    render.add_argument(
        "--site-url", default=os.environ.get("SITE_URL", "http://127.0.0.1:8000/"), help="网站地址，用于引用格式中的固定链接"
    )
    render.set_defaults(func=_cmd_render)
    build_cmd = sub.add_parser("build", help="正式构建（只含已发布条目），失败时不改动现有网站")
    build_cmd.add_argument("--site-dir", type=Path, default=PROJECT_ROOT / "site")
    build_cmd.add_argument("--config", type=Path, default=PROJECT_ROOT / "mkdocs.yml")
    build_cmd.add_argument("--compress", action="store_true", help="为文本文件生成 .gz 和 .br 压缩副本")
    build_cmd.set_defaults(func=_cmd_build)
    release = sub.add_parser("release", help="正式发布：必须设置 SITE_URL，不含演示数据，生成压缩副本，文件可被网页服务器读取")
    release.add_argument("--site-dir", type=Path, default=PROJECT_ROOT / "site")
    release.add_argument("--config", type=Path, default=PROJECT_ROOT / "mkdocs.yml")
    release.add_argument("--site-url", default=os.environ.get("SITE_URL"), help="网站的公开地址（默认读取环境变量 SITE_URL）")
    release.add_argument("--with-demo", action="store_true", help="保留演示数据（demo: true 的条目）；默认不包含")
    release.set_defaults(func=_cmd_release)
    offline = sub.add_parser("offline", help="离线包：整个网站打成一个 zip，附本机服务器和双击即可运行的启动脚本")
    offline.add_argument("--out", type=Path, default=PROJECT_ROOT / "dist" / "dapeng-heritage-offline.zip")
    offline.add_argument("--config", type=Path, default=PROJECT_ROOT / "mkdocs.yml")
    offline.set_defaults(func=_cmd_offline)
    for building in (build_cmd, release, offline):
        building.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE, help="构建引擎：mkdocs（默认）、properdocs 或 zensical")
    new = sub.add_parser("new", help="生成一个带说明的新条目模板")
    new.add_argument("kind", help="、".join(f"{kind}（{label}）" for kind, label, _ in kinds()))
    new.add_argument("id", help="条目编号，即文件名：小写英文字母、数字和连字符")
    new.set_defaults(func=_cmd_new)
    schemas = sub.add_parser("schemas", help="从数据模型生成 JSON Schema（供编辑器自动补全和检查）")
    schemas.add_argument("--out", type=Path, default=PROJECT_ROOT / "schemas")
    schemas.set_defaults(func=_cmd_schemas)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ContentError as exc:  # e.g. no content folder at all
        print(format_report(exc.problems), file=sys.stderr)
        return 1
    except ConfigError as exc:  # mkdocs.yml holds a value the site cannot use (e.g. extra.report): say which, stop
        print(f"没有构建：{exc}", file=sys.stderr)
        return 2
