/*
 * The 72-hour clock. The fiche (« Déclarations », CNIL): incidents that
 * touch personal data are declared within 72 hours; in doubt, a
 * pre-declaration. The controller's 72 hours run from becoming aware of
 * the breach (GDPR Art. 33(1)); Microsoft's own clock, for its services,
 * starts when it declares the incident (shared/reference, M0, M2) — the
 * report serves the controller, so the clock is the awareness one.
 *
 *   discovery  notification.decouverte, else the earliest event of the
 *              logbook written by a person (not a tool line)
 *   awareness  notification.connaissance, else the discovery, marked
 *              « présumée »: the earliest time is the conservative one,
 *              and never the report's own time
 *   deadline   awareness + 72 h; time left, or overdue by N h
 *   declared   the logbook line that records the gravity (« officiellement
 *              déclaré », M0), for information
 * Shown when personal data is, or may be, involved: impact.perso oui or
 * nsp, or a mailbox compromise or an exfiltration channel in the
 * evidence; nsp adds « pré-déclaration conseillée ».
 */
#include <string.h>

#include "courante/courante.h"
#include "report/report.h"

/* Whether text starts as the catalogue message id starts (up to its first
 * conversion), in either language: the tool lines reflexe writes are in
 * the run's language, and a case may be reported in the other one. */
int rep_line_is(const char *text, enum msg_id id)
{
	for (int l = 0; l < 2; l++) {
		const char *f = tr_lang(id, (enum lang)l);
		size_t n = strcspn(f, "%");
		if (n && text && !strncmp(text, f, n))
			return 1;
	}
	return 0;
}

int rep_clock(const struct rep_qual *q, const struct rep_answers *an, const struct cour_log *log,
	      int64_t now, struct rep_clock *c)
{
	memset(c, 0, sizeof *c);
	int perso = q->it[Q_I_PERSO].v;
	c->applies = perso == 1 || perso == NSP || (q->sig & (SIG_BIT(SIG_MAILBOX) | SIG_BIT(SIG_EXFIL)));
	c->prenotify = c->applies && perso == NSP;
	const struct rep_ans *d = &an->a[Q_N_DECOUVERTE], *k = &an->a[Q_N_CONNAISSANCE];
	if (d->set) {
		c->discovered = d->t;
		c->disc_src = TS_ANSWER;
	}
	for (size_t i = 0; log && i < log->n; i++) {
		const struct cour_entry *e = &log->e[i];
		if (!c->declared && e->kind == COUR_TOOL && rep_line_is(e->what, M_REP_LOG_SEAL))
			c->declared = e->recorded;
		if (e->kind == COUR_TOOL || e->kind == COUR_REPAIR || e->kind == COUR_STATUS ||
		    e->kind == COUR_CORRECT || c->disc_src == TS_ANSWER)
			continue;
		if (!c->discovered || e->event < c->discovered) {
			c->discovered = e->event;
			c->disc_src = TS_COURANTE;
			c->disc_line = e->seq;
		}
	}
	if (k->set) {
		c->t0 = k->t;
		c->t0_src = TS_ANSWER;
	} else if (c->discovered) {
		c->t0 = c->discovered;
		c->t0_src = c->disc_src;
		c->t0_presumed = 1;
	}
	if (c->t0) {
		c->deadline = c->t0 + 72 * 3600;
		c->left = c->deadline - now;
	}
	return 0;
}
