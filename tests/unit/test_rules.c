/* rules/: the engine (sources, unknowns, clear, exit status, verdict)
 * and boundaries of the check-admins rules on small case folders. */
#include "tcase.h"
#include "baseline/baseline.h"
#include "model/model.h"
#include "rules/rules.h"
#include "t.h"

/* ---- the engine, with a toy table -------------------------------------------- */

static int r_quiet(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	(void)c; (void)r; (void)out;
	return 0;
}

static int r_two(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	(void)c;
	struct finding *f = rule_emit(out, r, SEV_HIGH, ST_SUSPECT, M_ADM003_D, "x@y", "X", "GA");
	if (!f || finding_obj(f, "x@y") < 0 || finding_obj(f, "x@y") < 0 || finding_ev(f, "b") < 0 ||
	    finding_ev_first(f, "a") < 0 || finding_ev_first(f, "b") < 0)
		return -1;
	f = rule_emit(out, r, SEV_INFO, ST_SUSPECT, M_ADM011_DISABLED, "z@y", "GA");
	return f ? 0 : -1;
}

static const struct rule toy[] = {
	{ "T-1", "1.a", M_STEP_1A_ROLES, SEV_LOW, M_ADM001_T, M_ADM001_W, M_ADM001_C, 1u << 0, 0, r_quiet },
	{ "T-2", "1.a", M_STEP_1A_ROLES, SEV_LOW, M_ADM003_T, M_ADM003_W, M_ADM003_C, 1u << 1, 0, r_quiet },
	{ "T-3", "1.a", M_STEP_1A_ROLES, SEV_LOW, M_ADM009_T, M_ADM009_W, M_ADM009_C, 0, RULE_BASELINE, r_quiet },
	{ "T-4", "1.a", M_STEP_1A_ROLES, SEV_HIGH, M_ADM003_T, M_ADM003_W, M_ADM003_C, 1u << 0, RULE_COMPROMISE, r_two },
};

static void engine(void)
{
	struct rule_source src[2] = {
		{ "users", 1, M_SRC_ABSENT, "", "User.Read.All" },
		{ "signIns", 0, M_SRC_LICENCE, "HTTP 403 X", "Entra ID P1" },
	};
	struct bl none = { 0 };
	struct rule_ctx c = { NULL, &none, src, 2, 0, 0 };
	struct findings fs = { 0 };
	CHECK_INT(rule_run(toy, 4, &c, &fs), 0);
	/* T-1 ran and found nothing: one clear finding, info */
	CHECK_STR(fs.f[0].rule->id, "T-1");
	CHECK_INT(fs.f[0].status, ST_CLEAR);
	CHECK_INT(fs.f[0].sev, SEV_INFO);
	CHECK_STR(fs.f[0].detail[LANG_EN], tr_lang(M_ADM001_C, LANG_EN));
	CHECK_STR(fs.f[0].detail[LANG_FR], tr_lang(M_ADM001_C, LANG_FR));
	/* T-2 lacked its source, T-3 the baseline: unknown, never clear */
	CHECK_INT(fs.nu, 2);
	CHECK_STR(fs.u[0].check, "T-2");
	CHECK_STR(fs.u[0].needs, "Entra ID P1");
	CHECK(strstr(fs.u[0].reason[LANG_EN], "signIns") && strstr(fs.u[0].reason[LANG_EN], "HTTP 403 X"));
	CHECK(strstr(fs.u[0].reason[LANG_FR], "licence absente"));
	CHECK_STR(fs.u[1].check, "T-3");
	CHECK_STR(fs.u[1].needs, "--baseline");
	for (size_t i = 0; i < fs.n; i++)
		CHECK(strcmp(fs.f[i].rule->id, "T-2") && strcmp(fs.f[i].rule->id, "T-3"));
	/* T-4: two findings, no clear one; objects deduplicated, evidence
	 * "first" reordered */
	CHECK_INT(fs.n, 3);
	CHECK_INT(fs.f[1].nobj, 1);
	CHECK_INT(fs.f[1].nev, 2);
	CHECK_STR(fs.f[1].ev[0], "a");
	CHECK_STR(fs.f[1].ev[1], "b");
	CHECK(strstr(fs.f[1].detail[LANG_FR], "n'est pas au référentiel"));
	CHECK(strstr(fs.f[1].detail[LANG_EN], "x@y (X) holds GA"));
	CHECK(fs.f[1].compromise);
	CHECK_INT(rule_exit_status(&fs), EXIT_FINDINGS);
	struct rule_verdict v = { 0 };
	v.question = M_ADM_QUESTION;
	v.subject = M_ADM_SUBJECT;
	CHECK_INT(rule_verdict(&fs, 0, &v), 0);
	CHECK_INT(v.v, VERDICT_SUSPECTED);
	CHECK_INT(v.nreasons, 1);                 /* the info one is no reason */
	CHECK_STR(rule_verdict_name(v.v), "suspected");
	rule_verdict_free(&v);
	/* an info finding, even suspect, does not make the exit status 1 */
	fs.f[1].status = ST_CLEAR;
	CHECK_INT(rule_exit_status(&fs), EXIT_CLEAN);
	v.question = M_ADM_QUESTION;
	CHECK_INT(rule_verdict(&fs, 1, &v), 0);
	CHECK_INT(v.v, VERDICT_UNDETERMINED);
	rule_verdict_free(&v);
	fs.f[1].status = ST_CONFIRMED;
	CHECK_INT(rule_verdict(&fs, 1, &v), 0);
	CHECK_INT(v.v, VERDICT_CONFIRMED);        /* a confirmed finding wins */
	rule_verdict_free(&v);
	findings_free(&fs);
}

