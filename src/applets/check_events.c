/*
 * check-events — the fiche's Mesure 1 from the exports a customer sent
 * (reflexe import): the same engine, findings document and logbook line
 * as the live checks, over the events imported into the case. No network:
 * it reads only what the case holds. Logic: model/events.c (reading the
 * imports), rules/evt*.c (the checks), rules/bec.c (inbox rules).
 */
static const char help_fr[] =
"usage : reflexe check-events [--case DOSSIER] [--format text|json|md]\n"
"\n"
"Fiche réflexe, mesure 1, d'après les journaux exportés par le client\n"
"et rangés dans le cas par reflexe import, quand aucun accès au tenant\n"
"n'est possible : les mêmes questions que les contrôles en direct,\n"
"posées aux événements.\n"
"\n"
"Examine : règles de boîte de réception créées ou modifiées (mêmes\n"
"critères BEC que check-mail), transferts posés sur les BAL, délégations\n"
"de BAL, journalisation des BAL et journal d'audit unifié désactivés,\n"
"rôles attribués, MFA désactivée ou méthodes modifiées, consentements,\n"
"secrets et propriétaires ajoutés aux applications, connexions\n"
"(pulvérisation de mots de passe, échecs suivis d'un succès, pays\n"
"nouveaux, adresses anonymisantes, protocoles hérités).\n"
"\n"
"  --format text|json|md  json : le document findings/check-events.json\n"
"  --list-rules           la liste des contrôles (identifiants EVT-nnn)\n"
"\n"
"Le texte s'ouvre sur la réponse : compromission confirmée, suspectée,\n"
"non détectée ou indéterminée d'après les exports. Chaque export importé\n"
"est listé (EVT-001) avec sa période et l'origine du fuseau de ses heures\n"
"— dont celles lues avec --tz faute d'indication dans l'export. Ce qu'aucun\n"
"export ne couvre (par ex. pas de journal d'audit unifié) est listé sans\n"
"réponse, jamais compté comme sain. Chaque fichier est vérifié contre\n"
"manifest.sha256 avant d'être analysé ; les constats sont gardés dans le\n"
"cas (findings/check-events.json) et une ligne résume l'exécution dans la\n"
"main courante.\n"
"Codes de sortie : 0 rien d'au moins suspect, 1 constats suspects ou\n"
"confirmés, 2 usage, 3 exécution impossible (aucun export, preuve altérée).";

static const char help_en[] =
"usage: reflexe check-events [--case DIR] [--format text|json|md]\n"
"\n"
"Fiche réflexe, Measure 1, from the logs the customer exported and\n"
"reflexe import stored in the case, when no access to the tenant is\n"
"possible: the live checks' questions, asked of the events.\n"
"\n"
"Examines: inbox rules created or changed (check-mail's BEC criteria),\n"
"forwarding set on mailboxes, mailbox delegations, mailbox auditing and\n"
"the unified audit log turned off, roles granted, MFA turned off or\n"
"methods changed, consents, credentials and owners added to\n"
"applications, sign-ins (password spraying, failures followed by a\n"
"success, new countries, anonymising addresses, legacy protocols).\n"
"\n"
"  --format text|json|md  json: the findings/check-events.json document\n"
"  --list-rules           the list of checks (ids EVT-nnn)\n"
"\n"
"The text opens with the answer: compromise confirmed, suspected, not\n"
"detected or undetermined according to the exports. Each export imported\n"
"is listed (EVT-001) with its period and where its times' zone came from\n"
"— including those read with --tz because the export stated none. What no\n"
"export covers (e.g. no unified audit log) is listed as unanswered, never\n"
"counted as clean. Every file is checked against manifest.sha256 before it\n"
"is analysed; the findings are kept in the case\n"
"(findings/check-events.json) and one line sums the run up in the logbook.\n"
"Exit: 0 nothing at or above suspect, 1 suspect or confirmed findings,\n"
"2 usage, 3 could not complete (no export, altered evidence).";

#include "applets/applets.h"
#include "model/model.h"
#include "rules/rules.h"

static const struct applet_help help = { { help_fr, help_en } };
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
