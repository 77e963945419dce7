/*
 * The questionnaire of Mesures 2, 3 and 4 (and what the report needs
 * beside: context, Mesure 1's conclusions, the notification, the
 * declarations, the review), and answers.ini, the file that holds the
 * responder's answers: one "key = value" per item under its section,
 * "key.note = …" for a note (a lowered proposal needs one).
 *
 * Values: the fiche accepts « je ne sais pas répondre »: nsp. An nsp is
 * carried into the gravity as such (qual.c), never read as « non ». An
 * empty value is an item not answered. An unknown section, key or value
 * is a usage error naming the line, as the baseline's are: a typo must
 * not turn into a silent « non ».
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "courante/courante.h"
#include "report/report.h"

#define G QF_GOOD_OUI
#define A QF_ASK

const struct rep_qdef rep_qdefs[Q__N] = {
	[Q_CTX_AIDE] = { "contexte", "aide", "0", M_Q_CTX_AIDE, VT_YN, BLK_CONTEXTE, A | G },
	[Q_CTX_ORG] = { "contexte", "organisation", "0", M_Q_CTX_ORG, VT_ORG, BLK_CONTEXTE, A },
	[Q_CTX_ACTIONS] = { "contexte", "actions", "0", M_Q_CTX_ACTIONS, VT_TEXT, BLK_CONTEXTE, A },
	[Q_M1_A] = { "mesure1", "a", "1.a", M_Q_M1_A, VT_YN, BLK_MESURE1, A },
	[Q_M1_B] = { "mesure1", "b", "1.b", M_Q_M1_B, VT_YN, BLK_MESURE1, A },
	[Q_M1_C] = { "mesure1", "c", "1.c", M_Q_M1_C, VT_YN, BLK_MESURE1, A },
	[Q_M1_D] = { "mesure1", "d", "1.d", M_Q_M1_D, VT_YN, BLK_MESURE1, A },
	[Q_M1_E] = { "mesure1", "e", "1.e", M_Q_M1_E, VT_YN, BLK_MESURE1, A },
	[Q_M1_HIBP] = { "mesure1", "hibp", "1.b", M_Q_M1_HIBP, VT_YN, BLK_MESURE1, A },
	[Q_M1_TEAMS] = { "mesure1", "teams_stockage", "1.e", M_Q_M1_TEAMS, VT_YN, BLK_MESURE1, A },
	[Q_M1_ANON] = { "mesure1", "anonymes", "1.e", M_Q_M1_ANON, VT_YN, BLK_MESURE1, A },
	[Q_P_ADMIN] = { "perimetre", "admin", "2.a", M_Q_P_ADMIN, VT_YN, BLK_PERIMETRE, A },
	[Q_P_APP] = { "perimetre", "app", "2.a", M_Q_P_APP, VT_YN, BLK_PERIMETRE, A },
	[Q_P_SI_LOCAL] = { "perimetre", "si_local", "2.a", M_Q_P_SI_LOCAL, VT_YN, BLK_PERIMETRE, A },
	[Q_P_MACHINES] = { "perimetre", "machines", "2.a", M_Q_P_MACHINES, VT_YN, BLK_PERIMETRE, A },
	[Q_P_VIP] = { "perimetre", "vip", "2.a", M_Q_P_VIP, VT_YN, BLK_PERIMETRE, A },
	[Q_P_FEDERATION] = { "perimetre", "federation", "2.a", M_Q_P_FEDERATION, VT_YN, BLK_PERIMETRE, A },
	[Q_P_CONFIG] = { "perimetre", "config", "2.a", M_Q_P_CONFIG, VT_YN, BLK_PERIMETRE, A },
	[Q_P_SERVICE] = { "perimetre", "service", "2", M_Q_P_SERVICE, VT_YN, BLK_PERIMETRE, A },
	[Q_P_EXTERNE] = { "perimetre", "externe", "2.b", M_Q_P_EXTERNE, VT_YN, BLK_PERIMETRE, A },
	[Q_P_AD] = { "perimetre", "ad", "2.b", M_Q_P_AD, VT_YN, BLK_PERIMETRE, A },
	[Q_P_PERIPH] = { "perimetre", "peripheriques", "2.b", M_Q_P_PERIPH, VT_YN, BLK_PERIMETRE, A },
	[Q_P_EQUIP] = { "perimetre", "equipements", "2.b", M_Q_P_EQUIP, VT_YN, BLK_PERIMETRE, A },
	[Q_P_INTERCO] = { "perimetre", "interconnexions", "2.c", M_Q_P_INTERCO, VT_YN, BLK_PERIMETRE, A },
	[Q_P_CIRCONSCRIT] = { "perimetre", "circonscrit", "2.c", M_Q_P_CIRCONSCRIT, VT_YN, BLK_PERIMETRE, A | G },
	[Q_P_AIDE] = { "perimetre", "aide", "2.c", M_Q_P_AIDE, VT_YN, BLK_PERIMETRE, A },
	[Q_I_ENTRA] = { "impact", "entra", "3.a", M_Q_I_ENTRA, VT_YN, BLK_IMPACT, A | G },
	[Q_I_EXCHANGE] = { "impact", "exchange", "3.a", M_Q_I_EXCHANGE, VT_YN, BLK_IMPACT, A | G },
	[Q_I_TEAMS] = { "impact", "teams", "3.a", M_Q_I_TEAMS, VT_YN, BLK_IMPACT, A | G },
	[Q_I_FUITE] = { "impact", "fuite", "3.a", M_Q_I_FUITE, VT_FUITE, BLK_IMPACT, A },
	[Q_I_PERSO] = { "impact", "perso", "3.a", M_Q_I_PERSO, VT_YN, BLK_IMPACT, A },
	[Q_I_DEPENDANCE] = { "impact", "dependance", "3.a", M_Q_I_DEPENDANCE, VT_YN, BLK_IMPACT, A },
	[Q_I_GA_SAIN] = { "impact", "ga_sain", "3.b", M_Q_I_GA_SAIN, VT_YN, BLK_IMPACT, A | G },
	[Q_I_ALTEREES] = { "impact", "alterees", "3.b", M_Q_I_ALTEREES, VT_YN, BLK_IMPACT, A },
	[Q_I_RANCON] = { "impact", "rancon", "3.b", M_Q_I_RANCON, VT_YN, BLK_IMPACT, A },
	[Q_I_EXFIL] = { "impact", "exfil", "3.b", M_Q_I_EXFIL, VT_YN, BLK_IMPACT, A },
	[Q_I_INTEGRITE] = { "impact", "integrite", "3.b", M_Q_I_INTEGRITE, VT_YN, BLK_IMPACT, A },
	[Q_I_SAUV_CONFIG] = { "impact", "sauv_config", "3.b", M_Q_I_SAUV_CONFIG, VT_YN, BLK_IMPACT, A | G },
	[Q_I_SAUV_DONNEES] = { "impact", "sauv_donnees", "3.b", M_Q_I_SAUV_DONNEES, VT_YN, BLK_IMPACT, A | G },
	[Q_I_ACTIVITES] = { "impact", "activites", "3.c", M_Q_I_ACTIVITES, VT_LIST, BLK_IMPACT, A },
	[Q_I_CHAINES] = { "impact", "chaines", "3.c", M_Q_I_CHAINES, VT_LIST, BLK_IMPACT, A },
	[Q_I_COMP_RECON] = { "impact", "comp_reconstruire", "3.c", M_Q_I_COMP_RECON, VT_YN, BLK_IMPACT, A | G },
	[Q_I_COMP_MAINT] = { "impact", "comp_maintenir", "3.c", M_Q_I_COMP_MAINT, VT_YN, BLK_IMPACT, A | G },
	[Q_I_NIVEAU] = { "impact", "niveau", "3.c", M_Q_I_NIVEAU, VT_NIVEAU, BLK_IMPACT, A },
	[Q_U_ARRET] = { "urgence", "arret", "4.b", M_Q_U_ARRET, VT_LIST, BLK_URGENCE, A },
	[Q_U_DEGRADEES] = { "urgence", "degradees", "4.b", M_Q_U_DEGRADEES, VT_LIST, BLK_URGENCE, A },
	[Q_U_DONNEES] = { "urgence", "donnees", "4.b", M_Q_U_DONNEES, VT_LIST, BLK_URGENCE, A },
	[Q_U_URGENT] = { "urgence", "urgent", "4.b", M_Q_U_URGENT, VT_YN, BLK_URGENCE, A },
	[Q_Q_TYPE] = { "qualification", "type", "Q", M_Q_Q_TYPE, VT_YN, BLK_QUALIF, A },
	[Q_Q_GRAVITE] = { "qualification", "gravite", "Q", M_Q_Q_GRAVITE, VT_GRAVITE, BLK_QUALIF, A },
	[Q_Q_JUSTIF] = { "qualification", "justification", "Q", M_Q_Q_JUSTIF, VT_TEXT, BLK_QUALIF, 0 },
	[Q_N_DECOUVERTE] = { "notification", "decouverte", "D", M_Q_N_DECOUVERTE, VT_TIME, BLK_NOTIF, A },
	[Q_N_CONNAISSANCE] = { "notification", "connaissance", "D", M_Q_N_CONNAISSANCE, VT_TIME, BLK_NOTIF, A },
	[Q_N_NATURE] = { "notification", "nature", "D", M_Q_N_NATURE, VT_TEXT, BLK_NOTIF, 0 },
	[Q_N_CAT_PERS] = { "notification", "categories_personnes", "D", M_Q_N_CAT_PERS, VT_TEXT, BLK_NOTIF, 0 },
	[Q_N_NB_PERS] = { "notification", "nb_personnes", "D", M_Q_N_NB_PERS, VT_TEXT, BLK_NOTIF, 0 },
	[Q_N_CAT_DON] = { "notification", "categories_donnees", "D", M_Q_N_CAT_DON, VT_TEXT, BLK_NOTIF, 0 },
	[Q_N_NB_ENR] = { "notification", "nb_enregistrements", "D", M_Q_N_NB_ENR, VT_TEXT, BLK_NOTIF, 0 },
	[Q_N_DUREE] = { "notification", "duree", "D", M_Q_N_DUREE, VT_TEXT, BLK_NOTIF, 0 },
	[Q_N_DPO] = { "notification", "dpo", "D", M_Q_N_DPO, VT_TEXT, BLK_NOTIF, 0 },
	[Q_N_CONSEQ] = { "notification", "consequences", "D", M_Q_N_CONSEQ, VT_TEXT, BLK_NOTIF, 0 },
	[Q_N_MESURES] = { "notification", "mesures", "D", M_Q_N_MESURES, VT_TEXT, BLK_NOTIF, 0 },
	[Q_N_SUITE] = { "notification", "suite", "D", M_Q_N_SUITE, VT_TEXT, BLK_NOTIF, 0 },
	[Q_N_RETARD] = { "notification", "retard", "D", M_Q_N_RETARD, VT_TEXT, BLK_NOTIF, 0 },
	[Q_D_ASSUREUR] = { "declarations", "assureur", "D", M_Q_D_ASSUREUR, VT_DECL, BLK_DECL, A },
	[Q_D_ANSSI] = { "declarations", "anssi", "D", M_Q_D_ANSSI, VT_DECL, BLK_DECL, A },
	[Q_D_PLAINTE] = { "declarations", "plainte", "D", M_Q_D_PLAINTE, VT_DECL, BLK_DECL, A },
	[Q_D_CNIL] = { "declarations", "cnil", "D", M_Q_D_CNIL, VT_DECL, BLK_DECL, A },
	[Q_D_AUTRES] = { "declarations", "autres", "D", M_Q_D_AUTRES, VT_DECL, BLK_DECL, A },
	[Q_D_MICROSOFT] = { "declarations", "microsoft", "D", M_Q_D_MICROSOFT, VT_DECL, BLK_DECL, A },
	[Q_R_CAUSE] = { "retex", "cause", "R", M_Q_R_CAUSE, VT_TEXT, BLK_RETEX, 0 },
	[Q_R_TECH] = { "retex", "techniques", "R", M_Q_R_TECH, VT_TEXT, BLK_RETEX, 0 },
	[Q_R_PROC] = { "retex", "procedures", "R", M_Q_R_PROC, VT_TEXT, BLK_RETEX, 0 },
	[Q_R_ERREURS] = { "retex", "erreurs", "R", M_Q_R_ERREURS, VT_TEXT, BLK_RETEX, 0 },
	[Q_R_PROCESS] = { "retex", "processus", "R", M_Q_R_PROCESS, VT_TEXT, BLK_RETEX, 0 },
	[Q_R_COMM] = { "retex", "communication", "R", M_Q_R_COMM, VT_TEXT, BLK_RETEX, 0 },
	[Q_R_VECTEURS] = { "retex", "vecteurs", "R", M_Q_R_VECTEURS, VT_TEXT, BLK_RETEX, 0 },
};

/* ---- values ------------------------------------------------------------------------- */