/* ---- check-admins rules on small cases ------------------------------------------ */

#define G "graph/v1.0/"
#define GA "62e90394-69f5-4237-9190-012177145e10"

static void record(void)
{
	tc_put("collect/check-admins.json",
	       "{\"since\":\"2026-01-30T12:00:00Z\",\"until\":\"2026-03-01T12:00:00Z\",\"sources\":{"
	       "\"roleDefinitions\":{\"state\":\"ok\"},\"roleAssignments\":{\"state\":\"ok\"},"
	       "\"roleEligibilityScheduleInstances\":{\"state\":\"licence\"},\"groupMembers\":{\"state\":\"ok\"},"
	       "\"users\":{\"state\":\"ok\"},\"signInActivity\":{\"state\":\"ok\"},\"mfaRegistration\":{\"state\":\"ok\"},"
	       "\"signIns\":{\"state\":\"ok\"}}}");
}

/* Two GAs: u1 and u2 (ids ...01, ...02), enabled, MFA. */
static void admins(const char *u2_enabled, const char *u2_mfa)
{
	char b[2048];
	tc_put("graph/beta/roleManagement/directory/roleDefinitions/page-0001.json",
	       "{\"value\":[{\"id\":\"" GA "\",\"templateId\":\"" GA "\",\"displayName\":\"Global Administrator\"}]}");
	tc_put(G "roleManagement/directory/roleAssignments/page-0001.json",
	       "{\"value\":[{\"id\":\"r1\",\"roleDefinitionId\":\"" GA "\",\"principalId\":\"u1\",\"directoryScopeId\":\"/\","
	       "\"principal\":{\"@odata.type\":\"#microsoft.graph.user\",\"id\":\"u1\",\"userPrincipalName\":\"a@c.com\"}},"
	       "{\"id\":\"r2\",\"roleDefinitionId\":\"" GA "\",\"principalId\":\"u2\",\"directoryScopeId\":\"/\","
	       "\"principal\":{\"@odata.type\":\"#microsoft.graph.user\",\"id\":\"u2\",\"userPrincipalName\":\"b@c.com\"}}]}");
	tc_put(G "users/u1/page-0001.json", "{\"id\":\"u1\",\"accountEnabled\":true,\"onPremisesSyncEnabled\":null,"
	       "\"createdDateTime\":\"2020-01-01T00:00:00Z\",\"signInActivity\":{\"lastSignInDateTime\":\"2026-02-28T00:00:00Z\"}}");
	snprintf(b, sizeof b, "{\"id\":\"u2\",\"accountEnabled\":%s,\"onPremisesSyncEnabled\":null,"
		 "\"createdDateTime\":\"2020-01-01T00:00:00Z\",\"signInActivity\":{\"lastSignInDateTime\":\"2026-02-28T00:00:00Z\"}}",
		 u2_enabled);
	tc_put(G "users/u2/page-0001.json", b);
	snprintf(b, sizeof b, "{\"value\":[{\"id\":\"u1\",\"isMfaRegistered\":true},{\"id\":\"u2\",\"isMfaRegistered\":%s}]}",
		 u2_mfa);
	tc_put(G "reports/authenticationMethods/userRegistrationDetails/page-0001.json", b);
}

