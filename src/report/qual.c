/*
 * From findings and answers to the fiche's conclusions: each action of
 * Mesure 1, the proposals the evidence makes for Mesures 2-4, the three
 * axes (périmètre, impact, urgence), the menace, and the gravity.
 *
 * The fiche gives the four degrees of gravity (« Degrés de gravité ») and
 * no grid; the table below is spec §1.5's, first match:
 *   G1 périmètre étendu, impact fort, urgente      crise cyber
 *   G2 menace sérieuse or impact fort              incident majeur
 *   G3 menace limitée or impact modéré             incident mineur
 *   G4 a core check undetermined or not run        indéterminée
 *   G5 menace nulle, impact faible, non urgente    anomalie courante
 *   G6 otherwise                                   indéterminée
 * « Je ne sais pas répondre » is allowed by the fiche and never read as
 * « non »: the table runs twice, every nsp at its mildest (floor) and at
 * its worst (ceiling). The floor is retained; a floor of anomalie under a
 * higher ceiling is indéterminée (« correctement qualifiée »).
 *
 * Where this differs from the spec (PROPOSAL parts), and why:
 * - A Mesure 1 action the responder answered by hand (mesure1.x = oui or
 *   non) counts as evaluated for G4: the playbook sends responders to the
 *   consoles for what no check covers yet, and their conclusion is one.
 * - An action not run or undetermined is taken as « non détectée » at the
 *   floor (G4 then holds it from anomalie) and « suspectée » at the
 *   ceiling: it may hide the type, not a privileged compromise by itself.
 * - impact.niveau and urgence.urgent, answered, override the computed
 *   axis upwards freely, downwards only with a note, like any proposal.
 * - Signals of a rule that marks traces of the attacker (MAP_COMPROMISE)
 *   are raised only by findings the check kept as such: a check may
 *   clear the flag per finding (CONTRACT.md).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "report/report.h"

/* ---- Mesure 1 and the signals ---------------------------------------------------- */

static void add_id(char *ids, size_t sz, const char *id)
{
	size_t n = strlen(ids), k = strlen(id);
	for (const char *p = ids; (p = strstr(p, id)); p += k)
		if ((p == ids || p[-1] == ' ') && (p[k] == ',' || !p[k]))
			return;
	if (n + k + 3 < sz)
		snprintf(ids + n, sz - n, "%s%s", n ? ", " : "", id);
}

static int act_of(const char *fiche)
{
	if (fiche && fiche[0] == '1' && fiche[1] == '.' && fiche[2] >= 'a' && fiche[2] <= 'e')
		return fiche[2] - 'a';
	return -1;
}

static void raise_sig(struct rep_qual *q, int s, const struct rep_finding *f)
{
	if (!(q->sig & SIG_BIT(s)))
		q->sig_suspect_only[s] = 1;
	q->sig |= SIG_BIT(s);
	if (f) {
		add_id(q->sig_ids[s], sizeof q->sig_ids[s], f->id);
		if (f->st == 2)
			q->sig_suspect_only[s] = 0;
	} else {
		q->sig_suspect_only[s] = 0;
	}
}

