/*
 * A whole export, start to end, in one pass: the first bytes say CSV or
 * JSON, the header or each record says which layout, each row or record
 * becomes one event handed to the caller. The first problem stops the
 * run with a message naming the line; the caller then keeps nothing of
 * the file (all or nothing: half an export analysed as if whole would
 * clear what the other half holds).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "export/export.h"

#define PRE 4096

struct run {
	exp_read_fn rd;
	void *rctx;
	char pre[PRE];
	size_t pre_len, pre_pos;
	exp_emit_fn emit;
	void *ectx;
	struct exp_stats *st;
	struct exp_when w;
	struct exp_arena a;
	struct exp_map m;
	struct exp_event e;
	int cp1252;                /* the file is Windows-1252: transcoded */
	struct buf conv;           /* transcoded bytes, from conv_pos on not yet read */
	size_t conv_pos;
};

static int rd_raw(struct run *r, char *buf, size_t n)
{
	if (r->pre_pos < r->pre_len) {
		size_t k = r->pre_len - r->pre_pos;
		if (k > n)
			k = n;
		memcpy(buf, r->pre + r->pre_pos, k);
		r->pre_pos += k;
		return (int)k;
	}
	if (n > (1u << 30))
		n = 1u << 30;
	return r->rd(r->rctx, buf, n);
}

/* The prefetched start, then the rest of the file; Windows-1252 read
 * as UTF-8 (what does not fit in buf waits for the next call). */
static int rd_wrap(void *ctx, char *buf, size_t n)
{
	struct run *r = ctx;
	if (!r->cp1252)
		return rd_raw(r, buf, n);
	if (r->conv_pos >= r->conv.len) {
		char raw[4096];
		int k = rd_raw(r, raw, sizeof raw);
		if (k <= 0)
			return k;
		buf_reset(&r->conv);
		r->conv_pos = 0;
		if (buf_from_cp1252(&r->conv, raw, (size_t)k) < 0)
			return -1;
	}
	size_t k = r->conv.len - r->conv_pos;
	if (k > n)
		k = n;
	memcpy(buf, r->conv.p + r->conv_pos, k);
	r->conv_pos += k;
	return (int)k;
}


static int done(struct run *r, const struct exp_event *e, unsigned kind)
{
	struct exp_stats *st = r->st;
	st->kinds |= kind;
	st->events++;
	if (e->t == EXP_NO_TIME) {
		st->no_time++;
	} else {
		if (st->first == EXP_NO_TIME || e->t < st->first)
			st->first = e->t;
		if (st->last == EXP_NO_TIME || e->t > st->last)
			st->last = e->t;
	}
	return r->emit(r->ectx, e);
}

static unsigned kind_of(enum exp_cat c, enum exp_layout l)
{
	unsigned k = exp_layout_kinds(l);
	if (k)
		return k;
	return c == EXP_CAT_SIGNIN ? EXP_K_SIGNINS : c == EXP_CAT_AUDIT ? EXP_K_AUDITS : EXP_K_UAL;
}

static void note_layout(struct run *r, enum exp_layout l)
{
	if (r->st->layout == EXP_L_UNKNOWN)
		r->st->layout = l;
	r->st->layouts |= 1u << l;
}

/* ---- CSV ----------------------------------------------------------------------- */

static int parse_cell_json(const char *s, size_t n, struct json *j, uint64_t line, const char *col)
{
	if (json_parse(j, s, n, (struct json_limits){ EXP_MAX_TOKENS, EXP_MAX_DEPTH }) < 0)
		return err_context(E_EXP_NESTED, (unsigned long long)line, col);
	if (json_type(j, 0) != JSON_OBJ) {
		json_free(j);
		return err_set(E_EXP_NOT_OBJECT, (unsigned long long)line, col);
	}
	return 0;
}

