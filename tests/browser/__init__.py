"""Browser suite: the built site driven in a real Chromium on 127.0.0.1."""
