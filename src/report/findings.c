/*
 * Reading findings/<applet>.json: the document of DESIGN.md's command-line
 * contract, as every check writes it into the case. Evidence first: each
 * file is read once and checked against manifest.sha256 before it is
 * parsed (mdl_evidence_read); a findings file on disk that the manifest
 * does not list is refused like an altered one — a report must not rest
 * on a document someone dropped into the folder.
 *
 * Hostile input: bounded (document size, findings, one text field), every
 * field typed; a document that is not a findings document is an error
 * naming it. Fields CONTRACT.md adds ("compromise", "at", "step", "lang",
 * verdict "fiche") are read when present; older documents lack them and
 * are read too: the map's default then says whether a finding is a trace
 * of the attacker, and the run's language text fills both languages.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case/case.h"
#include "report/report.h"

static const char *const sevs[] = { "info", "low", "medium", "high", "critical" };
static const char *const sts[] = { "clear", "suspect", "confirmed" };

const char *rep_verdict_name(enum rep_verdict v)
{
	static const char *const n[] = { "not_run", "not_detected", "suspected", "confirmed",
					 "undetermined" };
	return (unsigned)v < sizeof n / sizeof n[0] ? n[v] : "?";
}

const char *rep_verdict_word(enum rep_verdict v)
{
	static const enum msg_id w[] = { M_REP_V_NOT_RUN, M_REP_V_NOT_DETECTED, M_REP_V_SUSPECTED,
					 M_REP_V_CONFIRMED, M_REP_V_UNDETERMINED };
	return (unsigned)v < sizeof w / sizeof w[0] ? tr(w[v]) : "?";
}

int rep_finding_counts(const struct rep_finding *f)
{
	return f->st >= 1 && f->sev > 0;
}

static int pick(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (!strcmp(v[i], s))
			return (int)i;
	return -1;
}

struct rd {
	struct rep_findings *fs;
	const struct json *j;
	const char *rel;
	char tmp[REP_MAX_STR];
};

/* A string field: NULL when absent or null; -1 (err set, naming the file
 * and the field) when of another type or longer than REP_MAX_STR. */
static int str(struct rd *x, int tok, const char *path, const char **out)
{
	*out = NULL;
	int r = json_str(x->j, tok, path, x->tmp, sizeof x->tmp);
	if (r < 0)
		return err_context(E_REP_DOC, x->rel);
	if (r > 0)
		return 0;
	*out = mdl_intern(&x->fs->ar, x->tmp);
	return *out ? 0 : -1;
}

static int need(struct rd *x, int tok, const char *path, const char **out)
{
	if (str(x, tok, path, out) < 0)
		return -1;
	if (!*out)
		return err_set(E_REP_DOC_FIELD, x->rel, path);
	return 0;
}

/* An array of strings into a NULL-less vector (interned). */
static int strs(struct rd *x, int tok, const char *path, const char ***out, size_t *n)
{
	*out = NULL;
	*n = 0;
	int a = json_get(x->j, tok, path);
	if (a < 0 || json_type(x->j, a) == JSON_NULL)
		return 0;
	if (json_type(x->j, a) != JSON_ARR)
		return err_set(E_REP_DOC_FIELD, x->rel, path);
	size_t cap = 0;
	for (int c = json_first(x->j, a); c >= 0; c = json_next(x->j, c)) {
		const char *s;
		if (json_type(x->j, c) != JSON_STR)
			return err_set(E_REP_DOC_FIELD, x->rel, path);
		if (str(x, c, "", &s) < 0)
			return -1;
		const char **slot = MDL_PUSH(*out, *n, cap);
		if (!slot)
			return -1;
		*slot = s;
	}
	return 0;
}

/* Both languages of a text: "lang": {"fr": {k}, "en": {k}} when the
 * document has them, else the run's text in both. */
