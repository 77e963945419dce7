/*
 * Reading saved Graph responses: page files, per-id folders, the
 * collection record, and bounded field reads.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/model.h"

static int path_join(char *out, size_t sz, const char *a, const char *b, const char *c)
{
	int n = snprintf(out, sz, "%s/%s%s%s", a, b, c && *c ? "/" : "", c ? c : "");
	if (n < 0 || (size_t)n >= sz)
		return err_set(E_MDL_PATH, b);
	return 0;
}

int mdl_pages(const char *case_dir, const char *rel, mdl_item_fn fn, void *ctx,
	      size_t *npages)
{
	char path[PATH_MAX], relpage[PATH_MAX], name[32];
	struct buf f = { 0 };
	size_t items = 0;

	*npages = 0;
	for (unsigned k = 1; k <= MDL_MAX_PAGES + 1; k++) {
		snprintf(name, sizeof name, "page-%04u.json", k);
		if (path_join(path, sizeof path, case_dir, rel, name) < 0)
			goto fail;
		snprintf(relpage, sizeof relpage, "%s/%s", rel, name);
		if (!file_exists(path))
			break;
		if (k > MDL_MAX_PAGES) {
			err_set(E_MDL_PAGES, rel, MDL_MAX_PAGES);
			goto fail;
		}
		if (file_read(path, &f, MDL_MAX_PAGE) < 0)
			goto fail;
		struct json j;
		if (json_parse(&j, f.p ? f.p : "", f.len, JSON_LIMITS_DEFAULT) < 0) {
			err_context(E_MDL_PAGE, relpage);
			goto fail;
		}
		int r = 0;
		int v = json_get(&j, 0, "value");
		if (json_type(&j, 0) != JSON_OBJ) {
			r = err_set(E_MDL_SHAPE, relpage);
		} else if (v >= 0 && json_type(&j, v) == JSON_ARR) {
			for (int it = json_first(&j, v); it >= 0 && r == 0; it = json_next(&j, it)) {
				if (++items > MDL_MAX_ITEMS) {
					r = err_set(E_MDL_ITEMS, rel, MDL_MAX_ITEMS);
					break;
				}
				if (json_type(&j, it) != JSON_OBJ)
					continue;
				r = fn(ctx, &j, it, relpage);
			}
		} else if (v >= 0) {
			r = err_set(E_MDL_SHAPE, relpage);
		} else {
			/* A Graph error body saved as a page is not a resource. */
			if (json_get(&j, 0, "error") >= 0)
				r = err_set(E_MDL_SHAPE, relpage);
			else
				r = fn(ctx, &j, 0, relpage);
		}
		json_free(&j);
		if (r < 0) {
			err_context(E_MDL_PAGE, relpage);
			goto fail;
		}
		*npages = k;
	}
	buf_free(&f);
	return 0;
fail:
	buf_free(&f);
	return -1;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int mdl_subdirs(const char *case_dir, const char *rel, mdl_dir_fn fn, void *ctx)
{
	char path[PATH_MAX];
	if (path_join(path, sizeof path, case_dir, rel, NULL) < 0)
		return -1;
	DIR *d = opendir(path);
	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0 : err_set(E_FILE_OPEN, path, file_strerror(errno));
	char **names = NULL;
	size_t n = 0, cap = 0;
	int r = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char sub[PATH_MAX];
		if (snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >= (int)sizeof sub)
			continue;
		DIR *t = opendir(sub);
		if (!t)
			continue;
		closedir(t);
		if (n == MDL_MAX_SUBDIRS) {
			r = err_set(E_MDL_PAGES, rel, MDL_MAX_SUBDIRS);
			break;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **p = realloc(names, cap * sizeof *p);
			if (!p) {
				r = err_set(E_NOMEM);
				break;
			}
			names = p;
		}
		if (!(names[n] = strdup(e->d_name))) {
			r = err_set(E_NOMEM);
			break;
		}
		n++;
	}
	closedir(d);
	if (r == 0 && n)
		qsort(names, n, sizeof *names, name_cmp);
	for (size_t i = 0; i < n && r == 0; i++)
		r = fn(ctx, names[i]);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return r;
}

/* ---- the collection record --------------------------------------------- */

