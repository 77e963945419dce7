/*
 * check-apps — fiche réflexe, Action 1.d (enterprise applications,
 * service principals, illicit consent grant). Its help, then its
 * declaration: the check runner (check.c) does the rest. Logic:
 * collect/apps.c, model/app_*.c, rules/app_rules.def and rules/app_*.c.
 */
static const char help_fr[] =
"usage : reflexe check-apps [options]\n"
"\n"
"Fiche réflexe, action 1.d : l'incident est-il une compromission\n"
"d'application d'entreprise Microsoft Entra ID, ou un « Illicit Consent\n"
"grant » ?\n"
"\n"
"Examine : applications et principaux de service avec un secret client\n"
"ou un certificat (ajoutés dans la fenêtre, sur une application\n"
"Microsoft), informations d'identification fédérées, permissions sur\n"
"les boîtes aux lettres, les fichiers et l'annuaire, permissions\n"
"accordées dans la fenêtre, propriétaires (ajoutés, d'applications\n"
"sensibles), consentements (AllPrincipals, Read/Write/All, utilisateurs\n"
"à privilèges ou VIP), noms suspects (utilisateur, blancs, imitation de\n"
"Microsoft, outil offensif, application connue pour être détournée),\n"
"éditeurs non vérifiés, adresses de réponse, applications créées dans la\n"
"fenêtre, connexions des principaux de service (licence P1).\n"
"Les applications Microsoft se reconnaissent à leur tenant propriétaire,\n"
"jamais à leur nom.\n"
"\n"
"  --baseline FICHIER     référentiel (kit/baseline-modele.ini) : [apps],\n"
"                         [app-permissions], [app-credentials],\n"
"                         [app-owners], [vip] ; le connu passe en faible\n"
"  --since 30d            fenêtre des journaux (j, h, m, ou une date ISO)\n"
"  --format text|json|md|csv\n"
"                         csv : le fichier des consentements que la fiche\n"
"                         lit colonne par colonne (C ClientDisplayName,\n"
"                         F Permission, G ConsentType), pour Excel\n"
"  --offline              réanalyser le dossier du cas, sans réseau\n"
"  --list-rules           la liste des contrôles (identifiants APP-nnn)\n"
"  --make-baseline F      écrire ou compléter un référentiel d'après le\n"
"                         tenant tel qu'il est (à relire : s'il est\n"
"                         compromis, l'attaquant y figure)\n"
"\n"
"Le texte s'ouvre sur la réponse de la fiche : « Compromission\n"
"d'application d'entreprise Microsoft Entra ID : confirmée | suspectée |\n"
"non détectée | indéterminée », puis la ligne « Consentement illicite ».\n"
"Ce qui n'a pu être lu (licence P1, permission, rôle) est listé « sans\n"
"réponse » avec ce qu'il faudrait. Les commandes de confinement\n"
"(retirer un secret, révoquer un consentement, désactiver une\n"
"application) sont données par « reflexe report », jamais exécutées.\n"
"Chaque preuve est vérifiée contre manifest.sha256 avant d'être lue.\n"
"Codes de sortie : 0 rien d'au moins suspect, 1 constats suspects ou\n"
"confirmés, 2 usage, 3 exécution impossible.";

static const char help_en[] =
"usage: reflexe check-apps [options]\n"
"\n"
"Fiche réflexe, Action 1.d: is the incident a compromise of a Microsoft\n"
"Entra ID enterprise application, or an illicit consent grant?\n"
"\n"
"Examines: applications and service principals with a client secret or\n"
"a certificate (added within the window, on a Microsoft application),\n"
"federated identity credentials, permissions on mailboxes, files and\n"
"the directory, permissions granted within the window, owners (added,\n"
"of sensitive applications), consents (AllPrincipals, Read/Write/All,\n"
"privileged or VIP users), suspicious names (a user's, blanks, imitating\n"
"Microsoft, offensive tools, applications known to be abused),\n"
"unverified publishers, reply addresses, applications created within\n"
"the window, service principal sign-ins (P1 licence).\n"
"Microsoft's applications are told by their owner tenant, never by name.\n"
"\n"
"  --baseline FILE        baseline (kit/baseline-modele.ini): [apps],\n"
"                         [app-permissions], [app-credentials],\n"
"                         [app-owners], [vip]; what it knows drops to low\n"
"  --since 30d            log window (d, h, m, or an ISO date)\n"
"  --format text|json|md|csv\n"
"                         csv: the consent file the fiche reads column by\n"
"                         column (C ClientDisplayName, F Permission,\n"
"                         G ConsentType), for Excel\n"
"  --offline              analyse the case folder again, no network\n"
"  --list-rules           the list of checks (ids APP-nnn)\n"
"  --make-baseline F      write or complete a baseline from the tenant as\n"
"                         it is (review it: if compromised, the attacker\n"
"                         is in it)\n"
"\n"
"The text opens with the fiche's answer: \"Microsoft Entra ID enterprise\n"
"application compromise: confirmed | suspected | not detected |\n"
"undetermined\", then the \"Illicit consent grant\" line. What could not\n"
"be read (P1 licence, permission, role) is listed as unanswered with\n"
"what it needs. Containment commands (remove a secret, revoke a consent,\n"
"disable an application) are given by \"reflexe report\", never run.\n"
"Every evidence file is checked against manifest.sha256 before it is read.\n"
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
