"""Images: judged by decoding them, not by their suffix, and published without metadata (images.py).

Every fixture is made here with Pillow; nothing binary is committed. The post-build step is tested on a folder and
once through the real ``build`` command, on a project whose docs/ holds our images.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat, PngImagePlugin

from conftest import FIXTURE_CONTENT, ROOT
from conftest import edit_entry as edit
from heritage import check
from heritage.core.problems import Severity
from heritage.outputs.images import MAX_PIXELS, ImageRefused, check_image, strip_file, strip_site

HTML = "<!DOCTYPE html><html><body><script>alert(document.domain)</script></body></html>\n"
IMAGE = "images:\n  - src: {src}\n    alt: 纪念亭正面\n    credit: 测试\n    license: 测试许可\nupdated:"
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo(width: int = 40, height: int = 20) -> Image.Image:
    """A red picture with a blue square in its top-left corner: its orientation can be read from the pixels."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((20, 40, 230), (0, 0, 10, 10))
    return image


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "TestPhone Maker"  # Make
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (22.0, 35.0, 12.5), 3: "E", 4: (114.0, 30.0, 1.25)})
    return exif


def png_bomb(width: int, height: int) -> bytes:
    """A valid PNG header announcing ``width``×``height`` pixels, with almost no data behind it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 4096)) + chunk(b"IEND", b"")


@pytest.fixture
def project(content: Path) -> Path:
    """content/ and docs/images/ side by side, as in the repository."""
    (content.parent / "docs" / "images").mkdir(parents=True)
    return content


# --- at check time: every referenced image is decoded -------------------------------------------------------------


def test_html_saved_as_png_and_referenced_by_an_entry_is_refused_at_check_with_file_and_line(project):
    (project.parent / "docs" / "images" / "pavilion.png").write_text(HTML, encoding="utf-8")
    edit(project, "sites/gamma-memorial.yml", "updated:", IMAGE.format(src="images/pavilion.png"))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "build_hooks")}
    result = subprocess.run([sys.executable, "-m", "heritage", "--content", str(project), "check"], env=env, capture_output=True, text=True)
    assert result.returncode == 1
    line = _line_of(project / "sites" / "gamma-memorial.yml", "  - src: images/pavilion.png")
    assert (
        f"content/sites/gamma-memorial.yml:{line} images[0].src: docs/images/pavilion.png 的内容不是 PNG（实际是 HTML 文本）"
        in result.stderr
    ), result.stderr
    assert "请用图片软件重新导出为 PNG" in result.stderr


def test_an_image_of_another_format_than_its_suffix_is_refused_naming_both(project):
    Image.new("RGB", (4, 4)).save(project.parent / "docs" / "images" / "pavilion.jpg", format="PNG")
    edit(project, "sites/gamma-memorial.yml", "updated:", IMAGE.format(src="images/pavilion.jpg"))
    [error] = [p for p in check(project) if p.severity is Severity.ERROR]
    assert error.field == "images[0].src" and error.line is not None
    assert error.message.startswith("docs/images/pavilion.jpg 的内容不是 JPEG（实际是 PNG 图片）")
    assert "后缀改为 .png" in error.message


def _jpeg_head() -> bytes:
    buffer = io.BytesIO()
    photo().save(buffer, format="JPEG")
    return buffer.getvalue()[:30]


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        ("svg.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "内容不是 PNG（实际是 SVG 文档"),
        ("empty.gif", b"", "内容不是 GIF（实际是空文件）"),
        ("text.webp", "只是一段文字".encode(), "内容不是 WebP（实际是纯文本）"),
        ("pdf.jpg", b"%PDF-1.7\n", "内容不是 JPEG（实际是 PDF 文件）"),
        ("cut.png", _jpeg_head(), "内容不是 PNG（实际是损坏的 JPEG 数据）"),
        ("cut.jpg", _jpeg_head(), "图片数据无法完整解码"),
    ],
)
def test_what_is_not_the_image_its_suffix_names_is_described_in_the_message(tmp_path, name, data, said):
    (tmp_path / name).write_bytes(data)
    assert check_image(tmp_path / name).startswith(said)


def test_a_real_image_passes_and_an_oversized_one_is_still_only_a_warning(project):
    images = project.parent / "docs" / "images"
    photo().save(images / "pavilion.jpg", quality=80)
    noise = random.Random(0).randbytes(600 * 600)  # noise does not compress: a real JPEG over the 300 KB budget
    Image.frombytes("L", (600, 600), noise).save(images / "big.jpg", quality=95)
    edit(project, "sites/gamma-memorial.yml", "updated:", IMAGE.format(src="images/pavilion.jpg"))
    assert [p for p in check(project) if p.severity is not Severity.NOTICE] == []
    edit(project, "sites/gamma-memorial.yml", "images/pavilion.jpg", "images/big.jpg")
    [warning] = [p for p in check(project) if p.severity is not Severity.NOTICE]
    assert warning.severity is Severity.WARNING and "超过 300 KB 的上限" in warning.message


def test_a_damaged_image_is_refused(tmp_path):
    buffer = io.BytesIO()
    photo(400, 400).save(buffer, format="PNG")
    data = bytearray(buffer.getvalue())
    data[len(data) // 2] ^= 0xFF  # one byte of the compressed pixels
    (tmp_path / "broken.png").write_bytes(bytes(data))
    assert "无法完整解码" in check_image(tmp_path / "broken.png")


def test_a_decompression_bomb_is_refused_from_its_header_quickly(tmp_path):
    for name, (width, height) in {"huge.png": (100_000, 100_000), "over-limit.png": (6_000, 6_000)}.items():
        path = tmp_path / name
        path.write_bytes(png_bomb(width, height))
        assert width * height > MAX_PIXELS
        started = time.perf_counter()
        reason = check_image(path)
        with pytest.raises(ImageRefused, match="万像素的上限"):
            strip_file(path)
        assert time.perf_counter() - started < 1.0  # nothing was expanded
        assert "万像素的上限" in reason and "请缩小后重新导出" in reason
    assert "6000×6000" in check_image(tmp_path / "over-limit.png")


# --- after the build: every raster file rewritten from its pixels ----------------------------------------------------


def test_jpeg_loses_every_exif_tag_and_its_gps_position_but_keeps_pixels_and_orientation(tmp_path):
    path = tmp_path / "photo.jpg"
    photo().save(path, exif=exif_with_gps(orientation=6), comment=b"taken at home", quality=95)
    with Image.open(path) as before:
        assert before.getexif().get_ifd(GPS_IFD) and "comment" in before.info  # the fixture does carry them
        upright = before.transpose(Image.Transpose.ROTATE_270).convert("RGB")  # orientation 6: turn 90° clockwise
    assert strip_site(tmp_path) == 1
    data = path.read_bytes()
    with Image.open(path) as after:
        assert after.format == "JPEG"
        assert not after.getexif() and not after.getexif().get_ifd(GPS_IFD)
        assert not {"exif", "xmp", "comment"} & set(after.info)
        assert after.size == (20, 40)
        _assert_close(after.convert("RGB"), upright)
        assert _close_pixel(after.getpixel((15, 2)), (20, 40, 230))  # the blue corner is now top right
    assert b"Exif" not in data and b"TestPhone" not in data and b"taken at home" not in data


def test_png_loses_its_text_chunks_and_exif_but_keeps_pixels_and_transparency(tmp_path):
    path = tmp_path / "plan.png"
    image = photo().convert("RGBA")
    image.putpixel((39, 19), (0, 0, 0, 0))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "张三")
    info.add_text("Comment", "家庭住址", zip=True)
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS 22.58</x:xmpmeta>")
    image.save(path, pnginfo=info, exif=exif_with_gps())
    with Image.open(path) as before:
        assert before.text and before.getexif()
    strip_site(tmp_path)
    with Image.open(path) as after:
        after.load()
        assert after.text == {} and not after.getexif()
        assert after.mode == image.mode and after.tobytes() == image.tobytes()
    assert b"tEXt" not in path.read_bytes() and b"eXIf" not in path.read_bytes()


def test_whatever_follows_the_image_data_is_dropped(tmp_path):
    """A polyglot (a picture that is also an HTML page) stops being one."""
    path = tmp_path / "poly.jpg"
    photo().save(path)
    path.write_bytes(path.read_bytes() + HTML.encode())
    strip_site(tmp_path)
    assert b"<script>" not in path.read_bytes()


def test_animations_keep_their_frames_and_timing(tmp_path):
    frames = [Image.new("RGB", (12, 12), (60 * i, 20, 200 - 60 * i)) for i in range(3)]
    frames[0].save(tmp_path / "a.gif", save_all=True, append_images=frames[1:], duration=[100, 200, 300], loop=0, comment=b"by me")
    frames[0].save(tmp_path / "a.webp", save_all=True, append_images=frames[1:], duration=[100, 200, 300], loop=2, exif=exif_with_gps())
    assert strip_site(tmp_path) == 2
    for name in ("a.gif", "a.webp"):
        with Image.open(tmp_path / name) as after:
            assert after.n_frames == 3 and not after.getexif() and "comment" not in after.info
            timing = []
            for index in range(3):
                after.seek(index)
                after.load()  # WebP frames know their duration once decoded
                timing.append(after.info["duration"])
                assert _close_pixel(after.convert("RGB").getpixel((5, 5)), frames[index].getpixel((5, 5)))
            assert timing == [100, 200, 300]


def test_the_step_refuses_every_file_that_is_not_what_its_suffix_says_naming_each(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "logo.png").write_text(HTML, encoding="utf-8")
    (tmp_path / "b.gif").write_bytes(png_bomb(6_000, 6_000))
    photo().save(tmp_path / "fine.jpg")
    with pytest.raises(ImageRefused) as refused:
        strip_site(tmp_path)
    first, second = str(refused.value).splitlines()
    assert first.startswith("assets/logo.png 的内容不是 PNG（实际是 HTML 文本）")
    assert second.startswith("b.gif 的内容不是 GIF（实际是 PNG 图片）")


def test_the_rewrite_keeps_the_file_mode_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "a.png"
    photo().save(path)
    path.chmod(0o640)
    strip_site(tmp_path)
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png"]


# --- the real build ----------------------------------------------------------------------------------------------


@pytest.mark.site
def test_the_build_publishes_images_without_metadata_and_stops_on_an_impostor(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "docs", project / "docs")
    (project / "docs" / "images").mkdir()
    photo().save(project / "docs" / "images" / "pavilion.jpg", exif=exif_with_gps(orientation=6), quality=90)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: docs", f"docs_dir: {project / 'docs'}").replace(
        "build_hooks/hooks.py", str(ROOT / "build_hooks" / "hooks.py")
    )
    config = config.replace("  - content\n  - build_hooks\n", f"  - {ROOT / 'build_hooks'}\n")
    config = config.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    content = project / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    edit(content, "sites/gamma-memorial.yml", "updated:", IMAGE.format(src="images/pavilion.jpg"))
    site = tmp_path / "site"
    build = [sys.executable, "-m", "heritage", "--content", str(content), "build", "--site-dir", str(site)]
    build += ["--config", str(project / "mkdocs.yml")]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "build_hooks"), "NO_MKDOCS_2_WARNING": "1"}

    result = subprocess.run(build, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with Image.open(site / "images" / "pavilion.jpg") as published:
        assert not published.getexif() and published.size == (20, 40)
    for raster in (p for p in site.rglob("*") if p.suffix in (".png", ".jpg", ".gif", ".webp")):
        with Image.open(raster) as image:
            assert not image.getexif() and not getattr(image, "text", {}), raster

    # An HTML page saved as .png that no entry references is still never published: the build stops.
    (project / "docs" / "images" / "stray.png").write_text(HTML, encoding="utf-8")
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    result = subprocess.run(build, cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert "构建已停止" in result.stderr
    assert "\n  images/stray.png 的内容不是 PNG（实际是 HTML 文本）" in result.stderr, result.stderr
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]  # the staging folder is gone


def _line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def _close_pixel(a, b, tolerance: int = 24) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a[:3], b[:3], strict=True))


def _assert_close(a: Image.Image, b: Image.Image) -> None:
    """Same size, and on average within JPEG's rounding of the other (a second encoding blurs sharp edges a little)."""
    assert a.size == b.size
    mean = ImageStat.Stat(ImageChops.difference(a, b)).mean
    assert max(mean) < 6, mean
