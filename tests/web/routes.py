"""Every URL the site serves, from Django's URL resolver, with its parameters filled in.

Shared by the tests that walk every page (the permission matrix, the hostile-fields walk in
a browser, the security headers): a page added later is walked without editing them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from django.urls import URLPattern, URLResolver, get_resolver

PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")

# (parameter name, route) -> every value worth trying for it
Values = Callable[[str, str], list[str]]


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def routes() -> list[str]:
    """Every route of the site, as written in the URL configuration."""
    return sorted(set(_patterns(get_resolver())))


def expand(route: str, values: Values) -> list[str]:
    """Concrete URLs for a route: each parameter replaced by each of its values."""
    match = PARAM.search(route)
    if match is None:
        path = route.lstrip("^").rstrip("$").replace("\\", "")
        return ["/" + path.lstrip("/")]
    name = match.group("name") or match.group("rname")
    urls = []
    for value in values(name, route):
        urls.extend(expand(route[: match.start()] + value + route[match.end():], values))
    return urls


def every_url(values: Values) -> list[str]:
    return sorted({url for route in routes() for url in expand(route, values)})
