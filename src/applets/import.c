/*
 * import — the exports a customer sends when no live access is possible
 * (unified audit log, Entra sign-in and audit logs), stored in the case
 * as evidence and normalised for the event rules. Reading the formats:
 * export/; writing into the case: collect/import.c. This file parses
 * options and reports.
 */
static const char help_fr[] =
"usage : reflexe import FICHIER… [--case DOSSIER] [--tz FUSEAU]\n"
"\n"
"Quand aucun accès au tenant n'est possible, l'administrateur du client\n"
"exporte ses journaux et les envoie : import les range dans le dossier du\n"
"cas comme preuves, puis check-events les analyse hors ligne.\n"
"\n"
"Lit : journal d'audit unifié (CSV Purview, en-tête actuel RecordId,…\n"
"ou ancien CreationDate,UserIds,Operations,AuditData ; Search-Unified-\n"
"AuditLog en CSV ou JSON ; objets AuditData en JSON), journaux de\n"
"connexion et d'audit Entra (CSV et JSON du portail, JSON Graph, CSV et\n"
"JSON Log Analytics : OfficeActivity, SigninLogs, AuditLogs ; JSON\n"
"Azure Monitor), CloudAppEvents de Defender. UTF-8 avec ou sans BOM,\n"
"CRLF, champs sur plusieurs lignes ; dates ISO, américaines\n"
"(9/20/2023 4:05:03 AM) ou françaises (20/09/2023 16:05:03). Taille\n"
"quelconque : le fichier est lu en flux (mémoire bornée à moins de 64 Mo).\n"
"\n"
"  --case DOSSIER   dossier du cas (existant, ou créé)\n"
"  --tz FUSEAU      fuseau des dates d'un export qui n'en indique aucun :\n"
"                   UTC, +01:00, Europe/Paris, ou une règle POSIX\n"
"                   (CET-1CEST,M3.5.0,M10.5.0/3) ; sans lui, un tel export\n"
"                   est refusé plutôt que lu avec un décalage inconnu\n"
"  --tenant ID      nomme un nouveau dossier de cas (case-<tenant>-<date>)\n"
"\n"
"Chaque fichier est rangé tel quel sous imports/<sha256>/original/, avec\n"
"sa forme normalisée (events.jsonl : heure UTC, auteur, adresse,\n"
"opération, cible, paramètres, ligne d'origine) et sa fiche (import.json :\n"
"format reconnu, lignes, période, origine des heures), tous listés dans\n"
"manifest.sha256. Tout ou rien : un format inconnu (l'en-tête lu est\n"
"cité), une ligne invalide (son numéro est donné) ou une date sans fuseau\n"
"sans --tz, et rien du fichier n'est gardé. Un fichier déjà importé (même\n"
"empreinte) n'est pas compté deux fois.\n"
"Une ligne résume l'import dans la main courante.\n"
"Codes de sortie : 0 tout importé (ou déjà présent), 2 usage (dont --tz\n"
"manquant), 3 un fichier au moins refusé.";

