/*
 * Who is writing: --who, REFLEXE_WHO, the case's case.ini or
 * courante.who, else asked once at the terminal and remembered in the
 * case folder. (Which case folder: case/find.c; local time: core/time.c.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "courante/courante.h"

/* A name: one line, printable, UTF-8, bounded. Trims spaces around.
 * From a file, the first line is the name; given whole, a line break is
 * an error. */
static int clean_name(const char *in, int first_line, char *out, size_t sz)
{
	while (*in == ' ' || *in == '\t')
		in++;
	size_t n = first_line ? strcspn(in, "\r\n") : strlen(in);
	while (n && (in[n - 1] == ' ' || in[n - 1] == '\t'))
		n--;
	if (!n || n >= sz || n > COUR_MAX_FIELD)
		return -1;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)in[i] < 0x20 || in[i] == 0x7f)
			return -1;
	if (!json_utf8_valid(in, n))
		return -1;
	memcpy(out, in, n);
	out[n] = 0;
	return 0;
}

/* case.ini belongs to the case layer; we only read its "who=" key, in
 * whatever section it is. */
static int who_from_ini(const char *case_dir, char *out, size_t sz)
{
	char path[4096];
	struct buf b = { 0 };
	int found = -1;
	snprintf(path, sizeof path, "%s/case.ini", case_dir);
	if (file_read(path, &b, 64 * 1024) < 0) {
		err_clear();
		buf_free(&b);
		return -1;
	}
	for (char *line = b.p; line && *line; ) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!strncmp(p, "who", 3)) {
			p += 3;
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p == '=' && clean_name(p + 1, 1, out, sz) == 0)
				found = 0;
		}
		line = nl ? nl + 1 : NULL;
	}
	buf_free(&b);
	return found;
}

static int who_from_file(const char *case_dir, char *out, size_t sz)
{
	char path[4096];
	struct buf b = { 0 };
	snprintf(path, sizeof path, "%s/%s", case_dir, COUR_WHO_FILE);
	int r = file_read(path, &b, 4096);
	if (r == 0)
		r = clean_name(b.p, 1, out, sz);
	err_clear();
	buf_free(&b);
	return r;
}

int cour_who_known(const char *case_dir, char *out, size_t sz)
{
	const char *env = getenv("REFLEXE_WHO");
	if (env && clean_name(env, 0, out, sz) == 0)
		return 0;
	if (case_dir && who_from_ini(case_dir, out, sz) == 0)
		return 0;
	if (case_dir && who_from_file(case_dir, out, sz) == 0)
		return 0;
	return 1;
}

int cour_who(const char *case_dir, const char *opt, int interactive, char *out, size_t sz)
{
	if (opt) {
		if (clean_name(opt, 0, out, sz) < 0)
			return err_set(E_COUR_NO_WHO);
		return 0;
	}
	if (cour_who_known(case_dir, out, sz) == 0)
		return 0;
	if (!interactive)
		return err_set(E_COUR_NO_WHO);
	char line[COUR_MAX_FIELD + 2];
	fputs(tr(M_COUR_ASK_WHO), stderr);
	fflush(stderr);
	if (!fgets(line, sizeof line, stdin) || clean_name(line, 1, out, sz) < 0)
		return err_set(E_COUR_NO_WHO);
	/* Remembered for the next commands of this case, on the stick. */
	char path[4096], data[COUR_MAX_FIELD + 2];
	snprintf(path, sizeof path, "%s/%s", case_dir, COUR_WHO_FILE);
	snprintf(data, sizeof data, "%s\n", out);
	if (file_mkdirs(case_dir) < 0 || file_write_atomic(path, data, strlen(data)) < 0)
		return -1;
	return 0;
}
