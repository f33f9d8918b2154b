"""Fixes for nameko 2.14.1 behaviour the platform runs into (the version is pinned; each fix says what it mends).

`QueueConsumer.unregister_provider` while the consumer is still starting (connecting, declaring queues) sends
its "last provider unregistered" event once per provider. With more than one event handler the second send
raises "Trying to re-send() an already-triggered event" and the container's stop never finishes: a service
stopped in its first seconds (Ctrl-C right after `make run`, a pod terminated during start-up) hung until
SIGKILL. Sending it once is what the code means to do.
"""
from nameko.messaging import QueueConsumer

_original_unregister = QueueConsumer.unregister_provider


def _unregister_provider(self, provider):
    if not self._consumers_ready.ready():
        if not self._last_provider_unregistered.ready():
            self._last_provider_unregistered.send()
        return None
    return _original_unregister(self, provider)


def install():
    QueueConsumer.unregister_provider = _unregister_provider


def consumers_ready(container) -> bool:
    """True once every queue consumer of the container consumes (its queues are declared and bound)."""
    return all(extension._consumers_ready.ready() for extension in container.extensions
               if isinstance(extension, QueueConsumer))
