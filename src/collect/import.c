/*
 * The collector of exports a customer sends: one file into the case, in
 * one pass over its bytes, whatever its size —
 *   the bytes read are copied to the case as they are read (the original,
 *   never modified, hashed on the way) and handed to export/, whose
 *   events are written as they come (events.jsonl, the normalised form
 *   the rules read); nothing but a chunk and one record is in memory.
 * Only when the whole file has been read without a fault is anything
 * listed, under imports/<sha256 of the original>/:
 *   original/<name>   the file as received
 *   events.jsonl      one normalised event per line (export/event.c)
 *   import.json       this record: name, size, layout, rows, events, time
 *                     span, and how its times became UTC
 * import.json is listed last: a case that lists it holds the other two.
 * A file whose hash already names an import of the case is not imported
 * again (its events would count twice). On any fault — a malformed row,
 * an unknown layout, a date without zone and no --tz, a full stick —
 * the temp files are removed and nothing of the file is kept.
 *
 * Files are staged in imports/incoming/ (their name depends on a hash
 * known only at the end) and renamed from there: same file system, so
 * the rename is atomic.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case/case.h"
#include "collect/collect.h"
#include "export/export.h"

#define STAGE "imports/incoming"
#define RBUF (1u << 20)
#define EVBUF (256u * 1024)

struct imp {
	int fd;
	const char *path;
	struct case_stream *orig, *events;
	struct buf ev;              /* event lines not yet written */
	int read_err;
};

/* export/'s read callback: from the file, copied to the case on the way. */
static int imp_read(void *ctx, char *buf, size_t n)
{
	struct imp *x = ctx;
	for (;;) {
		ssize_t k = read(x->fd, buf, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			x->read_err = 1;
			return err_set(E_FILE_READ, x->path, file_strerror(errno));
		}
		if (k > 0 && case_stream_write(x->orig, buf, (size_t)k) < 0)
			return -1;
		return (int)k;
	}
}

static int imp_emit(void *ctx, const struct exp_event *e)
{
	struct imp *x = ctx;
	if (exp_event_write(e, &x->ev) < 0)
		return -1;
	if (x->ev.len >= EVBUF) {
		if (case_stream_write(x->events, x->ev.p, x->ev.len) < 0)
			return -1;
		buf_reset(&x->ev);
	}
	return 0;
}

/* The name as a case path component: [A-Za-z0-9._-] kept, anything else
 * '_' (FAT, sha256sum's escapes); the real name is in import.json. */
static void safe_name(const char *path, char *out, size_t n)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t k = 0;
	for (const char *p = b; *p && k + 1 < n && k < 200; p++) {
		unsigned char c = (unsigned char)*p;
		out[k++] = (char)((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
				  c == '.' || c == '-' || c == '_' ? c : '_');
	}
	out[k] = 0;
	if (!k || !strcmp(out, ".") || !strcmp(out, ".."))
		snprintf(out, n, "export");
}

/* Temp files of a run that was killed mid-import were never evidence. */
static void clean_stage(struct case_dir *c)
{
	char dir[4200];
	snprintf(dir, sizeof dir, "%s/%s", case_path(c), STAGE);
	DIR *d = opendir(dir);
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));)
		if (e->d_name[0] == '.' && strstr(e->d_name, ".tmp-"))
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
}

static void iso_or_null(struct buf *b, const char *key, int64_t t)
{
	char s[32];
	if (t == EXP_NO_TIME) {
		buf_printf(b, ",\"%s\":null", key);
		return;
	}
	tm_utc_iso(t, s, sizeof s);
	buf_printf(b, ",\"%s\":\"%s\"", key, s);
}

