"""load: UTF-8 YAML with a line for every key, and none of YAML 1.1's surprises."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from heritage.stages import load
from heritage.stages.load import MAX_DEPTH, MAX_FILE_BYTES, LoadError, load_entry, parse_yaml


def write(tmp_path: Path, text: str | bytes, name: str = "sites/x.yml") -> tuple[Path, Path]:
    root = tmp_path / "content"
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path, root


def test_keeps_the_line_of_every_key_and_item():
    data, lines = parse_yaml("a: 1\nb:\n  c: x\n  d:\n    - p\n    - q: 2\n", "f.yml")
    assert data == {"a": 1, "b": {"c": "x", "d": ["p", {"q": 2}]}}
    assert lines[("a",)] == 1
    assert lines[("b", "c")] == 3
    assert lines[("b", "d", 1)] == 6
    assert lines[("b", "d", 1, "q")] == 6


@pytest.mark.parametrize(
    "text, expected",
    [
        ("v: no", "no"),  # YAML 1.1 would say False
        ("v: on", "on"),
        ("v: 00:42:10", "00:42:10"),  # YAML 1.1 would say 2530 (base 60)
        ("v: 2026-11-26", "2026-11-26"),  # stays a string; the schema parses dates
        ("v: 1943", 1943),
        ("v: 22.5", 22.5),
        ("v: true", True),
        ("v: ~", None),
        ("v: 0o17", "0o17"),
        ("v: 08", 8),  # decimal: YAML 1.1 read 010 as octal 8, and 08 crashed the build
        ("v: 010", 10),
        ("v: '010'", "010"),  # quoted: always text
        ("v: -7", -7),
        ("v: 1.5e3", 1500.0),
        ("v: 1e3", "1e3"),  # a float needs its decimal point
        ("v: 'true'", "true"),
        ("v: NULL", None),
        ("v:", None),
    ],
)
def test_only_plain_values_get_types(text, expected):
    data, _ = parse_yaml(text, "f.yml")
    assert data["v"] == expected and type(data["v"]) is type(expected)


def test_duplicate_key_names_both_lines():
    with pytest.raises(LoadError) as info:
        parse_yaml("name: a\nkind: b\nname: c\n", "content/sites/x.yml")
    problem = info.value.problem
    assert (problem.line, problem.field) == (3, "name")
    assert "第 1 行" in problem.message


def test_nested_duplicate_key():
    with pytest.raises(LoadError) as info:
        parse_yaml("location:\n  lat: 1\n  lat: 2\n", "f.yml")
    assert (info.value.problem.line, info.value.problem.field) == (3, "location.lat")


def test_gbk_file_is_named_with_its_line(tmp_path):
    path, root = write(tmp_path, "status: draft\nname: 土洋\n".encode("gbk"))
    with pytest.raises(LoadError) as info:
        load_entry(path, root)
    assert info.value.problem.line == 2
    assert "GBK" in info.value.problem.message and "UTF-8" in info.value.problem.message


def test_utf8_bom_is_accepted(tmp_path):
    path, root = write(tmp_path, b"\xef\xbb\xbf" + "name: 土洋\n".encode())
    assert load_entry(path, root).data == {"name": "土洋"}


@pytest.mark.parametrize("text", ["", "\n\n", "# 只有注释\n"])
def test_empty_file_is_an_error(tmp_path, text):
    path, root = write(tmp_path, text)
    with pytest.raises(LoadError) as info:
        load_entry(path, root)
    assert "空" in info.value.problem.message


def test_top_level_list_is_an_error(tmp_path):
    path, root = write(tmp_path, "- a\n- b\n")
    with pytest.raises(LoadError) as info:
        load_entry(path, root)
    assert "映射" in info.value.problem.message


def test_syntax_error_has_line_and_chinese_reason():
    with pytest.raises(LoadError) as info:
        parse_yaml("name: 土洋\nsummary: 注意: 冒号\n", "f.yml")
    assert info.value.problem.line == 2
    assert "冒号" in info.value.problem.message


def test_tab_indentation_is_explained():
    with pytest.raises(LoadError) as info:
        parse_yaml("a:\n\tb: 1\n", "f.yml")
    assert "Tab" in info.value.problem.message


def test_display_path_and_id(tmp_path):
    path, root = write(tmp_path, "name: x\n", "sites/tuyang-hq.yml")
    raw = load_entry(path, root)
    assert (raw.display_path, raw.collection, raw.id) == ("content/sites/tuyang-hq.yml", "sites", "tuyang-hq")


def test_missing_field_is_reported_at_its_parent(tmp_path):
    path, root = write(tmp_path, "a: 1\nlocation:\n  lat: 1\n")
    raw = load_entry(path, root)
    assert raw.line_of(("location", "lng")) == 2
    assert raw.line_of(("nothing",)) == 1


def test_control_character_is_located():
    with pytest.raises(LoadError) as info:
        parse_yaml("a: 1\nb: x\x00y\n", "f.yml")
    assert info.value.problem.line == 2 and "U+0000" in info.value.problem.message


def test_keys_must_be_words():
    with pytest.raises(LoadError) as info:
        parse_yaml("a: 1\n1: x\n", "f.yml")
    assert info.value.problem.line == 2


def test_second_document_is_an_error():
    with pytest.raises(LoadError) as info:
        parse_yaml("a: 1\n---\nb: 2\n", "f.yml")
    assert "一个文件只能写一个条目" in info.value.problem.message


def test_alias_pointing_at_itself_is_an_error_not_a_crash():
    with pytest.raises(LoadError) as info:
        parse_yaml("name: x\naliases: &a [*a]\n", "f.yml")
    assert info.value.problem.line == 2 and "锚点" in info.value.problem.message


@pytest.mark.parametrize("brackets", [20, 3000, 100_000])
def test_absurd_nesting_is_an_error_not_a_crash(brackets):
    with pytest.raises(LoadError) as info:
        parse_yaml("a: " + "[" * brackets + "]" * brackets + "\n", "f.yml")
    assert info.value.problem.line == 1 and "嵌套过深" in info.value.problem.message


def test_unclosed_quote_points_at_where_it_opened():
    with pytest.raises(LoadError) as info:
        parse_yaml("status: draft\nname: '袁庚故居\nkind: former-residence\nstreet: 大鹏街道\n", "f.yml")
    assert info.value.problem.line == 2


# What entries never need is refused where it is written, with the libyaml parser and with PyYAML's own.


@pytest.fixture(params=["libyaml", "pure-python"])
def parser(request, monkeypatch):
    if request.param == "pure-python":
        monkeypatch.setattr(load, "_Parser", load._PurePythonParser)
    return request.param


def refused(text: str) -> tuple[int | None, str, str]:
    with pytest.raises(LoadError) as info:
        parse_yaml(text, "content/sites/x.yml")
    problem = info.value.problem
    return problem.line, problem.field, problem.message


def test_the_fallback_parser_reads_the_same_data(parser):
    text = "name: 土洋\nbody: |\n  第一段\nlocation: {lat: 22.5, lng: 114.4}\ntags:\n  - a\n  - 'b'\nyear: 1943\nok: true\nnote: ~\n"
    blocks: set = set()
    data, lines = parse_yaml(text, "f.yml", blocks)
    assert data == {
        "name": "土洋",
        "body": "第一段\n",
        "location": {"lat": 22.5, "lng": 114.4},
        "tags": ["a", "b"],
        "year": 1943,
        "ok": True,
        "note": None,
    }
    assert (lines[("location", "lng")], lines[("tags", 1)], lines[("note",)]) == (4, 7, 10)
    assert blocks == {("body",)}


def test_anchor_is_refused_where_it_is_written(parser):
    line, field, message = refused("name: x\nlocation: &here\n  lat: 22.5\n")
    assert (line, field) == (2, "location")
    assert "不支持 YAML 锚点（&）和别名（*）" in message and "直接写出来" in message


@pytest.mark.parametrize(
    "text, line, field",
    [
        ("name: x\ntags:\n  - a\n  - *a\n", 4, "tags[1]"),  # an alias to nothing: refused all the same
        ("name: x\nsummary: *a\n", 2, "summary"),
        ("name: x\n*a : 1\n", 2, ""),  # an alias as a key
        ("*a\n", 1, ""),
    ],
)
def test_alias_is_refused(parser, text, line, field):
    assert refused(text)[:2] == (line, field)
    assert "别名（*）" in refused(text)[2]


def test_billion_laughs_is_refused_at_the_first_anchor_at_once(parser):
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n" for previous, name in zip("abcdefghi", "bcdefghij", strict=True)
    )
    start = time.perf_counter()
    line, field, message = refused(text)
    assert time.perf_counter() - start < 1  # expanded, this is 9**10 strings: it ran until the machine gave up
    assert (line, field) == (1, "a") and "锚点" in message


def test_merge_key_is_refused(parser):
    line, field, message = refused("name: x\nlocation:\n  <<: {lat: 22.5, lng: 114.4}\n")
    assert (line, field) == (3, "location.<<")
    assert message == "不支持合并键 `<<`：请把每个字段直接写出来。"


def test_merge_key_of_an_anchor_is_refused_at_the_anchor(parser):
    line, field, message = refused("base: &base\n  lat: 22.5\nlocation:\n  <<: *base\n")
    assert (line, field) == (1, "base") and "锚点" in message


@pytest.mark.parametrize(
    "text, line, field, written",
    [
        ("name: x\nyear: !!str 1943\n", 2, "year", "!!str"),
        ("name: x\nrun: !!python/object/apply:os.system ['echo pwned']\n", 2, "run", "!!python/object/apply:os.system"),
        ("name: x\nrun: !!python/name:os.system\n", 2, "run", "!!python/name:os.system"),
        ("name: x\nphoto: !!binary aGVsbG8=\n", 2, "photo", "!!binary"),
        ("name: x\ntags: !!set {a, b}\n", 2, "tags", "!!set"),
        ("name: x\ntags:\n  - a\n  - !local b\n", 4, "tags[1]", "!local"),
        ("name: x\nyear: ! 1943\n", 2, "year", "!"),  # the non-specific tag
        ("name: x\nyear: !<tag:yaml.org,2002:str> 1943\n", 2, "year", "!!str"),  # verbatim
        ("name: x\nyear: !<tag:example.com,2000:year> 1943\n", 2, "year", "!<tag:example.com,2000:year>"),
        ("%TAG !e! tag:example.com,2000:\n---\nname: !e!x y\n", 3, "name", "!<tag:example.com,2000:x>"),
        ("name: x\n!!str year: 1943\n", 2, "", "!!str"),  # on a key
        ("!!map\nname: x\n", 1, "", "!!map"),  # on the whole entry
    ],
)
def test_every_kind_of_tag_is_refused(parser, text, line, field, written):
    assert refused(text) == (line, field, f"不支持 YAML 标签（{written}）：请删除它，直接写值（需要文字时加引号）。")


def test_nesting_deeper_than_the_limit_is_located(parser):
    def nested(depth: int) -> str:
        return "".join("  " * level + f"k{level}:\n" for level in range(depth)) + "  " * depth + "v\n"

    assert parse_yaml(nested(MAX_DEPTH), "f.yml")[1][tuple(f"k{level}" for level in range(MAX_DEPTH))] == MAX_DEPTH
    line, field, message = refused(nested(MAX_DEPTH + 1))
    assert line == MAX_DEPTH + 2  # the value under the 13th key
    assert field == ".".join(f"k{level}" for level in range(MAX_DEPTH + 1))
    assert message.startswith(f"结构嵌套过深（超过 {MAX_DEPTH} 层）")


def test_huge_integer_is_located_not_a_traceback(parser):
    parse_yaml("n: -" + "9" * 4300 + "\n", "f.yml")  # Python's own limit: still a number
    line, field, message = refused("name: x\nsources:\n  - n: " + "9" * 5000 + "\n")
    assert (line, field) == (3, "sources[0].n")
    assert "数字太长（5000 位）" in message and "引号" in message
    assert parse_yaml("n: '" + "9" * 5000 + "'\n", "f.yml")[0]["n"] == "9" * 5000  # quoted: text


@pytest.mark.parametrize(
    "text, line, field",
    [
        ("name: x\nlocation:\n  [a, b]: 1\n", 3, "location"),
        ("name: x\n? {a: 1}\n: 2\n", 2, ""),
    ],
)
def test_collection_as_a_key_is_refused(parser, text, line, field):
    assert refused(text) == (line, field, "字段名必须是简单的文字。")


@pytest.mark.parametrize(
    "text, line, field, key",
    [
        ("name: x\nlocation:\n  1: x\n", 3, "location", "1"),
        ("true: x\n", 1, "", "True"),
        ("name: x\nnull: x\n", 2, "", "None"),
        ("name: x\n~: x\n", 2, "", "None"),
        ("name: x\n1.5: x\n", 2, "", "1.5"),
    ],
)
def test_key_that_is_not_text_is_refused(parser, text, line, field, key):
    assert refused(text) == (line, field, f"字段名必须是英文单词，不能是 {key}。")


def test_quoted_keys_are_text(parser):
    assert parse_yaml("'1': a\n'true': b\n'<<': c\n", "f.yml")[0] == {"1": "a", "true": "b", "<<": "c"}


def test_a_syntax_error_later_in_the_file_is_still_reported_first():
    line, field, message = refused("name: x\nsummary: *a\nbody: 注意: 冒号\n")
    assert (line, field) == (3, "") and "冒号" in message


def test_a_second_document_is_still_reported_first():
    line, _, message = refused("name: x\nname: y\n---\nb: 2\n")
    assert line == 3 and "一个文件只能写一个条目" in message


def test_file_bigger_than_the_limit_is_refused_before_reading_it(tmp_path):
    path, root = write(tmp_path, "name: x\nbody: |\n" + "  长文\n" * (MAX_FILE_BYTES // 9))
    with pytest.raises(LoadError) as info:
        load_entry(path, root)
    problem = info.value.problem
    assert (problem.path, problem.line, problem.field) == ("content/sites/x.yml", 1, "")
    assert problem.message.startswith("文件过大（") and f"上限为 {MAX_FILE_BYTES // 1024} KiB" in problem.message


def test_file_at_the_limit_is_read(tmp_path):
    head = b"name: x\nbody: |\n  "
    path, root = write(tmp_path, head + b"x" * (MAX_FILE_BYTES - len(head) - 1) + b"\n")
    assert path.stat().st_size == MAX_FILE_BYTES
    assert len(load_entry(path, root).data["body"]) == MAX_FILE_BYTES - len(head)


# Characters no entry needs: C0 controls but tab and newline, DEL, C1 controls, bidi controls; raw or escaped.

_BODY = "name: 测试\nbody: |\n  第一段\n  第二段{}结束\ntags:\n  - a\n"


@pytest.mark.parametrize(
    "text, line, field, shown",
    [
        ("name: 陈\u202e某\n", 1, "name", "U+202E"),  # raw bidi override: YAML's reader accepts it
        ('name: ok\naliases:\n  - "陈\\u202E某"\n', 3, "aliases[0]", "U+202E（从右到左覆盖 RLO，写成了转义 “\\u202E”）"),
        ('name: "x\\u2066y"\n', 1, "name", "U+2066"),
        ("name: x\u200fy\n", 1, "name", "U+200F"),
        ("name: x\u061cy\n", 1, "name", "U+061C"),
        ('summary: "a\\u0001b"\n', 1, "summary", "U+0001（写成了转义 “\\u0001”）"),
        ('summary: "a\\x1b[31mb"\n', 1, "summary", "U+001B（ESC 转义符，终端用它改变颜色和光标，写成了转义 “\\x1b”）"),
        ('summary: "a\\eb"\n', 1, "summary", "写成了转义 “\\e”"),
        ('summary: "a\\0b"\n', 1, "summary", "U+0000"),
        ('summary: "a\\U0000007Fb"\n', 1, "summary", "U+007F"),
        ('summary: "a\\x85b"\n', 1, "summary", "U+0085"),
        ('summary: "a\\rb"\n', 1, "summary", "U+000D（CR 回车符，写成了转义 “\\r”）"),
        ('summary: "a\\u009bb"\n', 1, "summary", "U+009B"),
        # raw C0, DEL and C1: refused by YAML's reader before any field is known, now named with their field
        ("name: x\x00y\n", 1, "name", "U+0000（NUL 空字符）"),
        ("name: ok\nsources:\n  - id: a\n    title: 标\x1b题\n", 4, "sources[0].title", "U+001B"),
        (_BODY.format("\x7f"), 4, "body", "U+007F"),
        (_BODY.format("\x9b"), 4, "body", "U+009B"),
        (_BODY.format("\x0c"), 4, "body", "U+000C"),
        # keys
        ('name: ok\n"na\\u202eme": x\n', 2, "na\\u202eme", "字段名中"),
        ("name: ok\nna\x01me: x\n", 2, "na\\u0001me", "字段名中"),
    ],
)
def test_control_and_bidi_characters_are_refused_raw_or_escaped(parser, text, line, field, shown):
    got_line, got_field, message = refused(text)
    assert (got_line, got_field) == (line, field)
    assert shown in message and "请删除它" in message


def test_a_raw_control_character_outside_any_value_is_still_refused(parser):
    assert refused("name: ok\n# 注释\x01\n")[:2] == (2, "")


@pytest.mark.parametrize(
    "text",
    [
        "name: 土洋\r\nbody: |\r\n  第一段\r\n  第二段\r\n",  # Windows line ends
        "name: '土洋\tA'\nbody: \"a\\tb\\nc\"\n",  # tab and newline, raw and escaped
        'name: "\\\\u202e is written, not the character"\n',  # an escaped backslash: plain text
    ],
)
def test_tab_newline_and_ordinary_text_pass(parser, text):
    parse_yaml(text, "f.yml")


def test_a_control_character_in_a_real_entry_names_its_field(tmp_path):
    path, root = write(tmp_path, 'status: draft\nname: "袁庚\\u202e故居"\n')
    with pytest.raises(LoadError) as info:
        load_entry(path, root)
    assert info.value.problem.format().startswith("content/sites/x.yml:2 name: 这段文字中有看不见的双向控制字符 U+202E")
