"""Property-based tests of the OpenAPI document with schemathesis: every operation, signed in
and not, answers without a 5xx and within the schema it declares."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
import schemathesis
from conftest import free_port
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis import AuthContext, Case, checks
from schemathesis.python import asgi
from sqlmodel import Session

from app.accounts import hash_password, new_token
from app.config import Settings
from app.main import create_app
from app.models import AuthToken, User, utcnow

from records import PASSWORD

# One app for the module, so that schemathesis' own probes (the same request without its
# token, say) reach it too. It starts on its first request, once `served` has pointed its
# settings at this run's database.
SETTINGS = Settings(environment="test")
APP = create_app(SETTINGS)
schema = schemathesis.openapi.from_dict(APP.openapi())
schema.app = APP
EXAMPLES = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def served(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """The module's app on this run's database; stopped when the module's tests are done."""
    SETTINGS.database_url = database_url
    SETTINGS.data_dir = tmp_path_factory.mktemp("schema")
    # Email settings, so that a reset request runs its whole way (not the 503 of a server
    # without them); the mail server is a closed port, each failed sending only logged.
    SETTINGS.smtp_host, SETTINGS.smtp_port, SETTINGS.smtp_tls = "127.0.0.1", free_port(), "none"
    SETTINGS.smtp_from, SETTINGS.public_url = "spinewise@example.org", "http://spinewise.test"
    yield APP
    asgi.shutdown_lifespans()


class SignedIn:
    """Schemathesis' auth provider: the token of the account `token` made for this test. It
    leaves out the token where a test case means to go without one."""

    token = ""

    def get(self, case: Case, ctx: AuthContext) -> str:
        return SignedIn.token

    def set(self, case: Case, data: str, ctx: AuthContext) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def token(db: Session) -> str:
    """A signed-in account's bearer token, made straight in the database."""
    user = User(email="alice@example.org", password_hash=hash_password(PASSWORD))
    db.add(user)
    db.flush()
    token, digest = new_token()
    db.add(AuthToken(user_id=user.id, token_hash=digest, expires_at=utcnow() + timedelta(days=1)))
    db.commit()
    SignedIn.token = token
    return token


def _excluded(case) -> list:
    """Checks that do not apply to this operation, each for a stated reason."""
    excluded = []
    if case.operation.path == "/api/sync":
        # Sync checks records one by one by design: a record that breaks the schema is listed
        # in `rejected` of a 200 answer, and the rest of the batch is stored.
        excluded.append(checks.negative_data_rejection)
    if case.operation.path == "/api/password-reset/confirm":
        # A token is one the server emailed, or nothing: any other fits the schema and is
        # refused with 400 (tests/test_password_reset_api.py follows real links).
        excluded.append(checks.positive_data_acceptance)
    if case.operation.path == "/api/me/screening" and case.method == "PUT":
        # The answers must agree with one another (a clinician's check covers only signs that
        # are ticked, is dated no later than the answers, which fall within storable dates):
        # rules JSON Schema cannot state, so some schema-valid bodies are rightly a 422.
        excluded.append(checks.positive_data_acceptance)
    return excluded


@schema.parametrize()
@EXAMPLES
def test_anonymous(case, served: FastAPI) -> None:
    case.call_and_validate(app=served, excluded_checks=_excluded(case))


@schema.parametrize()
@schema.auth.apply(SignedIn, refresh_interval=None)
@EXAMPLES
def test_signed_in(case, served: FastAPI, token: str) -> None:
    case.call_and_validate(app=served, excluded_checks=_excluded(case))
