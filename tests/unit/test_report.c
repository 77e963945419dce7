/* report/: the map covers every rule id compiled in; findings documents
 * old and new; answers.ini; the gravity table with its floor and
 * ceiling; the clock; the containment commands' quoting. The acceptance
 * scenarios run end to end in tests/it/report.sh. */
#include "courante/courante.h"
#include "report/report.h"
#include "rules/rules.h"
#include "t.h"

/* Every rule table compiled into reflexe: check-mail and check-apps add
 * theirs here when they land, and then need their rows in map.c. */
static const struct { const struct rule *rules; const size_t *n; } tables[] = {
	{ adm_rules, &adm_nrules },
	{ evt_rules, &evt_nrules },
	{ mail_rules, &mail_nrules },
	{ app_rules, &app_nrules },
};

static void map_covers_rules(void)
{
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
		for (size_t i = 0; i < *tables[t].n; i++) {
			const struct rule *r = &tables[t].rules[i];
			const struct rep_map *m = rep_map_find(r->id);
			if (!m) {
				printf("  %s: no row in src/report/map.c\n", r->id);
				t_failed_now = 1;
				continue;
			}
			/* the default for documents without "compromise" is the
			 * rule's own flag */
			if (!(m->flags & MAP_COMPROMISE) != !(r->flags & RULE_COMPROMISE)) {
				printf("  %s: MAP_COMPROMISE differs from the rule's RULE_COMPROMISE\n", r->id);
				t_failed_now = 1;
			}
		}
	for (size_t i = 0; i < rep_nmap; i++) {
		for (size_t k = i + 1; k < rep_nmap; k++)
			if (!strcmp(rep_map[i].id, rep_map[k].id)) {
				printf("  %s: two rows\n", rep_map[i].id);
				t_failed_now = 1;
			}
		CHECK(rep_map[i].plan < PL_BIT(PL__N));
		CHECK(rep_map[i].sig < SIG_BIT(SIG__N) && rep_map[i].sig_high < SIG_BIT(SIG__N));
	}
	CHECK(rep_map_find("adm-004") == rep_map_find("ADM-004"));
	CHECK(rep_map_find("ADM-999") == NULL);
}

/* ---- documents -------------------------------------------------------------------------- */

#define HEAD(applet) "{\"tool\":\"reflexe\",\"version\":\"0\",\"applet\":\"" applet "\",\"tenant\":\"t\"," \
	"\"case\":\"c\",\"generated\":\"2026-03-01T12:00:00Z\","

/* a document as check-admins writes it before CONTRACT.md's fields */
static const char old_adm[] = HEAD("check-admins")
	"\"verdict\":{\"question\":\"q\",\"subject\":\"s\",\"answer\":\"suspected\",\"text\":\"x\",\"why\":null,"
	"\"reasons\":[],\"sound_global_admin\":{\"answer\":\"yes\",\"text\":\"yes — a@b\"}},"
	"\"findings\":[{\"id\":\"ADM-004\",\"severity\":\"high\",\"status\":\"suspect\",\"fiche\":\"1.a\","
	"\"title\":\"T\",\"detail\":\"D\",\"objects\":[\"x@contoso.com\",\"a1000000-0000-4000-8000-000000000004\"],"
	"\"evidence\":[\"graph/p.json\"]},"
	"{\"id\":\"ADM-006\",\"severity\":\"high\",\"status\":\"confirmed\",\"fiche\":\"1.a\",\"title\":\"T\","
	"\"detail\":\"D\",\"objects\":[\"x@contoso.com\"],\"evidence\":[]},"
	"{\"id\":\"ADM-001\",\"severity\":\"info\",\"status\":\"clear\",\"fiche\":\"1.a\",\"title\":\"T\","
	"\"detail\":\"D\",\"objects\":[],\"evidence\":[]}],"
	"\"unknown\":[{\"check\":\"ADM-012\",\"reason\":\"r\",\"needs\":\"--baseline\"}]}";