/* Spellings accepted per value: the one written back, then the others,
 * '|'-separated; French and English, with and without accents. */
struct word { int v; const char *key, *alt; };

static const struct word yn[] = {
	{ 1, "oui", "yes|o|y" },
	{ 0, "non", "no|n" },
	{ NSP, "nsp", "unknown|je ne sais pas|ne sais pas|?|inconnu" },
	{ 0, NULL, NULL },
};
static const struct word fuite[] = {
	{ 0, "non", "no|aucune|none" },
	{ 1, "suspectee", "suspectée|suspected|suspect" },
	{ 2, "confirmee", "confirmée|confirmed" },
	{ NSP, "nsp", "unknown|je ne sais pas|?" },
	{ 0, NULL, NULL },
};
static const struct word niveau[] = {
	{ 0, "faible", "low|weak" },
	{ 1, "modere", "modéré|moderate|modérée|moderee" },
	{ 2, "fort", "high|strong|forte" },
	{ NSP, "nsp", "unknown|je ne sais pas|?" },
	{ 0, NULL, NULL },
};
static const struct word gravite[] = {
	{ G_ANOMALIE, "anomalie", "anomalie courante|anomaly" },
	{ G_MINEUR, "mineur", "incident mineur|minor" },
	{ G_MAJEUR, "majeur", "incident majeur|major" },
	{ G_CRISE, "crise", "crise cyber|crisis" },
	{ G_INDET, "nsp", "unknown" },
	{ 0, NULL, NULL },
};
static const struct word org[] = {
	{ 0, "entreprise", "company" },
	{ 1, "administration", "" },
	{ 2, "oiv", "" },
	{ 3, "ose", "" },
	{ 4, "classifie", "classifié|classified" },
	{ 5, "autre", "other" },
	{ NSP, "nsp", "unknown|?" },
	{ 0, NULL, NULL },
};
static const struct word decl[] = {
	{ 2, "fait", "done" },
	{ 1, "a-faire", "à-faire|à faire|a faire|todo|to-do" },
	{ 0, "non-applicable", "non applicable|n/a|na|not-applicable|not applicable" },
	{ NSP, "nsp", "unknown|?" },
	{ 0, NULL, NULL },
};
static const struct word list_words[] = {
	{ 0, "aucune", "aucun|none|rien" },
	{ NSP, "nsp", "unknown|je ne sais pas|?" },
	{ 0, NULL, NULL },
};

