/*
 * A case folder into a struct rep, evidence first: every file the
 * manifest lists is read and hashed before anything is concluded (one
 * altered, or listed and gone, refuses the report and is named: a report
 * resting on evidence that is not what was collected would be worse than
 * none); then the findings documents, the logbook (its chain checked: a
 * break is shown on the report, not a refusal, since the logbook is what
 * the responders wrote and they need the report all the more), the
 * answers, the qualification, the clock and the plan.
 *
 * The seal (spec §3.5): manifest.sha256 grows with every saved file and
 * is compacted when a case is closed, so its hash at one moment cannot be
 * cited later. The report saves a copy of it as report/seal-<UTC>.sha256
 * (itself listed), writes the logbook line « rapport ; gravité … ; sceau
 * sha256=S », and prints S, the logbook's head hash H (which covers that
 * line) and its line count: `sha256sum report/seal-….sha256` gives S,
 * `sha256sum -c` on it checks every file the report used, and
 * `reflexe courante verify H` checks the logbook up to the report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case/case.h"
#include "courante/courante.h"
#include "report/report.h"

struct verify {
	struct case_dir *cs;
	struct buf f;
	int r;
};

static int verify_one(void *ctx, const char *rel)
{
	struct verify *v = ctx;
	buf_reset(&v->f);
	int got = mdl_evidence_read(v->cs, rel, &v->f, REP_MAX_DOC);
	if (got < 0)
		return v->r = got;
	return 0;
}

static int demo_log(const struct cour_log *log)
{
	for (size_t i = 0; i < log->n; i++) {
		const char *w = log->e[i].what;
		if (w && (!strncmp(w, "DÉMO", 5) || !strncmp(w, "DEMO", 4)))
			return 1;
	}
	return 0;
}

static int sha_file(const char *path, char out[65])
{
	struct buf b = { 0 };
	int r = file_read(path, &b, REP_MAX_DOC);
	if (r == 0)
		r = case_sha256_hex(b.p ? b.p : "", b.len, out);
	buf_free(&b);
	return r;
}

int rep_build(const char *case_dir, const char *answers_path, int64_t now, struct rep *r)
{
	struct case_dir *cs = NULL;
	int rc = EXIT_FAIL;
	memset(r, 0, sizeof *r);
	snprintf(r->case_dir, sizeof r->case_dir, "%s", case_dir);
	const char *slash = strrchr(r->case_dir, '/');
	while (slash && !slash[1] && slash > r->case_dir) {
		/* "kit/demo/": name the folder, not the empty tail */
		r->case_dir[slash - r->case_dir] = 0;
		slash = strrchr(r->case_dir, '/');
	}
	r->case_name = slash ? slash + 1 : r->case_dir;
	r->now = now;
	if (!(r->log = calloc(1, sizeof *r->log))) {
		err_set(E_NOMEM);
		return EXIT_FAIL;
	}
	if (case_open(&cs, r->case_dir, NULL, NULL, 1) < 0)
		return EXIT_FAIL;
	const struct case_info *ci = case_info(cs);
	/* the name given, with the directory's id when both are known */
	struct buf t = { 0 };
	if (buf_puts(&t, ci->tenant[0] ? ci->tenant : ci->tenant_id) < 0 ||
	    (ci->tenant[0] && ci->tenant_id[0] && strcasecmp(ci->tenant, ci->tenant_id) &&
	     buf_printf(&t, " (%s)", ci->tenant_id) < 0)) {
		buf_free(&t);
		goto out;
	}
	snprintf(r->tenant, sizeof r->tenant, "%.255s", t.p ? t.p : "");
	buf_free(&t);
	snprintf(r->case_id, sizeof r->case_id, "%s", ci->case_id);
	r->has_skew = ci->has_skew;
	r->skew = ci->skew_s;

	struct verify v = { cs, { 0 }, 0 };
	int vr = case_listed_under(cs, "", verify_one, &v);
	buf_free(&v.f);
	if (vr < 0)
		goto out;
	if (rep_findings_read(cs, &r->fs) < 0)
		goto out;
	if (cour_load(r->case_dir, r->log, &r->log_exists) < 0)
		goto out;
	r->demo = demo_log(r->log);

	char mpath[4200];
	snprintf(mpath, sizeof mpath, "%s/manifest.sha256", r->case_dir);
	if (file_exists(mpath) && sha_file(mpath, r->seal.manifest_sha) < 0)
		goto out;
	/* The answers: a file given, else the case's own (evidence: checked
	 * against the manifest like the rest). */
	if (answers_path) {
		if (rep_answers_load(&r->an, answers_path) < 0) {
			rc = err_id() == E_FILE_OPEN || err_id() == E_FILE_READ ? EXIT_FAIL : EXIT_USAGE;
			goto out;
		}
		r->has_answers = 1;
		if (sha_file(answers_path, r->seal.answers_sha) < 0)
			goto out;
	} else {
		struct buf b = { 0 };
		int got = mdl_evidence_read(cs, "answers.ini", &b, 256 * 1024);
		if (got > 0) {
			case_sha256_hex(b.p ? b.p : "", b.len, r->seal.answers_sha);
			if (rep_answers_parse(&r->an, b.p ? b.p : "", b.len, "answers.ini") < 0) {
				buf_free(&b);
				rc = EXIT_USAGE;
				goto out;
			}
			r->has_answers = 1;
		}
		buf_free(&b);
		if (got < 0)
			goto out;
	}
	long long sl;
	rep_timebox(r->log, &r->box_origin, &r->box_min, &sl);
	if ((rc = rep_requalify(r)) != 0)
		goto out;
	snprintf(r->seal.head, sizeof r->seal.head, "%s", r->log->head);
	r->seal.lines = r->log->n ? r->log->e[r->log->n - 1].seq : 0;
