"""structlog JSON logs on stdout, with processors that drop anything that could identify a person.

Why a drop-list and not discipline alone: one careless `log.info(..., data=payload)` would write special-category
data to disk. So:
- the values of sensitive keys are dropped at any depth (a dict or list inside a log field too);
- exceptions are logged by class and code location only: an exception's text may quote what it failed on (an
  SQL statement's parameters, a decoder's input), so it never reaches a log line;
- the standard library's loggers (nameko logs a failed worker with its exception; kombu, SQLAlchemy) go through
  the same processors instead of printing their own text.
"""
import logging
import sys
import traceback

import structlog
from opentelemetry import trace

# keys whose values may hold complaint content, contact details, secrets or addresses
SENSITIVE_KEYS = frozenset({
    "description", "contact", "address", "email", "phone", "receipt", "secret", "password", "token",
    "body", "payload", "data", "form", "values", "institution_name", "safe_times", "ip", "remote_addr",
    "authorization", "headers", "cookie", "message_body", "text", "sender", "name", "attachment",
})
DROPPED = "[dropped]"
MAX_DEPTH = 6


def _scrub(value, depth=0):
    if depth > MAX_DEPTH:
        return DROPPED
    if isinstance(value, dict):
        return {key: (DROPPED if isinstance(key, str) and key.lower() in SENSITIVE_KEYS else _scrub(item, depth + 1))
                for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub(item, depth + 1) for item in value]
    return value


def drop_sensitive_keys(_logger, _method, event_dict):
    for key in list(event_dict):
        if key.lower() in SENSITIVE_KEYS:
            event_dict[key] = DROPPED
        elif isinstance(event_dict[key], (dict, list, tuple)):
            event_dict[key] = _scrub(event_dict[key])
    return event_dict


def exception_without_text(_logger, _method, event_dict):
    """Replace exc_info by the exception's class and its frames (file, line, function): no message, no locals."""
    exc_info = event_dict.pop("exc_info", None)
    if exc_info is True:
        exc_info = sys.exc_info()
    if isinstance(exc_info, BaseException):
        exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
    if exc_info and exc_info[0] is not None:
        event_dict["exception"] = exc_info[0].__name__
        event_dict["frames"] = [f"{frame.filename.rsplit('/site-packages/', 1)[-1]}:{frame.lineno} {frame.name}"
                                for frame in traceback.extract_tb(exc_info[2])][-8:]
    return event_dict


def stdlib_logger_name(_logger, _method, event_dict):
    """A standard-library record carries its format string as the event (ProcessorFormatter's use_get_message=False):
    nameko's 'error handling worker %s: %s' would otherwise print the worker's call arguments and the exception's
    text. The logger's name says where it came from."""
    record = event_dict.get("_record")
    if record is not None:
        event_dict["logger"] = record.name
    return event_dict


def add_trace_ids(_logger, _method, event_dict):
    """trace_id and span_id of the current span, so a log line can be found from a trace and the other way round.
    Also with tracing off when a caller sent a traceparent: the no-op span carries the caller's ids."""
    span_context = trace.get_current_span().get_span_context()
    if span_context.is_valid:
        event_dict.setdefault("trace_id", format(span_context.trace_id, "032x"))
        event_dict.setdefault("span_id", format(span_context.span_id, "016x"))
    return event_dict


class _CurrentStdout:
    """Writes to whatever sys.stdout is now (a test's capture, a daemon's redirect), not the one at configure time."""

    def write(self, text):
        return sys.stdout.write(text)

    def flush(self):
        sys.stdout.flush()


SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    add_trace_ids,
    structlog.processors.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    exception_without_text,
    drop_sensitive_keys,
]


def configure_logging(service, level=None):
    level_name = (level or "INFO").upper()
    level_number = getattr(logging, level_name, logging.INFO)
    handler = logging.StreamHandler(_CurrentStdout())
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[stdlib_logger_name, *SHARED_PROCESSORS], use_get_message=False,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, structlog.processors.JSONRenderer()]))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level_number)
    # third-party loggers may print URLs or message bodies at debug level: keep them at WARNING
    for noisy in ("kombu", "amqp", "pika", "nameko", "urllib3", "aiosmtpd", "mail.log"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # pika logs the first bytes of a returned (unroutable) message at WARNING; we log the event id ourselves
    logging.getLogger("pika.adapters.blocking_connection").setLevel(logging.ERROR)
    structlog.configure(
        processors=[*SHARED_PROCESSORS, structlog.processors.JSONRenderer()],
        wrapper_class=structlog.make_filtering_bound_logger(level_number),
        logger_factory=structlog.PrintLoggerFactory(),
        # not cached: a logger must follow sys.stdout when it is replaced (test capture, daemonising)
        cache_logger_on_first_use=False,
    )
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(service=service)


def get_logger():
    return structlog.get_logger()
