"""Light pages: text responses go out gzip-compressed (downloads not), static files collected by
`nolkumuh serve` are sent compressed with content hashes in their names and cached for a year, and
the help page's screenshots load lazily as light copies of the size they are shown."""

from __future__ import annotations

import gzip

from django.core.management import call_command
from PIL import Image
from whitenoise.middleware import WhiteNoiseMiddleware

from nolkumuh.portal.help_images import light_images, small_copy


def test_pages_are_sent_compressed_when_the_browser_accepts_gzip(client, db):
    page = client.get("/bantuan/", headers={"accept-encoding": "gzip, br"})
    assert page["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in page["Vary"]
    assert b"Bantuan" in gzip.decompress(page.content)
    assert "Content-Encoding" not in client.get("/bantuan/")  # a client without gzip


def test_downloads_that_are_compressed_already_are_not_compressed_again(client, tmp_path, settings):
    settings.NOLKUMUH_DOCS_DIR = str(tmp_path)
    (tmp_path / "img").mkdir()
    Image.new("RGB", (400, 300), "#0b5394").save(tmp_path / "img" / "layar.png")
    image = client.get("/bantuan/img/layar.png", headers={"accept-encoding": "gzip"})
    assert image.status_code == 200 and "Content-Encoding" not in image


def test_collected_static_files_are_compressed_and_cached_for_a_year(tmp_path, settings, rf):
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.templatetags.static import static

    url = static("nolkumuh/site.css")
    assert url != "/static/nolkumuh/site.css" and url.endswith(".css")  # a content hash in the name
    whitenoise = WhiteNoiseMiddleware(lambda request: None)
    response = whitenoise(rf.get(url, headers={"accept-encoding": "gzip"}))
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]
    plain = whitenoise(rf.get("/static/nolkumuh/site.css"))
    assert "immutable" not in plain["Cache-Control"]  # a name without hash may change


def test_without_collected_files_pages_link_the_plain_names(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "nothing-collected"
    from django.templatetags.static import static

    assert static("nolkumuh/site.css") == "/static/nolkumuh/site.css"


def test_help_screenshots_are_lazy_sized_and_linked_to_the_original(client, db):
    page = client.get("/bantuan/").content.decode()
    images = page.count("<img ")
    assert images >= 10
    assert page.count('loading="lazy"') == images
    assert page.count('srcset="/bantuan/img/') == images
    assert (
        '<a href="/bantuan/img/beranda.png"><img alt="Beranda" src="/bantuan/img/beranda.png?lebar=720"'
        in page
    )
    assert 'width="720" height="524"' in page  # beranda.png is 1100 x 800


def test_a_help_screenshot_copy_is_as_wide_as_asked_and_lighter(client, tmp_path, settings):
    settings.NOLKUMUH_DOCS_DIR = str(tmp_path)
    (tmp_path / "img").mkdir()
    original = tmp_path / "img" / "layar.png"
    Image.effect_noise((1100, 800), 60).convert("RGB").save(original)
    copy = client.get("/bantuan/img/layar.png?lebar=360")
    assert copy["Content-Type"] == "image/png"
    small = tmp_path / "copy.png"
    small.write_bytes(b"".join(copy.streaming_content))
    assert Image.open(small).size == (360, 262)
    assert small.stat().st_size < original.stat().st_size / 4
    assert client.get("/bantuan/img/layar.png?lebar=5000").status_code == 404  # only the two widths


def test_a_new_screenshot_gets_new_copies(tmp_path):
    original = tmp_path / "layar.png"
    Image.new("RGB", (800, 600), "red").save(original)
    first = small_copy(original, width=360, folder=tmp_path / "copies")
    Image.new("RGB", (900, 600), "blue").save(original)
    second = small_copy(original, width=360, folder=tmp_path / "copies")
    colour = [Image.open(copy).convert("RGB").getpixel((0, 0)) for copy in (first, second)]
    assert first != second and colour == [(255, 0, 0), (0, 0, 255)]


def test_an_image_the_guide_does_not_have_stays_as_written():
    html = '<p><img alt="x" src="/bantuan/img/hilang.png" /></p>'
    assert light_images(html, size=lambda url: None) == html
