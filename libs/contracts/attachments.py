"""Sealed attachments (the letters and photos a conversation is about): each file is encrypted with its own random
key in 64 KiB chunks (libsodium's secretstream, XChaCha20-Poly1305), so neither side holds more than a chunk of
plaintext at a time while sealing or opening; a truncated, reordered or altered file does not open. The file's key
travels inside the message it belongs to, which is sealed to the case's public key (sealing.py): whoever can read
the message can open its files, nobody else.

Which files are accepted, and how their content is checked, is each service's own rule (domain/); this is the
format both sides agree on.
"""
import base64
import io

from nacl.bindings import (
    crypto_secretstream_xchacha20poly1305_ABYTES as ABYTES,
    crypto_secretstream_xchacha20poly1305_HEADERBYTES as HEADERBYTES,
    crypto_secretstream_xchacha20poly1305_TAG_FINAL as TAG_FINAL,
    crypto_secretstream_xchacha20poly1305_TAG_MESSAGE as TAG_MESSAGE,
    crypto_secretstream_xchacha20poly1305_init_pull,
    crypto_secretstream_xchacha20poly1305_init_push,
    crypto_secretstream_xchacha20poly1305_keygen,
    crypto_secretstream_xchacha20poly1305_pull,
    crypto_secretstream_xchacha20poly1305_push,
    crypto_secretstream_xchacha20poly1305_state,
)
from nacl.exceptions import CryptoError

from libs.contracts.sealing import Unreadable

CHUNK = 64 * 1024


def new_file_key() -> bytes:
    return crypto_secretstream_xchacha20poly1305_keygen()


def encrypt(key: bytes, source, out) -> int:
    """Read `source` (a binary file object) chunk by chunk, write the header and the encrypted chunks to `out`.
    Returns the plaintext size."""
    state = crypto_secretstream_xchacha20poly1305_state()
    out.write(crypto_secretstream_xchacha20poly1305_init_push(state, key))
    size, chunk = 0, source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        tag = TAG_MESSAGE if following else TAG_FINAL
        out.write(crypto_secretstream_xchacha20poly1305_push(state, chunk, None, tag))
        size += len(chunk)
        if not following:
            return size
        chunk = following


def decrypt_chunks(key: bytes, sealed):
    """Yield the plaintext chunks of a sealed file object; raises Unreadable (nothing is yielded past a bad chunk)."""
    state = crypto_secretstream_xchacha20poly1305_state()
    try:
        crypto_secretstream_xchacha20poly1305_init_pull(state, sealed.read(HEADERBYTES), key)
        while True:
            block = sealed.read(CHUNK + ABYTES)
            if not block:
                raise Unreadable("attachment_truncated")
            plain, tag = crypto_secretstream_xchacha20poly1305_pull(state, block, None)
            yield plain
            if tag == TAG_FINAL:
                if sealed.read(1):
                    raise Unreadable("attachment_trailing_data")
                return
    except (CryptoError, ValueError):
        raise Unreadable("attachment_unreadable") from None


def seal_bytes(key: bytes, data: bytes) -> str:
    """A whole (already size-limited) file to base64 ciphertext, as it travels in an event."""
    out = io.BytesIO()
    encrypt(key, io.BytesIO(data), out)
    return base64.b64encode(out.getvalue()).decode()


def open_bytes(key: bytes, sealed_b64: str) -> bytes:
    try:
        sealed = base64.b64decode(sealed_b64, validate=True)
    except (ValueError, TypeError):
        raise Unreadable("not_base64") from None
    return b"".join(decrypt_chunks(key, io.BytesIO(sealed)))


def key_text(key: bytes) -> str:
    return base64.b64encode(key).decode()


def key_from_text(text: str) -> bytes:
    return base64.b64decode(text)


# -- which files the desk accepts, judged by their content (never by their name or the declared type alone) --------
MAGIC = {"application/pdf": (b"%PDF-",), "image/jpeg": (b"\xff\xd8\xff",), "image/png": (b"\x89PNG\r\n\x1a\n",)}
MAX_PIXELS = 40_000_000  # a photo of a letter needs far fewer; a "decompression bomb" needs far more


class RefusedFile(ValueError):
    """A file the desk does not take; the message is a code: too_large, empty, wrong_type, content_mismatch,
    unreadable_image."""


def sniff(data: bytes) -> str | None:
    return next((kind for kind, prefixes in MAGIC.items() if data.startswith(prefixes)), None)


def check_and_clean(declared_type: str, data: bytes, max_bytes: int) -> tuple:
    """(content type, bytes to seal): the content must be a PDF, JPEG or PNG and match what the sender declared;
    an image is decoded and written again without its metadata (EXIF carries GPS positions and the phone's name)."""
    if not data:
        raise RefusedFile("empty")
    if len(data) > max_bytes:
        raise RefusedFile("too_large")
    declared = (declared_type or "").split(";")[0].strip().lower()
    if declared not in MAGIC:
        raise RefusedFile("wrong_type")
    found = sniff(data)
    if found != declared:
        raise RefusedFile("content_mismatch")
    if found == "application/pdf":
        return found, data
    return found, _without_metadata(found, data)


def _without_metadata(content_type: str, data: bytes) -> bytes:
    from PIL import Image, ImageOps, UnidentifiedImageError  # imported when an image comes in

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)  # keep how the photo looks, drop the orientation tag with the rest
            # a new image from the pixels alone: no EXIF, XMP, ICC, text chunks or comments can come along
            clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
            if upright.mode == "P" and upright.getpalette():
                clean.putpalette(upright.getpalette())
            out = io.BytesIO()
            if content_type == "image/jpeg":
                clean.convert("RGB").save(out, format="JPEG", quality=90)
            else:
                clean.save(out, format="PNG")
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        raise RefusedFile("unreadable_image") from None
