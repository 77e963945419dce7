/* libFuzzer harness for Graph JSON pages through the check-admins model
 * (model/adm_*.c, model/pages.c), then the rules, the verdict and every
 * renderer: the path a tenant's data takes in an analysis, live or
 * --offline. Display names, role names, UPNs, sign-in locations, audit
 * activities are all written by whoever controls the tenant.
 *
 * The input is a case folder: records of
 *   1 byte   which file (index into paths[] below, modulo its size)
 *   2 bytes  length, little-endian (cut to what is left)
 *   n bytes  the file
 * preceded by one byte of flags (bit 0: with a baseline, bit 1: a
 * 7-day --since, bit 2: one page left out of the manifest, which must
 * refuse the analysis). Each file is written and listed in
 * manifest.sha256 as the collector does; case.ini is fixed. A file
 * given twice: the last wins. tests/fuzz/pack_case.py turns a case
 * folder (tests/fixtures/admins/gen.py scenarios) into such an input:
 * the seeds in tests/fuzz/seeds/fuzz_model were made so.
 *
 * Invariants: a refusal says why; an accepted model runs through every
 * rule and renderer; the JSON document is valid JSON; the CSV table too
 * renders. The case folder lives under /dev/shm when it exists. */
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "baseline/baseline.h"
#include "case/case.h"
#include "model/model.h"
#include "render/render.h"
#include "rules/rules.h"


#define U(n) "a1000000-0000-4000-8000-00000000000" #n
/* paths: begin (tests/fuzz/pack_case.py reads this table) */
static const char *const paths[] = {
	"collect/check-admins.json",
	ADM_REL_ROLEDEFS "/page-0001.json",
	ADM_REL_ASSIGN "/page-0001.json",
	ADM_REL_ASSIGN "/page-0002.json",
	ADM_REL_ELIGIBLE "/page-0001.json",
	ADM_REL_USERS "/" U(1) "/page-0001.json",
	ADM_REL_USERS "/" U(2) "/page-0001.json",
	ADM_REL_USERS "/" U(3) "/page-0001.json",
	ADM_REL_USERS "/" U(4) "/page-0001.json",
	ADM_REL_USERS_IN "/0001/page-0001.json",
	ADM_REL_GROUPS "/b2000000-0000-4000-8000-000000000001/" ADM_REL_MEMBERS "/page-0001.json",
	ADM_REL_USERS "/" U(1) "/" ADM_REL_METHODS "/page-0001.json",
	ADM_REL_REGDETAILS "/page-0001.json",
	ADM_REL_SIGNINS "/page-0001.json",
	ADM_REL_SIGNINS_BY "/" U(1) "/page-0001.json",
	ADM_REL_SIGNINS_BY "/" U(2) "/page-0001.json",
	ADM_REL_SIGNINS_BY "/" U(4) "/page-0001.json",
	ADM_REL_SIGNINS_BY "/group-01/page-0001.json",
	ADM_REL_AUDITS "/page-0001.json",
	ADM_REL_RISKYUSERS "/page-0001.json",
	ADM_REL_RISKDET "/page-0001.json",
	ADM_REL_AUTHZ "/page-0001.json",
	ADM_REL_DOMAINS "/page-0001.json",
	ADM_REL_DOMAINS "/contoso.com/" ADM_REL_FEDCONF "/page-0001.json",
	ADM_REL_CA "/page-0001.json",
	ADM_REL_SECDEF "/page-0001.json",
	ADM_REL_GUESTS "/page-0001.json",
	ADM_REL_USERS "/page-0001.json",
	ADM_REL_SIGNINS_BY "/" U(1) "/page-0002.json",
	ADM_REL_AUDITS "/page-0002.json",
};
/* paths: end */
#define NPATHS (sizeof paths / sizeof paths[0])

static const char ini[] =
	"tenant = contoso.onmicrosoft.com\ntenant_id = 8f4c1a2e-7d3b-4c5e-9a10-2b3c4d5e6f70\n"
	"domains = contoso.com contoso.onmicrosoft.com\nstarted = 2026-03-01T12:00:00Z\n";
static const char baseline[] =
	"[tenant]\nid = 8f4c1a2e-7d3b-4c5e-9a10-2b3c4d5e6f70\n[admins]\nadmin1@contoso.com\n"
	"admin2@contoso.com\n[break-glass]\nbg1@contoso.onmicrosoft.com\n[countries]\nFR\n"
	"[networks]\n203.0.113.0/24\n[guest-domains]\npartner.example\n[federated-domains]\ncontoso.com\n";

static struct bl bl_none, bl_given;


static void setup(void)
{
	fuzz_scratch("model");
	if (bl_parse(baseline, sizeof baseline - 1, "fuzz.ini", &bl_given) < 0)
		abort();
}
FUZZ_INIT(setup)

