/* The case folder: case.ini and one tenant per folder, evidence written
 * whole then listed, earlier runs' files kept aside, a manifest that
 * `sha256sum -c` accepts, the request log without secrets. */
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case/case.h"
#include "t.h"

static char top[4096];

static void dir_for(const char *name, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", top, name);
	char cmd[8300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", out);
	if (system(cmd) != 0)
		printf("  cannot clean %s\n", out);
}

static int sh(const char *fmt, const char *dir)
{
	char cmd[8300];
	snprintf(cmd, sizeof cmd, fmt, dir);
	return system(cmd);
}

static int manifest_ok(const char *dir)
{
	return sh("cd '%s' && sha256sum -c --quiet --strict manifest.sha256 >/dev/null 2>&1", dir) == 0;
}

static int count_lines(const char *dir, const char *file)
{
	char p[4200];
	struct buf f = { 0 };
	snprintf(p, sizeof p, "%s/%s", dir, file);
	if (file_read(p, &f, 1 << 24) < 0)
		return -1;
	int n = 0;
	for (size_t i = 0; i < f.len; i++)
		n += f.p[i] == '\n';
	buf_free(&f);
	return n;
}

static int file_has(const char *dir, const char *file, const char *needle)
{
	char p[4200];
	struct buf f = { 0 };
	snprintf(p, sizeof p, "%s/%s", dir, file);
	if (file_read(p, &f, 1 << 24) < 0)
		return 0;
	int r = strstr(f.p, needle) != NULL;
	buf_free(&f);
	return r;
}

static void default_name(void)
{
	char out[256];
	int64_t t = 0;
	tm_parse_iso("2026-11-22T09:40:00Z", &t, NULL, NULL);
	CHECK_INT(case_default_dir("contoso.onmicrosoft.com", t, out, sizeof out), 0);
	CHECK_STR(out, "case-contoso.onmicrosoft.com-20261122");
	CHECK_INT(case_default_dir("../x y", t, out, sizeof out), 0);
	CHECK_STR(out, "case-.._x_y-20261122");
	CHECK_INT(case_default_dir(NULL, t, out, sizeof out), 0);
	CHECK_STR(out, "case-tenant-20261122");
}

static void one_tenant_per_folder(void)
{
	char d[4200];
	struct case_dir *c;
	dir_for("tenant", d, sizeof d);
	CHECK_INT(case_open(&c, d, "contoso.com", "Jeanne Dupont\nx", 0), 0);
	const struct case_info *i = case_info(c);
	CHECK_STR(i->tenant, "contoso.com");
	CHECK_STR(i->responder, "Jeanne Dupont\nx");
	CHECK_INT(strlen(i->case_id), 36);
	char id[40];
	snprintf(id, sizeof id, "%s", i->case_id);
	CHECK_INT(case_close(c), 0);
	CHECK(file_has(d, "case.ini", "responder = Jeanne Dupont x\n"));   /* one line */
	CHECK(file_has(d, "case.ini", "tool_version = reflexe "));

	/* same tenant, any case: fine, and the case id stays */
	CHECK_INT(case_open(&c, d, "CONTOSO.com", NULL, 0), 0);
	CHECK_STR(case_info(c)->case_id, id);
	/* sign-in tells the id and the domains */
	CHECK_INT(case_set_tenant(c, "6b1f9a3e-2c4d-4e5f-8a9b-0c1d2e3f4a5b", "contoso.com contoso.onmicrosoft.com"), 0);
	CHECK_INT(case_close(c), 0);
	CHECK_INT(case_open(&c, d, "6b1f9a3e-2c4d-4e5f-8a9b-0c1d2e3f4a5b", NULL, 0), 0);
	case_close(c);
	CHECK_INT(case_open(&c, d, "contoso.onmicrosoft.com", NULL, 0), 0);
	/* another tenant id learnt at sign-in: refused */
	CHECK_INT(case_set_tenant(c, "00000000-1111-2222-3333-444444444444", "fabrikam.com"), -1);
	CHECK_INT(err_id(), E_CASE_TENANT);
	case_close(c);
	/* another tenant named on the command line: refused, nothing made */
	CHECK_INT(case_open(&c, d, "fabrikam.com", NULL, 0), -1);
	CHECK_INT(err_id(), E_CASE_TENANT);
	CHECK(strstr(err_msg(), "fabrikam.com") && strstr(err_msg(), "contoso.com"));
	/* "organizations" says nothing: accepted */
	CHECK_INT(case_open(&c, d, "organizations", NULL, 0), 0);
	case_close(c);

	/* a case made before sign-in (no tenant) adopts the first one */
	dir_for("vague", d, sizeof d);
	CHECK_INT(case_open(&c, d, NULL, NULL, 0), 0);
	CHECK_INT(case_set_tenant(c, "6b1f9a3e-2c4d-4e5f-8a9b-0c1d2e3f4a5b", "contoso.com"), 0);
	case_close(c);
	CHECK_INT(case_open(&c, d, "fabrikam.com", NULL, 0), -1);
	/* a case made for a domain refuses a tenant that does not own it */
	dir_for("domain", d, sizeof d);
	CHECK_INT(case_open(&c, d, "contoso.com", NULL, 0), 0);
	CHECK_INT(case_set_tenant(c, "00000000-1111-2222-3333-444444444444", "fabrikam.com"), -1);
	case_close(c);
}

static void offline_needs_a_case(void)
{
	char d[4200];
	struct case_dir *c;
	dir_for("offline", d, sizeof d);
	CHECK_INT(case_open(&c, d, NULL, NULL, 1), -1);
	CHECK_INT(err_id(), E_CASE_NOT_CASE);
	CHECK(!file_exists(d));
	CHECK_INT(case_open(&c, d, "contoso.com", NULL, 0), 0);
	case_close(c);
	CHECK_INT(case_open(&c, d, "contoso.com", NULL, 1), 0);
	CHECK_INT(case_save(c, "graph/x/page-0001.json", "{}", 2, NULL), -1);
	CHECK_INT(err_id(), E_CASE_OFFLINE_WRITE);
	case_close(c);
}

static void relative_paths(void)
{
	CHECK_INT(case_rel_ok("graph/v1.0/users/page-0001.json"), 0);
	CHECK_INT(case_rel_ok("exo/Get-InboxRule/user%40contoso.com/page-0001.json"), 0);
	CHECK_INT(case_rel_ok("probe.json"), 0);
	const char *bad[] = { "", "/etc/passwd", "../x", "graph/../../x", "graph/./x", "graph//x",
			      "graph/x/", "case.ini", "manifest.sha256", "requests.jsonl",
			      "superseded/x", "a b", "a:b", "a\\b", "a\nb", NULL };
	for (int i = 0; bad[i]; i++)
		if (case_rel_ok(bad[i]) != -1) {
			printf("  accepted \"%s\"\n", bad[i]);
			t_failed_now = 1;
		}
	CHECK_INT(case_rel_ok(NULL), -1);
}

static void evidence_and_manifest(void)
{
	char d[4200], sha[65];
	struct case_dir *c;
	dir_for("evidence", d, sizeof d);
	CHECK_INT(case_open(&c, d, "contoso.com", NULL, 0), 0);
	CHECK_INT(case_save(c, "graph/v1.0/users/page-0001.json", "{\"value\":[]}", 12, sha), 0);
	/* sha256 of {"value":[]} */
	char want[65];
	case_sha256_hex("{\"value\":[]}", 12, want);
	CHECK_STR(sha, want);
	CHECK(file_has(d, "manifest.sha256", "  graph/v1.0/users/page-0001.json\n"));
	CHECK(manifest_ok(d));
	/* the offline check reads the manifest back */
	CHECK_INT(case_check(c, "graph/v1.0/users/page-0001.json", "{\"value\":[]}", 12), 0);
	CHECK_INT(case_check(c, "graph/v1.0/users/page-0001.json", "{\"value\":[1]}", 13), -1);
	CHECK_INT(err_id(), E_CASE_ALTERED);
	CHECK_INT(case_check(c, "graph/v1.0/other/page-0001.json", "{}", 2), -1);
	CHECK_INT(err_id(), E_CASE_UNLISTED);
	CHECK_INT(case_save(c, "../escape.json", "x", 1, NULL), -1);
	CHECK_INT(case_close(c), 0);
	/* one byte changed: sha256sum -c fails */
	CHECK_INT(sh("cd '%s' && printf '{\"value\":[ ]}' > graph/v1.0/users/page-0001.json", d), 0);
	CHECK(!manifest_ok(d));
	/* no temp file left behind */
	CHECK_INT(sh("cd '%s' && ! find . -name '*.tmp-*' | grep -q .", d), 0);
}

static void earlier_runs_kept_aside(void)
{
	char d[4200];
	struct case_dir *c;
	dir_for("rerun", d, sizeof d);
	CHECK_INT(case_open(&c, d, "contoso.com", NULL, 0), 0);
	for (int k = 1; k <= 3; k++) {
		char rel[64], body[32];
		snprintf(rel, sizeof rel, "graph/v1.0/users/page-%04d.json", k);
		snprintf(body, sizeof body, "{\"run\":1,\"page\":%d}", k);
		CHECK_INT(case_save(c, rel, body, strlen(body), NULL), 0);
	}
	CHECK_INT(case_save(c, "graph/v1.0/users/abc/memberOf/page-0001.json", "{}", 2, NULL), 0);
	CHECK_INT(case_close(c), 0);
	CHECK(manifest_ok(d));

	/* a second run: two pages this time */
	CHECK_INT(case_open(&c, d, "contoso.com", NULL, 0), 0);
	CHECK_INT(case_begin_pages(c, "graph/v1.0/users"), 0);
	CHECK_INT(case_save(c, "graph/v1.0/users/page-0001.json", "{\"run\":2,\"page\":1}", 18, NULL), 0);
	CHECK_INT(case_save(c, "graph/v1.0/users/page-0002.json", "{\"run\":2,\"page\":2}", 18, NULL), 0);
	/* mid-run the stale lines are still there */
	CHECK(!manifest_ok(d));
	CHECK_INT(case_close(c), 0);
	CHECK(manifest_ok(d));
	char p[4300];
	snprintf(p, sizeof p, "%s/graph/v1.0/users/page-0003.json", d);
	CHECK(!file_exists(p));        /* no stale page left to be read */
	snprintf(p, sizeof p, "%s/graph/v1.0/users/abc/memberOf/page-0001.json", d);
	CHECK(file_exists(p));         /* other folders untouched */
	/* every earlier page is still there, listed, under superseded/ */
	CHECK_INT(sh("cd '%s' && test $(find superseded -name 'page-000*.json' | wc -l) = 3", d), 0);
	CHECK_INT(sh("cd '%s' && grep -c '  superseded/.*/graph/v1.0/users/page-0003.json$' manifest.sha256 >/dev/null", d), 0);
	/* 3 first-run pages (moved), 1 memberOf, 2 second-run pages */
	CHECK_INT(count_lines(d, "manifest.sha256"), 6);

	/* a single file written twice in one run (the probe) */
	CHECK_INT(case_open(&c, d, "contoso.com", NULL, 0), 0);
	CHECK_INT(case_save(c, "probe.json", "{\"a\":1}", 7, NULL), 0);
	CHECK_INT(case_save(c, "probe.json", "{\"a\":2}", 7, NULL), 0);
	CHECK_INT(case_save(c, "probe.json", "{\"a\":3}", 7, NULL), 0);
	CHECK_INT(case_close(c), 0);
	CHECK(manifest_ok(d));
	CHECK(file_has(d, "probe.json", "{\"a\":3}"));
	CHECK_INT(sh("cd '%s' && test $(grep -c 'probe.json$' manifest.sha256) = 3", d), 0);
}

static void compaction_after_a_cut_run(void)
{
	char d[4200];
	struct case_dir *c;
	dir_for("cut", d, sizeof d);
	CHECK_INT(case_open(&c, d, "contoso.com", NULL, 0), 0);
	CHECK_INT(case_save(c, "graph/a/page-0001.json", "{\"v\":1}", 7, NULL), 0);
	CHECK_INT(case_save(c, "graph/a/page-0001.json", "{\"v\":2}", 7, NULL), 0);
	/* the stick is pulled here: no case_close, stale line left */
	free(c);
	CHECK(!manifest_ok(d));
	CHECK_INT(case_open(&c, d, "contoso.com", NULL, 0), 0);
	CHECK(manifest_ok(d));
	/* a damaged line is kept (never destroy), duplicates are not */
	CHECK_INT(sh("cd '%s' && tail -1 manifest.sha256 >> manifest.sha256 && echo 'garbage' >> manifest.sha256", d), 0);
	CHECK_INT(case_close(c), 0);
	CHECK(file_has(d, "manifest.sha256", "\ngarbage\n"));
	CHECK_INT(count_lines(d, "manifest.sha256"), 3);
}

/* The same bytes fetched again (role definitions rarely change): the
 * earlier file is moved aside with the same hash, and the new one listed
 * after it; the manifest is read in order, so the new line stays. */
static int count_under(void *ctx, const char *rel)
{
	(void)rel;
	++*(int *)ctx;
	return 0;
}

static void same_bytes_collected_again(void)
{
	char d[4200];
	struct case_dir *c;
	dir_for("again", d, sizeof d);
	for (int run = 0; run < 2; run++) {
		CHECK_INT(case_open(&c, d, "contoso.com", NULL, 0), 0);
		CHECK_INT(case_begin_pages(c, "graph/a"), 0);
		CHECK_INT(case_save(c, "graph/a/page-0001.json", "{\"v\":1}", 7, NULL), 0);
		CHECK_INT(case_save(c, "graph/a/page-0002.json", "{\"v\":2}", 7, NULL), 0);
		CHECK_INT(case_close(c), 0);
	}
	CHECK(manifest_ok(d));
	CHECK_INT(sh("cd '%s' && grep -q '  graph/a/page-0001.json$' manifest.sha256 && "
		     "grep -q '  graph/a/page-0002.json$' manifest.sha256", d), 0);
	CHECK_INT(case_open(&c, d, NULL, NULL, 1), 0);
	CHECK_INT(case_check(c, "graph/a/page-0001.json", "{\"v\":1}", 7), 0);
	CHECK_INT(case_listed(c, "graph/a/page-0002.json"), 1);
	int n = 0;
	CHECK_INT(case_listed_under(c, "graph/a", count_under, &n), 0);
	CHECK_INT(n, 2);
	n = 0;
	CHECK_INT(case_listed_under(c, "graph", count_under, &n), 0);
	CHECK_INT(n, 2);
	n = 0;
	CHECK_INT(case_listed_under(c, "graph/a/page-0001.json", count_under, &n), 0);
	CHECK_INT(n, 0);
	case_close(c);

	/* a third run cut after its pages were moved aside, one page saved:
	 * read before any compaction, page 2 is no longer listed (it was
	 * moved), page 1 is (saved again) */
	CHECK_INT(case_open(&c, d, "contoso.com", NULL, 0), 0);
	CHECK_INT(case_begin_pages(c, "graph/a"), 0);
	CHECK_INT(case_save(c, "graph/a/page-0001.json", "{\"v\":1}", 7, NULL), 0);
	free(c);
	CHECK_INT(case_open(&c, d, NULL, NULL, 1), 0);
	CHECK_INT(case_listed(c, "graph/a/page-0001.json"), 1);
	CHECK_INT(case_listed(c, "graph/a/page-0002.json"), 0);
	CHECK_INT(case_check(c, "graph/a/page-0002.json", "{\"v\":2}", 7), -1);
	CHECK_INT(err_id(), E_CASE_UNLISTED);
	n = 0;
	CHECK_INT(case_listed_under(c, "graph/a", count_under, &n), 0);
	CHECK_INT(n, 1);
	case_close(c);
}

struct saver { struct case_dir *c; int id; };

static void *saver_main(void *arg)
{
	struct saver *s = arg;
	for (int k = 0; k < 40; k++) {
		char rel[64], body[64];
		snprintf(rel, sizeof rel, "graph/t%d/page-%04d.json", s->id, k + 1);
		snprintf(body, sizeof body, "{\"thread\":%d,\"k\":%d}", s->id, k);
		if (case_save(s->c, rel, body, strlen(body), NULL) < 0)
			printf("  save: %s\n", err_msg());
		struct case_req r = { .method = "GET", .url = "https://g/v1.0/x", .status = 200 };
		case_log(s->c, &r);
	}
	return NULL;
}

static void threads_share_a_case(void)
{
	char d[4200];
	struct case_dir *c;
	pthread_t th[8];
	struct saver sv[8];
	dir_for("threads", d, sizeof d);
	CHECK_INT(case_open(&c, d, "contoso.com", NULL, 0), 0);
	for (int i = 0; i < 8; i++) {
		sv[i] = (struct saver){ c, i };
		pthread_create(&th[i], NULL, saver_main, &sv[i]);
	}
	for (int i = 0; i < 8; i++)
		pthread_join(th[i], NULL);
	CHECK_INT(case_close(c), 0);
	CHECK_INT(count_lines(d, "manifest.sha256"), 320);
	CHECK_INT(count_lines(d, "requests.jsonl"), 320);
	CHECK(manifest_ok(d));
}

static void request_log(void)
{
	char d[4200];
	struct case_dir *c;
	struct buf u = { 0 };

	CHECK_INT(case_redact_url("https://graph.microsoft.com/v1.0/users?$select=id,upn&$top=999"
				  "&$skiptoken=X'Y&code=secret&%24filter=a%20eq%201", &u), 0);
	CHECK_STR(u.p, "https://graph.microsoft.com/v1.0/users?$select=id,upn&$top=999"
		       "&$skiptoken=REDACTED&code=REDACTED&%24filter=a%20eq%201");
	CHECK_INT(case_redact_url("https://u:p@h.example/a?sig=abc#frag", &u), 0);
	CHECK_STR(u.p, "https://h.example/a?sig=REDACTED");
	CHECK_INT(case_redact_url("https://h/a?flag&&x=", &u), 0);
	CHECK_STR(u.p, "https://h/a?flag&x=REDACTED");
	CHECK_INT(case_redact_url("https://h/a", &u), 0);
	CHECK_STR(u.p, "https://h/a");
	buf_free(&u);

	dir_for("reqlog", d, sizeof d);
	CHECK_INT(case_open(&c, d, "contoso.com", NULL, 0), 0);
	struct case_req r = {
		.time_ms = 1795340400123LL, .elapsed_ms = 53, .method = "GET",
		.url = "https://graph.microsoft.com/v1.0/users?$top=2&$skiptoken=SECRETTOKEN",
		.status = 200, .request_id = "rid\"1", .client_request_id = "crid-1", .bytes = 42,
		.sha256 = "ab", .path = "graph/v1.0/users/page-0001.json", .retry_after = "1.5",
	};
	CHECK_INT(case_log(c, &r), 0);
	CHECK_INT(case_close(c), 0);
	char p[4300];
	struct buf f = { 0 };
	snprintf(p, sizeof p, "%s/requests.jsonl", d);
	CHECK_INT(file_read(p, &f, 1 << 20), 0);
	CHECK(strstr(f.p, "SECRETTOKEN") == NULL);
	struct json j;
	CHECK_INT(json_parse(&j, f.p, f.len - 1, JSON_LIMITS_DEFAULT), 0);
	char s[256];
	json_str(&j, 0, "time", s, sizeof s);
	CHECK_STR(s, "2026-11-22T09:40:00.123Z");
	json_str(&j, 0, "request_id", s, sizeof s);
	CHECK_STR(s, "rid\"1");
	json_str(&j, 0, "url", s, sizeof s);
	CHECK_STR(s, "https://graph.microsoft.com/v1.0/users?$top=2&$skiptoken=REDACTED");
	long long v;
	json_int(&j, 0, "status", &v);
	CHECK_INT(v, 200);
	json_int(&j, 0, "bytes", &v);
	CHECK_INT(v, 42);
	CHECK_INT(json_get(&j, 0, "batch"), -1);       /* unset fields are left out */
	json_free(&j);
	buf_free(&f);
}

static void clock_skew_once_per_run(void)
{
	char d[4200];
	struct case_dir *c;
	int64_t host;
	dir_for("skew", d, sizeof d);
	tm_parse_http("Sun, 22 Nov 2026 09:40:07 GMT", &host);
	CHECK_INT(case_open(&c, d, "contoso.com", NULL, 0), 0);
	CHECK_INT(case_note_date(c, "Sun, 22 Nov 2026 09:40:00 GMT", host), 0);
	CHECK_INT(case_note_date(c, "Sun, 22 Nov 2026 09:00:00 GMT", host), 0);
	CHECK_INT(case_note_date(c, "garbage", host), 0);
	CHECK_INT(case_info(c)->skew_s, 7);
	case_close(c);
	CHECK(file_has(d, "case.ini", "clock_skew_s = 7\n"));
	CHECK_INT(case_open(&c, d, "contoso.com", NULL, 1), 0);
	CHECK_INT(case_info(c)->has_skew, 1);
	CHECK_INT(case_info(c)->skew_s, 7);
	case_close(c);
	/* a damaged case.ini is an error, not a guess */
	CHECK_INT(sh("cd '%s' && echo 'no equals sign' >> case.ini", d), 0);
	CHECK_INT(case_open(&c, d, "contoso.com", NULL, 0), -1);
	CHECK_INT(err_id(), E_CASE_INI);
}

int main(void)
{
	i18n_init("en");
	const char *o = getenv("TESTOUT");
	snprintf(top, sizeof top, "%s/test_case.%ld", o && *o ? o : "/tmp", (long)getpid());
	file_mkdirs(top);
	RUN(default_name);
	RUN(one_tenant_per_folder);
	RUN(offline_needs_a_case);
	RUN(relative_paths);
	RUN(evidence_and_manifest);
	RUN(earlier_runs_kept_aside);
	RUN(compaction_after_a_cut_run);
	RUN(same_bytes_collected_again);
	RUN(threads_share_a_case);
	RUN(request_log);
	RUN(clock_skew_once_per_run);
	if (!t_nfail)
		sh("rm -rf '%s'", top);
	T_DONE();
}
