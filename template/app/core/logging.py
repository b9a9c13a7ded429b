"""Structured logging: JSON lines in production, readable lines in development.

Every line carries the request's correlation id, so one request can be followed through
the service and into the services it calls.
"""

import logging
import sys
from json import dumps as json_dumps
from typing import Any

import orjson
import structlog
from asgi_correlation_id import correlation_id
from structlog.types import EventDict, WrappedLogger

from app.core.redaction import redact_sensitive_values

# uvicorn's own loggers; its access log stays off (see below).
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error")


def _add_correlation_id(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    request_id = correlation_id.get()
    if request_id is not None:
        event_dict.setdefault("request_id", request_id)
    return event_dict


def _json_line(event: Any, **kwargs: Any) -> str:
    """The event as one JSON object: orjson, several times faster than the json module.

    The standard library takes what orjson refuses (integers beyond 64 bits).
    """
    try:
        line: bytes = orjson.dumps(
            event, default=kwargs.get("default"), option=orjson.OPT_NON_STR_KEYS
        )
    except orjson.JSONEncodeError:
        return json_dumps(event, **kwargs)
    return line.decode()


def configure_logging(*, level: str, json: bool, redact: bool = True) -> None:
    """Route stdlib and structlog records through one structlog formatter.

    One sink, the root handler, so uvicorn's, SQLAlchemy's and the service's own lines come
    out alike (and tests read them with caplog). What each line costs is kept down: calls
    below the level stop before any processor runs, no record looks up its caller's frame,
    thread or process, and orjson renders the line. With `redact` (everywhere but
    development, where the console verifier's codes are the point), phone numbers, codes,
    tokens and secrets are taken out of every line, tracebacks included.
    """
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_correlation_id,
    ]
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer(serializer=_json_line)
        if json
        else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[
            # Asks the stdlib logger (so caplog.at_level and per-logger levels apply).
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                *([redact_sensitive_values] if redact else []),
                renderer,
            ],
        )
    )
    # No line shows a record's source file, thread or process: collecting them costs a frame
    # walk and lookups on every record (the logging HOWTO's "Optimization").
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # uvicorn configured its loggers with plain-text handlers before it built the app: they
    # hand their records (tracebacks of unhandled errors included) to the root handler instead,
    # so production writes nothing but JSON lines.
    for name in UVICORN_LOGGERS:
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    # Python's warnings become log records too, instead of plain text on stderr.
    logging.captureWarnings(True)
    # aiosqlite's DEBUG lines repeat every statement with its parameters: phone numbers.
    logging.getLogger("aiosqlite").setLevel(max(root.level, logging.INFO))
    # uvicorn's access log repeats what `log_request` writes, without the request id.
    logging.getLogger("uvicorn.access").handlers.clear()
    logging.getLogger("uvicorn.access").propagate = False
