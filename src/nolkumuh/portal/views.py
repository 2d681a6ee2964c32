"""The public portal's home page, search, and help."""

from __future__ import annotations

from pathlib import Path

import markdown
from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from nolkumuh.portal.help_images import WIDTHS, light_images, scrolling_tables, shown_size, small_copy
from nolkumuh.portal.profiles import cached_profile, names_key, nation_context
from nolkumuh.regions.selectors import nation, provinces, region_children, region_search


def home(request: HttpRequest) -> HttpResponse:
    """Every loaded province with its kab/kota, slum area by class and the trend (approved data);
    with more than one province loaded, the country with a row per province instead."""
    sections = []
    loaded = list(provinces())
    if len(loaded) > 1:
        context = nation_context(request)
        context["region"] = nation()
        sections.append(context)
        loaded = []
    for province in loaded:
        context = dict(cached_profile(request, province))
        children = {c.code: c for c in region_children(region=province)}
        context.update(
            region=province,
            labels={code: c.display_name for code, c in children.items()},
            links={code: ("regions:profile", code) for code in children},
            names_key=names_key(children.values()),
        )
        sections.append(context)
    return render(
        request,
        "portal/home.html",
        {"sections": sections, "rounds": sections[0]["rounds"] if sections else []},
    )


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    regions, kawasan = region_search(query=query)
    return render(request, "portal/search.html", {"query": query, "regions": regions, "kawasan": kawasan})


CONTENTS_ID = "daftar-isi"  # the help page's table of contents, where "back to the contents" leads


def _docs_dir() -> Path:
    return Path(settings.NOLKUMUH_DOCS_DIR)


def help_page(request: HttpRequest) -> HttpResponse:
    """The user guide (docs/panduan.md) rendered as a page, with its screenshots."""
    guide = _docs_dir() / "panduan.md"
    html = None
    if guide.is_file():
        text = guide.read_text("utf-8").replace("](img/", "](" + reverse("core:help") + "img/")
        html = light_images(_with_contents(text), size=_shown_size)
        html = scrolling_tables(html)
    return render(request, "portal/help.html", {"guide": html})


def _with_contents(text: str) -> str:
    """The guide as HTML with a table of contents (its sections and subsections, linked by anchor)
    after the title, and before each section but the first a link back to that table."""
    md = markdown.Markdown(extensions=["tables", "toc"], extension_configs={"toc": {"toc_depth": "2-3"}})
    html = md.convert(text)
    contents = (
        f'<nav class="contents" id="{CONTENTS_ID}" aria-labelledby="{CONTENTS_ID}-judul">'
        f'<h2 id="{CONTENTS_ID}-judul">{escape(_("Daftar isi"))}</h2>{md.toc}</nav>'
    )
    back = f'<p class="to-top"><a href="#{CONTENTS_ID}">↑ {escape(_("Kembali ke daftar isi"))}</a></p>'
    title_end = html.find("</h1>")
    head, body = (html[: title_end + 5], html[title_end + 5 :]) if title_end >= 0 else ("", html)
    sections = body.split("<h2")
    body = sections[0] + "".join(
        (back if i > 1 else "") + "<h2" + part for i, part in enumerate(sections) if i > 0
    )
    return head + contents + body + back


def _shown_size(url: str) -> tuple[int, int] | None:
    path = _docs_dir() / "img" / url.rsplit("/", 1)[-1]
    return shown_size(path, WIDTHS[-1]) if path.is_file() else None


def help_image(request: HttpRequest, name: str) -> HttpResponse:
    """A screenshot of the guide: the original, or with ?lebar=360 or 720 a lighter copy."""
    path = _docs_dir() / "img" / name
    if "/" in name or not name.endswith(".png") or not path.is_file():
        raise Http404
    width = request.GET.get("lebar", "")
    if width:
        if width not in {str(w) for w in WIDTHS}:
            raise Http404
        path = small_copy(path, width=int(width), folder=Path(settings.DATA_DIR) / "help-img")
    response = FileResponse(path.open("rb"), content_type="image/png")
    response["Cache-Control"] = "max-age=86400"
    return response


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for on their own: the site's SVG icon (a temporary redirect,
    kept a day, since the icon's fingerprinted address changes with the icon)."""
    response = HttpResponseRedirect(static("nolkumuh/favicon.svg"))
    response["Cache-Control"] = "max-age=86400"
    return response
