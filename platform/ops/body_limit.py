"""A request body over Django's limit gets the same kind of answer as any refused submission.

Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) when it is first read, which
for a form is the CSRF check, before any view: the learner would see a bare "Bad Request".
This middleware looks at Content-Length before anything reads the body and answers in the
page's terms: a message and a redirect back for a form (the editor keeps its draft), JSON
with `detail` (the API's shape) and `error` (the Run button's) for a script. A body without
Content-Length is still refused by Django when read.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme

METHODS_WITH_BODY = ("POST", "PUT", "PATCH")
COURSE_PUSH = re.compile(r"^/api/courses/[-a-zA-Z0-9_]+/pushes$")


def too_large_message(size: int) -> str:
    code_limit = settings.SUBMISSION_MAX_BYTES // 1024
    return (
        f"What you sent is {size / 1_000_000:.1f} MB, too large to read: "
        f"code may be at most {code_limit} KiB. Nothing was submitted."
    )


class BodyTooLargeMiddleware:
    """Place after MessageMiddleware: its answer for a form is a message on the page it came from."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if COURSE_PUSH.match(request.path):  # a course archive: its own, larger limit (api.courses)
            limit = settings.COURSE_ARCHIVE_MAX_BYTES
        if limit is not None and request.method in METHODS_WITH_BODY:
            try:
                size = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                size = 0
            if size > limit:
                return self._refuse(request, size)
        return self.get_response(request)

    @staticmethod
    def _refuse(request, size: int):
        message = too_large_message(size)
        wants_json = request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")
        if wants_json:
            return JsonResponse({"detail": message, "error": message}, status=413)
        messages.error(request, message)
        back = request.headers.get("Referer", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = "/"
        return HttpResponseRedirect(back)
