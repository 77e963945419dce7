/*
 * check-mail rules on the tenant's mail flow and filtering — fiche 1.c
 * « Vérifier la configuration anti-spam » (allowed and blocked senders,
 * spoofing allowances; and what relays spam: IP allow lists, automatic
 * forwarding, connectors, SMTP AUTH) and 1.e (transport rules, remote
 * domains, external storage, auditing).
 *
 * Severities from check-mail.md §5.3-§5.4 (ScubaGear MS.EXO.*, CIS
 * 6.x, Maester, CIPP, Microsoft's 2022 report of an attacker's inbound
 * connector), tempered by the issue's rule that Microsoft's defaults and
 * ordinary business shapes are not alarms: a hybrid connector, a
 * partner's IP allowed, a phishing-simulation rule are medium at most
 * until a baseline knows them (then low); high is kept for what points at
 * an attacker (own domain allowed to spoof or bypass filtering, copies to
 * outside, antispam headers removed, auditing off) or a change made
 * within the window.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "baseline/baseline.h"
#include "model/model.h"
#include "rules/rules.h"

/* Every object of source s (none read: ob is NULL, and NULL + 0 is not C) */
#define EACH(o, m, s) \
	for (const struct mdl_obj *o = (m)->ob, *o##_end = o ? o + (m)->n_ob : o; o != o##_end; o++) \
		if (o->src == (s))

/* Public webmail domains: forwarding or an allowance towards one has no
 * business reason a tenant can show (Hawk, ScubaGear MS.EXO.1.1 note). */
static const char *const webmail[] = {
	"gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com",
	"aol.com", "gmx.com", "icloud.com", "proton.me", "protonmail.com", "yandex.ru", "mail.ru",
	"orange.fr", "free.fr", "laposte.net", "gmx.fr", "hotmail.fr", "yahoo.fr",
};

static int is_webmail(const char *d)
{
	const char *at = d ? strrchr(d, '@') : NULL;
	d = at ? at + 1 : d;
	for (size_t i = 0; d && i < sizeof webmail / sizeof webmail[0]; i++)
		if (!strcasecmp(d, webmail[i]))
			return 1;
	return 0;
}

/* A domain or an address of the tenant's own domains. */
static int own(const struct rule_ctx *c, const char *v)
{
	char a[320];
	if (!v)
		return 0;
	snprintf(a, sizeof a, "%s%s", strchr(v, '@') ? "" : "x@", v[0] == '*' && v[1] == '.' ? v + 2 : v);
	return mail_outside(c, a) == 0;
}

static const char *name_of(const struct mdl_mail *m, const struct mdl_obj *o)
{
	const char *n = mdl_obj_get(m, o, "Name");
	return n ? n : (n = mdl_obj_get(m, o, "Identity")) ? n : "?";
}

/* Created or changed within the window: the time, else 0. */
static int64_t fresh(const struct rule_ctx *c, const struct mdl_obj *o)
{
	static const char *const k[] = { "WhenChangedUTC", "WhenChanged", "WhenCreatedUTC", "WhenCreated" };
	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
		const char *v = mdl_obj_get(MAIL_M(c), o, k[i]);
		int64_t t;
		int off, has;
		if (v && tm_parse_iso(v, &t, &off, &has) == 0)
			return t >= c->since ? t : 0;
		err_clear();
	}
	return 0;
}

static int on(const struct mdl_mail *m, const struct mdl_obj *o, const char *k)
{
	return mdl_obj_bool(m, o, k) == 1;
}

/* ---- transport rules: each trait of a rule, for the rule and the baseline --------- */

struct trait {
	enum msg_id d;
	const char *key;           /* what the baseline records after "rule:<name>>" */
	const char *shown;
	enum rule_sev sev;
};

static int tr_emit(const struct rule_ctx *c, const struct rule *r, struct findings *out,
		   const struct mdl_obj *o, const struct trait *t)
{
	const struct mdl_mail *m = MAIL_M(c);
	const char *name = name_of(m, o), *state = mdl_obj_get(m, o, "State"), *mode = mdl_obj_get(m, o, "Mode");
	int off = (state && strcasecmp(state, "Enabled")) || (mode && strcasecmp(mode, "Enforce"));
	int known = MAIL_KNOWN(c, mail_flow, "rule:%s>%s", name, t->key);
	int64_t at = fresh(c, o);
	struct finding *f = mail_emit(out, r, t->sev > SEV_INFO && off ? t->sev - 1 : t->sev, known, o->ev, name,
				      t->d == M_MAIL009_FWD ? t->key : NULL, t->d, name, t->shown);
	if (!f || (off && mail_note(f, M_MAIL_Q_OFF) < 0) || (at && mail_note(f, M_MAIL_Q_CHANGED) < 0))
		return -1;
	finding_at(f, at);
	return 0;
}

