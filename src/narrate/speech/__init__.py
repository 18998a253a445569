"""Speech: sentences spoken on an executor by an engine, and the cache they are kept in."""
