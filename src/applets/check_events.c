/*
 * check-events — the fiche's Mesure 1 from the exports a customer sent
 * (reflexe import): the same engine, findings document and logbook line
 * as the live checks, over the events imported into the case. No network:
 * it reads only what the case holds. Logic: model/events.c (reading the
 * imports), rules/evt*.c (the checks), rules/bec.c (inbox rules).
 */
#include "applets/applets.h"
#include "model/model.h"
#include "rules/rules.h"

static const struct applet_help help = { M_HELP_CHECK_EVENTS };
static const char *const formats[] = { "text", "json", "md", NULL };

static void init(void *m) { mdl_events_init(m); }
static void release(void *m) { mdl_events_free(m); }

static int load(struct case_dir *cs, const struct check_run *r, void *m)
{
	(void)r;
	return mdl_events_load(cs, NULL, m);
}

const struct check_def check_events_def = {
	.name = "check-events",
	.fiche = "1.a 1.b 1.d 1.e",
	.help = &help,
	.formats = formats,
	.model_size = sizeof(struct mdl_events),
	.init = init,
	.load = load,
	.free = release,
	.rules = evt_rules,
	.nrules = EVT_NRULES,
	.verdict = evt_verdict,
};

int applet_check_events(int argc, char **argv)
{
	return check_main(&check_events_def, argc, argv);
}
