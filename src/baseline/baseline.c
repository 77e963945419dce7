/*
 * The baseline INI file: parse and look-ups (format in baseline.h).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "baseline/baseline.h"

#include <stddef.h>

/* The list sections (sections.def), then the two of their own syntax. */
static const struct bl_sect {
	const char *name;
	size_t off;                 /* offsetof(struct bl, list); 0 for the others */
	enum bl_kind kind;
} sections[] = {
#define BL_LIST(m, name, help, kind) { name, offsetof(struct bl, m), kind },
#include "baseline/sections.def"
#undef BL_LIST
	{ "tenant", 0, BL_PLAIN },
	{ "networks", 0, BL_PLAIN },
};
#define NSECT (sizeof sections / sizeof sections[0])

static struct bl_list *list_of(struct bl *b, const struct bl_sect *s)
{
	return s->off ? (struct bl_list *)(void *)((char *)b + s->off) : NULL;
}

static size_t total_entries(struct bl *b)
{
	size_t n = b->nnets;
	for (size_t i = 0; i < NSECT; i++)
		if (list_of(b, &sections[i]))
			n += list_of(b, &sections[i])->n;
	return n;
}

int bl_add(struct bl_list *l, const char *v, const char *note)
{
	if (bl_in(l, v))
		return 0;
	/* v and note side by side: both grow to the same room */
	size_t vcap = l->cap;
	if (VEC_GROW(l->v, l->n, vcap) < 0 || VEC_GROW(l->note, l->n, l->cap) < 0)
		return -1;
	char *a = strdup(v), *n = note && *note ? strdup(note) : NULL;
	if (!a || (note && *note && !n)) {
		free(a);
		free(n);
		return err_set(E_NOMEM);
	}
	l->v[l->n] = a;
	l->note[l->n] = n;
	l->n++;
	return 0;
}

static void list_free(struct bl_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i]);
		free(l->note[i]);
	}
	free(l->v);
	free(l->note);
	memset(l, 0, sizeof *l);
}

void bl_free(struct bl *b)
{
	for (size_t i = 0; i < NSECT; i++)
		if (list_of(b, &sections[i]))
			list_free(list_of(b, &sections[i]));
	for (size_t i = 0; i < b->nnets; i++) {
		free(b->nets[i].text);
		free(b->nets[i].note);
	}
	free(b->nets);
	memset(b, 0, sizeof *b);
}

int bl_parse_net(const char *s, struct bl_net *out)
{
	char addr[64];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	long prefix = -1;

	memset(out, 0, sizeof *out);
	if (n == 0 || n >= sizeof addr)
		return -1;
	memcpy(addr, s, n);
	addr[n] = 0;
	if (slash) {
		const char *p = slash + 1;
		if (!isdigit((unsigned char)*p))
			return -1;
		prefix = 0;
		for (; isdigit((unsigned char)*p); p++) {
			prefix = prefix * 10 + (*p - '0');
			if (prefix > 128)
				return -1;
		}
		if (*p)
			return -1;
	}
	if (inet_pton(AF_INET, addr, out->a) == 1) {
		out->v6 = 0;
		if (prefix > 32)
			return -1;
		out->prefix = prefix < 0 ? 32 : (int)prefix;
		return 0;
	}
	if (inet_pton(AF_INET6, addr, out->a) == 1) {
		out->v6 = 1;
		out->prefix = prefix < 0 ? 128 : (int)prefix;
		/* RFC 4291 §2.5.5.2: an IPv4-mapped range is an IPv4 range. */
		static const unsigned char mapped[12] = { 0,0,0,0,0,0,0,0,0,0,0xff,0xff };
		if (!memcmp(out->a, mapped, 12) && out->prefix >= 96) {
			memmove(out->a, out->a + 12, 4);
			memset(out->a + 4, 0, 12);
			out->v6 = 0;
			out->prefix -= 96;
		}
		return 0;
	}
	return -1;
}

int bl_add_net(struct bl *b, const char *text, const char *note)
{
	struct bl_net n;
	if (bl_parse_net(text, &n) < 0)
		return err_set(E_BL_NET, text);
	if (VEC_GROW(b->nets, b->nnets, b->netcap) < 0)
		return -1;
	n.text = strdup(text);
	n.note = note && *note ? strdup(note) : NULL;
	if (!n.text || (note && *note && !n.note)) {
		free(n.text);
		free(n.note);
		return err_set(E_NOMEM);
	}
	b->nets[b->nnets++] = n;
	return 0;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = 0;
	return s;
}

