/*
 * --make-baseline: writes a baseline in the format bl_parse() reads.
 * Entries come from the tenant (display names, UPNs): hostile text. A
 * display name holding "\n[admins]\nx@evil" must not become an entry, so
 * notes lose their control characters and keys that could not be read
 * back as one entry are written as a comment instead.
 */
#include <string.h>

#include "baseline/baseline.h"

static int put_note(struct buf *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char c = *p < 0x20 || *p == 0x7f ? ' ' : (char)*p;
		if (buf_append(out, &c, 1) < 0)
			return -1;
	}
	return 0;
}

/* Read back as the same one entry: no control character, no '=', no
 * blank at either end nor before a comment sign (check-mail's entries
 * hold rule and connector names, which have blanks inside). */
int bl_key_ok(const char *k)
{
	if (!*k || *k == '[' || *k == ';' || *k == '#' || *k == ' ' || k[strlen(k) - 1] == ' ')
		return 0;
	for (const unsigned char *p = (const unsigned char *)k; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '=' || (*p == ' ' && (p[1] == ';' || p[1] == '#')))
			return 0;
	return 1;
}

static int put_entry(struct buf *out, const char *k, const char *note)
{
	if (!bl_key_ok(k)) {
		if (buf_puts(out, "; ") < 0 || put_note(out, tr(M_BL_FMT_BADKEY)) < 0 ||
		    buf_puts(out, ": ") < 0 || put_note(out, k) < 0 || buf_puts(out, "\n") < 0)
			return -1;
		return 0;
	}
	if (buf_puts(out, k) < 0)
		return -1;
	if (note && *note) {
		if (buf_puts(out, " = ") < 0 || put_note(out, note) < 0)
			return -1;
	}
	return buf_puts(out, "\n");
}

static int section(struct buf *out, const char *name, enum msg_id help,
		   const struct bl_list *l)
{
	if (buf_printf(out, "\n[%s]\n; ", name) < 0 || put_note(out, tr(help)) < 0 ||
	    buf_puts(out, "\n") < 0)
		return -1;
	for (size_t i = 0; l && i < l->n; i++)
		if (put_entry(out, l->v[i], l->note[i]) < 0)
			return -1;
	return 0;
}

static int networks(struct buf *out, const struct bl *b)
{
	if (section(out, "networks", M_BL_FMT_NETWORKS, NULL) < 0)
		return -1;
	for (size_t i = 0; i < b->nnets; i++)
		if (put_entry(out, b->nets[i].text, b->nets[i].note) < 0)
			return -1;
	return 0;
}

int bl_format(const struct bl *b, const char *header, struct buf *out)
{
	if (buf_puts(out, "; ") < 0 || put_note(out, tr(M_BL_FMT_HEAD)) < 0 ||
	    buf_puts(out, "\n") < 0)
		return -1;
	if (header && (buf_puts(out, "; ") < 0 || put_note(out, header) < 0 ||
		       buf_puts(out, "\n") < 0))
		return -1;
	if (buf_puts(out, "; ") < 0 || put_note(out, tr(M_BL_FMT_REVIEW)) < 0 ||
	    buf_puts(out, "\n\n[tenant]\n") < 0)
		return -1;
	if (b->tenant_id[0] && bl_key_ok(b->tenant_id) &&
	    (buf_puts(out, "id = ") < 0 || put_note(out, b->tenant_id) < 0 || buf_puts(out, "\n") < 0))
		return -1;
	if (b->tenant_domain[0] && bl_key_ok(b->tenant_domain) &&
	    (buf_puts(out, "domain = ") < 0 || put_note(out, b->tenant_domain) < 0 ||
	     buf_puts(out, "\n") < 0))
		return -1;
	/* The lists in sections.def's order, [networks] after [countries]
	 * where the template has it. */
#define BL_LIST(m, name, help, kind) \
	if (section(out, name, help, &b->m) < 0 || \
	    (!strcmp(name, "countries") && networks(out, b) < 0)) \
		return -1;
#include "baseline/sections.def"
#undef BL_LIST
	return 0;
}
