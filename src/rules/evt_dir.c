/*
 * check-events, Entra ID directory operations: roles granted (fiche 1.a),
 * MFA turned off or authentication methods changed (1.a), consents and
 * permission grants (1.d illicit consent), application credentials and
 * owners added (1.d) — as the directory audit log writes them (Graph,
 * Log Analytics, the portal) or the unified audit log repeats them
 * (Azure Active Directory base schema: ModifiedProperties
 * [{Name, NewValue, OldValue}]). Activity names and properties: Microsoft
 * Entra audit log activity reference, and check-apps.md §3 (KeyDescription
 * lists, ConsentContext.*, DelegatedPermissionGrant.Scope).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/model.h"
#include "rules/rules.h"

static const char *s0(const char *s)
{
	return s ? s : "?";
}

/* The role's name, as each log spells it: Role.DisplayName (UAL, Graph
 * Core Directory), the target's name (PIM), Exchange's role group. */
static const char *role_name(const struct mdl_evt *e)
{
	const char *n = evt_param(e, "Role.DisplayName");
	for (int i = 0; !n && i < e->ntgt; i++)
		if (e->tgt[i].type && !strcasecmp(e->tgt[i].type, "Role"))
			n = e->tgt[i].name;
	if (!n && e->cat == EXP_CAT_EXO)
		n = evt_param(e, "Identity");
	if (!n && e->ntgt && e->tgt[0].name && !e->tgt[0].upn)
		n = e->tgt[0].name;
	return n;
}

/* ---- EVT-007: roles granted -------------------------------------------------------------- */

int evt_r_roles(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_events *m = EVT_M(c);
	char w[32];
	for (size_t i = 0; i < m->n_ev; i++) {
		const struct mdl_evt *e = &m->ev[i];
		if (e->kind != EVK_ROLE_ADD)
			continue;
		const char *name = role_name(e);
		const char *tpl = evt_param(e, "Role.TemplateId");
		if (!tpl)
			tpl = evt_detail(e, "TemplateId");
		const char *priv = mdl_priv_builtin(tpl);
		if (!priv)
			priv = mdl_priv_by_name(name);
		/* Exchange: Organization Management holds every Exchange right */
		if (!priv && e->cat == EXP_CAT_EXO && name && evt_has(name, "Organization Management"))
			priv = name;
		/* who got it: a user target (the role is the other target) */
		const char *who = evt_param(e, "Member");
		for (int t = 0; !who && t < e->ntgt; t++)
			if (!e->tgt[t].type || strcasecmp(e->tgt[t].type, "Role"))
				who = e->tgt[t].upn ? e->tgt[t].upn : e->tgt[t].name;
		int eligible = evt_has(e->op, "eligible");
		struct finding *f = evt_emit(out, r, priv ? SEV_HIGH : SEV_LOW, m, e, NULL,
					     eligible ? M_EVT007_ELIGIBLE : M_EVT007_D, s0(who),
					     priv ? priv : s0(name), evt_when(e->t, w), s0(e->actor), s0(e->ip));
		if (!f || finding_obj(f, who) < 0)
			return -1;
	}
	return 0;
}

/* ---- EVT-008: MFA turned off, methods changed ---------------------------------------------- */

/* "[]" or empty: nothing; anything else: something. */
static int empty_list(const char *v)
{
	if (!v)
		return 1;
	while (*v == ' ' || *v == '\r' || *v == '\n' || *v == '[' || *v == ']')
		v++;
	return !*v;
}

/* Changes made by the user's own registration, or by the MFA service
 * on their behalf ("Azure MFA StrongAuthenticationService"): ordinary. */
static int by_self(const struct mdl_evt *e)
{
	const char *who = evt_subject(e);
	if (!e->actor || evt_has(e->actor, "StrongAuthenticationService") || evt_has(e->actor, "ServicePrincipal_"))
		return 1;
	return who && !strcasecmp(e->actor, who);
}

