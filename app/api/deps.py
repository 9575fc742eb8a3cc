"""Dependencies shared by the routers: the signed-in user, and that user's own records."""

import uuid
from datetime import datetime
from typing import Annotated, Any, NamedTuple

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from app.accounts import token_digest
from app.config import Settings
from app.db import DbDep
from app.models import AuthToken, SessionLog, User, UTCDateTime, utcnow

# A dependency that reads the database hands back its connection before returning (close()
# keeps the loaded objects, detached). FastAPI runs each sync dependency and the route in a
# thread of a pool of `WORKER_THREADS` (8); a request holding a connection while it waits
# for its next thread, with every thread waiting for a connection, would wait for the pool's
# 30 s timeout.

# What any operation that takes a body may answer before its own code runs.
BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "The body cannot be read as JSON"},
    413: {"description": "The body is larger than the server accepts"},
}

# auto_error=False: a missing header gets the same 401 as a bad token, not FastAPI's own.
bearer = HTTPBearer(auto_error=False, description="The access_token from /api/auth/login")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def not_signed_in() -> HTTPException:
    """The 401 for a missing, unknown, expired or revoked token: all look alike to a client."""
    return HTTPException(
        401,
        "Not signed in, or the sign-in has expired or was revoked: sign in again",
        headers={"WWW-Authenticate": "Bearer"},
    )


def current_token(db: DbDep, credentials: Credentials) -> AuthToken:
    """The unexpired token the request carries, or 401."""
    if credentials is None:
        raise not_signed_in()
    token = db.exec(
        select(AuthToken).where(
            AuthToken.token_hash == token_digest(credentials.credentials),
            AuthToken.expires_at > utcnow(),
        )
    ).first()
    db.close()
    if token is None:
        raise not_signed_in()
    return token


def _by_token(*columns: Any) -> Any:
    """`columns` of the account whose unexpired token's digest is `digest`."""
    return (
        select(*columns)
        .join(AuthToken, col(AuthToken.user_id) == col(User.id))
        .where(
            col(AuthToken.token_hash) == bindparam("digest"),
            col(AuthToken.expires_at) > bindparam("now", type_=UTCDateTime),
        )
    )


_USER_BY_TOKEN = _by_token(User)
_ACCOUNT_BY_TOKEN = _by_token(User.id, User.last_seq)


def _token_params(credentials: HTTPAuthorizationCredentials | None) -> dict[str, Any]:
    if credentials is None:
        raise not_signed_in()
    return {"digest": token_digest(credentials.credentials), "now": utcnow()}


def current_user(db: DbDep, credentials: Credentials) -> User:
    """The account whose unexpired token the request carries, or 401 (one query)."""
    user = db.exec(_USER_BY_TOKEN, params=_token_params(credentials)).first()
    db.close()
    if user is None:
        raise not_signed_in()
    return user


class Account(NamedTuple):
    """A signed-in account as the sync reads it: its id and its newest change number."""

    id: int
    last_seq: int


async def bearer_credentials(credentials: Credentials) -> HTTPAuthorizationCredentials:
    """The token the request carries, or 401 when it carries none: checked before the body,
    on the event loop (no database, no thread), for a route that looks the token up itself."""
    if credentials is None:
        raise not_signed_in()
    return credentials


Bearer = Annotated[HTTPAuthorizationCredentials, Depends(bearer_credentials)]


def signed_in_account(db: Session, credentials: HTTPAuthorizationCredentials | None) -> Account:
    """`current_user` for a route that reads it in its own thread (the sync, the busiest):
    a dependency of its own runs in a thread of its own, and the hop there and back costs
    more than the query. Two columns as Core, not a `User`; 401 as `current_user`."""
    row = db.connection().execute(_ACCOUNT_BY_TOKEN, _token_params(credentials)).first()
    if row is None:
        raise not_signed_in()
    return Account(*row)


CurrentToken = Annotated[AuthToken, Depends(current_token)]
CurrentUser = Annotated[User, Depends(current_user)]


def own_session_log(id: uuid.UUID, user: CurrentUser, db: DbDep) -> SessionLog:
    """The signed-in user's session log with this id; 404 for anyone else's, as for none."""
    found = db.exec(
        select(SessionLog).where(SessionLog.id == id, SessionLog.user_id == user.id)
    ).first()
    db.close()
    if found is None:
        raise HTTPException(404, f"No session log {id} in your account")
    return found


OwnSessionLog = Annotated[SessionLog, Depends(own_session_log)]


def app_settings(request: Request) -> Settings:
    """The settings the app was built with (tests build apps with their own)."""
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(app_settings)]


def clock() -> datetime:
    """Now, in UTC: what the routes that keep time read (tests move it through
    `app.dependency_overrides`)."""
    return utcnow()


Now = Annotated[datetime, Depends(clock)]
