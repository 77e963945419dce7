/*
 * check-mail rules on mailboxes — fiche 1.b « Vérifier les boîtes aux
 * lettres (BAL) Exchange Online »: delegations, mailboxes hidden from the
 * GAL, forwarding, SendAs, SendOnBehalf, inbox rules; and 1.e's shared
 * mailboxes that can sign in.
 *
 * Grading (check-mail.md §5.1, and the "defaults are not
 * findings"): what ordinary business looks like — a delegation on a
 * shared mailbox, an assistant sending on behalf of someone, forwarding
 * inside the tenant — is info or low; the same on an executive's mailbox
 * (baseline [executives]) is medium, and towards an account outside the
 * tenant or one created within the window, high. An item the baseline
 * knows drops to low. Baseline keys are built from the raw values
 * Exchange returned ("mailbox>trustee>SendAs"), the same in the rules and
 * recorded by --make-baseline as the rules look them up (mail.c).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "baseline/baseline.h"
#include "model/model.h"
#include "rules/rules.h"

static int user_mailbox(const struct mdl_mbx *b)
{
	return !b->type || !strcasecmp(b->type, "UserMailbox");
}

/* The system rules Get-InboxRule -IncludeHidden returns (check-mail.md
 * §4.2, CIPP, azure365addict): left out unless they forward or delete,
 * which the real ones never do. */
static int system_rule(const struct mdl_irule *r)
{
	return r->name && (!strcasecmp(r->name, "Junk E-mail Rule") ||
			   !strncasecmp(r->name, "Microsoft.Exchange.OOF.", 23)) && !r->nd && !r->del;
}

static void bec_of(const struct mdl_mail *m, const struct mdl_irule *r, struct bec_rule *x)
{
	memset(x, 0, sizeof *x);
	x->name = r->name;
	x->enabled = r->enabled;
	/* (m->str is NULL when no rule holds a list: NULL + 0 is not C) */
	x->words = r->nw ? m->str + r->w0 : NULL;
	x->nwords = r->nw;
	x->from = r->nf ? m->str + r->f0 : NULL;
	x->nfrom = r->nf;
	x->other_cond = r->other_cond;
	x->fwd = r->nd ? m->str + r->d0 : NULL;
	x->nfwd = r->nd;
	x->del = r->del;
	x->move_to = r->move_to;
	x->mark_read = r->mark_read;
}

static const char *owner(const struct mdl_mail *m, const struct mdl_irule *r)
{
	return r->mbx != MDL_NONE ? mail_label(&m->mb[r->mbx]) : r->owner;
}

static int hidden_user(const struct mdl_mbx *b)
{
	return b->hidden && user_mailbox(b);
}

/* ---- MAIL-001: forwarding set on the mailbox --------------------------------------------
 * ForwardingSmtpAddress (any address), or ForwardingAddress (a recipient
 * of the tenant: a mailbox, or a contact / mail user whose external
 * address Get-Recipient gave). Outside the tenant's domains: high (Hawk
 * Get-HawkUserEmailForwarding, CIS 6.2.1); inside: low; no copy kept in
 * the mailbox (DeliverToMailboxAndForward false) raises it a level. */
static const char *fwd_target(const struct mdl_mail *m, const struct mdl_mbx *b, size_t *mbx,
			      const char **ev)
{
	*mbx = MDL_NONE;
	if (b->fwd_smtp)
		return b->fwd_smtp;
	if ((*mbx = mdl_mail_find(m, b->fwd_addr)) != MDL_NONE)
		return m->mb[*mbx].smtp ? m->mb[*mbx].smtp : mail_label(&m->mb[*mbx]);
	for (size_t i = 0; i < m->n_rc; i++) {
		const struct mdl_rcpt *x = &m->rc[i];
		const char *ids[] = { x->identity, x->name, x->alias, x->display, x->smtp };
		for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++)
			if (ids[k] && !strcasecmp(ids[k], b->fwd_addr)) {
				*ev = x->ev;
				return x->ext ? x->ext : x->smtp;
			}
	}
	return NULL;
}