/* Each trait of a transport rule, a finding each. */
static int tr_traits(const struct rule_ctx *c, const struct rule *r, struct findings *out, const struct mdl_obj *o)
{
	static const char *const to[] = { "RedirectMessageTo", "BlindCopyTo", "CopyTo", "AddToRecipients" };
	const struct mdl_mail *m = MAIL_M(c);
	char a[320];
	for (size_t k = 0; k < sizeof to / sizeof to[0]; k++) {
		size_t i = 0;
		for (const char *v; (v = mdl_obj_next(m, o, to[k], &i));) {
			const char *ad = bec_address(v, a, sizeof a);
			int out_ = mail_outside(c, ad ? ad : v);
			struct trait t = { M_MAIL009_FWD, ad ? ad : v, v, out_ == 1 ? SEV_HIGH : out_ < 0 ? SEV_MEDIUM : SEV_LOW };
			if (tr_emit(c, r, out, o, &t) < 0)
				return -1;
		}
	}
	const char *v = mdl_obj_get(m, o, "SetSCL");
	if (v && !strcmp(v, "-1")) {
		struct trait t = { M_MAIL009_SCL, "SCL", v, SEV_MEDIUM };
		if (tr_emit(c, r, out, o, &t) < 0)
			return -1;
	}
	/* Removing headers, or writing Exchange's own anti-spam ones, hides
	 * a message from filtering and from investigation (CIPP CIS 6.2.2);
	 * a phishing-simulation vendor's rule sets BypassClutter: medium. */
	if ((v = mdl_obj_get(m, o, "RemoveHeader")) || (v = mdl_obj_get(m, o, "SetHeaderName"))) {
		int own_hdr = !strncasecmp(v, "X-MS-Exchange-Organization-", 27) ||
			      !strncasecmp(v, "X-Forefront-Antispam-Report", 27);
		int removed = mdl_obj_get(m, o, "RemoveHeader") != NULL;
		struct trait t = { M_MAIL009_HDR, v, v,
				   removed || !strncasecmp(v, "X-Forefront", 11) ? SEV_HIGH : own_hdr ? SEV_MEDIUM : SEV_INFO };
		if (t.sev > SEV_INFO && tr_emit(c, r, out, o, &t) < 0)
			return -1;
	}
	if ((v = mdl_obj_get(m, o, "RouteMessageOutboundConnector"))) {
		struct trait t = { M_MAIL009_ROUTE, v, v, SEV_MEDIUM };
		if (tr_emit(c, r, out, o, &t) < 0)
			return -1;
	}
	if (on(m, o, "DeleteMessage")) {
		struct trait t = { M_MAIL009_DEL, "delete", "", SEV_MEDIUM };
		if (tr_emit(c, r, out, o, &t) < 0)
			return -1;
	}
	return 0;
}

/* ---- MAIL-007: senders and domains allowed past anti-spam ------------------------------
 * ScubaGear MS.EXO.14.3: allowed domains SHALL NOT be added; an allowed
 * domain that is the tenant's own or a public webmail lets anyone spoof
 * or relay through it: high. Allowed senders: low, medium in the
 * tenant's own domains. Blocked ones are listed for review (the fiche:
 * « Blocked Senders » et « Allowed Senders »). */
static int list_blocked(const struct rule_ctx *c, const struct rule *r, struct findings *out,
			const struct mdl_obj *o, const char *const *keys, enum msg_id d, const char *what)
{
	const struct mdl_mail *m = MAIL_M(c);
	struct buf l = { 0 };
	struct finding *f = NULL;
	int rc = 0;
	for (int k = 0; keys[k] && rc == 0; k++) {
		size_t i = 0;
		for (const char *v; rc == 0 && (v = mdl_obj_next(m, o, keys[k], &i));)
			rc = buf_printf(&l, "%s%s", l.len ? ", " : "", v);
	}
	if (rc == 0 && l.len)
		rc = !(f = mail_emit(out, r, SEV_INFO, 0, o->ev, NULL, NULL, d, what, l.p)) ? -1 : 0;
	for (int k = 0; f && keys[k] && rc == 0; k++) {
		size_t i = 0;
		for (const char *v; rc == 0 && (v = mdl_obj_next(m, o, keys[k], &i));)
			rc = finding_obj(f, v);
	}
	buf_free(&l);
	return rc < 0 ? -1 : 0;
}

