/*
 * The logbook on a terminal: one block per entry, event time in the
 * offset it was given in and in UTC. Text that came from a file is never
 * sent raw to the terminal: control characters (an ESC sequence could
 * rewrite the screen), C1 controls and Unicode bidirectional overrides
 * ("Trojan Source", CVE-2021-42574) are shown as '?'.
 */
#include <string.h>

#include "courante/courante.h"

void cour_local_str(int64_t t, int off, char *out, size_t sz)
{
	char iso[32], o[8];
	tm_utc_iso(t + (int64_t)off * 60, iso, sizeof iso);
	cour_offset_str(off, o);
	iso[10] = ' ';
	iso[19] = 0;
	snprintf(out, sz, "%s %s", iso, o);
}

void cour_utc_str(int64_t t, char *out, size_t sz)
{
	char iso[32];
	tm_utc_iso(t, iso, sizeof iso);
	iso[10] = ' ';
	iso[19] = 0;
	snprintf(out, sz, "%s UTC", iso);
}

/* Appends s for a terminal; a newline becomes newline + indent. */
static int put_safe(struct buf *b, const char *s, const char *indent)
{
	const unsigned char *p = (const unsigned char *)s;
	int r = 0;
	while (*p && !r) {
		if (*p == '\n') {
			r |= buf_puts(b, "\n");
			r |= buf_puts(b, indent);
			p++;
		} else if (*p == '\t') {
			r |= buf_puts(b, " ");
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			r |= buf_puts(b, "?");
			p++;
		} else if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {   /* C1 */
			r |= buf_puts(b, "?");
			p += 2;
		} else if (utf8_invisible(p, NULL)) {
			r |= buf_puts(b, "?");   /* bidi and zero-width characters */
			p += 3;
		} else {
			r |= buf_append(b, p, 1);
			p++;
		}
	}
	return r;
}

const char *cour_kind_label(enum cour_kind k)
{
	switch (k) {
	case COUR_OPEN: return tr(M_COUR_L_KIND_OPEN);
	case COUR_TOOL: return tr(M_COUR_L_KIND_TOOL);
	case COUR_IMPORT: return tr(M_COUR_L_KIND_IMPORT);
	case COUR_REPAIR: return tr(M_COUR_L_KIND_REPAIR);
	default: return NULL;
	}
}

int cour_written_late(const struct cour_entry *e)
{
	return e->recorded - e->event > 60 || e->event - e->recorded > 60;
}

/* The integrity line every rendering carries. */
int cour_integrity_line(const struct cour_log *log, struct buf *b)
{
	int r = 0;
	if (log->bad_line)
		r |= buf_trf(b, M_COUR_INTEGRITY_BAD, log->bad_line, log->bad_why);
	if (log->bad_line && log->torn.line)   /* both: say both */
		r |= buf_puts(b, " — ");
	if (log->torn.line)
		r |= buf_trf(b, M_COUR_INTEGRITY_TORN, log->torn.line, log->torn.len);
	if (!log->bad_line && !log->torn.line)
		r |= buf_trf(b, M_COUR_INTEGRITY_OK, log->n, log->head);
	return r;
}

int cour_is_bad_line(const struct cour_log *log, const struct cour_entry *e)
{
	return log->bad_entry && log->e && e == &log->e[log->bad_entry - 1];
}

int cour_render_text(const struct cour_doc *d, const struct cour_view *v, struct buf *b)
{
	const char *ind = "      ";
	int r = buf_printf(b, "%s — ", tr(M_COUR_TITLE));
	r |= put_safe(b, d->case_name, "");
	r |= buf_puts(b, "\n");
	for (size_t i = 0; i < v->n && !r; i++) {
		const struct cour_row *row = &v->r[i];
		const struct cour_entry *e = row->e;
		char loc[48], utc[48];
		cour_local_str(e->event, e->offset_min, loc, sizeof loc);
		cour_utc_str(e->event, utc, sizeof utc);
		r |= buf_printf(b, "\n#%-4lld %s  (%s)  ", e->seq, loc, utc);
		r |= put_safe(b, e->who, ind);
		if (row->eff)
			r |= buf_printf(b, "  [%s]", cour_status_label(row->eff));
		if (cour_kind_label(e->kind))
			r |= buf_printf(b, "  (%s)", cour_kind_label(e->kind));
		r |= buf_printf(b, "\n%s", ind);
		r |= put_safe(b, e->what, ind);
		r |= buf_puts(b, "\n");
		int extra = 0;
		if (e->ntargets) {
			r |= buf_printf(b, "%s%s ", ind, tr(M_COUR_L_TARGETS));
			for (size_t t = 0; t < e->ntargets; t++) {
				r |= buf_puts(b, t ? ", " : "");
				r |= put_safe(b, e->targets[t], ind);
			}
			extra = 1;
		}
		if (e->source) {
			r |= buf_puts(b, extra ? " · " : ind);
			r |= buf_printf(b, "%s ", tr(M_COUR_L_SOURCE));
			r |= put_safe(b, e->source, ind);
			extra = 1;
		}
		/* Both times are kept; show the writing time when it differs. */
		if (cour_written_late(e)) {
			cour_utc_str(e->recorded, utc, sizeof utc);
			r |= buf_puts(b, extra ? " · " : ind);
			r |= buf_printf(b, "%s %s", tr(M_COUR_L_WRITTEN), utc);
			extra = 1;
		}
		if (extra)
			r |= buf_puts(b, "\n");
		if (e->corrects) {
			r |= buf_puts(b, ind);
			r |= buf_trf(b, M_COUR_L_CORRECTS, e->corrects);
			r |= buf_puts(b, "\n");
		}
		if (e->status_of) {
			r |= buf_puts(b, ind);
			r |= buf_trf(b, M_COUR_L_STATUS_OF, e->status_of);
			r |= buf_puts(b, "\n");
		}
		if (row->status_seq) {
			r |= buf_puts(b, ind);
			r |= buf_trf(b, M_COUR_L_STATUS_NOW, row->status_seq);
			r |= buf_puts(b, "\n");
		}
		if (row->corrected_by) {
			r |= buf_printf(b, "%s!! ", ind);
			r |= buf_trf(b, M_COUR_L_CORRECTED_BY, row->corrected_by);
			r |= buf_puts(b, "\n");
		}
		if (cour_is_bad_line(d->log, e)) {
			r |= buf_printf(b, "%s!! ", ind);
			r |= buf_trf(b, M_COUR_L_BROKEN, d->log->bad_why);
			r |= buf_puts(b, "\n");
		}
	}
	if (!v->n)
		r |= buf_printf(b, "\n%s\n", tr(M_COUR_EMPTY));
	r |= buf_puts(b, "\n");
	r |= buf_trf(b, M_COUR_N_LINES, v->n, d->log->n);
	r |= buf_puts(b, "\n");
	if (!d->no_integrity) {
		r |= cour_integrity_line(d->log, b);
		r |= buf_puts(b, "\n");
	}
	return r ? -1 : 0;
}

int cour_render(enum cour_fmt f, const struct cour_doc *d, const struct cour_view *v,
		struct buf *out)
{
	switch (f) {
	case COUR_FMT_CSV: return cour_render_csv(d, v, out);
	case COUR_FMT_MD: return cour_render_md(d, v, out);
	case COUR_FMT_HTML: return cour_render_html(d, v, out);
	default: return cour_render_text(d, v, out);
	}
}
