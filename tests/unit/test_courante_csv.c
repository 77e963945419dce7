/* CSV import (what spreadsheets produce) and the export → import round
 * trip, including quotes, ';', line breaks, accents and emoji. */
#include <stdlib.h>
#include <time.h>

#include "courante/courante.h"
#include "t.h"

static int imp(const char *csv, const char *who, struct cour_import *im, struct buf *errs)
{
	buf_reset(errs);
	return cour_csv_import(csv, strlen(csv), who, im, errs);
}

static void excel_fr(void)
{
	/* French Excel "CSV UTF-8": BOM, ';', CRLF, quotes doubled, a line
	 * break inside a cell, a formula-guarded cell, a French date */
	const char *csv =
		"\xEF\xBB\xBF" "Date;Heure;Qui;Quoi;Cibles;Statut;Source\r\n"
		"22/11/2026;09:40;Alice;\"Compte \"\"admin\"\" désactivé ; MFA réinitialisée\";"
		"\"alice@contoso.fr, PC-042\";fait;EDR\r\n"
		"2026-11-22;9:05;Bob;\"Appel du RSSI\r\nà rappeler 😀\";;à faire;\r\n"
		"\r\n"
		";;;;;;\r\n"
		"2026-11-22;10:00;;'=SOMME(A1);;;'+33 1 23\r\n";
	struct cour_import im;
	struct buf errs = { 0 };
	CHECK_INT(imp(csv, "Zoé", &im, &errs), 0);
	if (errs.len)
		printf("  %s", errs.p);
	CHECK_INT(im.n, 3);
	CHECK_INT(im.rows, 3);
	if (im.n == 3) {
		CHECK_STR(im.e[0].who, "Alice");
		CHECK_STR(im.e[0].what, "Compte \"admin\" désactivé ; MFA réinitialisée");
		CHECK_INT(im.e[0].ntargets, 2);
		if (im.e[0].ntargets == 2) {
			CHECK_STR(im.e[0].targets[0], "alice@contoso.fr");
			CHECK_STR(im.e[0].targets[1], "PC-042");
		}
		CHECK_INT(im.e[0].status, COUR_ST_DONE);
		CHECK_STR(im.e[0].source, "EDR");
		CHECK_INT(im.e[0].kind, COUR_IMPORT);
		/* CET in November: 09:40 local = 08:40Z */
		CHECK_INT(im.e[0].event, 1795336800);
		CHECK_INT(im.e[0].offset_min, 60);
		CHECK_STR(im.e[1].what, "Appel du RSSI\nà rappeler 😀");
		CHECK_INT(im.e[1].status, COUR_ST_TODO);
		CHECK(im.e[1].source == NULL);
		CHECK_INT(im.e[1].event, 1795334700);   /* 09:05 CET */
		CHECK_STR(im.e[2].who, "Zoé");           /* default who */
		CHECK_STR(im.e[2].what, "=SOMME(A1)");   /* guard removed */
		CHECK_STR(im.e[2].source, "+33 1 23");
	}
	cour_import_free(&im);
	buf_free(&errs);
}

static void english_commas_lf(void)
{
	const char *csv =
		"when,who,what,targets,status\n"
		"x,a,b,,\n";     /* "when" is not a known column: ignored */
	struct cour_import im;
	struct buf errs = { 0 };
	CHECK_INT(imp(csv, NULL, &im, &errs), 0);
	CHECK_INT(im.n, 1);
	cour_import_free(&im);
	const char *csv2 =
		"Date,Time,Who,What,Targets,Status,Source\n"
		"2026-11-22,08:40:00,Alice,\"one, two\",\"a;b\nc\",doing,\"x \"\"y\"\"\"\n"
		"2026-11-22 09:00 +00:00,,Bob,plain,,done,\n";
	CHECK_INT(imp(csv2, NULL, &im, &errs), 0);
	if (errs.len)
		printf("  %s", errs.p);
	CHECK_INT(im.n, 2);
	if (im.n == 2) {
		CHECK_STR(im.e[0].what, "one, two");
		CHECK_INT(im.e[0].ntargets, 3);
		CHECK_STR(im.e[0].source, "x \"y\"");
		CHECK_INT(im.e[0].status, COUR_ST_DOING);
		CHECK_INT(im.e[1].event, 1795338000);
		CHECK_INT(im.e[1].offset_min, 0);
	}
	cour_import_free(&im);
	buf_free(&errs);
}

/* The offset column as the export writes it ("UTC+01:00") and as people
 * do ("+01:00", "UTC"). */
static void offsets(void)
{
	const char *csv =
		"date;heure;décalage;qui;quoi\n"
		"2026-11-22;09:40;UTC+01:00;A;a\n"
		"2026-11-22;09:40;utc-05:30;A;b\n"
		"2026-11-22;09:40;UTC;A;c\n"
		"2026-11-22;09:40;+02:00;A;d\n";
	struct cour_import im;
	struct buf errs = { 0 };
	CHECK_INT(imp(csv, NULL, &im, &errs), 0);
	if (errs.len)
		printf("  %s", errs.p);
	CHECK_INT(im.n, 4);
	if (im.n == 4) {
		CHECK_INT(im.e[0].offset_min, 60);
		CHECK_INT(im.e[0].event, 1795336800);
		CHECK_INT(im.e[1].offset_min, -330);
		CHECK_INT(im.e[2].offset_min, 0);
		CHECK_INT(im.e[2].event, 1795340400);
		CHECK_INT(im.e[3].offset_min, 120);
	}
	cour_import_free(&im);
	buf_free(&errs);
}

