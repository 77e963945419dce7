#include <stdlib.h>

#include "core/core.h"
#include "t.h"

static void opt_parsing(void)
{
	static const struct opt_spec own[] = {
		{ "targets", 't', OPT_ARG, 1 }, { "dry-run", 'n', OPT_NOARG, 2 },
		{ NULL, 0, 0, 0 } };
	const struct opt_spec *const tables[] = { own, NULL };
	char *argv[] = { "x", "--targets=a,b", "-n", "pos1", "-tc", "--", "-n", NULL };
	char *pos[8];
	struct opt_state st;
	opt_init(&st, 7, argv, pos);
	CHECK_INT(opt_next(&st, tables), 1);
	CHECK_STR(st.arg, "a,b");
	CHECK_INT(opt_next(&st, tables), 2);
	CHECK_INT(opt_next(&st, tables), 1);
	CHECK_STR(st.arg, "c");
	CHECK_INT(opt_next(&st, tables), 0);
	CHECK_INT(st.npos, 2);
	CHECK_STR(pos[0], "pos1");
	CHECK_STR(pos[1], "-n");
}

/* The separated forms: "--opt value" and "-s value"; a value may start
 * with '-' when it is the option's argument; "--" ends options even
 * inside a run of positionals. */
static void opt_separate_values(void)
{
	static const struct opt_spec own[] = {
		{ "since", 's', OPT_ARG, 1 }, { "quiet", 'q', OPT_NOARG, 2 },
		{ NULL, 0, 0, 0 } };
	const struct opt_spec *const tables[] = { own, NULL };
	char *argv[] = { "x", "--since", "30d", "p1", "-s", "-7d", "-qs", "1h", "--", "--since", NULL };
	char *pos[10];
	struct opt_state st;
	opt_init(&st, 10, argv, pos);
	CHECK_INT(opt_next(&st, tables), 1);
	CHECK_STR(st.arg, "30d");
	CHECK_INT(opt_next(&st, tables), 1);
	CHECK_STR(st.arg, "-7d");
	CHECK_INT(opt_next(&st, tables), 2);
	CHECK_INT(opt_next(&st, tables), 1);
	CHECK_STR(st.arg, "1h");
	CHECK_INT(opt_next(&st, tables), 0);
	CHECK_INT(st.npos, 2);
	CHECK_STR(pos[0], "p1");
	CHECK_STR(pos[1], "--since");
}

static void opt_errors(void)
{
	static const struct opt_spec own[] = {
		{ "who", 0, OPT_ARG, 1 }, { "quiet", 'q', OPT_NOARG, 2 }, { NULL, 0, 0, 0 } };
	const struct opt_spec *const tables[] = { own, NULL };
	char *pos[4];
	struct opt_state st;
	char *a1[] = { "x", "--who", NULL };
	opt_init(&st, 2, a1, pos);
	CHECK_INT(opt_next(&st, tables), -1);
	CHECK_INT(err_id(), E_OPT_NEEDS_ARG);
	char *a2[] = { "x", "--nope=1", NULL };
	opt_init(&st, 2, a2, pos);
	CHECK_INT(opt_next(&st, tables), -1);
	CHECK_INT(err_id(), E_OPT_UNKNOWN);
	CHECK(strstr(err_msg(), "--nope") != NULL);
	char *a3[] = { "x", "--quiet=1", NULL };
	opt_init(&st, 2, a3, pos);
	CHECK_INT(opt_next(&st, tables), -1);
	CHECK_INT(err_id(), E_OPT_NO_ARG);
}

static void buf_limits(void)
{
	struct buf b = { .max = 10 };
	CHECK_INT(buf_puts(&b, "0123456789"), 0);
	CHECK_INT(buf_puts(&b, "x"), -1);
	CHECK_INT(err_id(), E_TOO_LARGE);
	CHECK_INT(b.len, 10);
	buf_reset(&b);
	CHECK_INT(buf_printf(&b, "%d-%s", 42, "ab"), 0);
	CHECK_STR(b.p, "42-ab");
	buf_wipe(&b);
	CHECK(b.p == NULL);
}

static void errors_in_two_languages(void)
{
	i18n_init("fr");
	err_set(E_OPT_UNKNOWN, "--x");
	CHECK_STR(err_msg(), "option inconnue : --x");
	i18n_init("en");
	err_set(E_OPT_UNKNOWN, "--x");
	err_context(E_OPT_NEEDS_ARG, "--y");
	CHECK_STR(err_msg(), "option --y needs a value: unknown option: --x");
	CHECK_INT(err_id(), E_OPT_UNKNOWN);
	i18n_init("fr");
	err_set(E_OPT_UNKNOWN, "--x");
	err_context(E_OPT_NEEDS_ARG, "--y");
	CHECK(strstr(err_msg(), " : option inconnue : --x") != NULL);
	i18n_init("en");
	CHECK_INT(i18n_init("de"), -1);
	setenv("LC_ALL", "fr_FR.UTF-8", 1);
	i18n_init(NULL);
	CHECK_INT(i18n_lang(), LANG_FR);
	setenv("LC_ALL", "C", 1);
	i18n_init(NULL);
	CHECK_INT(i18n_lang(), LANG_EN);
}

int main(void)
{
	RUN(opt_parsing);
	RUN(opt_separate_values);
	RUN(opt_errors);
	RUN(buf_limits);
	RUN(errors_in_two_languages);
	T_DONE();
}
