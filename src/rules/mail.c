/*
 * check-mail: the rows of its table (mail_rules.def), the helpers its
 * rules share, the verdict — one answer for each action of the fiche it
 * answers (1.b mailboxes, 1.c, 1.e) — and the baseline it writes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "baseline/baseline.h"
#include "model/model.h"
#include "rules/rules.h"

#define B(s) MAIL_BIT(MAIL_SRC_##s)

const struct rule mail_rules[MAIL_NRULES] = {
#define RULE(id, fiche, step, sev, n, needs, flags, fn) \
	{ id, fiche, step, sev, M_MAIL##n##_T, M_MAIL##n##_W, M_MAIL##n##_W, needs, flags, fn },
#include "rules/mail_rules.def"
#undef RULE
};
const size_t mail_nrules = MAIL_NRULES;

/* ---- helpers shared by the mail_*.c rules ------------------------------------------ */

/* Known items drop to low (info stays info). */
static enum rule_sev grade(enum rule_sev s, int known)
{
	return known && s > SEV_LOW ? SEV_LOW : s;
}

struct finding *mail_emit(struct findings *out, const struct rule *r, enum rule_sev sev, int known,
			  const char *ev, const char *o1, const char *o2, enum msg_id detail, ...)
{
	va_list ap;
	sev = grade(sev, known);
	va_start(ap, detail);
	struct finding *f = rule_vemit(out, r, sev, sev == SEV_INFO ? ST_CLEAR : ST_SUSPECT, detail, ap);
	va_end(ap);
	if (!f || finding_ev(f, ev) < 0 || finding_obj(f, o1) < 0 || finding_obj(f, o2) < 0 ||
	    (known && mail_note(f, M_MAIL_Q_KNOWN) < 0))
		return NULL;
	f->compromise = (r->flags & RULE_COMPROMISE) && sev >= (r->fiche[2] == 'b' ? SEV_MEDIUM : SEV_HIGH);
	return f;
}

int mail_add(struct finding *f, const char *fr, const char *en)
{
	const char *t[2] = { fr, en };
	for (int l = 0; l < 2; l++) {
		size_t a = strlen(f->detail[l]), b = strlen(t[l]);
		char *p = realloc(f->detail[l], a + b + 1);
		if (!p)
			return err_set(E_NOMEM);
		memcpy(p + a, t[l], b + 1);
		f->detail[l] = p;
	}
	return 0;
}

int mail_note(struct finding *f, enum msg_id q)
{
	return mail_add(f, tr_lang(q, LANG_FR), tr_lang(q, LANG_EN));
}

void mail_bec_ctx(const struct rule_ctx *c, struct bec_ctx *out)
{
	out->domains = MAIL_M(c)->dom;
	out->ndomains = MAIL_M(c)->n_dom;
}

int mail_outside(const struct rule_ctx *c, const char *addr)
{
	struct bec_ctx bc;
	if (!addr || !strchr(addr, '@'))
		return -1;
	/* A guest's UPN in the tenant: "alice_partner.example#EXT#@…" */
	if (strstr(addr, "#EXT#"))
		return 1;
	mail_bec_ctx(c, &bc);
	int in = bec_internal(&bc, addr);
	return in < 0 ? -1 : !in;
}

int mail_known(const struct rule_ctx *c, size_t off, const char *fmt, ...)
{
	char key[1024];
	va_list ap;
	struct bl *rec = MAIL_M(c)->record;
	if (!rule_has_baseline(c) && !rec)
		return 0;
	va_start(ap, fmt);
	int n = vsnprintf(key, sizeof key, fmt, ap);
	va_end(ap);
	if (n <= 0 || (size_t)n >= sizeof key)
		return 0;
	if (rec) {
		/* a failure to record leaves the item out of the baseline:
		 * it then keeps its severity */
		if (bl_add((struct bl_list *)((char *)rec + off), key, NULL) < 0)
			err_clear();
		return 0;
	}
	return bl_in((const struct bl_list *)((const char *)c->bl + off), key);
}

const char *mail_label(const struct mdl_mbx *b)
{
	return b->upn ? b->upn : b->smtp ? b->smtp : b->name ? b->name : b->key ? b->key : "?";
}

int mail_is_exec(const struct rule_ctx *c, const struct mdl_mbx *b)
{
	const struct bl *bl = MAIL_BL(c);
	return rule_has_baseline(c) && ((b->upn && bl_in(&bl->executives, b->upn)) ||
					 (b->smtp && bl_in(&bl->executives, b->smtp)));
}

