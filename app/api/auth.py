"""Accounts: register, sign in and sign out, with attempts rate-limited per address and account."""

import hashlib
from datetime import datetime, timedelta
from typing import Literal

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select, update

from app import ratelimit
from app.accounts import hash_password, needs_rehash, new_token, verify_password
from app.api.deps import BODY_ERRORS, CurrentToken, SettingsDep
from app.config import Settings
from app.db import DbDep, one_writer
from app.models import AuthToken, Email, User, UserCreate, utcnow

router = APIRouter(prefix="/api/auth", tags=["accounts"], responses=BODY_ERRORS)

ALREADY_REGISTERED = "An account with this email already exists: sign in instead"
TOO_MANY = {429: {"description": "Too many attempts: wait the seconds in `Retry-After`"}}


class Credentials(BaseModel):
    """What signing in takes."""

    email: Email
    password: str = Field(min_length=1, max_length=256)


class Token(BaseModel):
    """A bearer token for the `Authorization` header, and when it stops working."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime


def account_key(action: str, email: str) -> str:
    """The counter of `action` for one email. The email stays out of the counter table: only
    a digest of it names the counter."""
    return f"{action}:for:{hashlib.sha256(email.encode()).hexdigest()[:32]}"


def count_attempt(
    db: Session,
    settings: Settings,
    action: str,
    request: Request,
    email: str,
    limits: tuple[int, int] | None = None,
    now: datetime | None = None,
) -> None:
    """Count this attempt from its address and for its email; 429 once either is over its limit.

    `limits` is (per address, per email) in each AUTH_WINDOW_SECONDS; the sign-in ones unless
    given."""
    address = request.client.host if request.client else "unknown"
    per_address, per_account = limits or (
        settings.auth_attempts_per_address,
        settings.auth_attempts_per_account,
    )
    keys = [(f"{action}:from:{address}", per_address), (account_key(action, email), per_account)]
    window = settings.auth_window_seconds
    with one_writer(db):
        wait = max(ratelimit.hit(db, key, n, window, now) for key, n in keys)
        db.commit()  # counted even when the attempt then fails
    if wait:
        raise HTTPException(
            429,
            f"Too many attempts: try again in {wait} seconds",
            headers={"Retry-After": str(wait)},
        )


def _issue_token(db: Session, user: User, settings: Settings) -> Token:
    token, digest = new_token()
    expires_at = utcnow() + timedelta(days=settings.token_ttl_days)
    db.add(AuthToken(user_id=user.id, token_hash=digest, expires_at=expires_at))
    return Token(access_token=token, expires_at=expires_at)


@router.post(
    "/register",
    status_code=201,
    summary="Create an account and sign in",
    responses={409: {"description": "An account with this email exists"}, **TOO_MANY},
)
def register(body: UserCreate, request: Request, db: DbDep, settings: SettingsDep) -> Token:
    count_attempt(db, settings, "register", request, body.email)
    taken = db.exec(select(User.id).where(User.email == body.email)).first() is not None
    db.close()  # no connection held through the slow hash below
    if taken:
        raise HTTPException(409, ALREADY_REGISTERED)
    user = User(email=body.email, password_hash=hash_password(body.password))
    with one_writer(db):
        db.add(user)
        try:
            db.flush()
        except IntegrityError as exc:
            # The same email registered by a concurrent request a moment ago.
            raise HTTPException(409, ALREADY_REGISTERED) from exc
        ratelimit.prune(db)
        token = _issue_token(db, user, settings)
        db.commit()
    return token


@router.post(
    "/login",
    summary="Sign in: a bearer token for the Authorization header",
    responses={401: {"description": "Wrong email or password"}, **TOO_MANY},
)
def login(body: Credentials, request: Request, db: DbDep, settings: SettingsDep) -> Token:
    count_attempt(db, settings, "login", request, body.email)
    user = db.exec(select(User).where(User.email == body.email)).first()
    db.close()  # no connection held through the slow hash below
    if not verify_password(user.password_hash if user else None, body.password) or user is None:
        raise HTTPException(401, "Wrong email or password")
    rehashed = hash_password(body.password) if needs_rehash(user.password_hash) else None
    with one_writer(db):
        if rehashed:
            db.exec(update(User).where(col(User.id) == user.id).values(password_hash=rehashed))
        ratelimit.forget(db, account_key("login", body.email), settings.auth_window_seconds)
        db.exec(
            delete(AuthToken).where(
                col(AuthToken.user_id) == user.id, col(AuthToken.expires_at) <= utcnow()
            )
        )
        token = _issue_token(db, user, settings)
        db.commit()
    return token


@router.post(
    "/logout",
    status_code=204,
    summary="Sign out: revoke the token this request carries",
    responses={401: {"description": "Not signed in"}},
)
def logout(token: CurrentToken, db: DbDep) -> Response:
    with one_writer(db):
        db.exec(delete(AuthToken).where(col(AuthToken.id) == token.id))
        db.commit()
    return Response(status_code=204)
