"""Fuzzing load and validate: whatever an editor (or an attacker) writes, the outcome is a valid entry or located
messages — never a traceback, never a hang, never a blow-up in memory.

Two sources of input: random YAML-ish text, and random mutations of the real shipped entries (a line deleted,
duplicated or swapped, characters and YAML-surprise tokens inserted). Each example runs the whole ``check`` on a
content folder holding the file, within a time and memory bound.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import time
import tracemalloc
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from heritage import check
from heritage.core.problems import Problem

TODAY = dt.date(2026, 11, 26)
SHIPPED = sorted((ROOT / "content").glob("*/*.yml"))
TIME_LIMIT_S = 30.0  # a hang, not a speed target (speed: make bench)
MEMORY_LIMIT_MB = 64

# Fragments that exercise YAML's corners and our own rules.
TOKENS = [
    "&a ",
    "*a",
    "!!python/object/apply:os.system ['id']",
    "!!binary aGVsbG8=",
    "!foo ",
    "<<: *a",
    "? ",
    "~",
    "yes",
    "no",
    "0x1F",
    "0o17",
    ".inf",
    "-.nan",
    "1e999",
    "9" * 5000,
    "true",
    "null",
    '"',
    "'",
    "\t",
    "{",
    "}",
    "[",
    "]",
    "- ",
    ": ",
    "|",
    ">",
    "#",
    "---",
    "...",
    "%YAML 1.1",
    "\x00",
    "\ufeff",
    "\u202e",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "{: onclick=alert(1) }",
    "{{ 7*7 }}",
    "../../etc/passwd",
    "/etc/passwd",
    "東江縱隊",
    "2026-02-30",
    "00:99:00",
    "-1",
    "1.5",
    "[1, 2]",
    "{a: 1}",
    "\n  ",
    "\n- x",
    "\r\n",
]


def _run(tmp_path: Path, collection: str, text: str | bytes) -> list[Problem]:
    content = tmp_path / "content"
    shutil.rmtree(content, ignore_errors=True)
    (content / collection).mkdir(parents=True)
    path = content / collection / "fuzzed.yml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    tracemalloc.start()
    started = time.perf_counter()
    try:
        problems = check(content, today=TODAY)
    finally:
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < TIME_LIMIT_S, f"check took {elapsed:.1f} s"
    assert peak < MEMORY_LIMIT_MB * 1024 * 1024, f"check used {peak / 1024**2:.0f} MB"
    for problem in problems:
        assert isinstance(problem, Problem) and problem.path.startswith("content/") and problem.message
        assert problem.line is None or problem.line >= 1
        problem.format()  # every problem can be printed
    sorted(problems)  # and sorted, with or without a line
    return problems


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FUZZ
@given(text=st.text(alphabet=st.sampled_from(list("abcxyz:-[]{}&*!|>'\"#\n \t0123456789.~<>%@`") + ["\u4e2d", "\u6587"]), max_size=400))
def test_random_yaml_text(tmp_path_factory, text):
    _run(tmp_path_factory.mktemp("fuzz"), "sites", text)


@FUZZ
@given(data=st.data())
def test_mutated_real_entries(tmp_path_factory, data):
    source = data.draw(st.sampled_from(SHIPPED), label="entry")
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        if not lines:
            break
        index = data.draw(st.integers(0, len(lines) - 1), label="line")
        action = data.draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "replace-value"]), label="action")
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "swap" and index + 1 < len(lines):
            lines[index], lines[index + 1] = lines[index + 1], lines[index]
        elif action == "insert":
            line = lines[index]
            at = data.draw(st.integers(0, len(line)), label="column")
            lines[index] = line[:at] + data.draw(st.sampled_from(TOKENS), label="token") + line[at:]
        elif action == "replace-value" and ":" in lines[index]:
            key = lines[index].split(":", 1)[0]
            lines[index] = f"{key}: {data.draw(st.sampled_from(TOKENS), label='value')}\n"
    _run(tmp_path_factory.mktemp("fuzz"), source.parent.name, "".join(lines))


@FUZZ
@given(raw=st.binary(max_size=300))
def test_random_bytes(tmp_path_factory, raw):
    _run(tmp_path_factory.mktemp("fuzz"), "oral-history", raw)


def test_shipped_entries_survive_the_harness(tmp_path):
    """The harness itself: an unmodified shipped entry, alone in its folder, only misses the entries and the sources
    (content/sources/) it cites."""
    source = ROOT / "content" / "sites" / "tuyang-red-village.yml"
    problems = _run(tmp_path, "sites", source.read_text(encoding="utf-8"))
    errors = [p for p in problems if p.severity.value == "error"]
    assert errors and all(p.field.startswith(("related.", "sources[")) and "找不到" in p.message for p in errors)
    assert any(p.field.startswith("sources[") and "content/sources/" in p.message for p in errors)


# Every forbidden character (load.FORBIDDEN_CHARACTERS), raw where YAML's reader keeps it a character (CR and NEL are
# line breaks when raw), and written as an escape in a double-quoted value.
_FORBIDDEN = [chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F]]
_FORBIDDEN += [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]
_PLAIN_VALUE = re.compile(r"^(\s*(?:- )?[a-z_]+: )([^\s\"'|>\[{&*!#][^\n]*)$")


@FUZZ
@given(data=st.data())
def test_a_control_or_bidi_character_anywhere_in_a_value_is_refused_on_its_line(tmp_path_factory, data):
    source = data.draw(st.sampled_from(SHIPPED), label="entry")
    lines = source.read_text(encoding="utf-8").split("\n")
    candidates = [index for index, line in enumerate(lines) if _PLAIN_VALUE.match(line)]
    index = data.draw(st.sampled_from(candidates), label="line")
    key, value = _PLAIN_VALUE.match(lines[index]).groups()
    character = data.draw(st.sampled_from(_FORBIDDEN), label="character")
    at = data.draw(st.integers(0, len(value)), label="column")
    mutated = value[:at] + character + value[at:]
    raw = character not in "\r\x85" and data.draw(st.booleans(), label="raw")
    lines[index] = key + (mutated if raw else json.dumps(mutated))  # JSON's escapes are YAML's: \u001b, \u202e …
    problems = _run(tmp_path_factory.mktemp("fuzz"), source.parent.name, "\n".join(lines))
    errors = [p for p in problems if p.severity.value == "error"]
    assert [(p.line, f"U+{ord(character):04X}" in p.message) for p in errors] == [(index + 1, True)], errors
