/*
 * check-events, Exchange Online (fiche 1.b « Vérifier les boîtes aux
 * lettres », 1.e leak and BEC): inbox rules made or changed, forwarding
 * set on a mailbox, mailbox permissions granted, mailbox auditing turned
 * down, the unified audit log turned off — as the unified audit log
 * records the cmdlets (Exchange admin schema: Operation and Parameters
 * [{Name, Value}]) and Outlook's UpdateInboxRules (OperationProperties).
 * Turning a setting back on (forwarding cleared, bypass False, ingestion
 * True) is not a finding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/model.h"
#include "rules/rules.h"

static enum rule_sev level_sev(int lv)
{
	return lv >= 3 ? SEV_HIGH : lv == 2 ? SEV_MEDIUM : SEV_LOW;
}

/* ---- EVT-002: inbox rules -------------------------------------------------------------- */

/* "a;b;c" -> pointers into *own (a copy of v, freed by the caller) */
static size_t split(const char *v, char **own, const char **out, size_t max)
{
	size_t n = 0;
	*own = NULL;
	if (!v || !(*own = strdup(v)))
		return 0;
	for (char *p = *own; *p && n < max;) {
		char *e = p + strcspn(p, ";");
		char end = *e;
		*e = 0;
		while (*p == ' ')
			p++;
		if (*p)
			out[n++] = p;
		if (!end)
			break;
		p = e + 1;
	}
	return n;
}

/* Conditions a rule may have that this classifier does not read: with
 * one of them, a rule is not a catch-all. New-InboxRule parameters. */
static const char *const other_conds[] = {
	"SentTo", "HasAttachment", "MyNameInToBox", "MyNameInCcBox", "MyNameInToOrCcBox",
	"MyNameNotInToBox", "SentOnlyToMe", "FlaggedForAction", "WithImportance", "WithSensitivity",
	"MessageTypeMatches", "HasClassification", "WithinSizeRangeMinimum", "WithinSizeRangeMaximum",
	"ReceivedAfterDate", "ReceivedBeforeDate", "FromSubscription",
};
static const char *const word_conds[] = {
	"SubjectContainsWords", "BodyContainsWords", "SubjectOrBodyContainsWords", "HeaderContainsWords",
	"RecipientAddressContainsWords", "RuleCondition",
};

#define MAXV 256
struct rule_text {
	char *own[8];          /* copies the pointers below point into */
	char *fromfwd[2];
	const char *words[MAXV], *from[MAXV], *fwd[MAXV];
};

static void rule_text_free(struct rule_text *t)
{
	for (int i = 0; i < 8; i++)
		free(t->own[i]);
	free(t->fromfwd[0]);
	free(t->fromfwd[1]);
	memset(t->own, 0, sizeof t->own);
	t->fromfwd[0] = t->fromfwd[1] = NULL;
}

/* The rule as the event tells it: New-/Set-InboxRule parameters, or
 * UpdateInboxRules' RuleName / RuleCondition / RuleActions, whose texts
 * are free-form (their wording is UNVERIFIED: read defensively — the
 * action names and the addresses in them). */
