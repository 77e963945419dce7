/*
 * check-admins — fiche réflexe, Action 1.a (privileged accounts), the
 * guest part of 1.b and the tenant settings of 2.a. Collects into the case
 * folder, then analyses what was saved; --offline analyses a case folder
 * again. Logic: collect/ (what to fetch), model/ (parsing the evidence),
 * rules/ (the checks), render/ (the document). This file parses options
 * and glues them.
 */
static const char help_fr[] =
"usage : reflexe check-admins [options]\n"
"\n"
"Fiche réflexe, action 1.a : l'attaquant détient-il des droits\n"
"d'administration, et la victime administre-t-elle encore son tenant ?\n"
"Plus les invités (1.b) et les paramètres de sécurité du tenant (2.a).\n"
"\n"
"Examine : qui détient un rôle à privilèges (actif, éligible, via un\n"
"groupe, applications), au moins deux administrateurs globaux, MFA,\n"
"comptes synchronisés depuis l'AD, invités à privilèges, comptes créés ou\n"
"rôles attribués dans la fenêtre, connexions des administrateurs (pays,\n"
"adresses, rafales d'échecs, protocoles hérités, risque), utilisateurs et\n"
"détections à risque, informations de sécurité modifiées, paramètres des\n"
"invités, domaines fédérés, accès conditionnel, paramètres par défaut.\n"
"\n"
"  --baseline FICHIER     référentiel préparé à froid (kit/baseline-modele.ini) :\n"
"                         administrateurs, comptes d'urgence, applications,\n"
"                         pays et réseaux, domaines des invités\n"
"  --since 30d            fenêtre des journaux (j, h, m, ou une date ISO) ;\n"
"                         Microsoft en garde 7 jours (Entra ID Free) ou 30\n"
"                         (P1/P2) : au-delà, listé « sans réponse »\n"
"  --format text|json|md|csv\n"
"                         csv : tableau des connexions par administrateur\n"
"                         (adresses, pays, réussites, échecs) pour Excel,\n"
"                         trié par compte puis lieu\n"
"  --offline              réanalyser le dossier du cas, sans réseau\n"
"  --list-rules           la liste des contrôles (identifiants ADM-nnn)\n"
"  --make-baseline F      écrire un référentiel d'après le tenant tel qu'il est\n"
"                         (à relire : s'il est compromis, l'attaquant y figure)\n"
"\n"
"Le texte s'ouvre sur la réponse de la fiche : « Compromission de compte à\n"
"privilèges Microsoft 365 / Entra ID : confirmée | suspectée | non\n"
"détectée | indéterminée », ses raisons, et s'il reste un administrateur\n"
"global sain. Ce qui n'a pu être lu (licence P1/P2, permission, rôle) est\n"
"listé « sans réponse » avec ce qu'il faudrait : jamais compté comme sain.\n"
"Chaque preuve est vérifiée contre manifest.sha256 avant d'être lue : une\n"
"preuve modifiée, non listée, ou listée mais absente arrête l'analyse\n"
"(code 3) sur une ligne qui la nomme.\n"
"Une ligne résume l'exécution dans la main courante.\n"
"Codes de sortie : 0 rien d'au moins suspect, 1 constats suspects ou\n"
"confirmés, 2 usage, 3 exécution impossible.";