/* CONTRACT.md's shape: compromise, at, step, lang */
static const char new_mail[] = HEAD("check-mail")
	"\"verdict\":{\"question\":\"q\",\"subject\":\"s\",\"answer\":\"not_detected\",\"text\":\"x\",\"why\":null,"
	"\"reasons\":[],\"fiche\":\"1.b 1.c 1.e\",\"lang\":{\"fr\":{\"text\":\"fr\",\"why\":null},\"en\":{\"text\":\"en\",\"why\":null}}},"
	"\"findings\":[{\"id\":\"MAIL-009\",\"severity\":\"high\",\"status\":\"suspect\",\"fiche\":\"1.e\","
	"\"title\":\"T\",\"detail\":\"D\",\"objects\":[\"rule\"],\"evidence\":[],\"compromise\":false,"
	"\"at\":\"2026-02-27T10:00:00+01:00\",\"step\":\"s\",\"lang\":{\"fr\":{\"title\":\"Règle\",\"step\":\"é\","
	"\"detail\":\"DF\"},\"en\":{\"title\":\"Rule\",\"step\":\"e\",\"detail\":\"DE\"}}}],\"unknown\":[]}";

/* check-mail answers 1.b, 1.c and 1.e each (verdict.actions): 1.b
 * undetermined (inbox rules unread) leaves 1.c and 1.e answered. */
static const char mail_parts[] = HEAD("check-mail")
	"\"verdict\":{\"answer\":\"undetermined\",\"fiche\":\"1.b 1.c 1.e\",\"actions\":["
	"{\"fiche\":\"1.b\",\"answer\":\"undetermined\"},{\"fiche\":\"1.c\",\"answer\":\"not_detected\"},"
	"{\"fiche\":\"1.e\",\"answer\":\"not_detected\"}]},\"findings\":[],\"unknown\":[]}";

static void parts(void)
{
	struct rep_findings fs = { 0 };
	struct rep_answers an = { 0 };
	struct rep_qual q;
	CHECK(rep_findings_parse(&fs, "findings/check-mail.json", mail_parts, sizeof mail_parts - 1) == 0);
	const struct rep_doc *d = rep_doc_of(&fs, "check-mail");
	CHECK(d && d->parts && d->undet == ACT_BIT(ACT_1B));
	CHECK(rep_qualify(&fs, &an, &q) == 0);
	CHECK(q.act_ev[ACT_1B] == V_UNDETERMINED && q.act_ev[ACT_1C] == V_NOT_DETECTED &&
	      q.act_ev[ACT_1E] == V_NOT_DETECTED);
	rep_findings_free(&fs);
	/* an action of no known fiche, or without an answer: refused */
	static const char bad[] = HEAD("check-mail") "\"verdict\":{\"answer\":\"undetermined\",\"actions\":"
		"[{\"fiche\":\"9.z\",\"answer\":\"undetermined\"}]},\"findings\":[]}";
	CHECK(rep_findings_parse(&fs, "findings/check-mail.json", bad, sizeof bad - 1) < 0);
	rep_findings_free(&fs);
	err_clear();
}

