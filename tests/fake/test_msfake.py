"""Unit tests of the fake's own logic (run by selftest.sh):
python3 -m unittest discover -s tests/fake -p 'test_*.py'"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from msfakelib import exo, faults, login, odata, tenant  # noqa: E402
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
