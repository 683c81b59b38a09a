"""Generate a deterministic synthetic article feed (plain-text files in the feed format).

Article `i` depends only on (seed, i), so the first articles of a 100-article feed are the same
as those of a 10,000-article feed: a page's size can then be compared across feed sizes.
The text mimics health articles: titles, introductions, 3-8 sections, lists, hard-wrapped
paragraphs of varied length, non-ASCII words and characters that look like Markdown or HTML.
"""

from __future__ import annotations

import hashlib
import random
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SUBJECTS = (
    "Regular exercise", "A balanced diet", "Vitamin D", "Sleep quality", "Chronic stress",
    "Hydration", "The immune system", "Blood pressure", "Gut bacteria", "Omega-3 fatty acids",
    "Physiotherapy", "Mindfulness practice", "Caffeine", "Dietary fibre", "Strength training",
    "Sun exposure", "Iron deficiency", "Social contact", "Screen time", "Smoking cessation",
    "Stem cell therapy", "Low-dose aspirin", "Intermittent fasting", "Air pollution",
)
VERBS = (
    "can improve", "may reduce", "is linked to", "supports", "affects", "plays a role in",
    "is associated with", "rarely changes", "often worsens", "appears to protect",
    "helps to regulate", "does not replace treatment for",
)
OBJECTS = (
    "cardiovascular health", "the risk of type 2 diabetes", "bone density", "mood and memory",
    "recovery after surgery", "inflammation", "the quality of sleep", "blood sugar control",
    "hair follicle activity", "muscle strength", "the body's response to infection",
    "long-term kidney function", "skin elasticity", "joint pain", "cholesterol levels",
)
QUALIFIERS = (
    "", "", "", " in older adults", " over several months", " according to recent studies",
    " for most people", " when combined with other treatments", " in children under 12",
    " in a 2019 trial of 1,200 participants", " although results vary",
)
# Characters and snippets an importer must escape; each appears verbatim in some sentences.
TRICKY = (
    "(see *Table 2*)", "the snake_case_label on the box", "the `dose` field", "[x](y)",
    "<script>alert(1)</script>", "5 * 3 = 15 tablets", "a | b", "C:\\Users\\clinic",
    "&amp; more", "{#id}", "a footnote[^1]", "<b>bold</b> claims", "~~struck~~ advice",
    "2 < 3 > 1", "a $5 co-payment", "100% of cases", "!important",
)
NON_ASCII = (
    "café", "naïve", "Zürich", "São Paulo", "Ångström", "μg/dL", "≤ 5 mg", "— an aside —",
    "“quoted” advice", "patients’ records", "北京", "Ελλάδα", "résumé", "½ a tablet", "Москва",
)
HEADINGS = (
    "Understanding the Basics", "How It Works", "What Causes It?", "Who Is at Risk?",
    "Risks and Side Effects", "Diet & Exercise", "Café Culture and Caffeine",
    "Risks: Short- and Long-Term", "When to See a Doctor", "Frequently Asked Questions",
    "The Role of Genetics", "Key Takeaways", "Treatment Options", "Latest Research",
    "Living With the Condition", "Prevention Strategies", "Is It Safe for Children?",
    "Myths and Facts", "Costs and Access", "Questions to Ask Your GP", "Recovery Time",
    "The Evidence So Far", "Practical Tips", "Naïve Assumptions About Dosage",
)
TOPICS = (
    "Vitamin D", "Migraine", "Hair Loss", "Sleep Apnoea", "Type 2 Diabetes", "Back Pain",
    "Anxiety", "Asthma", "Eczema", "High Blood Pressure", "Osteoporosis", "Gut Health",
    "Stem Cell Therapy", "Hay Fever", "Long COVID", "Menopause", "Tinnitus", "Psoriasis",
)
ANGLES = (
    "What the Research Says", "Causes, Triggers and Relief", "A Practical Guide",
    "Myths and Facts", "Questions Answered", "What You Need to Know", "Treatment in 2026",
    "Diet & Lifestyle", "Über die Behandlung", "A Guide for Carers", "The Science Explained",
)
LIST_MARKERS = ("- ", "* ", "1. ")
# A hard-wrapped continuation line must not start like a list item or it would become one.
_LIST_START = re.compile(r"^(?:[-*] |\d+\. )")


@dataclass(frozen=True)
class SyntheticList:
    """A list block: items in order, written with one marker style."""

    items: tuple[str, ...]
    marker: str


@dataclass(frozen=True)
class SyntheticSection:
    """A section: its heading line and its blocks (paragraph strings or lists)."""

    heading: str
    blocks: tuple[str | SyntheticList, ...]


