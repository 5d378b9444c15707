"""Draw the site's share card (docs/assets/images/share-card.png, 1200×630): the image WeChat and other apps show
beside a shared link when the page has no picture of its own (overrides/main.html).

It is drawn once and committed, not at build time: a build needs no font, and 10,000 entries cost no images. The
text is set in Noto Sans CJK SC (SIL Open Font License 1.1), from Debian's ``fonts-noto-cjk`` package:

    sudo apt-get install fonts-noto-cjk && .venv/bin/python scripts/make_share_card.py

The card carries only the site's name and what it holds — no claim, no date, nothing that goes out of date.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
RED, DARK, WHITE = (165, 28, 28), (127, 20, 20), (255, 255, 255)  # the theme's primary colours (site.css)
SIZE = (1200, 630)
SC_INDEX = 2  # in Noto's .ttc collections: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK


def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / f"NotoSansCJK-{weight}.ttc"), size, index=SC_INDEX)


def draw(name: str, tagline: str, footer: str) -> Image.Image:
    image = Image.new("RGB", SIZE, RED)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, SIZE[1] - 120, SIZE[0], SIZE[1]), fill=DARK)
    pen.rectangle((96, 150, 112, 330), fill=WHITE)  # a plain bar beside the name: no emblem, no flag
    pen.text((150, 140), name, font=_font("Bold", 96), fill=WHITE)
    pen.text((152, 272), tagline, font=_font("Regular", 44), fill=WHITE)
    pen.text((96, SIZE[1] - 90), footer, font=_font("Regular", 36), fill=WHITE)
    return image


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs/assets/images/share-card.png")
    args = parser.parse_args()
    image = draw("大鹏红色教育资源", "革命旧址 · 人物 · 事件 · 教案 · 路线", "深圳市大鹏新区 · 每条史实注明出处")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # A palette image: flat colours and text compress to a few tens of kilobytes, light on a phone's data plan.
    image.convert("P", palette=Image.ADAPTIVE, colors=32).save(args.out, optimize=True)
    print(f"{args.out.relative_to(ROOT)}: {args.out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
