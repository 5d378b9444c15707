"""Recordings as they are published: resolved inside ``content/media/`` and copied without any metadata.

A recording's tags (title, artist, comments, cover art …) are written by whatever tool made the file and may name a
narrator who asked not to be named, in any encoding. Searching the bytes for names cannot be complete, so every tag
is removed from the published copy instead, with mutagen, and the copy is read back to prove none is left. A format
we cannot strip is refused rather than published as it is.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

import mutagen
import mutagen.apev2
import mutagen.id3

# Formats whose metadata this module strips completely before publishing (WAV: see _strip_wav); the only formats a
# recording may have (collections/oral_history.py).
MEDIA_SUFFIXES = (".opus", ".ogg", ".oga", ".mp3", ".m4a", ".mp4", ".wav", ".flac")


class MediaError(Exception):
    """A recording that cannot be published safely; the message is for editors, in Chinese."""


def resolve_media(media_dir: Path, ref: str) -> Path:
    """The file ``ref`` names, which must be a regular file inside ``media_dir`` once every symlink is resolved:
    a link to a file elsewhere on the build machine would otherwise be published."""
    root = media_dir.resolve()
    candidate = media_dir / ref
    shown = f"{media_dir.parent.name}/{media_dir.name}"
    if "/" in ref or "\\" in ref or ref in ("", ".", ".."):
        raise MediaError(f"应为 {shown}/ 目录中的文件名，不能含路径。")
    if candidate.is_symlink() or not candidate.resolve().is_relative_to(root):
        raise MediaError(f"{shown}/{ref} 是指向其他位置的符号链接。录音文件必须直接保存在 {shown}/ 目录中。")
    if not candidate.is_file():
        raise MediaError(f"找不到文件 {shown}/{ref}。录音、录像文件请放在 {shown}/ 目录中。")
    return candidate


def stripped_copy(path: Path) -> bytes:
    """The file's bytes with every metadata tag removed. Raises ``MediaError`` if that cannot be done or proved."""
    data = path.read_bytes()
    if path.suffix.lower() not in MEDIA_SUFFIXES:
        raise MediaError(f"无法清除 {path.name} 的元数据（只支持 {'、'.join(MEDIA_SUFFIXES)}）。请转换格式后再发布。")
    if path.suffix.lower() == ".wav":
        return _strip_wav(data, path.name)
    buffer = io.BytesIO(data)
    try:
        audio = mutagen.File(buffer)
        if audio is None:
            raise MediaError(f"无法识别录音文件 {path.name} 的格式，不能确认其中没有元数据。")
        if audio.tags is not None:
            buffer.seek(0)
            audio.delete(buffer)
        for remove in (mutagen.id3.delete, mutagen.apev2.delete):  # tags of another kind appended to the file
            buffer.seek(0)
            try:
                remove(buffer)
            except Exception:
                pass
        out = buffer.getvalue()
        again = mutagen.File(io.BytesIO(out))
    except MediaError:
        raise
    except Exception as exc:
        raise MediaError(f"无法读取录音文件 {path.name}（{type(exc).__name__}），不能确认其中没有元数据。") from None
    if again is None or (again.tags is not None and len(again.tags) > 0):
        raise MediaError(f"录音文件 {path.name} 的元数据无法完全清除。请用音频软件去掉标题、艺术家等信息后再发布。")
    return out


def _strip_wav(data: bytes, name: str) -> bytes:
    """A RIFF/WAVE file rebuilt from its ``fmt `` and ``data`` chunks only (INFO lists, ID3 and bext chunks go)."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise MediaError(f"{name} 不是有效的 WAV 文件。")
    kept = []
    offset = 12
    while offset + 8 <= len(data):
        chunk_id, size = data[offset : offset + 4], struct.unpack("<I", data[offset + 4 : offset + 8])[0]
        body = data[offset + 8 : offset + 8 + size]
        if chunk_id in (b"fmt ", b"data"):
            kept.append(chunk_id + struct.pack("<I", len(body)) + body + (b"\0" if len(body) % 2 else b""))
        offset += 8 + size + (size % 2)
    if [k[:4] for k in kept] != [b"fmt ", b"data"]:
        raise MediaError(f"{name} 不是有效的 WAV 文件（缺少 fmt 或 data）。")
    payload = b"WAVE" + b"".join(kept)
    return b"RIFF" + struct.pack("<I", len(payload)) + payload
