"""Accounts and the guard: every role tried against every other role's data, anonymous against every write
route, pygeoapi's transactions off, tokens and sessions that expire, HTTPS-ready cookies, the CLI."""

from __future__ import annotations

import re
import subprocess
import time

import bourse_helpers as H
import pytest
import requests

ROLES = ("admin", "bf", "sn", "col_a", "col_b")


@pytest.fixture(scope="module")
def data(server, people):
    """A pending request of Burkina Faso and one personal-space item of each account."""
    r = H.submit(server, H.request_inputs(), H.new_ip())
    assert r.status_code == 200, r.text
    ref = r.json()["reference"]
    items = {}
    for who in ROLES:
        r = people[who].post(
            "/api/espace", json={"genre": "recherche", "nom": f"Recherche de {who}", "criteres": {"pays": "BF"}}
        )
        assert r.status_code == 201, r.text
        items[who] = r.json()["id"]
    return {"ref": ref, "items": items}


def _status(api, method, path, **kw):
    return api.req(method, path, **kw).status_code


def test_requests_by_role(people, data):
    ref = data["ref"]
    expect = {"admin": 200, "bf": 200, "sn": 404, "col_a": 403, "col_b": 403}
    for who, code in expect.items():
        assert _status(people[who], "GET", f"/api/bourse/demandes/{ref}") == code, who
        if who not in ("admin", "bf"):
            assert people[who].transition(ref, "validee").status_code == code, who
            listing = people[who].get("/api/bourse/demandes")
            assert listing.status_code == (200 if who == "sn" else 403), who
            if listing.status_code == 200:
                assert ref not in listing.text
    assert people["bf"].get(f"/api/bourse/demandes/{ref}").json()["statut_validation"] == "soumise"


def test_collectivity_data_by_role(people):
    a, pa, b, pb = people["coll_a"], people["projet_a"], people["coll_b"], people["projet_b"]
    expect_a = {"admin": 200, "col_a": 200, "col_b": 403, "bf": 403, "sn": 403}
    for who, code in expect_a.items():
        assert _status(people[who], "GET", f"/api/collectivites/{a}") == code, who
        assert _status(people[who], "GET", f"/api/projets/{pa}") == code, who
        assert _status(people[who], "GET", f"/api/collectivites/{a}/projets") == code, who
    # writes on another collectivity's data are refused and change nothing
    before = people["col_b"].get(f"/api/projets/{pb}").json()
    for who in ("col_a", "bf", "sn"):
        assert _status(people[who], "PATCH", f"/api/projets/{pb}", json={"titre": "Détourné par un autre"}) == 403, who
        assert _status(people[who], "PATCH", f"/api/collectivites/{b}", json={"elu_nom": "Intrus"}) == 403, who
    assert people["col_b"].get(f"/api/projets/{pb}").json()["titre"] == before["titre"]


def test_personal_spaces_are_personal(people, data):
    for owner, item in data["items"].items():
        for who in ROLES:
            code = 200 if who == owner else 404
            assert _status(people[who], "GET", f"/api/espace/{item}") == code, (owner, who)
            assert _status(people[who], "GET", f"/api/espace/{item}/contenu") == code, (owner, who)
            if who != owner:
                assert _status(people[who], "DELETE", f"/api/espace/{item}") == 404, (owner, who)
        listing = people[owner].get("/api/espace").json()["elements"]
        assert [e["id"] for e in listing if e["nom"].startswith("Recherche de")] == [item]


def test_anonymous_cannot_write_anything(server, people, data):
    anon = people["anon"]
    ref, item = data["ref"], data["items"]["col_a"]
    routes = [
        ("POST", f"/api/bourse/demandes/{ref}/transitions", {"json": {"vers": "validee"}}),
        ("PATCH", f"/api/collectivites/{people['coll_a']}", {"json": {"elu_nom": "x"}}),
        ("PATCH", f"/api/projets/{people['projet_a']}", {"json": {"titre": "Titre anonyme"}}),
        ("POST", "/api/espace", {"json": {"genre": "recherche", "nom": "x", "criteres": {}}}),
        ("DELETE", f"/api/espace/{item}", {}),
        ("DELETE", "/api/jetons", {}),
        ("GET", "/api/moi", {}),
        ("GET", "/api/bourse/demandes", {}),
        ("GET", "/api/modifications", {}),
        ("DELETE", "/jobs/00000000-0000-0000-0000-000000000000", {}),
        (
            "POST",
            "/processes/fiche-projet/execution",
            {"json": {"inputs": {"id": people["projet_a"], "format": "json"}}},
        ),
    ]
    for method, path, kw in routes:
        r = anon.req(method, path, **kw)
        assert r.status_code == 401, (method, path, r.status_code, r.text[:200])
        assert r.headers.get("WWW-Authenticate", "").startswith("Bearer"), path
    # a token that is not one is anonymous too
    fake = H.Api(server, token="ca_not-a-real-token")
    assert fake.get("/api/moi").status_code == 401
    # the web pages send anonymous visitors to the login page, and change nothing
    s = H.http_session()
    for path in (
        f"/bourse/ambassade/demandes/{ref}",
        "/compte/collectivite",
        f"/compte/projets/{people['projet_a']}",
        "/compte/espace",
        f"/compte/espace/{item}/supprimer",
    ):
        r = s.post(server.url + path, data={"vers": "validee", "titre": "x", "nom": "x"}, allow_redirects=False)
        assert r.status_code == 303 and "/compte/connexion" in r.headers["Location"], path
    assert people["bf"].get(f"/api/bourse/demandes/{ref}").json()["statut_validation"] == "soumise"
    assert people["col_a"].get(f"/api/espace/{item}").status_code == 200


