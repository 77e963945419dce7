/*
 * The check runner: what every check of the fiche does the same way.
 *
 *   options → case folder → (live) sign-in, probe, collection into the
 *   case → the evidence loaded, each file checked against the manifest →
 *   rules → the fiche's answer → the document on stdout → (live) the
 *   document saved as findings/<check>.json → a line in the logbook →
 *   the exit status.
 *
 * --offline takes the same path without the network and writes nothing
 * into the case but its logbook line. A check is a struct check_def
 * (applets.h): its collector, model, rules, verdict and writers; this
 * file knows none of them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applets/applets.h"
#include "baseline/baseline.h"
#include "case/case.h"
#include "collect/collect.h"
#include "model/model.h"
#include "render/render.h"
#include "rules/rules.h"

/* The runner's own options, numbered above any check's own. */
enum { O_LIST = 900, O_MAKE_BL };
static const struct opt_spec runner_opts[] = {
	{ "list-rules", 0, OPT_NOARG, O_LIST },
	{ "make-baseline", 0, OPT_ARG, O_MAKE_BL },
	{ NULL, 0, 0, 0 },
};

struct main_ctx {
	const struct check_def *d;
	void *own;
	int list;
	const char *make_bl;
};

static int on_opt(void *p, int id, const char *arg)
{
	struct main_ctx *x = p;
	if (id == O_LIST)
		x->list = 1;
	else if (id == O_MAKE_BL)
		x->make_bl = arg;
	else if (x->d->on_opt)
		return x->d->on_opt(x->own, id, arg);
	return 0;
}

/* The runner's options, then the check's, in one table. */
static struct opt_spec *options(const struct check_def *d)
{
	size_t n = 0, k = 0;
	while (d->opts && d->opts[n].lng)
		n++;
	struct opt_spec *t = calloc(n + 3, sizeof *t);
	if (!t) {
		err_set(E_NOMEM);
		return NULL;
	}
	for (size_t i = 0; runner_opts[i].lng; i++)
		if (runner_opts[i].id != O_MAKE_BL || d->make_baseline)
			t[k++] = runner_opts[i];
	for (size_t i = 0; i < n; i++)
		t[k++] = d->opts[i];
	return t;
}

static int format_ok(const struct check_def *d, const char *f)
{
	for (size_t i = 0; d->formats[i]; i++)
		if (!strcmp(d->formats[i], f))
			return 1;
	return 0;
}

static int format_error(const struct check_def *d, const char *f)
{
	struct buf list = { 0 };
	for (size_t i = 0; d->formats[i]; i++)
		if (buf_printf(&list, "%s%s", i ? ", " : "", d->formats[i]) < 0)
			break;
	err_set(E_CHECK_FORMAT, d->name, f, list.p ? list.p : "");
	buf_free(&list);
	return EXIT_USAGE;
}

static int list_rules(const struct check_def *d)
{
	void *m = calloc(1, d->model_size);
	struct buf b = { 0 };
	if (!m) {
		err_set(E_NOMEM);
		return EXIT_FAIL;
	}
	d->init(m);
	const struct mdl_head *h = m;
	struct rule_source *src = calloc(h->nsrc ? h->nsrc : 1, sizeof *src);
	int rc = EXIT_FAIL;
	if (src) {
		rule_sources_from(h->src, h->nsrc, src);
		rc = render_rules(d->rules, d->nrules, src, h->nsrc, &b) < 0 || common_emit(&b) < 0 ?
		     EXIT_FAIL : EXIT_CLEAN;
	} else {
		err_set(E_NOMEM);
	}
	free(src);
	buf_free(&b);
	d->free(m);
	free(m);
	return rc;
}


/* ---- the logbook line ------------------------------------------------------------- */

/* What ran, the answer, the accounts named. */
static void log_summary(const struct check_def *d, const char *case_dir, const struct common *c,
			const struct rule_verdict *v, const struct findings *fs)
{
	struct buf t = { 0 };
	const char *targets[64];
	size_t nt = 0, nsus = 0;
	for (size_t i = 0; i < fs->n; i++)
		nsus += fs->f[i].status >= ST_SUSPECT && fs->f[i].sev > SEV_INFO;
	if (buf_trf(&t, M_CHECK_LOG, d->name, c->offline ? " --offline" : "", tr(v->subject),
		    render_verdict_word(v->v), nsus, fs->nu) < 0) {
		buf_free(&t);
		err_clear();
		return;
	}
	for (size_t i = 0; i < v->nreasons && nt < sizeof targets / sizeof targets[0]; i++)
		for (size_t o = 0; o < v->reasons[i]->nobj && nt < sizeof targets / sizeof targets[0]; o++) {
			const char *s = v->reasons[i]->obj[o];
			int dup = strlen(s) >= 512;
			for (size_t k = 0; k < nt && !dup; k++)
				dup = !strcmp(targets[k], s);
			if (!dup)
				targets[nt++] = s;
		}
	common_log(case_dir, c, d->name, t.p, targets, nt);
	buf_free(&t);
}

