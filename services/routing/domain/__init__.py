"""Routing's own rules, framework-free: which partner receives which fields of a referral, under which pseudonym.
The referral rules themselves (directory, planner, clocks) are the shared library libs/referral_rules."""
