"""The Content-Security-Policy sent with every response: scripts only from this site's own files
(no inline script, no eval), no plugins, no framing, forms and links that stay on the site.

A few lines of our own rather than django-csp: the policy is one fixed string (no nonces, since no
page has inline script), the only variable part is the origin of the optional map tiles, and one
middleware is easier to read than a package's settings. See docs/security.md.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"


def tile_source(url: str) -> str:
    """The CSP source for a Leaflet tile URL template ("https://{s}.tile.example.org/{z}/{x}/{y}.png"
    gives "https://*.tile.example.org"); empty when no tiles are configured or the URL is unusable."""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    labels = ["*" if "{" in label else label for label in parts.hostname.split(".")]
    if labels.count("*") > 1 or ("*" in labels and labels[0] != "*"):
        return ""  # CSP allows a wildcard only as the leftmost label
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{'.'.join(labels)}{port}"


@lru_cache(maxsize=8)
def policy(tile_url: str = "") -> str:
    """The policy text. Styles: stylesheets only from this site ('self' for <style>/<link>
    elements), but style *attributes* stay allowed ('unsafe-inline' in style-src, which browsers
    use for attributes): templates draw progress bars, heat-map cells and chart widths from values
    computed on the server (style="width:37%"), and Leaflet positions its map panes by style. An
    attribute cannot run script, and every value in them is escaped or a number; stylesheet
    injection (the CSS way to read a page) stays blocked by style-src-elem."""
    images = " ".join(filter(None, ["'self'", "data:", tile_source(tile_url)]))
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self' 'unsafe-inline'",
        "style-src-elem": "'self'",
        "img-src": images,
        "connect-src": "'self'",
        "font-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    """Adds the policy to every response (pages, files, errors) unless a view set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault(HEADER, policy(settings.NOLKUMUH_TILE_URL))
        return response