static const char *const state_names[] = {
	[MDL_ST_ABSENT] = "absent", [MDL_ST_OK] = "ok", [MDL_ST_LICENCE] = "licence",
	[MDL_ST_DENIED] = "denied", [MDL_ST_FAILED] = "failed", [MDL_ST_SKIPPED] = "skipped",
	[MDL_ST_BAD] = "unreadable",
};

enum mdl_state mdl_state_parse(const char *s)
{
	for (size_t i = 0; i < sizeof state_names / sizeof state_names[0]; i++)
		if (s && !strcmp(s, state_names[i]))
			return (enum mdl_state)i;
	return MDL_ST_FAILED;
}

const char *mdl_state_name(enum mdl_state s)
{
	return (unsigned)s < sizeof state_names / sizeof state_names[0] ? state_names[s] : "?";
}

int mdl_record_read(const char *case_dir, const char *applet, struct mdl_record *r,
		    struct mdl_src *src, size_t nsrc)
{
	char path[PATH_MAX], rel[128];
	struct buf f = { 0 };
	struct json j;

	memset(r, 0, sizeof *r);
	snprintf(rel, sizeof rel, "collect/%s.json", applet);
	if (path_join(path, sizeof path, case_dir, rel, NULL) < 0)
		return -1;
	if (!file_exists(path))
		return 0;
	if (file_read(path, &f, 1024 * 1024) < 0)
		return -1;
	if (json_parse(&j, f.p ? f.p : "", f.len, (struct json_limits){ 65536, 16 }) < 0) {
		buf_free(&f);
		return err_context(E_MDL_PAGE, rel);
	}
	char s[256];
	int64_t t;
	int rc = 0;
	if (json_type(&j, 0) != JSON_OBJ)
		rc = err_set(E_MDL_SHAPE, rel);
	if (rc == 0 && mdl_time(&j, 0, "since", &t) == 0)
		r->since = t;
	else if (rc == 0 && json_get(&j, 0, "since") >= 0)
		rc = err_set(E_MDL_SHAPE, rel);
	if (rc == 0 && mdl_time(&j, 0, "until", &t) == 0)
		r->until = t;
	else if (rc == 0 && json_get(&j, 0, "until") >= 0)
		rc = err_set(E_MDL_SHAPE, rel);
	if (rc == 0 && json_str(&j, 0, "tenant", r->tenant, sizeof r->tenant) < 0)
		rc = -1;
	int so = json_get(&j, 0, "sources");
	for (int v = json_first(&j, so); rc == 0 && v >= 0; v = json_next(&j, v)) {
		char key[64];
		if (json_key(&j, v, key, sizeof key) < 0 || json_type(&j, v) != JSON_OBJ)
			continue;
		for (size_t i = 0; i < nsrc; i++) {
			if (strcmp(src[i].name, key))
				continue;
			if (json_str(&j, v, "state", s, sizeof s) == 0)
				src[i].st = mdl_state_parse(s);
			json_str(&j, v, "detail", src[i].detail, sizeof src[i].detail);
			json_str(&j, v, "needs", src[i].needs_rec, sizeof src[i].needs_rec);
			err_clear();
			if (mdl_time(&j, v, "since", &t) == 0)
				src[i].since = t;
			err_clear();
		}
	}
	json_free(&j);
	buf_free(&f);
	if (rc < 0)
		return err_context(E_MDL_PAGE, rel);
	r->found = 1;
	return 0;
}

/* ---- bounded field reads ---------------------------------------------------- */

int mdl_str(struct mdl_arena *a, const struct json *j, int tok, const char *path,
	    const char **out)
{
	char b[MDL_MAX_STR];
	*out = NULL;
	int r = json_str(j, tok, path, b, sizeof b);
	if (r != 0)
		return r < 0 ? -1 : 0;
	if (!(*out = mdl_intern(a, b)))
		return -1;
	return 0;
}

int mdl_time(const struct json *j, int tok, const char *path, int64_t *out)
{
	char b[64];
	int64_t t;
	int off, has;
	*out = 0;
	int r = json_str(j, tok, path, b, sizeof b);
	if (r != 0)
		return r < 0 ? -1 : 1;
	if (tm_parse_iso(b, &t, &off, &has) < 0)
		return -1;
	*out = t;
	return 0;
}

int mdl_bool(const struct json *j, int tok, const char *path)
{
	int v;
	int r = json_bool(j, tok, path, &v);
	if (r < 0)
		return -2;
	return r == 1 ? -1 : v;
}