/* A comment runs from ';' or '#' at the start of the line, or after a
 * blank — so that "https://sts.example/adfs#x" in a note survives but
 * "FR   ; France" is "FR". */
static void strip_comment(char *s)
{
	for (char *p = s; *p; p++)
		if ((*p == ';' || *p == '#') && (p == s || p[-1] == ' ' || p[-1] == '\t')) {
			*p = 0;
			return;
		}
}

static int valid_text(const char *s)
{
	if (!json_utf8_valid(s, strlen(s)))
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20)
			return 0;
	return 1;
}

int bl_country_code(const char *s)
{
	return strlen(s) == 2 && isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1]);
}

static int entry(struct bl *b, const struct bl_sect *s, char *key, char *note,
		 const char *name, int line)
{
	if (!s)
		return err_set(E_BL_NO_SECTION, name, line);
	struct bl_list *l = list_of(b, s);
	if (l && s->kind == BL_COUNTRY) {
		/* Graph's signIn location.countryOrRegion is ISO 3166-1
		 * alpha-2 ("FR"); accept any case, keep upper. */
		if (!bl_country_code(key))
			return err_set(E_BL_COUNTRY, name, line, key);
		key[0] = (char)toupper((unsigned char)key[0]);
		key[1] = (char)toupper((unsigned char)key[1]);
	}
	if (l && s->kind == BL_DOMAIN) {
		/* "@partner.example" as mail addresses end, or without the
		 * '@'; one '@' only, or the domain would change each time the
		 * file is written back (--make-baseline) and read again
		 * (fuzz_baseline). */
		if (key[0] == '@')
			key++;
		if (!*key || *key == '@')
			return err_set(E_BL_DOMAIN, name, line, key);
	}
	if (l)
		return bl_add(l, key, note);
	if (!strcmp(s->name, "networks")) {
		if (bl_add_net(b, key, note) < 0)
			return err_set(E_BL_NET_AT, name, line, key);
		return 0;
	}
	/* [tenant] */
	if (!strcasecmp(key, "id")) {
		if (!note || strlen(note) >= sizeof b->tenant_id)
			return err_set(E_BL_VALUE, name, line, key);
		strcpy(b->tenant_id, note);
	} else if (!strcasecmp(key, "domain")) {
		if (!note || strlen(note) >= sizeof b->tenant_domain)
			return err_set(E_BL_VALUE, name, line, key);
		strcpy(b->tenant_domain, note);
	} else {
		return err_set(E_BL_KEY, name, line, key);
	}
	return 0;
}

int bl_parse(const char *text, size_t len, const char *name, struct bl *b)
{
	const struct bl_sect *s = NULL;
	char line[BL_MAX_LINE + 1];
	size_t pos = 0;
	int ln = 0;

	memset(b, 0, sizeof *b);
	b->present = 1;
	if (len > BL_MAX_FILE)
		return err_set(E_FILE_TOO_LARGE, name, (size_t)BL_MAX_FILE);
	/* A UTF-8 byte order mark, as Windows editors write it. */
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		pos = 3;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		ln++;
		if (n > BL_MAX_LINE) {
			bl_free(b);
			return err_set(E_BL_LONG, name, ln, BL_MAX_LINE);
		}
		memcpy(line, text + pos, n);
		line[n] = 0;
		pos += n + (nl ? 1 : 0);
		if (memchr(line, 0, n) || !valid_text(trim(line))) {
			bl_free(b);
			return err_set(E_BL_BYTES, name, ln);
		}
		strip_comment(line);
		char *l = trim(line);
		if (!*l)
			continue;
		if (*l == '[') {
			char *e = strchr(l, ']');
			if (!e || e[1]) {
				bl_free(b);
				return err_set(E_BL_SYNTAX, name, ln);
			}
			*e = 0;
			char *sn = trim(l + 1);
			s = NULL;
			for (size_t i = 0; i < NSECT; i++)
				if (!strcasecmp(sn, sections[i].name))
					s = &sections[i];
			if (!s) {
				bl_free(b);
				return err_set(E_BL_SECTION, name, ln, sn);
			}
			continue;
		}
		char *eq = strchr(l, '=');
		char *note = NULL;
		if (eq) {
			*eq = 0;
			note = trim(eq + 1);
		}
		char *key = trim(l);
		if (!*key) {
			bl_free(b);
			return err_set(E_BL_SYNTAX, name, ln);
		}
		if (total_entries(b) >= BL_MAX_ENTRIES) {
			bl_free(b);
			return err_set(E_BL_MANY, name, BL_MAX_ENTRIES);
		}
		if (entry(b, s, key, note, name, ln) < 0) {
			bl_free(b);
			return -1;
		}
	}
	b->present = 1;
	return 0;
}

