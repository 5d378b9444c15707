"""Editorial rules: what makes an entry right for publication beyond its schema.

Style findings are warnings (shown, not blocking; ``check --strict`` makes them failures). A broken promise to the
reader is an error: an image that is missing, whose content is not the image its suffix names (decoded with
Pillow, images.py), or one that would load from another host (blocked or slow in mainland China). Each message
says how to fix it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from heritage.core.entry import FieldPath, RawEntry, dotted
from heritage.core.problems import Problem, Severity
from heritage.outputs.images import check_image, expected_format
from heritage.stages.load import LoadError, parse_yaml, read_text

IMAGE_BUDGET_BYTES = 300 * 1024  # a phone on a mobile network inside WeChat: keep each image small

# Fields whose text is not Chinese prose: identifiers, URLs, codes, dates, controlled values.
_NOT_PROSE = {
    "id",
    "url",
    "src",
    "source",
    "status",
    "kind",
    "street",
    "datum",
    "display",
    "release",
    "scope",
    "name_en",
    "number",
    "audio",
    "video",
    "license",
    "start",
    "end",
    "duration",
    "accessed",
    "published",
    "updated",
    "recorded",
    "date",
    "from",
    "to",
    "related",
    "embargo_until",
    "excerpts",  # a source's words, or the fact sheet's, copied as they stand: never "corrected"
}
# Fields copied as published, per collection: a source's original title keeps its punctuation and its words.
_AS_PUBLISHED = {"sources": {"title"}}
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_HAN = r"[\u3400-\u9fff]"
_HALF_WIDTH_IN_CHINESE = re.compile(rf"(?<={_HAN})[,;:?!()]|[,;:?!()](?={_HAN})")


class Term(BaseModel):
    """One line of the terminology list (content/terminology.yml)."""

    model_config = ConfigDict(extra="forbid", title="术语")

    avoid: str | None = Field(None, min_length=1, description="不建议使用的写法；不写则只登记同名（same），不提示")
    use: str = Field(min_length=1, description="推荐写法")
    same: list[str] = Field(
        default_factory=list,
        description="同一事物在资料中的其他写法或外文名称（如 East River Column）：来源核对时视为同一名称，不提示用词",
    )
    fields: list[str] = Field(default_factory=list, description="只检查这些字段（如 name、title）；不写则检查全部文字")
    allow: list[str] = Field(default_factory=list, description="允许保留的完整写法，如文物标志牌上的正式名称")
    note: str = Field("", description="说明")


@dataclass
class LintContext:
    today: dt.date
    docs_dir: Path | None = None
    terms: list[Term] = field(default_factory=list)


def load_terminology(path: Path, content_root: Path) -> tuple[list[Term], list[Problem]]:
    """Read the terminology list; its own mistakes are reported like an entry's."""
    if not path.is_file():
        return [], []
    try:
        raw = load_entry_list(path, content_root)
    except LoadError as exc:
        return [], [exc.problem]
    terms: list[Term] = []
    problems: list[Problem] = []
    from heritage.stages.validate import translate_error  # the same Chinese messages as for entries

    for index, item in enumerate(raw.data):
        try:
            terms.append(Term.model_validate(item))
        except ValidationError as exc:
            for error in exc.errors():
                problems.append(translate_error(raw, Term, {**error, "loc": (index, *error["loc"])}))
    return terms, problems


def load_entry_list(path: Path, content_root: Path) -> RawEntry:
    """Like ``load_entry`` but for a file whose top level is a list."""
    display_path = path.relative_to(content_root.parent).as_posix()
    data, lines = parse_yaml(read_text(path, display_path), display_path)
    if not isinstance(data, list):
        raise LoadError(Problem(display_path, 1, "", "术语表的顶层必须是列表，每一项以“- avoid:”开头。"))
    return RawEntry(path, display_path, "", path.stem, data, lines)


