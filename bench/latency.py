"""End-to-end latency: from the 201 (the complainant has a reference) to the partner holding the referral.

Open loop at a steady rate; each accepted reference's pseudonymous subject is looked up at the partner tap. The
same-run baseline is the broker floor: one publish and one consume through RabbitMQ with pika at the same rate.
"""
import threading
import time
import uuid

import pika

from openloop import complaint_body, open_loop, post_complaint, summary_ms


def end_to_end(port, tap, rate, seconds, tail_timeout=30.0):
    body = complaint_body()

    def fire(_i, due):
        return post_complaint(port, body, started=due)

    results, errors, lag = open_loop(rate, seconds, fire)
    accepted = {tap.subject(ref): (at, total) for status, ref, at, total in filter(None, results) if status == 201}
    statuses = {}
    for status, *_ in filter(None, results):
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    tap.wait_for(accepted, tail_timeout)
    seen = tap.first_seen(accepted)
    latencies = [seen[s] - accepted[s][0] for s in seen]
    return {
        "rate_per_s": rate, "seconds": seconds, "sent": len(results), "accepted": len(accepted),
        "statuses": statuses, "request_errors": len(errors), "generator_lag_ms": round(lag * 1000, 1),
        "not_received": len(accepted) - len(seen),
        "post_response": summary_ms([total for _at, total in accepted.values()]),
        "accepted_to_partner": summary_ms(latencies),
    }


def broker_floor(amqp_uri, rate, seconds):
    """Publish at `rate`/s to a private queue and consume it in another connection: latency of one broker hop."""
    queue = f"bench.floor.{uuid.uuid4().hex[:8]}"
    sent, received, done = {}, {}, threading.Event()
    publisher = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    channel = publisher.channel()
    channel.queue_declare(queue, auto_delete=True)
    total = max(1, int(rate * seconds))

    def consume():
        consumer = pika.BlockingConnection(pika.URLParameters(amqp_uri))
        try:
            listener = consumer.channel()
            for method, _props, body in listener.consume(queue, inactivity_timeout=1.0):
                if method is not None:
                    received[body.decode()] = time.monotonic()
                    listener.basic_ack(method.delivery_tag)
                if len(received) >= total or done.is_set():
                    break
            listener.cancel()
        finally:
            consumer.close()

    thread = threading.Thread(target=consume, daemon=True)
    thread.start()
    time.sleep(0.2)
    try:
        start = time.monotonic()
        for i in range(total):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                publisher.sleep(delay)
            sent[str(i)] = time.monotonic()
            channel.basic_publish("", queue, str(i).encode(),
                                  pika.BasicProperties(delivery_mode=2))
        thread.join(timeout=10)
    finally:
        done.set()
        thread.join(timeout=5)
        try:
            publisher.close()
        except Exception:  # noqa: BLE001 - already closed
            pass
    return {"rate_per_s": rate, "seconds": seconds, "sent": total, "not_received": total - len(received),
            **summary_ms([received[k] - sent[k] for k in received])}