/* A run that could not complete is an action too: the logbook says so,
 * with the reason, when there is a case folder to hold it. The error
 * still reaches the responder. */
static void log_incomplete(const struct check_def *d, const char *case_dir, const struct common *c)
{
	if (!file_exists(case_dir))
		return;
	char why[1024];
	enum msg_id id = err_id();
	snprintf(why, sizeof why, "%s", err_msg());
	struct buf t = { 0 };
	if (buf_trf(&t, M_CHECK_LOG_INCOMPLETE, d->name, c->offline ? " --offline" : "", why) == 0)
		common_log(case_dir, c, d->name, t.p, NULL, 0);
	buf_free(&t);
	err_restore(id, why);
}

/* ---- --make-baseline ------------------------------------------------------------------ */

/* Before the sandbox (which allows the file itself, not its folder): the
 * baseline as it is now, copied beside it as path~, whatever comes next,
 * and kept in old: the merge starts from these very bytes, read once. */
static int keep_copy(const char *path, const char *bak, struct buf *old)
{
	int rc = 0;
	if (file_exists(path)) {
		rc = file_read(path, old, BL_MAX_FILE);
		if (rc == 0 && old->len)
			rc = file_write_atomic(bak, old->p, old->len);
	}
	return rc;
}

/* Merges what the tenant holds now into path: entries already there keep
 * their notes; old is the file as it was, also in path~ (keep_copy). */
static int make_baseline(const struct check_def *d, const struct common *c, const void *m,
			 const char *path, const struct buf *old)
{
	const struct mdl_head *h = m;
	struct bl b = { 0 };
	struct buf out = { 0 };
	/* Absent or empty (the sandbox makes the file it allows empty when
	 * absent): a new baseline. */
	int rc = -1, existed = old->len > 0;
	if (existed && bl_parse(old->p, old->len, path, &b) < 0)
		goto out;
	if (existed && bl_other_tenant(&b, h->tenant_id, h->tenant, h->tenant_domains)) {
		err_set(E_BL_TENANT, path, b.tenant_id[0] ? b.tenant_id : b.tenant_domain,
			h->tenant_id[0] ? h->tenant_id : h->tenant[0] ? h->tenant : "?");
		goto out;
	}
	b.present = 1;
	/* [tenant]: the directory's id and its initial domain, so that a
	 * baseline passed with the wrong case is caught. */
	const char *tid = h->tenant_id[0] ? h->tenant_id : h->tenant;
	if (!b.tenant_id[0] && strlen(tid) < sizeof b.tenant_id)
		memcpy(b.tenant_id, tid, strlen(tid) + 1);
	if (!b.tenant_domain[0] && h->tenant_id[0] && strchr(h->tenant, '.') &&
	    strlen(h->tenant) < sizeof b.tenant_domain)
		memcpy(b.tenant_domain, h->tenant, strlen(h->tenant) + 1);
	if (d->make_baseline(m, &b) < 0)
		goto out;
	char when[32], head[160];
	tm_utc_iso(h->now, when, sizeof when);
	snprintf(head, sizeof head, "%s --make-baseline, %s", d->name, when);
	if (bl_format(&b, head, &out) < 0)
		goto out;
	/* In place (the sandbox allows this file, not its folder); the file
	 * as it was is in path~ already (keep_copy). */
	rc = file_write_over(path, out.p, out.len);
	if (rc == 0 && !c->quiet)
		fprintf(stderr, "reflexe: %s\n  %s\n", tr(existed ? M_CHECK_BL_MERGED : M_CHECK_BL_WRITTEN), path);
out:
	buf_free(&out);
	bl_free(&b);
	return rc;
}

/* ---- one run ---------------------------------------------------------------------------- */

struct run {
	const struct check_def *d;
	const struct common *c;
	struct check_run r;
	char case_dir[4096];
	struct collect_session own_s;
	struct collect_session *s;     /* live: open until the findings are saved */
	struct bl bl;
	void *m;
	struct rule_source *src;
	struct rule_ctx ctx;
	struct findings fs;
	struct rule_verdict v;
	const char *make_bl;           /* --make-baseline FILE */
	char make_bl_bak[4096];        /* FILE~ */
	struct buf make_bl_old;        /* FILE as it was */
};

