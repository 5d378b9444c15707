"""Controlled vocabularies: the values editors may use, each with its Chinese label and a URL slug.

Kept as data in one place so the schema, the listing pages and the editors' field dictionary agree.
"""

from __future__ import annotations

# Dapeng New District has three subdistricts (街道). Slugs are pinyin so URLs stay readable.
STREETS: dict[str, str] = {
    "大鹏街道": "dapeng",
    "葵涌街道": "kuichong",
    "南澳街道": "nanao",
}

# Kinds of heritage site: value → (Chinese label, description for editors).
SITE_KINDS: dict[str, tuple[str, str]] = {
    "former-site": ("革命旧址", "革命机关、部队驻地、会议会址等历史建筑或遗址"),
    "former-residence": ("名人故居", "革命人物的出生地、故居、祖居"),
    "memorial": ("纪念设施", "纪念碑、纪念亭、烈士墓等后建的纪念设施"),
    "museum": ("纪念馆与陈列馆", "以展陈为主的纪念馆、陈列馆、展览馆"),
    "red-village": ("红色村", "以红色资源为依托的村（社区）整体"),
    # A place where history happened that no heritage list names: not to be shown as a 革命旧址.
    "related-place": ("相关地点", "与革命历史有关、但未查到列为文物保护单位或革命旧址的村落和地点"),
}

# Protection levels under the PRC Cultural Relics Protection Law, highest first.
PROTECTION_LEVELS: list[str] = [
    "全国重点文物保护单位",
    "广东省文物保护单位",
    "深圳市文物保护单位",
    "区级文物保护单位",
    "不可移动文物（尚未核定公布为文物保护单位）",
]

STATUSES: dict[str, str] = {
    "draft": "草稿",
    "review": "待审核",
    "published": "已发布",
}

NARRATOR_DISPLAY: dict[str, str] = {
    "full": "公开全名",
    "initials": "只显示姓氏首字母或化名缩写",
    "anonymous": "匿名",
}

CONSENT_RELEASES: dict[str, str] = {
    "signed": "已签署授权书",
    "pending": "授权书尚未签署",
    "refused": "受访者不同意公开",
    "demo": "演示数据，无授权书",  # only for `demo: true` records (validate.py): a fictional narrator signs nothing
}

CONSENT_SCOPES: dict[str, str] = {
    "transcript": "文字稿",
    "audio": "录音",
    "video": "录像",
}


# Periods of the timeline, as Party history divides them (the 2021 historical resolution's four periods, the first
# in its four wars), with one bucket before them: key → (label, years, first day). A date belongs to the period in
# which it starts (timeline.period_of); a fact may name its period instead.
PERIODS: dict[str, tuple[str, str, str]] = {
    "before-1924": ("清末民初", "1924年以前", "0001-01-01"),
    "great-revolution": ("大革命时期", "1924—1927年", "1924-01-01"),
    "agrarian-revolution": ("土地革命战争时期", "1927—1937年", "1927-08-01"),
    "anti-japanese-war": ("抗日战争时期", "1937—1945年", "1937-07-07"),
    "liberation-war": ("解放战争时期", "1945—1949年", "1945-09-03"),
    "socialist-construction": ("社会主义革命和建设时期", "1949—1978年", "1949-10-01"),
    "reform-and-opening": ("改革开放和社会主义现代化建设新时期", "1978—2012年", "1978-12-18"),
    "new-era": ("中国特色社会主义新时代", "2012年以来", "2012-11-08"),
}

# Kinds of a person's names: value → Chinese label.
NAME_KINDS: dict[str, str] = {
    "birth": "原名",
    "former": "曾用名",
    "also": "又名",
    "alias": "化名",
    "nickname": "绰号",
    "variant": "异写（繁体、异体字）",
    "romanised": "外文拼写",
}

# Who a teaching point or lesson is for (schema.Teaching.audience): value → Chinese label.
AUDIENCES: dict[str, str] = {
    "party-members": "党员干部",
    "students": "青少年学生",
    "public": "社会公众",
}


def value_labels() -> dict[str, str]:
    """Chinese label of every controlled value, for the field dictionary and the `make new` template."""
    labels = {value: label for value, (label, _) in SITE_KINDS.items()}
    labels.update({value: label for value, (label, _, _) in PERIODS.items()})
    for table in (STATUSES, NARRATOR_DISPLAY, CONSENT_RELEASES, CONSENT_SCOPES, NAME_KINDS, AUDIENCES):
        labels.update(table)
    return labels