static int record(struct buf *b, const char *name, const char *folder, const char *orig_rel,
		  const char *sha, unsigned long long bytes, const char *events_sha,
		  const struct exp_stats *st, const char *who)
{
	char now[32];
	tm_utc_iso(tm_now(), now, sizeof now);
	buf_printf(b, "{\"tool\":\"reflexe\",\"version\":\"%s\",\"imported\":\"%s\",\"who\":", REFLEXE_VERSION, now);
	json_put_str(b, who ? who : "");
	buf_puts(b, ",\"file\":");
	json_put_str(b, name);
	buf_printf(b, ",\"original\":\"%s\",\"sha256\":\"%s\",\"bytes\":%llu", orig_rel, sha, bytes);
	buf_printf(b, ",\"events_file\":\"%s/events.jsonl\",\"events_sha256\":\"%s\"", folder, events_sha);
	buf_printf(b, ",\"layout\":\"%s\",\"layouts\":[", exp_layout_name(st->layout));
	int k = 0;
	for (int l = 1; l < EXP_L__N; l++)
		if (st->layouts & (1u << l))
			buf_printf(b, "%s\"%s\"", k++ ? "," : "", exp_layout_name((enum exp_layout)l));
	buf_puts(b, "],\"kinds\":[");
	static const char *const kinds[] = { "ual", "signins", "audits" };
	k = 0;
	for (int i = 0; i < 3; i++)
		if (st->kinds & (1u << i))
			buf_printf(b, "%s\"%s\"", k++ ? "," : "", kinds[i]);
	buf_puts(b, "],\"header\":");
	json_put_str(b, st->head);
	if (st->sep)
		buf_printf(b, ",\"separator\":\"%s\"", st->sep == '\t' ? "\\t" : st->sep == ';' ? ";" : ",");
	buf_printf(b, ",\"encoding\":\"%s\"", st->encoding[0] ? st->encoding : "utf-8");
	buf_printf(b, ",\"rows\":%llu,\"events\":%llu,\"no_time\":%llu", (unsigned long long)st->rows,
		   (unsigned long long)st->events, (unsigned long long)st->no_time);
	iso_or_null(b, "first", st->first);
	iso_or_null(b, "last", st->last);
	buf_puts(b, ",\"tz\":{\"basis\":[");
	static const char *const bases[] = { "offset", "header", "schema", "given" };
	k = 0;
	for (int i = 0; i < 4; i++)
		if (st->tz_basis & (1u << i))
			buf_printf(b, "%s\"%s\"", k++ ? "," : "", bases[i]);
	buf_puts(b, "],\"given\":");
	if (st->tz_basis & EXP_TZ_GIVEN)
		json_put_str(b, st->tz_name);
	else
		buf_puts(b, "null");
	return buf_puts(b, "}}\n");
}

int collect_import(struct case_dir *c, const char *path, const struct collect_import_opts *o,
		   struct collect_import_result *res)
{
	struct imp x = { -1, path, NULL, NULL, { 0 }, 0 };
	struct case_batch batch = { { 0 }, { 0 } };
	struct buf rec = { 0 };
	struct stat sb;
	char name[256], orig_rel[512], folder[128], rel[600], events_sha[65];
	int rc = -1;

	memset(res, 0, sizeof *res);
	if ((x.fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return err_set(E_FILE_OPEN, path, file_strerror(errno));
	if (fstat(x.fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		err_set(E_FILE_READ, path, file_strerror(S_ISDIR(sb.st_mode) ? EISDIR : EINVAL));
		goto out;
	}
	clean_stage(c);
	safe_name(path, name, sizeof name);
	snprintf(rel, sizeof rel, STAGE "/%s", name);
	if (case_stream_open(c, rel, &x.orig) < 0)
		goto out;
	snprintf(rel, sizeof rel, STAGE "/%s.events", name);
	if (case_stream_open(c, rel, &x.events) < 0)
		goto out;
	struct exp_opts eo = { o ? o->tz : NULL };
	if (exp_run(imp_read, &x, imp_emit, &x, &eo, &res->st) < 0)
		goto out;
	/* export/ may stop reading at the end of its last record: the copy
	 * must hold every byte all the same */
	char tail[65536];
	for (int k; (k = imp_read(&x, tail, sizeof tail)) != 0;)
		if (k < 0)
			goto out;
	if (x.ev.len && case_stream_write(x.events, x.ev.p, x.ev.len) < 0)
		goto out;
	res->bytes = case_stream_bytes(x.orig);
	if (case_stream_finish(x.orig, res->sha) < 0 || case_stream_finish(x.events, events_sha) < 0)
		goto out;
	snprintf(folder, sizeof folder, "imports/%s", res->sha);
	snprintf(res->folder, sizeof res->folder, "%s", folder);
	/* Already in the case? (the manifest read afresh: an import earlier in
	 * this run counts) */
	char listed[65];
	case_index_free(c);
	snprintf(rel, sizeof rel, "%s/import.json", folder);
	int r = case_listed_sha(c, rel, listed);
	if (r < 0)
		goto out;
	if (r == 1) {
		res->duplicate = 1;
		rc = 0;
		goto out;
	}
	snprintf(orig_rel, sizeof orig_rel, "%s/original/%s", folder, name);
	if (case_stream_commit(x.orig, &batch, orig_rel, NULL) < 0) {
		x.orig = NULL;
		goto out;
	}
	x.orig = NULL;
	snprintf(rel, sizeof rel, "%s/events.jsonl", folder);
	if (case_stream_commit(x.events, &batch, rel, NULL) < 0) {
		x.events = NULL;
		goto out;
	}
	x.events = NULL;
	const char *base = strrchr(path, '/');
	if (record(&rec, base ? base + 1 : path, folder, orig_rel, res->sha, res->bytes, events_sha, &res->st,
		   o ? o->who : NULL) < 0)
		goto out;
	snprintf(rel, sizeof rel, "%s/import.json", folder);
	if (case_save_in(c, &batch, rel, rec.p, rec.len, NULL) < 0 || case_commit(c, &batch) < 0)
		goto out;
	rc = 0;
out:
	case_stream_abort(x.orig);
	case_stream_abort(x.events);
	case_batch_free(&batch);
	buf_free(&rec);
	buf_free(&x.ev);
	if (x.fd >= 0)
		close(x.fd);
	return rc;
}
