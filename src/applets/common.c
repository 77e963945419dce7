/*
 * What every applet does the same way: the common options, writing to
 * stdout, settling the case folder, a line in the logbook.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applets/applets.h"
#include "case/case.h"
#include "courante/courante.h"
#include "ms/ms.h"

const struct opt_spec common_opts[] = {
	{ "case", 0, OPT_ARG, COMMON_CASE },
	{ "tenant", 0, OPT_ARG, COMMON_TENANT },
	{ "since", 0, OPT_ARG, COMMON_SINCE },
	{ "baseline", 0, OPT_ARG, COMMON_BASELINE },
	{ "format", 0, OPT_ARG, COMMON_FORMAT },
	{ "lang", 0, OPT_ARG, COMMON_LANG },
	{ "who", 0, OPT_ARG, COMMON_WHO },
	{ "proxy", 0, OPT_ARG, COMMON_PROXY },
	{ "parallel", 0, OPT_ARG, COMMON_PARALLEL },
	{ "offline", 0, OPT_NOARG, COMMON_OFFLINE },
	{ "quiet", 'q', OPT_NOARG, COMMON_QUIET },
	{ "verbose", 'v', OPT_NOARG, COMMON_VERBOSE },
	{ "help", 'h', OPT_NOARG, COMMON_HELP },
	{ NULL, 0, 0, 0 },
};

static const char *const formats[] = { "text", "json", "csv", "md", "html", NULL };

static int take(struct common *c, int id, const char *arg)
{
	switch (id) {
	case COMMON_CASE: c->case_dir = arg; break;
	case COMMON_TENANT: c->tenant = arg; break;
	case COMMON_SINCE:
		c->since = arg;
		return tm_parse_since(arg, &c->window);
	case COMMON_BASELINE: c->baseline = arg; break;
	case COMMON_FORMAT:
		for (int i = 0; formats[i]; i++)
			if (!strcmp(formats[i], arg)) {
				c->format = arg;
				return 0;
			}
		return err_set(E_FORMAT, arg);
	case COMMON_LANG:
		c->lang = arg;
		return i18n_init(arg);
	case COMMON_WHO: c->who = arg; break;
	case COMMON_PROXY: c->proxy = arg; break;
	case COMMON_PARALLEL: {
		/* Connections per service (ms/: at most MS_MAX_PARALLEL). */
		char *end;
		long v = strtol(arg, &end, 10);
		if (!*arg || *end || v < 1 || v > 16)
			return err_set(E_PARALLEL, arg);
		c->parallel = (int)v;
		break;
	}
	case COMMON_OFFLINE: c->offline = 1; break;
	case COMMON_QUIET: c->quiet = 1; break;
	case COMMON_VERBOSE: c->verbose++; break;
	case COMMON_HELP: c->help = 1; break;
	}
	return 0;
}

void common_print_help(const struct applet_help *h)
{
	tr_fprintf(stdout, h->text);
	fputs("\n\n", stdout);
	fputs(tr(M_COMMON_OPTIONS), stdout);
	fputc('\n', stdout);
}

int common_parse(int argc, char **argv, const struct opt_spec *own,
		 applet_opt_fn on_opt, void *ctx, struct common *c, int maxpos,
		 const struct applet_help *help)
{
	static const struct opt_spec none[] = { { NULL, 0, 0, 0 } };
	const struct opt_spec *const tables[] = { own ? own : none, common_opts, NULL };
	struct opt_state st;
	int id;

	memset(c, 0, sizeof *c);
	c->format = "text";
	c->pos = calloc((size_t)(argc > 0 ? argc : 0) + 1, sizeof *c->pos);
	if (!c->pos) {
		err_set(E_NOMEM);
		return EXIT_USAGE;
	}
	opt_init(&st, argc, argv, c->pos);
	while ((id = opt_next(&st, tables)) > 0) {
		int r = id >= COMMON_CASE ? take(c, id, st.arg)
			: on_opt ? on_opt(ctx, id, st.arg) : 0;
		if (r < 0)
			return EXIT_USAGE;
	}
	if (id < 0)
		return EXIT_USAGE;
	c->npos = st.npos;
	if (c->help && help) {
		common_print_help(help);
		return 0;
	}
	/* A word the applet does not take is a mistake to say, not to
	 * ignore: `check-admins contoso.com` meant --tenant. */
	if (maxpos >= 0 && c->npos > maxpos) {
		err_set(E_ARG_EXTRA, c->pos[maxpos]);
		return EXIT_USAGE;
	}
	return 0;
}

void common_free(struct common *c)
{
	free(c->pos);
	c->pos = NULL;
	c->npos = 0;
}

int common_emit(const struct buf *b)
{
	errno = 0;
	if ((b->len && fwrite(b->p, 1, b->len, stdout) != b->len) || fflush(stdout) != 0)
		return err_set(E_FILE_WRITE, "stdout", file_strerror(errno ? errno : EIO));
	return 0;
}

int common_case_dir(const struct common *c, int may_start, char *out, size_t sz)
{
	const char *t = c->tenant ? c->tenant : getenv("AZURE_TENANT_ID");
	return case_find_dir(c->case_dir, may_start ? t : NULL, tm_now(), out, sz) < 0 ? -1 : 0;
}

void common_log(const char *case_dir, const struct common *c, const char *applet,
		const char *text, const char *const *targets, size_t ntargets)
{
	if (cour_log_tool(case_dir, c->who, applet, text, targets, ntargets) < 0)
		fprintf(stderr, "reflexe: %s: %s\n", tr(M_LOG_FAILED), err_msg());
	err_clear();
}

int common_narrow(const struct narrow *n)
{
	/* One line per run, whatever the number of narrowings (login
	 * narrows again once its case folder is made). */
	static int told;
	struct sbx s = { 0 };
	size_t r = 0;

	if (n->case_dir && n->case_read_only)
		s.read[r++] = n->case_dir;
	else
		s.write_dirs[0] = n->case_dir;
	for (size_t i = 0; i < 2; i++)
		s.write_files[i] = n->out[i];
	for (size_t i = 0; i < 4; i++)
		s.read[r++] = n->read[i];
	if (n->cloud) {
		/* Read when the first connection is made, or the first token
		 * asked: after narrowing. */
		s.read[r++] = getenv("REFLEXE_CA_FILE");
		s.read[r++] = getenv("AZURE_CLIENT_CERTIFICATE_PATH");
		const char *urls[] = { n->cloud->authority, n->cloud->graph, n->cloud->exo };
		if (proxy_ports(n->proxy, urls, 3, s.ports, SBX_MAX) < 0)
			return -1;
		s.net = SBX_NET_PORTS;
	}
	int rc = sbx_narrow(&s);
	if (rc == 1) {
		if (!told) {
			fputs("reflexe: ", stderr);
			tr_fprintf(stderr, M_SBX_NOT, err_msg());
			fputc('\n', stderr);
		}
		told = 1;
		err_clear();
		rc = 0;
	}
	return rc;
}
