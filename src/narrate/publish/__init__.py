"""Publishing built books: the catalog, its podcast feed and its page."""
