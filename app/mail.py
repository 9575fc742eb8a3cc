"""Email: the password reset message, and a sender that delivers on a thread of its own.

A request never waits for the mail server: `Mailer.send` queues the message and returns, so
the answer takes the same time whether an email was sent or not, and the event loop is never
held. A mail server that is down or refuses the message is logged, never raised.
"""

import logging
import smtplib
import ssl
from concurrent.futures import Future, ThreadPoolExecutor
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from app.config import Settings

log = logging.getLogger("spinewise.mail")

# Seconds to connect to the mail server and for each of its answers.
SMTP_TIMEOUT = 20


def reset_message(settings: Settings, to: str, link: str) -> EmailMessage:
    """The email that carries a password reset link (plain text)."""
    minutes = settings.reset_link_minutes
    message = EmailMessage()
    message["Subject"] = "Choose a new Spinewise password"
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=parseaddr(settings.smtp_from)[1].split("@")[-1])
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(
        "Someone asked to reset the password of the Spinewise account that uses this email\n"
        "address. To choose a new password, open this link:\n"
        "\n"
        f"{link}\n"
        "\n"
        f"The link works once, for {minutes} minutes. Choosing a new password signs this\n"
        "account out everywhere it is signed in.\n"
        "\n"
        "If you did not ask for this, ignore this email: your password stays as it is.\n"
    )
    return message


def deliver(settings: Settings, message: EmailMessage) -> None:
    """Send `message` through the configured SMTP server now (blocking); raises on failure."""
    context = ssl.create_default_context()
    host, port = settings.smtp_host, settings.smtp_port
    if settings.smtp_tls == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=SMTP_TIMEOUT, context=context)
    else:
        smtp = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT)
    with smtp:
        if settings.smtp_tls == "starttls":
            smtp.starttls(context=context)
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
        smtp.send_message(message)


class Mailer:
    """Sends queued messages one at a time on a thread of its own; failures are logged."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="spinewise-mail")

    def send(self, message: EmailMessage) -> Future[bool]:
        """Queue `message`; the future says whether it was handed to the mail server."""
        return self._pool.submit(self._deliver, message)

    def _deliver(self, message: EmailMessage) -> bool:
        try:
            deliver(self.settings, message)
        except (OSError, smtplib.SMTPException, ValueError) as exc:
            # OSError covers refused connections, timeouts and TLS failures. The recipient
            # stays out of the log; the server and the reason are what an operator needs.
            log.error(
                "email %r not sent through %s:%s (SMTP_TLS=%s): %s",
                message["Subject"],
                self.settings.smtp_host,
                self.settings.smtp_port,
                self.settings.smtp_tls,
                exc,
            )
            return False
        return True

    def stop(self) -> None:
        """Wait for the messages already queued (each bounded by the SMTP timeouts)."""
        self._pool.shutdown(wait=True)
