/* export/: dates and zones, the JSON record splitter, every layout read
 * from the fixtures of tests/fixtures/exports/ (README.md there says
 * where each file comes from; each case below names the file and the
 * record it checks), and the normalised event line. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export/export.h"
#include "t.h"

#define FIX "tests/fixtures/exports/"

static const char *iso(int64_t t)
{
	static char b[4][32];
	static int k;
	k = (k + 1) % 4;
	if (t == EXP_NO_TIME)
		return "none";
	tm_utc_iso(t, b[k], sizeof b[k]);
	return b[k];
}

/* ---- dates ------------------------------------------------------------------ */

static void dates_each_format(void)
{
	struct exp_when w = { 0 };
	int64_t t;
	static const struct { const char *in, *out; unsigned basis, want; } ok[] = {
		{ "2023-07-23T06:46:28", "2023-07-23T06:46:28Z", EXP_TZ_SCHEMA, EXP_TZ_SCHEMA },
		{ "2023-09-20T04:05:03.0000000Z", "2023-09-20T04:05:03Z", 0, EXP_TZ_OFFSET },
		{ "2024-11-27T03:31:26.7088498+00:00", "2024-11-27T03:31:26Z", 0, EXP_TZ_OFFSET },
		{ "2024-12-16 16:32:16.087554000", "2024-12-16T16:32:16Z", EXP_TZ_SCHEMA, EXP_TZ_SCHEMA },
		{ "9/20/2023 4:05:03 AM", "2023-09-20T04:05:03Z", EXP_TZ_HEADER, EXP_TZ_HEADER },
		{ "9/20/2023 4:05:03 PM", "2023-09-20T16:05:03Z", EXP_TZ_HEADER, EXP_TZ_HEADER },
		{ "12/31/2023 12:00:00 AM", "2023-12-31T00:00:00Z", EXP_TZ_HEADER, EXP_TZ_HEADER },
		{ "4/26/2021, 7:17:10.000 AM", "2021-04-26T07:17:10Z", EXP_TZ_HEADER, EXP_TZ_HEADER },
		{ "20/09/2023 16:05:03", "2023-09-20T16:05:03Z", EXP_TZ_HEADER, EXP_TZ_HEADER },
		{ "20.09.2023 16:05", "2023-09-20T16:05:00Z", EXP_TZ_HEADER, EXP_TZ_HEADER },
		{ "9/20/2023 4:05:03 AM UTC", "2023-09-20T04:05:03Z", 0, EXP_TZ_OFFSET },
		{ "/Date(1690094788000)/", "2023-07-23T06:46:28Z", 0, EXP_TZ_OFFSET },
		{ "/Date(1690094788000+0200)/", "2023-07-23T06:46:28Z", 0, EXP_TZ_OFFSET },
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		memset(&w, 0, sizeof w);
		int r = exp_when_parse(&w, ok[i].in, ok[i].basis, "c", 7, &t);
		CHECK_INT(r, 0);
		if (r == 0)
			CHECK_STR(iso(t), ok[i].out);
		CHECK_INT(w.basis, ok[i].want);
	}
	static const char *const bad[] = { "", "yesterday", "13/13/2023 10:00", "2/30/2023 1:00:00 AM",
					   "9/20/2023 13:05:03 PM", "2023-02-29T00:00:00Z", "20/09/23 10:00" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&w, 0, sizeof w);
		err_clear();
		CHECK_INT(exp_when_parse(&w, bad[i], EXP_TZ_HEADER, "Date", 12, &t), -1);
		CHECK(strstr(err_msg(), "line 12") != NULL);
	}
}

static void dates_day_month_order(void)
{
	struct exp_when w = { 0 };
	int64_t t;
	/* an ambiguous French date, then one that proves day first: fine */
	CHECK_INT(exp_when_parse(&w, "05/09/2023 10:00:00", EXP_TZ_HEADER, "d", 2, &t), 0);
	CHECK_STR(iso(t), "2023-09-05T10:00:00Z");
	CHECK_INT(exp_when_parse(&w, "20/09/2023 10:00:00", EXP_TZ_HEADER, "d", 3, &t), 0);
	/* an ambiguous date read day first, then one proving month first:
	 * refused, naming both lines */
	memset(&w, 0, sizeof w);
	CHECK_INT(exp_when_parse(&w, "05/09/2023 10:00:00", EXP_TZ_HEADER, "d", 2, &t), 0);
	err_clear();
	CHECK_INT(exp_when_parse(&w, "9/20/2023 10:00:00", EXP_TZ_HEADER, "d", 9, &t), -1);
	CHECK(strstr(err_msg(), "line 9") && strstr(err_msg(), "line 2"));
}

