"""load: UTF-8 YAML with a line for every key, and none of YAML 1.1's surprises."""

from __future__ import annotations

from pathlib import Path

import pytest

from heritage.load import LoadError, load_entry, parse_yaml


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


def test_absurd_nesting_is_an_error_not_a_crash():
    with pytest.raises(LoadError):
        parse_yaml("a: " + "[" * 3000 + "]" * 3000 + "\n", "f.yml")


def test_unclosed_quote_points_at_where_it_opened():
    with pytest.raises(LoadError) as info:
        parse_yaml("status: draft\nname: '袁庚故居\nkind: former-residence\nstreet: 大鹏街道\n", "f.yml")
    assert info.value.problem.line == 2
