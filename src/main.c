/*
 * reflexe — one static binary to qualify a suspected compromise of a
 * Microsoft 365 / Entra ID tenant (InterCERT France fiche réflexe).
 * Multi-call: `reflexe APPLET …`, or a copy/link named after the applet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mbedtls/version.h>

#include "applets/applets.h"
#include "net/net.h"

struct applet {
	const char *name;
	enum msg_id summary;
	applet_fn run;
};

static const struct applet applets[] = {
	{ "check-admins", M_SUM_CHECK_ADMINS, applet_check_admins },
	{ "check-mail", M_SUM_CHECK_MAIL, applet_check_mail },
	{ "check-apps", M_SUM_CHECK_APPS, applet_check_apps },
	{ "courante", M_SUM_COURANTE, applet_courante },
	{ "import", M_SUM_IMPORT, applet_import },
	{ "check-events", M_SUM_CHECK_EVENTS, applet_check_events },
	{ "report", M_SUM_REPORT, applet_report },
	{ "login", M_SUM_LOGIN, applet_login },
	{ "logout", M_SUM_LOGOUT, applet_logout },
	{ "qualify", M_SUM_QUALIFY, applet_qualify },
};
#define NAPPLETS (sizeof applets / sizeof applets[0])

static void list_applets(FILE *f)
{
	fprintf(f, "%s\n", tr(M_APPLETS));
	for (size_t i = 0; i < NAPPLETS; i++)
		fprintf(f, "  %-13s %s\n", applets[i].name, tr(applets[i].summary));
}

static void usage(FILE *f)
{
	fprintf(f, "reflexe %s — %s\n\n%s\n\n", REFLEXE_VERSION, tr(M_TAGLINE), tr(M_USAGE));
	list_applets(f);
	fprintf(f, "\n%s\n", tr(M_MORE_HELP));
}

static int version(void)
{
	char fp[65];
	char date[32];
	time_t t = (time_t)reflexe_build_epoch;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%Y-%m-%d", &tm);
	printf("reflexe %s\n", REFLEXE_VERSION);
	printf("mbedTLS %s\n", tls_version_string());
	printf("%s %s\n", tr(M_VERSION_BUILT), date);
	/* Whether the applets will narrow themselves here (core/sandbox.c). */
	int abi = sbx_abi();
	if (abi > 0)
		tr_fprintf(stdout, M_SBX_VERSION_ON, abi);
	else
		tr_fprintf(stdout, M_SBX_VERSION_OFF, err_msg());
	printf("\n");
	err_clear();
	if (tls_roots_builtin_fingerprint(fp) < 0)
		return -1;
	printf("%s: %s\n", tr(M_VERSION_ROOTS), fp);
	/* Tests and private clouds replace the set: say so, with the hash of
	 * what is really trusted, rather than let the line above mislead. */
	const char *ca = getenv("REFLEXE_CA_FILE");
	if (ca && *ca) {
		if (tls_roots_fingerprint(fp) < 0)
			return -1;
		tr_fprintf(stdout, M_TLS_CA_FILE_ROOTS, ca);
		printf(": %s\n", fp);
	}
	return 0;
}

static const struct applet *find(const char *name)
{
	for (size_t i = 0; i < NAPPLETS; i++)
		if (!strcmp(applets[i].name, name))
			return &applets[i];
	return NULL;
}

/* The language must be known before the first message, including the
 * error about a bad option, so --lang is looked up ahead of parsing. */
static int early_lang(int argc, char **argv)
{
	const char *l = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--lang") && i + 1 == argc) {
			i18n_init(NULL);
			return err_set(E_OPT_NEEDS_ARG, "--lang");
		}
		if (!strcmp(argv[i], "--lang"))
			l = argv[++i];
		else if (!strncmp(argv[i], "--lang=", 7))
			l = argv[i] + 7;
	}
	if (i18n_init(l) < 0) {
		i18n_init(NULL);
		return -1;
	}
	return 0;
}


int main(int argc, char **argv)
{
	const char *base = argv[0] ? strrchr(argv[0], '/') : NULL;
	int rc;

	base = base ? base + 1 : (argv[0] ? argv[0] : "reflexe");
	if (early_lang(argc, argv) < 0) {
		fprintf(stderr, "reflexe: %s\n", err_msg());
		return EXIT_USAGE;
	}

	const struct applet *a = find(base);
	/* `reflexe --lang fr APPLET …`: the language given ahead of the applet
	 * name was applied above; step over it. */
	while (!a && argc > 2) {
		int n = !strcmp(argv[1], "--lang") ? 2 : !strncmp(argv[1], "--lang=", 7) ? 1 : 0;
		if (!n || argc <= n)
			break;
		argc -= n;
		argv += n;
	}
	if (a) {
		rc = a->run(argc, argv);
	} else if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_CLEAN;
	} else if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		rc = version() < 0 ? EXIT_FAIL : EXIT_CLEAN;
	} else if ((a = find(argv[1]))) {
		rc = a->run(argc - 1, argv + 1);
	} else if (argv[1][0] == '-') {
		/* An option where the applet name should be: say that, not
		 * "unknown applet '-x'". */
		err_set(E_OPT_UNKNOWN, argv[1]);
		fprintf(stderr, "reflexe: %s\n%s\n", err_msg(), tr(M_MORE_HELP));
		return EXIT_USAGE;
	} else {
		err_set(E_APPLET_UNKNOWN, argv[1]);
		fprintf(stderr, "reflexe: %s\n\n", err_msg());
		list_applets(stderr);
		return EXIT_USAGE;
	}
	if ((rc == EXIT_FAIL || rc == EXIT_USAGE) && err_msg()[0])
		fprintf(stderr, "reflexe: %s\n", err_msg());
	return rc;
}