static void dates_zone_stated_or_needed(void)
{
	struct exp_when w = { 0 };
	int64_t t;
	/* no zone, none stated, no --tz: refused, saying --tz */
	err_clear();
	CHECK_INT(exp_when_parse(&w, "20/09/2023 16:05:03", 0, "CreationDate", 4, &t), -1);
	CHECK(strstr(err_msg(), "--tz") && strstr(err_msg(), "CreationDate") && strstr(err_msg(), "line 4"));
	/* with --tz Europe/Paris: summer (+2) and winter (+1) */
	struct tm_zone z;
	CHECK_INT(tm_zone_parse("Europe/Paris", &z), 0);
	w.tz = &z;
	CHECK_INT(exp_when_parse(&w, "20/09/2023 16:05:03", 0, "c", 4, &t), 0);
	CHECK_STR(iso(t), "2023-09-20T14:05:03Z");
	CHECK_INT(exp_when_parse(&w, "15/01/2024 16:05:03", 0, "c", 5, &t), 0);
	CHECK_STR(iso(t), "2024-01-15T15:05:03Z");
	CHECK_INT(w.basis, EXP_TZ_GIVEN);
	/* a value with its own offset ignores --tz */
	CHECK_INT(exp_when_parse(&w, "2023-09-20T16:05:03Z", 0, "c", 6, &t), 0);
	CHECK_STR(iso(t), "2023-09-20T16:05:03Z");
}

static void zones(void)
{
	struct tm_zone z;
	int64_t t, off;
	int h;
	struct { const char *zone, *local, *utc; } cases[] = {
		{ "Europe/Paris", "2023-07-01T12:00:00", "2023-07-01T10:00:00Z" },
		{ "Europe/Paris", "2023-12-01T12:00:00", "2023-12-01T11:00:00Z" },
		/* autumn repeat: the summer reading; spring gap: standard */
		{ "Europe/Paris", "2023-10-29T02:30:00", "2023-10-29T00:30:00Z" },
		{ "Europe/Paris", "2023-03-26T02:30:00", "2023-03-26T01:30:00Z" },
		{ "Europe/Paris", "2023-03-26T03:00:00", "2023-03-26T01:00:00Z" },
		{ "America/New_York", "2023-03-12T03:00:00", "2023-03-12T07:00:00Z" },
		{ "America/New_York", "2023-11-05T01:30:00", "2023-11-05T05:30:00Z" },
		{ "Australia/Sydney", "2023-01-15T12:00:00", "2023-01-15T01:00:00Z" },
		{ "Australia/Sydney", "2023-07-15T12:00:00", "2023-07-15T02:00:00Z" },
		{ "Indian/Reunion", "2023-07-15T12:00:00", "2023-07-15T08:00:00Z" },
		{ "+05:30", "2023-07-15T12:00:00", "2023-07-15T06:30:00Z" },
		{ "UTC-3", "2023-07-15T12:00:00", "2023-07-15T15:00:00Z" },
		{ "utc", "2023-07-15T12:00:00", "2023-07-15T12:00:00Z" },
		{ "CET-1CEST,M3.5.0,M10.5.0/3", "2023-07-01T12:00:00", "2023-07-01T10:00:00Z" },
		{ "<-03>3", "2023-07-01T12:00:00", "2023-07-01T15:00:00Z" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		CHECK_INT(tm_zone_parse(cases[i].zone, &z), 0);
		CHECK_INT(tm_parse_iso(cases[i].local, &t, &h, &h), 0);
		CHECK_STR(iso(tm_zone_to_utc(&z, t)), cases[i].utc);
	}
	/* the change instants themselves (EU: 01:00 UTC both ways) */
	CHECK_INT(tm_zone_parse("Europe/Paris", &z), 0);
	CHECK_INT(tm_parse_iso("2023-03-26T00:59:59Z", &off, &h, &h), 0);
	CHECK_INT(tm_zone_is_dst(&z, off), 0);
	CHECK_INT(tm_zone_is_dst(&z, off + 1), 1);
	CHECK_INT(tm_parse_iso("2023-10-29T00:59:59Z", &off, &h, &h), 0);
	CHECK_INT(tm_zone_is_dst(&z, off), 1);
	CHECK_INT(tm_zone_is_dst(&z, off + 1), 0);
	static const char *const bad[] = { "Mars/Olympus", "+25:00", "UTC+", "CET-1CEST,M13.5.0,M10.5.0", "" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err_clear();
		CHECK_INT(tm_zone_parse(bad[i], &z), -1);
		CHECK(strstr(err_msg(), "Europe/Paris") != NULL);
	}
}

/* ---- JSON records -------------------------------------------------------------- */

struct mem {
	const char *s;
	size_t len, pos, chunk;
};

static int mem_read(void *ctx, char *buf, size_t n)
{
	struct mem *m = ctx;
	size_t k = m->len - m->pos;
	if (k > m->chunk)
		k = m->chunk;
	if (k > n)
		k = n;
	memcpy(buf, m->s + m->pos, k);
	m->pos += k;
	return (int)k;
}

/* The records of text joined by '|', "line:record". */
static int split_all(const char *text, size_t chunk, struct buf *out)
{
	struct mem m = { text, strlen(text), 0, chunk };
	struct exp_jsplit s;
	int r;
	buf_reset(out);
	exp_jsplit_init(&s, mem_read, &m);
	while ((r = exp_jsplit_next(&s)) == 1)
		buf_printf(out, "%s%llu:%s", out->len ? "|" : "", (unsigned long long)s.el_line, s.el.p);
	exp_jsplit_free(&s);
	if (!out->p)
		buf_puts(out, "");
	return r;
}

static void jsplit_shapes(void)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "[{\"a\":1},\n {\"b\":\"}{\"}]", "1:{\"a\":1}|2:{\"b\":\"}{\"}" },
		{ "{\"@odata.context\":\"x\",\"value\":[{\"a\":[1,{}]},{\"b\":2}],\"@odata.nextLink\":\"n\"}\n"
		  "{\"value\":[{\"c\":\"\\\"]\"}]}",
		  "1:{\"a\":[1,{}]}|1:{\"b\":2}|2:{\"c\":\"\\\"]\"}" },
		{ "{\"a\":1}\n{\"b\":{\"value\":[1]}}\n\n{\"c\":3}\n", "1:{\"a\":1}|2:{\"b\":{\"value\":[1]}}|4:{\"c\":3}" },
		{ "{\"value\" : [ ]}", "" },
		{ "[]", "" },
	};
	struct buf b = { 0 };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		for (size_t chunk = 1; chunk <= strlen(cases[i].in); chunk++) {
			int r = split_all(cases[i].in, chunk, &b);
			if (r != 0 || strcmp(b.p, cases[i].out)) {
				printf("  case %zu chunk %zu: r=%d [%s] want [%s] %s\n", i, chunk, r, b.p,
				       cases[i].out, err_msg());
				t_failed_now = 1;
				break;
			}
		}
	static const struct { const char *in, *err; } bad[] = {
		{ "[{\"a\":1},{\"b\":", "line 1" },
		{ "{\"a\":1}\n{\"b\":\"x\n", "line 2" },
		{ "[{\"a\":1}] {\"b\":2}", "line 1" },
		{ "[1,2]", "'1'" },
		{ "\"text\"", "line 1" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err_clear();
		CHECK_INT(split_all(bad[i].in, 3, &b), -1);
		if (!strstr(err_msg(), bad[i].err)) {
			printf("  bad %zu: [%s] want [%s]\n", i, err_msg(), bad[i].err);
			t_failed_now = 1;
		}
	}
	buf_free(&b);
}

