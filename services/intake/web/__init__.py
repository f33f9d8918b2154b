"""Intake's HTTP layer: the public API and the server-rendered pages (no JavaScript needed).

- the API: api_handlers.py (one function per route), api_schemas.py (request and response bodies), openapi.py
  (/openapi.json), api_routes.py (the API's routes read off service.py's entrypoints: 405 or 404, what
  openapi.py documents);
- the pages: page_handlers.py (one function per page, CSRF and receipts checked), page_data.py (plans and case
  views shaped for them), pages.py (rendering: templates, labels, form steps and their checks, in the six languages
  of ../translations; catalogue_sync.py keeps those in step with the wording);
- for both: responses.py (security headers, JSON and error bodies), request_bodies.py (limits and parsing),
  observed.py (rate limits, failures as the caller reads them, HTTP metrics), receipt_auth.py (the receipt check).

The use cases (../use_cases) do the work; werkzeug stays here.
"""