/* The sandbox of a check run on its own (core/sandbox.c): the case folder
 * (its parent while it is not made yet, then the folder itself), the
 * baseline file --make-baseline rewrites, and live only the cloud's
 * endpoints. Under qualify the session is given and
 * qualify's own rules stand. */
static int narrow(const struct run *x, const struct ms_cloud *cloud)
{
	struct narrow n = { .case_dir = x->case_dir, .cloud = cloud, .proxy = x->c->proxy };
	if (x->make_bl) {
		n.out[0] = x->make_bl;
		n.read[0] = x->make_bl;   /* merged into: read first */
	}
	return common_narrow(&n);
}

static int collect(struct run *x, struct collect_session *given)
{
	const struct common *c = x->c;
	if (!given && !x->d->collect) {
		/* A check that only reads what the case holds (check-events,
		 * over imported exports) needs no sign-in: the case alone is
		 * opened, to keep the findings. */
		if (!file_exists(x->case_dir))
			return err_set(E_MDL_NO_CASE, x->case_dir);
		if (case_open(&x->own_s.cs, x->case_dir, c->tenant, c->who, 0) < 0)
			return -1;
		given = &x->own_s;
	} else if (!given) {
		if (collect_config(&x->own_s, c) < 0)
			return -1;
		if (narrow(x, &x->own_s.a.cloud) < 0) {
			collect_close(&x->own_s);
			return -1;
		}
		if (collect_start(&x->own_s, x->case_dir, c) < 0)
			return -1;
		given = &x->own_s;
		x->s = given;
		/* The folder exists now: narrowed to it. */
		if (narrow(x, &x->own_s.a.cloud) < 0)
			return -1;
	}
	x->s = given;
	if (!x->d->collect)
		return 0;
	if (x->d->collect(x->s, &x->r) < 0)
		return -1;
	if (!c->quiet)
		collect_stats(x->s);
	return 0;
}

static int load(struct run *x)
{
	struct case_dir *cs;
	if (!file_exists(x->case_dir))
		return err_set(E_MDL_NO_CASE, x->case_dir);
	/* Read-only, whether live or not: the manifest to check against. */
	if (case_open(&cs, x->case_dir, NULL, NULL, 1) < 0)
		return -1;
	int r = x->d->load(cs, &x->r, x->m);
	case_close(cs);
	return r;
}

static int render(struct run *x, const char *format, struct buf *out)
{
	const struct mdl_head *h = x->m;
	/* "generated": when this document was made (an --offline run a week
	 * later says so); the window's end stays the collection's time. */
	struct render_doc doc = { x->d->name, x->d->fiche, h->tenant, x->case_dir, tm_now(), h->since,
				  h->now, &x->fs, &x->v };
	if (!strcmp(format, "csv")) {
		struct rule_table t = { 0 };
		int r = x->d->csv(&x->ctx, &t);
		if (r == 0)
			r = render_csv(&t, out);
		rule_table_free(&t);
		return r;
	}
	if (!strcmp(format, "json"))
		return render_json(&doc, out);
	if (!strcmp(format, "md"))
		return render_md(&doc, out);
	return render_text(&doc, out);
}

static int analyse(struct run *x)
{
	const struct mdl_head *h = x->m;
	x->src = calloc(h->nsrc ? h->nsrc : 1, sizeof *x->src);
	if (!x->src)
		return err_set(E_NOMEM);
	rule_sources_from(h->src, h->nsrc, x->src);
	x->ctx = (struct rule_ctx){ x->m, &x->bl, x->src, h->nsrc, h->now, h->since };
	if (rule_run(x->d->rules, x->d->nrules, &x->ctx, &x->fs) < 0)
		return -1;
	return x->d->verdict(&x->ctx, &x->fs, &x->v);
}

/* alone: run by its applet, which narrows its own sandbox; under qualify
 * (check_run_with), qualify's sandbox stands. */