out:
	case_close(cs);
	return rc;
}

int rep_requalify(struct rep *r)
{
	rep_plan_free(&r->plan);
	if (rep_qualify(&r->fs, &r->an, &r->q) < 0)
		return EXIT_USAGE;
	if (rep_clock(&r->q, &r->an, r->log, r->now, &r->clock) < 0 || rep_plan(&r->fs, &r->q, &r->plan) < 0)
		return EXIT_FAIL;
	r->clock.has_skew = r->has_skew;
	r->clock.skew = r->skew;
	return 0;
}

int rep_timebox(const struct cour_log *log, int64_t *origin, int *minutes, long long *line)
{
	*origin = 0;
	*minutes = 0;
	*line = 0;
	for (size_t i = 0; log && i < log->n; i++) {
		const struct cour_entry *e = &log->e[i];
		if (e->kind != COUR_TOOL || !rep_line_is(e->what, M_Q_LOG_START))
			continue;
		/* the box is the first number in the line, in either language */
		const char *p = e->what;
		while (*p && (*p < '0' || *p > '9'))
			p++;
		int m = atoi(p);
		if (m <= 0 || m > 24 * 60)
			continue;
		*origin = e->event;
		*minutes = m;
		*line = e->seq;
		return 1;
	}
	return 0;
}

int rep_seal_save(struct rep *r, const char *who)
{
	struct case_dir *cs = NULL;
	struct buf m = { 0 }, t = { 0 };
	char mpath[4200], iso[32], rel[128], sha[65];
	int rc = -1;
	snprintf(mpath, sizeof mpath, "%s/manifest.sha256", r->case_dir);
	if (case_open(&cs, r->case_dir, NULL, NULL, 0) < 0)
		return -1;
	if (file_read(mpath, &m, REP_MAX_DOC) < 0)
		goto out;
	tm_utc_iso(tm_now(), iso, sizeof iso);
	/* "2026-11-22T09:40:00Z" -> "20261122T094000Z": FAT-safe */
	char stamp[32];
	size_t k = 0;
	for (const char *p = iso; *p && k + 1 < sizeof stamp; p++)
		if (*p != '-' && *p != ':')
			stamp[k++] = *p;
	stamp[k] = 0;
	snprintf(rel, sizeof rel, "report/seal-%s.sha256", stamp);
	if (case_save(cs, rel, m.p ? m.p : "", m.len, sha) < 0)
		goto out;
	snprintf(r->seal.seal_rel, sizeof r->seal.seal_rel, "%s", rel);
	snprintf(r->seal.manifest_sha, sizeof r->seal.manifest_sha, "%s", sha);
	if (buf_trf(&t, M_REP_LOG_SEAL, rep_grav_word(r->q.retained),
		       rep_grav_word(r->q.computed), r->q.computed_rule, sha) < 0)
		goto out;
	if (cour_log_tool(r->case_dir, who, "report", t.p, NULL, 0) < 0)
		goto out;
	struct cour_log log = { 0 };
	int exists;
	if (cour_check(r->case_dir, &log, &exists) < 0)
		goto out;
	snprintf(r->seal.head, sizeof r->seal.head, "%s", log.head);
	r->seal.lines = (long long)log.n + (log.torn.line ? 1 : 0);
	cour_log_free(&log);
	/* the logbook as the report shows it, with the seal's line */
	cour_log_free(r->log);
	if (cour_load(r->case_dir, r->log, &r->log_exists) < 0)
		goto out;
	if (r->log->n)
		r->seal.lines = r->log->e[r->log->n - 1].seq;
	rc = 0;
out:
	if (cs && case_close(cs) < 0)
		rc = -1;
	buf_free(&m);
	buf_free(&t);
	return rc;
}

/* Saves the rendered report into the case (report.html, report.md,
 * report.json), each listed in the manifest. */
int rep_save_outputs(const struct rep *r)
{
	static const struct { enum rep_fmt f; const char *rel; } outs[] = {
		{ RF_HTML, "report.html" }, { RF_MD, "report.md" }, { RF_JSON, "report.json" } };
	struct case_dir *cs = NULL;
	struct buf b = { 0 };
	int rc = 0;
	if (case_open(&cs, r->case_dir, NULL, NULL, 0) < 0)
		return -1;
	for (size_t i = 0; i < sizeof outs / sizeof outs[0] && rc == 0; i++) {
		buf_reset(&b);
		rc = rep_render(r, outs[i].f, &b) < 0 || case_save(cs, outs[i].rel, b.p ? b.p : "", b.len, NULL) < 0 ? -1 : 0;
	}
	if (case_close(cs) < 0)
		rc = -1;
	buf_free(&b);
	return rc;
}

void rep_free(struct rep *r)
{
	rep_findings_free(&r->fs);
	rep_answers_free(&r->an);
	rep_plan_free(&r->plan);
	if (r->log) {
		cour_log_free(r->log);
		free(r->log);
	}
	memset(r, 0, sizeof *r);
}

int rep_exit_status(const struct rep *r)
{
	return r->q.retained == G_ANOMALIE ? EXIT_CLEAN : EXIT_FINDINGS;
}
