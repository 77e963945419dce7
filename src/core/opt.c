#include <stdio.h>
#include <string.h>

#include "core/core.h"

void opt_init(struct opt_state *st, int argc, char **argv, char **pos)
{
	memset(st, 0, sizeof *st);
	st->argc = argc;
	st->argv = argv;
	st->i = 1;
	st->pos = pos;
}

static const struct opt_spec *find_long(const struct opt_spec *const *t,
					const char *name, size_t len)
{
	for (; *t; t++)
		for (const struct opt_spec *s = *t; s->lng; s++)
			if (strlen(s->lng) == len && !strncmp(s->lng, name, len))
				return s;
	return NULL;
}

static const struct opt_spec *find_short(const struct opt_spec *const *t, char c)
{
	for (; *t; t++)
		for (const struct opt_spec *s = *t; s->lng; s++)
			if (s->shrt && s->shrt == c)
				return s;
	return NULL;
}

static int take_arg(struct opt_state *st, const struct opt_spec *s)
{
	if (st->i >= st->argc)
		return err_set(E_OPT_NEEDS_ARG, st->name);
	st->arg = st->argv[st->i++];
	return s->id;
}

static int next_short(struct opt_state *st, const struct opt_spec *const *t)
{
	static _Thread_local char name[3] = "-?";
	char c = *st->bundle++;
	name[1] = c;
	st->name = name;
	const struct opt_spec *s = find_short(t, c);
	if (!s)
		return err_set(E_OPT_UNKNOWN, name);
	if (s->has_arg) {
		if (*st->bundle) {       /* -svalue */
			st->arg = st->bundle;
			st->bundle = NULL;
			return s->id;
		}
		st->bundle = NULL;
		return take_arg(st, s);
	}
	if (!*st->bundle)
		st->bundle = NULL;
	st->arg = NULL;
	return s->id;
}

static const char *fmt_name(const char *a, const char *eq)
{
	static _Thread_local char name[64];
	snprintf(name, sizeof name, "%.*s", (int)(eq - a), a);
	return name;
}

int opt_next(struct opt_state *st, const struct opt_spec *const *t)
{
	if (st->bundle)
		return next_short(st, t);
	while (st->i < st->argc) {
		char *a = st->argv[st->i++];
		if (st->done || a[0] != '-' || a[1] == 0) {
			st->pos[st->npos++] = a;
			continue;
		}
		if (a[1] == '-' && a[2] == 0) {
			st->done = 1;
			continue;
		}
		if (a[1] != '-') {
			st->bundle = a + 1;
			return next_short(st, t);
		}
		const char *name = a + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		const struct opt_spec *s = find_long(t, name, len);
		st->name = a;
		if (!s) {
			/* name the option, not its value */
			return err_set(E_OPT_UNKNOWN, eq ? fmt_name(a, eq) : a);
		}
		if (!s->has_arg) {
			if (eq)
				return err_set(E_OPT_NO_ARG, fmt_name(a, eq));
			st->arg = NULL;
			return s->id;
		}
		if (eq) {
			st->arg = eq + 1;
			return s->id;
		}
		return take_arg(st, s);
	}
	return 0;
}