static int run(const struct check_def *d, const struct common *c, const void *own,
	       struct collect_session *given, const char *make_bl, int alone)
{
	struct run x;
	struct buf out = { 0 };
	int rc = EXIT_FAIL;
	memset(&x, 0, sizeof x);
	x.d = d;
	x.c = c;
	if (c->baseline && bl_load(c->baseline, &x.bl) < 0)
		return EXIT_USAGE;
	/* A session given (qualify) has its case open; else a live run may
	 * start ./case-<tenant>-<date>, and --offline reads one. */
	if (given && given->cs && !c->offline)
		snprintf(x.case_dir, sizeof x.case_dir, "%s", case_path(given->cs));
	else if (common_case_dir(c, !c->offline, x.case_dir, sizeof x.case_dir) < 0) {
		bl_free(&x.bl);
		return EXIT_USAGE;
	}
	x.r.c = c;
	x.r.own = own;
	x.r.case_dir = x.case_dir;
	x.r.bl = x.bl.present ? &x.bl : NULL;
	x.r.now = tm_now();
	x.r.since = tm_window_start(&c->window, x.r.now, d->window ? d->window : 30 * 86400);
	x.m = calloc(1, d->model_size);
	if (!x.m) {
		err_set(E_NOMEM);
		goto done;
	}
	d->init(x.m);
	x.make_bl = make_bl;
	if (make_bl && (size_t)snprintf(x.make_bl_bak, sizeof x.make_bl_bak, "%s~", make_bl) >= sizeof x.make_bl_bak) {
		err_set(E_FILE_WRITE, make_bl, file_strerror(ENAMETOOLONG));
		goto done;
	}
	if (make_bl && keep_copy(make_bl, x.make_bl_bak, &x.make_bl_old) < 0)
		goto done;
	if (alone && (c->offline || !d->collect) && narrow(&x, NULL) < 0)
		goto done;
	if ((!c->offline && collect(&x, given) < 0) || load(&x) < 0) {
		log_incomplete(d, x.case_dir, c);
		goto done;
	}
	const struct mdl_head *h = x.m;
	/* Offline on a case this check never collected into: every point is
	 * "not collected", and the roles each names are those of the live run
	 * that is missing; one line says so first. Under qualify, not: it
	 * tells its own story of what the case holds. */
	if (alone && c->offline && d->collect && !h->rec.found && !c->quiet) {
		fputs("reflexe: ", stderr);
		tr_fprintf(stderr, M_CHECK_NOT_COLLECTED, d->name, d->name, x.case_dir);
		fputc('\n', stderr);
	}
	if (make_bl) {
		rc = make_baseline(d, c, x.m, make_bl, &x.make_bl_old) < 0 ? EXIT_FAIL : EXIT_CLEAN;
		goto done;
	}
	if (x.bl.present && bl_other_tenant(&x.bl, h->tenant_id, h->tenant, h->tenant_domains)) {
		err_set(E_BL_TENANT, c->baseline, x.bl.tenant_id[0] ? x.bl.tenant_id : x.bl.tenant_domain,
			h->tenant_id[0] ? h->tenant_id : h->tenant[0] ? h->tenant : "?");
		rc = EXIT_USAGE;
		goto done;
	}
	if (analyse(&x) < 0 || render(&x, c->format, &out) < 0 || common_emit(&out) < 0)
		goto done;
	/* Live, the findings join the evidence (DESIGN.md: findings/<check>.json);
	 * --offline writes no evidence into a case it only reads. */
	if (x.s) {
		char rel[128];
		snprintf(rel, sizeof rel, "findings/%s.json", d->name);
		buf_reset(&out);
		if (render(&x, "json", &out) < 0 || case_save(x.s->cs, rel, out.p, out.len, NULL) < 0)
			goto done;
	}
	log_summary(d, x.case_dir, c, &x.v, &x.fs);
	/* Findings first; with none, a question the evidence cannot answer
	 * (role holders unreadable…) is a run that could not complete. */
	rc = rule_exit_status(&x.fs);
	if (rc == EXIT_CLEAN && x.v.v == VERDICT_UNDETERMINED)
		rc = EXIT_FAIL;
done:
	if (x.s == &x.own_s && collect_close(&x.own_s) < 0 && rc != EXIT_FAIL) {
		rc = EXIT_FAIL;
	}
	buf_free(&out);
	buf_free(&x.make_bl_old);
	rule_verdict_free(&x.v);
	findings_free(&x.fs);
	free(x.src);
	if (x.m) {
		d->free(x.m);
		free(x.m);
	}
	bl_free(&x.bl);
	return rc;
}

int check_run_with(const struct check_def *d, const struct common *c, const void *own,
		   struct collect_session *s)
{
	return run(d, c, own, s, NULL, 0);
}

int check_main(const struct check_def *d, int argc, char **argv)
{
	struct main_ctx x = { d, NULL, 0, NULL };
	struct common c;
	int rc = EXIT_FAIL;
	struct opt_spec *opts = options(d);
	x.own = calloc(1, d->own_size ? d->own_size : 1);
	if (!opts || !x.own) {
		err_set(E_NOMEM);
		goto out;
	}
	rc = common_parse(argc, argv, opts, on_opt, &x, &c, 0, d->help);
	if (rc == 0 && !c.help) {
		if (!format_ok(d, c.format))
			rc = format_error(d, c.format);
		else if (x.list)
			rc = list_rules(d);
		else
			rc = run(d, &c, x.own, NULL, x.make_bl, 1);
	}
	common_free(&c);
out:
	free(opts);
	free(x.own);
	return rc;
}
