"""Schemathesis against the live OpenAPI document, as each role, on each database:
generated requests (valid and invalid) to every operation, with real ids and random
ones. No answer may be a 5xx; every answer must match the document (status, content
type, body schema)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.app.api.conftest import ROLES

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 8  # per operation, mode and set of ids: bounded, the suite must stay short


def _real_ids(world: dict) -> dict[str, int]:
    return {
        "city_id": world["karmoy"],
        "project_id": world["published"],
        "bundle_id": world["bundle"],
    }


def _fuzz(operation, headers: dict, mode, path_parameters: dict | None) -> None:
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def one(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    one()


@pytest.mark.parametrize("role", ROLES)
def test_no_request_gets_a_5xx_or_an_answer_outside_the_document(app, world, role):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = world["headers"][role]
    real = _real_ids(world)
    for result in schema.get_all_operations():
        operation = result.ok()
        names = {p.name for p in operation.path_parameters}
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            _fuzz(operation, headers, mode, None)
            if names and names <= set(real):
                _fuzz(operation, headers, mode, {name: real[name] for name in names})
