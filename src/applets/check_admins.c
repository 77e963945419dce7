/*
 * check-admins — fiche réflexe, Action 1.a (privileged accounts), the
 * guest part of 1.b and the tenant settings of 2.a. Its help, then its
 * declaration: the check runner (check.c) does the rest. Logic:
 * collect/admins.c (what to fetch), model/adm_*.c (the evidence),
 * rules/adm_rules.def and rules/adm_*.c (the checks).
 */
static const char help_fr[] =
"usage : reflexe check-admins [options]\n"
"\n"
"Fiche réflexe, action 1.a : l'attaquant détient-il des droits\n"
"d'administration, et la victime administre-t-elle encore son tenant ?\n"
"Plus les invités (1.b) et les paramètres de sécurité du tenant (2.a).\n"
"\n"
"Examine : qui détient un rôle à privilèges (actif, éligible, via un\n"
"groupe, applications), au moins deux administrateurs globaux, MFA,\n"
"comptes synchronisés depuis l'AD, invités à privilèges, comptes créés ou\n"
"rôles attribués dans la fenêtre, connexions des administrateurs (pays,\n"
"adresses, rafales d'échecs, protocoles hérités, risque), utilisateurs et\n"
"détections à risque, informations de sécurité modifiées, paramètres des\n"
"invités, domaines fédérés, accès conditionnel, paramètres par défaut.\n"
"\n"
"  --baseline FICHIER     référentiel préparé à froid (kit/baseline-modele.ini) :\n"
"                         administrateurs, comptes d'urgence, applications,\n"
"                         pays et réseaux, domaines des invités\n"
"  --since 30d            fenêtre des journaux (j, h, m, ou une date ISO) ;\n"
"                         Microsoft en garde 7 jours (Entra ID Free) ou 30\n"
"                         (P1/P2) : au-delà, listé « sans réponse »\n"
"  --format text|json|md|csv\n"
"                         csv : tableau des connexions par administrateur\n"
"                         (adresses, pays, réussites, échecs) pour Excel,\n"
"                         trié par compte puis lieu\n"
"  --offline              réanalyser le dossier du cas, sans réseau\n"
"  --list-rules           la liste des contrôles (identifiants ADM-nnn)\n"
"  --make-baseline F      écrire un référentiel d'après le tenant tel qu'il est ;\n"
"                         s'il existe, le compléter (notes gardées, l'ancien\n"
"                         copié en F~)\n"
"                         (à relire : s'il est compromis, l'attaquant y figure)\n"
"\n"
"Le texte s'ouvre sur la réponse de la fiche : « Compromission de compte à\n"
"privilèges Microsoft 365 / Entra ID : confirmée | suspectée | non\n"
"détectée | indéterminée », ses raisons, et s'il reste un administrateur\n"
"global sain. Ce qui n'a pu être lu (licence P1/P2, permission, rôle) est\n"
"listé « sans réponse » avec ce qu'il faudrait : jamais compté comme sain.\n"
"Chaque preuve est vérifiée contre manifest.sha256 avant d'être lue : une\n"
"preuve modifiée, non listée, ou listée mais absente arrête l'analyse\n"
"(code 3) sur une ligne qui la nomme.\n"
"Une ligne résume l'exécution dans la main courante.\n"
"Codes de sortie : 0 rien d'au moins suspect, 1 constats suspects ou\n"
"confirmés, 2 usage, 3 exécution impossible.";

static const char help_en[] =
"usage: reflexe check-admins [options]\n"
"\n"
"Fiche réflexe, Action 1.a: does the attacker hold admin rights, and does\n"
"the victim still administer its own tenant? Plus guests (1.b) and the\n"
"tenant's security settings (2.a).\n"
"\n"
"Examines: who holds a privileged role (active, eligible, through a group,\n"
"applications), at least two global administrators, MFA, accounts synced\n"
"from AD, privileged guests, accounts created or roles granted within the\n"
"window, admin sign-ins (countries, addresses, bursts of failures, legacy\n"
"protocols, risk), risky users and detections, security info changed,\n"
"guest settings, federated domains, conditional access, security defaults.\n"
"\n"
"  --baseline FILE        baseline prepared in peacetime (kit/baseline-modele.ini):\n"
"                         admins, break-glass accounts, applications,\n"
"                         countries and networks, guest domains\n"
"  --since 30d            log window (d, h, m, or an ISO date); Microsoft\n"
"                         keeps 7 days (Entra ID Free) or 30 (P1/P2):\n"
"                         anything older is listed as unanswered\n"
"  --format text|json|md|csv\n"
"                         csv: per-admin sign-in table (addresses, countries,\n"
"                         successes, failures) for Excel, sorted by account\n"
"                         then location\n"
"  --offline              analyse the case folder again, no network\n"
"  --list-rules           the list of checks (ids ADM-nnn)\n"
"  --make-baseline F      write a baseline from the tenant as it is now; if F\n"
"                         exists, add to it (notes kept, the old one copied\n"
"                         to F~)\n"
"                         (review it: if compromised, the attacker is in it)\n"
"\n"
"The text opens with the fiche's answer: \"Microsoft 365 / Entra ID\n"
"privileged account compromise: confirmed | suspected | not detected |\n"
"undetermined\", its reasons, and whether a sound global administrator is\n"
"left. What could not be read (P1/P2 licence, permission, role) is listed\n"
"as unanswered with what it needs: never counted as clean.\n"
"Every evidence file is checked against manifest.sha256 before it is read:\n"
"one altered, not listed, or listed but gone stops the analysis (exit 3)\n"
"with a line naming it.\n"
"One line sums the run up in the logbook (main courante).\n"
"Exit: 0 nothing at or above suspect, 1 suspect or confirmed findings,\n"
"2 usage, 3 could not complete.";

#include <stdio.h>

#include "applets/applets.h"
#include "collect/collect.h"
#include "model/model.h"
#include "rules/rules.h"

static const struct applet_help help = { { help_fr, help_en } };
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
