"""Internal links and assets whose target file does not exist in the built site."""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Iterator

from feedsite.check.checks.context import CheckContext
from feedsite.check.models import Element, Problem
from feedsite.check.site import Site
from feedsite.check.slugs import nearest
from feedsite.check.sources import resolve_in_docs

RULES = ("link-target-missing", "asset-missing", "link-to-markdown")
_PAGE_KINDS = ("a", "area", "iframe", "redirect", "form")


def check(context: CheckContext) -> Iterator[Problem]:
    site = context.site
    pages = PageNames(site)
    for page in site.pages.values():
        for index, (link, target) in enumerate(
            zip(page.links, site.targets[page.path], strict=True)
        ):
            if target.kind != "internal" or target.exists or link.attr == "invalid":
                continue  # (a meta refresh browsers do not read is unsafe_urls' to report)
            spot, url = site.locate_link(page.path, index)
            missing = target.path
            # MkDocs rewrites links to excluded .md files into page URLs, so the Markdown as
            # written tells a link to Markdown apart from a link to a missing page.
            written_path = url.split("#", 1)[0].split("?", 1)[0]
            if missing.endswith((".md", ".markdown")) or written_path.endswith(
                (".md", ".markdown")
            ):
                rule = "link-to-markdown"
                built = _built_url(site, page.path, url)
                if built:
                    # The .md did become a page: the link sits in raw HTML, which MkDocs
                    # copies as written instead of turning .md paths into page URLs.
                    message = (
                        f"link '{url}': MkDocs does not rewrite links inside raw HTML, so it "
                        "points to the Markdown file, not to its page"
                    )
                    suggestion = f"write the built URL: {built}"
                else:
                    message = f"link '{url}' points to a Markdown file that did not become a page"
                    suggestion = _markdown_hint(site, page.path, url) or pages.suggest(
                        missing, page.path
                    )
            elif link.kind in _PAGE_KINDS:
                rule = "link-target-missing"
                what = "form action" if link.kind == "form" else "link"
                message = f"{what} '{url}': no page or file at {missing}"
                suggestion = (case_hint(site, missing) or miswritten(url)
                              or pages.suggest(missing, page.path))
            else:
                rule = "asset-missing"
                message = f"{link.kind} {link.attr} '{url}': no file at {missing}"
                suggestion = case_hint(site, missing) or miswritten(url)
            yield Problem(
                rule,
                page.path,
                Element("link", index),
                message,
                link=url,
                target=target.describe(),
                suggestion=suggestion,
                source=spot,
            )


# "https;//host", "http//host", "www.host/...": a web address written as a relative path.
_SCHEME_TYPO = re.compile(r"(?i)(?P<scheme>https?)(?:;//|//|;/|:\\\\)(?P<rest>.*)", re.S)
# "(https://…)", "<https://…>", "'https://…'": a web address with its brackets or quotes kept.
_WRAPPED = re.compile(r"""(?P<open>[(<"'])(?P<url>(?i:https?)://[^\s)>"']+)(?P<close>[)>"'])""")
_BARE_HOST = re.compile(r"(?i)www\.[a-z0-9-]+\.[a-z]")


def case_hint(site: Site, missing: str) -> str:
    """A hint when the missing file exists in other letter case ("" when it does not)."""
    found = site.other_case(missing)
    if found is None:
        return ""
    if found.endswith("/index.html") and not missing.endswith("index.html"):
        found = found.removesuffix("index.html")  # a folder's page, named as linked
    return (f"{found} exists: the letter case differs, which web servers on Linux tell apart "
            "(Mac and Windows disks do not); write the name as the file has it")