int evt_r_mfa(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_events *m = EVT_M(c);
	char w[32];
	for (size_t i = 0; i < m->n_ev; i++) {
		const struct mdl_evt *e = &m->ev[i];
		if (e->kind != EVK_MFA)
			continue;
		enum rule_sev sev = SEV_INFO;
		enum msg_id id = 0;
		const char *req = evt_param(e, "StrongAuthenticationRequirement");
		const char *meth = evt_param(e, "StrongAuthenticationMethod");
		if (evt_has(e->op, "Disable Strong Authentication") ||
		    (req && empty_list(req) && !empty_list(evt_param_old(e, "StrongAuthenticationRequirement")))) {
			sev = SEV_HIGH;
			id = M_EVT008_OFF;
		} else if (meth && empty_list(meth) && !empty_list(evt_param_old(e, "StrongAuthenticationMethod"))) {
			sev = SEV_HIGH;
			id = M_EVT008_CLEARED;
		} else if (meth && !by_self(e)) {
			sev = SEV_MEDIUM;
			id = M_EVT008_METHODS;
		} else if (!strncasecmp(e->op, "Admin ", 6)) {
			/* Admin registered / updated / deleted security info */
			sev = SEV_MEDIUM;
			id = M_EVT008_ADMIN;
		} else if (evt_has(e->op, "registered security info") || evt_has(e->op, "deleted security info") ||
			   evt_has(e->op, "application password")) {
			/* the user's own: every onboarding does it; to confirm */
			sev = SEV_LOW;
			id = M_EVT008_USER;
		}
		if (!id)
			continue;
		if (!evt_emit(out, r, sev, m, e, NULL, id, evt_subject(e), e->op, evt_when(e->t, w), s0(e->actor), s0(e->ip)))
			return -1;
	}
	return 0;
}

/* ---- EVT-013: consents and permission grants --------------------------------------------------- */

/* Permissions that read or send mail, reach files or run the directory:
 * what consent phishing asks for (Microsoft DART playbook; Hawk's
 * "high risk" list; check-apps.md §5). Matched as words of a scope list. */
static const char *const risky[] = {
	"Mail.", "MailboxSettings.", "Files.", "Sites.", "Notes.", "Contacts.", "People.", "Calendars.",
	"EWS.AccessAsUser.All", "IMAP.AccessAsUser.All", "POP.AccessAsUser.All", "SMTP.Send",
	"full_access_as_app", "Directory.", "User.ReadWrite", "Application.ReadWrite",
	"AppRoleAssignment.ReadWrite", "RoleManagement.", "Domain.ReadWrite", "Policy.ReadWrite",
	"UserAuthenticationMethod.ReadWrite", "Group.ReadWrite", "GroupMember.ReadWrite",
	"DelegatedPermissionGrant.ReadWrite", "user_impersonation", "Chat.", "ChannelMessage.",
};

/* The first risky permission in a scope text, or NULL. */
static const char *risky_scope(const char *scopes, char *out, size_t n)
{
	if (!scopes)
		return NULL;
	for (const char *p = scopes; *p;) {
		while (*p && strchr(" ,[]\";", *p))
			p++;
		size_t k = strcspn(p, " ,[]\";");
		for (size_t i = 0; k && i < sizeof risky / sizeof risky[0]; i++) {
			size_t rn = strlen(risky[i]);
			if (k >= rn && !strncasecmp(p, risky[i], rn)) {
				snprintf(out, n, "%.*s", (int)k, p);
				return out;
			}
		}
		p += k;
	}
	return NULL;
}

int evt_r_consent(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_events *m = EVT_M(c);
	char w[32], sc[128];
	for (size_t i = 0; i < m->n_ev; i++) {
		const struct mdl_evt *e = &m->ev[i];
		if (e->kind != EVK_CONSENT)
			continue;
		/* a consent the directory refused (risk-based step-up) */
		if (e->result && (!strcasecmp(e->result, "failure") || !strcasecmp(e->result, "Failed")))
			continue;
		const char *perms = evt_param(e, "ConsentAction.Permissions");
		const char *scope = evt_param(e, "DelegatedPermissionGrant.Scope");
		const char *role = evt_param(e, "AppRole.Value");
		/* ConsentAction.Permissions is "[before] => [after]": the after */
		const char *after = perms && strstr(perms, "=>") ? strstr(perms, "=>") : perms;
		const char *what = perms ? perms : scope ? scope : role;
		int all = evt_bool(evt_param(e, "ConsentContext.OnBehalfOfAll")) == 1 ||
			  evt_has(after, "ConsentType: AllPrincipals") ||
			  evt_has(evt_param(e, "DelegatedPermissionGrant.ConsentType"), "AllPrincipals");
		const char *hit = risky_scope(after ? strstr(after, "Scope:") : scope ? scope : role, sc, sizeof sc);
		/* the client application: the consent's target, or the grant's
		 * ServicePrincipal.* properties (its target is the resource) */
		const char *app = evt_param(e, "ServicePrincipal.DisplayName");
		if (!app && !evt_has(e->op, "delegated permission") && !evt_has(e->op, "app role assignment") && e->ntgt)
			app = e->tgt[0].name;
		if (!app)
			app = evt_param(e, "ServicePrincipal.ObjectID");
		enum rule_sev sev;
		enum msg_id id;
		if (!what) {
			sev = SEV_MEDIUM;        /* the export gives no detail */
			id = M_EVT013_UNDETAILED;
		} else if (all || hit) {
			sev = SEV_HIGH;
			id = all ? M_EVT013_ALL : M_EVT013_RISKY;
		} else {
			sev = SEV_LOW;
			id = M_EVT013_D;
		}
		struct finding *f = evt_emit(out, r, sev, m, e, NULL, id, s0(app), hit ? hit : s0(what), evt_when(e->t, w),
					     s0(e->actor), e->op);
		if (!f || finding_obj(f, app) < 0)
			return -1;
	}
	return 0;
}