@pytest.mark.parametrize("collection", ["demandes", "projets", "partenaires", "collectivites", "pays", "apd"])
def test_pygeoapi_transactions_are_off(server, people, collection):
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [0, 0]},
        "properties": {"id": "INTRUS-1", "titre": "Intrus", "statut_validation": "validee"},
    }
    n = server.get(f"/collections/{collection}/items?f=json&limit=1").json()["numberMatched"]
    some = server.get(f"/collections/{collection}/items?f=json&limit=1").json()["features"][0]["id"]
    for api, code in ((people["anon"], 401), (people["admin"], 403), (people["bf"], 403)):
        h = {"Content-Type": "application/geo+json"}
        assert (
            api.post(f"/collections/{collection}/items", data=__import__("json").dumps(feature), headers=h).status_code
            == code
        )
        assert api.req("PUT", f"/collections/{collection}/items/{some}", json=feature, headers=h).status_code == code
        assert api.delete(f"/collections/{collection}/items/{some}").status_code == code
    assert server.get(f"/collections/{collection}/items?f=json&limit=1").json()["numberMatched"] == n
    assert server.get(f"/collections/{collection}/items/{some}?f=json").status_code == 200
    # searching with POST (CQL2 JSON) still works
    r = server.post(
        f"/collections/{collection}/items?f=json&limit=1",
        data='{"op": "=", "args": [{"property": "id"}, "' + some + '"]}',
        headers={"Content-Type": "application/query-cql-json"},
    )
    assert r.status_code == 200


def test_restricted_process_and_job_deletion(server, people):
    body = {"inputs": {"id": people["projet_a"], "format": "json"}}
    assert people["bf"].post("/processes/fiche-projet/execution", json=body).status_code == 403
    assert people["col_a"].post("/processes/fiche-projet/execution", json=body).status_code == 200
    assert people["admin"].post("/processes/fiche-projet/execution", json=body).status_code == 200
    assert people["bf"].delete("/jobs/00000000-0000-0000-0000-000000000000").status_code == 403
    assert people["admin"].delete("/jobs/00000000-0000-0000-0000-000000000000").status_code == 404  # pygeoapi's


def test_tokens_expire_and_can_be_revoked(server):
    H.create_account(server, "expire@coopatlas.example", "administrateur")
    r = requests.post(
        server.url + "/api/jetons",
        json={"email": "expire@coopatlas.example", "mot_de_passe": H.PASSWORD, "duree_heures": 0.0005},
    )
    assert r.status_code == 201
    short = H.Api(server, token=r.json()["jeton"])
    assert short.get("/api/moi").status_code == 200
    time.sleep(2.2)  # 0.0005 h = 1.8 s
    assert short.get("/api/moi").status_code == 401
    api = H.Api(server, "expire@coopatlas.example")
    assert api.get("/api/moi").json()["role"] == "administrateur"
    assert api.delete("/api/jetons").status_code == 204
    assert api.get("/api/moi").status_code == 401
    for bad in ({"email": "expire@coopatlas.example"}, {"mot_de_passe": "x"}):
        assert requests.post(server.url + "/api/jetons", json=bad).status_code == 400
    assert (
        requests.post(
            server.url + "/api/jetons",
            json={"email": "expire@coopatlas.example", "mot_de_passe": H.PASSWORD, "duree_heures": 10_000},
        ).json()["parametre"]
        == "duree_heures"
    )