/* Dates and times as people write them: 2/11/2026, 9h40, 9h; and the
 * empty cells Excel adds past the header. */
static void paper_dates(void)
{
	const char *csv =
		"date;heure;qui;quoi\n"
		"2/11/2026;9h40;A;a;;\n"
		"22/1/2026;09H05;A;b\n"
		"22/11/2026;9h;A;c\n"
		"22/11/2026 10h15;;A;d\n";
	struct cour_import im;
	struct buf errs = { 0 };
	CHECK_INT(imp(csv, NULL, &im, &errs), 0);
	if (errs.len)
		printf("  %s", errs.p);
	CHECK_INT(im.n, 4);
	if (im.n == 4) {
		CHECK_INT(im.e[0].event, 1793608800);     /* 2026-11-02 08:40Z (CET) */
		CHECK_INT(im.e[1].event, 1769069100);     /* 2026-01-22 08:05Z */
		CHECK_INT(im.e[2].event, 1795334400);     /* 2026-11-22 08:00Z */
		CHECK_INT(im.e[3].event, 1795338900);     /* 2026-11-22 09:15Z */
	}
	cour_import_free(&im);
	/* still refused: a bad day, a non-empty cell past the header, a time
	 * with text after it, two-digit years */
	const char *bad =
		"date;heure;qui;quoi\n"
		"32/11/2026;9h40;A;a\n"
		"22/11/2026;9h40;A;b;extra\n"
		"22/11/2026;9h40 puis 10h;A;c\n"
		"22/11/26;9h40;A;d\n"
		"22/11/2026;h40;A;e\n";
	CHECK_INT(imp(bad, NULL, &im, &errs), -1);
	for (int l = 2; l <= 6; l++) {
		char w[32];
		snprintf(w, sizeof w, "line %d:", l);
		if (!strstr(errs.p ? errs.p : "", w)) {
			printf("  missing '%s' in:\n%s", w, errs.p ? errs.p : "");
			t_failed_now = 1;
		}
	}
	buf_free(&errs);
}

/* Windows-1252 (French Excel's plain CSV) is converted to UTF-8. */
static void windows_1252(void)
{
	const char *csv = "Qui;Quoi\r\nJos\xE9;Co\xFBt \x80 \x9C" "uvre \x85\r\n";
	struct cour_import im;
	struct buf errs = { 0 };
	CHECK_INT(imp(csv, NULL, &im, &errs), 0);
	CHECK_INT(im.n, 1);
	if (im.n == 1) {
		CHECK_STR(im.e[0].who, "José");
		CHECK_STR(im.e[0].what, "Coût € œuvre …");
	}
	cour_import_free(&im);
	buf_free(&errs);
}

/* Bad rows: all reported with their line numbers; nothing returned. */
static void malformed(void)
{
	struct cour_import im;
	struct buf errs = { 0 };
	const char *csv =
		"date;heure;qui;quoi;statut\n"          /* 1 */
		"2026-11-22;09:00;A;ok;\n"               /* 2 fine */
		"2026-02-30;09:00;A;bad date;\n"         /* 3 */
		"2026-11-22;25:00;A;bad hour;\n"         /* 4 */
		"2026-11-22;09:00;A;;\n"                 /* 5 empty what */
		"2026-11-22;09:00;A;x;peut-être\n"       /* 6 bad status */
		"2026-11-22;09:00;A;x;;extra\n"          /* 7 too many cells */
		"2026-11-22;09:00;A;\"x\"y;\n"           /* 8 text after quote */
		"2026-11-22;09:00;;no who;\n"            /* 9 no who, no default */
		"2026-11-22;09:00;A;\"multi\nline ok\";\n" /* 10-11 fine */
		"2026-11-22;09:00;A;\"never closed\n"    /* 12 */
		"more\n";
	CHECK_INT(imp(csv, NULL, &im, &errs), -1);
	CHECK_INT(err_id(), E_COUR_CSV);
	CHECK_INT(im.n, 0);
	CHECK(im.e == NULL);
	const char *want[] = { "line 3:", "line 4:", "line 5:", "line 6:", "line 7:", "line 8:",
			       "line 9:", "line 12:" };
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!strstr(errs.p ? errs.p : "", want[i])) {
			printf("  missing '%s' in:\n%s", want[i], errs.p ? errs.p : "");
			t_failed_now = 1;
		}
	CHECK(strstr(errs.p, "line 2:") == NULL);
	CHECK(strstr(errs.p, "line 10:") == NULL);
	CHECK(strstr(errs.p, "2026-02-30") != NULL);
	CHECK(strstr(errs.p, "peut-être") != NULL);
	/* French messages */
	i18n_init("fr");
	CHECK_INT(imp(csv, NULL, &im, &errs), -1);
	CHECK(strstr(errs.p, "ligne 3 :") != NULL);
	CHECK(strstr(errs.p, "guillemet non refermé") != NULL);
	i18n_init("en");
	/* no "what" column, empty file, NUL byte */
	CHECK_INT(imp("date;qui\n2026-11-22;A\n", NULL, &im, &errs), -1);
	CHECK_INT(err_id(), E_COUR_CSV_NO_WHAT);
	CHECK_INT(imp("", NULL, &im, &errs), -1);
	CHECK_INT(err_id(), E_COUR_CSV_EMPTY);
	CHECK_INT(cour_csv_import("quoi\nab\0c\n", 10, "A", &im, &errs), -1);
	CHECK(strstr(errs.p ? errs.p : "", "line 2: NUL byte") != NULL);
	/* says UTF-8 (BOM), is not: refused at that line, not turned into U+FFFD */
	const char *lat = "\xEF\xBB\xBFquoi\nbon\nJos\xE9\n";
	buf_reset(&errs);
	CHECK_INT(cour_csv_import(lat, strlen(lat), "A", &im, &errs), -1);
	CHECK(strstr(errs.p ? errs.p : "", "line 3: the file says UTF-8") != NULL);
	CHECK_INT(im.n, 0);
	buf_free(&errs);
}

