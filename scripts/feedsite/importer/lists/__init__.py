"""Generated list pages that scale: the home page's newest articles, A-Z pages and topic pages."""
