/* libFuzzer harness for the two files of a case folder that an analysis
 * reads before anything else (case/case.c, case/manifest.c): case.ini
 * and manifest.sha256. A case folder can come from another machine (a
 * colleague's stick, a customer's copy): both are hostile.
 *
 * Byte 0 picks the file the rest of the input becomes (0: case.ini, 1:
 * manifest.sha256); the other is a valid one, and one evidence file is
 * there. Then the case is opened offline (every look-up an analysis
 * makes), and live (the manifest compacted, case.ini written back), and
 * offline again. Invariants: a refusal says why; what reflexe wrote
 * itself it reads back (case.ini fields, manifest lines that
 * case_manifest_line accepts); look-ups answer 0 or 1.
 *
 * The folders live under /dev/shm when it exists (fsync is free there).
 * Seeds: tests/fuzz/seeds/fuzz_case (from tests/fixtures/admins/gen.py). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "fuzz.h"
#include "case/case.h"


#define PAGE_REL "graph/v1.0/users/page-0001.json"
static const char page[] = "{\"value\":[{\"id\":\"a1\",\"displayName\":\"Alice\"}]}";
static const char ini_ok[] =
	"tenant = contoso.com\ntenant_id = 8f4c1a2e-7d3b-4c5e-9a10-2b3c4d5e6f70\n"
	"domains = contoso.com contoso.onmicrosoft.com\ncase_id = 0d1c2b3a-4f5e-4d6c-8b7a-9f8e7d6c5b4a\n"
	"responder = Alice\ntool_version = reflexe 0.1.0\nstarted = 2026-03-01T12:00:00Z\n";


static void setup(void)
{
	fuzz_scratch("case");
}
FUZZ_INIT(setup)

static void put(const char *rel, const void *d, size_t n)
{
	char p[600];
	snprintf(p, sizeof p, "%s/%s", FUZZ_DIR, rel);
	MUST(file_write_atomic(p, d, n) == 0);
}

static int count(void *ctx, const char *rel)
{
	MUST(case_rel_ok(rel) == 0);     /* never a path outside the case */
	(*(int *)ctx)++;
	return 0;
}

static void lookups(struct case_dir *c)
{
	const struct case_info *i = case_info(c);
	MUST(memchr(i->tenant, 0, sizeof i->tenant) && memchr(i->domains, 0, sizeof i->domains));
	int l = case_listed(c, PAGE_REL);
	MUST(l >= -1 && l <= 1);
	int k = case_check(c, PAGE_REL, page, sizeof page - 1);
	MUST(k == 0 || (k == -1 && err_msg()[0]));
	case_listed(c, "graph/v1.0/users/page-0002.json");
	case_listed(c, "../outside");
	int n = 0;
	case_listed_under(c, "graph", count, &n);
	err_clear();
}

/* Every line of the manifest after a compaction is one reflexe reads,
 * or one that was there before, kept as it was (a damaged line is not
 * evidence to throw away). */
static void manifest_sound(const uint8_t *in, size_t in_n)
{
	char p[600];
	struct buf f = { 0 };
	snprintf(p, sizeof p, "%s/manifest.sha256", FUZZ_DIR);
	if (file_read(p, &f, 64u << 20) < 0) {
		err_clear();
		return;
	}
	for (char *s = f.p; s && *s;) {
		char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char sha[65];
		const char *path;
		size_t plen;
		if (n && case_manifest_line(s, n, sha, &path, &plen) != 0)
			MUST(memmem(in, in_n, s, n) != NULL);
		s = nl ? nl + 1 : NULL;
	}
	buf_free(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > (1u << 20))
		return 0;
	fuzz_scratch_clear();
	MUST(file_mkdirs(FUZZ_DIR) == 0);
	char sub[600], sha[65];
	snprintf(sub, sizeof sub, "%s/graph/v1.0/users", FUZZ_DIR);
	MUST(file_mkdirs(sub) == 0);
	put(PAGE_REL, page, sizeof page - 1);
	int is_ini = data[0] % 2 == 0;
	if (is_ini) {
		struct buf m = { 0 };
		MUST(hash_sha256_hex(page, sizeof page - 1, sha) == 0);
		MUST(buf_printf(&m, "%s  %s\n", sha, PAGE_REL) == 0);
		put("manifest.sha256", m.p, m.len);
		put("case.ini", data + 1, size - 1);
		buf_free(&m);
	} else {
		put("case.ini", ini_ok, sizeof ini_ok - 1);
		put("manifest.sha256", data + 1, size - 1);
	}
	/* raw lines, one by one */
	for (size_t a = 1, b; a < size; a = b + 1) {
		const char *s = (const char *)data + a, *nl = memchr(s, '\n', size - a);
		b = nl ? (size_t)(nl - (const char *)data) : size;
		char h[65];
		const char *path;
		size_t plen;
		if (case_manifest_line(s, b - a, h, &path, &plen) == 0)
			MUST(plen <= b - a && strlen(h) == 64);
	}

	struct case_dir *c;
	if (case_open(&c, FUZZ_DIR, NULL, NULL, 1) < 0) {
		MUST(err_msg()[0]);
		err_clear();
		return 0;
	}
	struct case_info first = *case_info(c);
	lookups(c);
	case_close(c);

	/* Live: compacts the manifest; records a tenant (case.ini written). */
	if (case_open(&c, FUZZ_DIR, NULL, NULL, 0) < 0) {
		MUST(err_msg()[0]);
		err_clear();
		return 0;
	}
	int set = case_set_tenant(c, "8f4c1a2e-7d3b-4c5e-9a10-2b3c4d5e6f70", "contoso.com") == 0;
	err_clear();
	lookups(c);
	if (case_close(c) < 0)
		err_clear();
	manifest_sound(data + 1, size - 1);

	/* What was written reads back, the same. */
	if (case_open(&c, FUZZ_DIR, NULL, NULL, 1) < 0) {
		fprintf(stderr, "fuzz_case: reopening what reflexe wrote: %s\n", err_msg());
		abort();
	}
	const struct case_info *i = case_info(c);
	MUST(!strcmp(i->tenant, first.tenant));
	MUST(!strcmp(i->case_id, first.case_id));
	MUST(!strcmp(i->responder, first.responder));
	MUST(!strcmp(i->started, first.started));
	if (set)
		MUST(!strcasecmp(i->tenant_id, "8f4c1a2e-7d3b-4c5e-9a10-2b3c4d5e6f70"));
	lookups(c);
	case_close(c);
	return 0;
}