static void evidence(const struct rep_findings *fs, struct rep_qual *q)
{
	for (int c = 0; c < CHK__N; c++)
		q->chk_run[c] = rep_doc_of(fs, rep_chks[c].applet) != NULL;
	for (int a = 0; a < ACT__N; a++) {
		q->act_ev[a] = V_NOT_RUN;
		for (size_t d = 0; d < fs->nd; d++) {
			if (!(fs->d[d].acts & ACT_BIT(a)))
				continue;
			if (fs->d[d].verdict == V_UNDETERMINED)
				q->act_ev[a] = V_UNDETERMINED;
			else if (q->act_ev[a] == V_NOT_RUN)
				q->act_ev[a] = V_NOT_DETECTED;
		}
	}
	/* An action is evaluated when the check that owns it ran: check-admins
	 * looks at the guests of 1.b, not at its mailboxes (check-mail). */
	for (int c = 0; c < CHK__N; c++)
		for (int a = 0; a < ACT__N && !q->chk_run[c]; a++)
			if ((rep_chks[c].acts & ACT_BIT(a)) && q->act_ev[a] == V_NOT_DETECTED)
				q->act_ev[a] = V_NOT_RUN;
	for (size_t i = 0; i < fs->nf; i++) {
		const struct rep_finding *f = &fs->f[i];
		if (!rep_finding_counts(f))
			continue;
		int a = act_of(f->fiche);
		if (f->compromise && a >= 0) {
			enum rep_verdict v = f->st == 2 ? V_CONFIRMED : V_SUSPECTED;
			if (q->act_ev[a] != V_CONFIRMED)
				q->act_ev[a] = v;
		}
		if (f->compromise && a == ACT_1A) {
			raise_sig(q, SIG_PRIV_COMPROMISE, f);
			/* 2.a: « compte administrateur InTune » reaches the
			 * on-premises machines; the role is named in the text. */
			for (int l = 0; l < 2; l++)
				if ((f->detail[l] && strcasestr(f->detail[l], "Intune")) ||
				    (f->title[l] && strcasestr(f->title[l], "Intune")))
					raise_sig(q, SIG_INTUNE_ADMIN, f);
		}
		if (!f->map || ((f->map->flags & MAP_COMPROMISE) && !f->compromise))
			continue;
		uint32_t s = f->map->sig | (f->sev >= 3 ? f->map->sig_high : 0);
		for (int k = 0; k < SIG__N; k++)
			if (s & SIG_BIT(k))
				raise_sig(q, k, f);
	}
	const struct rep_doc *adm = rep_doc_of(fs, "check-admins");
	if (adm && adm->sound_ga && !strcmp(adm->sound_ga, "no") && !(q->sig & SIG_BIT(SIG_NO_SOUND_GA)))
		raise_sig(q, SIG_NO_SOUND_GA, NULL);
	/* spec §1.1: integrity = new_accounts, transport rule, app
	 * credentials or owners (the last three raise it in the map). */
	if (q->sig & SIG_BIT(SIG_NEW_ACCOUNTS)) {
		raise_sig(q, SIG_INTEGRITY, NULL);
		snprintf(q->sig_ids[SIG_INTEGRITY], sizeof q->sig_ids[SIG_INTEGRITY], "%s",
			 q->sig_ids[SIG_NEW_ACCOUNTS]);
		q->sig_suspect_only[SIG_INTEGRITY] = q->sig_suspect_only[SIG_NEW_ACCOUNTS];
	}
}

/* ---- proposals ------------------------------------------------------------------- */

static void propose(struct rep_qual *q, enum rep_q k, int v, const char *why, int presumed)
{
	struct rep_item *it = &q->it[k];
	it->has_auto = 1;
	it->auto_v = v;
	it->presumed = presumed;
	snprintf(it->why, sizeof it->why, "%s", why ? why : "");
}

static void propose_sig(struct rep_qual *q, enum rep_q k, int s, int v)
{
	if (q->sig & SIG_BIT(s))
		propose(q, k, v, q->sig_ids[s], q->sig_suspect_only[s]);
}

static int unknown_of(const struct rep_findings *fs, const char *id)
{
	for (size_t i = 0; i < fs->nu; i++)
		if (!strcasecmp(fs->u[i].check, id))
			return 1;
	return 0;
}