static const char help_en[] =
"usage: reflexe import FILE… [--case DIR] [--tz ZONE]\n"
"\n"
"When no access to the tenant is possible, the customer's administrator\n"
"exports the logs and sends them: import stores them in the case folder\n"
"as evidence, and check-events analyses them offline.\n"
"\n"
"Reads: the unified audit log (Purview CSV, current header RecordId,… or\n"
"older CreationDate,UserIds,Operations,AuditData; Search-UnifiedAuditLog\n"
"as CSV or JSON; AuditData objects as JSON), Entra sign-in and audit logs\n"
"(portal CSV and JSON, Graph JSON, Log Analytics CSV and JSON:\n"
"OfficeActivity, SigninLogs, AuditLogs; Azure Monitor JSON), Defender\n"
"CloudAppEvents. UTF-8 with or without BOM, CRLF, fields over several\n"
"lines; ISO, US (9/20/2023 4:05:03 AM) or French (20/09/2023 16:05:03)\n"
"dates. Any size: the file is streamed (memory stays under 64 MB).\n"
"\n"
"  --case DIR       case folder (existing, or made)\n"
"  --tz ZONE        zone of the dates of an export that states none: UTC,\n"
"                   +01:00, Europe/Paris, or a POSIX rule\n"
"                   (CET-1CEST,M3.5.0,M10.5.0/3); without it such an\n"
"                   export is refused rather than read at an unknown offset\n"
"  --tenant ID      names a new case folder (case-<tenant>-<date>)\n"
"\n"
"Each file is stored as is under imports/<sha256>/original/, with its\n"
"normalised form (events.jsonl: UTC time, actor, address, operation,\n"
"target, parameters, line of origin) and its record (import.json: layout\n"
"recognised, rows, time span, where the times' zone came from), all listed\n"
"in manifest.sha256. All or nothing: an unknown layout (the header seen is\n"
"quoted), a malformed row (its line is given) or a date without zone and\n"
"no --tz, and nothing of the file is kept. A file already imported (same\n"
"hash) is not counted twice.\n"
"One line sums the import up in the logbook (main courante).\n"
"Exit: 0 all imported (or already there), 2 usage (including a missing\n"
"--tz), 3 at least one file refused.";

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applets/applets.h"
#include "case/case.h"
#include "collect/collect.h"
#include "courante/courante.h"

enum { O_TZ = 1 };

static const struct opt_spec own[] = {
	{ "tz", 0, OPT_ARG, O_TZ },
	{ NULL, 0, 0, 0 },
};

static const struct applet_help help = { { help_fr, help_en } };

struct ctx {
	const char *tz;
};

static int on_opt(void *p, int id, const char *arg)
{
	struct ctx *x = p;
	if (id == O_TZ)
		x->tz = arg;
	return 0;
}

static void span(const struct exp_stats *st, struct buf *b)
{
	char a[32], z[32];
	if (st->first == EXP_NO_TIME)
		return;
	tm_utc_iso(st->first, a, sizeof a);
	tm_utc_iso(st->last, z, sizeof z);
	buf_trf(b, M_IMP_SPAN, a, z);
}

/* How the file's times became UTC, in words. */
static void zone_words(const struct exp_stats *st, struct buf *b)
{
	if (st->tz_basis & EXP_TZ_GIVEN)
		buf_trf(b, M_IMP_TZ_GIVEN, st->tz_name);
	else if (st->tz_basis)
		buf_puts(b, tr(M_IMP_TZ_STATED));
	if (st->no_time)
		buf_trf(b, M_IMP_NO_TIME, (unsigned long long)st->no_time);
	if (st->encoding[0])
		buf_puts(b, tr(M_IMP_CP1252));
}

/* The sandbox (core/sandbox.c) before a byte of a customer's file is
 * read: the case folder written, the files named read (their folders when
 * more than the sandbox's slots), nothing else, no network. */
static int narrow(const char *case_dir, const struct common *c)
{
	enum { N = sizeof ((struct narrow *)0)->read / sizeof (const char *) };
	struct narrow n = { .case_dir = case_dir };
	char dirs[N][4096];
	size_t k = 0;
	int fits = c->npos <= (int)N;
	for (int i = 0; i < c->npos; i++) {
		if (fits) {
			n.read[k++] = c->pos[i];
			continue;
		}
		const char *slash = strrchr(c->pos[i], '/');
		char d[4096];
		snprintf(d, sizeof d, "%.*s", slash ? (int)(slash - c->pos[i] + (slash == c->pos[i])) : 1,
			 slash ? c->pos[i] : ".");
		size_t j = 0;
		while (j < k && strcmp(dirs[j], d))
			j++;
		if (j < k)
			continue;
		if (k == N) {
			/* files from more folders than slots: said, not narrowed */
			fputs("reflexe: ", stderr);
			tr_fprintf(stderr, M_SBX_NOT, tr(M_IMP_SBX_FOLDERS));
			fputc('\n', stderr);
			return 0;
		}
		memcpy(dirs[k], d, sizeof d);
		n.read[k] = dirs[k];
		k++;
	}
	return common_narrow(&n);
}

