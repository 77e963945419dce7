/* render/: the JSON document is valid JSON with the contract's keys; CSV
 * is what French Excel opens, with formulas defused; Markdown cells
 * cannot break the table; text groups long runs of one rule. */
#include <stdlib.h>

#include "render/render.h"
#include "t.h"

static int r_none(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	(void)c; (void)r; (void)out;
	return 0;
}

static const struct rule rr[] = {
	{ "ADM-003", "1.a", M_STEP_1A_ROLES, SEV_HIGH, M_ADM003_T, M_ADM003_W, M_ADM003_C, 0, RULE_COMPROMISE, r_none },
	{ "ADM-020", "1.b", M_STEP_1B_GUESTS, SEV_LOW, M_ADM020_T, M_ADM020_W, M_ADM020_C, 0, 0, r_none },
};

static void doc(struct findings *fs, struct rule_verdict *v, int many)
{
	memset(fs, 0, sizeof *fs);
	for (int i = 0; i < many; i++) {
		char upn[64];
		snprintf(upn, sizeof upn, "u%d@contoso.com", i);
		struct finding *f = rule_emit(fs, &rr[0], SEV_HIGH, ST_SUSPECT, M_ADM003_D, upn,
					      "Evil \"name\"\n| with pipe", "Global Administrator");
		finding_obj(f, upn);
		finding_ev(f, "graph/v1.0/roleManagement/directory/roleAssignments/page-0001.json");
	}
	rule_emit(fs, &rr[1], SEV_INFO, ST_CLEAR, M_ADM020_C);
	rule_unknown(fs, "ADM-012", "Entra ID P1 + AuditLog.Read.All", M_SRC_LICENCE, "signIns", "HTTP 403");
	memset(v, 0, sizeof *v);
	v->question = M_ADM_QUESTION;
	v->subject = M_ADM_SUBJECT;
	rule_verdict(fs, 0, v);
	struct verdict_line *l = &v->extra[v->nextra++];
	l->label = M_ADM_SOUND_GA;
	l->key = "sound_global_admin";
	l->code = "yes";
	rule_fmt2(l->value, M_ADM_SOUND_YES, "a@contoso.com");
}

static void json_contract(void)
{
	struct findings fs;
	struct rule_verdict v;
	struct buf b = { 0 };
	struct json j;
	char s[256];
	doc(&fs, &v, 2);
	struct render_doc d = { "check-admins", "1.a", "contoso.onmicrosoft.com", "case-x", 1772366400, 1769774400,
				1772366400, &fs, &v };
	CHECK_INT(render_json(&d, &b), 0);
	CHECK_INT(json_parse(&j, b.p, b.len, JSON_LIMITS_DEFAULT), 0);
	CHECK(json_str(&j, 0, "tool", s, sizeof s) == 0 && !strcmp(s, "reflexe"));
	CHECK(json_str(&j, 0, "applet", s, sizeof s) == 0 && !strcmp(s, "check-admins"));
	CHECK(json_str(&j, 0, "generated", s, sizeof s) == 0 && !strcmp(s, "2026-03-01T12:00:00Z"));
	CHECK(json_str(&j, 0, "window.since", s, sizeof s) == 0 && !strcmp(s, "2026-01-30T12:00:00Z"));
	CHECK(json_str(&j, 0, "verdict.answer", s, sizeof s) == 0 && !strcmp(s, "suspected"));
	CHECK(json_str(&j, 0, "verdict.sound_global_admin.answer", s, sizeof s) == 0 && !strcmp(s, "yes"));
	CHECK(json_str(&j, 0, "verdict.reasons.0.id", s, sizeof s) == 0 && !strcmp(s, "ADM-003"));
	CHECK_INT(json_count(&j, json_get(&j, 0, "findings")), 3);
	CHECK(json_str(&j, 0, "findings.0.severity", s, sizeof s) == 0 && !strcmp(s, "high"));
	CHECK(json_str(&j, 0, "findings.0.status", s, sizeof s) == 0 && !strcmp(s, "suspect"));
	CHECK(json_str(&j, 0, "findings.0.fiche", s, sizeof s) == 0 && !strcmp(s, "1.a"));
	CHECK(json_str(&j, 0, "findings.0.objects.0", s, sizeof s) == 0 && !strcmp(s, "u0@contoso.com"));
	CHECK(json_str(&j, 0, "findings.0.detail", s, sizeof s) == 0 && strstr(s, "Evil \"name\"\n| with pipe"));
	CHECK(json_str(&j, 0, "findings.2.status", s, sizeof s) == 0 && !strcmp(s, "clear"));
	CHECK(json_str(&j, 0, "unknown.0.needs", s, sizeof s) == 0 && !strcmp(s, "Entra ID P1 + AuditLog.Read.All"));
	json_free(&j);
	buf_free(&b);
	/* French texts, same keys */
	i18n_init("fr");
	CHECK_INT(render_json(&d, &b), 0);
	CHECK(strstr(b.p, "\"answer\":\"suspected\"") && strstr(b.p, "Compromission de compte à privilèges"));
	i18n_init("en");
	buf_free(&b);
	rule_verdict_free(&v);
	findings_free(&fs);
}