static const struct word *words_of(enum rep_vt vt)
{
	switch (vt) {
	case VT_YN: return yn;
	case VT_FUITE: return fuite;
	case VT_NIVEAU: return niveau;
	case VT_GRAVITE: return gravite;
	case VT_ORG: return org;
	case VT_DECL: return decl;
	case VT_LIST: return list_words;
	default: return NULL;
	}
}

static int same(const char *a, size_t an, const char *s, size_t n)
{
	return an == n && !strncasecmp(a, s, n);
}

/* Looks s[0..n) up among the spellings; -1 when none. */
static int lookup(const struct word *w, const char *s, size_t n, int *v)
{
	for (; w && w->key; w++) {
		int hit = same(w->key, strlen(w->key), s, n);
		for (const char *a = w->alt; !hit && *a; a += *a == '|') {
			size_t k = strcspn(a, "|");
			hit = same(a, k, s, n);
			a += k;
		}
		if (hit) {
			*v = w->v;
			return 0;
		}
	}
	return -1;
}

static enum msg_id expected(enum rep_vt vt)
{
	static const enum msg_id e[] = {
		[VT_YN] = M_REP_VT_YN, [VT_LIST] = M_REP_VT_LIST, [VT_FUITE] = M_REP_VT_FUITE,
		[VT_NIVEAU] = M_REP_VT_NIVEAU, [VT_GRAVITE] = M_REP_VT_GRAVITE, [VT_ORG] = M_REP_VT_ORG,
		[VT_DECL] = M_REP_VT_DECL, [VT_TIME] = M_REP_VT_TIME, [VT_TEXT] = M_REP_VT_TEXT,
	};
	return e[vt];
}