static int texts(struct rd *x, int tok, const char *k, const char *plain, const char *out[2])
{
	char p[64];
	for (int l = 0; l < 2; l++) {
		snprintf(p, sizeof p, "lang.%s.%s", l == LANG_FR ? "fr" : "en", k);
		if (str(x, tok, p, &out[l]) < 0)
			return -1;
		if (!out[l])
			out[l] = plain;
	}
	return 0;
}

static int finding(struct rd *x, const char *applet, int t)
{
	struct rep_findings *fs = x->fs;
	if (json_type(x->j, t) != JSON_OBJ)
		return err_set(E_REP_DOC_FIELD, x->rel, "findings");
	if (fs->nf >= REP_MAX_FINDINGS)
		return err_set(E_REP_DOC_MANY, x->rel, REP_MAX_FINDINGS);
	struct rep_finding *f = MDL_PUSH(fs->f, fs->nf, fs->cap_f);
	if (!f)
		return -1;
	const char *sev, *st, *title, *detail, *step, *at;
	f->applet = applet;
	if (need(x, t, "id", &f->id) < 0 || need(x, t, "severity", &sev) < 0 ||
	    need(x, t, "status", &st) < 0 || str(x, t, "fiche", &f->fiche) < 0 ||
	    str(x, t, "title", &title) < 0 || str(x, t, "detail", &detail) < 0 ||
	    str(x, t, "step", &step) < 0 || str(x, t, "at", &at) < 0 ||
	    texts(x, t, "title", title, f->title) < 0 || texts(x, t, "detail", detail, f->detail) < 0 ||
	    texts(x, t, "step", step, f->step) < 0 ||
	    strs(x, t, "objects", &f->obj, &f->nobj) < 0 || strs(x, t, "evidence", &f->ev, &f->nev) < 0)
		return -1;
	if ((f->sev = pick(sevs, 5, sev)) < 0)
		return err_set(E_REP_DOC_FIELD, x->rel, "severity");
	if ((f->st = pick(sts, 3, st)) < 0)
		return err_set(E_REP_DOC_FIELD, x->rel, "status");
	int off, has;
	if (at && tm_parse_iso(at, &f->at, &off, &has) < 0)
		return err_set(E_REP_DOC_FIELD, x->rel, "at");
	f->map = rep_map_find(f->id);
	int c = mdl_bool(x->j, t, "compromise");
	if (c == -2)
		return err_set(E_REP_DOC_FIELD, x->rel, "compromise");
	/* Older documents: the rule's own flag, and ADM-002 at « suspect »
	 * (the sound administrators are the suspects: spec §1.1). */
	f->compromise = c >= 0 ? c :
		f->map && ((f->map->flags & MAP_COMPROMISE) ||
			   ((f->map->sig & SIG_BIT(SIG_NO_SOUND_GA)) && f->st == 1));
	return 0;
}

static int unknown(struct rd *x, const char *applet, int t)
{
	struct rep_findings *fs = x->fs;
	if (json_type(x->j, t) != JSON_OBJ)
		return err_set(E_REP_DOC_FIELD, x->rel, "unknown");
	if (fs->nu >= REP_MAX_FINDINGS)
		return err_set(E_REP_DOC_MANY, x->rel, REP_MAX_FINDINGS);
	struct rep_unknown *u = MDL_PUSH(fs->u, fs->nu, fs->cap_u);
	const char *reason;
	if (!u)
		return -1;
	u->applet = applet;
	if (need(x, t, "check", &u->check) < 0 || str(x, t, "reason", &reason) < 0 ||
	    str(x, t, "needs", &u->needs) < 0 || texts(x, t, "reason", reason, u->reason) < 0)
		return -1;
	return 0;
}

