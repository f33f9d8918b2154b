"""Analytics' rules, framework-free: how events become a de-identified case fact, the keyed pseudonym, disclosure
control, the report's periods, indicators and tables, and how a report is rendered (csv, json, html with charts).
No I/O: the use cases read and write the fact store and hand these modules plain values."""
