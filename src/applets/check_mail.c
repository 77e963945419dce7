/*
 * check-mail — fiche réflexe, Actions 1.b (the mailboxes), 1.c (relay of
 * unwanted content) and 1.e (information leak, BEC): one answer each.
 * Its help, its options, then its declaration: the check runner
 * (check.c) does the rest. Logic: collect/mail.c (what to fetch),
 * model/mail.c (the evidence), rules/mail_rules.def and rules/mail*.c.
 */
#include <stdlib.h>

#include "applets/applets.h"
#include "collect/collect.h"
#include "model/model.h"
#include "rules/rules.h"

static const struct applet_help help = { M_HELP_CHECK_MAIL };
static const char *const formats[] = { "text", "json", "md", NULL };

enum { O_MAILBOX = 1, O_MAX, O_REFRESH };
static const struct opt_spec opts[] = {
	{ "mailbox", 0, OPT_ARG, O_MAILBOX },
	{ "max-mailboxes", 0, OPT_ARG, O_MAX },
	{ "refresh", 0, OPT_NOARG, O_REFRESH },
	{ NULL, 0, 0, 0 },
};

static int on_opt(void *p, int id, const char *arg)
{
	struct collect_mail_opts *o = p;
	char *end;
	if (id == O_REFRESH)
		o->refresh = 1;
	else if (id == O_MAILBOX && o->nmailbox < COLLECT_MAX_MAILBOX)
		o->mailbox[o->nmailbox++] = arg;
	else if (id == O_MAILBOX)
		return err_set(E_MAIL_OPT, "--mailbox", arg);
	else if ((o->max = strtol(arg, &end, 10)) < 1 || *end)
		return err_set(E_MAIL_OPT, "--max-mailboxes", arg);
	return 0;
}

static void init(void *m) { mdl_mail_init(m); }
static void release(void *m) { mdl_mail_free(m); }

static int load(struct case_dir *cs, const struct check_run *r, void *m)
{
	return mdl_mail_load(cs, &r->c->window, m);
}

const struct check_def check_mail_def = {
	.name = "check-mail",
	.fiche = "1.b 1.c 1.e",
	.help = &help,
	.opts = opts,
	.on_opt = on_opt,
	.own_size = sizeof(struct collect_mail_opts),
	.formats = formats,
	.model_size = sizeof(struct mdl_mail),
	.init = init,
	.collect = collect_mail,
	.load = load,
	.free = release,
	.rules = mail_rules,
	.nrules = MAIL_NRULES,
	.verdict = mail_verdict,
	.make_baseline = mail_make_baseline,
};

int applet_check_mail(int argc, char **argv)
{
	return check_main(&check_mail_def, argc, argv);
}
