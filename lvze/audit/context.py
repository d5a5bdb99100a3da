"""The request's client address, available to services without passing the request around."""

from __future__ import annotations

from contextvars import ContextVar

current_ip: ContextVar[str] = ContextVar("current_ip", default="")