def miswritten(url: str) -> str:
    """A hint when a URL that names no file is a miswritten web address or holds a character
    no reader can see ("" when neither)."""
    # (Browsers drop tabs and line breaks from URLs themselves: those are harmless.)
    hidden = [char for char in url if char not in " \t\n\r" and _invisible(char)]
    if hidden:
        char = hidden[0]
        name = f"U+{ord(char):04X} {unicodedata.name(char, '')}".rstrip()
        where = "at its start" if url.startswith(char) else "in it"
        return (f"the URL holds an invisible character {where} ({name}); "
                "delete it and type the URL again")
    typo = _SCHEME_TYPO.match(url)
    if typo is not None:
        return f"did you mean {typo['scheme'].lower()}://{typo['rest']}?"
    wrapped = _WRAPPED.fullmatch(url.strip())
    if wrapped is not None:
        brackets = wrapped["open"] + wrapped["close"]
        return f"the URL is wrapped in {brackets}: did you mean {wrapped['url']}?"
    if _BARE_HOST.match(url):
        return f"a web address needs its scheme: did you mean https://{url}?"
    return ""


def _invisible(char: str) -> bool:
    """Format and control characters and spaces other than the plain one: shown as nothing
    (or as a space) in an editor, but part of the URL."""
    return unicodedata.category(char) in ("Cf", "Cc", "Zs", "Zl", "Zp")


def _built_url(site: Site, page: str, url: str) -> str:
    """The URL, relative to `page`, of the page a linked .md file became ("" if it did not)."""
    doc = site.docs.get(page)
    place = resolve_in_docs(doc, url) if doc is not None else None
    if place is None or not place[0].endswith((".md", ".markdown")):
        return ""
    target = site.page_for_doc(place[0])
    if place[0] not in site.docs_files or target not in site.pages:
        return ""
    folder = posixpath.dirname(page) or "."
    if posixpath.basename(target) == "index.html":
        relative = posixpath.relpath(posixpath.dirname(target) or ".", folder) + "/"
        relative = relative.removeprefix("./") or "./"
    else:
        relative = posixpath.relpath(target, folder)
    return relative + (f"#{place[1]}" if place[1] else "")


def _markdown_hint(site: Site, page: str, url: str) -> str:
    """Say why a linked .md did not become a page when it is in docs/ after all."""
    doc = site.docs.get(page)
    if doc is None:
        return ""
    place = resolve_in_docs(doc, url)
    if place is not None and place[0] in site.docs_files:
        return f"{place[0]} is in docs/ but was not built (exclude_docs or draft)"
    return ""


class PageNames:
    """Nearest existing page for a missing one, by the name of its file or folder.

    Candidates are narrowed to names sharing the first or last three characters, so a typo is
    found without comparing against every page of a large site.
    """

    def __init__(self, site: Site) -> None:
        self.site = site
        self._by_key: dict[str, list[tuple[str, str]]] | None = None  # made on first use
        self.cache: dict[str, str] = {}

    @property
    def by_key(self) -> dict[str, list[tuple[str, str]]]:
        if self._by_key is None:
            self._by_key = {}
            for path in self.site.pages:
                name = _name(path)
                for key in {"<" + name[:3], ">" + name[-3:]}:
                    self._by_key.setdefault(key, []).append((name, path))
        return self._by_key

    def suggest(self, missing: str, from_page: str) -> str:
        """'did you mean X?' with X written the way the author links: relative to their file."""
        found = self._nearest(missing)
        if not found:
            return ""
        from_doc = self.site.docs.get(from_page)
        to_doc = self.site.docs.get(found)
        if from_doc is not None and to_doc is not None:
            return f"did you mean {posixpath.relpath(to_doc, posixpath.dirname(from_doc) or '.')}?"
        relative = posixpath.relpath(found, posixpath.dirname(from_page) or ".")
        return f"did you mean {relative.removesuffix('index.html') or './'}?"

    def _nearest(self, missing: str) -> str:
        if missing not in self.cache:
            name = _name(missing)
            candidates = {
                candidate_name: path
                for key in ("<" + name[:3], ">" + name[-3:])
                for candidate_name, path in self.by_key.get(key, ())
            }
            best = nearest(name, candidates)
            self.cache[missing] = candidates[best] if best else ""
        return self.cache[missing]


def _name(path: str) -> str:
    # A folder's index page is known by the folder's name ("gone/index.md" by "gone"), or a
    # missing one would be matched to every other index page, the home page first.
    for index in ("/index.html", "/index.md", "/README.md"):
        if path.endswith(index):
            path = path[: -len(index)]
            break
    return posixpath.splitext(posixpath.basename(path))[0] or path
