"""Unit tests of the fake's own logic (run by selftest.sh):
python3 -m unittest discover -s tests/fake -p 'test_*.py'"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import json  # noqa: E402

import msfake  # noqa: E402
from msfakelib import exo, faults, limits, login, odata, tenant  # noqa: E402
from msfakelib.common import Ctx  # noqa: E402
from msfakelib.server import App  # noqa: E402
from msfakelib.util import fmt_dt, parse_dt, resolve_relative_dates  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


class FilterTest(unittest.TestCase):
    O = {"a": "Hello", "d": "2024-05-01T10:00:00Z", "n": 3, "l": [{"id": "x"}, {"id": "y"}],
         "s": {"e": 0}, "t": ["interactiveUser"], "g": "62e90394-69f5-4237-9190-012177145e10", "z": None}

    def ok(self, f, want=True):
        self.assertEqual(odata.compile_filter(f)(self.O), want, f)

    def test_supported(self):
        self.ok("a eq 'hello'")
        self.ok("a ne 'hello'", False)
        self.ok("startswith(a,'he')")
        self.ok("endswith(a,'LO')")
        self.ok("d ge 2024-04-01T00:00:00Z and d le 2024-05-01T10:00:00.000Z")
        self.ok("d gt 2024-05-01T12:00:00+02:00", False)
        self.ok("n gt 2 and not (n eq 4)")
        self.ok("l/any(x: x/id eq 'y')")
        self.ok("l/all(x: x/id eq 'y')", False)
        self.ok("s/e eq 0 or a eq 'no'")
        self.ok("t/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')")
        self.ok("g eq 62e90394-69f5-4237-9190-012177145e10")
        self.ok("a in ('x','HELLO')")
        self.ok("z eq null and missing eq null")
        self.ok("a eq microsoft.graph.whatever'Hello'")
        self.ok("a eq 'it''s'", False)

    def test_refused(self):
        for f in ("contains(a,'x')", "a eq", "a eq 'x' and", "n add 1 eq 2", "(a eq 'x'", "a eq 'x' )"):
            with self.assertRaises(odata.ODataError, msg=f):
                odata.compile_filter(f)

    def test_orderby(self):
        objs = [{"n": 2}, {"n": None}, {"n": 1}]
        self.assertEqual([o["n"] for o in odata.sort_objects(objs, odata.parse_orderby("n desc"))], [2, 1, None])


class DatesTest(unittest.TestCase):
    def test_relative(self):
        r = resolve_relative_dates({"a": ["@now-1d", "@now"], "b": "@nowhere"}, ref=86400 * 2)
        self.assertEqual(r, {"a": ["1970-01-02T00:00:00Z", "1970-01-03T00:00:00Z"], "b": "@nowhere"})

    def test_parse(self):
        self.assertEqual(parse_dt("2024-05-01T10:00:00.1234567Z"), parse_dt("2024-05-01T10:00:00Z") + 0.1234567)
        self.assertEqual(fmt_dt(0), "1970-01-01T00:00:00Z")
        self.assertIsNone(parse_dt("62e90394-69f5-4237-9190-012177145e10"))


class FaultTest(unittest.TestCase):
    def test_parse_and_count(self):
        f = faults.Faults(["kind=429,path=/v1.0/users,skip=1,count=2,retry_after=0.5",
                           "503,path=^/beta/,every=2,count=inf"])
        hits = [f.pick("GET", "/v1.0/users", "/v1.0/users", "top") for _ in range(5)]
        self.assertEqual([h is not None for h in hits], [False, True, True, False, False])
        self.assertEqual(hits[1].retry_after, "0.5")
        beta = [f.pick("GET", "/beta/x", "/beta/x", "top") is not None for _ in range(4)]
        self.assertEqual(beta, [True, False, True, False])
        self.assertIsNone(f.pick("GET", "/v1.0/users", "/v1.0/users", "batch"))

    def test_bad(self):
        for s in ("kind=nope", "kind=429,path=(", "reset,in=batch", "kind=429,oops"):
            with self.assertRaises(faults.FaultSpecError, msg=s):
                faults.Rule(s)

    def test_regex_with_commas(self):
        r = faults.Rule("kind=404,path=^/v1.0/users/[a-f0-9]{8},count=3")
        self.assertEqual(r.count, 3)
        self.assertTrue(r.matches("GET", "/v1.0/users/abcdef01", "", "top"))


class ReportsLimitsTest(unittest.TestCase):
    def test_spec(self):
        self.assertEqual(limits.parse_identity_spec("ms"), {"identityProtection": (1, 1.0)})
        self.assertEqual(limits.parse_identity_spec("2/3s"), {"identityProtection": (2, 3.0)})
        self.assertEqual(limits.IdentityLimits.buckets("GET", "identityProtection/riskyUsers", {}),
                         ["identityProtection"])
        self.assertEqual(limits.IdentityLimits.buckets("GET", "identity/conditionalAccess/policies", {}),
                         ["identityProtection"])
        self.assertEqual(limits.IdentityLimits.buckets("GET", "users", {}), [])
        self.assertEqual(limits.parse_spec("ms"), {"reports": (5, 10.0), "signInActivity": (10, 60.0)})
        self.assertEqual(limits.parse_spec("5/2s"), {"reports": (5, 2.0), "signInActivity": (10, 12.0)})
        self.assertEqual(limits.parse_spec("3/1.5,4/1m"), {"reports": (3, 1.5), "signInActivity": (4, 60.0)})
        for bad in ("", "5", "0/10s", "5/0s", "5/10h", "1/1,2/2,3/3"):
            with self.assertRaises(limits.LimitSpecError, msg=bad):
                limits.parse_spec(bad)

    def test_routes(self):
        b = limits.ReportsLimits.buckets
        self.assertEqual(b("GET", "auditLogs/signIns", {}), ["reports"])
        self.assertEqual(b("GET", "auditLogs/directoryAudits", {"$top": "999"}), ["reports"])
        self.assertEqual(b("GET", "reports/authenticationMethods/userRegistrationDetails", {}), ["reports"])
        self.assertEqual(b("GET", "users/u1/authentication/methods", {}), ["reports"])
        self.assertEqual(b("GET", "users/u1", {"$select": "id,signInActivity"}), ["reports", "signInActivity"])
        self.assertEqual(b("GET", "users", {"$filter": "signInActivity/lastSignInDateTime le 2024-01-01T00:00:00Z"}),
                         ["reports", "signInActivity"])
        self.assertEqual(b("GET", "users", {"$select": "id,displayName"}), [])
        self.assertEqual(b("GET", "identityProtection/riskyUsers", {}), [])
        self.assertEqual(b("POST", "auditLogs/signIns", {}), [])

    def test_sliding_window(self):
        lim = limits.ReportsLimits("2/10s,3/60s", clock=lambda: 0.0)
        k = ("app", "tenant")
        R, A = ["reports"], ["reports", "signInActivity"]
        self.assertIsNone(lim.admit(k, R, now=0.0))
        self.assertIsNone(lim.admit(k, R, now=4.0))
        # full: the oldest slot frees at 10 s; Retry-After in whole seconds, rounded up
        self.assertEqual(lim.admit(k, R, now=6.5), ("reports", 4, 3.5))
        self.assertIsNone(lim.admit(("other app", "tenant"), R, now=6.5))      # per app
        self.assertIsNone(lim.admit(k, R, now=10.0))                           # slot of t=0 freed
        self.assertEqual(lim.admit(k, R, now=10.5)[:2], ("reports", 4))        # a refusal takes no slot
        self.assertIsNone(lim.admit(k, A, now=14.0))
        self.assertIsNone(lim.admit(k, A, now=25.0))
        self.assertIsNone(lim.admit(k, A, now=36.0))
        # the signInActivity window (3 per 60 s) is full until 74 s; reports is not
        self.assertEqual(lim.admit(k, A, now=47.0), ("signInActivity", 27, 27.0))
        self.assertIsNone(lim.admit(k, R, now=47.0))
        self.assertIsNone(lim.admit(k, [], now=47.0))
        self.assertEqual((lim.admitted, lim.refused), (8, 3))

    def test_graph_direct_and_batch(self):
        o = msfake.parse_args(["--cert", "x", "--key", "x", "--no-auth", "--reports-limits", "2/10s,3/60s"])
        t, _ = msfake.build_tenant(o)
        app = App(o, t)
        clock = [100.0]
        app.graph.limits.clock = lambda: clock[0]

        def get(url):
            ctx = Ctx("GET", "/v1.0/" + url, {})
            return app.graph.handle(ctx), ctx

        self.assertEqual(get("auditLogs/directoryAudits")[0].status, 200)
        self.assertEqual(get("users?$select=id,displayName")[0].status, 200)     # not a reports request
        r, c = get("auditLogs/signIns?$top=5")
        self.assertEqual(r.status, 200)
        r, c = get("auditLogs/signIns?$top=5")
        self.assertEqual((r.status, r.get("Retry-After"), c.log.get("throttled")), (429, "10", "reports"))
        self.assertEqual(json.loads(r.body)["error"]["code"], "TooManyRequests")
        clock[0] = 110.0
        body = json.dumps({"requests": [
            {"id": "1", "method": "GET", "url": "/auditLogs/signIns?$top=1"},
            {"id": "2", "method": "GET", "url": "/users?$select=id"},
            {"id": "3", "method": "GET", "url": "/users/admin1@contoso.com?$select=id,signInActivity"},
            {"id": "4", "method": "GET", "url": "/reports/authenticationMethods/userRegistrationDetails"}]}).encode()
        ctx = Ctx("POST", "/v1.0/$batch", {"Content-Type": "application/json"}, body)
        r = app.graph.handle(ctx)
        self.assertEqual(r.status, 200)
        subs = {x["id"]: x for x in json.loads(r.body)["responses"]}
        self.assertEqual([subs[i]["status"] for i in "1234"], [200, 200, 200, 429])   # sub-requests count one by one
        self.assertEqual(subs["4"]["headers"]["Retry-After"], "10")
        self.assertEqual(subs["4"]["body"]["error"]["code"], "TooManyRequests")
        log = {x["id"]: x for x in ctx.log["batch"]}
        self.assertEqual((log["4"]["throttled"], log["4"]["retry_after"]), ("reports", "10"))
        self.assertNotIn("throttled", log["2"])


class NarrowTest(unittest.TestCase):
    def test_or_group(self):
        o = msfake.parse_args(["--cert", "x", "--key", "x", "--no-auth", "--gen-users", "50", "--gen-admins", "5"])
        t, _ = msfake.build_tenant(o)
        g = App(o, t).graph
        si = t.coll("auditLogs/signIns")
        a, b = si[0]["userId"], si[-1]["userId"]
        flt = "(userId eq '%s' or userId eq '%s') and createdDateTime ge 2000-01-01T00:00:00Z" % (a, b)
        want = [x for x in si if odata.compile_filter(flt)(x)]
        got = g._narrow("auditLogs/signIns", flt)
        self.assertTrue(want and {id(x) for x in want} <= {id(x) for x in got})
        self.assertEqual(len(got), sum(1 for x in si if x["userId"] in (a, b)))
        self.assertIsNone(g._narrow("auditLogs/signIns", "(userId eq 'x' or appId eq 'y') and a eq 'b'"))
        self.assertIsNone(g._narrow("auditLogs/signIns", "(userId eq 'x' or userId eq 'y') and a eq 'b' or c eq 'd'"))


class TenantTest(unittest.TestCase):
    def test_clean_and_overlay(self):
        t = tenant.Tenant(tenant.load_file(os.path.join(HERE, "tenants", "clean.json")))
        self.assertTrue(t.p1 and t.p2 and t.exo)
        self.assertEqual(len(t.role_members("62e90394-69f5-4237-9190-012177145e10")), 2)
        reg = {r["userPrincipalName"]: r for r in t.coll("reports/authenticationMethods/userRegistrationDetails")}
        self.assertTrue(reg["admin1@contoso.com"]["isMfaRegistered"] and reg["admin1@contoso.com"]["isAdmin"])
        self.assertFalse(reg["gaelle.petit@contoso.com"]["isMfaRegistered"])
        no = tenant.Tenant(tenant.load_file(os.path.join(HERE, "tenants", "nolicence.json")))
        self.assertFalse(no.p1 or no.p2)
        self.assertTrue(no.singletons["policies/identitySecurityDefaultsEnforcementPolicy"]["isEnabled"])
        self.assertEqual(len(no.coll("users")), 10)

    def test_merge_by_id(self):
        raw = tenant.empty_raw()
        tenant.merge(raw, tenant.normalise({"users": [{"id": "A", "x": 1}, {"id": "B"}]}))
        tenant.merge(raw, tenant.normalise({"users": [{"id": "a", "y": 2}, {"id": "C"}], "remove": {"users": ["b"]}}))
        self.assertEqual(raw["colls"]["users"], [{"id": "a", "x": 1, "y": 2}, {"id": "C"}])

    def test_generator(self):
        t = tenant.Tenant(tenant.generate(500, n_admins=5, n_signins=50))
        self.assertEqual(len(t.coll("users")), 500)
        self.assertEqual(len(t.coll("roleManagement/directory/roleAssignments")), 5)
        self.assertEqual(len(t.coll("auditLogs/signIns")), 50)
        self.assertEqual(tenant.generate(50)["colls"]["users"][7]["id"], tenant.generate(50)["colls"]["users"][7]["id"])

    def test_transitive(self):
        raw = tenant.empty_raw()
        tenant.merge(raw, tenant.normalise({
            "users": [{"id": "u1"}], "groups": [{"id": "g1", "_members": ["g2"]}, {"id": "g2", "_members": ["u1"]}],
            "roleManagement/directory/roleAssignments": [
                {"id": "r", "principalId": "g1", "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10"}]}))
        t = tenant.Tenant(raw)
        self.assertEqual(t.transitive_members("g1"), ["g2", "u1"])
        self.assertEqual(t.role_template_ids_of("u1"), ["62e90394-69f5-4237-9190-012177145e10"])


class LoginTest(unittest.TestCase):
    def test_scenarios(self):
        self.assertEqual(login.parse_scenario("pending:2"), ["pending", "pending", "ok"])
        self.assertEqual(login.parse_scenario("slow_down"), ["slow_down", "pending", "ok"])
        self.assertEqual(login.parse_scenario("pending,declined"), ["pending", "declined"])
        with self.assertRaises(ValueError):
            login.parse_scenario("pending,maybe")


class ExoTest(unittest.TestCase):
    def test_opath(self):
        self.assertEqual(exo.opath_to_odata("ForwardingSmtpAddress -ne $null -and Name -like 'adm*'"),
                         "ForwardingSmtpAddress ne null and startswith(Name,'adm')")


if __name__ == "__main__":
    unittest.main()