static int verdict(struct rd *x, struct rep_doc *d, int v)
{
	static const char *const ans[] = { "", "not_detected", "suspected", "confirmed", "undetermined" };
	const char *a, *text, *why, *fiche;
	if (json_type(x->j, v) != JSON_OBJ)
		return err_set(E_REP_DOC_FIELD, x->rel, "verdict");
	if (need(x, v, "answer", &a) < 0 || str(x, v, "text", &text) < 0 || str(x, v, "why", &why) < 0 ||
	    str(x, v, "fiche", &fiche) < 0 || texts(x, v, "text", text, d->vtext) < 0 ||
	    texts(x, v, "why", why, d->why) < 0 ||
	    str(x, v, "sound_global_admin.answer", &d->sound_ga) < 0 ||
	    str(x, v, "sound_global_admin.text", &d->sound_text) < 0)
		return -1;
	int k = pick(ans, 5, a);
	if (k <= 0)
		return err_set(E_REP_DOC_FIELD, x->rel, "verdict.answer");
	d->verdict = (enum rep_verdict)k;
	if (fiche && rep_act_parse(fiche, &d->acts) < 0)
		return err_set(E_REP_DOC_FIELD, x->rel, "verdict.fiche");
	return 0;
}

int rep_findings_parse(struct rep_findings *fs, const char *rel, const char *text, size_t n)
{
	struct json j;
	struct rd *x = malloc(sizeof *x);
	if (!x)
		return err_set(E_NOMEM);
	if (json_parse(&j, text, n, JSON_LIMITS_DEFAULT) < 0) {
		free(x);
		return err_context(E_REP_DOC, rel);
	}
	x->fs = fs;
	x->j = &j;
	x->rel = mdl_intern(&fs->ar, rel);
	int r = -1;
	if (!x->rel)
		goto out;
	if (json_type(&j, 0) != JSON_OBJ) {
		err_set(E_REP_DOC_FIELD, rel, "{}");
		goto out;
	}
	if (fs->nd >= REP_MAX_DOCS) {
		err_set(E_REP_DOC_MANY, rel, REP_MAX_DOCS);
		goto out;
	}
	struct rep_doc *d = MDL_PUSH(fs->d, fs->nd, fs->cap_d);
	const char *tool, *gen, *since, *until;
	int off, has;
	if (!d || need(x, 0, "tool", &tool) < 0 || need(x, 0, "applet", &d->applet) < 0 ||
	    str(x, 0, "tenant", &d->tenant) < 0 || str(x, 0, "generated", &gen) < 0 ||
	    str(x, 0, "window.since", &since) < 0 || str(x, 0, "window.until", &until) < 0)
		goto out;
	d->rel = x->rel;
	if (strcmp(tool, "reflexe")) {
		err_set(E_REP_DOC_FIELD, rel, "tool");
		goto out;
	}
	if ((gen && tm_parse_iso(gen, &d->generated, &off, &has) < 0) ||
	    (since && tm_parse_iso(since, &d->since, &off, &has) < 0) ||
	    (until && tm_parse_iso(until, &d->until, &off, &has) < 0)) {
		err_set(E_REP_DOC_FIELD, rel, "generated/window");
		goto out;
	}
	for (int c = 0; c < CHK__N; c++)
		if (!strcmp(d->applet, rep_chks[c].applet))
			d->acts = rep_chks[c].acts;
	int v = json_get(&j, 0, "verdict");
	if (v >= 0 && json_type(&j, v) != JSON_NULL && verdict(x, d, v) < 0)
		goto out;
	int a = json_get(&j, 0, "findings");
	if (a < 0 || json_type(&j, a) != JSON_ARR) {
		err_set(E_REP_DOC_FIELD, rel, "findings");
		goto out;
	}
	const char *applet = d->applet;
	for (int c = json_first(&j, a); c >= 0; c = json_next(&j, c))
		if (finding(x, applet, c) < 0)
			goto out;
	a = json_get(&j, 0, "unknown");
	if (a >= 0 && json_type(&j, a) != JSON_ARR) {
		err_set(E_REP_DOC_FIELD, rel, "unknown");
		goto out;
	}
	for (int c = a >= 0 ? json_first(&j, a) : -1; c >= 0; c = json_next(&j, c))
		if (unknown(x, applet, c) < 0)
			goto out;
	/* Without a verdict, the document's findings say it. */
	if (!fs->d[fs->nd - 1].verdict) {
		enum rep_verdict w = V_NOT_DETECTED;
		for (size_t i = 0; i < fs->nf; i++)
			if (fs->f[i].applet == applet && rep_finding_counts(&fs->f[i]) && fs->f[i].compromise)
				w = fs->f[i].st == 2 ? V_CONFIRMED : w == V_CONFIRMED ? w : V_SUSPECTED;
		fs->d[fs->nd - 1].verdict = w;
	}
	r = 0;
out:
	json_free(&j);
	free(x);
	return r;
}

