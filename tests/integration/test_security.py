#!/usr/bin/env python3
"""The security checklist against the running daemon: secrets refused, logins, refresh rotation and reuse,
CORS allowlist, JWT rotation, rate limits, HTTP hardening, tenant isolation over every route, encrypted API
keys, the audit log — and no secret in any log line or response. Usage: test_security.py TRADINGD TRADINGCTL
"""
import json
import os
import shutil
import subprocess
import unittest

from harness import BACKEND, TRADINGCTL, TRADINGD, Deployment

ADMIN = ("admin@example.com", "admin-password-123")
AGENT_PASSWORD = "agent-password-123"
API_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
API_SECRET = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"


class SecurityTest(unittest.TestCase):
    """One deployment for the whole class: starting a daemon and hashing passwords costs time."""

    @classmethod
    def setUpClass(cls):
        cls.d = Deployment()
        cls.d.extra_secrets = [ADMIN[1], AGENT_PASSWORD, API_SECRET]
        assert cls.d.ctl("db", "migrate").returncode == 0
        cls.d.add_admin(*ADMIN)
        cls.d.start()
        cls.all_bodies = []  # every response body, checked for secrets at the end

    @classmethod
    def tearDownClass(cls):
        for body in cls.all_bodies:
            for secret in (API_SECRET, AGENT_PASSWORD, ADMIN[1], cls.d.env_value("JWT_SECRET_KEY")):
                assert secret not in body, "a secret appeared in an API response"
        cls.d.cleanup()

    def call(self, method, path, body=None, token=None, headers=None, raw_body=None):
        status, hdrs, data = self.d.http(method, path, body, token, headers, raw_body)
        self.all_bodies.append(json.dumps(data))
        return status, hdrs, data

    def login(self, email, password, expect=200):
        status, hdrs, body = self.call("POST", "/api/auth/login", {"email": email, "password": password})
        self.assertEqual(status, expect, body)
        return body

    def register(self, email):
        status, _, body = self.call("POST", "/api/auth/register",
                                    {"email": email, "password": AGENT_PASSWORD, "display_name": email.split("@")[0]})
        self.assertEqual(status, 201, body)
        return body["user"]

    def agent_session(self, email):
        self.register(email)
        return self.login(email, AGENT_PASSWORD)

    # --- the roadmap's checklist -------------------------------------------------------------------------

    def test_admin_login_works(self):
        s = self.login(*ADMIN)
        self.assertEqual(s["user"]["role"], "admin")
        self.assertEqual(s["token_type"], "Bearer")
        self.assertEqual(s["expires_in"], 900)
        status, _, users = self.call("GET", "/api/admin/users", token=s["access_token"])
        self.assertEqual(status, 200)
        self.assertIn(ADMIN[0], [u["email"] for u in users["users"]])
        self.assertNotIn("password_hash", json.dumps(users))

    def test_agent_login_works(self):
        s = self.agent_session("ann@example.com")
        status, _, me = self.call("GET", "/api/agent/me", token=s["access_token"])
        self.assertEqual(status, 200)
        self.assertEqual(me["user"]["email"], "ann@example.com")
        self.assertEqual(me["agent"]["display_name"], "ann")

    def test_token_refresh_rotates_and_reuse_revokes_the_family(self):
        s = self.agent_session("rita@example.com")
        status, _, r1 = self.call("POST", "/api/auth/refresh", {"refresh_token": s["refresh_token"]})
        self.assertEqual(status, 200)
        self.assertNotEqual(r1["refresh_token"], s["refresh_token"])
        self.assertEqual(self.call("GET", "/api/agent/me", token=r1["access_token"])[0], 200)
        # The first refresh token is spent: presenting it again is treated as theft...
        status, _, err = self.call("POST", "/api/auth/refresh", {"refresh_token": s["refresh_token"]})
        self.assertEqual(status, 401)
        self.assertEqual(err["error"]["code"], "refresh_token_reused")
        # ...and the whole family dies, including the token the legitimate refresh produced.
        status, _, err = self.call("POST", "/api/auth/refresh", {"refresh_token": r1["refresh_token"]})
        self.assertEqual(status, 401)
        self.assertEqual(self.call("POST", "/api/auth/refresh", {"refresh_token": "not-a-token"})[0], 401)

    def test_logout_ends_the_refresh_token(self):
        s = self.agent_session("lou@example.com")
        self.assertEqual(self.call("POST", "/api/auth/logout", {"refresh_token": s["refresh_token"]})[0], 204)
        self.assertEqual(self.call("POST", "/api/auth/refresh", {"refresh_token": s["refresh_token"]})[0], 401)

    def test_cors_blocks_origins_not_on_the_allowlist(self):
        pre = {"Origin": "https://evil.example.net", "Access-Control-Request-Method": "POST"}
        status, hdrs, body = self.call("OPTIONS", "/api/auth/login", headers=pre)
        self.assertEqual(status, 403)
        self.assertNotIn("access-control-allow-origin", hdrs)
        self.assertEqual(body["error"]["code"], "cors_forbidden")
        status, hdrs, _ = self.call("GET", "/healthz", headers={"Origin": "https://evil.example.net"})
        self.assertEqual(status, 200)
        self.assertNotIn("access-control-allow-origin", hdrs)
        self.assertNotIn("access-control-allow-credentials", hdrs)
        self.assertEqual(hdrs.get("vary"), "Origin")
        # Look-alike origins do not match.
        for origin in ("https://app.example.com.evil.io", "http://app.example.com", "https://APP.example.com"):
            status, hdrs, _ = self.call("OPTIONS", "/api/auth/login",
                                        headers={"Origin": origin, "Access-Control-Request-Method": "POST"})
            self.assertEqual(status, 403, origin)

    def test_cors_allows_the_allowlisted_origin(self):
        ok = {"Origin": "https://app.example.com", "Access-Control-Request-Method": "POST",
              "Access-Control-Request-Headers": "content-type,authorization"}
        status, hdrs, _ = self.call("OPTIONS", "/api/auth/login", headers=ok)
        self.assertEqual(status, 204)
        self.assertEqual(hdrs["access-control-allow-origin"], "https://app.example.com")
        self.assertEqual(hdrs["access-control-allow-credentials"], "true")
        self.assertIn("POST", hdrs["access-control-allow-methods"])
        self.assertIn("Authorization", hdrs["access-control-allow-headers"])
        status, hdrs, _ = self.call("GET", "/healthz", headers={"Origin": "https://app.example.com"})
        self.assertEqual(hdrs["access-control-allow-origin"], "https://app.example.com")

    # --- passwords and rate limits -------------------------------------------------------------------------

    def test_wrong_passwords_are_rate_limited_per_account(self):
        self.register("guess@example.com")
        for _ in range(5):
            body = self.login("guess@example.com", "wrong-password", expect=401)
            self.assertEqual(body["error"]["code"], "invalid_credentials")
        status, hdrs, body = self.call("POST", "/api/auth/login",
                                       {"email": "guess@example.com", "password": AGENT_PASSWORD})
        self.assertEqual(status, 429)  # even the right password waits now
        self.assertGreater(int(hdrs["retry-after"]), 0)
        # An unknown email answers exactly like a wrong password.
        self.assertEqual(self.login("nobody@example.com", "whatever-123", expect=401)["error"]["code"],
                         "invalid_credentials")

    def test_registration_waits_for_approval_when_configured(self):
        self.d.write_config(extra="auth:\n  require_approval: true\n")
        self.assertEqual(self.d.ctl("config", "reload").returncode, 0)
        try:
            user = self.register("waiting@example.com")
            self.assertEqual(user["status"], "pending")
            body = self.login("waiting@example.com", AGENT_PASSWORD, expect=403)
            self.assertEqual(body["error"]["code"], "pending_approval")
            admin = self.login(*ADMIN)["access_token"]
            status, _, approved = self.call("POST", "/api/admin/users/%d/approve" % user["id"], {}, token=admin)
            self.assertEqual((status, approved["user"]["status"]), (200, "active"))
            self.login("waiting@example.com", AGENT_PASSWORD)
        finally:
            self.d.write_config()
            self.assertEqual(self.d.ctl("config", "reload").returncode, 0)

    def test_registration_validates_and_refuses_duplicates(self):
        cases = [({"email": "x", "password": AGENT_PASSWORD, "display_name": "X"}, 400, "invalid_email"),
                 ({"email": "short@example.com", "password": "short", "display_name": "S"}, 400, "weak_password"),
                 ({"email": "t@example.com", "password": 12345678901, "display_name": "T"}, 400, "invalid_field"),
                 ({"email": "n@example.com", "password": AGENT_PASSWORD}, 400, "invalid_field")]
        for body, status, code in cases:
            got, _, err = self.call("POST", "/api/auth/register", body)
            self.assertEqual((got, err["error"]["code"]), (status, code), body)
        self.register("dup@example.com")
        status, _, err = self.call("POST", "/api/auth/register",
                                   {"email": "DUP@example.com", "password": AGENT_PASSWORD, "display_name": "D"})
        self.assertEqual((status, err["error"]["code"]), (409, "email_taken"))

    def test_tokens_are_standard_hs256_jwts(self):
        s = self.login(*ADMIN)
        code = ("import jwt,sys; c=jwt.decode(sys.argv[1], sys.argv[2], algorithms=['HS256'], issuer='tradingd',"
                " options={'require':['exp','iss','sub']}); print(c['sub'], c['role'])")
        python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else shutil.which("python3")
        r = subprocess.run([python, "-c", code, s["access_token"], self.d.env_value("JWT_SECRET_KEY")],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, "PyJWT (python3-jwt) could not decode our token: " + r.stderr)
        self.assertEqual(r.stdout.split(), [str(s["user"]["id"]), "admin"])

    def test_forged_and_none_tokens_are_refused(self):
        s = self.login(*ADMIN)
        header, payload, sig = s["access_token"].split(".")
        none_header = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0"  # {"alg":"none","typ":"JWT"}
        for token in (none_header + "." + payload + ".", header + "." + payload + "." + sig[:-2] + "AA", "garbage"):
            status, hdrs, body = self.call("GET", "/api/admin/users", token=token)
            self.assertEqual(status, 401, token)
            self.assertIn("Bearer", hdrs["www-authenticate"])

    # --- HTTP hardening ------------------------------------------------------------------------------------

    def test_http_errors_use_one_json_shape(self):
        status, hdrs, body = self.call("GET", "/no/such/path")
        self.assertEqual((status, body["error"]["code"]), (404, "not_found"))
        status, hdrs, body = self.call("DELETE", "/healthz")
        self.assertEqual((status, body["error"]["code"]), (405, "method_not_allowed"))
        self.assertEqual(hdrs["allow"], "GET")
        status, _, body = self.call("POST", "/api/auth/login", raw_body=b"{not json")
        self.assertEqual((status, body["error"]["code"]), (400, "bad_json"))
        status, _, body = self.call("POST", "/api/auth/login", raw_body=b"[1,2]")
        self.assertEqual((status, body["error"]["code"]), (400, "bad_json"))
        status, _, body = self.call("POST", "/api/auth/login", raw_body=b"email=a", headers={"Content-Type": "text/plain"})
        self.assertEqual((status, body["error"]["code"]), (415, "unsupported_media_type"))
        # Without a token an agent route answers 401 whatever the body: no hints before authentication.
        status, _, body = self.call("PUT", "/api/agent/api-key", raw_body=b"x=1", headers={"Content-Type": "text/plain"})
        self.assertEqual((status, body["error"]["code"]), (401, "unauthorized"))
        status, _, body = self.call("POST", "/api/auth/login", raw_body=b"{\"email\":\"" + b"a" * 70000 + b"\"}")
        self.assertEqual((status, body["error"]["code"]), (413, "payload_too_large"))
        self.assertEqual(self.call("GET", "/healthz")[0], 200)  # still serving

    def test_security_headers(self):
        _, hdrs, _ = self.call("GET", "/api/agent/me")
        self.assertEqual(hdrs["x-content-type-options"], "nosniff")
        self.assertEqual(hdrs["referrer-policy"], "no-referrer")
        self.assertEqual(hdrs["cache-control"], "no-store")
        _, hdrs, _ = self.call("GET", "/no/page")
        self.assertIn("default-src 'self'", hdrs["content-security-policy"])
        self.assertIn("frame-ancestors 'none'", hdrs["content-security-policy"])

    # --- tenant isolation ----------------------------------------------------------------------------------

    def test_every_route_enforces_its_access_rule(self):
        routes = json.loads(self.d.ctl("call", "api.routes").stdout)["routes"]
        self.assertGreater(len(routes), 10)
        agent = self.agent_session("iso@example.com")["access_token"]
        admin = self.login(*ADMIN)["access_token"]
        for r in routes:
            path = r["pattern"].replace("{id}", "1")
            body = {} if r["method"] in ("POST", "PUT", "PATCH") else None
            if r["access"] == "open":
                continue
            status, _, err = self.call(r["method"], path, body)
            self.assertEqual(status, 401, "%s %s without a token" % (r["method"], path))
            if r["access"] == "admin":
                status, _, _ = self.call(r["method"], path, body, token=agent)
                self.assertEqual(status, 403, "%s %s with an agent token" % (r["method"], path))
            if r["access"] == "agent":
                status, _, _ = self.call(r["method"], path, body, token=admin)
                self.assertEqual(status, 403, "%s %s with an admin token" % (r["method"], path))

    def test_an_agent_cannot_touch_another_agents_objects(self):
        a = self.agent_session("alice@example.com")
        b = self.agent_session("bob@example.com")
        b_agent = b["user"]["agent_id"]
        self.d.sql("INSERT INTO notifications (agent_id, type, title) VALUES (%d, 'system', 'for bob only')" % b_agent)
        b_note = int(self.d.sql_query("SELECT MAX(id) FROM notifications")[0][0])
        self.d.sql("INSERT INTO positions (agent_id, symbol, side, quantity, entry_price) "
                   "VALUES (%d, 'BTCUSDT', 'LONG', '0.5', '60000')" % b_agent)
        # Alice sees none of it, and guessing ids changes nothing.
        _, _, notes = self.call("GET", "/api/agent/notifications", token=a["access_token"])
        self.assertEqual(notes["notifications"], [])
        _, _, pos = self.call("GET", "/api/agent/positions", token=a["access_token"])
        self.assertEqual(pos["positions"], [])
        for guess in (b_note, b_note - 1, b_note + 1, 1):
            status, _, _ = self.call("POST", "/api/agent/notifications/%d/read" % guess, {}, token=a["access_token"])
            self.assertEqual(status, 404)
        self.assertEqual(self.d.sql_query("SELECT is_read FROM notifications WHERE id = %d" % b_note)[0][0], "0")
        # Ids in the body or query are ignored: the token decides whose data it is.
        _, _, notes = self.call("GET", "/api/agent/notifications?agent_id=%d" % b_agent, token=a["access_token"])
        self.assertEqual(notes["notifications"], [])
        status, _, _ = self.call("POST", "/api/agent/notifications/%d/read" % b_note, {}, token=b["access_token"])
        self.assertEqual(status, 200)

    def test_a_disabled_account_loses_access_at_once(self):
        s = self.agent_session("gone@example.com")
        admin = self.login(*ADMIN)["access_token"]
        status, _, _ = self.call("POST", "/api/admin/users/%d/disable" % s["user"]["id"], {}, token=admin)
        self.assertEqual(status, 200)
        self.assertEqual(self.call("GET", "/api/agent/me", token=s["access_token"])[0], 401)
        self.assertEqual(self.call("POST", "/api/auth/refresh", {"refresh_token": s["refresh_token"]})[0], 401)
        self.assertEqual(self.login("gone@example.com", AGENT_PASSWORD, expect=403)["error"]["code"],
                         "account_disabled")

    # --- API keys at rest ----------------------------------------------------------------------------------

    def test_api_keys_are_stored_encrypted_and_only_shown_masked(self):
        s = self.agent_session("keys@example.com")
        tok = s["access_token"]
        self.assertEqual(self.call("GET", "/api/agent/api-key", token=tok)[2], {"linked": False})
        status, _, body = self.call("PUT", "/api/agent/api-key", {"api_key": API_KEY, "api_secret": API_SECRET},
                                    token=tok)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["key_masked"], API_KEY[:4] + "\u2026" + API_KEY[-4:])
        self.assertEqual(self.call("GET", "/api/agent/api-key", token=tok)[2]["key_masked"], body["key_masked"])
        rows = self.d.sql_query("SELECT hex(ciphertext), data_key_id FROM api_keys WHERE status = 'active'")
        blob = bytes.fromhex(rows[-1][0])
        self.assertNotIn(API_SECRET.encode(), blob)
        self.assertNotIn(API_KEY.encode(), blob)
        self.assertEqual(self.call("PUT", "/api/agent/api-key", {"api_key": "short", "api_secret": "x"},
                                   token=tok)[0], 400)
        old_key_id = int(rows[-1][1])
        r = self.d.ctl("secrets", "rotate-data-key", json_out=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        result = json.loads(r.stdout)
        self.assertGreaterEqual(result["reencrypted"], 1)
        self.assertEqual(result["data_key_id"], old_key_id + 1)
        self.assertIsNone(self.d.env_value("TRADINGD_DATA_KEY_PREVIOUS"))
        ids = {row[0] for row in self.d.sql_query("SELECT DISTINCT data_key_id FROM api_keys")}
        self.assertEqual(ids, {str(old_key_id + 1)})
        self.assertEqual(self.call("DELETE", "/api/agent/api-key", token=tok)[0], 204)
        self.assertEqual(self.call("GET", "/api/agent/api-key", token=tok)[2], {"linked": False})

    # --- rotation and audit ----------------------------------------------------------------------------------

    def test_z_rotating_the_jwt_key_invalidates_every_token(self):
        # No proxy is trusted in this deployment, so a client cannot choose the address the audit log records.
        status, _, body = self.call("POST", "/api/auth/login", {"email": ADMIN[0], "password": ADMIN[1]},
                                    headers={"X-Forwarded-For": "6.6.6.6"})
        self.assertEqual(status, 200)
        before = body["access_token"]
        refresh_before = body["refresh_token"]
        self.assertEqual(self.call("GET", "/api/admin/users", token=before)[0], 200)
        r = self.d.ctl("secrets", "rotate-jwt")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("reloaded", r.stdout)
        self.assertEqual(self.call("GET", "/api/admin/users", token=before)[0], 401)
        # Refresh tokens do not depend on the key; the rotation revokes them too, so every session ends.
        self.assertEqual(self.call("POST", "/api/auth/refresh", {"refresh_token": refresh_before})[0], 401)
        after = self.login(*ADMIN)["access_token"]
        self.assertEqual(self.call("GET", "/api/admin/users", token=after)[0], 200)
        _, _, audit = self.call("GET", "/api/admin/audit", token=after)
        actions = [e["action"] for e in audit["entries"]]
        for action in ("login", "login_failed", "register", "rotate_jwt", "api_key_link", "rotate_data_key", "disable"):
            self.assertIn(action, actions)
        logins = [e for e in audit["entries"] if e["action"] == "login"]
        self.assertEqual({e["ip"] for e in logins}, {"127.0.0.1"})


class SecretsAtStartup(unittest.TestCase):
    def setUp(self):
        self.d = Deployment()
        self.assertEqual(self.d.ctl("db", "migrate").returncode, 0)

    def tearDown(self):
        self.d.cleanup()

    def refused(self, name, value):
        self.d.set_env_value(name, value)
        check = subprocess.run([TRADINGD, "--config", self.d.config, "--env-file", self.d.env_file, "--check-config"],
                               capture_output=True, text=True, env=self.d.clean_env())
        self.assertEqual(check.returncode, 1, value)
        self.d.start(wait=False)
        self.assertEqual(self.d.proc.wait(timeout=30), 1, value)
        self.assertIn(name, self.d.read_log())
        return self.d.read_log()

    def test_placeholder_missing_or_weak_jwt_keys_refuse_to_start(self):
        for value in ("change-me", "dev", "secret", "CHANGE-ME", "a" * 128, "0123456789abcdef" * 2, None):
            log = self.refused("JWT_SECRET_KEY", value)
            if value and len(value) > 16:  # a rejected key is still never echoed
                self.assertNotIn(value, log)

    def test_a_missing_data_key_refuses_to_start(self):
        self.refused("TRADINGD_DATA_KEY", None)

    @unittest.skipUnless(os.geteuid() == 0, "changing a file's owner needs root (CI runs as root)")
    def test_rotation_keeps_the_env_files_owner_and_mode(self):
        os.chown(self.d.env_file, 65534, 65534)
        os.chmod(self.d.env_file, 0o640)
        r = self.d.ctl("secrets", "rotate-jwt")
        self.assertEqual(r.returncode, 0, r.stderr)
        st = os.stat(self.d.env_file)
        self.assertEqual((st.st_uid, st.st_gid, st.st_mode & 0o777), (65534, 65534, 0o640))

    def test_generate_refuses_to_overwrite_and_never_prints_without_stdout(self):
        r = self.d.ctl("secrets", "generate")
        self.assertEqual(r.returncode, 1)
        self.assertIn("already exists", r.stderr)
        fresh = os.path.join(self.d.dir, "fresh.env")
        r = subprocess.run([TRADINGCTL, "--env-file", fresh, "secrets", "generate"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(os.stat(fresh).st_mode & 0o777, 0o600)
        with open(fresh) as f:
            jwt_key = [l for l in f if l.startswith("JWT_SECRET_KEY=")][0].split("=", 1)[1].strip()
        self.assertEqual(len(jwt_key), 128)
        self.assertNotIn(jwt_key, r.stdout + r.stderr)
        out = subprocess.run([TRADINGCTL, "secrets", "generate", "--stdout"], capture_output=True, text=True)
        self.assertIn("JWT_SECRET_KEY=", out.stdout)


if __name__ == "__main__":
    print("security tests on backend:", BACKEND, flush=True)
    unittest.main(argv=[os.sys.argv[0], "-v"])
