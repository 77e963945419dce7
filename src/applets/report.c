/*
 * report — the qualification report of a case folder: Mesures 2, 3 and
 * 4, the gravity, the 72-hour clock, the containment plan, the drafts
 * for the DPO and the post-incident review, the logbook and the seal.
 * Offline only, never prompts. Logic: report/; this file parses options
 * and glues them.
 */
static const char help_fr[] =
"usage : reflexe report [--case DOSSIER] [--answers FICHIER] [--format text|md|html|json]\n"
"                       [--lang fr|en] [-o FICHIER] [--final] [--no-save] [--questions]\n"
"\n"
"Le rapport de qualification du dossier du cas, hors ligne : les constats\n"
"de chaque contrôle (findings/), les réponses du répondant (answers.ini)\n"
"et la main courante donnent les mesures 2 (périmètre), 3 (impact) et\n"
"4 (urgence), la gravité (anomalie courante, incident mineur, incident\n"
"majeur, crise cyber), l'horloge des 72 heures (CNIL), le plan\n"
"d'endiguement (commandes affichées, jamais exécutées), les projets de\n"
"notification et de revue post-incident, la main courante et le sceau.\n"
"Un contrôle non exécuté est « non évalué » et retient la gravité\n"
"d'« anomalie courante ». « nsp » (je ne sais pas répondre) n'est jamais lu\n"
"comme « non » : la gravité retenue est le plancher, le plafond est dit.\n"
"\n"
"  --answers FICHIER      réponses (défaut : answers.ini du cas) ; une clé\n"
"                         ou une valeur inconnue est une erreur (code 2)\n"
"  --format text|md|html|json\n"
"                         text : la synthèse (60 lignes au plus) ; html :\n"
"                         une page autonome, imprimable en A4\n"
"  -o FICHIER             écrire dans FICHIER plutôt qu'à l'écran\n"
"  --final                rapport définitif (sinon « PROVISOIRE »)\n"
"  --no-save              ne rien écrire dans le cas (ni sceau, ni ligne de\n"
"                         main courante, ni report.html/md/json)\n"
"  --questions            le questionnaire vierge (kit/reponses-modele.ini)\n"
"\n"
"Chaque preuve listée dans manifest.sha256 est vérifiée avant tout : une\n"
"preuve modifiée ou disparue arrête le rapport (code 3) en la nommant.\n"
"Une main courante altérée est signalée en tête du rapport.\n"
"Sauf --no-save, le rapport est scellé dans le cas (report/seal-*.sha256,\n"
"une ligne de main courante) et enregistré en report.html, .md, .json.\n"
"Codes de sortie : 0 anomalie courante, 1 toute autre gravité (indéterminée\n"
"comprise), 2 usage ou réponses invalides, 3 rapport impossible.";

static const char help_en[] =
"usage: reflexe report [--case DIR] [--answers FILE] [--format text|md|html|json]\n"
"                      [--lang fr|en] [-o FILE] [--final] [--no-save] [--questions]\n"
"\n"
"The qualification report of the case folder, offline: the findings of\n"
"every check (findings/), the responder's answers (answers.ini) and the\n"
"logbook give Mesures 2 (scope), 3 (impact) and 4 (urgency), the gravity\n"
"(anomalie courante, incident mineur, incident majeur, crise cyber), the\n"
"72-hour clock (CNIL), the containment plan (commands printed, never\n"
"run), the notification and post-incident review drafts, the logbook and\n"
"the seal. A check not run is \"not evaluated\" and keeps the gravity from\n"
"\"anomalie courante\". \"nsp\" (don't know) is never read as \"no\": the\n"
"gravity retained is the floor, and the ceiling is stated.\n"
"\n"
"  --answers FILE         answers (default: the case's answers.ini); an\n"
"                         unknown key or value is an error (exit 2)\n"
"  --format text|md|html|json\n"
"                         text: the summary (60 lines at most); html: one\n"
"                         self-contained page that prints on A4\n"
"  -o FILE                write to FILE rather than the screen\n"
"  --final                final report (else \"PROVISIONAL\")\n"
"  --no-save              write nothing into the case (no seal, no logbook\n"
"                         line, no report.html/md/json)\n"
"  --questions            the blank questionnaire (kit/reponses-modele.ini)\n"
"\n"
"Every evidence file listed in manifest.sha256 is checked first: one\n"
"altered or gone stops the report (exit 3) with a line naming it.\n"
"An altered logbook is flagged at the top of the report.\n"
"Unless --no-save, the report is sealed in the case (report/seal-*.sha256,\n"
"a logbook line) and saved as report.html, .md, .json.\n"
"Exit: 0 anomalie courante, 1 any other gravity (undetermined included),\n"
"2 usage or invalid answers, 3 no report.";

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applets/applets.h"
#include "report/report.h"