static void csv_excel(void)
{
	static const enum msg_id head[] = { M_TBL_USER, M_TBL_IP, M_TBL_OK };
	struct rule_table t = { 3, head, NULL, 0, 0 };
	const char *r1[] = { "=HYPERLINK(\"http://x\")", "203.0.113.1", "12" };
	const char *r2[] = { "a;b", "-1", "007x" };
	const char *r3[] = { "@SUM(A1)", NULL, "" };
	CHECK_INT(rule_table_row(&t, r1), 0);
	CHECK_INT(rule_table_row(&t, r2), 0);
	CHECK_INT(rule_table_row(&t, r3), 0);
	struct buf b = { 0 };
	CHECK_INT(render_csv(&t, &b), 0);
	CHECK_STR(b.p, "\xEF\xBB\xBF\"account\";\"IP address\";\"successes\"\r\n"
		  "\"'=HYPERLINK(\"\"http://x\"\")\";\"203.0.113.1\";12\r\n"
		  "\"a;b\";\"'-1\";\"007x\"\r\n"
		  "\"'@SUM(A1)\";\"\";\"\"\r\n");
	buf_free(&b);
	rule_table_free(&t);
}

static void markdown_cells(void)
{
	struct findings fs;
	struct rule_verdict v;
	struct buf b = { 0 };
	doc(&fs, &v, 1);
	struct render_doc d = { "check-admins", "1.a", NULL, "case|x", 1772366400, 0, 0, &fs, &v };
	CHECK_INT(render_md(&d, &b), 0);
	/* each table row keeps exactly its 7 column bars */
	const char *row = strstr(b.p, "\n| ADM-003 |");
	CHECK(row != NULL);
	if (row) {
		int bars = 0;
		for (const char *p = row + 1; *p && *p != '\n'; p++)
			bars += *p == '|' && p[-1] != '\\';
		CHECK_INT(bars, 7);
	}
	CHECK(strstr(b.p, "case\\|x") != NULL);
	buf_free(&b);
	rule_verdict_free(&v);
	findings_free(&fs);
}

static void text_groups(void)
{
	struct findings fs;
	struct rule_verdict v;
	struct buf b = { 0 };
	doc(&fs, &v, 25);
	struct render_doc d = { "check-admins", "1.a", "t", "c", 1772366400, 0, 0, &fs, &v };
	CHECK_INT(render_text(&d, &b), 0);
	CHECK(strstr(b.p, "Microsoft 365 / Entra ID privileged account compromise: suspected\n"));
	CHECK(strstr(b.p, "Sound global administrator left: yes — a@contoso.com"));
	const char *sec = strstr(b.p, "\nFindings (25)\n");
	CHECK(sec && strstr(sec, "u9@contoso.com") && !strstr(sec, "u10@contoso.com (Evil"));
	CHECK(strstr(b.p, "and 15 more finding(s) of this rule"));
	CHECK(strstr(b.p, "Unanswered (cannot tell) (1)"));
	CHECK(strstr(b.p, "Checks found clean (1)\n  ADM-020"));
	buf_free(&b);
	i18n_init("fr");
	CHECK_INT(render_text(&d, &b), 0);
	CHECK(strstr(b.p, "Compromission de compte à privilèges Microsoft 365 / Entra ID : suspectée\n"));
	i18n_init("en");
	buf_free(&b);
	rule_verdict_free(&v);
	findings_free(&fs);
}

static void rule_list(void)
{
	struct buf b = { 0 };
	struct rule_source src[1] = { { "signIns", 0, M_SRC_ABSENT, "", "" } };
	struct rule one = rr[0];
	one.needs = 1;
	one.flags |= RULE_BASELINE;
	CHECK_INT(render_rules(&one, 1, src, 1, &b), 0);
	CHECK(strstr(b.p, "ADM-003  fiche 1.a") && strstr(b.p, "signIns, --baseline"));
	buf_free(&b);
}

int main(void)
{
	i18n_init("en");
	RUN(json_contract);
	RUN(csv_excel);
	RUN(markdown_cells);
	RUN(text_groups);
	RUN(rule_list);
	T_DONE();
}
