/*
 * The containment plan (« suite des actions »): for each finding that
 * counts, the commands an administrator would run, Microsoft Graph
 * PowerShell or Exchange Online PowerShell, printed and never run
 * (reflexe stays read-only, DESIGN.md principle 2). Spec §3.6 gives the
 * commands; the order is the fiche's « Endiguement » logic: keep a sound
 * global administrator first, then cut access and sessions, reset
 * credentials, remove persistence, restore protections.
 *
 * Objects are named by immutable id when the evidence gives one (a GUID),
 * else by UPN or name; every value is single-quoted for PowerShell with
 * ' doubled (about_Quoting_Rules), and only a validated GUID is put
 * inside a double-quoted -Filter. When the evidence lacks the object, the
 * command that lists it comes first and a <placeholder> stands in.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report/report.h"

#define MAX_STEPS 500

int rep_ps_quote(struct buf *b, const char *s)
{
	int r = buf_puts(b, "'");
	for (const char *p = s; *p && !r; p++) {
		/* PowerShell also takes the typographic quotes U+2018, U+2019,
		 * U+201A, U+201B as single quotes: doubled too. */
		const unsigned char *u = (const unsigned char *)p;
		if (u[0] == 0xE2 && u[1] == 0x80 && u[2] >= 0x98 && u[2] <= 0x9B) {
			r |= buf_append(b, p, 3) | buf_append(b, p, 3);
			p += 2;
		} else if (*p == '\'') {
			r |= buf_puts(b, "''");
		} else if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			r |= buf_puts(b, " ");
		} else {
			r |= buf_append(b, p, 1);
		}
	}
	return r | buf_puts(b, "'");
}