int mail_r_allowed_senders(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	static const char *const blocked[] = { "BlockedSenderDomains", "BlockedSenders", NULL };
	const struct mdl_mail *m = MAIL_M(c);
	EACH(o, m, MAIL_SRC_CONTENT) {
		for (int dom = 1; dom >= 0; dom--) {
			size_t i = 0;
			for (const char *v; (v = mdl_obj_next(m, o, dom ? "AllowedSenderDomains" : "AllowedSenders", &i));) {
				int mine = own(c, v);
				enum rule_sev sev = dom ? (mine || is_webmail(v) ? SEV_HIGH : SEV_MEDIUM) :
						    mine ? SEV_MEDIUM : SEV_LOW;
				int known = MAIL_KNOWN(c, allowed_senders, "%s:%s", dom ? "domain" : "sender", v);
				if (!mail_emit(out, r, sev, known, o->ev, v, NULL, M_MAIL007_D, name_of(m, o), v))
					return -1;
			}
		}
		if (list_blocked(c, r, out, o, blocked, M_MAIL007_BLOCKED, name_of(m, o)) < 0)
			return -1;
	}
	return 0;
}

/* ---- MAIL-008: spoofing allowed ---------------------------------------------------------
 * Tenant allow/block list spoof entries (Get-TenantAllowBlockListSpoofItems,
 * output names UNVERIFIED: SpoofedUser, SendingInfrastructure, SpoofType,
 * Action). The tenant's own domain spoofable, or an internal spoof: high. */
int mail_r_spoof(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_mail *m = MAIL_M(c);
	EACH(o, m, MAIL_SRC_SPOOF) {
		const char *a = mdl_obj_get(m, o, "Action"), *u = mdl_obj_get(m, o, "SpoofedUser");
		const char *inf = mdl_obj_get(m, o, "SendingInfrastructure"), *t = mdl_obj_get(m, o, "SpoofType");
		if (!u || !a || strcasecmp(a, "Allow"))
			continue;
		enum rule_sev sev = own(c, u) || (t && !strcasecmp(t, "Internal")) ? SEV_HIGH : SEV_MEDIUM;
		int known = MAIL_KNOWN(c, allowed_senders, "spoof:%s>%s", u, inf ? inf : "");
		if (!mail_emit(out, r, sev, known, o->ev, u, inf, M_MAIL008_D, u, inf ? inf : "?"))
			return -1;
	}
	return 0;
}

/* ---- MAIL-009: transport rules -----------------------------------------------------------
 * The fiche: « Vérifier toutes les conditions de règles de transport et
 * les destinataires » — redirections, deletions, copies, header changes.
 * A copy, Bcc or redirect outside: high (CIS 6.2.1); SCL -1, routing
 * through a connector, deleting: medium; a disabled rule or one in audit
 * mode is one level lower; a change within the window is dated. */
int mail_r_transport(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	EACH(o, MAIL_M(c), MAIL_SRC_TRANSPORT)
		if (tr_traits(c, r, out, o) < 0)
			return -1;
	return 0;
}

/* ---- MAIL-011: remote domains -------------------------------------------------------------
 * The fiche: no wildcard in the RemoteDomain settings; delivery reports
 * and NDRs allowed, meeting forward notifications blocked. The Default
 * remote domain ("*") is Microsoft's and forwards automatically unless
 * the outbound spam policy blocks it: nothing while that policy blocks
 * (Automatic, Off), low when it lets forwarding out. A wildcard of
 * another remote domain: medium; automatic forwarding to a named domain:
 * medium, high to a public webmail (Maester Test-MtCisaAutoExternalForwarding). */
static int fwd_on(const struct mdl_mail *m)
{
	EACH(o, m, MAIL_SRC_OUTSPAM) {
		const char *v = mdl_obj_get(m, o, "AutoForwardingMode");
		if (v && !strcasecmp(v, "On"))
			return 1;
	}
	return 0;
}