static int csv_row(struct run *r, struct csv *c, const struct exp_cols *cols, enum exp_layout l,
		   enum exp_table deflt)
{
	struct exp_rec rec = { &r->a, NULL, -1, c, cols, c->row_line };
	struct exp_event *e = &r->e;
	int rc;
	if (l == EXP_L_UAL_CSV || l == EXP_L_UAL_CSV_OLD) {
		int i = exp_cols_find(cols, "AuditData", 9);
		size_t n;
		const char *ad = csv_field(c, (size_t)i, &n);
		struct json j;
		if (!n)
			return err_set(E_EXP_NO_AUDITDATA, (unsigned long long)c->row_line);
		if (parse_cell_json(ad, n, &j, c->row_line, "AuditData") < 0)
			return -1;
		struct exp_rec in = { &r->a, &j, 0, NULL, NULL, c->row_line };
		rc = exp_map_ual(&r->m, &in, EXP_TZ_SCHEMA, e);
		/* AuditData without its time: the CreationDate column */
		if (rc == 0 && e->t == EXP_NO_TIME)
			rc = exp_map_time(&r->m, &rec, "CreationDate", 0, e);
		if (rc == 0)
			rc = done(r, e, EXP_K_UAL);
		json_free(&j);
		return rc;
	}
	if (l == EXP_L_PORTAL_SIGNIN_CSV) {
		rc = exp_map_signin(&r->m, &rec, "Date", 0, e);
		return rc < 0 ? -1 : done(r, e, EXP_K_SIGNINS);
	}
	if (l == EXP_L_PORTAL_AUDIT_CSV) {
		rc = exp_map_portal_audit(&r->m, &rec, e);
		return rc < 0 ? -1 : done(r, e, EXP_K_AUDITS);
	}
	/* Log Analytics: the Type column names the table, else the header did */
	const char *type = exp_rec_str(&rec, "Type");
	enum exp_table t = type ? exp_table_of(type) : EXP_T_NONE;
	if (t == EXP_T_NONE)
		t = deflt;         /* a query's own "Type" column, or none */
	switch (t) {
	case EXP_T_OFFICE:
		rc = exp_map_office(&r->m, &rec, e);
		return rc < 0 ? -1 : done(r, e, kind_of(e->cat, EXP_L_LA_CSV));
	case EXP_T_SIGNIN:
		rc = exp_map_signin(&r->m, &rec, "TimeGenerated|CreatedDateTime", 0, e);
		return rc < 0 ? -1 : done(r, e, EXP_K_SIGNINS);
	case EXP_T_AUDIT:
		rc = exp_map_audit(&r->m, &rec, "TimeGenerated|ActivityDateTime", 0, e);
		return rc < 0 ? -1 : done(r, e, EXP_K_AUDITS);
	default:
		return err_set(E_EXP_LA_TABLE, (unsigned long long)c->row_line, type ? type : "?");
	}
}

static void head_text(const struct csv *c, char *out, size_t n)
{
	size_t k = 0;
	out[0] = 0;
	for (size_t i = 0; i < csv_nfields(c); i++) {
		const char *f = csv_field(c, i, NULL);
		int w = snprintf(out + k, n - k, "%s%s", i ? (c->sep == '\t' ? "\t" : c->sep == ';' ? ";" : ",") : "", f);
		if (w < 0 || (size_t)w >= n - k) {
			if (n > 4)
				memcpy(out + n - 4, "…", 4);   /* UTF-8 ellipsis + NUL */
			break;
		}
		k += (size_t)w;
	}
}

static int run_csv(struct run *r)
{
	struct csv c;
	struct exp_cols cols = { 0 };
	int rc = -1, got;
	csv_init(&c, rd_wrap, r, 0, (struct csv_limits){ EXP_MAX_RECORD, EXP_MAX_FIELDS });
	if ((got = csv_next(&c)) <= 0) {
		if (got == 0)
			err_set(E_EXP_EMPTY);
		goto out;
	}
	/* Export-Csv without -NoTypeInformation (Windows PowerShell 5):
	 * a "#TYPE Namespace.Class" line before the header */
	if (csv_nfields(&c) == 1 && !strncmp(csv_field(&c, 0, NULL), "#TYPE", 5) &&
	    (got = csv_next(&c)) <= 0) {
		if (got == 0)
			err_set(E_EXP_EMPTY);
		goto out;
	}
	head_text(&c, r->st->head, sizeof r->st->head);
	r->st->sep = c.sep;
	if (exp_cols_init(&cols, &c) < 0)
		goto out;
	enum exp_layout l = exp_detect_csv(&cols);
	if (l == EXP_L_UNKNOWN) {
		err_set(E_EXP_LAYOUT_CSV, r->st->head);
		goto out;
	}
	note_layout(r, l);
	enum exp_table deflt = exp_table_of_cols(&cols);
	while ((got = csv_next(&c)) == 1) {
		size_t n0;
		if (csv_nfields(&c) == 1 && (csv_field(&c, 0, &n0), n0 == 0))
			continue;           /* a blank line */
		if (csv_nfields(&c) != cols.n) {
			err_set(E_EXP_COLUMNS, (unsigned long long)c.row_line, csv_nfields(&c), cols.n);
			goto out;
		}
		r->st->rows++;
		exp_arena_reset(&r->a);
		r->e.record = r->st->rows;
		r->m.pcap = r->m.dcap = 0;
		if (csv_row(r, &c, &cols, l, deflt) < 0)
			goto out;
	}
	rc = got < 0 ? -1 : 0;
out:
	exp_cols_free(&cols);
	csv_free(&c);
	return rc;
}

/* ---- JSON ------------------------------------------------------------------------ */