static void documents(void)
{
	struct rep_findings fs = { 0 };
	CHECK(rep_findings_parse(&fs, "findings/check-admins.json", old_adm, sizeof old_adm - 1) == 0);
	CHECK(rep_findings_parse(&fs, "findings/check-mail.json", new_mail, sizeof new_mail - 1) == 0);
	CHECK_INT(fs.nd, 2);
	CHECK_INT(fs.nf, 4);
	CHECK_INT(fs.nu, 1);
	const struct rep_finding *f = &fs.f[0];
	CHECK(f->compromise == 1 && f->map && f->st == 1 && f->sev == 3 && f->nobj == 2 && f->at == 0);
	CHECK_STR(f->title[LANG_FR], "T");                 /* no "lang": the run's text */
	CHECK(fs.f[1].compromise == 0);                    /* ADM-006: posture */
	CHECK(rep_finding_counts(&fs.f[1]) && !rep_finding_counts(&fs.f[2]));
	const struct rep_finding *m = &fs.f[3];
	CHECK(m->compromise == 0);                         /* the check cleared it */
	CHECK_STR(m->title[LANG_FR], "Règle");
	CHECK_STR(m->title[LANG_EN], "Rule");
	CHECK_STR(m->detail[LANG_EN], "DE");
	CHECK_INT(m->at, 1772182800);                      /* 09:00 UTC */
	const struct rep_doc *d = rep_doc_of(&fs, "check-mail");
	CHECK(d && d->acts == (ACT_BIT(ACT_1B) | ACT_BIT(ACT_1C) | ACT_BIT(ACT_1E)) && d->verdict == V_NOT_DETECTED);
	CHECK_STR(rep_doc_of(&fs, "check-admins")->sound_ga, "yes");
	/* a rule that marks traces, cleared for this finding: no signal */
	struct rep_answers an = { 0 };
	struct rep_qual q;
	CHECK(rep_qualify(&fs, &an, &q) == 0);
	CHECK(!(q.sig & SIG_BIT(SIG_EXFIL)) && !(q.sig & SIG_BIT(SIG_INTEGRITY)));
	CHECK(q.sig & SIG_BIT(SIG_PRIV_COMPROMISE));
	CHECK(q.act_ev[ACT_1A] == V_SUSPECTED && q.act_ev[ACT_1E] == V_NOT_DETECTED && q.act_ev[ACT_1D] == V_NOT_RUN);
	rep_findings_free(&fs);

	static const char *const bad[] = {
		"[]",
		"{\"tool\":\"other\",\"applet\":\"x\",\"findings\":[]}",
		"{\"tool\":\"reflexe\",\"findings\":[]}",
		"{\"tool\":\"reflexe\",\"applet\":\"x\"}",
		"{\"tool\":\"reflexe\",\"applet\":\"x\",\"findings\":{}}",
		"{\"tool\":\"reflexe\",\"applet\":\"x\",\"findings\":[{\"id\":\"A\",\"severity\":\"huge\",\"status\":\"clear\"}]}",
		"{\"tool\":\"reflexe\",\"applet\":\"x\",\"findings\":[{\"id\":\"A\",\"severity\":\"low\",\"status\":\"clear\",\"objects\":[1]}]}",
		"{\"tool\":\"reflexe\",\"applet\":\"x\",\"findings\":[{\"id\":\"A\",\"severity\":\"low\",\"status\":\"clear\",\"compromise\":\"yes\"}]}",
		"{\"tool\":\"reflexe\",\"applet\":\"x\",\"findings\":[{\"id\":\"A\",\"severity\":\"low\",\"status\":\"clear\",\"at\":\"hier\"}]}",
		"{\"tool\":\"reflexe\",\"applet\":\"x\",\"verdict\":{\"answer\":\"maybe\"},\"findings\":[]}",
		"{\"tool\":\"reflexe\",\"applet\":\"x\",\"verdict\":{\"answer\":\"suspected\",\"fiche\":\"9.z\"},\"findings\":[]}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct rep_findings b = { 0 };
		if (rep_findings_parse(&b, "findings/x.json", bad[i], strlen(bad[i])) == 0 ||
		    err_id() != E_REP_DOC_FIELD || !strstr(err_msg(), "findings/x.json")) {
			printf("  bad document %zu accepted or not named: %s\n", i, err_msg());
			t_failed_now = 1;
		}
		rep_findings_free(&b);
	}
	err_clear();
}

/* ---- answers.ini ------------------------------------------------------------------------- */

static int answers(struct rep_answers *a, const char *text)
{
	return rep_answers_parse(a, text, strlen(text), "a.ini");
}

