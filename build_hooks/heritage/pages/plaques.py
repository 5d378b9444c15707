"""QR codes: one per published entry, linking to its page under the site's public address, made at build time.

A site's code goes on its plaque (the printable sheet ``plaques.md`` lists every published site with its name and
address); every entry's code is printed in the corner of its handout (print.css) so a reader can go back to the
online page. Codes are SVG written by ``segno`` (pure Python) — our own markup, never an editor's file.

A code is made only for a real public address: a QR code to 127.0.0.1 printed on a plaque is worse than none.
``qr_for`` refuses such an address (``release.ReleaseError``); a preview or development build therefore makes no
code at all: its printed pages leave the corner empty, and its plaque sheet says (in words for a reader, with no
build instructions: the offline package is printed by lecturers, not developers) that the codes come with the
published site.
"""

from __future__ import annotations

import html
import io
from typing import TYPE_CHECKING, Any

import segno

from heritage.outputs.release import public_base, require_public_site_url

if TYPE_CHECKING:  # pragma: no cover
    from heritage.core.catalog import Catalog, ExportTarget, PageContext
    from heritage.core.entry import Entry

PLAQUES_URI = "plaques.md"
QR_FILE = "qr.svg"  # beside each entry's page: <collection>/<id>/qr.svg
# The plaque sheet's notice in a build without a public address (a preview, a local build, an offline package
# made without SITE_URL). Reader's words only: never a variable, a command or a placeholder domain.
NO_CODES_NOTICE = "此版本没有正式网址，因此不生成二维码。二维码只印在正式发布的网站上，扫码即打开该遗址的网络版页面。"


def entry_url(base: str, entry: Entry) -> str:
    return f"{base}{entry.url}"


def qr_svg(url: str) -> str:
    """An SVG QR code for ``url``: error correction M (a plaque outdoors gets dirty), a quiet zone of 4 modules as
    the standard asks, a viewBox without a fixed size (it scales to its box in print), black on white."""
    code = segno.make_qr(url, error="m")
    out = io.BytesIO()
    code.save(out, kind="svg", xmldecl=False, svgns=True, nl=False, border=4, omitsize=True, dark="#000", light="#fff", svgclass=None)
    return out.getvalue().decode("ascii")


def qr_for(site_url: str, entry: Entry) -> str:
    """The QR code of an entry's page; raises ``ReleaseError`` (in Chinese) when ``site_url`` is not public."""
    return qr_svg(entry_url(require_public_site_url(site_url), entry))


def export_codes(catalog: Catalog, context: ExportTarget) -> dict[str, Any]:
    """``<collection>/<id>/qr.svg`` for every entry of the build, only when the build has a public address."""
    if public_base(context.site_url) is None:
        return {}
    return {f"{entry.url}{QR_FILE}": qr_for(context.site_url, entry) for entry in catalog.entries.values()}


def print_block(site_url: str, entry: Entry, qr_src: str = QR_FILE) -> str:
    """The corner of an entry's handout: its QR code and address (shown only in print, see print.css), or
    nothing in a build without a public address (the empty block stays: basket.js looks for it to decorate an entry
    page). ``qr_src``: the code's URL as the page's engine resolves it
    (the renderer's file_href: root-relative, since Zensical reads a relative URL from the Markdown file's folder)."""
    base = public_base(site_url)
    if base is None:
        return '\n<div class="hb-print-qr">\n</div>\n'
    url = html.escape(entry_url(base, entry), quote=True)
    inner = f'<p><img src="{html.escape(qr_src, quote=True)}" alt="本页网络版的二维码"><br>{url}</p>'
    return f'\n<div class="hb-print-qr">\n{inner}\n</div>\n'


def plaques_context(renderer: PageContext) -> dict[str, Any]:
    """The printable sheet: every entry of the collections declared with ``plaques=True`` (the sites), its name, the
    address its code opens, the code's file."""
    base = public_base(renderer.site_url)
    plaques = [
        {
            "name": entry.title,
            "url": entry_url(base, entry) if base else "",
            "qr": renderer.link(PLAQUES_URI.replace(".md", "/index.md"), f"{entry.url}{QR_FILE}"),
        }
        for collection in renderer.registry
        if collection.plaques
        for entry in sorted(renderer.catalog.collection(collection.name), key=lambda e: e.id)
    ]
    return {"plaques": plaques, "public": base is not None, "notice": NO_CODES_NOTICE}