/* ---- the case's findings/ ------------------------------------------------------- */

struct walk {
	struct case_dir *cs;
	struct rep_findings *fs;
	struct buf f;
	int r;
};

static int one(void *ctx, const char *rel)
{
	struct walk *w = ctx;
	size_t n = strlen(rel);
	/* findings/<name>.json only; deeper files are not documents */
	if (strchr(rel + 9, '/') || n < 14 || strcmp(rel + n - 5, ".json"))
		return 0;
	buf_reset(&w->f);
	int got = mdl_evidence_read(w->cs, rel, &w->f, REP_MAX_DOC);
	if (got <= 0)
		return w->r = got < 0 ? got : err_set(E_CASE_MISSING, rel);
	struct rep_findings *fs = w->fs;
	if (rep_findings_parse(fs, rel, w->f.p ? w->f.p : "", w->f.len) < 0)
		return w->r = -1;
	case_sha256_hex(w->f.p ? w->f.p : "", w->f.len, fs->d[fs->nd - 1].sha);
	return 0;
}

/* A findings/<name>.json on disk that the manifest does not list. */
static int unlisted(struct case_dir *cs)
{
	char path[4200], rel[300];
	snprintf(path, sizeof path, "%s/findings", case_path(cs));
	DIR *d = opendir(path);
	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0 : err_set(E_FILE_OPEN, path, file_strerror(errno));
	struct dirent *e;
	int r = 0;
	while (r == 0 && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (e->d_name[0] == '.' || n < 6 || strcmp(e->d_name + n - 5, ".json") ||
		    n + 10 >= sizeof rel)
			continue;
		snprintf(rel, sizeof rel, "findings/%s", e->d_name);
		int l = case_listed(cs, rel);
		if (l < 0)
			r = -1;
		else if (!l) {
			err_set(E_CASE_UNLISTED, rel);
			err_context(E_MDL_REFUSED);
			r = MDL_REFUSED;
		}
	}
	closedir(d);
	return r;
}

static int doc_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rep_doc *)a)->applet, ((const struct rep_doc *)b)->applet);
}

int rep_findings_read(struct case_dir *cs, struct rep_findings *fs)
{
	struct walk w = { cs, fs, { 0 }, 0 };
	int r = unlisted(cs);
	if (r == 0 && case_listed_under(cs, "findings", one, &w) < 0)
		r = w.r ? w.r : -1;
	buf_free(&w.f);
	if (r < 0)
		return r;
	for (size_t i = 0; i < fs->nd; i++)
		for (size_t k = i + 1; k < fs->nd; k++)
			if (!strcmp(fs->d[i].applet, fs->d[k].applet))
				return err_set(E_REP_DOC_TWICE, fs->d[i].applet, fs->d[i].rel, fs->d[k].rel);
	if (fs->nd > 1)
		qsort(fs->d, fs->nd, sizeof *fs->d, doc_cmp);
	return 0;
}

const struct rep_doc *rep_doc_of(const struct rep_findings *fs, const char *applet)
{
	for (size_t i = 0; i < fs->nd; i++)
		if (!strcmp(fs->d[i].applet, applet))
			return &fs->d[i];
	return NULL;
}

void rep_findings_free(struct rep_findings *fs)
{
	for (size_t i = 0; i < fs->nf; i++) {
		free(fs->f[i].obj);
		free(fs->f[i].ev);
	}
	free(fs->f);
	free(fs->u);
	free(fs->d);
	mdl_arena_free(&fs->ar);
	memset(fs, 0, sizeof *fs);
}
