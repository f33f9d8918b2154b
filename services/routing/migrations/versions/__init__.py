"""routing's revisions, oldest first: 0001 is the baseline (the schema create_all made before migrations existed)."""
