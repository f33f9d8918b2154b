"""Directory codes (channel ids, step kinds, step statuses) as the fact store keeps them.

They come from routing's channel directory: short lowercase codes. Anything that does not look like one is
stored as `unrecognised`, so text can never slip into the store through a code field.
"""
import re

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.:-]{0,47}$")
CODE_LENGTH = 48
UNRECOGNISED_CODE = "unrecognised"


def directory_code(value: str) -> str:
    """A directory code as is; anything that does not look like one is not stored (it might be text)."""
    return value if isinstance(value, str) and CODE_PATTERN.match(value) else UNRECOGNISED_CODE
