"""About: docs/ODD.md's Info tab, in the order of NetLogo's (WHAT IS IT? … CREDITS).

The Markdown becomes HTML on the server (python-markdown): ``solara.Markdown`` would load
KaTeX and mermaid in the browser, and KaTeX is not among the app's local assets.
"""

from __future__ import annotations

import functools
import html
import re

import markdown
import solara

from govsim import resources
from govsim.app.components import Html
from govsim.app.i18n import tr

INFO_SECTIONS = ("what", "how", "use", "notice", "try", "extend", "related", "credits")
INFO_HEADINGS = {  # how each section is titled in docs/ODD.md (lower case, no punctuation)
    "what": "what is it", "how": "how it works", "use": "how to use it",
    "notice": "things to notice", "try": "things to try", "extend": "extending the model",
    "related": "related models", "credits": "credits and references",
}
INFO_HEADINGS_ZH = {
    "what": "这是什么", "how": "工作原理", "use": "使用方法", "notice": "值得注意",
    "try": "可以尝试", "extend": "扩展模型", "related": "相关模型", "credits": "致谢与参考文献",
}


def info_sections(text: str, headings: dict[str, str] = INFO_HEADINGS) -> dict[str, str]:
    """Sections of docs/ODD.md whose headings are the Info tab's, by key."""
    found: dict[str, str] = {}
    current, buf = None, []
    wanted = {v: k for k, v in headings.items()}
    for line in text.splitlines():
        m = re.match(r"^#{1,6}\s+(.*)$", line)
        if m:
            if current:
                found[current] = "\n".join(buf).strip()
            title = re.sub(r"[^a-z \u4e00-\u9fff]", "", m.group(1).lower()).strip()
            current, buf = wanted.get(title), []
            continue
        if current:
            buf.append(line)
    if current:
        found[current] = "\n".join(buf).strip()
    return found


def to_html(text: str) -> str:
    """Markdown as HTML (docs/ODD.md is the project's own file)."""
    return markdown.markdown(text, extensions=["tables"])


@functools.lru_cache(maxsize=2)
def about_html(lang: str) -> tuple[str | None, tuple[tuple[str, str | None], ...]]:
    """(warning key or None, (heading, HTML body or None) per section), once per language."""
    try:
        text = resources.odd_text()
    except OSError:
        return "about_no_odd", tuple((tr("info_" + k, lang), None) for k in INFO_SECTIONS)
    sections = info_sections(text)
    if lang == "zh":  # the Chinese Info tab of docs/ODD.md, where it has one
        sections |= info_sections(text, INFO_HEADINGS_ZH)
    return None, tuple((tr("info_" + k, lang), to_html(sections[k]) if sections.get(k)
                        else None) for k in INFO_SECTIONS)


@solara.component
def AboutPage(lang: str):
    warning, sections = about_html(lang)
    solara.Text(tr("about_source", lang), classes=["govsim-help"])
    if warning:
        solara.Warning(tr(warning, lang))
    with solara.Column(classes=["govsim-about"]):
        for heading, body in sections:
            Html(f"<h3>{html.escape(heading)}</h3>" + (body or ""))
            if body is None:
                solara.Text(tr("about_missing", lang), classes=["govsim-help"])
        Html(f"<h3>{html.escape(tr('essays', lang))}</h3><p>"
             f"{html.escape(tr('essays_text', lang))}</p>")