/* Plain writes (the harness's own, not what is tested): fast. */
static void put(const char *rel, const void *d, size_t n)
{
	char p[1024];
	snprintf(p, sizeof p, "%s/%s", FUZZ_DIR, rel);
	for (char *sl = strchr(p + strlen(FUZZ_DIR) + 1, '/'); sl; sl = strchr(sl + 1, '/')) {
		*sl = 0;
		mkdir(p, 0700);
		*sl = '/';
	}
	FILE *f = fopen(p, "wb");
	MUST(f && fwrite(d, 1, n, f) == n && fclose(f) == 0);
}

/* What the check runner does with a case (applets/check.c: load,
 * analyse, render), with the check-admins declaration's parts. */
static void analyse(int with_bl, int64_t since_dur)
{
	struct mdl_admins m;
	struct rule_source src[ADM_NSRC];
	struct tm_window w = { 0, since_dur };
	if (mdl_admins_load_dir(FUZZ_DIR, &w, &m) < 0) {
		MUST(err_msg()[0]);
		if (getenv("FUZZ_VERBOSE"))
			fprintf(stderr, "fuzz_model: refused: %s\n", err_msg());
		err_clear();
		mdl_admins_free(&m);
		return;
	}
	const struct mdl_head *h = &m.h;
	MUST(h->nsrc <= ADM_NSRC);
	rule_sources_from(h->src, h->nsrc, src);
	struct rule_ctx c = { &m, with_bl ? &bl_given : &bl_none, src, h->nsrc, h->now, h->since };
	struct findings fs = { 0 };
	struct rule_verdict v = { 0 };
	struct buf out = { 0 };
	MUST(rule_run(adm_rules, adm_nrules, &c, &fs) == 0);
	MUST(adm_verdict(&c, &fs, &v) == 0);
	struct render_doc d = { "check-admins", "1.a 1.b 2.a", h->tenant, FUZZ_DIR, 1772366400, h->since, h->now,
				&fs, &v };
	MUST(render_text(&d, &out) == 0);
	buf_reset(&out);
	MUST(render_md(&d, &out) == 0);
	buf_reset(&out);
	MUST(render_json(&d, &out) == 0);
	struct json j;
	if (json_parse(&j, out.p, out.len, JSON_LIMITS_DEFAULT) != 0) {
		fprintf(stderr, "fuzz_model: findings JSON does not parse: %s\n", err_msg());
		abort();
	}
	json_free(&j);
	struct rule_table t;
	if (adm_signin_table(&c, &t) == 0) {
		buf_reset(&out);
		MUST(render_csv(&t, &out) == 0);
		rule_table_free(&t);
	}
	err_clear();
	/* --make-baseline: what the tenant holds, written back, read again */
	struct bl b = { 0 };
	if (adm_make_baseline(&m, &b) == 0) {
		struct bl again;
		buf_reset(&out);
		MUST(bl_format(&b, "fuzz", &out) == 0);
		if (bl_parse(out.p, out.len, "made.ini", &again) != 0) {
			fprintf(stderr, "fuzz_model: --make-baseline wrote what it cannot read: %s\n", err_msg());
			abort();
		}
		bl_free(&again);
	}
	bl_free(&b);
	err_clear();
	rule_exit_status(&fs);
	/* FUZZ_VERBOSE=1: what each input came to (seeds must reach the rules) */
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "fuzz_model: %zu principals, %zu findings, %zu unknown, verdict %d\n",
			m.n_pr, fs.n, fs.nu, (int)v.v);
	buf_free(&out);
	rule_verdict_free(&v);
	findings_free(&fs);
	mdl_admins_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > (4u << 20))
		return 0;
	unsigned flags = data[0];
	/* the last record for each path */
	const uint8_t *at[NPATHS] = { 0 };
	size_t len[NPATHS] = { 0 };
	for (size_t i = 1; i + 3 <= size;) {
		size_t k = data[i] % NPATHS, n = data[i + 1] | (size_t)data[i + 2] << 8;
		i += 3;
		if (n > size - i)
			n = size - i;
		at[k] = data + i;
		len[k] = n;
		i += n;
	}
	fuzz_scratch_clear();
	MUST(mkdir(FUZZ_TOP, 0700) == 0 && mkdir(FUZZ_DIR, 0700) == 0);
	put("case.ini", ini, sizeof ini - 1);
	struct buf man = { 0 };
	int skipped = 0;
	for (size_t k = 0; k < NPATHS; k++) {
		char sha[65];
		if (!at[k])
			continue;
		put(paths[k], at[k], len[k]);
		/* bit 2: the first page left unlisted, as if planted */
		if ((flags & 4) && !skipped && k) {
			skipped = 1;
			continue;
		}
		MUST(hash_sha256_hex(at[k], len[k], sha) == 0);
		MUST(buf_printf(&man, "%s  %s\n", sha, paths[k]) == 0);
	}
	put("manifest.sha256", man.p ? man.p : "", man.len);
	buf_free(&man);
	analyse(flags & 1, (flags & 2) ? 7 * 86400 : 0);
	return 0;
}