/* ---- whole files -------------------------------------------------------------------- */

struct fd_src {
	int fd;
};

static int fd_read(void *ctx, char *buf, size_t n)
{
	struct fd_src *f = ctx;
	ssize_t k = read(f->fd, buf, n);
	if (k < 0)
		return err_set(E_FILE_READ, "fixture", "read");
	return (int)k;
}

/* Every event of a run, as event lines, kept for the checks. */
struct got {
	struct buf lines;
	size_t n;
};

static int keep(void *ctx, const struct exp_event *e)
{
	struct got *g = ctx;
	g->n++;
	return exp_event_write(e, &g->lines);
}

static int run_file(const char *path, const char *tz, struct exp_stats *st, struct got *g)
{
	struct fd_src f = { open(path, O_RDONLY) };
	struct tm_zone z;
	struct exp_opts o = { NULL };
	if (f.fd < 0) {
		printf("  cannot open %s\n", path);
		return -2;
	}
	if (tz) {
		tm_zone_parse(tz, &z);
		o.tz = &z;
	}
	buf_reset(&g->lines);
	g->n = 0;
	err_clear();
	int r = exp_run(fd_read, &f, keep, g, &o, st);
	close(f.fd);
	return r;
}

/* The k-th event line (1-based) read back. */
static int nth(const struct got *g, size_t k, struct exp_arena *a, struct exp_event *e)
{
	const char *p = g->lines.p;
	for (size_t i = 1; p && i < k; i++) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!p || !*p)
		return -1;
	exp_arena_reset(a);
	return exp_event_read(p, strcspn(p, "\n"), a, e);
}

static const char *param(const struct exp_event *e, const char *name)
{
	for (size_t i = 0; i < e->nparam; i++)
		if (!strcmp(e->param[i].name, name))
			return e->param[i].value ? e->param[i].value : "(null)";
	return NULL;
}

