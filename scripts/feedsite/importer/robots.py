"""The site's robots.txt, written into docs/ by the importer so any builder copies it as is."""

from __future__ import annotations

GENERATED_MARK = "# Written by feedsite import from site_url"


def render_robots(site_url: str) -> str:
    """Allow every crawler and name the absolute sitemap (robots.txt takes no relative URL)."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return (
        f"{GENERATED_MARK}; edit mkdocs.yml, not this file.\n"
        "User-agent: *\nAllow: /\n\n"
        f"Sitemap: {base}sitemap.xml\n"
    )


def is_generated(text: str) -> bool:
    """True for a robots.txt this module wrote; a hand-written one is never replaced."""
    return text.startswith(GENERATED_MARK)
