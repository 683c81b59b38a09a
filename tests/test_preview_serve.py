"""A real `mkdocs serve` on a free 127.0.0.1 port: one rebuild per save (also for several files
saved at once), conflicts as warnings plus a note on the page, drafts previewed but unlisted."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from benchmarks.serve_loop import ServeProcess, fetch

from conftest import TmpProject, make_project
from feedsite.cli import run

pytestmark = pytest.mark.slow
TIMEOUT = 120.0


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TmpProject, ServeProcess]]:
    project = make_project(tmp_path_factory.mktemp("serve"))
    for number, name in enumerate(("Alpha", "Beta", "Gamma", "Delta")):
        project.write_feed(f"00{number}_x.txt", f"{name}\n\n{name} introduction.\n\nBody.\n")
    assert run(["import", "-q", "-f", str(project.config_file)]) == 0
    server = ServeProcess(project.root, log=project.root.parent / "serve.log")
    try:
        server.wait_until_serving(TIMEOUT)
        server.settle(timeout=TIMEOUT)
        yield project, server
    finally:
        server.stop()


def builds_when_settled(server: ServeProcess) -> int:
    """Builds so far, once no build has run for a while (a second rebuild would show)."""
    server.settle(quiet=1.5, timeout=TIMEOUT)
    return server.builds()


def test_a_feed_save_shows_after_one_rebuild(served: tuple[TmpProject, ServeProcess]) -> None:
    project, server = served
    before = builds_when_settled(server)
    project.write_feed("000_x.txt", "Alpha\n\nAlpha edited introduction.\n\nBody.\n")
    server.wait_for("articles/alpha/", lambda t: "Alpha edited introduction." in t, TIMEOUT)
    # The home page lists the new description, and the next article's page is untouched.
    server.wait_for("", lambda t: "Alpha edited introduction." in t, TIMEOUT)
    assert builds_when_settled(server) - before == 1


def test_a_new_title_shows_on_the_neighbours_pages_too(
    served: tuple[TmpProject, ServeProcess],
) -> None:
    project, server = served
    before = builds_when_settled(server)
    project.write_feed("000_x.txt", "Alpha Renamed\n\nAlpha edited introduction.\n\nBody.\n")
    # Beta's "previous" link is in its own page: the import rewrites it, the dirty build
    # renders it again.
    server.wait_for("articles/beta/", lambda t: "Alpha Renamed" in t, TIMEOUT)
    server.wait_for("articles/alpha/", lambda t: "Alpha Renamed" in t, TIMEOUT)
    assert builds_when_settled(server) - before == 1


def test_several_files_saved_at_once_cost_one_rebuild(
    served: tuple[TmpProject, ServeProcess],
) -> None:
    project, server = served
    before = builds_when_settled(server)
    project.write_feed("001_x.txt", "Beta\n\nBeta changed.\n\nBody.\n")
    project.write_feed("002_x.txt", "Gamma\n\nGamma changed.\n\nBody.\n")
    project.write_feed("009_x.txt", "Epsilon\n\nA new article.\n\nBody.\n")
    server.wait_for("articles/beta/", lambda t: "Beta changed." in t, TIMEOUT)
    server.wait_for("articles/gamma/", lambda t: "Gamma changed." in t, TIMEOUT)
    server.wait_for("articles/epsilon/", lambda t: "A new article." in t, TIMEOUT)
    assert builds_when_settled(server) - before == 1


def test_a_conflict_is_a_warning_and_a_note_and_the_site_still_serves(
    served: tuple[TmpProject, ServeProcess],
) -> None:
    project, server = served
    page = project.articles / "delta.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nDelta by hand.\n", encoding="utf-8")
    project.write_feed("003_x.txt", "Delta\n\nDelta from the feed.\n\nBody.\n")
    server.wait_for("articles/delta/", lambda t: "feedsite-preview-note" in t, TIMEOUT)
    html = fetch(server.url + "articles/delta/") or ""
    assert "Conflict: this page was edited by hand" in html
    assert "feedsite import --keep docs/articles/delta.md" in html
    assert "Delta by hand." in html and "Delta from the feed." not in html
    assert ("WARNING -  feedsite import: docs/articles/delta.md: conflict: edited by hand"
            in server.log())
    assert fetch(server.url) is not None
    # Resolving it takes the note away again.
    assert run(["import", "-q", "-f", str(project.config_file),
                "--force", "docs/articles/delta.md"]) == 0
    server.wait_for("articles/delta/", lambda t: "Delta from the feed." in t
                    and "feedsite-preview-note" not in t, TIMEOUT)


def test_a_draft_is_previewed_with_a_note_and_listed_nowhere(
    served: tuple[TmpProject, ServeProcess],
) -> None:
    project, server = served
    project.write_feed("010_x.txt", "Draft: Zeta\n\nZeta is not ready.\n\nBody.\n")
    server.wait_for("articles/zeta/", lambda t: "Zeta is not ready." in t, TIMEOUT)
    html = fetch(server.url + "articles/zeta/") or ""
    assert "Draft: not published" in html
    assert "delete &#x27;Draft:&#x27; from the title line of feed/010_x.txt" in html
    assert not (project.articles / "zeta.md").exists()
    home = fetch(server.url) or ""
    assert "Zeta" not in home
    assert "Zeta" not in (project.docs / "feed.xml").read_text(encoding="utf-8")
    # Publishing it: the note goes, the home page lists it.
    time.sleep(0.05)
    project.write_feed("010_x.txt", "Zeta\n\nZeta is ready.\n\nBody.\n")
    server.wait_for("", lambda t: "Zeta" in t, TIMEOUT)
    html = fetch(server.url + "articles/zeta/") or ""
    assert "Zeta is ready." in html and "Draft: not published" not in html


def test_a_config_change_rebuilds_everything_once(
    served: tuple[TmpProject, ServeProcess],
) -> None:
    project, server = served
    before = builds_when_settled(server)
    full = "feedsite preview: full rebuild, as every page depends on "
    assert full not in server.log()  # every rebuild so far was dirty
    config = project.config_file.read_text(encoding="utf-8")
    project.config_file.write_text(
        config.replace("site_name: Feedsite Health Library", "site_name: Renamed Library"),
        encoding="utf-8")
    server.wait_for("articles/alpha/", lambda t: "Renamed Library" in t, TIMEOUT)
    assert builds_when_settled(server) - before == 1
    # Every page shows the site name, so this build was a full one, not a dirty one.
    assert f"{full}{project.config_file}" in server.log()
    assert "Renamed Library" in (fetch(server.url + "articles/beta/") or "")