static void ual_json_otrf(void)
{
	struct exp_stats st;
	struct got g = { { 0 }, 0 };
	struct exp_arena a = { 0 };
	struct exp_event e;
	/* otrf-pr64-m365/add_a_user_to_company_administrator_role.json, record 1 */
	CHECK_INT(run_file(FIX "otrf-pr64-m365/add_a_user_to_company_administrator_role.json", NULL, &st, &g), 0);
	CHECK_STR(exp_layout_name(st.layout), "ual-json");
	CHECK_INT(g.n, 1);
	CHECK_INT(st.tz_basis, EXP_TZ_SCHEMA);
	CHECK_INT(nth(&g, 1, &a, &e), 0);
	CHECK_STR(e.op, "Add member to role.");
	CHECK_INT(e.cat, EXP_CAT_AUDIT);
	CHECK_STR(iso(e.t), "2023-07-23T06:46:28Z");
	CHECK_STR(e.actor_upn, "stinger@contoso.onmicrosoft.com");
	CHECK_STR(e.actor_id, "7dccacb0-c3ff-4b02-964b-dd04c5a8f9fe");
	CHECK_STR(param(&e, "Role.DisplayName"), "Company Administrator");
	CHECK_STR(e.tgt[0].upn, "Alex@contoso.onmicrosoft.com");
	CHECK_STR(e.tgt[0].id, "a88ae17c-f562-4c1f-a377-8910b6847d76");
	/* mail_account_delegation_full_access_permissions.json, record 1: an
	 * Exchange cmdlet, IPv6 client address with its port */
	CHECK_INT(run_file(FIX "otrf-pr64-m365/mail_account_delegation_full_access_permissions.json", NULL, &st, &g), 0);
	CHECK_INT(nth(&g, 1, &a, &e), 0);
	CHECK_INT(e.cat, EXP_CAT_EXO);
	CHECK_STR(e.op, "Add-MailboxPermission");
	CHECK_STR(e.actor_ip, "2a09:bac5:114:105::1a:9b");
	CHECK_STR(param(&e, "AccessRights"), "FullAccess");
	CHECK_STR(param(&e, "User"), "Lidia@contoso.onmicrosoft.com");
	/* set-mailbox-audit_log_age_limit_to_zero.json: IPv4 with port */
	CHECK_INT(run_file(FIX "otrf-pr64-m365/set-mailbox-audit_log_age_limit_to_zero.json", NULL, &st, &g), 0);
	CHECK_INT(nth(&g, 1, &a, &e), 0);
	CHECK_STR(e.actor_ip, "104.28.196.199");
	CHECK_STR(param(&e, "AuditLogAgeLimit"), "1.00:00:00");
	/* o365spray_reporting.json: 14 sign-ins, 12 failures (50126), 2 successes */
	CHECK_INT(run_file(FIX "otrf-pr64-m365/o365spray_reporting.json", NULL, &st, &g), 0);
	CHECK_INT(g.n, 14);
	CHECK_INT(st.kinds, EXP_K_UAL);
	int ok = 0, failed = 0;
	for (size_t k = 1; k <= g.n; k++) {
		CHECK_INT(nth(&g, k, &a, &e), 0);
		CHECK_INT(e.cat, EXP_CAT_SIGNIN);
		ok += e.err == 0;
		failed += e.err == 50126;
	}
	CHECK_INT(ok, 2);
	CHECK_INT(failed, 12);
	/* "disable _strong_authentication.json" (the space is original), 3 records */
	CHECK_INT(run_file(FIX "otrf-pr64-m365/disable _strong_authentication.json", NULL, &st, &g), 0);
	CHECK_INT(g.n, 3);
	CHECK_INT(nth(&g, 1, &a, &e), 0);
	CHECK_STR(param(&e, "StrongAuthenticationRequirement"), "[]");
	CHECK(e.param[0].old && strstr(e.param[0].old, "RelyingParty"));
	buf_free(&g.lines);
	exp_arena_free(&a);
}

