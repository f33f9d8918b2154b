"""Reference data every service may read: the 342 Dutch municipalities of 2025 (one CSV, one reader)."""