/* n password failures of b@c.com, `gap` minutes apart, from 2026-02-20 10:00. */
static void failures(int n, int gap, int success_after)
{
	struct buf b = { 0 };
	buf_puts(&b, "{\"value\":[");
	for (int i = 0; i < n; i++) {
		int mins = 600 + i * gap;          /* from 10:00 */
		buf_printf(&b, "%s{\"id\":\"f%d\",\"createdDateTime\":\"2026-02-%02dT%02d:%02d:00Z\",\"userId\":\"u2\","
			   "\"ipAddress\":\"192.0.2.1\",\"status\":{\"errorCode\":50126}}", i ? "," : "", i,
			   20 + mins / 1440, (mins % 1440) / 60, mins % 60);
	}
	if (success_after)
		buf_printf(&b, ",{\"id\":\"ok\",\"createdDateTime\":\"2026-02-20T23:00:00Z\",\"userId\":\"u2\","
			   "\"ipAddress\":\"192.0.2.1\",\"status\":{\"errorCode\":0}}");
	buf_puts(&b, "]}");
	tc_put(G "auditLogs/signIns/page-0001.json", b.p);
	buf_free(&b);
}

static size_t count(const struct findings *fs, const char *id, enum rule_status st)
{
	size_t n = 0;
	for (size_t i = 0; i < fs->n; i++)
		n += !strcmp(fs->f[i].rule->id, id) && fs->f[i].status == st;
	return n;
}

static const struct finding *find(const struct findings *fs, const char *id)
{
	for (size_t i = 0; i < fs->n; i++)
		if (!strcmp(fs->f[i].rule->id, id) && fs->f[i].status != ST_CLEAR)
			return &fs->f[i];
	return NULL;
}

static void run_case(struct findings *fs, struct rule_verdict *v)
{
	struct mdl_admins m;
	struct rule_source src[ADM_NSRC];
	struct bl none = { 0 };
	memset(fs, 0, sizeof *fs);
	memset(v, 0, sizeof *v);
	if (mdl_admins_load_dir(tc_dir, NULL, &m) < 0) {
		printf("  load: %s\n", err_msg());
		t_failed_now = 1;
		return;
	}
	rule_sources_from(m.src, ADM_NSRC, src);
	struct rule_ctx c = { &m, &none, src, ADM_NSRC, m.h.now, m.h.since };
	if (rule_run(adm_rules, adm_nrules, &c, fs) < 0 || adm_verdict(&c, fs, v) < 0)
		t_failed_now = 1;
	mdl_admins_free(&m);   /* findings own their strings: safe to read after */
}

