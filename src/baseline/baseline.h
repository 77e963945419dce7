/*
 * baseline/ — the peacetime baseline: a small INI file kept in the kit that
 * says what "normal" looks like for one tenant, so that rules can tell a
 * known administrator from an unknown one. Prefix: bl_.
 *
 *   baseline.c  parse (bounded, line-numbered errors) and look-ups
 *   write.c     --make-baseline: the same format, written back with notes
 *
 * Format (kit/baseline-modele.ini is the commented template):
 *   ; comment            # comment too, at the start of a line or after
 *                        ; blanks at the end of one
 *   [section]            one of the sections below, case-insensitive
 *   entry [= note]       one entry per line; the note is free text
 *
 *   [tenant]            id = <tenant id>, domain = <default domain>
 *   [admins]            users and groups allowed to hold a privileged role:
 *                       UPN or object id
 *   [break-glass]       emergency accounts (UPN or object id); counted as
 *                       known admins
 *   [service-principals] appId or object id of apps allowed a role
 *   [countries]         ISO 3166-1 alpha-2 codes admins sign in from
 *   [networks]          IPv4/IPv6 addresses or CIDR ranges admins use
 *   [guest-domains]     domains guests may come from
 *   [federated-domains] domains allowed to be federated; the note, when
 *                       given, is the expected issuer URI
 * (baseline/sections.def lists the list sections; checks add theirs there.)
 * An unknown section is an error, not a silent skip: a typo such as
 * "[admin]" would otherwise empty the list of known admins and turn every
 * admin into a finding — or, worse, an empty list into no check at all.
 */
#ifndef REFLEXE_BASELINE_H
#define REFLEXE_BASELINE_H

#include <stddef.h>

#include "core/core.h"

/* Bounds: a baseline is typed by a person; these are wide margins. */
#define BL_MAX_FILE    (1024 * 1024)
#define BL_MAX_LINE    4096
#define BL_MAX_ENTRIES 100000

struct bl_list {
	char **v;        /* entries, as written (countries upper-cased) */
	char **note;     /* note after '=', NULL when none */
	size_t n, cap;
};

struct bl_net {
	int v6;                  /* 0: IPv4 (4 bytes used), 1: IPv6 */
	unsigned char a[16];
	int prefix;              /* bits */
	char *text;              /* as written */
	char *note;
};

enum bl_kind { BL_PLAIN, BL_COUNTRY, BL_DOMAIN };

struct bl {
	int present;                /* 0: no baseline given */
	char tenant_id[64];
	char tenant_domain[256];
#define BL_LIST(m, name, help, kind) struct bl_list m;
#include "baseline/sections.def"
#undef BL_LIST
	struct bl_net *nets;
	size_t nnets, netcap;
};

/* Reads and parses a baseline file; -1 with err set (file:line: why). */
int bl_load(const char *path, struct bl *b);
/* Parses text; name is used in messages. b is zeroed first. */
int bl_parse(const char *text, size_t len, const char *name, struct bl *b);
void bl_free(struct bl *b);

/* Look-ups; all case-insensitive where Entra ID is (UPNs, ids, domains). */
int bl_in(const struct bl_list *l, const char *s);            /* 1 / 0 */
int bl_known_admin(const struct bl *b, const char *id, const char *upn);
int bl_is_breakglass(const struct bl *b, const char *id, const char *upn);
int bl_known_sp(const struct bl *b, const char *id, const char *app_id);
int bl_country_ok(const struct bl *b, const char *cc);
/* 1 when s has the shape the [countries] section accepts (two letters):
 * what --make-baseline writes must read back. */
int bl_country_code(const char *s);
/* 1 when ip (IPv4, IPv6, IPv4-mapped IPv6) is inside a [networks] range;
 * 0 when not, or when ip is not an address. */
int bl_ip_ok(const struct bl *b, const char *ip);
int bl_guest_domain_ok(const struct bl *b, const char *domain);
/* Federated domain look-up: 0 unknown domain, 1 known with a matching or
 * no expected issuer, 2 known but the issuer differs. */
int bl_fed_domain(const struct bl *b, const char *domain, const char *issuer);

/* 1 when the baseline's [tenant] names a tenant other than the case's:
 * its id and its domain match none of tenant_id, tenant and the
 * space-separated domains. A kit holds the baselines of several
 * customers; the wrong one would turn every admin into a finding, or
 * pass another tenant's networks as known. Nothing to compare (no
 * [tenant], or a case that does not say who it is): 0. */
int bl_other_tenant(const struct bl *b, const char *tenant_id, const char *tenant,
		    const char *domains);

/* Parses "a.b.c.d", "a.b.c.d/n", IPv6 and IPv6/n. 0 or -1 (no err set). */
int bl_parse_net(const char *s, struct bl_net *out);

/* Building a baseline (--make-baseline): append entries, then format.
 * An entry already listed (case-insensitive) is kept as it is, with its
 * note: --make-baseline merges into a file a person may have annotated. */
int bl_add(struct bl_list *l, const char *v, const char *note);
int bl_add_net(struct bl *b, const char *text, const char *note);
/* Writes b as a commented INI file (the format above) in the user's
 * language; header is a free comment line (e.g. when and from what). */
int bl_format(const struct bl *b, const char *header, struct buf *out);
/* 1 when bl_format writes key as an entry: one that reads back as that
 * one entry (no control character or '=', no blank at either end nor
 * before a comment sign, not a section or a comment); else it writes it
 * as a comment. */
int bl_key_ok(const char *k);

#endif