static void log_analytics_goldensaml_and_sentinel(void)
{
	struct exp_stats st;
	struct got g = { { 0 }, 0 };
	struct exp_arena a = { 0 };
	struct exp_event e;
	/* otrf-goldensaml/AADAuditEvents.json, record 1: AuditLogs with its
	 * nested objects as JSON text */
	CHECK_INT(run_file(FIX "otrf-goldensaml/AADAuditEvents.json", NULL, &st, &g), 0);
	CHECK_STR(exp_layout_name(st.layout), "log-analytics-json");
	CHECK_INT(g.n, 4);
	CHECK_INT(st.kinds, EXP_K_AUDITS);
	CHECK_INT(nth(&g, 1, &a, &e), 0);
	CHECK_INT(e.cat, EXP_CAT_AUDIT);
	CHECK_STR(e.op, "Update application \xe2\x80\x93 Certificates and secrets management ");
	CHECK_STR(iso(e.t), "2021-08-02T13:29:25Z");
	CHECK_STR(e.actor_upn, "pgustavo@simulandlabs.com");
	CHECK_STR(e.tgt[0].name, "SimuLandApp");
	CHECK(param(&e, "KeyDescription") && strstr(param(&e, "KeyDescription"), "SimuLandCreds"));
	/* record 4: the delegated grant, scope double-encoded -> plain */
	CHECK_INT(nth(&g, 4, &a, &e), 0);
	CHECK_STR(e.op, "Add delegated permission grant");
	CHECK_STR(param(&e, "DelegatedPermissionGrant.Scope"), "User.Read Mail.ReadWrite");
	CHECK_STR(param(&e, "DelegatedPermissionGrant.ConsentType"), "AllPrincipals");
	/* OfficeActivityEvents.json: one OfficeActivity record */
	CHECK_INT(run_file(FIX "otrf-goldensaml/OfficeActivityEvents.json", NULL, &st, &g), 0);
	CHECK_INT(g.n, 1);
	CHECK_INT(nth(&g, 1, &a, &e), 0);
	CHECK_STR(e.op, "MailItemsAccessed");
	CHECK_STR(e.actor_ip, "1.2.3.4");
	/* Microsoft365DefenderEvents.json: 9 records; record 8 carries a UAL
	 * record as RawEventData, the others are kept as plain events */
	CHECK_INT(run_file(FIX "otrf-goldensaml/Microsoft365DefenderEvents.json", NULL, &st, &g), 0);
	CHECK_STR(exp_layout_name(st.layout), "defender-json");
	CHECK_INT(g.n, 9);
	CHECK_INT(nth(&g, 8, &a, &e), 0);
	CHECK_STR(e.op, "MailItemsAccessed");
	CHECK_STR(iso(e.t), "2021-08-02T13:32:07Z");
	CHECK_INT(nth(&g, 9, &a, &e), 0);
	CHECK_STR(e.op, "Add delegated permission grant.");
	/* sentinel-training-lab/office_activity_inbox_rule.csv, rows 1-2: BOM,
	 * CRLF, a JSON Parameters cell over several lines, "[UTC]" columns
	 * and Log Analytics dates; no TimeGenerated, so Start_Time */
	CHECK_INT(run_file(FIX "sentinel-training-lab/office_activity_inbox_rule.csv", NULL, &st, &g), 0);
	CHECK_STR(exp_layout_name(st.layout), "log-analytics-csv");
	CHECK_INT(g.n, 2);
	CHECK_INT(st.tz_basis, EXP_TZ_HEADER);
	CHECK_INT(nth(&g, 1, &a, &e), 0);
	CHECK_STR(e.op, "New-InboxRule");
	CHECK_STR(iso(e.t), "2021-04-26T07:17:10Z");
	CHECK_STR(e.actor_ip, "2a01:110:8068:7:9bf8:aa87:e00a:5f1f");
	CHECK_STR(param(&e, "MoveToFolder"), "Junk Email");
	CHECK_STR(param(&e, "SubjectContainsWords"), "do not open");
	CHECK_INT(e.line, 2);
	CHECK_INT(nth(&g, 2, &a, &e), 0);
	CHECK_INT(e.line, 28);         /* 26 physical lines in row 1's cells */
	CHECK_STR(param(&e, "DeleteMessage"), "True");
	/* office_activity.csv: 266 OfficeActivity rows */
	CHECK_INT(run_file(FIX "sentinel-training-lab/office_activity.csv", NULL, &st, &g), 0);
	CHECK_INT(g.n, 266);
	CHECK_INT(st.no_time, 0);
	/* sign-in_adelete.csv: 56 SigninLogs rows from 175.45.176.99 */
	CHECK_INT(run_file(FIX "sentinel-training-lab/sign-in_adelete.csv", NULL, &st, &g), 0);
	CHECK_INT(g.n, 56);
	CHECK_INT(st.kinds, EXP_K_SIGNINS);
	CHECK_INT(nth(&g, 1, &a, &e), 0);
	CHECK_INT(e.cat, EXP_CAT_SIGNIN);
	CHECK_STR(e.actor_ip, "175.45.176.99");
	CHECK_STR(e.country, "IL");
	CHECK_STR(e.city, "Azor");
	CHECK_INT(e.err, 0);
	CHECK_STR(iso(e.t), "2021-04-28T14:08:45Z");
	/* disable_accounts.csv: no time column at all: 4 events without time */
	CHECK_INT(run_file(FIX "sentinel-training-lab/disable_accounts.csv", NULL, &st, &g), 0);
	CHECK_INT(g.n, 4);
	CHECK_INT(st.no_time, 4);
	CHECK_INT(nth(&g, 1, &a, &e), 0);
	CHECK_INT(e.err, 50057);
	CHECK_STR(e.country, "KP");
	/* AuditLogs_Hunting.csv: 5 audits, no time column */
	CHECK_INT(run_file(FIX "sentinel-training-lab/AuditLogs_Hunting.csv", NULL, &st, &g), 0);
	CHECK_INT(g.n, 5);
	CHECK_INT(nth(&g, 1, &a, &e), 0);
	CHECK_STR(e.actor_upn, "victim@buildseccxpninja.onmicrosoft.com");
	CHECK(param(&e, "KeyDescription") && strstr(param(&e, "KeyDescription"), "key 2"));
	buf_free(&g.lines);
	exp_arena_free(&a);
}

