"""Schemathesis against the OpenAPI document: generated requests for every operation, with a real
token, must never produce a 5xx or a response that breaks the schema; without the token, 401."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from lvze.api.tests.helpers import bearer
from lvze.duties.generation import obligations_generate
from lvze.lib.periods import Period
from lvze.test import FixtureMixin
from lvze.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CURRENT = {"authorization": ""}


@schema.auth()
class TokenAuth:
    """Lets schemathesis both use the token and check that requests without it are refused."""

    def get(self, case, context):
        return CURRENT["authorization"]

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": data}


class Fixture(FixtureMixin):
    pass


@pytest.fixture
def token(db):
    Fixture.build_fixture()
    obligations_generate(actor=None, period=Period.parse("2024Q2"))
    CURRENT["authorization"] = bearer(Fixture.users["party_admin"])["HTTP_AUTHORIZATION"]
    # The WSGI app closes the connection after each request; the test's transaction must survive it,
    # as Django's own test client arranges.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, token):
    response = case.call()
    case.validate_response(response)
