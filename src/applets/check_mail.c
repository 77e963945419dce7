/*
 * check-mail — fiche réflexe, Actions 1.b (the mailboxes), 1.c (relay of
 * unwanted content) and 1.e (information leak, BEC): one answer each.
 * Its help, its options, then its declaration: the check runner
 * (check.c) does the rest. Logic: collect/mail.c (what to fetch),
 * model/mail.c (the evidence), rules/mail_rules.def and rules/mail*.c.
 */
static const char help_fr[] =
"usage : reflexe check-mail [options]\n"
"\n"
"Fiche réflexe, actions 1.b (BAL), 1.c (relai de contenu indésirable) et\n"
"1.e (fuite d'informations, BEC), en lecture seule (API d'administration\n"
"d'Exchange Online, cmdlets Get-* ; Graph). Une réponse par action :\n"
"confirmée | suspectée | non détectée | indéterminée, avec ses raisons.\n"
"\n"
"  --mailbox UPN          ne lire que cette BAL (répétable, 256 au plus)\n"
"  --max-mailboxes N      N BAL au plus, les plus à risque d'abord\n"
"  --refresh              relire les BAL déjà lues (sinon, reprise)\n"
"  --baseline FICHIER     dirigeants, délégations, règles, flux connus\n"
"  --make-baseline F      écrire ou compléter un référentiel (à relire)\n"
"  --format text|json|md  --offline  --list-rules (MAIL-nnn)\n"
"\n"
"Ce qui n'a pu être lu est « sans réponse », avec le rôle qu'il faudrait\n"
"(Global Reader ne lit ni règles de boîte ni SendAs : rôle Mail Recipients).\n"
"Codes de sortie : 0 rien d'au moins suspect, 1 constats, 2 usage,\n"
"3 exécution impossible.";

static const char help_en[] =
"usage: reflexe check-mail [options]\n"
"\n"
"Fiche réflexe, Actions 1.b (mailboxes), 1.c (relay of unwanted content)\n"
"and 1.e (information leak, BEC), read-only (Exchange Online admin API,\n"
"Get-* cmdlets; Graph). One answer per action: confirmed | suspected |\n"
"not detected | undetermined, with its reasons.\n"
"\n"
"  --mailbox UPN          read this mailbox only (repeatable, 256 at most)\n"
"  --max-mailboxes N      N mailboxes at most, the riskiest first\n"
"  --refresh              read again the mailboxes already read (else resume)\n"
"  --baseline FILE        known executives, delegations, rules, mail flow\n"
"  --make-baseline F      write or add to a baseline (review it)\n"
"  --format text|json|md  --offline  --list-rules (MAIL-nnn)\n"
"\n"
"What could not be read is unanswered, with the role it needs (Global\n"
"Reader reads neither inbox rules nor SendAs: Mail Recipients role).\n"
"Exit: 0 nothing at or above suspect, 1 findings, 2 usage, 3 could not\n"
"complete.";

#include <stdlib.h>

#include "applets/applets.h"
#include "collect/collect.h"
#include "model/model.h"
#include "rules/rules.h"

static const struct applet_help help = { { help_fr, help_en } };
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
