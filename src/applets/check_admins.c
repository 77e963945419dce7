/*
 * check-admins — fiche réflexe, Action 1.a (privileged accounts), the
 * guest part of 1.b and the tenant settings of 2.a. Its help, then its
 * declaration: the check runner (check.c) does the rest. Logic:
 * collect/admins.c (what to fetch), model/adm_*.c (the evidence),
 * rules/adm_rules.def and rules/adm_*.c (the checks).
 */
#include <stdio.h>

#include "applets/applets.h"
#include "collect/collect.h"
#include "model/model.h"
#include "rules/rules.h"

static const struct applet_help help = { M_HELP_CHECK_ADMINS };
static const char *const formats[] = { "text", "json", "md", "csv", NULL };

static void init(void *m) { mdl_admins_init(m); }
static void release(void *m) { mdl_admins_free(m); }

static int load(struct case_dir *cs, const struct check_run *r, void *m)
{
	return mdl_admins_load(cs, &r->c->window, m);
}

/* --format csv: the fiche's sign-in export, per admin and location. A
 * table of 7 days (Entra ID Free) must not pass for 30. */
static int csv(const struct rule_ctx *c, struct rule_table *t)
{
	const struct mdl_admins *m = c->model;
	if (!c->src[ADM_SRC_SIGNINS].ok)
		return err_set(E_ADM_NO_SIGNINS, c->src[ADM_SRC_SIGNINS].needs);
	if (adm_signin_table(c, t) < 0)
		return -1;
	if (m->src[ADM_SRC_SIGNINS].since > c->since) {
		char from[32];
		tm_utc_iso(m->src[ADM_SRC_SIGNINS].since, from, sizeof from);
		fprintf(stderr, "reflexe: ");
		tr_fprintf(stderr, M_ADM_CSV_PARTIAL, from);
		fputc('\n', stderr);
	}
	return 0;
}

const struct check_def check_admins_def = {
	.name = "check-admins",
	.fiche = "1.a 1.b 2.a",
	.help = &help,
	.formats = formats,
	.model_size = sizeof(struct mdl_admins),
	.init = init,
	.collect = collect_admins,
	.load = load,
	.free = release,
	.rules = adm_rules,
	.nrules = ADM_NRULES,
	.verdict = adm_verdict,
	.csv = csv,
	.make_baseline = adm_make_baseline,
};

int applet_check_admins(int argc, char **argv)
{
	return check_main(&check_admins_def, argc, argv);
}