static void read_rule(const struct mdl_evt *e, struct bec_rule *b, struct rule_text *t)
{
	memset(b, 0, sizeof *b);
	b->name = evt_param(e, "Name");
	if (!b->name)
		b->name = evt_param(e, "RuleName");
	if (!b->name && evt_param(e, "Identity")) {
		const char *id = evt_param(e, "Identity");
		const char *bs = strrchr(id, '\\');
		b->name = bs ? bs + 1 : id;
	}
	b->enabled = evt_bool(evt_param(e, "Enabled"));
	struct buf tmp = { 0 };
	/* one copy per condition (six), then From (6) and forwards (7) */
	for (size_t i = 0; i < sizeof word_conds / sizeof word_conds[0]; i++)
		b->nwords += split(evt_param(e, word_conds[i]), &t->own[i], t->words + b->nwords, MAXV - b->nwords);
	b->words = t->words;
	const char *fr = evt_param(e, "From");
	const char *frw = evt_param(e, "FromAddressContainsWords");
	buf_printf(&tmp, "%s;%s", fr ? fr : "", frw ? frw : "");
	b->nfrom = split(tmp.p, &t->own[6], t->from, MAXV);
	buf_reset(&tmp);
	b->from = t->from;
	for (size_t i = 0; i < sizeof other_conds / sizeof other_conds[0]; i++)
		b->other_cond |= evt_param(e, other_conds[i]) != NULL;
	/* Set-InboxRule and Outlook's changes carry only what changed: the
	 * conditions left as they were are unknown, never "none" */
	if (strcasecmp(e->op, "New-InboxRule"))
		b->other_cond = 1;
	const char *f1 = evt_param(e, "ForwardTo"), *f2 = evt_param(e, "ForwardAsAttachmentTo"),
		   *f3 = evt_param(e, "RedirectTo");
	buf_printf(&tmp, "%s;%s;%s", f1 ? f1 : "", f2 ? f2 : "", f3 ? f3 : "");
	b->nfwd = split(tmp.p, &t->own[7], t->fwd, MAXV);
	buf_free(&tmp);
	b->fwd = t->fwd;
	b->del = evt_bool(evt_param(e, "DeleteMessage")) == 1 || evt_bool(evt_param(e, "SoftDeleteMessage")) == 1;
	b->move_to = evt_param(e, "MoveToFolder");
	b->mark_read = evt_bool(evt_param(e, "MarkAsRead")) == 1;
	/* Outlook's rules (UpdateInboxRules): action names in a text */
	const char *act = evt_param(e, "RuleActions");
	if (act) {
		b->del |= evt_has(act, "Delete");
		b->mark_read |= evt_has(act, "MarkAsRead") || evt_has(act, "MarkRead");
		if (!b->move_to && evt_has(act, "Move"))
			b->move_to = act;
		if (!b->nfwd && (evt_has(act, "Forward") || evt_has(act, "Redirect"))) {
			/* the addresses in the text */
			char *save = NULL;
			if (!(t->fromfwd[0] = strdup(act)))
				return;
			for (char *p = strtok_r(t->fromfwd[0], " ,;()[]'\"", &save); p && b->nfwd < MAXV;
			     p = strtok_r(NULL, " ,;()[]'\"", &save))
				if (strchr(p, '@'))
					t->fwd[b->nfwd++] = p;
		}
	}
}

/* The mailbox of a rule: -Mailbox, else the owner part of the rule's
 * identity ("jean.dupont\\Suivi"), else the event's subject, else the
 * actor's own (New-InboxRule without -Mailbox, as Outlook's rules wizard
 * sends it, applies to the caller's mailbox). */
static const char *rule_mailbox(const struct mdl_evt *e, char *out, size_t n)
{
	const char *mb = evt_param(e, "Mailbox");
	if (mb)
		return mb;
	const char *id = evt_param(e, "Identity");
	const char *bs = id ? strchr(id, '\\') : NULL;
	if (bs) {
		snprintf(out, n, "%.*s", (int)(bs - id), id);
		return out;
	}
	const char *sub = evt_subject(e);
	return strcmp(sub, "?") || !e->actor ? sub : e->actor;
}

