"""Every rule the checker knows, with its default severity and whether it needs the sources."""

from __future__ import annotations

from dataclasses import dataclass

from feedsite.check.models import Severity


@dataclass(frozen=True)
class Rule:
    name: str
    default: Severity
    needs_sources: bool
    summary: str


_E, _W = Severity.ERROR, Severity.WARNING

RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule(
            "link-target-missing", _E, False, "internal link to a page or file that does not exist"
        ),
        Rule("asset-missing", _E, False, "image, media, script or stylesheet that does not exist"),
        Rule("link-to-markdown", _E, False, "link to a .md file that did not become a page"),
        Rule("fragment-missing", _E, False, "link to an id the target page does not have"),
        Rule(
            "fragment-github-slug", _E, False, "fragment follows GitHub slug rules, not this site's"
        ),
        Rule("link-escapes-site", _E, False, "link that leaves the site root"),
        Rule("empty-href", _W, False, "link with an empty href"),
        Rule("malformed-refresh", _E, False, "meta refresh whose content browsers cannot read"),
        Rule("placeholder-link", _W, True, "Markdown link to '#' alone (only goes to the top)"),
        Rule("javascript-url", _W, False, "javascript: URL in the content"),
        Rule("javascript-url-in-article", _E, False, "javascript: URL in an article's content"),
        Rule("image-without-source", _E, False, "<img> with an empty src, or no src or srcset"),
        Rule("image-without-alt", _E, False, "<img> without an alt attribute (alt=\"\" is fine)"),
        Rule("malformed-mailto", _E, False, "mailto: link without a valid address"),
        Rule("malformed-tel", _E, False, "tel: link without a valid number"),
        Rule("malformed-url", _E, False, "http(s) link that is not a valid web address"),
        Rule("local-url", _E, False, "link to the author's computer (file:, localhost)"),
        Rule("undefined-reference", _E, True, "[text][label] shown as text: label not defined"),
        Rule("orphan-page", _W, False, "page that no other page links to"),
        Rule("h1-count", _E, False, "page without exactly one H1"),
        Rule("heading-skip", _E, False, "heading level skips one or more levels"),
        Rule("empty-section", _E, False, "heading with no content before the next heading"),
        Rule("duplicate-id", _E, False, "id used more than once in a page"),
        Rule("self-closed-link", _E, False, "<a .../>: HTML has no self-closing <a>"),
        Rule("html-encoding", _W, False, "HTML file that is not valid UTF-8"),
        Rule("html-unreadable", _E, False, "HTML file that cannot be read"),
        Rule("external-link", _E, False, "external link that does not answer with success"),
        Rule("front-matter", _E, True, "article front matter key missing or invalid"),
        Rule("title-mismatch", _E, True, "article H1 differs from its front matter title"),
        Rule("missing-introduction", _E, True, "article has no paragraph before its first section"),
        Rule("description-too-long", _W, True, "article description longer than the limit"),
        Rule("required-section", _E, True, "article lacks a section the configuration requires"),
        Rule("review-overdue", _W, True, "article review_due date has passed"),
        Rule("reading-grade", _W, True, "article reads above the configured school grade"),
        Rule("feed-article-without-page", _E, True, "feed article with no generated page"),
        Rule("page-without-feed-article", _E, True, "generated page whose feed article is gone"),
        Rule("duplicate-article-page", _E, True, "feed article with more than one page"),
        Rule("section-mismatch", _E, True, "article sections differ from the feed article's"),
        Rule("paragraph-missing", _E, True, "feed paragraph or list item missing from the page"),
        Rule("skeleton-text", _E, True, "placeholder text of `feedsite new` left in an article"),
        Rule("skeleton-text-in-draft", _W, True, "placeholder text of `feedsite new` in a draft"),
        Rule("image-not-stored", _W, True, "feed item image not stored on the site"),
    )
}
