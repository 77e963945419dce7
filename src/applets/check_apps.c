/*
 * check-apps — fiche réflexe, Action 1.d (enterprise applications,
 * service principals, illicit consent grant). Its help, then its
 * declaration: the check runner (check.c) does the rest. Logic:
 * collect/apps.c, model/app_*.c, rules/app_rules.def and rules/app_*.c.
 */
static const char help_fr[] =
"usage : reflexe check-apps [options]\n"
"\n"
"Fiche réflexe, action 1.d : compromission d'application d'entreprise\n"
"Microsoft Entra ID, ou « Illicit Consent grant » ?\n"
"\n"
"Examine : secrets clients et certificats des applications et principaux\n"
"de service (ajoutés dans la fenêtre, sur une application Microsoft),\n"
"informations fédérées, accès aux BAL, fichiers et annuaire, permissions\n"
"accordées, propriétaires, consentements (AllPrincipals, Read/Write/All,\n"
"utilisateurs VIP), applications suspectes ou créées dans la fenêtre,\n"
"connexions des principaux de service (licence P1). Microsoft se reconnaît\n"
"à son tenant propriétaire, jamais au nom.\n"
"\n"
"  --baseline FICHIER     référentiel : [apps], [app-permissions],\n"
"                         [app-credentials], [app-owners], [vip] ;\n"
"                         le connu passe en faible\n"
"  --since 30d            fenêtre des journaux (j, h, m, ou une date ISO)\n"
"  --format text|json|md|csv\n"
"                         csv : le fichier des consentements (colonnes C\n"
"                         ClientDisplayName, F Permission, G ConsentType)\n"
"  --offline              réanalyser le dossier du cas, sans réseau\n"
"  --list-rules           la liste des contrôles (APP-nnn)\n"
"  --make-baseline F      écrire ou compléter un référentiel (à relire)\n"
"\n"
"La sortie ouvre sur la réponse de la fiche et la ligne « Consentement\n"
"illicite » ; ce qui n'a pu être lu est « sans réponse ». Le confinement\n"
"(retirer un secret, révoquer un consentement) est dans le rapport.\n"
"Codes de sortie : 0 rien d'au moins suspect, 1 constats suspects ou\n"
"confirmés, 2 usage, 3 exécution impossible.";

static const char help_en[] =
"usage: reflexe check-apps [options]\n"
"\n"
"Fiche réflexe, Action 1.d: a compromised Microsoft Entra ID enterprise\n"
"application, or an illicit consent grant?\n"
"\n"
"Examines: client secrets and certificates of applications and service\n"
"principals (added within the window, on a Microsoft application),\n"
"federated credentials, access to mailboxes, files and the directory,\n"
"permissions granted, owners, consents (AllPrincipals, Read/Write/All,\n"
"VIP users), suspicious applications or ones created within the window,\n"
"service principal sign-ins (P1 licence). Microsoft is told by its owner\n"
"tenant, never by name.\n"
"\n"
"  --baseline FILE        baseline: [apps], [app-permissions],\n"
"                         [app-credentials], [app-owners], [vip];\n"
"                         what it knows drops to low\n"
"  --since 30d            log window (d, h, m, or an ISO date)\n"
"  --format text|json|md|csv\n"
"                         csv: the consent file (columns C\n"
"                         ClientDisplayName, F Permission, G ConsentType)\n"
"  --offline              analyse the case folder again, no network\n"
"  --list-rules           the list of checks (APP-nnn)\n"
"  --make-baseline F      write or complete a baseline (review it)\n"
"\n"
"The output opens with the fiche's answer and the \"Illicit consent\n"
"grant\" line; what could not be read is unanswered. Containment (remove\n"
"a secret, revoke a consent) is in the report.\n"
"Exit: 0 nothing at or above suspect, 1 suspect or confirmed findings,\n"
"2 usage, 3 could not complete.";

#include "applets/applets.h"
#include "collect/collect.h"
#include "model/model.h"
#include "rules/rules.h"

static const struct applet_help help = { { help_fr, help_en } };
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