int mail_r_remote_domains(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_mail *m = MAIL_M(c);
	EACH(o, m, MAIL_SRC_REMOTEDOM) {
		const char *d = mdl_obj_get(m, o, "DomainName"), *name = name_of(m, o);
		int star = d && !strcmp(d, "*"), fwd = on(m, o, "AutoForwardEnabled");
		int wild = d && !star && strchr(d, '*'), flag = d && (wild || (fwd && (!star || fwd_on(m))));
		int known = flag && !star && MAIL_KNOWN(c, mail_flow, "remote:%s", d);
		if (flag && !mail_emit(out, r, wild ? (fwd ? SEV_HIGH : SEV_MEDIUM) : star ? SEV_LOW :
				       is_webmail(d) ? SEV_HIGH : SEV_MEDIUM, known, o->ev, d, NULL,
				       wild ? M_MAIL011_WILD : M_MAIL011_FWD, name, d))
			return -1;
		if (mdl_obj_bool(m, o, "DeliveryReportEnabled") == 0 || mdl_obj_bool(m, o, "NDREnabled") == 0 ||
		    on(m, o, "MeetingForwardNotificationEnabled")) {
			char what[160];
			snprintf(what, sizeof what, "DeliveryReportEnabled=%s NDREnabled=%s MeetingForwardNotificationEnabled=%s",
				 mdl_obj_get(m, o, "DeliveryReportEnabled"), mdl_obj_get(m, o, "NDREnabled"),
				 mdl_obj_get(m, o, "MeetingForwardNotificationEnabled"));
			if (!mail_emit(out, r, SEV_LOW, 0, o->ev, d, NULL, M_MAIL011_VAL, name, what))
				return -1;
		}
	}
	return 0;
}

/* ---- MAIL-012: external storage in OWA, and what has no read API --------------------------
 * AdditionalStorageProvidersAvailable is on in the default policy: low
 * (CIS 6.5.3). The fiche's other 1.e items — the « Auto forwarded
 * messages » report, Teams' third-party storage and anonymous access —
 * have no read API reflexe uses: listed as unanswered, with where to
 * look, never as clean. */
int mail_r_storage(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_mail *m = MAIL_M(c);
	const struct rule_source *s = &c->src[MAIL_SRC_OWA];
	if (rule_unknown(out, "1.e-autoforward-report",
			 "Exchange admin center > Reports > Mail flow > Auto forwarded messages "
			 "(admin.exchange.microsoft.com/#/reports/autoforwardedmessages)", M_MAIL_MAN_AUTOFWD) < 0 ||
	    rule_unknown(out, "1.e-teams-storage",
			 "Teams admin center > Teams > Teams settings > Files (Get-CsTeamsClientConfiguration: "
			 "AllowDropBox, AllowBox, AllowGoogleDrive, AllowShareFile, AllowEgnyte)", M_MAIL_MAN_TEAMS) < 0 ||
	    rule_unknown(out, "1.e-teams-anonymous",
			 "Teams admin center > Meetings > Meeting policies and Meeting settings (Get-CsTeamsMeetingPolicy: "
			 "AllowAnonymousUsersToJoinMeeting)", M_MAIL_MAN_ANON) < 0)
		return -1;
	if (!s->ok)
		return rule_unknown(out, r->id, s->needs, s->reason, s->name, s->detail ? s->detail : "");
	int any = 0;
	EACH(o, m, MAIL_SRC_OWA) {
		if (!on(m, o, "AdditionalStorageProvidersAvailable"))
			continue;
		if (!mail_emit(out, r, r->sev, 0, o->ev, name_of(m, o), NULL, M_MAIL012_D, name_of(m, o)))
			return -1;
		any = 1;
	}
	/* The unknowns above must not stand for this rule's own answer. */
	return any ? 0 : rule_emit(out, r, SEV_INFO, ST_CLEAR, r->clear) ? 0 : -1;
}

/* ---- MAIL-013, 014: auditing ---------------------------------------------------------------
 * Turning auditing off hides what an attacker does next (ScubaGear
 * MS.EXO.13.1, MS.SECURITYSUITE.5.1; CIS 6.1.1, 6.1.3). */
