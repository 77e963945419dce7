/*
 * Which case folder, who is writing, and local time — the three things
 * every logbook command settles before it touches the file.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "courante/courante.h"

static int copy(char *out, size_t sz, const char *s)
{
	size_t n = strlen(s);
	if (n >= sz)
		return err_set(E_COUR_OPEN, s, file_strerror(ENAMETOOLONG));
	memcpy(out, s, n + 1);
	return 0;
}

int cour_case_dir(const char *opt, char *out, size_t sz)
{
	const char *env = getenv("REFLEXE_CASE");
	if (opt && *opt)
		return copy(out, sz, opt);
	if (env && *env)
		return copy(out, sz, env);
	/* The other applets create ./case-<tenant>-<date>: with exactly one
	 * here, there is no doubt which case is meant. */
	DIR *d = opendir(".");
	struct dirent *de;
	char first[256] = "", second[256] = "";
	int n = 0;
	if (!d)
		return err_set(E_COUR_NO_CASE);
	while ((de = readdir(d))) {
		struct stat st;
		if (strncmp(de->d_name, "case-", 5) || stat(de->d_name, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		n++;
		/* readdir order is arbitrary: report the two smallest names */
		if (!*first || strcmp(de->d_name, first) < 0) {
			snprintf(second, sizeof second, "%s", first);
			snprintf(first, sizeof first, "%s", de->d_name);
		} else if (!*second || strcmp(de->d_name, second) < 0) {
			snprintf(second, sizeof second, "%s", de->d_name);
		}
	}
	closedir(d);
	if (n == 1)
		return copy(out, sz, first);
	if (n > 1)
		return err_set(E_COUR_MANY_CASES, first, second);
	return err_set(E_COUR_NO_CASE);
}

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

int cour_local_offset(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!localtime_r(&tt, &tm))
		return 0;
	long off = tm.tm_gmtoff / 60;
	/* tm_gmtoff comes from the host's TZ: keep it to what a real zone
	 * can be (UTC-12 to UTC+14). */
	if (off < -14 * 60 || off > 14 * 60)
		return 0;
	return (int)off;
}

int cour_parse_at(const char *s, int64_t *t, int *offset_min)
{
	int off, has;
	if (tm_parse_iso(s, t, &off, &has) < 0)
		return -1;
	if (!has) {
		/* Local wall-clock time: find the offset in force then. Two
		 * rounds settle the DST edges (the guess is at most 1 h off). */
		int64_t wall = *t;
		off = cour_local_offset(wall);
		off = cour_local_offset(wall - (int64_t)off * 60);
		*t = wall - (int64_t)off * 60;
	}
	*offset_min = off;
	return 0;
}

int cour_parse_since(const char *s, int64_t now, int64_t *t)
{
	char *end;
	int off;
	if (s && isdigit((unsigned char)s[0])) {
		errno = 0;
		long long v = strtoll(s, &end, 10);
		int unit = end[0] == 'd' || end[0] == 'j' ? 86400 : end[0] == 'h' ? 3600
			: end[0] == 'm' ? 60 : 0;
		if (unit && end[1] == 0 && errno == 0 && v >= 0 && v < 100LL * 366 * 86400 / unit) {
			*t = now - v * unit;
			return 0;
		}
	}
	if (s && cour_parse_at(s, t, &off) == 0)
		return 0;
	return err_set(E_COUR_SINCE, s ? s : "");
}