static int map_json(struct run *r, const struct json *j, uint64_t line, enum exp_layout l)
{
	struct exp_rec rec = { &r->a, j, 0, NULL, NULL, line };
	struct exp_event *e = &r->e;
	int rc, f;
	struct exp_sub s;
	switch (l) {
	case EXP_L_UAL_JSON:
		rc = exp_map_ual(&r->m, &rec, EXP_TZ_SCHEMA, e);
		return rc < 0 ? -1 : done(r, e, EXP_K_UAL);
	case EXP_L_UAL_PS_JSON:
	case EXP_L_DEFENDER:
		f = exp_rec_sub(&rec, l == EXP_L_DEFENDER ? "RawEventData" : "AuditData", &s);
		if (f < 0)
			return -1;
		if (f && json_get(s.j, s.tok, "Operation") >= 0) {
			struct exp_rec in = { &r->a, s.j, s.tok, NULL, NULL, line };
			rc = exp_map_ual(&r->m, &in, EXP_TZ_SCHEMA, e);
			if (rc == 0 && e->t == EXP_NO_TIME)
				rc = exp_map_time(&r->m, &rec, "CreationDate|Timestamp", EXP_TZ_SCHEMA, e);
		} else if (l == EXP_L_DEFENDER) {
			/* a Defender record of another table (device,
			 * identity events): kept as a plain event */
			exp_event_init(e);
			e->line = line;
			rc = exp_map_time(&r->m, &rec, "Timestamp", EXP_TZ_SCHEMA, e);
			e->op = exp_rec_str(&rec, "ActionType");
			e->actor_upn = exp_rec_str(&rec, "AccountUpn|AccountName");
			e->actor_id = exp_rec_str(&rec, "AccountObjectId");
			e->actor_ip = exp_ip(&r->a, exp_rec_str(&rec, "IPAddress|RemoteIP"));
			e->workload = exp_rec_str(&rec, "Application");
			if (rc == 0 && !e->op)
				rc = err_set(E_EXP_NO_OP, (unsigned long long)line);
		} else {
			rc = err_set(E_EXP_NO_AUDITDATA, (unsigned long long)line);
		}
		exp_sub_free(&s);
		return rc < 0 ? -1 : done(r, e, EXP_K_UAL);
	case EXP_L_AZMON: {
		int p = json_get(j, 0, "properties");
		struct exp_rec in = { &r->a, j, p, NULL, NULL, line };
		enum exp_table t = exp_table_of(exp_rec_str(&rec, "category"));
		/* some writers put the audit's own category there
		 * ("ApplicationManagement"): the properties tell */
		if (t == EXP_T_NONE && json_get(j, p, "activityDisplayName") >= 0)
			t = EXP_T_AUDIT;
		else if (t == EXP_T_NONE && json_get(j, p, "createdDateTime") >= 0)
			t = EXP_T_SIGNIN;
		if (t == EXP_T_SIGNIN)
			rc = exp_map_signin(&r->m, &in, "createdDateTime", EXP_TZ_SCHEMA, e);
		else if (t == EXP_T_AUDIT)
			rc = exp_map_audit(&r->m, &in, "activityDateTime", EXP_TZ_SCHEMA, e);
		else
			return err_set(E_EXP_LA_TABLE, (unsigned long long)line,
				       exp_rec_str(&rec, "category") ? exp_rec_str(&rec, "category") : "?");
		/* the resource log's own "time" (UTC, common schema) */
		if (rc == 0 && e->t == EXP_NO_TIME)
			rc = exp_map_time(&r->m, &rec, "time", EXP_TZ_SCHEMA, e);
		if (rc == 0 && !e->id)
			e->id = exp_rec_str(&rec, "correlationId");
		return rc < 0 ? -1 : done(r, e, t == EXP_T_SIGNIN ? EXP_K_SIGNINS : EXP_K_AUDITS);
	}
	case EXP_L_LA_JSON: {
		const char *type = exp_rec_str(&rec, "Type");
		enum exp_table t = exp_table_of(type);
		if (t == EXP_T_NONE)
			t = exp_table_of_json(j, 0);
		if (t == EXP_T_OFFICE)
			rc = exp_map_office(&r->m, &rec, e);
		else if (t == EXP_T_SIGNIN)
			rc = exp_map_signin(&r->m, &rec, "TimeGenerated|CreatedDateTime", EXP_TZ_SCHEMA, e);
		else if (t == EXP_T_AUDIT)
			rc = exp_map_audit(&r->m, &rec, "TimeGenerated|ActivityDateTime", EXP_TZ_SCHEMA, e);
		else
			return err_set(E_EXP_LA_TABLE, (unsigned long long)line, type ? type : "?");
		return rc < 0 ? -1 : done(r, e, kind_of(e->cat, EXP_L_LA_JSON));
	}
	case EXP_L_GRAPH_SIGNIN:
		rc = exp_map_signin(&r->m, &rec, "createdDateTime", EXP_TZ_SCHEMA, e);
		return rc < 0 ? -1 : done(r, e, EXP_K_SIGNINS);
	case EXP_L_GRAPH_AUDIT:
		rc = exp_map_audit(&r->m, &rec, "activityDateTime", EXP_TZ_SCHEMA, e);
		return rc < 0 ? -1 : done(r, e, EXP_K_AUDITS);
	default:
		return -1;
	}
}