static void answers_file(void)
{
	struct rep_answers a;
	CHECK(answers(&a, "[perimetre]\nadmin = Oui\nad = je ne sais pas\nvip =\nadmin.note = vu avec la DSI ; appel\n"
			  "[impact]\nfuite = suspectée\nactivites = paie; facturation\nchaines = aucune\nniveau = modéré\n"
			  "[declarations]\ncnil = à faire 2026-03-02\nanssi = non-applicable\n"
			  "[notification]\nconnaissance = 2026-02-28 11:30 +01:00\n") == 0);
	CHECK(a.a[Q_P_ADMIN].set && a.a[Q_P_ADMIN].v == 1 && a.a[Q_P_ADMIN].line == 2);
	CHECK_STR(a.a[Q_P_ADMIN].note, "vu avec la DSI ; appel");
	CHECK(a.a[Q_P_AD].v == NSP);
	CHECK(!a.a[Q_P_VIP].set);
	CHECK(a.a[Q_I_FUITE].v == 1 && a.a[Q_I_ACTIVITES].v == 1 && a.a[Q_I_CHAINES].v == 0 && a.a[Q_I_NIVEAU].v == 1);
	CHECK(a.a[Q_D_CNIL].v == 1 && a.a[Q_D_ANSSI].v == 0);
	CHECK_INT(a.a[Q_N_CONNAISSANCE].t, 1772274600);
	/* saved as qualify saves it, then read back the same */
	struct buf b = { 0 };
	struct rep_answers c;
	CHECK(rep_answers_format(&a, &b) == 0);
	CHECK(rep_answers_parse(&c, b.p, b.len, "saved") == 0);
	for (int q = 0; q < Q__N; q++)
		if (a.a[q].set != c.a[q].set || a.a[q].v != c.a[q].v || !a.a[q].note != !c.a[q].note) {
			printf("  %s.%s differs once saved\n", rep_qdefs[q].sect, rep_qdefs[q].key);
			t_failed_now = 1;
		}
	buf_free(&b);
	rep_answers_free(&c);
	/* a prompt's answer */
	CHECK(rep_answer_set(&a, Q_P_AD, "non") == 0 && a.a[Q_P_AD].v == 0 && a.a[Q_P_AD].line == 0);
	CHECK(rep_answer_set(&a, Q_P_AD, "bof") < 0 && err_id() == E_REP_ANS_VALUE);
	CHECK(rep_answer_set(&a, Q_Q_JUSTIF, "deux\nlignes") < 0);
	rep_answers_free(&a);

	static const struct { const char *text; enum msg_id id; const char *where; } bad[] = {
		{ "[perimetre]\nadm = oui\n", E_REP_ANS_KEY, "line 2" },
		{ "[perimetre]\nad = peut-être\n", E_REP_ANS_VALUE, "line 2" },
		{ "\n[x]\nad = oui\n", E_REP_ANS_SECTION, "line 2" },
		{ "ad = oui\n", E_REP_ANS_NOSECT, "line 1" },
		{ "[perimetre]\nad\n", E_REP_ANS_NOVALUE, "line 2" },
		{ "[perimetre]\nad = oui\n[perimetre]\nad = non\n", E_REP_ANS_TWICE, "line 4" },
		{ "[perimetre]\nad.note = a\nad.note = b\n", E_REP_ANS_TWICE, "line 3" },
		{ "[perimetre]\nad.other = a\n", E_REP_ANS_KEY, "line 2" },
		{ "[qualification]\ngravite = grave\n", E_REP_ANS_VALUE, "line 2" },
		{ "[notification]\nconnaissance = demain\n", E_REP_ANS_VALUE, "line 2" },
		{ "[declarations]\ncnil = peut-être\n", E_REP_ANS_VALUE, "line 2" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct rep_answers x;
		if (answers(&x, bad[i].text) == 0 || !strstr(err_msg(), bad[i].where) ||
		    (err_id() != bad[i].id && !(bad[i].id == E_REP_ANS_VALUE))) {
			printf("  bad answers %zu: %s\n", i, err_msg());
			t_failed_now = 1;
		}
		rep_answers_free(&x);
	}
	err_clear();
}

/* ---- the gravity ---------------------------------------------------------------------------- */

/* Everything reassuring, and every action of Mesure 1 concluded by hand
 * (no check needed for G4). */
static const char calm[] =
	"[mesure1]\na = non\nb = non\nc = non\nd = non\ne = non\n"
	"[perimetre]\nadmin = non\napp = non\nsi_local = non\nmachines = non\nvip = non\nfederation = non\n"
	"config = non\nservice = non\nexterne = non\nad = non\nperipheriques = non\nequipements = non\n"
	"interconnexions = non\ncirconscrit = oui\n"
	"[impact]\nentra = oui\nexchange = oui\nteams = oui\nfuite = non\nperso = non\ndependance = non\n"
	"ga_sain = oui\nalterees = non\nrancon = non\nexfil = non\nintegrite = non\nsauv_config = oui\n"
	"sauv_donnees = oui\nactivites = aucune\nchaines = aucune\n"
	"[urgence]\narret = aucune\ndegradees = aucune\ndonnees = aucune\n";

static int qualify(struct rep_qual *q, const char *doc, const char *more)
{
	struct rep_findings fs = { 0 };
	struct rep_answers an;
	struct buf t = { 0 };
	int r = buf_puts(&t, calm) | buf_puts(&t, more);
	if (doc)
		r |= rep_findings_parse(&fs, "findings/check-admins.json", doc, strlen(doc));
	r |= answers(&an, t.p) | rep_qualify(&fs, &an, q);
	buf_free(&t);
	rep_answers_free(&an);
	rep_findings_free(&fs);
	return r ? -1 : 0;
}

static void gravity(void)
{
	struct rep_qual q;
	struct rep_findings none = { 0 };
	struct rep_answers empty = { 0 };
	/* nothing read, nothing answered: not « anomalie courante » */
	CHECK(rep_qualify(&none, &empty, &q) == 0);
	CHECK(q.retained == G_INDET && q.computed_rule == 4 && q.floor.rule == 4 && q.ceil.g == G_CRISE);
	CHECK(q.act[ACT_1A] == V_NOT_RUN);
	/* all concluded by hand, all calm: anomalie courante (G5) */
	CHECK(qualify(&q, NULL, "") == 0);
	CHECK(q.retained == G_ANOMALIE && q.computed_rule == 5 && q.ceil.g == G_ANOMALIE);
	CHECK(q.shown.perim == PER_CIRC && q.shown.impact == IMP_FAIBLE && q.shown.urg == URG_NON &&
	      q.shown.menace == MEN_NULLE);
	CHECK(q.ndeciding == 0);
	/* one nsp that could raise it: indéterminée, and it is named */
	struct rep_answers an;
	struct rep_findings fs = { 0 };
	struct buf t = { 0 };
	buf_puts(&t, calm);
	char *p = strstr(t.p, "rancon = non");
	memcpy(p, "rancon = nsp", 12);
	CHECK(answers(&an, t.p) == 0 && rep_qualify(&fs, &an, &q) == 0);
	CHECK(q.floor.g == G_ANOMALIE && q.ceil.g == G_MAJEUR && q.retained == G_INDET && q.computed_rule == 6);
	CHECK(q.ndeciding == 1 && q.deciding[0] == Q_I_RANCON);
	rep_answers_free(&an);
	buf_free(&t);
	/* raising is free; lowering needs a justification */
	CHECK(qualify(&q, NULL, "[qualification]\ngravite = crise\n") == 0);
	CHECK(q.retained == G_CRISE && q.computed == G_ANOMALIE && q.override);
	/* the responder's own impact level raises the axis */
	CHECK(qualify(&q, NULL, "[impact]\nniveau = fort\n") == 0);
	CHECK(q.shown.impact == IMP_FORT && q.retained == G_MAJEUR && q.computed_rule == 2);
	/* a suspect privileged compromise: majeur, presumed; answering it
	 * away needs a note */
	CHECK(qualify(&q, old_adm, "") < 0);                          /* mesure1.a = non below 1.a suspected */
	CHECK(err_id() == E_REP_LOWER && strstr(err_msg(), "a.ini, line 2: mesure1.a = non"));
	static const char suspect[] =
		"[perimetre]\nadmin.note = x\n[mesure1]\na.note = le compte est celui de l'infogérant\n";
	CHECK(qualify(&q, old_adm, suspect) == 0);
	CHECK(q.act_ev[ACT_1A] == V_SUSPECTED && q.act[ACT_1A] == V_NOT_DETECTED && q.it[Q_P_ADMIN].lowered);
	CHECK(q.retained == G_ANOMALIE && q.computed_rule == 5);
	err_clear();
}

static void gravity_suspect(void)
{
	/* without the hand conclusions, on the evidence of a suspect GA */
	struct rep_findings fs = { 0 };
	struct rep_answers an = { 0 };
	struct rep_qual q;
	CHECK(rep_findings_parse(&fs, "findings/check-admins.json", old_adm, sizeof old_adm - 1) == 0);
	CHECK(rep_qualify(&fs, &an, &q) == 0);
	CHECK(q.retained == G_MAJEUR && q.computed_rule == 2 && q.presumed);
	CHECK(q.it[Q_P_ADMIN].src == SRC_AUTO && q.it[Q_P_ADMIN].v == 1 && q.it[Q_P_ADMIN].presumed);
	CHECK(strstr(q.it[Q_P_ADMIN].why, "ADM-004") != NULL);
	CHECK(q.it[Q_I_GA_SAIN].v == 1);                   /* sound_global_admin yes */
	CHECK(q.shown.perim == PER_ETENDU && q.shown.urg == URG_OUI && q.shown.menace == MEN_SERIEUSE);
	CHECK(q.ceil.g == G_CRISE && q.decide_crisis);
	/* admin = non without its note: refused, naming the line */
	CHECK(answers(&an, "[perimetre]\n\nadmin = non\n") == 0);
	CHECK(rep_qualify(&fs, &an, &q) < 0 && err_id() == E_REP_LOWER && strstr(err_msg(), "line 3"));
	rep_answers_free(&an);
	CHECK(answers(&an, "[perimetre]\nadmin = non\nadmin.note = compte de test\n") == 0);
	CHECK(rep_qualify(&fs, &an, &q) == 0);
	CHECK(q.it[Q_P_ADMIN].v == 0 && q.it[Q_P_ADMIN].lowered && q.retained == G_MINEUR && q.computed_rule == 3);
	rep_answers_free(&an);
	/* gravity below the computed one */
	CHECK(answers(&an, "[qualification]\ngravite = mineur\n") == 0);
	CHECK(rep_qualify(&fs, &an, &q) < 0 && err_id() == E_REP_GRAV_LOWER);
	rep_answers_free(&an);
	CHECK(answers(&an, "[qualification]\ngravite = mineur\njustification = test\n") == 0);
	CHECK(rep_qualify(&fs, &an, &q) == 0 && q.retained == G_MINEUR && q.computed == G_MAJEUR);
	rep_answers_free(&an);
	rep_findings_free(&fs);
	err_clear();
}

/* ---- the clock -------------------------------------------------------------------------------- */

static void clock72(void)
{
	struct cour_entry e[3] = {
		{ .seq = 1, .kind = COUR_TOOL, .event = 1000, .recorded = 1000, .what = (char *)"check-admins" },
		{ .seq = 2, .kind = COUR_NOTE, .event = 5000, .recorded = 9000, .what = (char *)"alerte" },
		{ .seq = 3, .kind = COUR_NOTE, .event = 7000, .recorded = 9500, .what = (char *)"suite" },
	};
	struct cour_log log = { .e = e, .n = 3 };
	struct rep_findings fs = { 0 };
	struct rep_answers an = { 0 };
	struct rep_qual q;
	struct rep_clock c;
	CHECK(rep_qualify(&fs, &an, &q) == 0);
	CHECK(rep_clock(&q, &an, &log, 5000 + 80 * 3600, &c) == 0);
	CHECK(c.applies && c.prenotify);                   /* perso unanswered = nsp */
	CHECK(c.discovered == 5000 && c.disc_src == TS_COURANTE && c.disc_line == 2);
	CHECK(c.t0 == 5000 && c.t0_presumed && c.deadline == 5000 + 72 * 3600 && c.left == -8 * 3600);
	CHECK(answers(&an, "[impact]\nperso = non\n[notification]\nconnaissance = 2026-03-01T10:00:00Z\n") == 0);
	CHECK(rep_qualify(&fs, &an, &q) == 0 && rep_clock(&q, &an, &log, 0, &c) == 0);
	CHECK(!c.applies && c.t0 == 1772359200 && !c.t0_presumed && c.t0_src == TS_ANSWER);
	rep_answers_free(&an);
}

/* ---- containment commands ------------------------------------------------------------------------ */

static void plan_quoting(void)
{
	struct buf b = { 0 };
	CHECK(rep_ps_quote(&b, "O'Brien \xE2\x80\x98x\xE2\x80\x99\n") == 0);
	CHECK_STR(b.p, "'O''Brien \xE2\x80\x98\xE2\x80\x98x\xE2\x80\x99\xE2\x80\x99 '");
	buf_free(&b);
	static const char doc[] = HEAD("check-mail")
		"\"findings\":[{\"id\":\"MAIL-009\",\"severity\":\"high\",\"status\":\"suspect\",\"fiche\":\"1.e\","
		"\"objects\":[\"x'; Remove-Item C:\\\\ -Recurse; '\"],\"evidence\":[],\"compromise\":true},"
		"{\"id\":\"ADM-004\",\"severity\":\"high\",\"status\":\"suspect\",\"fiche\":\"1.a\","
		"\"objects\":[\"not-a-guid') or true\"],\"evidence\":[],\"compromise\":true},"
		"{\"id\":\"ADM-006\",\"severity\":\"high\",\"status\":\"confirmed\",\"fiche\":\"1.a\","
		"\"objects\":[\"nomfa@contoso.com\"],\"evidence\":[]}],\"unknown\":[]}";
	struct rep_findings fs = { 0 };
	struct rep_answers an = { 0 };
	struct rep_qual q;
	struct rep_planv p;
	CHECK(rep_findings_parse(&fs, "findings/x.json", doc, sizeof doc - 1) == 0);
	CHECK(rep_qualify(&fs, &an, &q) == 0 && rep_plan(&fs, &q, &p) == 0);
	int transport = 0, role = 0, account = 0;
	for (size_t i = 0; i < p.n; i++) {
		const struct rep_step *s = &p.s[i];
		if (s->kind == PL_TRANSPORT) {
			transport = 1;
			CHECK(strstr(s->cmd, "Disable-TransportRule -Identity 'x''; Remove-Item C:\\ -Recurse; '''") != NULL);
		}
		if (s->kind == PL_ROLE) {
			role = 1;
			/* only a GUID goes into a double-quoted filter */
			CHECK(strstr(s->cmd, "principalId eq '<id>'") != NULL && !strstr(s->cmd, "or true\"") );
		}
		account |= s->kind == PL_ACCOUNT && s->obj && strstr(s->obj, "nomfa");
		CHECK(i == 0 || p.s[i - 1].kind <= s->kind);
	}
	CHECK(transport && role);
	CHECK(!account);                                    /* a posture finding cuts no account off */
	struct buf c = { 0 };
	CHECK(rep_plan_connect(&p, &c) == 0 && strstr(c.p, "Connect-ExchangeOnline") &&
	      strstr(c.p, "RoleManagement.ReadWrite.Directory") && strstr(c.p, "Policy.ReadWrite.SecurityDefaults"));
	buf_free(&c);
	rep_plan_free(&p);
	rep_findings_free(&fs);
}

int main(void)
{
	i18n_init("en");
	RUN(map_covers_rules);
	RUN(documents);
	RUN(parts);
	RUN(answers_file);
	RUN(gravity);
	RUN(gravity_suspect);
	RUN(clock72);
	RUN(plan_quoting);
	T_DONE();
}
