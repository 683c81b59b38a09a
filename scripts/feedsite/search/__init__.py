"""Site search: a Pagefind index built from the built HTML, so it serves any builder."""
