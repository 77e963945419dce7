/* libFuzzer harness for what the Exchange Online admin API hands
 * check-mail: an InvokeCommand page (the input, parsed with a saved page's
 * limits), each of its items read as every source the model knows
 * (mailboxes, permissions, inbox rules, configuration objects…), then the
 * whole check-mail rule table and its verdict run on what was read, with
 * and without a baseline; and the same bytes as an Exchange error body
 * (ms_result_from_error). Not part of make test; `make fuzz` builds and
 * runs it. Invariants: every result is one of its enum's values, every
 * finding names its rule, and nothing leaks (ASan). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline/baseline.h"
#include "model/model.h"
#include "ms/ms.h"
#include "rules/rules.h"

#define MUST(c) do { if (!(c)) { fprintf(stderr, "fuzz_exo: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)

static void error_body(const uint8_t *d, size_t n)
{
	static const int st[] = { 400, 401, 403, 404, 429, 500 };
	for (size_t i = 0; i < sizeof st / sizeof st[0]; i++) {
		struct ms_result r;
		memset(&r, 0, sizeof r);
		ms_result_from_error(&r, MS_AUD_EXO, st[i], (const char *)d, n, "exo/Get-InboxRule", NULL, 1);
		MUST(r.st <= MS_ABSENT && r.http == st[i]);
		MUST(memchr(r.code, 0, sizeof r.code) && memchr(r.detail, 0, sizeof r.detail));
		err_clear();
	}
}

static void rules(struct mdl_mail *m, const struct bl *b)
{
	struct rule_source src[MAIL_NSRC];
	struct findings fs = { 0 };
	struct rule_verdict v;
	memset(&v, 0, sizeof v);
	for (int s = 0; s < MAIL_NSRC; s++)
		m->src[s].st = MDL_ST_OK;
	rule_sources_from(m->src, MAIL_NSRC, src);
	struct rule_ctx c = { m, b, src, MAIL_NSRC, 1772366400, 1772366400 - 30 * 86400 };
	if (rule_run(mail_rules, MAIL_NRULES, &c, &fs) == 0 && mail_verdict(&c, &fs, &v) == 0) {
		MUST(v.v <= VERDICT_UNDETERMINED && v.npart == 3);
		for (size_t i = 0; i < fs.n; i++)
			MUST(fs.f[i].rule && fs.f[i].detail[0] && fs.f[i].detail[1]);
	}
	rule_verdict_free(&v);
	findings_free(&fs);
	err_clear();
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct json j;
	struct mdl_mail m;
	struct bl b;
	error_body(d, n);
	if (ms_parse_page(&j, (const char *)d, n, "fuzz") < 0) {
		err_clear();
		return 0;
	}
	mdl_mail_init(&m);
	int v = json_get(&j, 0, "value");
	for (int it = json_first(&j, v); it >= 0; it = json_next(&j, it)) {
		if (json_type(&j, it) != JSON_OBJ)
			continue;
		for (int s = 0; s < MAIL_NSRC; s++)
			if (mdl_mail_item(&m, s, "Sender", &j, it, "exo/x/page-0001.json") < 0)
				err_clear();
	}
	json_free(&j);
	/* the accepted domains, as the loader sets them */
	const char **p = MDL_PUSH(m.dom, m.n_dom, m.cap_dom);
	if (p)
		*p = "contoso.com";
	rules(&m, &(struct bl){ 0 });
	static const char bl_text[] = "[executives]\nceo@contoso.com\n[mail-flow]\nrule:x>SCL\n";
	if (bl_parse(bl_text, sizeof bl_text - 1, "fuzz", &b) == 0) {
		rules(&m, &b);
		bl_free(&b);
	}
	mdl_mail_free(&m);
	return 0;
}