int mail_r_forward(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_mail *m = MAIL_M(c);
	for (size_t i = 0; i < m->n_mb; i++) {
		const struct mdl_mbx *b = &m->mb[i];
		if (!b->fwd_smtp && !b->fwd_addr)
			continue;
		size_t tm;
		const char *ev = NULL, *t = fwd_target(m, b, &tm, &ev);
		int out_ = mail_outside(c, t), exec = mail_is_exec(c, b);
		int fresh = tm != MDL_NONE && m->mb[tm].created >= c->since;
		enum msg_id q = !t ? M_MAIL_Q_UNRESOLVED : out_ == 1 ? M_MAIL_Q_OUT : exec ? M_MAIL_Q_EXEC :
				fresh ? M_MAIL_Q_NEW : 0;
		enum rule_sev sev = out_ == 1 ? SEV_HIGH : !t || out_ < 0 || exec || fresh ? SEV_MEDIUM : SEV_LOW;
		if (b->keep_copy == 0 && sev < SEV_HIGH)
			sev++;
		int known = MAIL_KNOWN(c, mailboxes, "%s>forward>%s", mail_label(b), b->fwd_smtp ? b->fwd_smtp : b->fwd_addr);
		struct finding *f = mail_emit(out, r, sev, known, b->ev, mail_label(b), t ? t : b->fwd_addr,
					      M_MAIL001_D, mail_label(b), t ? t : b->fwd_addr);
		if (!f || finding_ev(f, ev) < 0 || (q && mail_note(f, q) < 0) ||
		    (b->keep_copy == 0 && mail_note(f, M_MAIL_Q_NOCOPY) < 0))
			return -1;
	}
	return 0;
}

/* ---- MAIL-002: inbox rules ----------------------------------------------------------------
 * Every rule, enabled or not, hidden ones included (-IncludeHidden), judged
 * by bec_classify (rules/bec.c: the criteria and their sources); its level
 * is the severity. Rules have no date in Exchange (check-mail.md §4.1):
 * the unified audit log's New-InboxRule / Set-InboxRule say when. */
int mail_r_inbox_rules(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	static const enum rule_sev sev_of[] = { SEV_INFO, SEV_LOW, SEV_MEDIUM, SEV_HIGH };
	const struct mdl_mail *m = MAIL_M(c);
	struct bec_ctx bc;
	struct buf d[2] = { { 0 }, { 0 } };
	int rc = 0;
	mail_bec_ctx(c, &bc);
	for (size_t i = 0; i < m->n_ir && rc == 0; i++) {
		const struct mdl_irule *ir = &m->ir[i];
		struct bec_rule x;
		struct bec_result res;
		bec_of(m, ir, &x);
		if (system_rule(ir) || !bec_classify(&x, &bc, &res))
			continue;
		int known = MAIL_KNOWN(c, inbox_rules, "%s>%s", owner(m, ir), ir->name ? ir->name : "");
		char addr[320];
		const char *fwd = res.fwd_ext ? bec_address(res.fwd_ext, addr, sizeof addr) : NULL;
		buf_reset(&d[0]);
		buf_reset(&d[1]);
		/* the traits first: the "known" note goes after them */
		struct finding *f = bec_describe(&res, LANG_FR, &d[0]) < 0 || bec_describe(&res, LANG_EN, &d[1]) < 0 ? NULL :
			mail_emit(out, r, sev_of[res.level], 0, ir->ev, owner(m, ir), fwd, M_MAIL002_D,
				  owner(m, ir), ir->name ? ir->name : "");
		rc = !f || mail_add(f, d[0].p ? d[0].p : "", d[1].p ? d[1].p : "") < 0 ||
		     (ir->enabled == 0 && mail_note(f, M_MAIL_Q_OFF) < 0) ? -1 : 0;
		if (rc == 0 && known) {
			f->sev = f->sev > SEV_LOW ? SEV_LOW : f->sev;
			f->compromise = 0;
			rc = mail_note(f, M_MAIL_Q_KNOWN);
		}
	}
	buf_free(&d[0]);
	buf_free(&d[1]);
	return rc < 0 ? -1 : mail_unread(c, r, out, MAIL_SRC_RULES);
}

/* ---- MAIL-003, 004, 005: delegations ---------------------------------------------------
 * FullAccess (Get-MailboxPermission), SendAs (Get-RecipientPermission)
 * and SendOnBehalf (GrantSendOnBehalfTo): explicit grants only; the
 * owner (NT AUTHORITY\SELF) and inherited rights are the organisation's.
 * On a shared, room or equipment mailbox: info, listed; on a user
 * mailbox: low; on an executive's: medium; to a trustee outside the
 * tenant (an address outside or a guest): high; to an account created
 * within the window: medium, high on an executive's mailbox. An
 * unresolved SID (S-1-5-…, a deleted account) is listed. */
static int deleg(const struct rule_ctx *c, const struct rule *r, struct findings *out, size_t mbx,
		 const char *where, const char *who, const char *kind, const char *ev, enum msg_id d)
{
	const struct mdl_mail *m = MAIL_M(c);
	const struct mdl_mbx *b = mbx != MDL_NONE ? &m->mb[mbx] : NULL;
	size_t t = mdl_mail_find(m, who);
	int outside = mail_outside(c, who) == 1, exec = b && mail_is_exec(c, b);
	int fresh = t != MDL_NONE && m->mb[t].created >= c->since;
	enum rule_sev sev = outside || (fresh && exec) ? SEV_HIGH : fresh || exec ? SEV_MEDIUM :
			    b && user_mailbox(b) && strncmp(who, "S-1-5-", 6) ? SEV_LOW : SEV_INFO;
	int known = MAIL_KNOWN(c, mail_delegations, "%s>%s>%s", where, who, kind);
	const char *shown = t != MDL_NONE ? mail_label(&m->mb[t]) : who;
	struct finding *f = mail_emit(out, r, sev, known, ev, where, shown, d, shown, where);
	if (!f || (b && finding_ev(f, b->ev) < 0) || (outside && mail_note(f, M_MAIL_Q_OUT) < 0) ||
	    (exec && mail_note(f, M_MAIL_Q_EXEC) < 0) || (fresh && mail_note(f, M_MAIL_Q_NEW) < 0) ||
	    (b && !user_mailbox(b) && mail_note(f, M_MAIL_Q_SHARED) < 0))
		return -1;
	return 0;
}

