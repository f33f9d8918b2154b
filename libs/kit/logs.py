"""structlog JSON logs on stdout, with a last processor that drops anything that could identify a person.

Why a drop-list and not discipline alone: one careless `log.info(..., data=payload)` would write special-category
data to disk. The final processor removes those keys whatever the call site did.
"""
import logging
import sys

import structlog

# keys whose values may hold complaint content, contact details, secrets or addresses
SENSITIVE_KEYS = frozenset({
    "description", "contact", "address", "email", "phone", "receipt", "secret", "password", "token",
    "body", "payload", "data", "form", "values", "institution_name", "safe_times", "ip", "remote_addr",
    "authorization", "headers", "cookie", "message_body",
})


def drop_sensitive_keys(_logger, _method, event_dict):
    for key in list(event_dict):
        if key.lower() in SENSITIVE_KEYS:
            event_dict[key] = "[dropped]"
    return event_dict


def configure_logging(service, level=None):
    level_name = (level or "INFO").upper()
    logging.basicConfig(format="%(message)s", stream=sys.stdout, level=getattr(logging, level_name, logging.INFO))
    # third-party loggers may print URLs or message bodies at debug level: keep them at WARNING
    for noisy in ("kombu", "amqp", "pika", "nameko", "urllib3", "aiosmtpd", "mail.log"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # pika logs the first bytes of a returned (unroutable) message at WARNING; we log the event id ourselves
    logging.getLogger("pika.adapters.blocking_connection").setLevel(logging.ERROR)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            drop_sensitive_keys,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(getattr(logging, level_name, logging.INFO)),
        logger_factory=structlog.PrintLoggerFactory(),
        # not cached: a logger must follow sys.stdout when it is replaced (test capture, daemonising)
        cache_logger_on_first_use=False,
    )
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(service=service)


def get_logger():
    return structlog.get_logger()