int evt_r_inbox_rules(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_events *m = EVT_M(c);
	struct bec_ctx bc = evt_bec_ctx(m);
	struct rule_text *t = calloc(1, sizeof *t);
	if (!t)
		return err_set(E_NOMEM);
	int rc = 0;
	for (size_t i = 0; i < m->n_ev && rc == 0; i++) {
		const struct mdl_evt *e = &m->ev[i];
		if (e->kind != EVK_INBOX_RULE)
			continue;
		const char *rop = evt_param(e, "RuleOperation");
		if (rop && evt_has(rop, "Remove"))
			continue;       /* Outlook removing a rule */
		struct bec_rule b;
		struct bec_result res;
		read_rule(e, &b, t);
		if (!bec_classify(&b, &bc, &res)) {
			rule_text_free(t);
			continue;
		}
		struct buf fr = { 0 }, en = { 0 };
		if (bec_describe(&res, LANG_FR, &fr) < 0 || bec_describe(&res, LANG_EN, &en) < 0) {
			buf_free(&fr);
			buf_free(&en);
			rule_text_free(t);
			rc = -1;
			break;
		}
		const char *x[2] = { fr.p ? fr.p : "", en.p ? en.p : "" };
		char when[32], mbx[256];
		evt_when(e->t, when);
		struct finding *f = evt_emit(out, r, level_sev(res.level), m, e, x, M_EVT002_D, rule_mailbox(e, mbx, sizeof mbx),
					     b.name ? b.name : "", e->op, when, e->actor ? e->actor : "?",
					     e->ip ? e->ip : "?");
		if (!f || (b.name && finding_obj(f, b.name) < 0))
			rc = -1;
		buf_free(&fr);
		buf_free(&en);
		rule_text_free(t);
	}
	free(t);
	return rc;
}

/* ---- EVT-003: forwarding set on a mailbox --------------------------------------------- */

int evt_r_forwarding(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_events *m = EVT_M(c);
	struct bec_ctx bc = evt_bec_ctx(m);
	for (size_t i = 0; i < m->n_ev; i++) {
		const struct mdl_evt *e = &m->ev[i];
		if (e->kind != EVK_SET_MAILBOX)
			continue;
		const char *smtp = evt_param(e, "ForwardingSmtpAddress");
		const char *addr = evt_param(e, "ForwardingAddress");
		const char *to = smtp && *smtp ? smtp : addr && *addr ? addr : NULL;
		if (!to || !strcmp(to, "$null"))
			continue;        /* not set, or cleared */
		char a[320];
		const char *at = bec_address(to, a, sizeof a);
		int in = at ? bec_internal(&bc, at) : -1;
		/* DeliverToMailboxAndForward False: the owner keeps no copy */
		int silent = evt_bool(evt_param(e, "DeliverToMailboxAndForward")) == 0;
		enum rule_sev sev = in == 0 ? (silent ? SEV_CRITICAL : SEV_HIGH) : in < 0 ? SEV_MEDIUM : SEV_LOW;
		enum msg_id id = in == 0 ? M_EVT003_EXT : in < 0 ? M_EVT003_UNKNOWN : M_EVT003_INT;
		char when[32];
		evt_when(e->t, when);
		const char *x[2] = { silent ? tr_lang(M_EVT003_SILENT, LANG_FR) : "",
				     silent ? tr_lang(M_EVT003_SILENT, LANG_EN) : "" };
		struct finding *f = evt_emit(out, r, sev, m, e, x, id, evt_subject(e), to, when,
					     e->actor ? e->actor : "?", e->ip ? e->ip : "?");
		if (!f || finding_obj(f, at ? at : to) < 0)
			return -1;
	}
	return 0;
}

/* ---- EVT-004: mailbox permissions ------------------------------------------------------ */

int evt_r_mbx_perm(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_events *m = EVT_M(c);
	struct bec_ctx bc = evt_bec_ctx(m);
	for (size_t i = 0; i < m->n_ev; i++) {
		const struct mdl_evt *e = &m->ev[i];
		const char *who, *rights;
		if (e->kind == EVK_MBX_PERM) {
			who = evt_param(e, "User");
			if (!who)
				who = evt_param(e, "Trustee");
			rights = evt_param(e, "AccessRights");
		} else if (e->kind == EVK_SET_MAILBOX && evt_param(e, "GrantSendOnBehalfTo")) {
			who = evt_param(e, "GrantSendOnBehalfTo");
			rights = "SendOnBehalf";
		} else {
			continue;
		}
		/* the mailbox itself, or an unresolved SID: not a delegation */
		if (!who || !*who || !strcmp(who, "$null") || evt_has(who, "NT AUTHORITY\\SELF") || !strncmp(who, "S-1-5-", 6))
			continue;
		char a[320];
		const char *at = bec_address(who, a, sizeof a);
		int outside = strstr(who, "#EXT#") || (at && bec_internal(&bc, at) == 0);
		int self = e->actor && !strcasecmp(e->actor, who);
		enum rule_sev sev = outside ? SEV_HIGH : self ? SEV_MEDIUM : SEV_LOW;
		char when[32];
		evt_when(e->t, when);
		struct finding *f = evt_emit(out, r, sev, m, e, NULL, outside ? M_EVT004_EXT : self ? M_EVT004_SELF : M_EVT004_D,
					     evt_subject(e), rights ? rights : "?", who, when, e->actor ? e->actor : "?");
		if (!f || finding_obj(f, who) < 0)
			return -1;
	}
	return 0;
}

