"""The link and section checker behind `feedsite check`: load -> checks -> findings -> report."""
