/*
 * One logbook line. The format, field order fixed (JSON Lines, UTF-8):
 *
 * {"seq":7,"kind":"note","recorded":"2026-11-22T08:41:07Z",
 *  "event":"2026-11-22T08:40:00Z","offset":"+01:00","who":"Alice",
 *  "what":"…","targets":["bob@contoso.fr","PC-042"],"status":"todo",
 *  "source":"alerte EDR","corrects":null,"status_of":null,
 *  "prev":"<64 hex>","hash":"<64 hex>"}\n
 *
 * The chain, kept simple enough to check with sed and sha256sum:
 *   hash = SHA-256 of the line's bytes from '{' up to, not including,
 *          the final `,"hash":"` (on one line, deleting from `,"hash":`
 *          to the end with sed, then `tr -d '\n' | sha256sum`, gives it);
 *   prev = the "hash" of the line before; 64 zeros on line 1;
 *   seq  = the line number.
 * An edited byte breaks that line's hash; a deleted, inserted or moved
 * line breaks seq and the next prev. The chain has no secret: whoever can
 * write the file can rewrite the whole chain. What it proves is that the
 * file is the one whose last hash was noted elsewhere (`verify` prints it:
 * write it in the paper logbook or send it by mail).
 *
 * Times are stored in UTC ("Z"); "offset" keeps the local offset the event
 * was given in, so a reader sees the responder's wall-clock time too.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "courante/courante.h"

static const char *const kinds[COUR_KIND__N] = {
	[COUR_NOTE] = "note", [COUR_OPEN] = "open", [COUR_CORRECT] = "correct",
	[COUR_STATUS] = "status", [COUR_TOOL] = "tool", [COUR_IMPORT] = "import",
	[COUR_REPAIR] = "repair",
};

const char *cour_kind_name(enum cour_kind k)
{
	return (unsigned)k < COUR_KIND__N ? kinds[k] : "?";
}

const char *cour_status_name(enum cour_status s)
{
	switch (s) {
	case COUR_ST_TODO: return "todo";
	case COUR_ST_DOING: return "doing";
	case COUR_ST_DONE: return "done";
	default: return NULL;
	}
}

const char *cour_status_label(enum cour_status s)
{
	switch (s) {
	case COUR_ST_TODO: return tr(M_COUR_ST_TODO);
	case COUR_ST_DOING: return tr(M_COUR_ST_DOING);
	case COUR_ST_DONE: return tr(M_COUR_ST_DONE);
	default: return "";
	}
}

/* Folds "À faire", "a-faire", "EN_COURS" to "afaire", "encours". */
static void fold(const char *s, char *out, size_t sz)
{
	size_t k = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && k + 1 < sz; p++) {
		if (*p == ' ' || *p == '-' || *p == '_')
			continue;
		if (p[0] == 0xC3 && (p[1] == 0xA0 || p[1] == 0x80)) {   /* à À */
			out[k++] = 'a';
			p++;
			continue;
		}
		out[k++] = (char)tolower(*p);
	}
	out[k] = 0;
}

int cour_status_parse(const char *s, enum cour_status *out)
{
	static const struct { const char *w; enum cour_status s; } t[] = {
		{ "todo", COUR_ST_TODO }, { "afaire", COUR_ST_TODO },
		{ "doing", COUR_ST_DOING }, { "encours", COUR_ST_DOING },
		{ "done", COUR_ST_DONE }, { "fait", COUR_ST_DONE },
		{ "none", COUR_ST_NONE }, { "", COUR_ST_NONE },
	};
	char f[32];
	fold(s ? s : "", f, sizeof f);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcmp(f, t[i].w)) {
			*out = t[i].s;
			return 0;
		}
	return -1;
}

int cour_check_text(const char *name, const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n > max)
		return err_set(E_COUR_TEXT_LONG, name, max);
	if (!json_utf8_valid(s, n))
		return err_set(E_COUR_TEXT_UTF8, name);
	return 0;
}

void cour_offset_str(int off, char out[8])
{
	int a = off < 0 ? -off : off;
	out[0] = off < 0 ? '-' : '+';
	out[1] = (char)('0' + a / 600 % 10);
	out[2] = (char)('0' + a / 60 % 10);
	out[3] = ':';
	out[4] = (char)('0' + a % 60 / 10);
	out[5] = (char)('0' + a % 10);
	out[6] = 0;
}

static int put_opt_str(struct buf *b, const char *key, const char *v)
{
	if (buf_puts(b, key) < 0)
		return -1;
	return v ? json_put_str(b, v) : buf_puts(b, "null");
}

static int put_opt_int(struct buf *b, const char *key, long long v)
{
	return v > 0 ? buf_printf(b, "%s%lld", key, v) : buf_printf(b, "%snull", key);
}

