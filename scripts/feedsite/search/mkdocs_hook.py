"""MkDocs hook: write the Pagefind search index after `mkdocs build` and `mkdocs serve` builds.

mkdocs.yml names this file under `hooks:`. It only calls the package: `feedsite index`
does the same after `zensical build` (Zensical ignores hooks). A build waits for its index;
under serve, rebuilds are re-indexed in the background (feedsite.search.live).
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from feedsite.search.index import SearchIndexError, index_site
from feedsite.search.live import LiveIndexer

log = logging.getLogger("mkdocs.plugins.feedsite.search")
_live: LiveIndexer | None = None


def on_startup(command: str, **_: Any) -> None:
    global _live
    if command == "serve" and _live is None:
        spare = Path(tempfile.mkdtemp(prefix="feedsite-search-")) / "pagefind"
        _live = LiveIndexer(spare, log.info)


def on_post_build(config: Any, **_: Any) -> None:
    site_dir = Path(config.site_dir)
    if _live is not None:
        _live.after_build(site_dir)
        return
    try:
        result = index_site(site_dir)
    except SearchIndexError as exc:
        raise PluginError(str(exc)) from exc
    log.info(f"feedsite search: indexed {result.pages} page(s) in {result.seconds:.1f} s")


def on_shutdown(**_: Any) -> None:
    if _live is not None:
        _live.wait(timeout=10)
        _live.discard_spare()
