"""Slowing down password guessing, the same for every way to log in.

One throttle (ops.rate_limits.FailureThrottle "login"): failures per (account, client address)
buy growing waits (LOGIN_BACKOFF), and failures per client address have a ceiling
(LOGIN_FAILURES_PER_IP). It is applied where Django checks a password, in the authentication
backend (accounts.backends), so the log-in page, `POST /api/token`, `/admin/login/` and any
later way in share it; it is checked before the password is hashed, so a refused guess costs
no hashing. A guesser elsewhere never locks the owner out: the owner's own client has its own
count. The page and the token endpoint also ask first, to answer 429 with Retry-After.
"""

from __future__ import annotations

from django.conf import settings

from ops.rate_limits import FailureThrottle

LOGIN = FailureThrottle(name="login", backoff_setting="LOGIN_BACKOFF", per_client_setting="LOGIN_FAILURES_PER_IP")


def client_ip(request) -> str:
    """The client's address: the peer, or behind TRUSTED_PROXY_HOPS proxies the address the farthest
    of ours saw in X-Forwarded-For. Entries left of it are the client's own words (a fresh one per
    guess would dodge the limit), so they are never read."""
    hops = settings.TRUSTED_PROXY_HOPS
    if hops > 0:
        chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(chain) >= hops:
            return chain[-hops]
    return request.META.get("REMOTE_ADDR", "") or ""


def _account(username: str) -> str:
    return username.strip().casefold()


def login_retry_after(*, username: str, ip: str) -> int | None:
    """Seconds to wait when this account from this client, or this client, failed too often; None: may try."""
    return LOGIN.retry_after(key=f"{_account(username)}|{ip}", client=ip)


def login_begin(*, username: str, ip: str) -> int | None:
    """Before the password is hashed: seconds to wait (refuse it), or None: it counts as a failure
    until login_succeeded."""
    return LOGIN.begin(key=f"{_account(username)}|{ip}", client=ip)


def login_succeeded(*, username: str, ip: str) -> None:
    """A correct password clears this client's failures for the account and gives the attempt back."""
    LOGIN.succeeded(key=f"{_account(username)}|{ip}", client=ip)


def login_alone(ip: str):
    """A context: True while this is the address's only password check in progress (see FailureThrottle.alone)."""
    return LOGIN.alone(ip)


REFUSED_WAIT = "_tensordojo_login_refused_wait"  # set on the request by the backend: the seconds a refusal asks


def refused_wait(request) -> int | None:
    """The seconds the backend asked this request to wait, when it refused it unchecked."""
    return getattr(request, REFUSED_WAIT, None)


def throttled_message(retry_after: int) -> str:
    return f"Too many failed log-ins. Wait {retry_after} seconds, then try again."
