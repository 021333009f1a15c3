"""Schemathesis against the app's own OpenAPI schema, as admin, HR and candidate: no 5xx, and
every answer is documented (status code, content type, body schema); requests that break the
schema are refused with a 4xx; an operation that asks for credentials refuses a request without
them; a method a path does not have is a 405 naming the ones it has; and, following the links
schemathesis infers, a created vacancy or grade can be read, changed and deleted, and is gone
once deleted. The whole module takes about a minute and a half on two cores.

Nothing leaves the machine: the Telegram bot (a server-wide setting) talks to the fake
Telegram, every other outside service points at a closed loopback port; users have no keys of
their own, so those routes answer the documented 400 saying which key to set.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from hypothesis.stateful import Bundle, initialize
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.drivers import CoverageGenerator
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.generation.overrides import Override
from schemathesis.generation.stateful.state_machine import StepInput
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ensure_resource_availability,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
    use_after_free,
)
from sqlalchemy.engine import make_url

from hrhelper.container import create_container
from hrhelper.entrypoints.http.app import create_app
from hrhelper.settings import Settings
from tests.schema.conftest import ROLES
from tests.support.identity_fakes import PASSWORD, Sha256PasswordHasher

MAX_EXAMPLES = 3  # valid cases per operation and role
NEGATIVE_EXAMPLES = 1  # schema-breaking cases per operation and role, beside the coverage run
# the statuses the app refuses a request with (errors.py); it never sends a 422
REFUSALS = ["400", "401", "403", "404", "409", "413"]
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {"negative_data_rejection": {"expected-statuses": REFUSALS}},
        "phases": {
            # unsupported_method judges no OPTIONS answer, and QUERY is a draft
            "coverage": {"unexpected-methods": ["get", "put", "post", "delete", "patch", "trace"]},
            # the stateful run builds on what it creates: valid data only
            "stateful": {"generation": {"mode": "positive"}},
        },
    }
)


@pytest.fixture
def fuzzed(schema_settings: Settings, request: pytest.FixtureRequest) -> Iterator[tuple[Any, str]]:
    """A fresh app per test (schemathesis ends the app's lifespan after each test, and that
    closes the container) with the schema it serves and a token for the role."""
    role = request.node.callspec.params["role"]
    app = create_app(create_container(schema_settings, password_hasher=Sha256PasswordHasher()))
    with asgi.get_client(app) as client:
        answer = client.post(
            "/api/auth/login/", json={"email": f"{role}@example.com", "password": PASSWORD}
        )
        assert answer.status_code == 200, answer.text
    try:
        schema = schemathesis.openapi.from_asgi("/api/schema/", app, config=CONFIG)
        yield schema, answer.json()["tokens"]["access"]
    finally:
        asgi.shutdown_lifespans()


CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# ignored_auth judges 2xx answers: it sends the same request again without the token and with
# a bad one, and both must be refused
POSITIVE_CHECKS = [*CONFORMANCE, ignored_auth]
NEGATIVE_CHECKS = [*CONFORMANCE, negative_data_rejection]
# unsupported_method judges the coverage phase's requests with a method the path lacks (405
# with an Allow header). missing_required_header is left out: it judges only required header
# parameters, and the schema documents none (credentials are security schemes)
COVERAGE_CHECKS = [*NEGATIVE_CHECKS, unsupported_method]


def _fuzz_operation(operation: Any, token: str, mode: GenerationMode) -> None:
    positive = mode is GenerationMode.POSITIVE

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES if positive else NEGATIVE_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,  # the same cases every run: a failure here is reproducible
        database=None,
    )
    def run(case: Any) -> None:
        checks = POSITIVE_CHECKS if positive else NEGATIVE_CHECKS
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=checks)

    try:
        run()
    except Unsatisfiable:
        # no parameters, no body and no credentials (the health check): nothing can be broken
        if positive:
            raise


def _cover_operation(operation: Any, token: str) -> None:
    """Schemathesis' coverage phase: deterministic schema-breaking cases (each constraint and
    type broken in turn, required parts left out, methods the path does not have)."""
    schema = operation.schema
    cases = CoverageGenerator(
        operation=operation,
        generation_modes=[GenerationMode.NEGATIVE],
        generation_config=schema.config.generation_for(operation=operation, phase="coverage"),
        auth_storage=None,
        override=Override(),
        feedback=FeedbackSources(),
    )
    failures: list[str] = []
    for case in cases:
        try:
            case.call_and_validate(
                headers={"Authorization": f"Bearer {token}"}, checks=COVERAGE_CHECKS
            )
        except Exception as error:  # every failing case is reported
            failures.append(str(error))
    assert not failures, "\n".join(failures)


def _walk(schema: Any, fuzz: Callable[[Any], None]) -> None:
    """schemathesis' own pytest integration cannot run under pytest 9 (it rewrites node ids
    through a private attribute), so the operations are walked here, each one fuzzed alone."""
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        try:
            fuzz(operation)
        except (Exception, BaseExceptionGroup) as error:  # every failing operation is reported
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_every_answer_is_documented(fuzzed: tuple[Any, str], role: str) -> None:
    schema, token = fuzzed
    _walk(schema, lambda operation: _fuzz_operation(operation, token, GenerationMode.POSITIVE))


@pytest.mark.parametrize("role", ROLES)
def test_requests_that_break_the_schema_are_refused(fuzzed: tuple[Any, str], role: str) -> None:
    schema, token = fuzzed
    _walk(schema, lambda operation: _fuzz_operation(operation, token, GenerationMode.NEGATIVE))


# Every role reads bodies with the same code; the admin reaches every operation's validation
@pytest.mark.parametrize("role", ["admin"])
def test_every_broken_constraint_is_refused(fuzzed: tuple[Any, str], role: str) -> None:
    schema, token = fuzzed
    _walk(schema, lambda operation: _cover_operation(operation, token))


# The stateful run follows the links schemathesis infers from the schema (an id in an answer
# feeds the path of another operation): vacancies and grades, created, read, changed, deleted
STATEFUL_PATHS = r"^/api/(vacancies|v1/finance/grades)/"
# a created object must be readable at once; a deleted one must be gone from every operation
STATEFUL_CHECKS = [*CONFORMANCE, ensure_resource_availability, use_after_free]
STATEFUL_SETTINGS = settings(
    max_examples=20,  # scenarios of up to 10 steps: a few seconds
    stateful_step_count=10,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


def _own_vacancy(case: Any) -> Any:
    """No recruiter or grades: the ids a generated body would name do not exist."""
    case.body = {**case.body, "recruiter": None, "available_grades": []}
    return case


def _forget_vacancies_and_grades(settings: Settings) -> None:
    """Hypothesis replays scenarios and needs each to meet the same answers again (a second
    grade of the same name is a 409, not a 201), so each scenario starts with none."""
    database = make_url(settings.database_url).database
    with contextlib.closing(sqlite3.connect(database)) as db, db:
        for table in ("vacancy_grades", "vacancies", "grades"):
            db.execute(f"DELETE FROM {table}")


@pytest.mark.parametrize("role", ["admin"])
def test_objects_live_and_die_as_their_links_say(
    fuzzed: tuple[Any, str], schema_settings: Settings, role: str
) -> None:
    schema, token = fuzzed
    schema = schema.include(path_regex=STATEFUL_PATHS)
    answered: Counter[tuple[str, str, int]] = Counter()

    class Workflow(schema.as_state_machine()):
        # schemathesis makes no vacancy on its own (its body names a recruiter, a resource
        # outside these paths) and a grade only by chance, so every scenario starts with one
        # of each; the links take it from there
        @initialize(
            target=Bundle("catch_all"),
            case=schema["/api/vacancies/"]["POST"].as_strategy().map(_own_vacancy),
        )
        def create_a_vacancy(self, case: Any) -> Any:
            return self._first_step(case)

        @initialize(
            target=Bundle("catch_all"),
            case=schema["/api/v1/finance/grades/"]["POST"].as_strategy(),
        )
        def create_a_grade(self, case: Any) -> Any:
            return self._first_step(case)

        def _first_step(self, case: Any) -> Any:
            self.recorder.record_case(case=case)  # as schemathesis' own first steps do
            return self.step(StepInput.initial(case))

        def setup(self) -> None:
            _forget_vacancies_and_grades(schema_settings)

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": {"Authorization": f"Bearer {token}"}}

        def validate_response(
            self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            answered[case.method, case.path, response.status_code] += 1
            case.validate_response(
                response, checks=STATEFUL_CHECKS, transport_kwargs=kwargs, recorder=self.recorder
            )

    Workflow.run(settings=STATEFUL_SETTINGS)
    # the run did walk the chains: each kind created, read, changed and deleted
    done = {(method, path) for method, path, status in answered if status < 300}
    for collection, item in [
        ("/api/vacancies/", "/api/vacancies/{vacancy_id}/"),
        ("/api/v1/finance/grades/", "/api/v1/finance/grades/{grade_id}/"),
    ]:
        assert ("POST", collection) in done, answered
        assert ("GET", item) in done, answered
        assert ("PUT", item) in done or ("PATCH", item) in done, answered
        assert ("DELETE", item) in done, answered
