/*
 * Reading saved Graph responses: page files, per-id folders, the
 * collection record, and bounded field reads.
 *
 * Evidence first (DESIGN.md): every file is checked against the case's
 * manifest.sha256 (case_check) on the bytes read, before they are parsed
 * — one read, one hash. A file altered or not listed, a listed file gone,
 * refuses the whole analysis (MDL_REFUSED): an answer from evidence that
 * is not what was collected is worse than none.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case/case.h"
#include "model/model.h"

static int path_join(char *out, size_t sz, const char *a, const char *b, const char *c)
{
	int n = snprintf(out, sz, "%s/%s%s%s", a, b, c && *c ? "/" : "", c ? c : "");
	if (n < 0 || (size_t)n >= sz)
		return err_set(E_MDL_PATH, b);
	return 0;
}

/* The file was refused by the manifest check (err set by case/): the
 * message already names it. */
static int refused(void)
{
	err_context(E_MDL_REFUSED);
	return MDL_REFUSED;
}

int mdl_evidence_read(struct case_dir *cs, const char *rel, struct buf *f, size_t max)
{
	char path[PATH_MAX];
	if (path_join(path, sizeof path, case_path(cs), rel, NULL) < 0)
		return -1;
	if (!file_exists(path)) {
		/* Absent: the end of a collection, or a source not collected
		 * — unless the manifest lists it: then it was lost since. */
		int l = case_listed(cs, rel);
		if (l > 0)
			err_set(E_CASE_MISSING, rel);
		return l == 0 ? 0 : refused();
	}
	if (file_read(path, f, max) < 0)
		return -1;
	if (case_check(cs, rel, f->p ? f->p : "", f->len) < 0)
		return refused();
	return 1;
}

int mdl_pages(struct case_dir *cs, const char *rel, mdl_item_fn fn, void *ctx,
	      size_t *npages)
{
	char relpage[PATH_MAX];
	struct buf f = { 0 };
	size_t items = 0;
	int rc = -1;

	*npages = 0;
	for (unsigned k = 1; k <= MDL_MAX_PAGES + 1; k++) {
		int n = snprintf(relpage, sizeof relpage, "%s/page-%04u.json", rel, k);
		if (n < 0 || (size_t)n >= sizeof relpage) {
			err_set(E_MDL_PATH, rel);
			goto out;
		}
		/* A page past the last is read (and checked) like the others:
		 * a page planted after the collection's end is refused, not
		 * ignored. One with a gap before it is never read. */
		int got = mdl_evidence_read(cs, relpage, &f, MDL_MAX_PAGE);
		if (got < 0) {
			rc = got;
			goto out;
		}
		if (!got)
			break;
		if (k > MDL_MAX_PAGES) {
			err_set(E_MDL_PAGES, rel, MDL_MAX_PAGES);
			goto out;
		}
		struct json j;
		if (json_parse(&j, f.p ? f.p : "", f.len, JSON_LIMITS_DEFAULT) < 0) {
			err_context(E_MDL_PAGE, relpage);
			goto out;
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
			goto out;
		}
		*npages = k;
	}
	rc = 0;
out:
	buf_free(&f);
	return rc;
}

int mdl_fatal(int r)
{
	return r == MDL_REFUSED || err_id() == E_NOMEM;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct names {
	char **v;
	size_t n, cap;
	size_t rn;                /* strlen of the folder walked */
};

/* Bounded by the manifest's size: repeats (a folder is named once per
 * file listed in it) are dropped after sorting. */
static int names_add(struct names *x, const char *s, size_t n)
{
	if (VEC_GROW(x->v, x->n, x->cap) < 0)
		return -1;
	if (!(x->v[x->n] = strndup(s, n)))
		return err_set(E_NOMEM);
	x->n++;
	return 0;
}

/* "<rel>/<name>/<more>" listed in the manifest: name is a sub-folder. */
static int listed_sub(void *ctx, const char *path)
{
	struct names *x = ctx;
	const char *name = path + x->rn + 1, *sl = strchr(name, '/');
	return sl && sl > name ? names_add(x, name, (size_t)(sl - name)) : 0;
}

int mdl_subdirs(struct case_dir *cs, const char *rel, mdl_dir_fn fn, void *ctx)
{
	char path[PATH_MAX];
	struct names x = { NULL, 0, 0, strlen(rel) };
	int r = 0;
	if (path_join(path, sizeof path, case_path(cs), rel, NULL) < 0)
		return -1;
	DIR *d = opendir(path);
	if (!d && errno != ENOENT && errno != ENOTDIR)
		return err_set(E_FILE_OPEN, path, file_strerror(errno));
	struct dirent *e;
	while (d && r == 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char sub[PATH_MAX];
		if (snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >= (int)sizeof sub)
			continue;
		DIR *t = opendir(sub);
		if (!t)
			continue;
		closedir(t);
		r = x.n == MDL_MAX_SUBDIRS ? err_set(E_MDL_PAGES, rel, MDL_MAX_SUBDIRS)
					   : names_add(&x, e->d_name, strlen(e->d_name));
	}
	if (d)
		closedir(d);
	/* And the folders the manifest lists, there or not: one deleted
	 * whole must be missed loudly (its first page is then "listed but
	 * missing"), not skipped. */
	if (r == 0 && case_listed_under(cs, rel, listed_sub, &x) < 0)
		r = err_id() == E_NOMEM ? -1 : refused();
	size_t u = 0;
	if (r == 0 && x.n) {
		qsort(x.v, x.n, sizeof *x.v, name_cmp);
		for (size_t i = 0; i < x.n; i++) {
			if (u && !strcmp(x.v[u - 1], x.v[i])) {
				free(x.v[i]);
				continue;
			}
			x.v[u++] = x.v[i];
		}
		x.n = u;
		if (u > MDL_MAX_SUBDIRS)
			r = err_set(E_MDL_PAGES, rel, MDL_MAX_SUBDIRS);
	}
	for (size_t i = 0; i < x.n && r == 0; i++)
		r = fn(ctx, x.v[i]);
	for (size_t i = 0; i < x.n; i++)
		free(x.v[i]);
	free(x.v);
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

int mdl_record_read(struct case_dir *cs, const char *applet, struct mdl_record *r,
		    struct mdl_src *src, size_t nsrc)
{
	char rel[128];
	struct buf f = { 0 };
	struct json j;

	memset(r, 0, sizeof *r);
	snprintf(rel, sizeof rel, "collect/%s.json", applet);
	int got = mdl_evidence_read(cs, rel, &f, 1024 * 1024);
	if (got <= 0) {
		buf_free(&f);
		return got;
	}
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

int mdl_strs(struct mdl_arena *a, const struct json *j, int tok, const struct mdl_fld *f, size_t n,
	     void *base)
{
	for (size_t i = 0; i < n; i++)
		if (mdl_str(a, j, tok, f[i].path, (const char **)(void *)((char *)base + f[i].off)) < 0)
			return -1;
	return 0;
}

int mdl_time(const struct json *j, int tok, const char *path, int64_t *out)
{
	char b[64];
	int64_t t = 0;             /* (LTO sees tm_parse_iso's paths, gcc 12 not all) */
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