@dataclass(frozen=True)
class SyntheticArticle:
    """One generated feed article, with its file name and exact file text."""

    file_name: str
    title: str
    intro: tuple[str, ...]
    sections: tuple[SyntheticSection, ...]
    text: str

    @property
    def sha256(self) -> str:
        """Hex digest of the file's UTF-8 bytes, as the importer records it."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def _sentence(rng: random.Random) -> str:
    text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    text += rng.choice(QUALIFIERS)
    roll = rng.random()
    if roll < 0.12:
        text += f", as {rng.choice(TRICKY)} shows"
    elif roll < 0.22:
        text += f", even in {rng.choice(NON_ASCII)}"
    return text + rng.choice((".", ".", ".", ".", "!", "?"))


def _paragraph(rng: random.Random, min_sentences: int, max_sentences: int) -> str:
    sentences = [_sentence(rng) for _ in range(rng.randint(min_sentences, max_sentences))]
    # A short paragraph ending in "?" would read as a heading; end every paragraph with ".".
    text = " ".join(sentences)[:-1] + "."
    if rng.random() < 0.03:
        # A year at a paragraph start reads as an ordered-list marker to Markdown.
        text = f"{rng.randint(1950, 2025)}. {text}"
    elif rng.random() < 0.03:
        text = f"#{rng.choice(('1', 'health', 'tip'))} {text}"
    return text


def _list(rng: random.Random) -> SyntheticList:
    items = tuple(
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
        for _ in range(rng.randint(3, 6))
    )
    return SyntheticList(items=items, marker=rng.choice(LIST_MARKERS))


def _title(rng: random.Random) -> str:
    pattern = rng.random()
    topic, angle = rng.choice(TOPICS), rng.choice(ANGLES)
    if pattern < 0.6:
        return f"{topic}: {angle}"
    if pattern < 0.8:
        return f"Understanding {topic} — {angle}"
    if pattern < 0.9:
        return f"{topic} and {rng.choice(TOPICS)}/{rng.choice(TOPICS)}: {angle}"
    return f"Is {topic} Treatable? {angle}"


def _wrap(paragraph: str, rng: random.Random) -> str:
    """Hard-wrap some paragraphs like a text editor would, never creating a list-item line."""
    if rng.random() < 0.5:
        return paragraph
    lines = textwrap.wrap(paragraph, width=rng.choice((60, 72, 79)), break_long_words=False,
                          break_on_hyphens=False)
    if any(_LIST_START.match(line) for line in lines[1:]):
        return paragraph
    return "\n".join(lines)


def _render_list(block: SyntheticList) -> str:
    if block.marker == "1. ":
        return "\n".join(f"{n}. {item}" for n, item in enumerate(block.items, start=1))
    return "\n".join(f"{block.marker}{item}" for item in block.items)


def _file_text(title: str, intro: tuple[str, ...], sections: tuple[SyntheticSection, ...],
               rng: random.Random) -> str:
    blocks: list[str] = [title]
    blocks.extend(_wrap(p, rng) for p in intro)
    for section in sections:
        blocks.append(section.heading)
        for block in section.blocks:
            blocks.append(_render_list(block) if isinstance(block, SyntheticList)
                          else _wrap(block, rng))
    return "\n\n".join(blocks) + "\n"


def file_name(index: int, total: int, seed: int) -> str:
    """Feed-style name `NNN_<16 hex>.txt`; zero-padded so names sort in feed order."""
    width = max(3, len(str(max(total - 1, 0))))
    digest = hashlib.sha256(f"{seed}:{index}".encode()).hexdigest()[:16]
    return f"{index:0{width}d}_{digest}.txt"


def make_article(index: int, total: int, seed: int) -> SyntheticArticle:
    """Article `index` of a feed of `total`; its content depends only on (seed, index)."""
    rng = random.Random(f"feedsite-bench:{seed}:{index}")
    title = _title(rng)
    # A long tail of article lengths, like a real feed: most short, a few very long.
    length = min(4.0, rng.lognormvariate(0.0, 0.5))
    intro = tuple(_paragraph(rng, 2, max(2, int(5 * length))) for _ in range(rng.randint(1, 3)))
    headings = rng.sample(HEADINGS, k=rng.randint(3, 8))
    if rng.random() < 0.05:
        headings.append(headings[0])  # a repeated heading: MkDocs gives it an `_1` id
    sections: list[SyntheticSection] = []
    for heading in headings:
        blocks: list[str | SyntheticList] = [
            _paragraph(rng, 1, max(1, int(6 * length))) for _ in range(rng.randint(1, 4))
        ]
        if rng.random() < 0.3:
            blocks.insert(rng.randint(0, len(blocks)), _list(rng))
        sections.append(SyntheticSection(heading=heading, blocks=tuple(blocks)))
    frozen_sections = tuple(sections)
    text = _file_text(title, intro, frozen_sections, rng)
    return SyntheticArticle(
        file_name=file_name(index, total, seed), title=title, intro=intro,
        sections=frozen_sections, text=text,
    )


def generate(total: int, seed: int = 1) -> Iterator[SyntheticArticle]:
    """The articles of a synthetic feed of `total`, in feed order."""
    for index in range(total):
        yield make_article(index, total, seed)


def write_feed(feed_dir: Path, total: int, seed: int = 1) -> list[SyntheticArticle]:
    """Write a synthetic feed into `feed_dir` (created; must not hold .txt files yet)."""
    feed_dir.mkdir(parents=True, exist_ok=True)
    if any(feed_dir.glob("*.txt")):
        raise ValueError(f"{feed_dir}: already holds feed files; use an empty folder")
    articles = list(generate(total, seed))
    for article in articles:
        (feed_dir / article.file_name).write_text(article.text, encoding="utf-8")
    return articles
