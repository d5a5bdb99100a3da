from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from lvze.api.errors import RateLimited, ReadOnlyToken
from lvze.api.services import count_request, token_for

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class TokenAuth(HttpBearer):
    """A personal token stands for its user: the same selectors and services as the web apply."""

    def authenticate(self, request: HttpRequest, token: str):
        found = token_for(token)
        if found is None:
            return None
        if found.read_only and request.method in WRITE_METHODS:
            raise ReadOnlyToken
        if count_request(found, timezone.now()) > settings.LVZE_API_RATE_PER_MINUTE:
            raise RateLimited
        request.user = found.user
        request.api_token = found
        return found
