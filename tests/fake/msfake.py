#!/usr/bin/env python3
"""Fake Microsoft login / Graph / Exchange admin API over TLS, for reflexe's tests.

  python3 tests/fake/msfake.py --cert CERT.pem --key KEY.pem --port 0 --port-file F --log F.jsonl \
      [--tenant-file T.json ...] [--gen-users N ...] [--latency-ms 50] [--fault SPEC ...]

See tests/fake/README.md.  Python 3 standard library only (+ the openssl
command to verify client assertion signatures).
"""
import argparse
import json
import os
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from msfakelib import apps as appsmod  # noqa: E402
from msfakelib import tenant as tenantmod  # noqa: E402
from msfakelib.faults import FaultSpecError, Rule  # noqa: E402
from msfakelib.login import parse_scenario  # noqa: E402
from msfakelib.limits import parse_identity_spec, parse_spec  # noqa: E402
from msfakelib.server import App, Server, make_ssl_context, write_port_file  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_args(argv):
    p = argparse.ArgumentParser(prog="msfake.py", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    g = p.add_argument_group("server")
    g.add_argument("--cert", required=True, help="server certificate chain (PEM)")
    g.add_argument("--key", required=True, help="server private key (PEM)")
    g.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0 = any free one)")
    g.add_argument("--port-file", help="write the port here once listening")
    g.add_argument("--log", help="request log, one JSON object per line")
    g.add_argument("--roles", default="login,graph,exo", help="services to serve (default: all three)")
    g.add_argument("--tls-version", choices=("any", "1.2", "1.3"), default="any")
    g.add_argument("--idle-timeout", type=float, default=30.0, help="keep-alive idle timeout, seconds")
    g.add_argument("--latency-ms", type=float, default=0.0, help="delay added to every request")
    g.add_argument("--handshake-delay-ms", type=float, default=0.0,
                   help="delay before the TLS handshake of every new connection")
    g.add_argument("--chunked", action="store_true", help="send every body with Transfer-Encoding: chunked")
    g.add_argument("--clock-skew", type=float, default=0.0, help="seconds added to the Date header")
    g.add_argument("--fault", action="append", default=[], help="fault rule (repeatable), see README")
    g.add_argument("--reports-limits", metavar="SPEC",
                   help="identity and access reports service limits per app per tenant: 'ms' (5/10s, "
                        "signInActivity 10/60s) or N/Ws[,N/Ws]; see README")
    g.add_argument("--identity-limits", metavar="SPEC",
                   help="identity protection and conditional access limit per tenant: 'ms' (1/1s) or N/Ws; "
                        "429 without Retry-After; see README")
    g.add_argument("--no-auth", action="store_true", help="Graph/Exchange accept requests without a token")
    g.add_argument("-v", "--verbose", action="store_true")
    t = p.add_argument_group("tenant")
    t.add_argument("--tenant-file", action="append", default=[],
                   help="tenant JSON (repeatable: later files are overlays); default tenants/clean.json")
    t.add_argument("--gen-users", type=int, help="generate a tenant with N users (overlays still apply)")
    t.add_argument("--gen-admins", type=int, default=2, help="privileged principals among them (first 2: GA)")
    t.add_argument("--gen-guests", type=int, help="guests among them (default N/50)")
    t.add_argument("--gen-signins", type=int, help="sign-ins over 30 days (default 20 per admin)")
    t.add_argument("--gen-audits", type=int, default=50, help="directory audit events")
    t.add_argument("--gen-sps", type=int, help="service principals of the generated tenant (first-party, "
                   "the tenant's own with their applications, third-party)")
    t.add_argument("--gen-grants", type=int, default=0, help="delegated permission grants among them")
    t.add_argument("--gen-sp-signins", type=int, default=10000, help="service principal sign-ins over 30 days")
    t.add_argument("--seed", default="reflexe", help="generator and $batch shuffle seed")
    t.add_argument("--dump-tenant", metavar="FILE", help="write the resolved tenant as JSON and exit")
    t.add_argument("--page-size", type=int, help="default Graph page size for every collection")
    t.add_argument("--exo-page-size", type=int, default=1000, help="Exchange page size without Prefer")
    t.add_argument("--exo-page-max", type=int, default=1000,
                   help="Exchange pages hold at most this many items, whatever Prefer asks (odata.maxpagesize "
                        "is a preference)")
    t.add_argument("--exo-role", choices=("admin", "global-reader", "none"),
                   help="the caller's Exchange role (also settings.exoRole): global-reader is refused "
                        "Get-InboxRule and Get-RecipientPermission, none everything (403)")
    t.add_argument("--exo-mailbox-latency-ms", type=float, default=0.0,
                   help="delay added to per-mailbox cmdlets (Get-InboxRule, Get-MailboxPermission)")
    t.add_argument("--exo-rate-limit", metavar="N/Ws",
                   help="Exchange's Rate-Limit-* budget: N calls a window of W seconds (default 30000/3600s)")
    t.add_argument("--no-shuffle", action="store_true", help="$batch responses in request order")
    t.add_argument("--prewarm", action="store_true",
                   help="serialize every object before listening (benchmarks: first pass as fast as the next)")
    lg = p.add_argument_group("login")
    lg.add_argument("--device-scenario", default="pending:2",
                    help="pending:N | slow_down | declined | expired | badcode | ok | step,step,... "
                         "(steps: pending slow_down ok declined expired badcode)")
    lg.add_argument("--device-interval", type=float, default=5, help="device code polling interval, seconds")
    lg.add_argument("--device-expires", type=float, default=900, help="device code lifetime, seconds")
    lg.add_argument("--client-id", help="confidential application id (client credentials)")
    lg.add_argument("--client-secret", default=os.environ.get("MSFAKE_CLIENT_SECRET"),
                    help="its secret (or env MSFAKE_CLIENT_SECRET)")
    lg.add_argument("--client-cert", help="its certificate (PEM) for JWT client assertions")
    lg.add_argument("--allow-x5t", action="store_true", help="also accept a SHA-1 x5t header instead of x5t#S256")
    lg.add_argument("--app-roles", type=lambda s: [x for x in s.split(",") if x],
                    help="Graph application roles in app tokens (comma list)")
    lg.add_argument("--scopes", type=lambda s: [x for x in s.split(",") if x],
                    help="consented delegated Graph scopes (comma list; default: all read scopes)")
    lg.add_argument("--signed-in-user", help="UPN the device-code user signs in as (default: first Global Admin)")
    lg.add_argument("--refresh-refuse", action="append", choices=("graph", "exo", "all"),
                    help="refuse refresh-token grants for this resource (invalid_grant, AADSTS65001)")
    lg.add_argument("--foci", type=lambda s: [x for x in s.split(",") if x],
                    help="client ids that may redeem each other's refresh tokens")
    lg.add_argument("--token-lifetime", type=float, default=3600, help="access token lifetime, seconds")
    o = p.parse_args(argv)
    try:
        parse_scenario(o.device_scenario)
        for f in o.fault:
            Rule(f)
        if o.reports_limits:
            parse_spec(o.reports_limits)
        if o.identity_limits:
            parse_identity_spec(o.identity_limits)
    except (ValueError, FaultSpecError) as e:
        p.error(str(e))
    return o