static void spray_thresholds(void)
{
	struct findings fs;
	struct rule_verdict v;
	/* 9 failures within an hour: below the burst */
	tc_new(); record(); admins("true", "true"); failures(9, 5, 0);
	run_case(&fs, &v);
	CHECK_INT(count(&fs, "ADM-013", ST_SUSPECT), 0);
	CHECK_INT(count(&fs, "ADM-013", ST_CLEAR), 1);
	findings_free(&fs); rule_verdict_free(&v); tc_done();
	/* 10 within an hour: a burst, medium */
	tc_new(); record(); admins("true", "true"); failures(10, 6, 0);
	run_case(&fs, &v);
	const struct finding *f = find(&fs, "ADM-013");
	CHECK(f && f->sev == SEV_MEDIUM && !f->compromise);
	findings_free(&fs); rule_verdict_free(&v); tc_done();
	/* 10 spread over more than an hour: not a burst */
	tc_new(); record(); admins("true", "true"); failures(10, 7, 0);
	run_case(&fs, &v);
	CHECK_INT(count(&fs, "ADM-013", ST_SUSPECT), 0);
	findings_free(&fs); rule_verdict_free(&v); tc_done();
	/* 50 over the window: slow spraying */
	tc_new(); record(); admins("true", "true"); failures(50, 120, 0);
	run_case(&fs, &v);
	f = find(&fs, "ADM-013");
	CHECK(f && strstr(f->detail[LANG_EN], "50 password failures over the window"));
	findings_free(&fs); rule_verdict_free(&v); tc_done();
	/* a burst then a success from the same address: high, compromise */
	tc_new(); record(); admins("true", "true"); failures(12, 2, 1);
	run_case(&fs, &v);
	f = find(&fs, "ADM-013");
	CHECK(f && f->sev == SEV_HIGH && f->compromise);
	CHECK_INT(v.v, VERDICT_SUSPECTED);
	findings_free(&fs); rule_verdict_free(&v); tc_done();
}

static void sound_ga(void)
{
	struct findings fs;
	struct rule_verdict v;
	/* one GA disabled: fewer than two (confirmed: no eligibility is
	 * possible without P2), one sound GA left */
	tc_new(); record(); admins("false", "true"); failures(0, 1, 0);
	run_case(&fs, &v);
	const struct finding *f = find(&fs, "ADM-001");
	CHECK(f && f->status == ST_CONFIRMED && f->nobj == 1 && !strcmp(f->obj[0], "a@c.com"));
	CHECK_INT(count(&fs, "ADM-002", ST_CLEAR), 1);
	CHECK_STR(v.extra[0].code, "yes");
	findings_free(&fs); rule_verdict_free(&v); tc_done();
	/* no GA with MFA: no sound GA (a fact: confirmed) */
	tc_new(); record(); admins("true", "false"); failures(0, 1, 0);
	tc_put(G "reports/authenticationMethods/userRegistrationDetails/page-0001.json",
	       "{\"value\":[{\"id\":\"u1\",\"isMfaRegistered\":false},{\"id\":\"u2\",\"isMfaRegistered\":false}]}");
	run_case(&fs, &v);
	f = find(&fs, "ADM-002");
	CHECK(f && f->sev == SEV_CRITICAL && f->status == ST_CONFIRMED && !f->compromise);
	CHECK_INT(count(&fs, "ADM-006", ST_CONFIRMED), 2);
	CHECK_STR(v.extra[0].code, "no");
	findings_free(&fs); rule_verdict_free(&v); tc_done();
	/* MFA unknown for one (not in the report), the other without: unknown */
	tc_new(); record(); admins("true", "false"); failures(0, 1, 0);
	tc_put(G "reports/authenticationMethods/userRegistrationDetails/page-0001.json",
	       "{\"value\":[{\"id\":\"u2\",\"isMfaRegistered\":false}]}");
	run_case(&fs, &v);
	CHECK(find(&fs, "ADM-002") == NULL);
	int unk = 0;
	for (size_t i = 0; i < fs.nu; i++)
		unk += !strcmp(fs.u[i].check, "ADM-002") || !strcmp(fs.u[i].check, "ADM-006");
	CHECK_INT(unk, 2);
	CHECK_STR(v.extra[0].code, "unknown");
	findings_free(&fs); rule_verdict_free(&v); tc_done();
}

int main(void)
{
	i18n_init("en");
	RUN(engine);
	RUN(spray_thresholds);
	RUN(sound_ga);
	T_DONE();
}