/* export (CSV) -> import gives back who, what, targets, status, source
 * and the event instant with its offset. */
static void round_trip(void)
{
	char dir[300];
	snprintf(dir, sizeof dir, "%s/reflexe-test-csv-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir)) {
		t_failed_now = 1;
		return;
	}
	char *t1[] = { "alice@contoso.fr", "PC-042" };
	char *t2[] = { "a;b", "\"quoted\"" };
	struct cour_entry in[] = {
		{ .kind = COUR_NOTE, .who = "Zoé « la RSSI »", .what = "Texte ; avec \"guillemets\",\nsauts de ligne\r\net emoji 🚨😀",
		  .targets = t1, .ntargets = 2, .status = COUR_ST_TODO, .source = "alerte EDR ; SOC",
		  .event = 1795336800, .offset_min = 60, .recorded = 1795340000 },
		{ .kind = COUR_NOTE, .who = "Bob", .what = "-1 point négatif, =pas une formule, @mention",
		  .targets = t2, .ntargets = 2, .status = COUR_ST_DONE,
		  .event = 1795300000, .offset_min = -330, .recorded = 1795340000 },
		{ .kind = COUR_NOTE, .who = "Ève", .what = "simple", .event = 1795200000, .offset_min = 0,
		  .recorded = 1795340000 },
	};
	CHECK_INT(cour_append(dir, in, 3, COUR_APPEND_CREATE, NULL), 0);
	struct cour_log log;
	struct cour_view v;
	struct buf csv = { 0 }, errs = { 0 };
	int exists;
	CHECK_INT(cour_load(dir, &log, &exists), 0);
	CHECK_INT(cour_view(&log, NULL, &v), 0);
	struct cour_doc d = { .case_name = "x", .log = &log };
	for (int lang = 0; lang < 2; lang++) {
		i18n_init(lang ? "en" : "fr");
		buf_reset(&csv);
		CHECK_INT(cour_render_csv(&d, &v, &csv), 0);
		struct cour_import im;
		CHECK_INT(cour_csv_import(csv.p, csv.len, NULL, &im, &errs), 0);
		if (errs.len)
			printf("  %s", errs.p);
		CHECK_INT(im.n, 3);
		for (size_t i = 0; i < im.n && i < 3; i++) {
			/* the view is in event order: 3, 2, 1 */
			const struct cour_entry *o = &in[2 - i], *g = &im.e[i];
			CHECK_STR(g->who, o->who);
			/* CR LF in a cell comes back as LF: spreadsheets keep LF */
			char want[256];
			size_t k = 0;
			for (const char *p = o->what; *p; p++)
				if (!(p[0] == '\r' && p[1] == '\n'))
					want[k++] = *p;
			want[k] = 0;
			CHECK_STR(g->what, want);
			CHECK_INT(g->ntargets, o->ntargets);
			for (size_t t = 0; t < g->ntargets && t < o->ntargets; t++)
				CHECK_STR(g->targets[t], o->targets[t]);
			CHECK_INT(g->status, o->status);
			CHECK_STR(g->source ? g->source : "(null)", o->source ? o->source : "(null)");
			CHECK_INT(g->event, o->event);
			CHECK_INT(g->offset_min, o->offset_min);
		}
		cour_import_free(&im);
	}
	i18n_init("en");
	cour_view_free(&v);
	cour_log_free(&log);
	buf_free(&csv);
	buf_free(&errs);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		t_failed_now = 1;
}

int main(void)
{
	i18n_init("en");
	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
	RUN(excel_fr);
	RUN(english_commas_lf);
	RUN(offsets);
	RUN(paper_dates);
	RUN(windows_1252);
	RUN(malformed);
	RUN(round_trip);
	T_DONE();
}
