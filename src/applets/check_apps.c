/*
 * check-apps — fiche réflexe, Action 1.d (enterprise applications,
 * service principals, illicit consent grant). Its help, then its
 * declaration: the check runner (check.c) does the rest. Logic:
 * collect/apps.c, model/app_*.c, rules/app_rules.def and rules/app_*.c.
 */
#include "applets/applets.h"
#include "collect/collect.h"
#include "model/model.h"
#include "rules/rules.h"

static const struct applet_help help = { M_HELP_CHECK_APPS };
static const char *const formats[] = { "text", "json", "md", "csv", NULL };

static void init(void *m) { mdl_apps_init(m); }
static void release(void *m) { mdl_apps_free(m); }

static int load(struct case_dir *cs, const struct check_run *r, void *m)
{
	return mdl_apps_load(cs, &r->c->window, m);
}

const struct check_def check_apps_def = {
	.name = "check-apps",
	.fiche = "1.d",
	.help = &help,
	.formats = formats,
	.model_size = sizeof(struct mdl_apps),
	.init = init,
	.collect = collect_apps,
	.load = load,
	.free = release,
	.rules = app_rules,
	.nrules = APP_NRULES,
	.verdict = app_verdict,
	.csv = app_consent_table,
	.make_baseline = app_make_baseline,
};

int applet_check_apps(int argc, char **argv)
{
	return check_main(&check_apps_def, argc, argv);
}
