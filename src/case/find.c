/*
 * Which case folder an applet works in: --case, else REFLEXE_CASE, else
 * the only ./case-* folder here; else, for an applet that may start a
 * case, ./case-<tenant>-<date>. Every applet settles it the same way, so
 * that `courante add`, `login` and the checks all land in one folder.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "case/case.h"

static int copy(char *out, size_t sz, const char *s)
{
	size_t n = strlen(s);
	if (n >= sz)
		return err_set(E_CASE_PATH, s);
	memcpy(out, s, n + 1);
	return 0;
}

/* The only ./case-* folder here: 0 found, -1 none (E_CASE_NONE) or
 * several (E_CASE_MANY, naming the two first by name). */
static int the_only_one(char *out, size_t sz)
{
	DIR *d = opendir(".");
	struct dirent *de;
	char first[256] = "", second[256] = "";
	int n = 0;
	if (!d)
		return err_set(E_CASE_NONE);
	while ((de = readdir(d))) {
		struct stat st;
		if (strncmp(de->d_name, "case-", 5) || stat(de->d_name, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		n++;
		/* readdir order is arbitrary: report the two smallest names */
		if (!*first || strcmp(de->d_name, first) < 0) {
			memcpy(second, first, sizeof second);
			snprintf(first, sizeof first, "%s", de->d_name);
		} else if (!*second || strcmp(de->d_name, second) < 0) {
			snprintf(second, sizeof second, "%s", de->d_name);
		}
	}
	closedir(d);
	if (n == 1)
		return copy(out, sz, first);
	if (n > 1)
		return err_set(E_CASE_MANY, first, second);
	return err_set(E_CASE_NONE);
}

int case_find_dir(const char *opt, const char *tenant, int64_t now, char *out, size_t sz)
{
	const char *env = getenv("REFLEXE_CASE");
	if (opt && *opt)
		return copy(out, sz, opt);
	if (env && *env)
		return copy(out, sz, env);
	if (the_only_one(out, sz) == 0)
		return 0;
	if (err_id() != E_CASE_NONE || !tenant || !*tenant)
		return -1;
	err_clear();
	return case_default_dir(tenant, now, out, sz) < 0 ? -1 : 1;
}