/* Parses value into a for item q; 0 or -1 (err set, without position). */
static int parse_value(struct rep_answers *an, enum rep_q q, const char *value, struct rep_ans *a)
{
	const struct rep_qdef *d = &rep_qdefs[q];
	size_t n = strlen(value);
	memset(a, 0, sizeof *a);
	if (!n)
		return 0;   /* empty: not answered */
	a->set = 1;
	if (!(a->text = mdl_intern(&an->ar, value)))
		return -1;
	switch (d->vt) {
	case VT_TEXT:
		a->v = 1;
		return 0;
	case VT_TIME: {
		int off;
		a->v = 1;
		if (tm_parse_local(value, &a->t, &off) < 0)
			break;
		return 0;
	}
	case VT_LIST:
		if (lookup(list_words, value, n, &a->v) < 0)
			a->v = 1;
		return 0;
	case VT_DECL:
		/* "fait 2026-11-23", "à faire": the longest leading words that
		 * name a state, then a date or a note */
		if (lookup(decl, value, n, &a->v) == 0)
			return 0;
		for (const char *sp = value + n; (sp = memrchr(value, ' ', (size_t)(sp - value)));)
			if (lookup(decl, value, (size_t)(sp - value), &a->v) == 0)
				return 0;
		break;
	default:
		if (lookup(words_of(d->vt), value, n, &a->v) == 0) {
			if (d->vt == VT_GRAVITE && a->v == G_INDET)
				a->set = 0;
			return 0;
		}
	}
	return err_set(E_REP_ANS_VALUE, value, d->sect, d->key, tr(expected(d->vt)));
}