static void azure_monitor_and_panther_ual(void)
{
	struct exp_stats st;
	struct got g = { { 0 }, 0 };
	struct exp_arena a = { 0 };
	struct exp_event e;
	/* panther-analysis/azure_high_risk_signin.logs.jsonl, line 1 */
	CHECK_INT(run_file(FIX "panther-analysis/azure_high_risk_signin.logs.jsonl", NULL, &st, &g), 0);
	CHECK_STR(exp_layout_name(st.layout), "azure-monitor-json");
	CHECK_INT(nth(&g, 1, &a, &e), 0);
	CHECK_INT(e.cat, EXP_CAT_SIGNIN);
	CHECK_STR(e.risk, "unfamiliarFeatures,anonymizedIPAddress");
	CHECK_STR(e.country, "RU");
	CHECK_STR(iso(e.t), "2025-01-15T14:23:10Z");
	/* azure_role_changed_pim.logs.jsonl, line 1: PIM, naive time */
	CHECK_INT(run_file(FIX "panther-analysis/azure_role_changed_pim.logs.jsonl", NULL, &st, &g), 0);
	CHECK_INT(g.n, 3);
	CHECK_INT(nth(&g, 1, &a, &e), 0);
	CHECK_STR(e.op, "Add member to role in PIM completed (permanent)");
	CHECK_STR(iso(e.t), "2024-12-16T16:32:16Z");
	CHECK_STR(e.tgt[0].name, "Application Administrator");
	/* microsoft365_brute_force_login_by_user.logs.jsonl: "2022-12-12 15:57:57" */
	CHECK_INT(run_file(FIX "panther-analysis/microsoft365_brute_force_login_by_user.logs.jsonl", NULL, &st, &g), 0);
	CHECK_INT(nth(&g, 1, &a, &e), 0);
	CHECK_STR(e.op, "UserLoginFailed");
	CHECK_STR(iso(e.t), "2022-12-12T15:57:57Z");
	buf_free(&g.lines);
	exp_arena_free(&a);
}

static void purview_and_portal_layouts(void)
{
	struct exp_stats st;
	struct got g = { { 0 }, 0 };
	struct exp_arena a = { 0 };
	struct exp_event e;
	/* own/purview-current.csv, row 1 (line 2): the BEC rule */
	CHECK_INT(run_file(FIX "own/purview-current.csv", NULL, &st, &g), 0);
	CHECK_STR(exp_layout_name(st.layout), "ual-csv");
	CHECK_INT(g.n, 4);
	CHECK_INT(st.sep, ',');
	CHECK_INT(nth(&g, 1, &a, &e), 0);
	CHECK_STR(e.op, "New-InboxRule");
	CHECK_STR(param(&e, "SubjectOrBodyContainsWords"), "facture;virement;RIB");
	CHECK_INT(e.line, 2);
	CHECK_INT(nth(&g, 3, &a, &e), 0);
	CHECK_STR(e.actor_ip, "2001:db8::7");
	/* own/purview-old.csv: CreationDate,UserIds,Operations,AuditData */
	CHECK_INT(run_file(FIX "own/purview-old.csv", NULL, &st, &g), 0);
	CHECK_STR(exp_layout_name(st.layout), "ual-csv-old");
	CHECK_INT(g.n, 3);
	CHECK_INT(nth(&g, 3, &a, &e), 0);
	CHECK_STR(e.op, "UpdateInboxRules");
	CHECK_STR(param(&e, "RuleName"), "..");
	CHECK_STR(e.tgt[0].upn, "jean.dupont@contoso.fr");
	/* own/purview-old-fr.csv: ';' and French dates */
	CHECK_INT(run_file(FIX "own/purview-old-fr.csv", NULL, &st, &g), 0);
	CHECK_INT(st.sep, ';');
	CHECK_INT(g.n, 2);
	/* own/portal-signins.csv: the portal's header, "Application ID "
	 * with its blank, "City, State, CC" */
	CHECK_INT(run_file(FIX "own/portal-signins.csv", NULL, &st, &g), 0);
	CHECK_STR(exp_layout_name(st.layout), "portal-signins-csv");
	CHECK_INT(g.n, 16);
	CHECK_INT(st.tz_basis, EXP_TZ_OFFSET);
	CHECK_INT(nth(&g, 1, &a, &e), 0);
	CHECK_STR(e.country, "RU");
	CHECK_STR(e.city, "Moscow");
	CHECK_INT(e.err, 50126);
	CHECK_STR(e.app_id, "00000002-0000-0ff1-ce00-000000000000");
	CHECK_STR(e.actor_upn, "alice@contoso.fr");
	CHECK_STR(iso(e.t), "2023-09-19T22:10:00Z");
	/* the same rows saved by a French and a US Excel: same instants */
	static const char *const copies[] = { FIX "own/portal-signins-fr.csv", FIX "own/portal-signins-us.csv" };
	static const char *const times[] = { "2023-09-19T22:10:00Z", "2023-09-19T22:10:10Z",
					     "2023-09-19T22:10:20Z", "2023-09-18T07:58:00Z" };
	for (int c = 0; c < 2; c++) {
		CHECK_INT(run_file(copies[c], NULL, &st, &g), 0);
		CHECK_INT(g.n, 4);
		CHECK_INT(st.tz_basis, EXP_TZ_HEADER);
		for (size_t k = 1; k <= 4 && k <= g.n; k++) {
			CHECK_INT(nth(&g, k, &a, &e), 0);
			CHECK_STR(iso(e.t), times[k - 1]);
		}
	}
	/* own/portal-audits.csv, row 2: double-encoded value made plain */
	CHECK_INT(run_file(FIX "own/portal-audits.csv", NULL, &st, &g), 0);
	CHECK_STR(exp_layout_name(st.layout), "portal-audits-csv");
	CHECK_INT(nth(&g, 1, &a, &e), 0);
	CHECK_STR(e.op, "Add owner to application");
	CHECK_INT(e.ntgt, 2);
	CHECK_STR(e.tgt[0].upn, "mallory_evil.example#EXT#@contoso.onmicrosoft.com");
	CHECK_INT(nth(&g, 2, &a, &e), 0);
	CHECK_STR(param(&e, "ConsentContext.OnBehalfOfAll"), "True");
	/* own/graph-signins.json: two saved pages end to end */
	CHECK_INT(run_file(FIX "own/graph-signins.json", NULL, &st, &g), 0);
	CHECK_STR(exp_layout_name(st.layout), "graph-signins-json");
	CHECK_INT(g.n, 3);
	CHECK_INT(nth(&g, 2, &a, &e), 0);
	CHECK_STR(e.risk, "anonymizedIPAddress");
	CHECK_STR(e.country, "DE");
	CHECK_INT(e.interactive, 1);
	/* own/graph-audits.json: an array */
	CHECK_INT(run_file(FIX "own/graph-audits.json", NULL, &st, &g), 0);
	CHECK_STR(exp_layout_name(st.layout), "graph-audits-json");
	CHECK_INT(nth(&g, 2, &a, &e), 0);
	CHECK_STR(param(&e, "Role.DisplayName"), "Global Administrator");
	CHECK_STR(e.tgt[0].upn, "svc-backup@contoso.fr");
	buf_free(&g.lines);
	exp_arena_free(&a);
}

