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
"1.e (fuite d'informations, BEC), en lecture seule par l'API\n"
"d'administration d'Exchange Online (cmdlets Get-* uniquement).\n"
"\n"
"Examine : transferts des BAL, règles de boîte de réception (cachées\n"
"comprises), accès total, envoyer en tant que, envoyer de la part de,\n"
"BAL cachées de la GAL ; expéditeurs autorisés et bloqués, usurpations\n"
"autorisées, adresses IP autorisées, transfert automatique sortant,\n"
"connecteurs, SMTP AUTH ; règles de transport, domaines distants,\n"
"stockage externe OWA, BAL partagées ouvertes à la connexion, audit.\n"
"\n"
"  --mailbox UPN          ne lire que cette BAL (répétable, 256 au plus)\n"
"  --max-mailboxes N      lire N BAL au plus, les plus à risque d'abord :\n"
"                         citées par d'autres constats du cas,\n"
"                         administrateurs, dirigeants du référentiel,\n"
"                         partagées, modifiées récemment\n"
"  --refresh              relire les BAL déjà lues (sinon une exécution\n"
"                         interrompue reprend là où elle s'est arrêtée)\n"
"  --baseline FICHIER     référentiel : dirigeants, délégations, transferts,\n"
"                         règles, flux et autorisations connus\n"
"  --make-baseline F      écrire (ou compléter) un référentiel d'après le\n"
"                         tenant tel qu'il est (à relire)\n"
"  --format text|json|md  --offline  --list-rules (identifiants MAIL-nnn)\n"
"\n"
"Le texte donne trois réponses de la fiche, 1.b, 1.c et 1.e : confirmée |\n"
"suspectée | non détectée | indéterminée, avec leurs raisons. Ce qui n'a\n"
"pu être lu est listé « sans réponse » avec le rôle qu'il faudrait :\n"
"Global Reader ne peut pas lire les règles de boîte de réception ni\n"
"« envoyer en tant que » (rôle Mail Recipients, p. ex. Exchange Recipient\n"
"Administrator). Le rapport des messages transférés automatiquement et\n"
"les réglages Teams (stockage tiers, accès anonymes) se vérifient à la\n"
"main : le chemin de la console est donné.\n"
"Codes de sortie : 0 rien d'au moins suspect, 1 constats, 2 usage,\n"
"3 exécution impossible.";

static const char help_en[] =
"usage: reflexe check-mail [options]\n"
"\n"
"Fiche réflexe, Actions 1.b (mailboxes), 1.c (relay of unwanted content)\n"
"and 1.e (information leak, BEC), read-only through the Exchange Online\n"
"admin API (Get-* cmdlets only).\n"
"\n"
"Examines: mailbox forwarding, inbox rules (hidden ones included), full\n"
"access, send as, send on behalf, mailboxes hidden from the GAL; allowed\n"
"and blocked senders, spoofing allowances, allowed IPs, outbound\n"
"automatic forwarding, connectors, SMTP AUTH; transport rules, remote\n"
"domains, OWA external storage, shared mailboxes open to sign-in, auditing.\n"
"\n"
"  --mailbox UPN          read this mailbox only (repeatable, 256 at most)\n"
"  --max-mailboxes N      read at most N mailboxes, the riskiest first:\n"
"                         named by other findings of the case, admins,\n"
"                         the baseline's executives, shared, recently\n"
"                         changed\n"
"  --refresh              read again the mailboxes already read (else an\n"
"                         interrupted run resumes where it stopped)\n"
"  --baseline FILE        baseline: known executives, delegations,\n"
"                         forwarding, rules, mail flow and allowances\n"
"  --make-baseline F      write (or add to) a baseline from the tenant as\n"
"                         it is now (review it)\n"
"  --format text|json|md  --offline  --list-rules (ids MAIL-nnn)\n"
"\n"
"The text gives the fiche's three answers, 1.b, 1.c and 1.e: confirmed |\n"
"suspected | not detected | undetermined, with their reasons. What could\n"
"not be read is listed as unanswered with the role it needs: Global\n"
"Reader cannot read inbox rules nor \"send as\" (Mail Recipients role,\n"
"e.g. Exchange Recipient Administrator). The auto-forwarded messages\n"
"report and the Teams settings (third-party storage, anonymous access)\n"
"are checked by hand: the console path is given.\n"
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