enum rep_q rep_q_find(const char *sect, const char *key)
{
	for (int q = 0; q < Q__N; q++)
		if (!strcasecmp(rep_qdefs[q].sect, sect) && !strcasecmp(rep_qdefs[q].key, key))
			return (enum rep_q)q;
	return Q__N;
}

static int known_section(const char *s)
{
	for (int q = 0; q < Q__N; q++)
		if (!strcasecmp(rep_qdefs[q].sect, s))
			return 1;
	return 0;
}

int rep_answers_parse(struct rep_answers *an, const char *text, size_t n, const char *name)
{
	memset(an, 0, sizeof *an);
	snprintf(an->name, sizeof an->name, "%s", name);
	struct ini_limits lim = INI_LIMITS_DEFAULT;
	lim.max_bytes = 256 * 1024;
	lim.max_items = 1000;
	if (ini_parse(&an->ini, text, n, name, lim) < 0)
		return -1;
	for (size_t i = 0; i < an->ini.n; i++) {
		const struct ini_item *it = &an->ini.it[i];
		char key[128];
		if (!*it->section)
			return err_set(E_REP_ANS_NOSECT, name, it->line, it->key);
		if (!known_section(it->section))
			return err_set(E_REP_ANS_SECTION, name, it->sline, it->section);
		if (!it->value)
			return err_set(E_REP_ANS_NOVALUE, name, it->line, it->key);
		snprintf(key, sizeof key, "%s", it->key);
		char *dot = strchr(key, '.');
		int note = dot && !strcasecmp(dot, ".note");
		if (note)
			*dot = 0;
		enum rep_q q = rep_q_find(it->section, key);
		if (q == Q__N)
			return err_set(E_REP_ANS_KEY, name, it->line, it->key, it->section);
		struct rep_ans *a = &an->a[q];
		if (note) {
			if (a->note)
				return err_set(E_REP_ANS_TWICE, name, it->line, it->section, it->key);
			if (*it->value && !(a->note = mdl_intern(&an->ar, it->value)))
				return -1;
			continue;
		}
		if (a->line)
			return err_set(E_REP_ANS_TWICE, name, it->line, it->section, it->key);
		const char *keep = a->note;
		if (parse_value(an, q, it->value, a) < 0)
			return err_context(E_REP_ANS_AT, name, it->line);
		a->note = keep;
		a->line = it->line;
	}
	return 0;
}

int rep_answers_load(struct rep_answers *an, const char *path)
{
	struct buf b = { 0 };
	memset(an, 0, sizeof *an);
	if (file_read(path, &b, 256 * 1024) < 0) {
		buf_free(&b);
		return -1;
	}
	int r = rep_answers_parse(an, b.p ? b.p : "", b.len, path);
	buf_free(&b);
	return r;
}