def lint_entry(raw: RawEntry, context: LintContext) -> list[Problem]:
    """Every rule works on the data as written, so it runs even for an entry the schema rejected.

    The rules that depend only on the entry, the terminology list and the date are kept on the RawEntry (a new
    object whenever its file changes) for the next build of a long-running preview; image files are checked anew.
    """
    key = (context.today, tuple((t.avoid, t.use, tuple(t.fields), tuple(t.allow), t.note) for t in context.terms))
    if raw.linted is None or raw.linted[0] != key:
        text_rules = [
            *_half_width_punctuation(raw),
            *_terminology(raw, context.terms),
            *_future_dates(raw, context.today),
            *_location_in_dapeng(raw),
        ]
        raw.linted = (key, text_rules)
    return [*raw.linted[1], *_images(raw, context.docs_dir)]


# A generous box around Dapeng New District (about 22.45–22.65°N, 114.40–114.62°E): a point outside it is far more
# likely a typo, swapped latitude/longitude or a GCJ-02 offset gone wrong than a site of ours.
DAPENG_BOX = {"lat": (22.40, 22.70), "lng": (114.30, 114.65)}


def _location_in_dapeng(raw: RawEntry) -> Iterator[Problem]:
    location = raw.data.get("location")
    if not isinstance(location, dict):
        return
    lat, lng = location.get("lat"), location.get("lng")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lat, lng)):
        return
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return  # the schema already reports an impossible coordinate
    (lat_low, lat_high), (lng_low, lng_high) = DAPENG_BOX["lat"], DAPENG_BOX["lng"]
    if not (lat_low <= lat <= lat_high and lng_low <= lng <= lng_high):
        yield _warning(
            raw,
            ("location",),
            raw.line_of(("location",)),
            f"坐标 {lat}, {lng} 不在大鹏新区范围内（约北纬 {lat_low}–{lat_high}、东经 {lng_low}–{lng_high}）。"
            "请核对来源，检查是否漏了数字、写反了纬度和经度，或误用了 GCJ-02 坐标。",
        )


def _prose(raw: RawEntry) -> Iterator[tuple[FieldPath, str]]:
    """Text values that are Chinese prose (not under an identifier, URL, code or date field)."""
    verbatim = _AS_PUBLISHED.get(raw.collection, set())
    for path, value in raw.nodes:
        if isinstance(value, str) and not any(part in _NOT_PROSE for part in path if isinstance(part, str)):
            if path and path[0] in verbatim:
                continue
            yield path, value


def _warning(raw: RawEntry, path: FieldPath, line: int | None, message: str) -> Problem:
    return Problem(raw.display_path, line, dotted(path), message, Severity.WARNING)


def _half_width_punctuation(raw: RawEntry) -> Iterator[Problem]:
    for path, text in _prose(raw):
        matches = [m for m in _HALF_WIDTH_IN_CHINESE.finditer(text) if not _is_markdown_syntax(text, m.start())]
        if not matches:
            continue
        first = matches[0]
        found = "".join(dict.fromkeys(m.group(0) for m in matches))
        fixes = "、".join(f"“{c}”→“{_HALF_TO_FULL[c]}”" for c in found)
        context = text[max(0, first.start() - 6) : first.end() + 6].replace("\n", " ")
        yield _warning(
            raw,
            path,
            raw.line_in_text(path, text, first.start()),
            f"中文里用了半角标点（共 {len(matches)} 处，第一处在“{context}”），请改为全角：{fixes}。",
        )


def _is_markdown_syntax(text: str, index: int) -> bool:
    """The parentheses of a Markdown link ``[文字](网址)`` are syntax, not punctuation."""
    if text[index] == "(":
        return index > 0 and text[index - 1] == "]"
    if text[index] == ")":
        line_start = text.rfind("\n", 0, index) + 1
        opening = text.rfind("](", line_start, index)
        return opening >= 0 and ")" not in text[opening + 2 : index]
    return False