/* ---- EVT-005: mailbox auditing turned down ------------------------------------------------ */

/* AuditLogAgeLimit, a .NET TimeSpan "d.hh:mm:ss" or "hh:mm:ss": days,
 * or -1 when unreadable. (Read by hand: sscanf alone would bring 4 KB of
 * libc into the binary.) */
static long ts_num(const char **p)
{
	long n = 0;
	int k = 0;
	while (**p >= '0' && **p <= '9' && k < 9) {
		n = n * 10 + (**p - '0');
		(*p)++, k++;
	}
	return k ? n : -1;
}

static double age_days(const char *v)
{
	long d = 0, h, mi, s;
	if (!v)
		return -1;
	while (*v == ' ')
		v++;
	h = ts_num(&v);
	if (*v == '.') {
		v++;
		d = h;
		h = ts_num(&v);
	}
	if (h < 0 || *v++ != ':' || (mi = ts_num(&v)) < 0 || *v++ != ':' || (s = ts_num(&v)) < 0)
		return -1;
	return (double)d + (double)h / 24.0 + (double)mi / 1440.0;
}

int evt_r_mbx_audit(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_events *m = EVT_M(c);
	for (size_t i = 0; i < m->n_ev; i++) {
		const struct mdl_evt *e = &m->ev[i];
		enum msg_id id = 0;
		const char *val = NULL;
		if (e->kind == EVK_AUDIT_BYPASS && evt_bool(evt_param(e, "AuditBypassEnabled")) == 1) {
			id = M_EVT005_BYPASS;
		} else if (e->kind == EVK_SET_MAILBOX) {
			const char *age = evt_param(e, "AuditLogAgeLimit");
			double d = age_days(age);
			/* the default keeps 90 days (Manage mailbox auditing) */
			if (age && d >= 0 && d < 90) {
				id = M_EVT005_AGE;
				val = age;
			} else if (evt_bool(evt_param(e, "AuditEnabled")) == 0) {
				id = M_EVT005_OFF;
			}
		}
		if (!id)
			continue;
		char when[32];
		evt_when(e->t, when);
		if (!evt_emit(out, r, r->sev, m, e, NULL, id, evt_subject(e), val ? val : "", when,
			      e->actor ? e->actor : "?", e->ip ? e->ip : "?"))
			return -1;
	}
	return 0;
}

/* ---- EVT-006: the unified audit log turned off ------------------------------------------------- */

int evt_r_ual_off(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_events *m = EVT_M(c);
	for (size_t i = 0; i < m->n_ev; i++) {
		const struct mdl_evt *e = &m->ev[i];
		if (e->kind != EVK_AUDIT_CONFIG)
			continue;
		enum msg_id id = 0;
		if (evt_bool(evt_param(e, "UnifiedAuditLogIngestionEnabled")) == 0)
			id = M_EVT006_UAL;
		else if (evt_bool(evt_param(e, "AdminAuditLogEnabled")) == 0)
			id = M_EVT006_ADMIN;
		else if (evt_bool(evt_param(e, "AuditDisabled")) == 1)
			id = M_EVT006_ORG;
		if (!id)
			continue;
		char when[32];
		evt_when(e->t, when);
		if (!evt_emit(out, r, r->sev, m, e, NULL, id, when, e->actor ? e->actor : "?", e->ip ? e->ip : "?"))
			return -1;
	}
	return 0;
}
