"""An LMS for the LTI tests that we did not write: the `lti1p3platform` library's platform side.

It has its own RSA key pair, signs launches with it, and serves its JWKS, its OAuth2 token
endpoint and the AGS score endpoint from a loopback HTTP server (127.0.0.1, a free port),
so the tool's real HTTP calls (key set fetch, token request, score POST) reach it and
nothing leaves the machine. Scores it accepted are kept in `platform.scores`.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import typing as t
from html import escape, unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlparse

import pytest
from jwcrypto.jwk import JWK
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request
from lti1p3platform.service_connector import AssignmentsGradesService

LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


class _Request(Request):
    def __init__(self, **data: t.Any) -> None:
        self.request = {
            "method": data.get("method", "GET"),
            "form_data": data.get("form_data", {}),
            "get_data": data.get("get_data", {}),
            "headers": data.get("headers", {}),
            "content_type": data.get("content_type"),
            "path": data.get("path", "/"),
            "json": data.get("json"),
        }


class _Config(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, **kwargs: t.Any) -> None:
        self._registration = kwargs["registration"]

    def get_registration_by_params(self, **kwargs: t.Any) -> Registration:
        return self._registration


class _Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs: t.Any) -> None:
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url: str) -> str:
        return url


class _Launch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(self, launch_data: dict, **kwargs: t.Any) -> dict:
        return launch_data


class _Scores(AssignmentsGradesService):
    """The platform's score service; only POSTing scores is exercised."""

    received: list

    def update_score(self, line_item_id: str, score):
        from lti1p3platform.score import UpdateScoreStatus

        self.received.append({"lineitem": line_item_id, **score})
        return UpdateScoreStatus.SUCCESS

    def find_lineitems(self, *args, **kwargs):
        return {"content": [], "has_next": False, "next": None}

    def find_lineitem(self, line_item_id):
        return {"id": line_item_id}

    def create_lineitem(self, creation_data):
        return creation_data

    def update_lineitem(self, update_data):
        return update_data

    def delete_lineitem(self, line_item_id):
        return None

    def get_results(self, *args, **kwargs):
        return {"content": [], "has_next": False, "next": None}


@functools.cache
def session_key(owner: str) -> JWK:
    """One RSA key per owner ("lms", "tool") for the whole test session.

    Making a 2048-bit key costs about 50 ms and no test needs a fresh one: each test still
    gets its own platform, registration and database rows.
    """
    return JWK.generate(kty="RSA", size=2048)