int applet_import(int argc, char **argv)
{
	struct ctx x = { 0 };
	struct common c;
	int rc = common_parse(argc, argv, own, on_opt, &x, &c, -1, &help);
	if (rc || c.help) {
		common_free(&c);
		return rc ? rc : EXIT_CLEAN;
	}
	if (c.npos < 1) {
		common_free(&c);
		err_set(E_IMP_ARGS);
		return EXIT_USAGE;
	}
	struct tm_zone tz;
	char case_dir[4096];
	if (x.tz && tm_zone_parse(x.tz, &tz) < 0) {
		common_free(&c);
		return EXIT_USAGE;
	}
	/* --case, REFLEXE_CASE, the only ./case-* here, else a new one named
	 * after --tenant or AZURE_TENANT_ID */
	if (common_case_dir(&c, 1, case_dir, sizeof case_dir) < 0) {
		err_clear();
		common_free(&c);
		err_set(E_IMP_NO_CASE);
		return EXIT_USAGE;
	}
	char who[256];
	const char *responder = c.who;
	if (!responder && cour_who_known(case_dir, who, sizeof who) == 0)
		responder = who;
	err_clear();
	struct case_dir *cs;
	if (case_open(&cs, case_dir, c.tenant, responder, 0) < 0) {
		common_free(&c);
		return EXIT_FAIL;
	}
	if (narrow(case_dir, &c) < 0) {
		case_close(cs);
		common_free(&c);
		return EXIT_FAIL;
	}
	struct collect_import_opts o = { x.tz ? &tz : NULL, responder };
	size_t nok = 0, ndup = 0, nbad = 0, ntz = 0, nevents = 0;
	struct buf line = { 0 }, names = { 0 };
	for (int i = 0; i < c.npos; i++) {
		const char *file = c.pos[i];
		struct collect_import_result res;
		buf_reset(&line);
		if (collect_import(cs, file, &o, &res) < 0) {
			nbad++;
			ntz += err_id() == E_EXP_NEED_TZ;
			fprintf(stderr, "reflexe: import: ");
			tr_fprintf(stderr, M_IMP_FAILED, file, err_msg());
			fputc('\n', stderr);
			err_clear();
			continue;
		}
		if (res.duplicate) {
			ndup++;
			if (!c.quiet) {
				buf_trf(&line, M_IMP_DUP, file, res.folder);
				buf_puts(&line, "\n");
			}
		} else {
			nok++;
			nevents += res.st.events;
			buf_printf(&names, "%s%s", names.len ? ", " : "", strrchr(file, '/') ? strrchr(file, '/') + 1 : file);
			if (!c.quiet) {
				buf_trf(&line, M_IMP_DONE, file, exp_layout_name(res.st.layout),
					(unsigned long long)res.st.rows, (unsigned long long)res.st.events);
				span(&res.st, &line);
				zone_words(&res.st, &line);
				buf_printf(&line, "\n  -> %s/\n", res.folder);
			}
		}
		if (line.len && common_emit(&line) < 0) {
			nbad++;
			break;
		}
	}
	if (case_close(cs) < 0) {
		fprintf(stderr, "reflexe: %s\n", err_msg());
		err_clear();
		nbad++;
	}
	buf_reset(&line);
	buf_trf(&line, M_IMP_LOG, nok, nevents, ndup, nbad, names.len ? names.p : "-");
	c.who = responder;
	common_log(case_dir, &c, "import", line.p, NULL, 0);
	buf_free(&line);
	buf_free(&names);
	common_free(&c);
	if (nbad)
		return ntz == nbad ? EXIT_USAGE : EXIT_FAIL;
	return EXIT_CLEAN;
}