void rep_answers_free(struct rep_answers *an)
{
	ini_free(&an->ini);
	mdl_arena_free(&an->ar);
	memset(an, 0, sizeof *an);
}

int rep_answer_set(struct rep_answers *an, enum rep_q q, const char *value)
{
	struct rep_ans a;
	const char *note = an->a[q].note;
	if (strpbrk(value, "\r\n") || !json_utf8_valid(value, strlen(value)))
		return err_set(E_REP_ANS_VALUE, value, rep_qdefs[q].sect, rep_qdefs[q].key,
			       tr(expected(rep_qdefs[q].vt)));
	if (parse_value(an, q, value, &a) < 0)
		return -1;
	a.note = note;
	an->a[q] = a;
	return 0;
}

int rep_answer_note(struct rep_answers *an, enum rep_q q, const char *note)
{
	if (strpbrk(note, "\r\n") || !json_utf8_valid(note, strlen(note)))
		return err_set(E_REP_ANS_VALUE, note, rep_qdefs[q].sect, rep_qdefs[q].key,
			       tr(M_REP_VT_TEXT));
	an->a[q].note = *note ? mdl_intern(&an->ar, note) : NULL;
	return *note && !an->a[q].note ? -1 : 0;
}

const char *rep_value_key(enum rep_q q, int v)
{
	const struct word *w = words_of(rep_qdefs[q].vt);
	for (; w && w->key; w++)
		if (w->v == v)
			return w->key;
	return v == NSP ? "nsp" : "";
}

const char *rep_value_word(enum rep_q q, int v)
{
	enum rep_vt vt = rep_qdefs[q].vt;
	if (v == NSP)
		return tr(M_REP_NSP);
	switch (vt) {
	case VT_YN: return tr(v ? M_REP_OUI : M_REP_NON);
	case VT_LIST: return tr(v ? M_REP_SOME : M_REP_AUCUNE);
	case VT_FUITE: return tr(v == 2 ? M_REP_CONFIRMEE : v == 1 ? M_REP_SUSPECTEE : M_REP_NON);
	case VT_NIVEAU: return tr(v == 2 ? M_REP_AX_FORT : v == 1 ? M_REP_AX_MODERE : M_REP_AX_FAIBLE);
	case VT_GRAVITE: return rep_grav_word((enum rep_grav)v);
	case VT_DECL: return tr(v == 2 ? M_REP_FAIT : v == 1 ? M_REP_AFAIRE : M_REP_NA);
	default: return rep_value_key(q, v);
	}
}

int rep_answers_format(const struct rep_answers *an, struct buf *b)
{
	int r = buf_puts(b, tr(M_REP_ANS_HEAD));
	const char *sect = "";
	for (int q = 0; q < Q__N && !r; q++) {
		const struct rep_qdef *d = &rep_qdefs[q];
		const struct rep_ans *a = &an->a[q];
		if (!a->set && !a->note)
			continue;
		if (strcmp(sect, d->sect)) {
			r |= buf_printf(b, "\n[%s]\n", d->sect);
			sect = d->sect;
		}
		r |= buf_printf(b, "; %s\n", tr(d->q));
		if (a->set) {
			const char *v = d->vt == VT_TEXT || d->vt == VT_TIME || d->vt == VT_DECL ||
					(d->vt == VT_LIST && a->v == 1) ? a->text : rep_value_key((enum rep_q)q, a->v);
			r |= buf_printf(b, "%s = %s\n", d->key, v);
		}
		if (a->note)
			r |= buf_printf(b, "%s.note = %s\n", d->key, a->note);
	}
	return r ? -1 : 0;
}

int rep_questions(struct buf *b)
{
	int r = buf_puts(b, tr(M_REP_ANS_HEAD));
	r |= buf_puts(b, tr(M_REP_QUESTIONS_HEAD));
	const char *sect = "";
	for (int q = 0; q < Q__N && !r; q++) {
		const struct rep_qdef *d = &rep_qdefs[q];
		if (strcmp(sect, d->sect)) {
			r |= buf_printf(b, "\n[%s]\n", d->sect);
			sect = d->sect;
		}
		r |= buf_printf(b, "; %s\n;   %s\n%s =\n", tr(d->q), tr(expected(d->vt)), d->key);
	}
	return r ? -1 : 0;
}
