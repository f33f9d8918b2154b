"""Keys the server derives from CASEWORK_SECRET, one per purpose (BLAKE2b with a label each), for what the server
itself must read or compare: second-factor secrets (sealed at rest), recovery-code hashes, throttling buckets."""
import hashlib
import hmac

from nacl.encoding import RawEncoder
from nacl.exceptions import CryptoError
from nacl.hash import blake2b
from nacl.secret import SecretBox


def derive(secret: bytes, label: bytes) -> bytes:
    return blake2b(b"", digest_size=32, key=secret[:64], person=label[:16], encoder=RawEncoder)


class ServerKeys:
    def __init__(self, secret: bytes):
        self._totp = SecretBox(derive(secret, b"vp:cw-totp:1"))
        self.recovery_pepper = derive(secret, b"vp:cw-recovery:1")
        self._throttle = derive(secret, b"vp:cw-throttle:1")

    def seal_totp(self, totp_secret: str) -> str:
        return self._totp.encrypt(totp_secret.encode()).hex()

    def open_totp(self, sealed: str) -> str:
        try:
            return self._totp.decrypt(bytes.fromhex(sealed)).decode()
        except (CryptoError, ValueError):
            raise ValueError("second-factor secret unreadable (wrong CASEWORK_SECRET?)") from None

    def bucket(self, kind: str, value: str) -> str:
        """A keyed hash naming a throttling bucket (client address or typed e-mail), never the value itself."""
        return hmac.new(self._throttle, f"{kind}:{value.strip().lower()}".encode(), hashlib.sha256).hexdigest()[:32]
