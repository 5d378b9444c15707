"""Images as they are published: decoded to prove what they are, and rewritten without metadata.

A file's suffix says nothing about its content: an HTML page saved as ``.png`` would be served from our origin, and a
phone photo carries its EXIF block (GPS position, time, device) into the published copy. So every image is opened
with Pillow, restricted to the four formats we publish, and must decode as the format its suffix names, within a
pixel limit checked on the header before anything is expanded (a decompression bomb is refused, not decoded).

Two places use this module, neither of them tied to MkDocs:

- ``check_image`` at check time, for every image an entry references (lint.py), so the editor gets file:line;
- ``strip_site`` after the build, over every raster file of the built site (cli.py, on the staging folder before
  it is swapped in): each is decoded and written again from its pixels only — no EXIF (GPS included), no XMP, no
  comments, no PNG text chunks, nothing after the image data. EXIF orientation is applied to the pixels before the
  EXIF block is dropped; GIF, WebP and PNG animations keep their frames, timing and loop count. The copy is read back
  to prove no metadata is left, and replaces the original by rename.

The ICC colour profile is kept: it is colour data, not data about the photographer (no position, no time, no
device serial); dropping it would shift the colours of wide-gamut phone photos (Display P3), which browsers draw
correctly only with their profile.
"""

from __future__ import annotations

import io
import os
import tempfile
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageSequence, JpegImagePlugin

# The formats we publish, by suffix (schema.IMAGE_SUFFIXES): the name Pillow gives each one.
FORMAT_OF_SUFFIX = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP", ".gif": "GIF"}
FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
SUFFIX_OF_FORMAT = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
NAME_OF_FORMAT = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}  # as editors' software names them

# Checked on the header, before any pixel is decoded. 25 megapixels is a 6000×4000 photo (about 100 MB once decoded
# as RGBA); a web page needs a tenth of that. Animations are bounded by frames and by pixels over all frames.
MAX_PIXELS = 25_000_000
MAX_FRAMES = 1_000
MAX_TOTAL_PIXELS = 100_000_000

# What a decoded image may keep in ``info`` when it is written again: what its pixels need to look the same
# (transparency, palette background, animation timing) and the colour profile (see the module docstring).
_KEEP_INFO = {"transparency", "background", "duration", "loop", "disposal", "blend", "icc_profile"}

_ORIENTATION = 0x0112
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


class ImageRefused(Exception):
    """An image that cannot be published. The message, in Chinese, follows the file's name and ``的``:
    ``docs/a.png 的内容不是 PNG（实际是 HTML 文本）。请…``."""


def expected_format(path: Path) -> str | None:
    return FORMAT_OF_SUFFIX.get(path.suffix.lower())


def check_image(path: Path) -> str | None:
    """Why the image at ``path`` cannot be published (Chinese, to follow ``docs/x.png 的``), or None.

    Remembered by path, size and modification time, so a long-running preview does not decode an unchanged image
    on every rebuild."""
    stat = path.stat()
    return _check_cached(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=4096)
def _check_cached(path: str, size: int, mtime_ns: int) -> str | None:
    try:
        with _open(Path(path)) as image:
            for _frame in _frames(image):
                pass
    except ImageRefused as exc:
        return str(exc)
    except OSError as exc:
        return f"文件无法读取（{exc.strerror or type(exc).__name__}）。请检查文件权限，或重新添加这个文件。"
    return None


def strip_site(site_dir: Path) -> int:
    """Rewrite every raster image under ``site_dir`` without metadata; the number of files rewritten.

    Pillow decodes and encodes outside the GIL, so a few files are done at once (a few: each may hold a decoded
    image of up to ``MAX_PIXELS`` in memory). Raises ``ImageRefused`` naming
    every file that cannot be published, one per line, each by its path relative to ``site_dir``."""
    paths = sorted(_raster_files(site_dir))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)  # not on macOS
    with ThreadPoolExecutor(max_workers=min(4, cores)) as pool:
        refusals = list(pool.map(_strip_one, paths, [site_dir] * len(paths)))
    refused = [message for message in refusals if message is not None]
    if refused:
        raise ImageRefused("\n".join(refused))
    return len(paths)


