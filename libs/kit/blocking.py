"""Run CPU-heavy C code (Argon2id, a large decryption) off eventlet's hub, so one sign-in does not stall every other
request of the process; at most MAX_CONCURRENT at a time, so concurrent sign-ins cannot exhaust memory (Argon2id
takes 64 MiB each). argon2-cffi and libsodium release the GIL, so a real thread does the work.

Under a plain interpreter (CLIs, unit tests) the function runs in the caller's thread, behind the same bound.
"""
import functools
import threading

MAX_CONCURRENT = 2


@functools.cache
def _green_slots():
    from eventlet.semaphore import BoundedSemaphore
    return BoundedSemaphore(MAX_CONCURRENT)


_thread_slots = threading.BoundedSemaphore(MAX_CONCURRENT)


def _eventlet_patched() -> bool:
    import eventlet.patcher
    return eventlet.patcher.is_monkey_patched("thread")


def run_blocking(function, *args, **kwargs):
    if not _eventlet_patched():
        with _thread_slots:
            return function(*args, **kwargs)
    from eventlet import tpool
    with _green_slots():
        return tpool.execute(function, *args, **kwargs)