static const char help_en[] =
"usage: reflexe check-admins [options]\n"
"\n"
"Fiche réflexe, Action 1.a: does the attacker hold admin rights, and does\n"
"the victim still administer its own tenant? Plus guests (1.b) and the\n"
"tenant's security settings (2.a).\n"
"\n"
"Examines: who holds a privileged role (active, eligible, through a group,\n"
"applications), at least two global administrators, MFA, accounts synced\n"
"from AD, privileged guests, accounts created or roles granted within the\n"
"window, admin sign-ins (countries, addresses, bursts of failures, legacy\n"
"protocols, risk), risky users and detections, security info changed,\n"
"guest settings, federated domains, conditional access, security defaults.\n"
"\n"
"  --baseline FILE        baseline prepared in peacetime (kit/baseline-modele.ini):\n"
"                         admins, break-glass accounts, applications,\n"
"                         countries and networks, guest domains\n"
"  --since 30d            log window (d, h, m, or an ISO date); Microsoft\n"
"                         keeps 7 days (Entra ID Free) or 30 (P1/P2):\n"
"                         anything older is listed as unanswered\n"
"  --format text|json|md|csv\n"
"                         csv: per-admin sign-in table (addresses, countries,\n"
"                         successes, failures) for Excel, sorted by account\n"
"                         then location\n"
"  --offline              analyse the case folder again, no network\n"
"  --list-rules           the list of checks (ids ADM-nnn)\n"
"  --make-baseline F      write a baseline from the tenant as it is now\n"
"                         (review it: if compromised, the attacker is in it)\n"
"\n"
"The text opens with the fiche's answer: \"Microsoft 365 / Entra ID\n"
"privileged account compromise: confirmed | suspected | not detected |\n"
"undetermined\", its reasons, and whether a sound global administrator is\n"
"left. What could not be read (P1/P2 licence, permission, role) is listed\n"
"as unanswered with what it needs: never counted as clean.\n"
"Every evidence file is checked against manifest.sha256 before it is read:\n"
"one altered, not listed, or listed but gone stops the analysis (exit 3)\n"
"with a line naming it.\n"
"One line sums the run up in the logbook (main courante).\n"
"Exit: 0 nothing at or above suspect, 1 suspect or confirmed findings,\n"
"2 usage, 3 could not complete.";

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "applets/applets.h"
#include "baseline/baseline.h"
#include "case/case.h"
#include "collect/collect.h"
#include "courante/courante.h"
#include "model/model.h"
#include "render/render.h"
#include "rules/rules.h"

enum { O_LIST = 1, O_MAKE_BL };

static const struct opt_spec own[] = {
	{ "list-rules", 0, OPT_NOARG, O_LIST },
	{ "make-baseline", 0, OPT_ARG, O_MAKE_BL },
	{ NULL, 0, 0, 0 },
};

static const struct applet_help help = { { help_fr, help_en } };

struct ctx {
	int list;
	const char *make_bl;
};

static int on_opt(void *p, int id, const char *arg)
{
	struct ctx *x = p;
	if (id == O_LIST)
		x->list = 1;
	else if (id == O_MAKE_BL)
		x->make_bl = arg;
	return 0;
}

