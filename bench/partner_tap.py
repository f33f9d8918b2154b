"""The partner's side of the benchmark: clients/partner's PartnerClient on one partner queue, in a thread.

Referrals carry an opaque per-partner case id (`subject` = HMAC(PARTNER_SECRET, partner:reference), see
services/routing/domain/partners.py). The benchmark runs the platform with its own PARTNER_SECRET, so it computes
the subject of every reference it was given and matches what the partner receives.
"""
import threading
import time
from collections import defaultdict

from clients.partner.client import PartnerClient
from services.routing.domain.partners import partner_subject


class PartnerTap:
    def __init__(self, amqp_uri, partner_id, secret: bytes, prefetch=500):
        self.partner_id = partner_id
        self.secret = secret
        self.client = PartnerClient(amqp_uri, partner_id, prefetch=prefetch, max_backoff=1.0)
        self._init_bookkeeping()

    def _init_bookkeeping(self):
        self.lock = threading.Lock()
        self.received = defaultdict(list)  # subject -> [monotonic receive times], one per delivery
        self.ids = defaultdict(set)        # subject -> CloudEvents ids seen
        self.total = 0
        self.last_at = time.monotonic()
        self.error = None
        self.thread = threading.Thread(target=self._run, name=f"partner-{self.partner_id}", daemon=True)

    def subject(self, reference):
        return partner_subject(self.secret, self.partner_id, reference)

    def _handle(self, event):
        now = time.monotonic()
        with self.lock:
            self.received[event["subject"]].append(now)
            self.ids[event["subject"]].add(event["id"])
            self.total += 1
            self.last_at = now

    def _run(self):
        try:
            self.client.consume(self._handle)
        except Exception as exc:  # noqa: BLE001 - reported by the phase that waits on the tap
            self.error = exc

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.client.stop()
        self.thread.join(10)

    def first_seen(self, subjects):
        """{subject: first receive time} for those of `subjects` received so far."""
        with self.lock:
            return {s: self.received[s][0] for s in subjects if self.received.get(s)}

    def deliveries(self, subjects):
        """(distinct subjects received, total deliveries) among `subjects`."""
        with self.lock:
            counts = [len(self.received[s]) for s in subjects if self.received.get(s)]
        return len(counts), sum(counts)

    def wait_for(self, subjects, timeout, poll=0.02):
        """Until every subject arrived or `timeout` s passed. Returns the time (monotonic) the last one came."""
        subjects = list(subjects)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.error is not None:
                raise RuntimeError(f"partner consumer failed: {self.error!r}")
            seen, _total = self.deliveries(subjects)
            if seen == len(subjects):
                return max(self.first_seen(subjects).values(), default=time.monotonic())
            time.sleep(poll)
        return None

    def idle_for(self):
        with self.lock:
            return time.monotonic() - self.last_at
