"""`feedsite fetch`: download the feed documents listed in settings, and their items' images."""