/* ---- EVT-014: application credentials -------------------------------------------------------- */

/* Key ids in a KeyDescription list "[\"[KeyIdentifier=<id>,KeyType=…]\"]":
 * 1 when every KeyIdentifier of a is in b. */
static int keys_within(const char *a, const char *b)
{
	for (const char *p = a; p && (p = strstr(p, "KeyIdentifier=")); p += 14) {
		char id[64];
		size_t k = strcspn(p + 14, ",]\"");
		if (k >= sizeof id)
			k = sizeof id - 1;
		memcpy(id, p + 14, k);
		id[k] = 0;
		if (!b || !strstr(b, id))
			return 0;
	}
	return 1;
}

int evt_r_app_cred(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_events *m = EVT_M(c);
	char w[32];
	for (size_t i = 0; i < m->n_ev; i++) {
		const struct mdl_evt *e = &m->ev[i];
		if (e->kind != EVK_APP_CRED || evt_has(e->op, "Remove"))
			continue;
		const char *nw = evt_param(e, "KeyDescription"), *old = evt_param_old(e, "KeyDescription");
		int added = !nw || !strstr(nw, "KeyIdentifier=") || !keys_within(nw, old);
		if (!added)
			continue;                /* nothing new (a key removed) */
		/* a key added while another went: a rotation, to confirm */
		int rotation = nw && old && strstr(old, "KeyIdentifier=") && !keys_within(old, nw);
		const char *app = e->ntgt ? (e->tgt[0].name ? e->tgt[0].name : e->tgt[0].id) : NULL;
		struct finding *f = evt_emit(out, r, rotation ? SEV_LOW : SEV_MEDIUM, m, e, NULL,
					     rotation ? M_EVT014_ROTATION : M_EVT014_D, s0(app), evt_when(e->t, w),
					     s0(e->actor), s0(e->ua));
		if (!f || finding_obj(f, app) < 0)
			return -1;
	}
	return 0;
}

/* ---- EVT-015: owners added ------------------------------------------------------------------------ */

int evt_r_owner(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_events *m = EVT_M(c);
	char w[32];
	for (size_t i = 0; i < m->n_ev; i++) {
		const struct mdl_evt *e = &m->ev[i];
		if (e->kind != EVK_OWNER)
			continue;
		/* target 0: the new owner (user or service principal); the
		 * application: the other target, or the *.DisplayName property */
		const char *owner = e->ntgt ? (e->tgt[0].upn ? e->tgt[0].upn : e->tgt[0].name ? e->tgt[0].name : e->tgt[0].id) : NULL;
		const char *app = evt_param(e, "Application.DisplayName");
		if (!app)
			app = evt_param(e, "ServicePrincipal.DisplayName");
		if (!app && e->ntgt > 1)
			app = e->tgt[1].name ? e->tgt[1].name : e->tgt[1].id;
		int odd = (owner && strstr(owner, "#EXT#")) ||
			  (e->ntgt && e->tgt[0].type && !strcasecmp(e->tgt[0].type, "ServicePrincipal"));
		struct finding *f = evt_emit(out, r, odd ? SEV_HIGH : SEV_LOW, m, e, NULL,
					     odd ? M_EVT015_ODD : M_EVT015_D, s0(owner), s0(app), evt_when(e->t, w), s0(e->actor));
		if (!f || finding_obj(f, owner) < 0 || finding_obj(f, app) < 0)
			return -1;
	}
	return 0;
}
