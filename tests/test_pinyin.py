"""pinyin: names in pinyin for the A–Z index and for search, with the readings a dictionary gets wrong in names."""

from __future__ import annotations

import datetime as dt

import pytest
from pypinyin import Style, lazy_pinyin

from conftest import FIXTURE_CONTENT
from heritage import build
from heritage.text.pinyin import a_to_z, entry_pinyin, initial, name_pinyin, search_terms, sort_key

TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize(
    "name, person, tones",
    [
        ("曾生", True, "zēng shēng"),  # 曾 as a surname is Zēng, not céng
        ("曾振声", True, "zēng zhèn shēng"),
        ("曾测试", True, "zēng cè shì"),
        ("单立", True, "shàn lì"),
        ("刘黑仔", True, "liú hēi zǎi"),
        ("袁更", True, "yuán gēng"),
        ("沙鱼涌", False, "shā yú chōng"),  # 涌 in Cantonese place names is chōng
        ("沙魚湧", False, "shā yú chōng"),
        ("葵涌革命烈士纪念碑", False, "kuí chōng gé mìng liè shì jì niàn bēi"),
        ("冲虚观", False, "chōng xū guàn"),
        ("东纵军政干部学校旧址", False, "dōng zòng jūn zhèng gàn bù xué xiào jiù zhǐ"),
    ],
)
def test_readings_of_names(name, person, tones):
    assert name_pinyin(name, person).tones == tones


def test_the_overrides_are_needed():
    """What the dictionary alone says: the cases above would be wrong without the override lists."""
    assert lazy_pinyin("曾生", style=Style.TONE3)[0] == "ceng2"
    assert lazy_pinyin("沙鱼涌", style=Style.TONE3)[-1] == "yong3"
    assert lazy_pinyin("袁更", style=Style.TONE3)[-1] == "geng4"


def test_surname_reading_only_for_people_and_only_at_the_start():
    assert name_pinyin("曾生", person=False).spaced == "ceng sheng"  # in an event's title 曾 is not read as a surname
    assert name_pinyin("不曾", person=True).spaced == "bu ceng"


def test_forms_for_search():
    forms = name_pinyin("袁庚", person=True)
    assert (forms.tones, forms.spaced, forms.joined, forms.initials) == ("yuán gēng", "yuan geng", "yuangeng", "yg")
    latin = name_pinyin("Tsang Sang", person=True)
    assert (latin.spaced, latin.joined) == ("tsang sang", "tsangsang")
    assert name_pinyin("欧阳汝山", person=True).joined == "ouyangrushan"
    assert name_pinyin("吕某", person=True).joined == "lvmou"  # ü typed as v, as on every pinyin keyboard


def test_dictionary_order():
    names = ["张三", "曾生", "章四", "安", "Black Boy Lau", "白", "袁庚"]
    ordered = sorted(names, key=lambda n: sort_key(n, person=True))
    assert ordered == ["安", "白", "Black Boy Lau", "袁庚", "曾生", "张三", "章四"]
    assert [initial(n, person=True) for n in ordered] == ["A", "B", "B", "Y", "Z", "Z", "Z"]
    assert initial("1944年的事", person=False) == "#"


@pytest.fixture(scope="module")
def fixture_catalog():
    return build(FIXTURE_CONTENT, today=TODAY).catalog


def test_entry_pinyin_covers_title_names_and_aliases(fixture_catalog):
    person = fixture_catalog.entries[("people", "zeta-person")]
    assert [p.text for p in entry_pinyin(person)] == ["曾测试", "曾原名", "Tsang Test", "测试人物别名"]
    terms = search_terms(person)
    assert "zeng ce shi" in terms and "zengceshi" in terms and "zengyuanming" in terms
    assert not any("tsang" in t for t in terms)  # a romanisation is already searchable as it is


def test_a_to_z_lists_every_entry_and_every_other_name(fixture_catalog):
    groups = dict(a_to_z(fixture_catalog))
    titles = {i.name for items in groups.values() for i in items if not i.see}
    assert titles == {e.title for e in fixture_catalog.entries.values()}
    zeng = [i for i in groups["Z"] if i.entry.id == "zeta-person"]
    assert [(i.name, i.see) for i in zeng] == [("曾测试", False), ("曾原名", True)]  # under Z, not C
    assert [i.name for i in groups["T"] if i.entry.id == "zeta-person"] == ["Tsang Test"]