static void proposals(const struct rep_findings *fs, struct rep_qual *q)
{
	static const enum rep_q m1[ACT__N] = { Q_M1_A, Q_M1_B, Q_M1_C, Q_M1_D, Q_M1_E };
	for (int a = 0; a < ACT__N; a++) {
		if (q->act_ev[a] == V_CONFIRMED)
			propose(q, m1[a], 1, rep_act_code(a), 0);
		else if (q->act_ev[a] == V_NOT_DETECTED)
			propose(q, m1[a], 0, rep_act_code(a), 0);
	}
	if (q->sig & SIG_BIT(SIG_PRIV_COMPROMISE))
		propose_sig(q, Q_P_ADMIN, SIG_PRIV_COMPROMISE, 1);
	else if (q->act_ev[ACT_1A] == V_NOT_DETECTED)
		propose(q, Q_P_ADMIN, 0, "1.a", 0);
	if (q->sig & SIG_BIT(SIG_PRIV_APP))
		propose_sig(q, Q_P_APP, SIG_PRIV_APP, 1);
	else if (q->act_ev[ACT_1D] == V_NOT_DETECTED && q->act_ev[ACT_1A] == V_NOT_DETECTED)
		propose(q, Q_P_APP, 0, "1.a, 1.d", 0);
	propose_sig(q, Q_P_MACHINES, SIG_INTUNE_ADMIN, 1);
	propose_sig(q, Q_P_FEDERATION, SIG_FEDERATION, 1);
	if (q->sig & SIG_BIT(SIG_SECCONF))
		propose_sig(q, Q_P_CONFIG, SIG_SECCONF, 1);
	else if (q->act_ev[ACT_1A] == V_NOT_DETECTED && !unknown_of(fs, "ADM-024") && !unknown_of(fs, "ADM-025"))
		propose(q, Q_P_CONFIG, 0, "ADM-024, ADM-025", 0);
	if (q->sig & SIG_BIT(SIG_NEW_ACCOUNTS))
		propose_sig(q, Q_P_SERVICE, SIG_NEW_ACCOUNTS, 1);
	else if (q->act_ev[ACT_1D] >= V_SUSPECTED && q->act_ev[ACT_1D] <= V_CONFIRMED)
		propose(q, Q_P_SERVICE, 1, "1.d", q->act_ev[ACT_1D] == V_SUSPECTED);
	propose_sig(q, Q_I_FUITE, SIG_EXFIL, 1);
	propose_sig(q, Q_I_EXFIL, SIG_EXFIL, 1);
	propose_sig(q, Q_I_INTEGRITE, SIG_INTEGRITY, 1);
	const struct rep_doc *adm = rep_doc_of(fs, "check-admins");
	if (q->sig & SIG_BIT(SIG_NO_SOUND_GA))
		propose(q, Q_I_GA_SAIN, 0, q->sig_ids[SIG_NO_SOUND_GA][0] ? q->sig_ids[SIG_NO_SOUND_GA] : "ADM-002",
			q->sig_suspect_only[SIG_NO_SOUND_GA]);
	else if (adm && adm->sound_ga && !strcmp(adm->sound_ga, "yes"))
		propose(q, Q_I_GA_SAIN, 1, "ADM-002", 0);
}

/* ---- one evaluation ------------------------------------------------------------- */

enum mode { SHOWN, FLOOR, CEIL };

/* How bad item k is in a mode: 1 bad, 0 not, -1 unknown (SHOWN only).
 * For VT_FUITE and VT_NIVEAU, the level (0..2). */
static int bad(const struct rep_qual *q, enum rep_q k, enum mode m)
{
	int v = q->it[k].v;
	enum rep_vt vt = rep_qdefs[k].vt;
	int worst = vt == VT_FUITE || vt == VT_NIVEAU ? 2 : 1;
	if (v == NSP)
		return m == SHOWN ? -1 : m == CEIL ? worst : 0;
	if (vt == VT_FUITE || vt == VT_NIVEAU)
		return v;
	return rep_qdefs[k].flags & QF_GOOD_OUI ? !v : v != 0;
}

static int any_is(const struct rep_qual *q, const enum rep_q *k, size_t n, enum mode m, int want)
{
	for (size_t i = 0; i < n; i++)
		if (bad(q, k[i], m) == want)
			return 1;
	return 0;
}

#define N(a) (sizeof (a) / sizeof (a)[0])

