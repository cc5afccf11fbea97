"""The password check every log-in goes through, throttled (accounts.throttling).

Django's `authenticate()` asks each backend in AUTHENTICATION_BACKENDS in turn. This one comes
first: it refuses a throttled attempt before the password is hashed, and records the outcome.
Raising PermissionDenied stops Django from asking the next backend (ModelBackend, kept in the
list for sessions made with it), so a wrong password is hashed once and counted once.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from accounts.throttling import client_ip, login_failed, login_retry_after, login_succeeded


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not isinstance(username, str) or password is None:
            return None
        ip = client_ip(request) if request is not None else ""
        if login_retry_after(username=username, ip=ip) is not None:
            raise PermissionDenied("too many failed log-ins")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_failed(username=username, ip=ip)
            raise PermissionDenied("wrong username or password")
        login_succeeded(username=username, ip=ip)
        return user