def build_tenant(o):
    t0 = time.monotonic()
    if o.gen_users is not None:
        raw = tenantmod.generate(o.gen_users, seed=o.seed, n_admins=o.gen_admins, n_guests=o.gen_guests,
                                 n_signins=o.gen_signins, n_audits=o.gen_audits)
        if o.gen_sps:
            appsmod.add_apps(raw, o.gen_sps, o.gen_grants, seed=o.seed, n_signins=o.gen_sp_signins,
                             ref_time=time.time())
        files = o.tenant_file
    else:
        raw = tenantmod.empty_raw()
        files = o.tenant_file or [os.path.join(HERE, "tenants", "clean.json")]
    for f in files:
        tenantmod.merge(raw, tenantmod.load_file(f))
    t = tenantmod.Tenant(raw)
    return t, time.monotonic() - t0


def main(argv=None):
    o = parse_args(sys.argv[1:] if argv is None else argv)
    tenant, took = build_tenant(o)
    if o.dump_tenant:
        out = {"tenant": tenant.raw["tenant"], "settings": tenant.raw["settings"]}
        out.update({k: v for k, v in tenant.colls.items() if not k.startswith("exo:")})
        out.update({k: v for k, v in tenant.singletons.items()})
        out.update({k: v for k, v in tenant.nested.items()})
        out["exchange"] = {c: tenant.exchange(c) for c in
                           ("Get-Mailbox", "Get-InboxRule", "Get-TransportRule", "Get-RemoteDomain",
                            "Get-HostedContentFilterPolicy", "Get-OrganizationConfig", "Get-AdminAuditLogConfig")}
        with open(o.dump_tenant, "w", encoding="utf-8") as f:
            json.dump(out, f, indent=1, ensure_ascii=False)
        return 0
    app = App(o, tenant)
    server = Server(app, make_ssl_context(o.cert, o.key, o.tls_version), o.port)
    port = server.server_address[1]
    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    th = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    th.start()
    if o.port_file:
        write_port_file(o.port_file, port)
    sys.stderr.write("msfake: https://127.0.0.1:%d serving %s; tenant %s (%d users, built in %.2fs)%s\n" % (
        port, o.roles, tenant.id, len(tenant.coll("users")), took,
        "; %d fault rule(s)" % len(app.faults.rules) if app.faults.rules else ""))
    sys.stderr.flush()
    while not stop.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    app.log.close()
    sys.stderr.write("msfake: stopped after %d request(s)\n" % app.stats["requests"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