static int perimetre(const struct rep_qual *q, enum mode m)
{
	static const enum rep_q ext[] = { Q_P_ADMIN, Q_P_APP, Q_P_SI_LOCAL, Q_P_MACHINES, Q_P_AD,
					  Q_P_EQUIP, Q_P_INTERCO, Q_P_FEDERATION, Q_P_CIRCONSCRIT };
	static const enum rep_q need[] = { Q_P_ADMIN, Q_P_APP, Q_P_AD, Q_P_INTERCO };
	if (any_is(q, ext, N(ext), m, 1))
		return PER_ETENDU;
	for (size_t i = 0; i < N(need); i++)
		if (bad(q, need[i], m) != 0)
			return PER_IND;
	return PER_CIRC;
}

static int impact(const struct rep_qual *q, enum mode m)
{
	static const enum rep_q svc[] = { Q_I_ENTRA, Q_I_EXCHANGE, Q_I_TEAMS };
	static const enum rep_q fort[] = { Q_I_ACTIVITES, Q_I_CHAINES, Q_I_RANCON, Q_I_GA_SAIN };
	static const enum rep_q mod[] = { Q_I_EXFIL, Q_I_ALTEREES, Q_I_INTEGRITE, Q_I_ENTRA,
					  Q_I_EXCHANGE, Q_I_TEAMS };
	int fuite = bad(q, Q_I_FUITE, m);
	int dep = bad(q, Q_I_DEPENDANCE, m), alt = bad(q, Q_I_ALTEREES, m);
	int nobackup = bad(q, Q_I_SAUV_CONFIG, m) == 1 || bad(q, Q_I_SAUV_DONNEES, m) == 1;
	int r = IMP_IND;
	if (any_is(q, fort, N(fort), m, 1) || fuite == 2 || (any_is(q, svc, N(svc), m, 1) && dep == 1) ||
	    (alt == 1 && nobackup))
		r = IMP_FORT;
	else if (fuite == 1 || any_is(q, mod, N(mod), m, 1) || (q->sig & SIG_BIT(SIG_MAILBOX)))
		r = IMP_MODERE;
	else {
		static const enum rep_q all[] = { Q_I_ACTIVITES, Q_I_CHAINES, Q_I_RANCON, Q_I_GA_SAIN,
						  Q_I_EXFIL, Q_I_ALTEREES, Q_I_INTEGRITE, Q_I_ENTRA,
						  Q_I_EXCHANGE, Q_I_TEAMS, Q_I_FUITE };
		r = any_is(q, all, N(all), m, -1) ? IMP_IND : IMP_FAIBLE;
	}
	/* The responder's own conclusion (3.c): raises freely; lowers only
	 * with a note (checked in rep_qualify). */
	const struct rep_item *n = &q->it[Q_I_NIVEAU];
	if (n->src == SRC_ANSWER && n->v != NSP && (r == IMP_IND || n->v > r || n->lowered))
		r = n->v;
	return r;
}

static int urgence(const struct rep_qual *q, enum mode m)
{
	static const enum rep_q urg[] = { Q_U_ARRET, Q_P_ADMIN, Q_I_GA_SAIN, Q_U_DONNEES, Q_I_RANCON };
	static const enum rep_q calm[] = { Q_U_ARRET, Q_U_DONNEES, Q_P_ADMIN, Q_I_GA_SAIN };
	int r;
	if (any_is(q, urg, N(urg), m, 1))
		r = URG_OUI;
	else
		r = any_is(q, calm, N(calm), m, -1) ? URG_IND : URG_NON;
	const struct rep_item *u = &q->it[Q_U_URGENT];
	if (u->src == SRC_ANSWER && u->v != NSP && (r == URG_IND || u->v > r || u->lowered))
		r = u->v;
	return r;
}

