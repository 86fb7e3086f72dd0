"""A Dramatiq middleware: while a worker runs a message, its log lines carry the id of
the request that caused the work (the message option set by BrokerQueue), so one id
finds the request's lines in the API's logs and the workers'. Work no request caused
(the scheduler tick's hints) logs with none."""

from __future__ import annotations

from typing import Any

from dramatiq import Middleware
from dramatiq.broker import Broker

from backend.logs import REQUEST_ID
from workers.queue_adapter import REQUEST_ID_OPTION


class RequestIds(Middleware):
    # A worker thread runs one message at a time: the id is set before it and cleared after.
    def before_process_message(self, broker: Broker, message: Any) -> None:
        request_id = message.options.get(REQUEST_ID_OPTION)
        REQUEST_ID.set(request_id if isinstance(request_id, str) else None)

    def after_process_message(
        self, broker: Broker, message: Any, *, result: Any = None, exception: BaseException | None = None
    ) -> None:
        REQUEST_ID.set(None)

    def after_skip_message(self, broker: Broker, message: Any) -> None:
        REQUEST_ID.set(None)