int mail_unread(const struct rule_ctx *c, const struct rule *r, struct findings *out, int src)
{
	const struct mdl_mail *m = MAIL_M(c);
	struct buf list = { 0 };
	size_t n = 0;
	int rc = 0;
	for (size_t i = 0; i < m->n_mb && rc == 0; i++) {
		const struct mdl_mbx *b = &m->mb[i];
		int st = src == MAIL_SRC_RULES ? b->rules_st : b->perms_st;
		const char *why = src == MAIL_SRC_RULES ? b->rules_err : b->perms_err;
		if (st == 1 || n++ >= 5)
			continue;
		rc = buf_printf(&list, "%s%s", n > 1 ? ", " : "", mail_label(b));
		if (rc == 0 && why)
			rc = buf_printf(&list, " (%s)", why);
	}
	if (rc == 0 && n > 5)
		rc = buf_printf(&list, ", … (+%zu)", n - 5);
	if (rc == 0 && n)
		rc = rule_unknown(out, r->id, c->src[src].needs, M_MAIL_NOT_READ, n,
				  m->src[src].rel + 4, list.p ? list.p : "");
	buf_free(&list);
	return rc < 0 ? -1 : 0;
}

/* ---- the verdict ------------------------------------------------------------------------
 * One answer per action, each from the findings of its own rules; an
 * action is undetermined when the sources its question rests on could not
 * be read (what each answers with: Get-Mailbox and the inbox rules for
 * 1.b, the anti-spam allow lists and the spoofing allowances for 1.c, the
 * transport rules and remote domains for 1.e). */
/* 1.e's first sub-step is « Vérifier les transferts automatiques »: a
 * mailbox forwarded outside answers it as well as 1.b. (An inbox rule
 * stays 1.b's: whether it forwards outside is a trait of the finding,
 * not of the rule.) */
static const struct {
	const char *fiche, *also;
	enum msg_id q, s;
	int core[2];
} actions[] = {
	{ "1.b", NULL, M_MAIL_Q1B, M_MAIL_S1B, { MAIL_SRC_MAILBOXES, MAIL_SRC_RULES } },
	{ "1.c", NULL, M_MAIL_Q1C, M_MAIL_S1C, { MAIL_SRC_CONTENT, MAIL_SRC_SPOOF } },
	{ "1.e", "MAIL-001", M_MAIL_Q1E, M_MAIL_S1E, { MAIL_SRC_TRANSPORT, MAIL_SRC_REMOTEDOM } },
};
#define NACT (sizeof actions / sizeof actions[0])

/* Unknown entries of an action: its rules' ids, or names that start with it. */
static int unanswered(const struct findings *fs, const char *fiche)
{
	int n = 0;
	for (size_t i = 0; i < fs->nu; i++) {
		const char *id = fs->u[i].check;
		int mine = !strncmp(id, fiche, 3);
		for (size_t k = 0; k < MAIL_NRULES && !mine; k++)
			mine = !strcmp(id, mail_rules[k].id) && !strcmp(mail_rules[k].fiche, fiche);
		n += mine;
	}
	return n;
}

int mail_verdict(const struct rule_ctx *c, const struct findings *fs, struct rule_verdict *v)
{
	int any_undet = 0;
	v->part = calloc(NACT, sizeof *v->part);
	if (!v->part)
		return err_set(E_NOMEM);
	v->npart = NACT;
	for (size_t a = 0; a < NACT; a++) {
		struct rule_verdict *p = &v->part[a];
		int miss = -1;
		for (int k = 0; k < 2 && miss < 0; k++)
			if (!c->src[actions[a].core[k]].ok)
				miss = actions[a].core[k];
		p->question = actions[a].q;
		p->subject = actions[a].s;
		p->fiche = actions[a].fiche;
		p->also = actions[a].also;
		if (rule_verdict(fs, miss >= 0, p) < 0)
			return -1;
		int nu = unanswered(fs, p->fiche);
		int rc = p->v == VERDICT_UNDETERMINED ?
			 rule_fmt2(p->why, M_MAIL_WHY_UNREAD, c->src[miss].name, c->src[miss].needs) :
			 p->v != VERDICT_NOT_DETECTED ? 0 :
			 nu ? rule_fmt2(p->why, M_ADM_WHY_PARTIAL, nu) : rule_fmt2(p->why, M_ADM_WHY_CLEAN);
		if (rc < 0)
			return -1;
		any_undet |= p->v == VERDICT_UNDETERMINED;
	}
	/* The whole: the worst of the three, every reason. */
	v->question = M_MAIL_QUESTION;
	v->subject = M_MAIL_SUBJECT;
	return rule_verdict(fs, any_undet, v);
}

/* ---- --make-baseline ----------------------------------------------------------------
 * The tenant's mail as it is now (delegations, forwarding, inbox rules,
 * transport rules, connectors, remote domains, allow lists, spoofing
 * allowances): the rules run once more, recording every key they look up
 * into b — so the baseline holds exactly what they will look for. */
int mail_make_baseline(const void *model, struct bl *b)
{
	struct mdl_mail m = *(const struct mdl_mail *)model;   /* shallow: read only */
	struct rule_source src[MAIL_NSRC];
	struct findings fs = { 0 };
	struct bl none = { 0 };
	m.record = b;
	rule_sources_from(m.src, MAIL_NSRC, src);
	struct rule_ctx c = { &m, &none, src, MAIL_NSRC, m.h.now, m.h.since };
	int rc = rule_run(mail_rules, MAIL_NRULES, &c, &fs);
	findings_free(&fs);
	return rc;
}