static int menace(const struct rep_qual *q, enum mode m)
{
	static const enum rep_q ser[] = { Q_P_ADMIN, Q_P_APP, Q_P_CONFIG, Q_P_AD, Q_P_EQUIP,
					  Q_I_GA_SAIN, Q_I_RANCON };
	if (any_is(q, ser, N(ser), m, 1))
		return MEN_SERIEUSE;
	int found = 0, clean = 1;
	for (int a = 0; a < ACT__N; a++) {
		enum rep_verdict v = q->act[a];
		if (v == V_NOT_RUN || v == V_UNDETERMINED)
			v = m == CEIL ? V_SUSPECTED : m == FLOOR ? V_NOT_DETECTED : v;
		found |= v == V_SUSPECTED || v == V_CONFIRMED;
		clean &= v == V_NOT_DETECTED;
	}
	int type = bad(q, Q_Q_TYPE, m);
	if (found || type == 1)
		return MEN_LIMITEE;
	if (clean && type == 0)
		return MEN_NULLE;
	return MEN_INCONNUE;
}

static int core_open(const struct rep_qual *q)
{
	for (int a = 0; a < ACT__N; a++)
		if (q->act[a] == V_NOT_RUN || q->act[a] == V_UNDETERMINED)
			return 1;
	return 0;
}

static void eval(const struct rep_qual *q, enum mode m, struct rep_world *w)
{
	w->perim = perimetre(q, m);
	w->impact = impact(q, m);
	w->urg = urgence(q, m);
	w->menace = menace(q, m);
	if (w->perim == PER_ETENDU && w->impact == IMP_FORT && w->urg == URG_OUI)
		w->g = G_CRISE, w->rule = 1;
	else if (w->menace == MEN_SERIEUSE || w->impact == IMP_FORT)
		w->g = G_MAJEUR, w->rule = 2;
	else if (w->menace == MEN_LIMITEE || w->impact == IMP_MODERE)
		w->g = G_MINEUR, w->rule = 3;
	else if (core_open(q))
		w->g = G_INDET, w->rule = 4;
	else if (w->menace == MEN_NULLE && w->impact == IMP_FAIBLE && w->urg == URG_NON)
		w->g = G_ANOMALIE, w->rule = 5;
	else
		w->g = G_INDET, w->rule = 6;
}

/* ---- the whole ---------------------------------------------------------------------- */

/* How bad a value of item k is, for "is the answer below the proposal". */
static int rank(enum rep_q k, int v)
{
	enum rep_vt vt = rep_qdefs[k].vt;
	if (v == NSP)
		return 0;
	if (vt == VT_FUITE || vt == VT_NIVEAU)
		return v;
	return rep_qdefs[k].flags & QF_GOOD_OUI ? !v : v != 0;
}

static int lowered(const struct rep_answers *an, enum rep_q k, int from, const char *why)
{
	const struct rep_ans *a = &an->a[k];
	if (a->note)
		return 1;
	const struct rep_qdef *d = &rep_qdefs[k];
	return err_set(E_REP_LOWER, an->name[0] ? an->name : "answers.ini", a->line, d->sect, d->key,
		       rep_value_key(k, a->v), rep_value_key(k, from), why);
}