def _strip_one(path: Path, site_dir: Path) -> str | None:
    shown = path.relative_to(site_dir).as_posix()
    if path.is_symlink() or not path.is_file():
        return f"{shown} 不是普通文件（可能是符号链接）。网站只发布普通的图片文件。"
    try:
        strip_file(path)
    except ImageRefused as exc:
        return f"{shown} 的{exc}"
    except OSError as exc:
        return f"{shown} 无法读取或写入（{exc.strerror or type(exc).__name__}）。"
    return None


def _raster_files(site_dir: Path) -> Iterator[Path]:
    for folder, _dirs, files in os.walk(site_dir):  # does not follow symlinked folders
        for name in files:
            if Path(name).suffix.lower() in FORMAT_OF_SUFFIX:
                yield Path(folder) / name


def strip_file(path: Path) -> None:
    """Decode ``path`` and write it again, in place and atomically, from its pixels only."""
    with _open(path) as image:
        fmt = image.format
        orientation = _orientation(image)
        frames = [_clean(frame, orientation) for frame in _frames(image)]
        options = _save_options(image, fmt, frames)
    buffer = io.BytesIO()
    first, rest = frames[0], frames[1:]
    try:
        if rest:
            first.save(buffer, format=fmt, save_all=True, append_images=rest, **options)
        else:
            first.save(buffer, format=fmt, **options)
    except (OSError, ValueError, TypeError) as exc:  # a mode or option Pillow cannot write in this format
        raise ImageRefused(f"图片无法重新保存（{type(exc).__name__}）。请用图片软件另存为常见的 RGB 图片后重新导出。") from None
    data = buffer.getvalue()
    _prove_clean(data, fmt)
    _replace(path, data)


def _open(path: Path) -> Image.Image:
    """The image at ``path``, opened (header read, nothing decoded) as the format its suffix names."""
    expected = expected_format(path)
    if expected is None:
        raise ImageRefused(f"后缀 {path.suffix or '（无）'} 不是网站发布的图片格式。请导出为 JPEG、PNG、WebP 或 GIF。")
    with path.open("rb") as handle:
        head = handle.read(512)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path, formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused(_too_big_message(None)) from None
    except Exception as exc:  # Pillow raises many kinds for what it cannot read
        seen = _describe(head)
        if seen == expected:  # the right signature, but Pillow cannot read on
            raise ImageRefused(_damaged(exc)) from None
        if seen in NAME_OF_FORMAT:
            seen = f"损坏的 {NAME_OF_FORMAT[seen]} 数据"
        raise ImageRefused(_not_expected(expected, seen)) from None
    if image.format != expected:
        actual = image.format
        image.close()
        raise ImageRefused(
            f"内容不是 {NAME_OF_FORMAT[expected]}（实际是 {NAME_OF_FORMAT[actual]} 图片）。"
            f"请用图片软件另存为 {NAME_OF_FORMAT[expected]}，或把文件名后缀改为 {SUFFIX_OF_FORMAT[actual]} 并同步修改引用它的 src。"
        )
    if image.width * image.height > MAX_PIXELS:
        size = image.size
        image.close()
        raise ImageRefused(_too_big_message(size))
    return image


def _frames(image: Image.Image) -> Iterator[Image.Image]:
    """Every frame, decoded, within the frame and total pixel limits (counted before each frame is decoded)."""
    total = 0
    frames = ImageSequence.Iterator(image)
    for index in range(MAX_FRAMES + 1):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                frame = next(frames, None)
                if frame is None:
                    return
                total += frame.width * frame.height
                if index >= MAX_FRAMES or total > MAX_TOTAL_PIXELS:
                    raise ImageRefused(
                        f"动画帧数或总像素过多（上限 {MAX_FRAMES} 帧、共 {MAX_TOTAL_PIXELS // 10_000} 万像素）。"
                        "请减少帧数或缩小尺寸后重新导出。"
                    )
                frame.load()
        except ImageRefused:
            raise
        except Exception as exc:  # Pillow raises many kinds for damaged data
            raise ImageRefused(_damaged(exc)) from None
        yield frame


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(_ORIENTATION, 1)
    except Exception:  # an unreadable EXIF block is dropped anyway
        return 1
    return value if isinstance(value, int) else 1