int cour_entry_format(struct cour_entry *e, struct buf *out)
{
	char rec[32], ev[32], off[8];
	size_t start = out->len;

	if (e->ntargets > COUR_MAX_TARGETS)
		return err_set(E_COUR_TOO_MANY_TARGETS, COUR_MAX_TARGETS);
	tm_utc_iso(e->recorded, rec, sizeof rec);
	tm_utc_iso(e->event, ev, sizeof ev);
	cour_offset_str(e->offset_min, off);
	int r = buf_printf(out, "{\"seq\":%lld,\"kind\":\"%s\",\"recorded\":\"%s\","
			   "\"event\":\"%s\",\"offset\":\"%s\"",
			   e->seq, cour_kind_name(e->kind), rec, ev, off);
	r |= put_opt_str(out, ",\"who\":", e->who ? e->who : "");
	r |= put_opt_str(out, ",\"what\":", e->what ? e->what : "");
	r |= buf_puts(out, ",\"targets\":[");
	for (size_t i = 0; i < e->ntargets && !r; i++) {
		if (i)
			r |= buf_puts(out, ",");
		r |= json_put_str(out, e->targets[i]);
	}
	r |= buf_puts(out, "]");
	r |= put_opt_str(out, ",\"status\":", cour_status_name(e->status));
	r |= put_opt_str(out, ",\"source\":", e->source);
	r |= put_opt_int(out, ",\"corrects\":", e->corrects);
	r |= put_opt_int(out, ",\"status_of\":", e->status_of);
	r |= buf_printf(out, ",\"prev\":\"%s\"", e->prev);
	if (r)
		return -1;
	if (hash_sha256_hex(out->p + start, out->len - start, e->hash) < 0)
		return -1;
	if (buf_printf(out, ",\"hash\":\"%s\"}\n", e->hash) < 0)
		return -1;
	if (out->len - start > COUR_MAX_LINE) {
		out->len = start;
		out->p[start] = 0;
		return err_set(E_COUR_LINE_LONG, COUR_MAX_LINE);
	}
	return 0;
}

