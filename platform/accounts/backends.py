"""The password check every log-in goes through, throttled (accounts.throttling).

Django's `authenticate()` asks each backend in AUTHENTICATION_BACKENDS in turn. This one comes
first: it refuses a throttled attempt before the password is hashed (and one that arrives while
the same address has another being checked), and records the outcome. Raising PermissionDenied
stops Django from asking the next backend (ModelBackend, kept in the list for sessions made with
it), so a wrong password is hashed once and counted once.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from accounts.throttling import REFUSED_WAIT, client_ip, login_alone, login_begin, login_succeeded

BUSY_WAIT = 1  # seconds a client is asked to wait while its other log-in is being checked


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not isinstance(username, str) or password is None:
            return None
        ip = client_ip(request) if request is not None else ""
        with login_alone(ip) as alone:
            wait = BUSY_WAIT if not alone else login_begin(username=username, ip=ip)
            if wait is not None:
                if request is not None:
                    setattr(request, REFUSED_WAIT, wait)
                raise PermissionDenied("too many failed log-ins")
            user = super().authenticate(request, username=username, password=password, **kwargs)
            if user is None:
                raise PermissionDenied("wrong username or password")  # counted by login_begin
            login_succeeded(username=username, ip=ip)
            return user