def _clean(frame: Image.Image, orientation: int) -> Image.Image:
    """A copy of the frame's pixels, turned upright, with only the ``info`` its pixels need."""
    info = {k: v for k, v in frame.info.items() if k in _KEEP_INFO}
    copy = frame.copy()
    if orientation in _TRANSPOSE:
        copy = copy.transpose(_TRANSPOSE[orientation])
    copy.info = info
    return copy


def _save_options(image: Image.Image, fmt: str, frames: list[Image.Image]) -> dict:
    """How to write the image again as close to the original as Pillow allows, with no metadata."""
    options: dict = {"exif": b""}
    icc = image.info.get("icc_profile")
    if icc and fmt != "GIF":
        options["icc_profile"] = icc
    if fmt == "JPEG":
        # The original's quantization tables and chroma subsampling: the quality it was exported with.
        if getattr(image, "quantization", None):
            options["qtables"] = image.quantization
        sampling = JpegImagePlugin.get_sampling(image)
        if sampling != -1:
            options["subsampling"] = sampling
        if image.info.get("progressive"):
            options["progressive"] = True
    if len(frames) > 1:
        options["duration"] = [frame.info.get("duration", 0) for frame in frames]
        options["loop"] = image.info.get("loop", 0)
    if fmt == "WEBP":
        with open(image.filename, "rb") as handle:  # type: ignore[arg-type]
            lossless = b"VP8L" in handle.read()
        options.update({"lossless": True} if lossless else {"quality": 90})
    return options


def _prove_clean(data: bytes, fmt: str) -> None:
    """Read the new file back: it must decode as ``fmt`` and hold no EXIF, XMP, comment or text chunk."""
    with Image.open(io.BytesIO(data), formats=[fmt]) as image:
        image.load()
        left = {key for key in image.info if key in ("exif", "xmp", "comment", "XML:com.adobe.xmp")}
        if fmt == "PNG" and image.text:
            left |= set(image.text)
        if image.getexif():
            left.add("exif")
    if left:  # only if a Pillow upgrade changed what it writes by itself
        raise ImageRefused(f"元数据无法去除（{'、'.join(sorted(left))}）。请用图片软件去掉元数据后重新导出。")


def _replace(path: Path, data: bytes) -> None:
    """Write ``data`` beside ``path`` and rename it over ``path``, keeping the file's permissions."""
    mode = path.stat().st_mode & 0o777
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _too_big_message(size: tuple[int, int] | None) -> str:
    shown = f" {size[0]}×{size[1]} 像素" if size else ""
    return (
        f"尺寸{shown}超过 {MAX_PIXELS // 10_000} 万像素的上限（解码会占用大量内存）。"
        "请缩小后重新导出（如宽度 1600 像素以内、JPEG 质量 80）。"
    )


def _not_expected(expected: str, actual: str) -> str:
    name = NAME_OF_FORMAT[expected]
    return f"内容不是 {name}（实际是{actual}），网站不能把它当作图片发布。请用图片软件重新导出为 {name}。"


def _damaged(exc: Exception) -> str:
    return f"图片数据无法完整解码（{type(exc).__name__}），文件可能已损坏或没有传完整。请重新导出图片。"


def _describe(head: bytes) -> str:
    """What the first bytes of a file look like, for an editor (' HTML 文本', ' SVG 文档', ' PDF 文件' …), or the
    Pillow name of the image format whose signature they start with."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<meta")) or b"<html" in text:
        return " HTML 文本"
    if b"<svg" in text:
        return " SVG 文档（可以包含脚本）"
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        return " XML 或网页文本"
    if head.startswith(b"%PDF"):
        return " PDF 文件"
    if head.startswith(b"PK\x03\x04"):
        return " ZIP 压缩包或 Office 文档"
    for magic, name in ((b"\xff\xd8\xff", "JPEG"), (b"\x89PNG", "PNG"), (b"GIF8", "GIF"), (b"RIFF", "WEBP")):
        if head.startswith(magic):
            return name  # the signature of an image format: damaged, or of another format than the suffix's
    if not head:
        return "空文件"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not merely a character cut at the end of what was read
            return "无法识别的数据"
    return "纯文本"