static int perms(const struct rule_ctx *c, const struct rule *r, struct findings *out, int sendas)
{
	const struct mdl_mail *m = MAIL_M(c);
	for (size_t i = 0; i < m->n_pm; i++) {
		const struct mdl_perm *p = &m->pm[i];
		if (p->sendas != sendas)
			continue;
		const char *where = p->mbx != MDL_NONE ? mail_label(&m->mb[p->mbx]) : p->identity;
		if (deleg(c, r, out, p->mbx, where ? where : "?", p->trustee, sendas ? "SendAs" : "FullAccess",
			  p->ev, sendas ? M_MAIL004_D : M_MAIL003_D) < 0)
			return -1;
	}
	return 0;
}

int mail_r_full_access(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	return perms(c, r, out, 0) < 0 ? -1 : mail_unread(c, r, out, MAIL_SRC_PERMS);
}

int mail_r_send_as(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	return perms(c, r, out, 1);
}

int mail_r_send_on_behalf(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_mail *m = MAIL_M(c);
	for (size_t i = 0; i < m->n_mb; i++) {
		const struct mdl_mbx *b = &m->mb[i];
		for (size_t s = b->sob0; s < b->sob0 + b->nsob; s++)
			if (deleg(c, r, out, i, mail_label(b), m->str[s], "SendOnBehalf", b->ev, M_MAIL005_D) < 0)
				return -1;
	}
	return 0;
}

/* ---- MAIL-006: mailboxes hidden from the global address list ----------------------------
 * A user mailbox hidden: medium (who is hiding it?), high when it also
 * forwards or was created within the window; shared, room, equipment
 * mailboxes are often hidden on purpose: info, listed. */
int mail_r_hidden(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_mail *m = MAIL_M(c);
	for (size_t i = 0; i < m->n_mb; i++) {
		const struct mdl_mbx *b = &m->mb[i];
		if (!b->hidden)
			continue;
		int fresh = b->created >= c->since, fwd = b->fwd_smtp || b->fwd_addr;
		enum rule_sev sev = !hidden_user(b) ? SEV_INFO : fresh || fwd ? SEV_HIGH : SEV_MEDIUM;
		int known = MAIL_KNOWN(c, mailboxes, "%s>hidden", mail_label(b));
		struct finding *f = mail_emit(out, r, sev, known, b->ev, mail_label(b), NULL, M_MAIL006_D, mail_label(b));
		if (!f || (fresh && mail_note(f, M_MAIL_Q_NEW) < 0) || (!hidden_user(b) && mail_note(f, M_MAIL_Q_SHARED) < 0))
			return -1;
	}
	return 0;
}

/* ---- MAIL-010: shared mailboxes whose account can sign in --------------------------------
 * The fiche: « Vérifier que toute BAL partagée a l'authentification
 * désactivée » (CIS 1.2.2). Microsoft creates the account of a shared
 * mailbox enabled: a default, so low. Graph's accountEnabled decides;
 * without it, Exchange's AccountDisabled. */
int mail_r_shared_signin(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_mail *m = MAIL_M(c);
	size_t unknown = 0;
	for (size_t i = 0; i < m->n_mb; i++) {
		const struct mdl_mbx *b = &m->mb[i];
		if (!b->type || strcasecmp(b->type, "SharedMailbox"))
			continue;
		size_t g = c->src[MAIL_SRC_ACCOUNTS].ok ? mdl_map_get(&m->acct, b->ext_id) : MDL_NONE;
		int on = g != MDL_NONE ? (int)g : b->disabled >= 0 ? !b->disabled : -1;
		if (on < 0)
			unknown++;
		if (on <= 0)
			continue;
		if (!mail_emit(out, r, r->sev, 0, b->ev, mail_label(b), b->ext_id, M_MAIL010_D, mail_label(b)))
			return -1;
	}
	if (unknown)
		return rule_unknown(out, r->id, c->src[MAIL_SRC_ACCOUNTS].needs, c->src[MAIL_SRC_ACCOUNTS].reason,
				    c->src[MAIL_SRC_ACCOUNTS].name, c->src[MAIL_SRC_ACCOUNTS].detail);
	return 0;
}