int bl_load(const char *path, struct bl *b)
{
	struct buf f = { 0 };
	memset(b, 0, sizeof *b);
	if (file_read(path, &f, BL_MAX_FILE) < 0)
		return -1;
	int r = bl_parse(f.p ? f.p : "", f.len, path, b);
	buf_free(&f);
	return r;
}

/* ---- look-ups -------------------------------------------------------------- */

int bl_in(const struct bl_list *l, const char *s)
{
	if (!s || !*s)
		return 0;
	for (size_t i = 0; i < l->n; i++)
		if (!strcasecmp(l->v[i], s))
			return 1;
	return 0;
}

int bl_is_breakglass(const struct bl *b, const char *id, const char *upn)
{
	return bl_in(&b->breakglass, id) || bl_in(&b->breakglass, upn);
}

int bl_known_admin(const struct bl *b, const char *id, const char *upn)
{
	return bl_in(&b->admins, id) || bl_in(&b->admins, upn) || bl_is_breakglass(b, id, upn);
}

int bl_known_sp(const struct bl *b, const char *id, const char *app_id)
{
	return bl_in(&b->sps, id) || bl_in(&b->sps, app_id);
}

int bl_country_ok(const struct bl *b, const char *cc)
{
	return bl_in(&b->countries, cc);
}

static int in_net(const struct bl_net *n, const struct bl_net *ip)
{
	if (n->v6 != ip->v6)
		return 0;
	int full = n->prefix / 8, rest = n->prefix % 8;
	if (memcmp(n->a, ip->a, (size_t)full))
		return 0;
	if (rest) {
		unsigned char mask = (unsigned char)(0xff << (8 - rest));
		if ((n->a[full] & mask) != (ip->a[full] & mask))
			return 0;
	}
	return 1;
}

int bl_ip_ok(const struct bl *b, const char *ip)
{
	struct bl_net a;
	if (!ip || strchr(ip, '/') || bl_parse_net(ip, &a) < 0)
		return 0;
	for (size_t i = 0; i < b->nnets; i++)
		if (in_net(&b->nets[i], &a))
			return 1;
	return 0;
}

int bl_guest_domain_ok(const struct bl *b, const char *domain)
{
	return bl_in(&b->guest_domains, domain);
}

static int same_name(const char *a, const char *b)
{
	return a && b && *a && *b && !strcasecmp(a, b);
}

int bl_other_tenant(const struct bl *b, const char *tenant_id, const char *tenant,
		    const char *domains)
{
	const char *want[2] = { b->tenant_id, b->tenant_domain };
	for (int w = 0; w < 2; w++) {
		if (!want[w][0])
			continue;
		if (same_name(want[w], tenant_id) || same_name(want[w], tenant))
			return 0;
		/* domains: space-separated */
		size_t n = strlen(want[w]);
		for (const char *p = domains; p && (p = strcasestr(p, want[w])); p += n)
			if ((p == domains || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
				return 0;
	}
	int known = (tenant_id && *tenant_id) || (tenant && *tenant) || (domains && *domains);
	return known && (want[0][0] || want[1][0]);
}

int bl_fed_domain(const struct bl *b, const char *domain, const char *issuer)
{
	for (size_t i = 0; i < b->fed_domains.n; i++) {
		if (strcasecmp(b->fed_domains.v[i], domain))
			continue;
		const char *want = b->fed_domains.note[i];
		if (!want || !issuer || !*issuer)
			return 1;
		/* Issuer URIs are compared exactly: ADFS issuers differ only
		 * by a trailing slash or the scheme when forged. */
		return strcmp(want, issuer) ? 2 : 1;
	}
	return 0;
}
