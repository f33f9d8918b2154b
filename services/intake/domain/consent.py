"""The consent a person gives when filing, as stored with the complaint."""

# The version of the consent wording the person saw (form and API). Stored with every consent, so a later change
# of wording never makes an earlier consent read as if it covered the new text; change it with the wording.
CONSENT_WORDING_VERSION = "2026-11-v1"