int mail_r_audit_off(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_mail *m = MAIL_M(c);
	for (size_t i = 0; i < m->n_ob; i++) {
		const struct mdl_obj *o = &m->ob[i];
		int org = o->src == MAIL_SRC_ORG && on(m, o, "AuditDisabled");
		int ual = o->src == MAIL_SRC_AUDITLOG && mdl_obj_bool(m, o, "UnifiedAuditLogIngestionEnabled") == 0;
		if ((org || ual) && !mail_emit(out, r, r->sev, 0, o->ev, name_of(m, o), NULL, org ? M_MAIL013_ORG : M_MAIL013_UAL))
			return -1;
	}
	return 0;
}

int mail_r_audit_bypass(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_mail *m = MAIL_M(c);
	EACH(o, m, MAIL_SRC_BYPASS) {
		if (!on(m, o, "AuditBypassEnabled"))
			continue;
		int known = MAIL_KNOWN(c, mail_flow, "bypass:%s", name_of(m, o));
		if (!mail_emit(out, r, r->sev, known, o->ev, name_of(m, o), NULL, M_MAIL014_D, name_of(m, o)))
			return -1;
	}
	return 0;
}

/* ---- MAIL-015: connection filter's IP allow list and safe list (ScubaGear MS.EXO.12) --- */
int mail_r_ip_allow(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_mail *m = MAIL_M(c);
	EACH(o, m, MAIL_SRC_CONNFILTER) {
		size_t i = 0;
		for (const char *v; (v = mdl_obj_next(m, o, "IPAllowList", &i));) {
			int known = MAIL_KNOWN(c, allowed_senders, "ip:%s", v);
			if (!mail_emit(out, r, r->sev, known, o->ev, v, NULL, M_MAIL015_D, name_of(m, o), v))
				return -1;
		}
		if (on(m, o, "EnableSafeList") &&
		    !mail_emit(out, r, SEV_LOW, 0, o->ev, name_of(m, o), NULL, M_MAIL015_SAFE, name_of(m, o)))
			return -1;
	}
	return 0;
}

/* ---- MAIL-016: the tenant allow/block list ------------------------------------------------
 * One folder per list type (Sender, Url, FileHash, IP: Exchange does not
 * echo it back, CIPP). An allowed sender of the tenant's own domains:
 * high; any other allow: medium; blocks listed for review. */
int mail_r_tabl(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	static const char *const blocked[] = { "Value", NULL };
	const struct mdl_mail *m = MAIL_M(c);
	EACH(o, m, MAIL_SRC_TABL) {
		const char *a = mdl_obj_get(m, o, "Action"), *v = mdl_obj_get(m, o, "Value");
		if (!a || !v)
			continue;      /* an empty list's placeholder record */
		if (!strcasecmp(a, "Block")) {
			if (list_blocked(c, r, out, o, blocked, M_MAIL016_BLOCKED, o->sub) < 0)
				return -1;
			continue;
		}
		if (strcasecmp(a, "Allow"))
			continue;
		enum rule_sev sev = !strcasecmp(o->sub, "Sender") && own(c, v) ? SEV_HIGH : r->sev;
		int known = MAIL_KNOWN(c, allowed_senders, "%s:%s", o->sub, v);
		if (!mail_emit(out, r, sev, known, o->ev, v, NULL, M_MAIL016_D, v, o->sub))
			return -1;
	}
	return 0;
}

/* ---- MAIL-017: spoof intelligence turned off ------------------------------------------------ */
int mail_r_spoof_intel(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_mail *m = MAIL_M(c);
	EACH(o, m, MAIL_SRC_ANTIPHISH)
		if (mdl_obj_bool(m, o, "EnableSpoofIntelligence") == 0 &&
		    !mail_emit(out, r, r->sev, 0, o->ev, name_of(m, o), NULL, M_MAIL017_D, name_of(m, o)))
			return -1;
	return 0;
}

/* ---- MAIL-018: outbound spam policy letting automatic forwarding out ----------------------
 * AutoForwardingMode On (Automatic and Off block it: CIS 6.2.1, CIPP
 * EXODisableAutoForwarding). For everyone (the default policy, or a
 * policy whose scope is unknown): medium; a custom policy that its rule
 * (Get-HostedOutboundSpamFilterRule) scopes to a few senders: high, the
 * attacker's way to let one mailbox forward out. */
