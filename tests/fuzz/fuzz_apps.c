/* libFuzzer harness for check-apps' readers of Graph evidence (make fuzz):
 * the input is a saved page; every element of its "value" goes through
 * each item parser (application, service principal, delegated grant,
 * directory audit, service principal sign-in) — a hostile page may hold
 * any of them — then the model is indexed and every rule, the verdict,
 * the consent table and the baseline writer run over it. Seeds:
 * tests/fuzz/seeds/fuzz_apps (pages of tests/fixtures/apps/gen.py). */
#include <stdlib.h>
#include <string.h>

#include "baseline/baseline.h"
#include "model/model.h"
#include "rules/rules.h"

static mdl_item_fn parsers[] = { mdl_app_item, mdl_sp_item, mdl_grant_item, mdl_app_audit_item,
				 mdl_app_signin_item };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mdl_apps m;
	struct json j;
	mdl_apps_init(&m);
	for (int s = 0; s < APP_NSRC; s++)
		m.src[s].st = MDL_ST_OK;
	m.h.now = 1772366400;              /* 2026-03-01T12:00:00Z */
	m.h.since = m.h.now - 30 * 86400;
	if (json_parse(&j, (const char *)data, size, (struct json_limits){ 1 << 16, 32 }) == 0) {
		int v = json_get(&j, 0, "value");
		for (int it = json_first(&j, v); it >= 0; it = json_next(&j, it))
			for (size_t p = 0; p < sizeof parsers / sizeof parsers[0]; p++)
				if (parsers[p](&m, &j, it, "graph/v1.0/x/page-0001.json") < 0)
					err_clear();
		json_free(&j);
	}
	mdl_apps_index(&m);
	struct rule_source src[APP_NSRC];
	struct bl b = { 0 }, made = { 0 };
	struct findings fs = { 0 };
	struct rule_verdict v = { 0 };
	struct rule_table t = { 0 };
	b.present = 1;
	rule_sources_from(m.src, APP_NSRC, src);
	struct rule_ctx c = { &m, &b, src, APP_NSRC, m.h.now, m.h.since };
	if (rule_run(app_rules, APP_NRULES, &c, &fs) == 0 && app_verdict(&c, &fs, &v) < 0)
		abort();
	if (app_consent_table(&c, &t) < 0 || app_make_baseline(&m, &made) < 0)
		abort();
	for (size_t i = 0; i < fs.n; i++)
		if (!fs.f[i].detail[0] || !fs.f[i].detail[1] || fs.f[i].sev > SEV_CRITICAL)
			abort();
	err_clear();
	rule_table_free(&t);
	rule_verdict_free(&v);
	findings_free(&fs);
	bl_free(&made);
	mdl_apps_free(&m);
	return 0;
}
