"""Sign in, the session cookie and CSRF, access tokens, and the login limiter."""

from __future__ import annotations

from tests.admin.conftest import AdminServer

ME = "{ me { id username role csrfToken hasAccessToken } }"
CREATE = """mutation($name: String!) { createToken(input: {name: $name, unlimitedQuota: true}) {
  __typename ... on TokenCreated { key token { id key } } } }"""


async def test_account_flow(server: AdminServer) -> None:
    alice = server.caller()
    anonymous = await alice.post(ME)
    assert anonymous["errors"][0]["extensions"]["code"] == "unauthenticated"

    result = await alice.login("alice")
    assert result["__typename"] == "LoginSuccess"
    cookie = alice.http.cookies.get("newapi_session")
    assert cookie
    me = (await alice.data(ME))["me"]
    assert me["username"] == "alice" and me["csrfToken"] == alice.csrf

    created = (await alice.data(CREATE, {"name": "laptop"}))["createToken"]
    key, token = created["key"], created["token"]
    assert key.startswith("sk-") and len(key) == 51
    assert token["key"] == f"sk-{key[3:7]}****{key[-4:]}"

    revealed = await alice.data(
        "mutation($id: Int!) { revealTokenKey(id: $id) { key } }", {"id": token["id"]}
    )
    assert revealed["revealTokenKey"]["key"] == key
    from newapi.store.models import Log

    rows = await Log.filter(type=3, user_id=server.ids["alice"]).values("content", "token_id")
    assert rows == [{"content": f"revealed the key of token 'laptop' (id {token['id']})",
                     "token_id": token["id"]}]

    assert (await alice.data("mutation { logout }"))["logout"] is True
    again = await alice.post(ME)
    assert again["errors"][0]["extensions"]["code"] == "unauthenticated"
    # The old cookie is revoked too (auth_version moved on), not only cleared in the browser.
    replay = server.caller()
    replay.http.cookies.set("newapi_session", cookie)
    assert (await replay.post(ME))["errors"][0]["extensions"]["code"] == "unauthenticated"


async def test_wrong_password_is_a_field_error_and_login_by_email(server: AdminServer) -> None:
    caller = server.caller()
    result = await caller.login("alice", "not-her-password")
    assert result == {"__typename": "FieldErrors",
                      "errors": [{"field": "password", "message": "wrong username or password"}]}
    assert caller.http.cookies.get("newapi_session") is None


async def test_mutations_with_a_cookie_need_the_csrf_header(server: AdminServer) -> None:
    alice = await server.signed_in("alice")
    body = await alice.post(CREATE, {"name": "x"}, csrf=False)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "csrf_failed"
    alice.csrf = "0" * 32
    body = await alice.post(CREATE, {"name": "x"})
    assert body["errors"][0]["extensions"]["code"] == "csrf_failed"
    # Queries do not need it.
    alice.csrf = None
    assert (await alice.data(ME))["me"]["username"] == "alice"


async def test_access_token_authenticates_without_csrf(server: AdminServer) -> None:
    alice = await server.signed_in("alice")
    token = (await alice.data("mutation { generateAccessToken { token } }"))[
        "generateAccessToken"]["token"]
    assert len(token) == 32
    robot = server.caller()
    robot.bearer = token
    me = (await robot.data(ME))["me"]
    assert me["username"] == "alice" and me["csrfToken"] is None and me["hasAccessToken"]
    created = (await robot.data(CREATE, {"name": "from-script"}))["createToken"]
    assert created["__typename"] == "TokenCreated"
    robot.bearer = "x" * 32
    assert (await robot.post(ME))["errors"][0]["extensions"]["code"] == "unauthenticated"


async def test_change_password_signs_out_other_sessions(server: AdminServer) -> None:
    first = await server.signed_in("alice")
    second = await server.signed_in("alice")
    change = """mutation($o: String!, $n: String!) { changePassword(oldPassword: $o,
      newPassword: $n) { __typename ... on PasswordChanged { csrfToken }
      ... on FieldErrors { errors { field } } } }"""
    wrong = (await first.data(change, {"o": "nope-nope", "n": "new-password-1"}))
    assert wrong["changePassword"] == {"__typename": "FieldErrors",
                                       "errors": [{"field": "oldPassword"}]}
    short = await first.data(change, {"o": "alice-password", "n": "short"})
    assert short["changePassword"]["errors"] == [{"field": "newPassword"}]
    done = (await first.data(change, {"o": "alice-password", "n": "new-password-1"}))
    first.csrf = done["changePassword"]["csrfToken"]
    assert (await first.data(ME))["me"]["username"] == "alice"
    assert (await second.post(ME))["errors"][0]["extensions"]["code"] == "unauthenticated"
    assert (await server.caller().login("alice", "new-password-1"))["__typename"] == (
        "LoginSuccess")


async def test_login_attempts_are_limited(server: AdminServer) -> None:
    caller = server.caller()
    for _ in range(5):
        assert (await caller.login("bob", "wrong-password"))["__typename"] == "FieldErrors"
    body = await caller.post(
        'mutation { login(username: "bob", password: "bob-password") { __typename } }'
    )
    assert body["errors"][0]["extensions"]["code"] == "rate_limited"
    # Another username from the same address still gets in.
    assert (await caller.login("alice"))["__typename"] == "LoginSuccess"


async def test_setup_status_is_public(server: AdminServer) -> None:
    data = await server.caller().data("{ setupStatus { done rootExists version } }")
    assert data["setupStatus"]["done"] is True and data["setupStatus"]["rootExists"] is True