def _terminology(raw: RawEntry, terms: list[Term]) -> Iterator[Problem]:
    for term in terms:
        if term.avoid is None:
            continue  # only names the same thing in other words (for the claim check)
        for path, text in _prose(raw):
            top = path[0] if path else ""
            if term.fields and top not in term.fields:
                continue
            if top == "aliases":  # aliases exist precisely to hold short or old forms for search
                continue
            index = _first_outside(text, term.avoid, [term.use, *term.allow])
            if index is None:
                continue
            note = f"{term.note}" if term.note else ""
            yield _warning(raw, path, raw.line_in_text(path, text, index), f"用词：建议把“{term.avoid}”改为“{term.use}”。{note}")


def _first_outside(text: str, avoid: str, accepted: list[str]) -> int | None:
    """First position of ``avoid`` that is not part of an accepted form (the preferred term, an allowed name)."""
    covered = {i for form in accepted for m in re.finditer(re.escape(form), text) for i in range(m.start(), m.end())}
    for match in re.finditer(re.escape(avoid), text):
        if match.start() not in covered:
            return match.start()
    return None


def _images(raw: RawEntry, docs_dir: Path | None) -> Iterator[Problem]:
    images = raw.data.get("images")
    for index, image in enumerate(images if isinstance(images, list) else []):
        src = image.get("src") if isinstance(image, dict) else None
        if not isinstance(src, str) or not src:
            continue  # the schema reports a missing or mistyped src
        path = ("images", index, "src")
        line = raw.line_of(path)
        if re.match(r"^(?:[a-z]+:)?//", src):
            yield Problem(
                raw.display_path,
                line,
                dotted(path),
                "图片必须保存在本站的 docs/ 目录中，不能引用外部网址（外部图片在境内可能打不开）。",
                Severity.ERROR,
            )
            continue
        if docs_dir is None:
            continue
        file = docs_dir / src
        if file.is_symlink() or not file.resolve().is_relative_to(docs_dir.resolve()):
            yield Problem(
                raw.display_path,
                line,
                dotted(path),
                f"docs/{src} 是符号链接或在 docs/ 目录以外。图片文件必须直接保存在 docs/ 目录中。",
                Severity.ERROR,
            )
        elif not file.is_file():
            yield Problem(
                raw.display_path,
                line,
                dotted(path),
                f"找不到图片文件 docs/{src}。请检查路径和大小写，并确认图片已添加到仓库。",
                Severity.ERROR,
            )
        elif expected_format(file) is not None and (refused := check_image(file)) is not None:  # else: the schema's error
            # Decoded, not judged by its suffix: an HTML page saved as .png would be published from our origin.
            yield Problem(raw.display_path, line, dotted(path), f"docs/{src} 的{refused}", Severity.ERROR)
        elif file.stat().st_size > IMAGE_BUDGET_BYTES:
            size = file.stat().st_size // 1024
            yield _warning(
                raw,
                path,
                line,
                f"图片 {size} KB，超过 {IMAGE_BUDGET_BYTES // 1024} KB 的上限：手机流量下加载慢。请压缩（如宽度 1600 像素以内、JPEG 质量 80）。",
            )


_DATE_FIELDS = ("updated", "accessed", "recorded", "date", "published", "from", "to", "born")  # not embargo_until


def _future_dates(raw: RawEntry, today: dt.date) -> Iterator[Problem]:
    dates = ((p, str(v)) for p, v in raw.nodes if p and p[-1] in _DATE_FIELDS and isinstance(v, (str, int)) and not isinstance(v, bool))
    for path, value in dates:
        # Compare as text: YYYY, YYYY-MM and YYYY-MM-DD all sort correctly against today's ISO date.
        if re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", value) and value > today.isoformat()[: len(value)]:
            yield _warning(raw, path, raw.line_of(path), f"日期 {value} 晚于今天（{today.isoformat()}），请检查是否写错。")