static int run_json(struct run *r)
{
	struct exp_jsplit s;
	int got, rc = -1;
	exp_jsplit_init(&s, rd_wrap, r);
	while ((got = exp_jsplit_next(&s)) == 1) {
		struct json j;
		r->st->rows++;
		exp_arena_reset(&r->a);
		r->m.pcap = r->m.dcap = 0;
		r->e.record = r->st->rows;
		if (json_parse(&j, s.el.p, s.el.len, (struct json_limits){ EXP_MAX_TOKENS, EXP_MAX_DEPTH }) < 0) {
			err_context(E_EXP_JSON_RECORD, (unsigned long long)s.el_line);
			goto out;
		}
		enum exp_layout l = exp_detect_json(&j, 0);
		if (r->st->rows == 1)
			exp_keys_text(&j, 0, r->st->head, sizeof r->st->head);
		if (l == EXP_L_UNKNOWN) {
			char keys[400];
			exp_keys_text(&j, 0, keys, sizeof keys);
			json_free(&j);
			err_set(E_EXP_LAYOUT_JSON, (unsigned long long)s.el_line, keys);
			goto out;
		}
		note_layout(r, l);
		int mr = map_json(r, &j, s.el_line, l);
		json_free(&j);
		if (mr < 0)
			goto out;
	}
	if (got == 0 && r->st->rows == 0)
		err_set(E_EXP_EMPTY);
	else
		rc = got < 0 ? -1 : 0;
out:
	exp_jsplit_free(&s);
	return rc;
}

/* ---- the file ------------------------------------------------------------------------- */

int exp_run(exp_read_fn rd, void *rctx, exp_emit_fn emit, void *ectx,
	    const struct exp_opts *o, struct exp_stats *st)
{
	struct run *r = calloc(1, sizeof *r);
	if (!r)
		return err_set(E_NOMEM);
	memset(st, 0, sizeof *st);
	st->first = st->last = EXP_NO_TIME;
	r->rd = rd;
	r->rctx = rctx;
	r->emit = emit;
	r->ectx = ectx;
	r->st = st;
	r->w.tz = o ? o->tz : NULL;
	r->m.a = &r->a;
	r->m.w = &r->w;
	int rc = -1;
	/* the first bytes: encoding and JSON or CSV */
	while (r->pre_len < PRE) {
		int n = rd(rctx, r->pre + r->pre_len, PRE - r->pre_len);
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		r->pre_len += (size_t)n;
	}
	const unsigned char *b = (const unsigned char *)r->pre;
	if (r->pre_len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
		err_set(E_EXP_UTF16);
		goto out;
	}
	if (r->pre_len >= 4 && !memcmp(b, "PK\x03\x04", 4)) {
		err_set(E_EXP_ZIP);
		goto out;
	}
	size_t i = r->pre_len >= 3 && !memcmp(b, "\xEF\xBB\xBF", 3) ? 3 : 0;
	/* No BOM and not UTF-8 (a sequence cut by the end of the buffer
	 * aside): Windows-1252, what a French Excel saves as plain CSV. */
	if (!i) {
		int ok = 0;
		for (size_t cut = 0; cut <= 3 && cut <= r->pre_len && !ok; cut++)
			ok = json_utf8_valid(r->pre, r->pre_len - cut);
		if (!ok) {
			r->cp1252 = 1;
			snprintf(st->encoding, sizeof st->encoding, "windows-1252");
		}
	}
	while (i < r->pre_len && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
		i++;
	if (i >= r->pre_len && r->pre_len < PRE) {
		err_set(E_EXP_EMPTY);
		goto out;
	}
	if (memchr(r->pre, 0, r->pre_len)) {
		err_set(E_EXP_BINARY);
		goto out;
	}
	if (b[i] == '{' || b[i] == '[') {
		r->pre_pos = r->pre_len >= 3 && !memcmp(b, "\xEF\xBB\xBF", 3) ? 3 : 0;
		rc = run_json(r);
	} else {
		rc = run_csv(r);
	}
	if (r->w.basis & EXP_TZ_GIVEN)
		snprintf(st->tz_name, sizeof st->tz_name, "%s", r->w.tz->name);
	st->tz_basis = r->w.basis;
out:
	exp_arena_free(&r->a);
	buf_free(&r->conv);
	free(r);
	return rc;
}