static int is_guid(const char *s)
{
	static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	if (strlen(s) != sizeof shape - 1)
		return 0;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == '-' ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int is_ip(const char *s)
{
	return strspn(s, "0123456789.") == strlen(s) || (strchr(s, ':') && strspn(s, "0123456789abcdefABCDEF:.") == strlen(s));
}

/* What a kind acts on, to pick among a finding's objects. */
enum obj { O_NONE, O_USER, O_GUID, O_DOMAIN, O_NAME };

/* The commands are catalogue texts (M_PLC_*): placeholders in the
 * reader's language, and the catalogue is stored compressed. */
struct kind {
	enum obj obj;
	enum msg_id title;
	enum msg_id cmd;         /* {o}: the object, quoted; {g}: a GUID, raw */
	const char *scopes;      /* Graph scopes its commands need, ' '-separated */
	int exo;                 /* needs Connect-ExchangeOnline */
};

static const struct kind kinds[PL__N] = {
	[PL_GA_ADD] = { O_NONE, M_PL_GA_ADD, M_PLC_GA_ADD, "RoleManagement.ReadWrite.Directory", 0 },
	[PL_ACCOUNT] = { O_USER, M_PL_ACCOUNT, M_PLC_ACCOUNT,
		"User.ReadWrite.All User.RevokeSessions.All UserAuthenticationMethod.ReadWrite.All Directory.AccessAsUser.All", 0 },
	[PL_SYNCED] = { O_USER, M_PL_SYNCED, M_PLC_SYNCED, "", 0 },
	[PL_ROLE] = { O_GUID, M_PL_ROLE, M_PLC_ROLE, "RoleManagement.ReadWrite.Directory", 0 },
	[PL_APP_DISABLE] = { O_GUID, M_PL_APP_DISABLE, M_PLC_APP_DISABLE, "Application.ReadWrite.All", 0 },
	[PL_APP_CRED] = { O_GUID, M_PL_APP_CRED, M_PLC_APP_CRED, "Application.ReadWrite.All", 0 },
	[PL_APP_CONSENT] = { O_GUID, M_PL_APP_CONSENT, M_PLC_APP_CONSENT, "DelegatedPermissionGrant.ReadWrite.All Policy.ReadWrite.Authorization", 0 },
	[PL_APP_GRANT] = { O_GUID, M_PL_APP_GRANT, M_PLC_APP_GRANT, "AppRoleAssignment.ReadWrite.All", 0 },
	[PL_APP_OWNER] = { O_GUID, M_PL_APP_OWNER, M_PLC_APP_OWNER, "Application.ReadWrite.All", 0 },
	[PL_MAIL_FWD] = { O_USER, M_PL_MAIL_FWD, M_PLC_MAIL_FWD, "", 1 },
	[PL_MAIL_RULE] = { O_USER, M_PL_MAIL_RULE, M_PLC_MAIL_RULE, "", 1 },
	[PL_MAIL_DELEG] = { O_USER, M_PL_MAIL_DELEG, M_PLC_MAIL_DELEG, "", 1 },
	[PL_MAIL_HIDDEN] = { O_USER, M_PL_MAIL_HIDDEN, M_PLC_MAIL_HIDDEN, "", 1 },
	[PL_TRANSPORT] = { O_NAME, M_PL_TRANSPORT, M_PLC_TRANSPORT, "", 1 },
	[PL_REMOTEDOMAIN] = { O_NAME, M_PL_REMOTEDOMAIN, M_PLC_REMOTEDOMAIN, "", 1 },
	[PL_OWA] = { O_NAME, M_PL_OWA, M_PLC_OWA, "", 1 },
	[PL_SPAM] = { O_NAME, M_PL_SPAM, M_PLC_SPAM, "", 1 },
	[PL_SHARED] = { O_USER, M_PL_SHARED, M_PLC_SHARED, "User.ReadWrite.All", 0 },
	[PL_FEDERATION] = { O_DOMAIN, M_PL_FEDERATION, M_PLC_FEDERATION, "Domain.ReadWrite.All", 0 },
	[PL_CA] = { O_GUID, M_PL_CA, M_PLC_CA, "Policy.Read.All Policy.ReadWrite.ConditionalAccess", 0 },
	[PL_MFA] = { O_NONE, M_PL_MFA, M_PLC_MFA, "Policy.ReadWrite.SecurityDefaults", 0 },
	[PL_LEGACY] = { O_USER, M_PL_LEGACY, M_PLC_LEGACY, "", 1 },
	[PL_GUESTS] = { O_NONE, M_PL_GUESTS, M_PLC_GUESTS, "Policy.ReadWrite.Authorization", 0 },
	[PL_AUDIT] = { O_USER, M_PL_AUDIT, M_PLC_AUDIT, "", 1 },
};

static int shape_ok(enum obj o, const char *s)
{
	switch (o) {
	case O_USER: return strchr(s, '@') != NULL || is_guid(s);
	case O_GUID: return is_guid(s);
	case O_DOMAIN: return strchr(s, '.') && !strchr(s, '@') && !is_ip(s) && !strchr(s, ' ');
	case O_NAME: return !is_ip(s);
	default: return 0;
	}
}

/* The commands of kind k for object o (NULL: its placeholder). */
static char *commands(enum rep_plan k, const char *obj)
{
	const char *t = tr(kinds[k].cmd);
	const char *bar = obj ? strchr(obj, '|') : NULL;
	const char *o = bar ? bar + 1 : obj;
	struct buf b = { 0 };
	int r = 0;
	for (const char *p = t; *p && !r; p++) {
		if (p[0] == '{' && (p[1] == 'o' || p[1] == 'g') && p[2] == '}') {
			if (p[1] == 'g')
				r |= buf_puts(&b, o && is_guid(o) ? o : "<id>");
			else
				r |= o ? rep_ps_quote(&b, o) : buf_puts(&b, "'<id>'");
			p += 2;
		} else {
			r |= buf_append(&b, p, 1);
		}
	}
	if (r || buf_append(&b, "", 0) < 0) {
		buf_free(&b);
		err_set(E_NOMEM);
		return NULL;
	}
	return b.p;
}

static int step(struct rep_planv *p, enum rep_plan k, const char *id, const char *obj)
{
	/* one block per kind and object (an account by its UPN, with or
	 * without its id); more findings join its ids */
	size_t on = obj ? strcspn(obj, "|") : 0;
	for (size_t i = 0; i < p->n; i++) {
		struct rep_step *s = &p->s[i];
		if (s->kind != k || (s->obj == NULL) != (obj == NULL) ||
		    (obj && (strncasecmp(s->obj, obj, on) || (s->obj[on] && s->obj[on] != ' '))))
			continue;
		if (!strstr(s->id, id)) {
			size_t n = strlen(s->id) + strlen(id) + 3;
			char *j = malloc(n);
			if (!j)
				return err_set(E_NOMEM);
			snprintf(j, n, "%s, %s", s->id, id);
			free((char *)s->id);
			s->id = j;
		}
		return 0;
	}
	if (p->n >= MAX_STEPS)
		return 0;
	struct rep_step *s = MDL_PUSH(p->s, p->n, p->cap);
	if (!s)
		return -1;
	s->kind = k;
	s->seq = p->n;
	if (!(s->id = strdup(id)) || !(s->cmd = commands(k, obj)))
		return err_set(E_NOMEM);
	if (obj) {
		/* "upn|id" is shown "upn (id)" */
		const char *bar = strchr(obj, '|');
		size_t n = strlen(obj) + 3;
		char *d = malloc(n);
		if (!d)
			return err_set(E_NOMEM);
		if (bar)
			snprintf(d, n, "%.*s (%s)", (int)(bar - obj), obj, bar + 1);
		else
			snprintf(d, n, "%s", obj);
		s->obj = d;
	}
	return 0;
}

static int by_kind(const void *a, const void *b)
{
	const struct rep_step *x = a, *y = b;
	return x->kind != y->kind ? (int)x->kind - (int)y->kind : x->seq < y->seq ? -1 : x->seq > y->seq;
}

int rep_plan(const struct rep_findings *fs, const struct rep_qual *q, struct rep_planv *p)
{
	memset(p, 0, sizeof *p);
	/* A sound global administrator first (fiche 1.a NOTE, 3.b). */
	if ((q->sig & SIG_BIT(SIG_NO_SOUND_GA)) && step(p, PL_GA_ADD, "ADM-002", NULL) < 0)
		return -1;
	for (size_t i = 0; i < fs->nf; i++) {
		const struct rep_finding *f = &fs->f[i];
		if (!rep_finding_counts(f) || !f->map)
			continue;
		for (int k = 0; k < PL__N; k++) {
			if (!(f->map->plan & PL_BIT(k)))
				continue;
			/* an account is cut off when a finding says the attacker
			 * may hold it, not for a posture weakness of it */
			if (k == PL_ACCOUNT && !f->compromise)
				continue;
			/* The finding's subject: its first object of the kind's
			 * shape (the others are the actor, addresses…); a UPN
			 * followed by its object id is named by the id. */
			const char *obj = NULL;
			char both[600];
			for (size_t o = 0; kinds[k].obj != O_NONE && o < f->nobj && !obj; o++) {
				if (!shape_ok(kinds[k].obj, f->obj[o]))
					continue;
				obj = f->obj[o];
				if (strchr(obj, '@') && o + 1 < f->nobj && is_guid(f->obj[o + 1]) &&
				    kinds[k].obj == O_USER) {
					snprintf(both, sizeof both, "%.250s|%s", obj, f->obj[o + 1]);
					obj = both;
				}
			}
			if (step(p, (enum rep_plan)k, f->id, obj) < 0)
				return -1;
		}
	}
	/* by kind, then in the order the findings came */
	if (p->n > 1)
		qsort(p->s, p->n, sizeof *p->s, by_kind);
	return 0;
}

void rep_plan_free(struct rep_planv *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free((char *)p->s[i].id);
		free((char *)p->s[i].obj);
		free(p->s[i].cmd);
	}
	free(p->s);
	memset(p, 0, sizeof *p);
}