static int is_hex64(const char *s)
{
	if (strlen(s) != 64)
		return 0;
	for (int i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

enum { F_SEQ, F_KIND, F_RECORDED, F_EVENT, F_OFFSET, F_WHO, F_WHAT, F_TARGETS,
       F_STATUS, F_SOURCE, F_CORRECTS, F_STATUS_OF, F_PREV, F_HASH, F__N };
static const char *const fields[F__N] = {
	"seq", "kind", "recorded", "event", "offset", "who", "what", "targets",
	"status", "source", "corrects", "status_of", "prev", "hash",
};

/* UTC time "…Z" as written by tm_utc_iso. */
static int utc_field(const struct json *j, int tok, const char *key, int64_t *t)
{
	char s[40];
	int off, has;
	if (json_str(j, tok, "", s, sizeof s) != 0 || tm_parse_iso(s, t, &off, &has) < 0 ||
	    !has || off != 0 || s[strlen(s) - 1] != 'Z')
		return err_set(E_COUR_FIELD, key);
	return 0;
}

static int opt_seq(const struct json *j, int tok, const char *key, long long *v)
{
	int r = json_int(j, tok, "", v);
	if (r < 0 || (r == 0 && *v < 1))
		return err_set(E_COUR_FIELD, key);
	if (r == 1)
		*v = 0;
	return 0;
}

#define HASH_SUFFIX_LEN (9 + 64 + 2)   /* ,"hash":" + hex + "} */

int cour_entry_parse(struct cour_entry *e, const char *line, size_t len, int *hash_ok)
{
	struct json j;
	char buf[COUR_MAX_FIELD + 1];
	int r;

	memset(e, 0, sizeof *e);
	*hash_ok = 0;
	if (len > COUR_MAX_LINE)
		return err_set(E_COUR_LINE_LONG, COUR_MAX_LINE);
	if (json_parse(&j, line, len, (struct json_limits){ 2 * COUR_MAX_TARGETS + 64, 3 }) < 0) {
		char why[256];
		snprintf(why, sizeof why, "%s", err_msg());
		return err_set(E_COUR_LINE_JSON, why);
	}
	if (json_type(&j, 0) != JSON_OBJ) {
		r = err_set(E_COUR_LINE_JSON, "{…}");
		goto out;
	}
	/* The hash must be the last field, right where it is hashed from. */
	if (len < HASH_SUFFIX_LEN || memcmp(line + len - HASH_SUFFIX_LEN, ",\"hash\":\"", 9) ||
	    memcmp(line + len - 2, "\"}", 2)) {
		r = err_set(E_COUR_NO_HASH);
		goto out;
	}
	/* One pass over the members (not a lookup per field: verify reads
	 * every line); a known field given twice makes the line unreadable. */
	int ft[F__N];
	for (int k = 0; k < F__N; k++)
		ft[k] = -1;
	for (int c = json_first(&j, 0); c >= 0; c = json_next(&j, c)) {
		char key[16];
		if (json_key(&j, c, key, sizeof key) < 0)
			continue;       /* a long or odd key: not one of ours */
		for (int k = 0; k < F__N; k++)
			if (!strcmp(key, fields[k])) {
				if (ft[k] >= 0) {
					r = err_set(E_COUR_FIELD, fields[k]);
					goto out;
				}
				ft[k] = c;
			}
	}
	r = -1;
	if (json_int(&j, ft[F_SEQ], "", &e->seq) != 0 || e->seq < 1) {
		err_set(E_COUR_FIELD, "seq");
		goto out;
	}
	if (json_str(&j, ft[F_KIND], "", buf, sizeof buf) != 0) {
		err_set(E_COUR_FIELD, "kind");
		goto out;
	}
	e->kind = COUR_KIND__N;
	for (int k = 0; k < COUR_KIND__N; k++)
		if (!strcmp(buf, kinds[k]))
			e->kind = (enum cour_kind)k;
	if (e->kind == COUR_KIND__N) {
		err_set(E_COUR_FIELD, "kind");
		goto out;
	}
	if (utc_field(&j, ft[F_RECORDED], "recorded", &e->recorded) < 0 || utc_field(&j, ft[F_EVENT], "event", &e->event) < 0)
		goto out;
	{
		char probe[48];
		int64_t t;
		int has;
		if (json_str(&j, ft[F_OFFSET], "", buf, 8) != 0 || strlen(buf) != 6) {
			err_set(E_COUR_FIELD, "offset");
			goto out;
		}
		memcpy(probe, "2000-01-01T00:00:00", 19);
		memcpy(probe + 19, buf, 7);
		if (tm_parse_iso(probe, &t, &e->offset_min, &has) < 0) {
			err_set(E_COUR_FIELD, "offset");
			goto out;
		}
	}
	if (json_type(&j, ft[F_WHO]) != JSON_STR || !(e->who = json_strdup(&j, ft[F_WHO], ""))) {
		err_set(E_COUR_FIELD, "who");
		goto out;
	}
	if (json_type(&j, ft[F_WHAT]) != JSON_STR || !(e->what = json_strdup(&j, ft[F_WHAT], ""))) {
		err_set(E_COUR_FIELD, "what");
		goto out;
	}
	int ta = ft[F_TARGETS];
	if (json_type(&j, ta) != JSON_ARR || json_count(&j, ta) > COUR_MAX_TARGETS) {
		err_set(E_COUR_FIELD, "targets");
		goto out;
	}
	if (json_count(&j, ta)) {
		e->targets = calloc((size_t)json_count(&j, ta), sizeof *e->targets);
		if (!e->targets) {
			err_set(E_NOMEM);
			goto out;
		}
	}
	for (int c = json_first(&j, ta); c >= 0; c = json_next(&j, c)) {
		if (json_type(&j, c) != JSON_STR ||
		    !(e->targets[e->ntargets] = json_strdup(&j, c, ""))) {
			err_set(E_COUR_FIELD, "targets");
			goto out;
		}
		e->ntargets++;
	}
	int st = json_str(&j, ft[F_STATUS], "", buf, sizeof buf);
	if (st < 0 || (st == 0 && (cour_status_parse(buf, &e->status) < 0 ||
				   !cour_status_name(e->status) || strcmp(buf, cour_status_name(e->status))))) {
		err_set(E_COUR_FIELD, "status");
		goto out;
	}
	if (json_type(&j, ft[F_SOURCE]) == JSON_STR) {
		if (!(e->source = json_strdup(&j, ft[F_SOURCE], ""))) {
			err_set(E_COUR_FIELD, "source");
			goto out;
		}
	} else if (json_type(&j, ft[F_SOURCE]) != JSON_NULL) {
		err_set(E_COUR_FIELD, "source");
		goto out;
	}
	if (opt_seq(&j, ft[F_CORRECTS], "corrects", &e->corrects) < 0 ||
	    opt_seq(&j, ft[F_STATUS_OF], "status_of", &e->status_of) < 0)
		goto out;
	if (json_str(&j, ft[F_PREV], "", e->prev, sizeof e->prev) != 0 || !is_hex64(e->prev)) {
		err_set(E_COUR_FIELD, "prev");
		goto out;
	}
	if (json_str(&j, ft[F_HASH], "", e->hash, sizeof e->hash) != 0 || !is_hex64(e->hash)) {
		err_set(E_COUR_FIELD, "hash");
		goto out;
	}
	char h[65];
	if (hash_sha256_hex(line, len - HASH_SUFFIX_LEN, h) < 0)
		goto out;
	*hash_ok = !strcmp(h, e->hash);
	r = 0;
out:
	json_free(&j);
	if (r < 0)
		cour_entry_free(e);
	return r;
}

void cour_entry_free(struct cour_entry *e)
{
	free(e->who);
	free(e->what);
	free(e->source);
	for (size_t i = 0; i < e->ntargets; i++)
		free(e->targets[i]);
	free(e->targets);
	e->who = e->what = e->source = NULL;
	e->targets = NULL;
	e->ntargets = 0;
}
