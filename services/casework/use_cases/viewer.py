"""Who is asking: a signed-in staff member with the private key their session unlocked (or None before setup)."""
from dataclasses import dataclass

from nacl.public import PrivateKey


@dataclass(frozen=True)
class Viewer:
    account_id: int
    email: str
    display_name: str
    role: str
    key_id: str | None
    private_key: PrivateKey | None
    csrf_secret: str
    stage: str  # "full" for a complete sign-in

    @property
    def actor(self) -> str:
        return f"account:{self.account_id}"

    def __repr__(self):  # never the key, whatever logs or tracebacks print
        return f"Viewer(account_id={self.account_id}, role={self.role!r}, stage={self.stage!r})"