class TestPlatform:
    """One LMS (issuer) with one registration of the tool at `tool_url`."""

    __test__ = False  # not a test class

    def __init__(self, tool_url: str, client_id: str = "tensordojo-client", deployment_id: str = "deployment-1"):
        key = session_key("lms")
        self.private_pem = key.export_to_pem(private_key=True, password=None).decode()
        self.public_pem = key.export_to_pem().decode()
        self.scores: list[dict] = []
        self.token_requests = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        # A short poll: shutdown() waits for the serving loop to look up (0.5 s by default, in every test).
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()
        self.tool_url = tool_url.rstrip("/")
        self.issuer = self.url
        self.client_id = client_id
        self.deployment_id = deployment_id
        self.tool_jwks: dict | None = None
        self.pending: dict[str, dict] = {}  # browser launches: login hint -> what to launch with
        self.placed: list[dict] = []  # content items the tool sent back through deep linking

    # What an LMS administrator copies into the tool's registration form.
    @property
    def auth_url(self) -> str:
        return self.url + "/auth"

    @property
    def token_url(self) -> str:
        return self.url + "/token"

    @property
    def jwks_url(self) -> str:
        return self.url + "/jwks"

    def lineitem_url(self, name: str) -> str:
        return f"{self.url}/lineitems/{name}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def registration(self, *, client_id: str | None = None, private_pem: str | None = None) -> Registration:
        reg = (
            Registration()
            .set_iss(self.issuer)
            .set_client_id(client_id or self.client_id)
            .set_deployment_id(self.deployment_id)
            .set_oidc_login_url(self.tool_url + "/lti/login/")
            .set_launch_url(self.tool_url + "/lti/launch/")
            .set_deeplink_launch_url(self.tool_url + "/lti/launch/")
            .set_platform_public_key(self.public_pem)
            .set_platform_private_key(private_pem or self.private_pem)
        )
        if self.tool_jwks:
            reg.set_tool_key_set(self.tool_jwks)
        return reg

    def config(self, **kwargs: t.Any) -> _Config:
        return _Config(registration=self.registration(**kwargs))

    def login_url(self, user_id: str, hint: str = "resource-link") -> str:
        """Step 1: where the LMS sends the browser (the tool's OIDC login initiation URL)."""
        login = _Login(None, self.config())
        login.set_lti_message_hint(hint=hint)
        return login.initiate_login(user_id)

    def launch_form(
        self,
        auth_params: dict,
        *,
        user_id: str,
        roles: list[str],
        resource_link_id: str = "resource-link-1",
        custom: dict | None = None,
        lineitem: str | None = None,
        deep_link_return_url: str | None = None,
        expires_in: int = 300,
        client_id: str | None = None,
    ) -> dict:
        """Step 2: the LMS's answer to the tool's auth request: a signed id_token and the state."""
        config = self.config(client_id=client_id)
        launch = _Launch(_Request(get_data=dict(auth_params, client_id=client_id or self.client_id)), config)
        launch._registration = config.get_registration()
        launch.validate_preflight_response(launch.get_preflight_response())
        launch.set_user_data(user_id, roles, full_name=f"Person {user_id}", email_address=f"{user_id}@lms.test")
        launch.set_launch_context_claim("course-1", context_title="Linear algebra for ML")
        launch.set_resource_link_claim(resource_link_id, title="Exercise")
        if custom:
            launch.set_custom_parameters_claim(custom)
        if lineitem:
            launch.set_ags(
                lineitems_url=self.url + "/lineitems",
                lineitem_url=lineitem,
                allow_creating_lineitems=False,
                results_service_enabled=False,
                scores_service_enabled=True,
            )
        if deep_link_return_url:
            launch.set_dl(deep_link_return_url, title="Add content", accept_types={"ltiResourceLink"})
        launch.set_id_token_expiration(expires_in)
        return dict(launch.generate_launch_request())

    def prepare(self, user_id: str, **launch: t.Any) -> str:
        """A launch for a real browser: returns the LMS URL that starts it (the link in the course)."""
        self.pending[user_id] = launch
        return f"{self.url}/start/{user_id}"

    def deep_link_items(self, jwt: str) -> list[dict]:
        """Step 3 of deep linking: the platform checks the tool's signed answer and reads its content items."""
        return self.config().validate_deeplinking_resp({"JWT": jwt})

    def _handler(self):
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _send(self, code: int, body: t.Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _html(self, code: int, body: str, location: str | None = None) -> None:
                data = body.encode()
                self.send_response(code)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urlparse(self.path)
                if url.path == "/jwks":
                    return self._send(200, {"keys": platform.registration().get_jwks()})
                if url.path.startswith("/start/"):  # the course link: the LMS starts the OIDC login
                    return self._html(302, "", location=platform.login_url(url.path[len("/start/") :]))
                if url.path == "/auth":  # the tool's auth request: answer with a self-posting launch form
                    params = dict(parse_qsl(url.query))
                    launch = platform.pending[params["login_hint"]]
                    form = platform.launch_form(params, user_id=params["login_hint"], **launch)
                    inputs = "".join(
                        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in form.items()
                    )
                    return self._html(
                        200,
                        f'<form id="launch" method="post" action="{escape(params["redirect_uri"])}">{inputs}</form>'
                        '<script>document.getElementById("launch").submit()</script>',
                    )
                return self._send(404, {"error": "not found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length).decode()
                path = urlparse(self.path).path
                try:
                    if path == "/deep-link-return":
                        items = platform.deep_link_items(dict(parse_qsl(body))["JWT"])
                        platform.placed.extend(items)
                        titles = "".join(f"<li>{escape(item.get('title', ''))}</li>" for item in items)
                        return self._html(200, f"<h1>Added to the course</h1><ul id='placed'>{titles}</ul>")
                    if path == "/token":
                        platform.token_requests += 1
                        return self._send(200, platform.config().get_access_token(dict(parse_qsl(body))))
                    if path.startswith("/lineitems/") and path.endswith("/scores"):
                        line_item_id = path[len("/lineitems/") : -len("/scores")]
                        request = _Request(
                            method="POST",
                            headers=dict(self.headers),
                            json=json.loads(body or "null"),
                            content_type=self.headers.get("Content-Type"),
                            path=path,
                        )
                        service = _Scores(request, platform.config(), platform.url + "/lineitems")
                        service.received = platform.scores
                        response = service.handle_resp(service.handle_update_score, line_item_id=line_item_id)
                        return self._send(response.code, {"message": response.message})
                except Exception as exc:  # the platform library refused the request
                    return self._send(400, {"error": f"{type(exc).__name__}: {exc}"})
                return self._send(404, {"error": "not found"})

        return Handler


def auth_params_from(location: str) -> dict:
    """The tool's redirect to the platform's OIDC auth endpoint, as a dict of its parameters."""
    return dict(parse_qsl(urlparse(location).query))


# Fixtures and steps shared by the LTI tests (import them into a test module to use them).


@pytest.fixture
def lms(db):
    platform = TestPlatform("http://testserver")
    yield platform
    platform.close()


@pytest.fixture
def registered(lms, catalogue):
    """The LMS registered in the tool, with its deployment activated (as the platforms page does)."""
    from lti_tool.models import Key, LtiDeployment, LtiRegistration

    from lti.services import tool_key

    Key.objects.create_from_jwk(session_key("tool"))  # what tool_key() makes on first use, made once
    tool_key()
    registration = LtiRegistration.objects.create(
        name="Test LMS",
        issuer=lms.issuer,
        client_id=lms.client_id,
        auth_url=lms.auth_url,
        token_url=lms.token_url,
        keyset_url=lms.jwks_url,
    )
    LtiDeployment.objects.create(registration=registration, deployment_id=lms.deployment_id, is_active=True)
    lms.tool_jwks = Key.objects.as_jwks()
    return registration


def begin(client, lms, user_id: str) -> dict:
    """OIDC login initiation as the browser does it; returns the tool's auth request to the platform."""
    url = lms.login_url(user_id)
    response = client.get(url)
    if response.status_code == 200:  # the library's cookie check page; its script reloads with this flag
        response = client.get(url + "&lti1p3_new_window=1")
    assert response.status_code == 302, response.content[:500]
    assert response["Location"].startswith(lms.auth_url)
    return auth_params_from(response["Location"])


def launch(client, lms, *, user_id="lms-ada", roles=(LEARNER,), form_change=None, **claims):
    params = begin(client, lms, user_id)
    form = lms.launch_form(params, user_id=user_id, roles=list(roles), **claims)
    if form_change:
        form = form_change(form)
    return client.post(urlparse(params["redirect_uri"]).path, form), form


def refusal(response) -> str:
    match = re.search(r'data-testid="lti-error">(.*?)</p>', response.content.decode(), re.S)
    return unescape(match.group(1)) if match else ""
