"""A forgotten password: a single-use link by email that expires, and the new password it sets.

Asking answers the same whether the email has an account or not (the email, if any, goes out
on the mail thread, after the answer), and is counted per address and per email. Setting the
new password ends every sign-in of the account and every other link sent to it.
"""

from datetime import datetime, timedelta

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field
from sqlmodel import col, delete, select, update

from app import ratelimit
from app.accounts import hash_password, new_token, token_digest
from app.api.auth import TOO_MANY, account_key, count_attempt
from app.api.deps import BODY_ERRORS, Now, SettingsDep
from app.db import DbDep, one_writer
from app.mail import reset_message
from app.models import AuthToken, Email, NewPassword, PasswordReset, User

router = APIRouter(prefix="/api/password-reset", tags=["accounts"], responses=BODY_ERRORS)

NO_EMAIL = (
    "This server cannot send email, so it cannot send a link to reset a password: "
    "ask whoever runs it to set up email (SMTP_HOST)"
)
NOT_CONFIGURED = {503: {"description": "The server has no email settings (SMTP_HOST)"}}
UNKNOWN_LINK = "This reset link is not valid: ask for a new one"
USED_LINK = "This reset link has been used already: ask for a new one if you need it"
EXPIRED_LINK = "This reset link has expired: ask for a new one"
# How long a link's row outlives it, so that opening it late says "expired", not "not valid".
KEPT_AFTER_EXPIRY = timedelta(days=1)


class ResetAvailability(BaseModel):
    """Whether this server can email reset links, and for how long a link works."""

    available: bool
    link_minutes: int


class ResetRequest(BaseModel):
    """The email of the account whose password was forgotten."""

    email: Email


class ResetRequested(BaseModel):
    """The answer to every well-formed request, account or not."""

    message: str
    link_minutes: int


class ResetConfirm(BaseModel):
    """The token from the link, and the new password (the rule of registration)."""

    token: str = Field(min_length=1, max_length=200)
    password: NewPassword


class ResetDone(BaseModel):
    """The password is set; the account's email, to sign in with it."""

    email: str


@router.get("", summary="Can this server email password reset links?")
def availability(settings: SettingsDep) -> ResetAvailability:
    return ResetAvailability(
        available=settings.email_configured, link_minutes=settings.reset_link_minutes
    )


@router.post(
    "",
    status_code=202,
    summary="Email a link to choose a new password (the same answer for any email)",
    responses={**TOO_MANY, **NOT_CONFIGURED},
)
def request_reset(
    body: ResetRequest, request: Request, db: DbDep, settings: SettingsDep, now: Now
) -> ResetRequested:
    if not settings.email_configured:
        raise HTTPException(503, NO_EMAIL)
    limits = (settings.reset_requests_per_address, settings.reset_requests_per_account)
    count_attempt(db, settings, "reset", request, body.email, limits, now)
    user_id = db.exec(select(User.id).where(User.email == body.email)).first()
    if user_id is not None:
        token, digest = new_token()
        expires_at = now + timedelta(minutes=settings.reset_link_minutes)
        with one_writer(db):
            db.exec(
                delete(PasswordReset).where(col(PasswordReset.expires_at) < now - KEPT_AFTER_EXPIRY)
            )
            db.add(
                PasswordReset(
                    user_id=user_id, token_hash=digest, created_at=now, expires_at=expires_at
                )
            )
            db.commit()
        link = f"{settings.public_url}/reset#token={token}"
        request.app.state.mailer.send(reset_message(settings, body.email, link))
    return ResetRequested(
        message=(
            "If an account uses this email, a link to choose a new password is on its way. "
            f"It works once, for {settings.reset_link_minutes} minutes."
        ),
        link_minutes=settings.reset_link_minutes,
    )


def _usable(link: PasswordReset | None, now: datetime) -> PasswordReset:
    if link is None:
        raise HTTPException(400, UNKNOWN_LINK)
    if link.used_at is not None:
        raise HTTPException(400, USED_LINK)
    if link.expires_at <= now:
        raise HTTPException(400, EXPIRED_LINK)
    return link


@router.post(
    "/confirm",
    summary="Set a new password with the token from the emailed link; every sign-in ends",
    responses={400: {"description": "The link is unknown, used or expired; nothing changed"}},
)
def confirm_reset(body: ResetConfirm, db: DbDep, settings: SettingsDep, now: Now) -> ResetDone:
    digest = token_digest(body.token)
    link = _usable(
        db.exec(select(PasswordReset).where(PasswordReset.token_hash == digest)).first(), now
    )
    db.close()  # no connection held through the slow hash below
    password_hash = hash_password(body.password)
    with one_writer(db):
        # Claimed only if still unused and unexpired: of two requests with one link, one wins.
        claimed = db.exec(
            update(PasswordReset)
            .where(
                col(PasswordReset.id) == link.id,
                col(PasswordReset.used_at).is_(None),
                col(PasswordReset.expires_at) > now,
            )
            .values(used_at=now)
        )
        email = db.exec(select(User.email).where(User.id == link.user_id)).first()
        if claimed.rowcount != 1 or email is None:
            db.rollback()
            raise HTTPException(400, USED_LINK if email else UNKNOWN_LINK)
        db.exec(
            update(User).where(col(User.id) == link.user_id).values(password_hash=password_hash)
        )
        # Every sign-in of the account ends, and every other link sent to it stops working.
        db.exec(delete(AuthToken).where(col(AuthToken.user_id) == link.user_id))
        db.exec(
            update(PasswordReset)
            .where(col(PasswordReset.user_id) == link.user_id, col(PasswordReset.used_at).is_(None))
            .values(used_at=now)
        )
        # Wrong passwords tried before the reset no longer keep the owner from signing in.
        ratelimit.forget(db, account_key("login", email), settings.auth_window_seconds, now)
        db.commit()
    return ResetDone(email=email)