def test_failed_logins_are_throttled(server):
    H.create_account(server, "cible@coopatlas.example", "administrateur")
    ip = H.new_ip()
    for _ in range(5):  # COOPATLAS_LOGIN_RATE=5/900 on the test server
        r = requests.post(
            server.url + "/api/jetons",
            json={"email": "cible@coopatlas.example", "mot_de_passe": "faux"},
            headers={"X-Forwarded-For": ip},
        )
        assert r.status_code == 401
    r = requests.post(
        server.url + "/api/jetons",
        json={"email": "cible@coopatlas.example", "mot_de_passe": H.PASSWORD},
        headers={"X-Forwarded-For": ip},
    )
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0  # this address cannot guess on
    r = requests.post(
        server.url + "/api/jetons",
        json={"email": "cible@coopatlas.example", "mot_de_passe": H.PASSWORD},
        headers={"X-Forwarded-For": H.new_ip()},
    )
    assert r.status_code == 201  # but the owner, from elsewhere, is not locked out


def _web_login(server, email, headers=None):
    s = H.http_session()
    if headers:
        s.headers.update(headers)
    page = s.get(server.url + "/compte/connexion")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    # (a Secure cookie is not sent back over plain HTTP by requests: the proxy of a real deployment speaks HTTPS)
    r = s.post(
        server.url + "/compte/connexion",
        data={"email": email, "password": H.PASSWORD, "csrf": csrf},
        cookies={"coopatlas_csrf": page.cookies.get("coopatlas_csrf") or s.cookies.get("coopatlas_csrf")},
        allow_redirects=False,
    )
    return s, page, r


def test_cookies_are_secure_behind_tls(server, people):
    _, page, r = _web_login(server, "amb.sn@ambafrance.example", {"X-Forwarded-Proto": "https"})
    assert r.status_code == 303
    assert "Secure" in r.headers["Set-Cookie"]
    assert "Secure" in page.headers["Set-Cookie"]  # the form's CSRF cookie
    _, page, r = _web_login(server, "amb.sn@ambafrance.example")
    assert "Secure" not in r.headers["Set-Cookie"]


def test_web_session_logout(server, people):
    s, _, r = _web_login(server, "col.a@collectivite.example")
    assert s.get(server.url + "/compte").status_code == 200
    home = s.get(server.url + "/compte/espace")
    csrf = re.search(r'name="csrf" value="([^"]+)"', home.text).group(1)
    assert s.post(server.url + "/compte/deconnexion", data={"csrf": csrf}, allow_redirects=False).status_code == 303
    r = s.get(server.url + "/compte", allow_redirects=False)
    assert r.status_code == 303 and "/compte/connexion" in r.headers["Location"]
    # an embassy page is not for a collectivity
    s, _, _ = _web_login(server, "col.a@collectivite.example")
    assert s.get(server.url + "/bourse/ambassade").status_code == 403


def test_cli(server):
    env = {k: v for k, v in server.env.items() if k not in ("PYGEOAPI_CONFIG", "PYGEOAPI_OPENAPI")}

    def cli(*args, stdin=""):
        return subprocess.run(
            H.cli_command() + ["--var", str(server.var), *args],
            input=stdin,
            text=True,
            capture_output=True,
            cwd=H.ROOT,
            env=env,
            timeout=120,
        )

    out = cli("list")
    assert out.returncode == 0 and "amb.bf@ambafrance.example\tambassade\tBF" in out.stdout
    assert cli("create", "--role", "ambassade", "--pays", "ZZ", "--email", "x@y.example").returncode == 2
    assert cli("create", "--role", "ambassade", "--email", "x@y.example").returncode == 2
    assert cli("create", "--role", "collectivite", "--collectivite", "NOPE", "--email", "x@y.example").returncode == 2
    assert (
        cli(
            "create",
            "--role",
            "ambassade",
            "--pays",
            "BF",
            "--email",
            "court@y.example",
            "--password-stdin",
            stdin="court\n",
        ).returncode
        == 2
    )  # too short a password
    out = cli("create", "--role", "ambassade", "--pays", "ML", "--email", "amb.ml@ambafrance.example")
    assert out.returncode == 0
    password = re.search(r"password: (\S+)", out.stdout).group(1)
    api = H.Api(server, "amb.ml@ambafrance.example", password=password)
    assert api.get("/api/moi").json()["pays_code"] == "ML"
    assert cli("disable", "--email", "amb.ml@ambafrance.example").returncode == 0
    assert api.get("/api/moi").status_code == 401
    r = requests.post(server.url + "/api/jetons", json={"email": "amb.ml@ambafrance.example", "mot_de_passe": password})
    assert r.status_code == 401