int rep_qualify(const struct rep_findings *fs, const struct rep_answers *an, struct rep_qual *q)
{
	memset(q, 0, sizeof *q);
	evidence(fs, q);
	for (int k = 0; k < Q__N; k++)
		q->it[k].v = q->it[k].auto_v = NSP;
	proposals(fs, q);
	/* Mesure 1 after the responder's conclusions: a confirmation by hand
	 * confirms, a « non » (lowering: with a note) clears; the manual
	 * checks raise their action to at least « suspectée ». */
	static const enum rep_q m1[ACT__N] = { Q_M1_A, Q_M1_B, Q_M1_C, Q_M1_D, Q_M1_E };
	for (int a = 0; a < ACT__N; a++)
		q->act[a] = q->act_ev[a];
	static const struct { enum rep_q k; int a; } manual[] = {
		{ Q_M1_HIBP, ACT_1B }, { Q_M1_TEAMS, ACT_1E }, { Q_M1_ANON, ACT_1E } };
	for (size_t i = 0; i < N(manual); i++)
		if (an->a[manual[i].k].set && an->a[manual[i].k].v == 1 && q->act[manual[i].a] != V_CONFIRMED)
			q->act[manual[i].a] = V_SUSPECTED;
	for (int a = 0; a < ACT__N; a++) {
		const struct rep_ans *x = &an->a[m1[a]];
		if (!x->set || x->v == NSP)
			continue;
		if (x->v == 1)
			q->act[a] = V_CONFIRMED;
		else if ((q->act[a] == V_SUSPECTED || q->act[a] == V_CONFIRMED) &&
			 lowered(an, m1[a], 1, rep_act_code(a)) < 0)
			return -1;
		else
			q->act[a] = V_NOT_DETECTED;
	}
	/* qualification.type: oui when an action is confirmed, non when all
	 * were examined and nothing was found */
	int conf = 0, clean = 1;
	for (int a = 0; a < ACT__N; a++) {
		conf |= q->act[a] == V_CONFIRMED;
		clean &= q->act[a] == V_NOT_DETECTED;
	}
	if (conf || clean)
		propose(q, Q_Q_TYPE, conf, "1.a-1.e", 0);
	/* Retained values; a lowered proposal needs its note. */
	for (int k = 0; k < Q__N; k++) {
		struct rep_item *it = &q->it[k];
		const struct rep_ans *a = &an->a[k];
		if (a->set) {
			it->v = a->v;
			it->src = SRC_ANSWER;
			if (it->has_auto && it->auto_v != NSP && rank(k, a->v) < rank(k, it->auto_v) &&
			    k != Q_M1_A && k != Q_M1_B && k != Q_M1_C && k != Q_M1_D && k != Q_M1_E) {
				if (lowered(an, k, it->auto_v, it->why) < 0)
					return -1;
				it->lowered = 1;
			}
		} else if (it->has_auto) {
			it->v = it->auto_v;
			it->src = SRC_AUTO;
		}
	}
	/* The computed axes, proposed for the items that conclude them; an
	 * answer below them needs a note too. */
	struct rep_qual tmp = *q;
	tmp.it[Q_I_NIVEAU].src = tmp.it[Q_U_URGENT].src = SRC_NONE;
	int imp = impact(&tmp, SHOWN), urg = urgence(&tmp, SHOWN);
	if (imp != IMP_IND)
		propose(q, Q_I_NIVEAU, imp, "3.a-3.c", 0);
	if (urg != URG_IND)
		propose(q, Q_U_URGENT, urg, "4.a-4.b", 0);
	static const enum rep_q concl[] = { Q_I_NIVEAU, Q_U_URGENT };
	for (size_t i = 0; i < N(concl); i++) {
		struct rep_item *it = &q->it[concl[i]];
		const struct rep_ans *a = &an->a[concl[i]];
		if (a->set && a->v != NSP && it->has_auto && a->v < it->auto_v) {
			if (lowered(an, concl[i], it->auto_v, it->why) < 0)
				return -1;
			it->lowered = 1;
		}
	}
	int per = perimetre(q, SHOWN);
	if (per != PER_IND && !an->a[Q_P_CIRCONSCRIT].set) {
		/* retained too: an unanswered « circonscrit ? » must not reach
		 * « étendu » at the ceiling on its own */
		propose(q, Q_P_CIRCONSCRIT, per == PER_CIRC, "2.a-2.c", 0);
		q->it[Q_P_CIRCONSCRIT].v = per == PER_CIRC;
		q->it[Q_P_CIRCONSCRIT].src = SRC_AUTO;
	}
	q->help_needed = (q->it[Q_I_COMP_RECON].v == 0) || (q->it[Q_I_COMP_MAINT].v == 0);

	eval(q, SHOWN, &q->shown);
	eval(q, FLOOR, &q->floor);
	eval(q, CEIL, &q->ceil);
	q->computed = q->floor.g;
	q->computed_rule = q->floor.rule;
	if (q->floor.g == G_ANOMALIE && q->ceil.g != G_ANOMALIE) {
		q->computed = G_INDET;
		q->computed_rule = 6;
	}
	q->decide_crisis = q->floor.g == G_MAJEUR && q->ceil.g == G_CRISE;
	/* nsp items each of which, at its worst, moves the floor */
	for (int k = 0; k < Q__N; k++) {
		if (q->it[k].v != NSP || rep_qdefs[k].blk < BLK_MESURE1 || rep_qdefs[k].blk > BLK_QUALIF)
			continue;
		struct rep_world w;
		tmp = *q;
		enum rep_vt vt = rep_qdefs[k].vt;
		tmp.it[k].v = vt == VT_FUITE || vt == VT_NIVEAU ? 2 : rep_qdefs[k].flags & QF_GOOD_OUI ? 0 : 1;
		eval(&tmp, FLOOR, &w);
		if (w.g != q->floor.g)
			q->deciding[q->ndeciding++] = (enum rep_q)k;
	}
	/* presumed: the floor falls when the suspicions are set aside */
	tmp = *q;
	int any = 0;
	for (int k = 0; k < Q__N; k++)
		if (tmp.it[k].src == SRC_AUTO && tmp.it[k].presumed && rank(k, tmp.it[k].v) > 0) {
			tmp.it[k].v = rep_qdefs[k].flags & QF_GOOD_OUI ? 1 : 0;
			any = 1;
		}
	if (any) {
		struct rep_world w;
		eval(&tmp, FLOOR, &w);
		q->presumed = w.g < q->floor.g;
	}
	/* The responder's gravity: raising is free; lowering below the
	 * computed floor needs a justification (spec §1.5). */
	q->retained = q->computed;
	const struct rep_ans *g = &an->a[Q_Q_GRAVITE];
	if (g->set) {
		q->override = 1;
		if (q->computed != G_INDET && g->v < q->computed && !an->a[Q_Q_JUSTIF].set)
			return err_set(E_REP_GRAV_LOWER, an->name[0] ? an->name : "answers.ini", g->line,
				       rep_grav_word((enum rep_grav)g->v), rep_grav_word(q->computed));
		q->retained = (enum rep_grav)g->v;
	}
	return 0;
}

