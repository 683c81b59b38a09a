"""Build a site's Pagefind index from its HTML and publish it so readers never see half of one.

Pagefind names its chunks by content hash and finds them through one small entry file
(`pagefind-entry.json`). A new index is written into a temporary folder inside the site, its
chunks are moved next to the live ones, and the entry file is replaced last, atomically: a
search running at that moment keeps using the previous chunks, which stay until the next
publish. So the index is never partial or missing, even while `mkdocs serve` re-indexes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pagefind.service import get_executable

from feedsite.atomic import write_atomically
from feedsite.errors import UserError
from feedsite.search.config import BUNDLE_DIR, EXCLUDE_SELECTORS
from feedsite.search.script_tuning import tune_script

ENTRY_FILE = "pagefind-entry.json"
# Pagefind's own ready-made interfaces: feedsite has its dialog, so they are not published.
UNUSED_FILES = frozenset({
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css",
})
# The files of the previous publish, kept one more round for searches that started before it.
MANIFEST_FILE = "feedsite-files.txt"


class SearchIndexError(UserError):
    """Pagefind could not index the site; the message says which site and why."""


@dataclass(frozen=True)
class IndexResult:
    """What one indexing run produced."""

    bundle_dir: Path
    pages: int  # pages Pagefind indexed (published article pages)
    files: int  # files in the new index
    seconds: float


def index_site(site_dir: Path) -> IndexResult:
    """Index the built HTML under `site_dir` and publish it at `site_dir/pagefind/`."""
    started = time.perf_counter()
    site_dir = site_dir.resolve()
    if not (site_dir / "index.html").is_file():
        raise SearchIndexError(
            f"{site_dir}: no index.html here; build the site first "
            "(mkdocs build or zensical build) and pass its folder with --site"
        )
    staging = Path(tempfile.mkdtemp(prefix=f".{BUNDLE_DIR}-", dir=site_dir))
    try:
        pages = _write_index(site_dir, staging)
        tune_script(staging)
        files = publish(staging, site_dir / BUNDLE_DIR)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return IndexResult(site_dir / BUNDLE_DIR, pages, files, time.perf_counter() - started)


def _write_index(site_dir: Path, output: Path) -> int:
    """Run Pagefind over `site_dir`, writing a complete index into `output`; return its pages.

    Pagefind's command line is used, not its Python service: the service answers "written"
    while its last writes are still in flight and is then killed by the client, which can leave
    empty or cut files. The command line exits only when every file is on disk.
    """
    executable = get_executable()
    if executable is None:
        raise SearchIndexError(
            f"{site_dir}: the Pagefind binary is missing; "
            "install the pinned dependencies with pip install -e ."
        )
    command = [
        str(executable), "--site", str(site_dir), "--output-path", str(output),
        # Only HTML pages; the staging folder holds none, so it is never indexed itself.
        "--glob", "**/*.html", "--silent",
    ]
    for selector in EXCLUDE_SELECTORS:
        command += ["--exclude-selectors", selector]
    try:
        finished = subprocess.run(
            command, cwd=site_dir, capture_output=True, text=True, errors="replace", check=False
        )
    except OSError as exc:
        raise SearchIndexError(f"{site_dir}: could not run Pagefind: {exc}") from exc
    if finished.returncode != 0:
        said = (finished.stderr or finished.stdout).strip() or f"exit code {finished.returncode}"
        raise SearchIndexError(f"{site_dir}: Pagefind could not index the site: {said}")
    entry = output / ENTRY_FILE
    try:
        languages = json.loads(entry.read_text(encoding="utf-8")).get("languages", {})
    except (OSError, ValueError, AttributeError) as exc:
        raise SearchIndexError(
            f"{site_dir}: Pagefind wrote no readable {ENTRY_FILE} ({exc}); nothing published"
        ) from exc
    # The pages actually indexed (those with data-pagefind-body), not all the HTML files read.
    return sum(int(lang.get("page_count", 0)) for lang in languages.values())


def publish(staging: Path, bundle: Path) -> int:
    """Move a complete index from `staging` into `bundle`, the entry file last; return its size.

    Files of the publish before the previous one are deleted: no reader can still need them.
    """
    new_files = sorted(
        rel for rel in (p.relative_to(staging).as_posix() for p in staging.rglob("*")
                        if p.is_file())
        if rel not in UNUSED_FILES
    )
    bundle.mkdir(exist_ok=True)
    previous = _read_manifest(bundle)
    for rel in new_files:
        if rel == ENTRY_FILE:
            continue
        target = bundle / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, target)  # same name, same content: hashed or version-fixed
    os.replace(staging / ENTRY_FILE, bundle / ENTRY_FILE)  # the switch readers see
    keep = set(new_files) | previous | {MANIFEST_FILE}
    _write_manifest(bundle, new_files)
    for path in sorted(bundle.rglob("*"), reverse=True):
        rel = path.relative_to(bundle).as_posix()
        if path.is_file() and rel not in keep:
            path.unlink(missing_ok=True)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return len(new_files)


def _read_manifest(bundle: Path) -> set[str]:
    """The previous publish's files; without a manifest, everything there (kept one round)."""
    manifest = bundle / MANIFEST_FILE
    if manifest.is_file():
        return {line for line in manifest.read_text(encoding="utf-8").splitlines() if line}
    return {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}


def _write_manifest(bundle: Path, files: list[str]) -> None:
    write_atomically(bundle / MANIFEST_FILE, ("\n".join(files) + "\n").encode("utf-8"))