enum { O_ANSWERS = 1, O_OUT, O_FINAL, O_NOSAVE, O_QUESTIONS };

static const struct opt_spec own[] = {
	{ "answers", 0, OPT_ARG, O_ANSWERS },
	{ "output", 'o', OPT_ARG, O_OUT },
	{ "final", 0, OPT_NOARG, O_FINAL },
	{ "no-save", 0, OPT_NOARG, O_NOSAVE },
	{ "questions", 0, OPT_NOARG, O_QUESTIONS },
	{ NULL, 0, 0, 0 },
};

static const struct applet_help help = { { help_fr, help_en } };

struct ctx {
	const char *answers, *out;
	int final, nosave, questions;
};

static int on_opt(void *p, int id, const char *arg)
{
	struct ctx *x = p;
	switch (id) {
	case O_ANSWERS: x->answers = arg; break;
	case O_OUT: x->out = arg; break;
	case O_FINAL: x->final = 1; break;
	case O_NOSAVE: x->nosave = 1; break;
	case O_QUESTIONS: x->questions = 1; break;
	}
	return 0;
}

int report_format(const char *f, enum rep_fmt *out)
{
	static const struct { const char *n; enum rep_fmt f; } fm[] = {
		{ "text", RF_TEXT }, { "md", RF_MD }, { "html", RF_HTML }, { "json", RF_JSON } };
	for (size_t i = 0; i < sizeof fm / sizeof fm[0]; i++)
		if (!strcmp(f, fm[i].n)) {
			*out = fm[i].f;
			return 0;
		}
	return err_set(E_REP_FORMAT, f);
}

int report_emit(const struct buf *b, const char *path)
{
	/* In place: the sandbox allows this file, not its folder. */
	return path ? file_write_over(path, b->p ? b->p : "", b->len) : common_emit(b);
}

int report_run(const char *case_dir, const char *answers, const char *who, enum rep_fmt f,
	       const char *out, int final, int nosave, int quiet)
{
	struct rep r;
	int rc = rep_build(case_dir, answers, tm_now(), &r);
	if (rc) {
		rep_free(&r);
		return rc;
	}
	r.final = final;
	if (!nosave && (rep_seal_save(&r, who) < 0 || rep_save_outputs(&r) < 0)) {
		/* A read-only copy of a case still gets its report, said
		 * unsealed; the responder is told why. */
		if (!quiet)
			fprintf(stderr, "reflexe: %s: %s\n", tr(M_REP_SEAL_FAILED), err_msg());
		err_clear();
		r.seal.seal_rel[0] = 0;
	}
	struct buf b = { 0 };
	rc = rep_render(&r, f, &b) < 0 || report_emit(&b, out) < 0 ? EXIT_FAIL : rep_exit_status(&r);
	buf_free(&b);
	rep_free(&r);
	return rc;
}

/* The sandbox (core/sandbox.c): the case folder (the sealed report goes
 * into it), the answers file read, the -o file, no network. */
static int narrow(const char *case_dir, const struct ctx *x)
{
	struct narrow n = { .case_dir = case_dir, .out = { x->out }, .read = { x->answers } };
	return common_narrow(&n);
}

int applet_report(int argc, char **argv)
{
	struct ctx x = { 0 };
	struct common c;
	int rc = common_parse(argc, argv, own, on_opt, &x, &c, 0, &help);
	if (rc || c.help) {
		common_free(&c);
		return rc;
	}
	enum rep_fmt f;
	char case_dir[4096];
	if (report_format(c.format, &f) < 0) {
		rc = EXIT_USAGE;
	} else if (x.questions) {
		struct buf b = { 0 };
		rc = rep_questions(&b) < 0 || report_emit(&b, x.out) < 0 ? EXIT_FAIL : EXIT_CLEAN;
		buf_free(&b);
	} else if (common_case_dir(&c, 0, case_dir, sizeof case_dir) < 0) {
		rc = EXIT_USAGE;
	} else if (narrow(case_dir, &x) < 0) {
		rc = EXIT_FAIL;
	} else {
		rc = report_run(case_dir, x.answers, c.who, f, x.out, x.final, x.nosave, c.quiet);
	}
	common_free(&c);
	return rc;
}
