"""Schemathesis against a running server (pytest-django's ``live_server``) with a token:
generated requests for every operation of the schema, then a stateful run over the
links between operations. No answer may be a server error or contradict the schema
(status code, content type, headers, body). Kept fast: few examples per operation."""

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from audit.tokens import AddApiToken

pytestmark = pytest.mark.slow

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
EXAMPLES = 5


@pytest.fixture
def api_schema():
    return schemathesis.openapi.from_dict(
        SchemaGenerator().get_schema(request=None, public=True))


@pytest.fixture
def headers(seeded, users):
    # The admin may do everything, so every operation is reached.
    return {"Authorization": f"Bearer {AddApiToken(users['admin'], 'fuzz').execute()[1]}"}


def run_operation(operation, base_url, headers, mode=GenerationMode.POSITIVE):
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def fuzz(data):
        case = data.draw(operation.as_strategy(generation_mode=mode))
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

    fuzz()


def test_no_server_error_and_no_schema_contradiction(live_server, api_schema, headers,
                                                     monkeypatch):
    # Export jobs stay queued: building files is tested elsewhere and would make this slow.
    monkeypatch.setattr("registry.tasks.start", lambda job: None)
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        # Valid requests, then invalid ones (which must be refused, never a server error).
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                run_operation(operation, live_server.url, headers, mode)
            except Exception as exc:  # noqa: BLE001 — collect every operation's failure
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)


def test_stateful_no_server_error(live_server, api_schema, headers, monkeypatch):
    monkeypatch.setattr("registry.tasks.start", lambda job: None)
    machine = api_schema.as_state_machine()

    class Machine(machine):
        def get_call_kwargs(self, case):
            return {"base_url": live_server.url, "headers": headers}

        def validate_response(self, response, case, **kwargs):
            case.validate_response(response, checks=CHECKS)

    Machine.run(settings=settings(max_examples=8, stateful_step_count=4, deadline=None,
                                  database=None, derandomize=True,
                                  suppress_health_check=list(HealthCheck)))