int mail_r_auto_forward(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	static const char *const scope[] = { "From", "FromMemberOf", "SenderDomainIs" };
	const struct mdl_mail *m = MAIL_M(c);
	EACH(o, m, MAIL_SRC_OUTSPAM) {
		const char *v = mdl_obj_get(m, o, "AutoForwardingMode"), *name = name_of(m, o);
		if (!v || strcasecmp(v, "On"))
			continue;
		struct buf who = { 0 };
		int rc = 0;
		if (!on(m, o, "IsDefault"))
			EACH(x, m, MAIL_SRC_OUTSPAMRULE) {
				const char *p = mdl_obj_get(m, x, "HostedOutboundSpamFilterPolicy");
				for (size_t k = 0; p && !strcasecmp(p, name) && k < 3 && rc == 0; k++) {
					size_t i = 0;
					for (const char *s; rc == 0 && (s = mdl_obj_next(m, x, scope[k], &i));)
						rc = buf_printf(&who, "%s%s", who.len ? ", " : "", s);
				}
			}
		int known = MAIL_KNOWN(c, mail_flow, "outspam:%s", name);
		rc = rc || !mail_emit(out, r, who.len ? SEV_HIGH : SEV_MEDIUM, known, o->ev, name, NULL,
				      M_MAIL018_D, name, who.len ? who.p : "*") ? -1 : 0;
		buf_free(&who);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ---- MAIL-019, 020: connectors ---------------------------------------------------------------
 * An inbound connector accepting mail from IP addresses is how an
 * attacker's application relayed spam through a tenant (Microsoft
 * Security blog, 2022-09-22); a hybrid tenant has one too: on-premises
 * medium, partner low, created or changed within the window high. An
 * outbound connector for every domain or through a smart host: medium,
 * high when new. A baseline that knows every address drops it to low. */
static int connector(const struct rule_ctx *c, const struct rule *r, struct findings *out, int s)
{
	const struct mdl_mail *m = MAIL_M(c);
	EACH(o, m, s) {
		const char *name = name_of(m, o), *type = mdl_obj_get(m, o, "ConnectorType");
		struct buf l = { 0 };
		int unknown = 0, rc = 0, in = s == MAIL_SRC_INCONN;
		if (mdl_obj_bool(m, o, "Enabled") == 0)
			continue;
		static const char *const keys[2][2] = { { "SmartHosts", "RecipientDomains" }, { "SenderIPAddresses", NULL } };
		for (int k = 0; k < 2 && keys[in][k] && rc == 0; k++) {
			size_t i = 0;
			for (const char *v; rc == 0 && (v = mdl_obj_next(m, o, keys[in][k], &i));) {
				if (!in && k == 1 && strcmp(v, "*"))
					continue;
				unknown |= !MAIL_KNOWN(c, mail_flow, "%s:%s>%s", in ? "in" : "out", name, v);
				rc = buf_printf(&l, "%s%s", l.len ? ", " : "", v);
			}
		}
		int64_t at = fresh(c, o);
		enum rule_sev sev = at ? SEV_HIGH : !in || (type && !strcasecmp(type, "OnPremises")) ? SEV_MEDIUM : SEV_LOW;
		const char *rd = mdl_obj_get(m, o, "RecipientDomains");
		struct finding *f = rc || !l.len ? NULL :
			mail_emit(out, r, sev, !unknown, o->ev, name, NULL, in ? M_MAIL019_D : M_MAIL020_D, name,
				  in ? (type ? type : "?") : rd ? rd : "*", l.p);
		if (f) {
			finding_at(f, at);
			rc = at && mail_note(f, M_MAIL_Q_CHANGED) < 0 ? -1 : 0;
		} else if (l.len) {
			rc = -1;
		}
		buf_free(&l);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int mail_r_inbound(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	return connector(c, r, out, MAIL_SRC_INCONN);
}

int mail_r_outbound(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	return connector(c, r, out, MAIL_SRC_OUTCONN);
}

/* ---- MAIL-021: SMTP AUTH for the organisation (ScubaGear MS.EXO.5.1) ----------------------- */
int mail_r_smtp_auth(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_mail *m = MAIL_M(c);
	EACH(o, m, MAIL_SRC_TRANSPORTCFG)
		if (mdl_obj_bool(m, o, "SmtpClientAuthenticationDisabled") == 0 &&
		    !mail_emit(out, r, r->sev, 0, o->ev, NULL, NULL, M_MAIL021_D))
			return -1;
	return 0;
}