static void time_zone_needed(void)
{
	struct exp_stats st;
	struct got g = { { 0 }, 0 };
	struct exp_arena a = { 0 };
	struct exp_event e;
	/* own/la-signins-localtime.csv: "[Local Time]" dates */
	CHECK_INT(run_file(FIX "own/la-signins-localtime.csv", NULL, &st, &g), -1);
	CHECK(strstr(err_msg(), "--tz") && strstr(err_msg(), "line 2"));
	CHECK_INT(run_file(FIX "own/la-signins-localtime.csv", "Europe/Paris", &st, &g), 0);
	CHECK_INT(st.tz_basis, EXP_TZ_GIVEN);
	CHECK_STR(st.tz_name, "Europe/Paris");
	CHECK_INT(nth(&g, 1, &a, &e), 0);
	CHECK_STR(iso(e.t), "2023-09-20T16:05:03Z");
	CHECK_INT(nth(&g, 2, &a, &e), 0);
	CHECK_STR(iso(e.t), "2024-01-15T08:00:00Z");
	buf_free(&g.lines);
	exp_arena_free(&a);
}

static int run_mem(const char *s, size_t n, struct exp_stats *st, struct got *g)
{
	struct mem m = { s, n, 0, 7 };
	buf_reset(&g->lines);
	g->n = 0;
	err_clear();
	return exp_run(mem_read, &m, keep, g, NULL, st);
}

