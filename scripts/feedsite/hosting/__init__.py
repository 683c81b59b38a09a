"""Hosting: the headers a real host should send (`policy`) and a local server that sends them."""
