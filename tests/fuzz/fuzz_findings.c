/* libFuzzer harness for the findings documents the report reads
 * (report/findings.c: findings/<check>.json, as saved in a case folder
 * that may have been tampered with, or written by a newer version), then
 * everything the report does with what was accepted: the qualification,
 * the containment plan and the sections in every format, which must not
 * crash on any text, id or object. Not part of make test: `make fuzz`
 * builds and runs it from tests/fuzz/seeds/fuzz_findings. */
#include <stdlib.h>
#include <string.h>

#include "courante/courante.h"
#include "report/report.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n)
{
	static int init;
	if (!init) {
		i18n_init("fr");
		init = 1;
	}
	static struct rep r;
	static struct cour_log log;
	memset(&r, 0, sizeof r);
	r.log = &log;
	r.now = 1772366400;
	snprintf(r.case_dir, sizeof r.case_dir, "fuzz");
	r.case_name = r.case_dir;
	if (rep_findings_parse(&r.fs, "findings/check-admins.json", (const char *)data, n) == 0 &&
	    rep_qualify(&r.fs, &r.an, &r.q) == 0 && rep_clock(&r.q, &r.an, &log, r.now, &r.clock) == 0 &&
	    rep_plan(&r.fs, &r.q, &r.plan) == 0) {
		for (int f = RF_TEXT; f <= RF_JSON; f++) {
			struct buf b = { 0 };
			rep_render(&r, (enum rep_fmt)f, &b);
			buf_free(&b);
		}
	}
	rep_plan_free(&r.plan);
	rep_findings_free(&r.fs);
	err_clear();
	return 0;
}
