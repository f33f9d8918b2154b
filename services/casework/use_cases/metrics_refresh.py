"""The queue's gauges: open cases per list (counts only; the lists are a fixed set)."""
from services.casework import metrics
from services.casework.use_cases import queue


def refresh(session, today):
    counts = queue.counts(session, 0, queue.QueueQuery(), today)
    for name, value in counts.items():
        if name != "mine":
            metrics.CASES_OPEN.labels(metrics.SERVICE, name).set(value)