const char *rep_grav_word(enum rep_grav g)
{
	switch (g) {
	case G_ANOMALIE: return tr(M_REP_G_ANOMALIE);
	case G_MINEUR: return tr(M_REP_G_MINEUR);
	case G_MAJEUR: return tr(M_REP_G_MAJEUR);
	case G_CRISE: return tr(M_REP_G_CRISE);
	default: return tr(M_REP_G_INDET);
	}
}

const char *rep_axis_word(int axis, int v)
{
	static const enum msg_id w[4][4] = {
		{ M_REP_AX_IND, M_REP_AX_CIRC, M_REP_AX_ETENDU, M_REP_AX_IND },
		{ M_REP_AX_IND, M_REP_AX_FAIBLE, M_REP_AX_MODERE, M_REP_AX_FORT },
		{ M_REP_AX_IND, M_REP_AX_NON_URGENTE, M_REP_AX_URGENTE, M_REP_AX_IND },
		{ M_REP_AX_IND, M_REP_AX_NULLE, M_REP_AX_LIMITEE, M_REP_AX_SERIEUSE },
	};
	if (axis < 0 || axis > 3 || v < -1 || v > 2)
		return "?";
	return tr(w[axis][v + 1]);
}

const char *rep_grav_key(enum rep_grav g)
{
	switch (g) {
	case G_ANOMALIE: return "anomalie";
	case G_MINEUR: return "mineur";
	case G_MAJEUR: return "majeur";
	case G_CRISE: return "crise";
	default: return "indeterminee";
	}
}