static int emit(const struct buf *b)
{
	if ((b->len && fwrite(b->p, 1, b->len, stdout) != b->len) || fflush(stdout) != 0) {
		err_set(E_FILE_WRITE, "stdout", file_strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}

/* --since: "30d", "12h", "45m" back from the case's time, or an ISO date. */
static int parse_since(const char *s, int64_t *abs, int64_t *dur)
{
	*abs = *dur = 0;
	if (!s)
		return 0;
	char *end;
	errno = 0;
	long long n = strtoll(s, &end, 10);
	if (end != s && !errno && n > 0 && n <= 3650 && end[0] && !end[1] &&
	    strchr("dhm", end[0])) {
		*dur = n * (end[0] == 'd' ? 86400 : end[0] == 'h' ? 3600 : 60);
		return 0;
	}
	int off, has;
	if (tm_parse_iso(s, abs, &off, &has) == 0)
		return 0;
	return err_set(E_ADM_SINCE, s);
}

/* The baseline --make-baseline writes: the tenant as it is now. */
static int make_baseline(const struct mdl_admins *m, const char *path)
{
	struct bl b = { 0 };
	struct buf out = { 0 }, roles = { 0 };
	int rc = 0;
	if (file_exists(path))
		return err_set(E_ADM_BL_EXISTS, path);
	b.present = 1;
	/* [tenant]: the directory's id and its initial domain, so that a
	 * baseline passed with the wrong case is caught (bl_other_tenant). */
	const char *tid = m->tenant_id[0] ? m->tenant_id : m->tenant;
	if (strlen(tid) < sizeof b.tenant_id)
		memcpy(b.tenant_id, tid, strlen(tid) + 1);
	if (m->tenant_id[0] && strchr(m->tenant, '.') && strlen(m->tenant) < sizeof b.tenant_domain)
		memcpy(b.tenant_domain, m->tenant, strlen(m->tenant) + 1);
	for (size_t k = 0; k < m->n_pr && rc == 0; k++) {
		const struct mdl_principal *p = &m->pr[k];
		if (!p->ng)
			continue;
		buf_reset(&roles);
		if (p->name && buf_printf(&roles, "%s — ", p->name) < 0)
			rc = -1;
		if (rc == 0 && mdl_roles_text(m, k, &roles) < 0)
			rc = -1;
		if (rc == 0)
			rc = p->type == PT_SP ? bl_add(&b.sps, p->app_id ? p->app_id : p->id, roles.p) :
			     p->type == PT_GROUP ? bl_add(&b.admins, p->id, roles.p) :
			     p->type == PT_USER ? bl_add(&b.admins, p->upn ? p->upn : p->id, roles.p) : 0;
	}
	/* Countries admins signed in from successfully within the window. */
	for (size_t i = 0; i < m->n_si && rc == 0; i++) {
		const struct mdl_signin *s = &m->si[i];
		if (s->error || !s->country || s->who == MDL_NONE || !m->pr[s->who].ng ||
		    bl_in(&b.countries, s->country) || strlen(s->country) != 2)
			continue;
		rc = bl_add(&b.countries, s->country, NULL);
	}
	for (size_t k = 0; k < m->n_pr && rc == 0; k++) {
		const struct mdl_principal *p = &m->pr[k];
		const char *at = p->listed_guest && p->mail ? strrchr(p->mail, '@') : NULL;
		if (at && at[1] && !bl_in(&b.guest_domains, at + 1))
			rc = bl_add(&b.guest_domains, at + 1, NULL);
	}
	for (size_t k = 0; k < m->n_dom && rc == 0; k++)
		if (m->dom[k].federated)
			rc = bl_add(&b.fed_domains, m->dom[k].id, m->dom[k].issuer);
	char when[32], head[128];
	tm_utc_iso(m->now, when, sizeof when);
	snprintf(head, sizeof head, "check-admins --make-baseline, %s", when);
	if (rc == 0)
		rc = bl_format(&b, head, &out);
	if (rc == 0)
		rc = file_write_atomic(path, out.p, out.len);
	buf_free(&out);
	buf_free(&roles);
	bl_free(&b);
	return rc;
}

/* 1 when the baseline's [tenant] names a tenant this case is not: its id
 * and domain match none of the case's (case.ini tenant_id and domains,
 * the record's tenant, the domains read). A kit holds the baselines of
 * several customers; the wrong one would turn every admin into a finding,
 * or pass another tenant's networks as known. Nothing to compare (no
 * [tenant], or a case that does not say who it is): 0. */
static int same_name(const char *a, const char *b)
{
	return a && b && *a && *b && !strcasecmp(a, b);
}

static int bl_other_tenant(const struct bl *b, const struct mdl_admins *m)
{
	const char *want[2] = { b->tenant_id, b->tenant_domain };
	int known = 0;
	for (int w = 0; w < 2; w++) {
		if (!want[w][0])
			continue;
		if (same_name(want[w], m->tenant_id) || same_name(want[w], m->tenant))
			return 0;
		for (size_t k = 0; k < m->n_dom; k++)
			if (same_name(want[w], m->dom[k].id))
				return 0;
		/* case.ini "domains": space-separated */
		size_t n = strlen(want[w]);
		for (const char *p = m->tenant_domains; (p = strcasestr(p, want[w])); p += n)
			if ((p == m->tenant_domains || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
				return 0;
	}
	known = m->tenant_id[0] || m->tenant[0] || m->n_dom || m->tenant_domains[0];
	return known && (want[0][0] || want[1][0]);
}

/* The logbook line: what ran, the answer, the accounts named. */
static void log_summary(const char *case_dir, const char *who, const struct rule_verdict *v,
			const struct findings *fs, int offline)
{
	struct buf t = { 0 };
	const char *targets[COUR_MAX_TARGETS];
	size_t nt = 0, nsus = 0;
	for (size_t i = 0; i < fs->n; i++)
		nsus += fs->f[i].status >= ST_SUSPECT && fs->f[i].sev > SEV_INFO;
	if (buf_printf(&t, tr(M_ADM_LOG), offline ? " --offline" : "", tr(v->subject),
		       render_verdict_word(v->v), nsus, fs->nu) < 0) {
		buf_free(&t);
		return;
	}
	for (size_t i = 0; i < v->nreasons && nt < COUR_MAX_TARGETS; i++)
		for (size_t o = 0; o < v->reasons[i]->nobj && nt < COUR_MAX_TARGETS; o++) {
			const char *s = v->reasons[i]->obj[o];
			int dup = strlen(s) >= COUR_MAX_FIELD;
			for (size_t k = 0; k < nt && !dup; k++)
				dup = !strcmp(targets[k], s);
			if (!dup)
				targets[nt++] = s;
		}
	if (cour_log_tool(case_dir, who, "check-admins", t.p, targets, nt) < 0) {
		/* The analysis stands; the logbook could not take the line
		 * (read-only copy of a case…): say so, do not fail. */
		fprintf(stderr, "reflexe: %s: %s\n", tr(M_ADM_LOG_FAILED), err_msg());
		err_clear();
	}
	buf_free(&t);
}

/* A run that could not complete is an action too: the logbook says so,
 * with the reason, when there is a case folder to hold it. */
static void log_incomplete(const char *case_dir, const char *who, int offline)
{
	if (!file_exists(case_dir))
		return;
	char why[1024];
	enum msg_id id = err_id();
	snprintf(why, sizeof why, "%s", err_msg());
	struct buf t = { 0 };
	if (buf_printf(&t, tr(M_ADM_LOG_INCOMPLETE), offline ? " --offline" : "", why) == 0 &&
	    cour_log_tool(case_dir, who, "check-admins", t.p, NULL, 0) < 0)
		fprintf(stderr, "reflexe: %s: %s\n", tr(M_ADM_LOG_FAILED), err_msg());
	buf_free(&t);
	err_restore(id, why);
}

int applet_check_admins(int argc, char **argv)
{
	struct ctx x = { 0 };
	struct common c;
	char **pos = calloc((size_t)argc + 1, sizeof *pos);
	int npos = 0;
	if (!pos) {
		err_set(E_NOMEM);
		return EXIT_FAIL;
	}
	int rc = common_parse(argc, argv, own, on_opt, &x, &c, pos, &npos, &help);
	free(pos);
	if (rc)
		return rc;
	if (c.help)
		return EXIT_CLEAN;
	if (npos > 1) {
		err_set(E_ADM_ARGS, argv[1]);
		return EXIT_USAGE;
	}
	if (strcmp(c.format, "text") && strcmp(c.format, "json") && strcmp(c.format, "md") &&
	    strcmp(c.format, "csv")) {
		err_set(E_ADM_FORMAT, c.format);
		return EXIT_USAGE;
	}
	struct mdl_admins m;
	struct rule_source src[ADM_NSRC];
	if (x.list) {
		struct buf b = { 0 };
		mdl_admins_init(&m);
		adm_sources(&m, src, ADM_NSRC);
		rc = render_rules(adm_rules, adm_nrules, src, ADM_NSRC, &b) < 0 || emit(&b) < 0 ? EXIT_FAIL : 0;
		buf_free(&b);
		return rc;
	}
	int64_t since_abs, since_dur;
	if (parse_since(c.since, &since_abs, &since_dur) < 0)
		return EXIT_USAGE;
	struct bl bl = { 0 };
	if (c.baseline && bl_load(c.baseline, &bl) < 0)
		return EXIT_USAGE;

	/* --case, REFLEXE_CASE, the only ./case-* here; live, else a new
	 * ./case-<tenant>-<date>. */
	char case_dir[4096];
	if (cour_case_dir(c.case_dir, case_dir, sizeof case_dir) < 0) {
		const char *t = c.tenant ? c.tenant : getenv("AZURE_TENANT_ID");
		if (c.offline || !t || !*t) {
			bl_free(&bl);
			return EXIT_USAGE;
		}
		err_clear();
		if (case_default_dir(t, tm_now(), case_dir, sizeof case_dir) < 0) {
			bl_free(&bl);
			return EXIT_USAGE;
		}
	}
	if (!c.offline && collect_admins(case_dir, &c, since_abs, since_dur) < 0) {
		log_incomplete(case_dir, c.who, c.offline);
		bl_free(&bl);
		return EXIT_FAIL;
	}
	if (mdl_admins_load(case_dir, since_abs, since_dur, &m) < 0) {
		log_incomplete(case_dir, c.who, c.offline);
		bl_free(&bl);
		mdl_admins_free(&m);
		return EXIT_FAIL;
	}
	if (x.make_bl) {
		rc = make_baseline(&m, x.make_bl) < 0 ? EXIT_FAIL : EXIT_CLEAN;
		if (rc == EXIT_CLEAN && !c.quiet)
			fprintf(stderr, "reflexe: %s\n", tr(M_ADM_BL_WRITTEN));
		if (rc == EXIT_CLEAN && !c.quiet)
			fprintf(stderr, "  %s\n", x.make_bl);
		mdl_admins_free(&m);
		bl_free(&bl);
		return rc;
	}

	if (bl.present && bl_other_tenant(&bl, &m)) {
		err_set(E_ADM_BL_TENANT, c.baseline, bl.tenant_id[0] ? bl.tenant_id : bl.tenant_domain,
			m.tenant_id[0] ? m.tenant_id : m.tenant[0] ? m.tenant : "?");
		mdl_admins_free(&m);
		bl_free(&bl);
		return EXIT_USAGE;
	}
	adm_sources(&m, src, ADM_NSRC);
	struct rule_ctx rc_ = { &m, &bl, src, ADM_NSRC, m.now, m.since };
	struct findings fs = { 0 };
	struct rule_verdict v = { 0 };
	struct buf out = { 0 };
	rc = EXIT_FAIL;
	if (rule_run(adm_rules, adm_nrules, &rc_, &fs) < 0 || adm_verdict(&rc_, &fs, &v) < 0)
		goto done;
	/* "generated": when this document was made (an --offline run a week
	 * later says so); the window's end stays the collection's time. */
	struct render_doc d = { "check-admins", m.tenant, case_dir, tm_now(), m.since, m.now, &fs, &v };
	int r;
	if (!strcmp(c.format, "csv")) {
		struct rule_table t;
		if (!src[ADM_SRC_SIGNINS].ok) {
			err_set(E_ADM_NO_SIGNINS, src[ADM_SRC_SIGNINS].needs);
			goto done;
		}
		r = adm_signin_table(&rc_, &t);
		if (r == 0)
			r = render_csv(&t, &out);
		/* A table of 7 days (Entra ID Free) must not pass for 30. */
		if (r == 0 && m.src[ADM_SRC_SIGNINS].since > m.since && !c.quiet) {
			char from[32];
			tm_utc_iso(m.src[ADM_SRC_SIGNINS].since, from, sizeof from);
			fprintf(stderr, "reflexe: ");
			fprintf(stderr, tr(M_ADM_CSV_PARTIAL), from);
			fputc('\n', stderr);
		}
		rule_table_free(&t);
	} else if (!strcmp(c.format, "json")) {
		r = render_json(&d, &out);
	} else if (!strcmp(c.format, "md")) {
		r = render_md(&d, &out);
	} else {
		r = render_text(&d, &out);
	}
	if (r < 0 || emit(&out) < 0)
		goto done;
	/* Live, the findings join the evidence (DESIGN.md: findings/<applet>.json);
	 * --offline writes no evidence into a case it only reads. */
	if (!c.offline) {
		buf_reset(&out);
		if (render_json(&d, &out) < 0 ||
		    collect_save(case_dir, &c, "findings/check-admins.json", &out) < 0)
			goto done;
	}
	log_summary(case_dir, c.who, &v, &fs, c.offline);
	/* Findings first; with none, a question the evidence cannot answer
	 * (role holders unreadable…) is a run that could not complete. */
	rc = rule_exit_status(&fs);
	if (rc == EXIT_CLEAN && v.v == VERDICT_UNDETERMINED)
		rc = EXIT_FAIL;
done:
	buf_free(&out);
	rule_verdict_free(&v);
	findings_free(&fs);
	mdl_admins_free(&m);
	bl_free(&bl);
	return rc;
}