static void bad_files_name_what_and_where(void)
{
	struct exp_stats st;
	struct got g = { { 0 }, 0 };
	/* own/malformed-auditdata.csv: line 3's AuditData is cut short */
	CHECK_INT(run_file(FIX "own/malformed-auditdata.csv", NULL, &st, &g), -1);
	CHECK(strstr(err_msg(), "line 3") && strstr(err_msg(), "AuditData"));
	/* own/unknown-layout.csv: the header is quoted */
	CHECK_INT(run_file(FIX "own/unknown-layout.csv", NULL, &st, &g), -1);
	CHECK(strstr(err_msg(), "Nom;Service;T\xc3\xa9l\xc3\xa9phone") != NULL);
	CHECK_INT(run_mem("\xFF\xFEh\0i\0", 6, &st, &g), -1);
	CHECK(strstr(err_msg(), "UTF-16") != NULL);
	CHECK_INT(run_mem("PK\x03\x04zzzz", 8, &st, &g), -1);
	CHECK(strstr(err_msg(), "ZIP") != NULL);
	CHECK_INT(run_mem("", 0, &st, &g), -1);
	CHECK(strstr(err_msg(), "empty") != NULL);
	CHECK_INT(run_mem("\xEF\xBB\xBF  \r\n", 7, &st, &g), -1);
	const char *cols = "RecordId,CreationDate,RecordType,Operation,UserId,AuditData\n"
			   "1,x,y,z,u,\"{\"\"CreationTime\"\":\"\"2023-01-01T00:00:00\"\",\"\"Operation\"\":\"\"A\"\"}\"\n"
			   "2,x,y\n";
	CHECK_INT(run_mem(cols, strlen(cols), &st, &g), -1);
	CHECK(strstr(err_msg(), "line 3") && strstr(err_msg(), "3 fields"));
	const char *keys = "{\"foo\":1,\"bar\":2}\n";
	CHECK_INT(run_mem(keys, strlen(keys), &st, &g), -1);
	CHECK(strstr(err_msg(), "foo, bar") != NULL);
	const char *ps = "#TYPE Deserialized.Microsoft.Exchange.Management.SystemConfigurationTasks.AuditRecord\n"
			 "\"CreationDate\",\"UserIds\",\"Operations\",\"AuditData\"\n"
			 "\"9/20/2023 4:05:03 AM\",\"a@b.c\",\"X\",\"{\"\"CreationTime\"\":\"\"2023-09-20T04:05:03\"\",\"\"Operation\"\":\"\"X\"\"}\"\n";
	CHECK_INT(run_mem(ps, strlen(ps), &st, &g), 0);
	CHECK_INT(g.n, 1);
	buf_free(&g.lines);
}

static void event_line_round_trip(void)
{
	struct exp_arena a = { 0 };
	struct exp_event e, back;
	struct exp_kv p[2] = { { "Name", "\"quoted\"\nline", NULL }, { "Old", "new", "old" } };
	struct exp_kv d[1] = { { "UserAgent", "curl/8", NULL } };
	exp_event_init(&e);
	e.t = 1690094788;
	e.cat = EXP_CAT_EXO;
	e.op = "New-InboxRule";
	e.actor_upn = "a@b.c";
	e.actor_ip = "2001:db8::1";
	e.tgt[0] = (struct exp_target){ "User", "id1", NULL, "n" };
	e.ntgt = 1;
	e.param = p;
	e.nparam = 2;
	e.detail = d;
	e.ndetail = 1;
	e.err = 50126;
	e.country = "FR";
	e.line = 12;
	e.record = 3;
	struct buf b = { 0 };
	CHECK_INT(exp_event_write(&e, &b), 0);
	CHECK(b.len && b.p[b.len - 1] == '\n' && !memchr(b.p, '\n', b.len - 1));
	CHECK_INT(exp_event_read(b.p, b.len - 1, &a, &back), 0);
	CHECK_INT(back.t, e.t);
	CHECK_INT(back.cat, EXP_CAT_EXO);
	CHECK_STR(back.op, "New-InboxRule");
	CHECK_STR(back.param[0].value, "\"quoted\"\nline");
	CHECK_STR(back.param[1].old, "old");
	CHECK(back.param[0].old == NULL);
	CHECK_STR(back.tgt[0].type, "User");
	CHECK(back.tgt[0].upn == NULL);
	CHECK_INT(back.err, 50126);
	CHECK_INT(back.line, 12);
	CHECK_INT(back.record, 3);
	enum exp_cat c;
	char op[64];
	CHECK_INT(exp_event_peek(b.p, b.len, &c, op, sizeof op), 1);
	CHECK_STR(op, "New-InboxRule");
	CHECK_INT(c, EXP_CAT_EXO);
	/* no time */
	buf_reset(&b);
	e.t = EXP_NO_TIME;
	e.op = "a\"b";
	CHECK_INT(exp_event_write(&e, &b), 0);
	CHECK(!strncmp(b.p, "{\"t\":null,", 10));
	CHECK_INT(exp_event_peek(b.p, b.len, &c, op, sizeof op), 0);   /* escaped: parse it */
	CHECK_INT(exp_event_read(b.p, b.len - 1, &a, &back), 0);
	CHECK_INT(back.t, EXP_NO_TIME);
	CHECK_STR(back.op, "a\"b");
	buf_free(&b);
	exp_arena_free(&a);
}

int main(void)
{
	i18n_init("en");
	RUN(dates_each_format);
	RUN(dates_day_month_order);
	RUN(dates_zone_stated_or_needed);
	RUN(zones);
	RUN(jsplit_shapes);
	RUN(ual_json_otrf);
	RUN(log_analytics_goldensaml_and_sentinel);
	RUN(azure_monitor_and_panther_ual);
	RUN(purview_and_portal_layouts);
	RUN(time_zone_needed);
	RUN(bad_files_name_what_and_where);
	RUN(event_line_round_trip);
	T_DONE();
}