/* The sign-in lines the plan needs: Graph scopes of its kinds only,
 * Exchange Online when one of its kinds is a mailbox command. */
int rep_plan_connect(const struct rep_planv *p, struct buf *b)
{
	char scopes[1024] = "";
	int exo = 0;
	for (size_t i = 0; i < p->n; i++) {
		const struct kind *k = &kinds[p->s[i].kind];
		exo |= k->exo;
		for (const char *s = k->scopes; *s;) {
			size_t n = strcspn(s, " ");
			char one[96];
			snprintf(one, sizeof one, "%.*s", (int)n, s);
			int seen = 0;
			for (const char *t = scopes; (t = strstr(t, one)); t += n)
				seen |= (t == scopes || t[-1] == ',') && (t[n] == ',' || !t[n]);
			if (!seen && strlen(scopes) + n + 2 < sizeof scopes)
				snprintf(scopes + strlen(scopes), sizeof scopes - strlen(scopes), "%s%s",
					 scopes[0] ? "," : "", one);
			s += n;
			s += *s == ' ';
		}
	}
	int r = 0;
	if (scopes[0])
		r |= buf_printf(b, "Connect-MgGraph -Scopes %s\n", scopes);
	if (exo)
		r |= buf_puts(b, "Connect-ExchangeOnline\n");
	return r ? -1 : 0;
}

enum msg_id rep_plan_title(enum rep_plan k)
{
	return kinds[k].title;
}
