"""The public, server-rendered intake form: templates, translations, page rendering and form parsing.

Framework-free on purpose: the intake's HTTP service calls `pages.py` and owns routing, CSRF, storage and
receipts. Nothing here does I/O beyond reading its own package files.
"""
