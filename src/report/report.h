/*
 * report/ — qualification (DESIGN.md): the findings of every check, the
 * responder's answers and the logbook give the fiche's Mesures 2, 3 and
 * 4, the gravity, the 72-hour clock, and the qualification report.
 * Offline only: it reads a case folder, it never uses the network, and
 * the containment it proposes is printed, never run. Prefix: rep_.
 *
 *   map.c       rule id -> signals and containment kinds (one row per
 *               rule: adding a rule to a check is adding a row here);
 *               which check answers which action of the fiche
 *   findings.c  reading findings/<applet>.json, checked against the
 *               manifest before it is parsed
 *   answers.c   the questionnaire (answers.ini): items, values, checks
 *   qual.c      proposals from the evidence, the three axes, the menace,
 *               the gravity with its floor and ceiling
 *   clock.c     the 72-hour clock (GDPR Art. 33, fiche « Déclarations »)
 *   plan.c      the containment plan (« suite des actions »)
 *   build.c     a case folder -> struct rep: evidence checked, logbook,
 *               seal
 *   doc.c       the report's sections, written once for every format
 *   out_html.c, out_md.c, out_text.c, out_json.c   the formats
 *
 * Source of every rule: shared/specs/report-qualify.md (PROPOSAL parts
 * improved where this file says why), the fiche being the authority.
 */
#ifndef REFLEXE_REPORT_H
#define REFLEXE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "model/model.h"

struct case_dir;
struct cour_log;

/* ---- the fiche's actions and the checks (map.c) ----------------------------- */
enum rep_act { ACT_1A, ACT_1B, ACT_1C, ACT_1D, ACT_1E, ACT__N };
#define ACT_BIT(a) (1u << (a))
const char *rep_act_code(enum rep_act a);          /* "1.a" */
int rep_act_parse(const char *s, unsigned *bits);  /* "1.a 1.b", "1.a,2.a": 0 / -1 */

/* The checks whose findings the report reads; core ones keep the gravity
 * from « anomalie courante » when not run (« correctement qualifiée »). */
enum rep_chk { CHK_ADMINS, CHK_MAIL, CHK_APPS, CHK__N };
struct rep_chk_def {
	const char *applet;       /* "check-admins" */
	unsigned acts;            /* actions its verdict answers by default */
};
extern const struct rep_chk_def rep_chks[CHK__N];

/* Signals the evidence gives (spec §1.1). */
enum rep_sig {
	SIG_PRIV_COMPROMISE, SIG_NO_SOUND_GA, SIG_PRIV_APP, SIG_SECCONF, SIG_FEDERATION,
	SIG_SYNCED_ADMIN, SIG_INTUNE_ADMIN, SIG_NEW_ACCOUNTS, SIG_MAILBOX, SIG_EXFIL,
	SIG_RELAY, SIG_INTEGRITY, SIG__N
};
#define SIG_BIT(s) (1u << (s))
const char *rep_sig_name(enum rep_sig s);          /* "priv_compromise" */

/* Containment kinds (plan.c), in the plan's order of phases. */
enum rep_plan {
	PL_GA_ADD, PL_ACCOUNT, PL_SYNCED, PL_ROLE, PL_APP_DISABLE, PL_APP_CRED, PL_APP_CONSENT,
	PL_APP_GRANT, PL_APP_OWNER, PL_MAIL_FWD, PL_MAIL_RULE, PL_MAIL_DELEG, PL_MAIL_HIDDEN,
	PL_TRANSPORT, PL_REMOTEDOMAIN, PL_OWA, PL_SPAM, PL_SHARED, PL_FEDERATION, PL_CA, PL_MFA,
	PL_LEGACY, PL_GUESTS, PL_AUDIT, PL__N
};
#define PL_BIT(p) (1u << (p))

enum {
	MAP_COMPROMISE = 1,   /* a trace of the attacker by default (documents
	                         older than the per-finding "compromise") */
	MAP_POSTURE = 2,      /* an enabling weakness: the review's « échecs
	                         techniques » */
	MAP_PROVISIONAL = 4,  /* id agreed ahead of its check (check-mail,
	                         check-apps): that check's author confirms it */
};

struct rep_map {
	const char *id;       /* "ADM-004" */
	uint32_t sig;         /* signals of a finding at or above suspect,
	                         severity above info */
	uint32_t sig_high;    /* more, at severity high or critical only */
	uint32_t plan;        /* PL_BIT()s */
	unsigned flags;
};
extern const struct rep_map rep_map[];
extern const size_t rep_nmap;
const struct rep_map *rep_map_find(const char *id);

/* ---- findings documents (findings.c) ------------------------------------------- */
#define REP_MAX_DOC       (64u * 1024 * 1024)
#define REP_MAX_FINDINGS  200000
#define REP_MAX_STR       16384     /* one text field */
#define REP_MAX_DOCS      64

enum rep_verdict { V_NOT_RUN = 0, V_NOT_DETECTED, V_SUSPECTED, V_CONFIRMED, V_UNDETERMINED };
const char *rep_verdict_name(enum rep_verdict v);  /* JSON: "not_run"… */
const char *rep_verdict_word(enum rep_verdict v);  /* « non évaluée »… */

struct rep_finding {
	const char *applet;
	const char *id, *fiche, *step[2];
	const char *title[2], *detail[2];   /* [LANG_FR], [LANG_EN] */
	int sev;                /* 0 info … 4 critical */
	int st;                 /* 0 clear, 1 suspect, 2 confirmed */
	int compromise;         /* the document's flag, else the map's */
	int64_t at;             /* when it happened; 0 when not given */
	const char **obj;
	size_t nobj;
	const char **ev;
	size_t nev;
	const struct rep_map *map;   /* NULL: an id no row maps */
};

struct rep_unknown {
	const char *applet, *check, *needs;
	const char *reason[2];
};

struct rep_doc {
	const char *applet, *rel;
	char sha[65];
	const char *tenant;
	int64_t generated, since, until;
	enum rep_verdict verdict;
	unsigned acts;                  /* actions the verdict answers */
	const char *sound_ga;           /* "yes", "no", "unknown", NULL */
	const char *sound_text;         /* its line, in the run's language */
	const char *vtext[2], *why[2];
};

struct rep_findings {
	struct mdl_arena ar;
	struct rep_doc *d;
	size_t nd, cap_d;
	struct rep_finding *f;
	size_t nf, cap_f;
	struct rep_unknown *u;
	size_t nu, cap_u;
};
/* Every findings/<applet>.json the manifest lists, each read once and
 * checked (mdl_evidence_read) before it is parsed: MDL_REFUSED when one
 * was altered, -1 (err set, naming it) when one is not a findings
 * document. Documents older than CONTRACT.md's fields are read too. */
int rep_findings_read(struct case_dir *cs, struct rep_findings *out);
/* One document's text (rel: its case-relative path). */
int rep_findings_parse(struct rep_findings *out, const char *rel, const char *text, size_t n);
void rep_findings_free(struct rep_findings *fs);
const struct rep_doc *rep_doc_of(const struct rep_findings *fs, const char *applet);
/* 1 when a finding counts: at or above suspect, severity above info. */
int rep_finding_counts(const struct rep_finding *f);

/* ---- answers.ini (answers.c) ---------------------------------------------------- */
enum rep_vt {
	VT_YN,        /* oui | non | nsp (yes, no, unknown, je ne sais pas) */
	VT_LIST,      /* a;b;c | aucune (none) | nsp */
	VT_FUITE,     /* non | suspectee | confirmee | nsp */
	VT_NIVEAU,    /* faible | modere | fort | nsp */
	VT_GRAVITE,   /* anomalie | mineur | majeur | crise */
	VT_ORG,       /* entreprise | administration | oiv | ose | classifie | nsp */
	VT_DECL,      /* fait | a-faire | non-applicable | nsp [date] */
	VT_TIME,      /* "2026-11-22 09:40 +01:00" or ISO 8601 */
	VT_TEXT,      /* free text */
};

enum rep_blkid { BLK_CONTEXTE, BLK_MESURE1, BLK_PERIMETRE, BLK_IMPACT, BLK_URGENCE,
		 BLK_QUALIF, BLK_NOTIF, BLK_DECL, BLK_RETEX, BLK__N };

/* The questionnaire, one row per item (answers.c); the enum names the
 * rows so that the rules read like the spec. */
enum rep_q {
	Q_CTX_AIDE, Q_CTX_ORG, Q_CTX_ACTIONS,
	Q_M1_A, Q_M1_B, Q_M1_C, Q_M1_D, Q_M1_E, Q_M1_HIBP, Q_M1_TEAMS, Q_M1_ANON,
	Q_P_ADMIN, Q_P_APP, Q_P_SI_LOCAL, Q_P_MACHINES, Q_P_VIP, Q_P_FEDERATION, Q_P_CONFIG,
	Q_P_SERVICE, Q_P_EXTERNE, Q_P_AD, Q_P_PERIPH, Q_P_EQUIP, Q_P_INTERCO, Q_P_CIRCONSCRIT,
	Q_P_AIDE,
	Q_I_ENTRA, Q_I_EXCHANGE, Q_I_TEAMS, Q_I_FUITE, Q_I_PERSO, Q_I_DEPENDANCE, Q_I_GA_SAIN,
	Q_I_ALTEREES, Q_I_RANCON, Q_I_EXFIL, Q_I_INTEGRITE, Q_I_SAUV_CONFIG, Q_I_SAUV_DONNEES,
	Q_I_ACTIVITES, Q_I_CHAINES, Q_I_COMP_RECON, Q_I_COMP_MAINT, Q_I_NIVEAU,
	Q_U_ARRET, Q_U_DEGRADEES, Q_U_DONNEES, Q_U_URGENT,
	Q_Q_TYPE, Q_Q_GRAVITE, Q_Q_JUSTIF,
	Q_N_DECOUVERTE, Q_N_CONNAISSANCE, Q_N_NATURE, Q_N_CAT_PERS, Q_N_NB_PERS, Q_N_CAT_DON,
	Q_N_NB_ENR, Q_N_DUREE, Q_N_DPO, Q_N_CONSEQ, Q_N_MESURES, Q_N_SUITE, Q_N_RETARD,
	Q_D_ASSUREUR, Q_D_ANSSI, Q_D_PLAINTE, Q_D_CNIL, Q_D_AUTRES, Q_D_MICROSOFT,
	Q_R_CAUSE, Q_R_TECH, Q_R_PROC, Q_R_ERREURS, Q_R_PROCESS, Q_R_COMM, Q_R_VECTEURS,
	Q__N
};

enum {
	QF_GOOD_OUI = 1,      /* "oui" is the reassuring answer (services up,
	                         a sound GA, backups, skills, confined) */
	QF_ASK = 2,           /* qualify asks it (others: file only) */
};

struct rep_qdef {             /* small types: 77 rows in the binary */
	const char *sect, *key;
	const char *fiche;    /* where the fiche asks it: "2.a", "3.b"… */
	unsigned short q;     /* enum msg_id: the question, in the fiche's words */
	unsigned char vt;     /* enum rep_vt */
	unsigned char blk;    /* enum rep_blkid */
	unsigned char flags;
};
extern const struct rep_qdef rep_qdefs[Q__N];

/* Values: NSP for "je ne sais pas répondre", then per type:
 * VT_YN 0 non / 1 oui; VT_LIST 0 aucune / 1 some (text keeps them);
 * VT_FUITE 0 non / 1 suspectée / 2 confirmée; VT_NIVEAU 0 faible /
 * 1 modéré / 2 fort; VT_GRAVITE enum rep_grav; VT_ORG index; VT_DECL
 * 0 non applicable / 1 à faire / 2 fait; VT_TIME / VT_TEXT 1 given. */
#define NSP (-1)
enum rep_grav { G_INDET = -1, G_ANOMALIE = 0, G_MINEUR, G_MAJEUR, G_CRISE };

struct rep_ans {
	int set;              /* given (file or prompt) */
	int v;
	const char *text;     /* as written (lists, texts, times, dates) */
	const char *note;     /* key.note */
	int line;             /* its line in the file, 0 otherwise */
	int64_t t;            /* VT_TIME */
};

struct rep_answers {
	struct ini ini;
	struct mdl_arena ar;
	struct rep_ans a[Q__N];
	char name[256];
};
/* Parses answers.ini: an unknown section, key or value is an error
 * naming the file and line (EXIT_USAGE for the caller); a key given
 * twice too. Empty values count as not answered. */
int rep_answers_parse(struct rep_answers *out, const char *text, size_t n, const char *name);
int rep_answers_load(struct rep_answers *out, const char *path);
void rep_answers_free(struct rep_answers *a);
/* Parses one value for item q (a prompt's answer); -1 (err set) if bad. */
int rep_answer_set(struct rep_answers *a, enum rep_q q, const char *value);
int rep_answer_note(struct rep_answers *a, enum rep_q q, const char *note);
/* answers.ini as qualify saves it: every item given, in questionnaire
 * order, each preceded by its question as a comment. */
int rep_answers_format(const struct rep_answers *a, struct buf *out);
/* "oui", "nsp", "suspectée"… in the user's language. */
const char *rep_value_word(enum rep_q q, int v);
/* The item's value as written in answers.ini ("oui", "aucune", …). */
const char *rep_value_key(enum rep_q q, int v);
enum rep_q rep_q_find(const char *sect, const char *key);   /* Q__N if none */
/* The blank questionnaire: every item under its section, its question
 * and the values it takes as comments, "key =" empty (the kit's
 * reponses-modele.ini is this, so that it cannot drift). */
int rep_questions(struct buf *b);

/* ---- qualification (qual.c) -------------------------------------------------------- */
enum rep_src { SRC_NONE = 0, SRC_AUTO, SRC_ANSWER };

struct rep_item {
	int v;                 /* retained: the answer, else the proposal, else NSP */
	int auto_v;            /* the proposal, NSP when none */
	int has_auto;
	int presumed;          /* the proposal rests on suspect findings only */
	enum rep_src src;
	int lowered;           /* answered below the proposal, with a note */
	char why[160];         /* finding ids behind the proposal */
};

enum rep_perim { PER_IND = -1, PER_CIRC = 0, PER_ETENDU = 1 };
enum rep_impact { IMP_IND = -1, IMP_FAIBLE = 0, IMP_MODERE, IMP_FORT };
enum rep_urg { URG_IND = -1, URG_NON = 0, URG_OUI = 1 };
enum rep_menace { MEN_INCONNUE = -1, MEN_NULLE = 0, MEN_LIMITEE, MEN_SERIEUSE };

struct rep_world {             /* one evaluation of the table */
	int perim, impact, urg, menace;
	enum rep_grav g;
	int rule;                  /* 1..6: G1..G6 */
};

struct rep_qual {
	enum rep_verdict act_ev[ACT__N];  /* each action from the evidence */
	enum rep_verdict act[ACT__N];     /* after the responder's answers */
	int chk_run[CHK__N];              /* its findings document is there */
	uint32_t sig;
	char sig_ids[SIG__N][160];        /* finding ids behind each signal */
	int sig_suspect_only[SIG__N];     /* no confirmed finding behind it */
	struct rep_item it[Q__N];
	struct rep_world shown;           /* three-valued, as the answers stand */
	struct rep_world floor, ceil;     /* every nsp at its mildest / worst */
	enum rep_grav computed;           /* the table's retained value */
	int computed_rule;
	enum rep_grav retained;           /* after an override */
	int override;                     /* qualification.gravite given */
	int presumed;                     /* the floor rests on a suspicion */
	int decide_crisis;                /* floor majeur, ceiling crise */
	enum rep_q deciding[Q__N];        /* nsp items that move the floor */
	size_t ndeciding;
	int help_needed;                  /* comp_* = non: « demander de l'aide » */
};
/* Proposals, axes and gravity. -1 with err set (EXIT_USAGE for the
 * caller) when an answer lowers a proposal resting on findings without
 * its key.note, or the gravity below the computed one without a
 * justification: each names the item and its line. */
int rep_qualify(const struct rep_findings *fs, const struct rep_answers *an, struct rep_qual *q);
const char *rep_grav_word(enum rep_grav g);    /* « incident majeur »… */
/* An axis's value in words: axis 0 périmètre, 1 impact, 2 urgence,
 * 3 menace; v as in struct rep_world. */
const char *rep_axis_word(int axis, int v);
const char *rep_grav_key(enum rep_grav g);     /* "majeur"… (JSON) */

/* ---- the 72-hour clock (clock.c) ------------------------------------------------- */
enum rep_tsrc { TS_NONE = 0, TS_ANSWER, TS_COURANTE };
struct rep_clock {
	int applies;              /* personal data may be involved */
	int prenotify;            /* perso nsp: pré-déclaration conseillée */
	int64_t discovered;       /* 0: unknown */
	enum rep_tsrc disc_src;
	long long disc_line;      /* its courante line */
	int64_t t0;               /* awareness; 0: unknown */
	enum rep_tsrc t0_src;
	int t0_presumed;          /* from the discovery, for the DPO to confirm */
	int64_t deadline;         /* t0 + 72 h */
	int64_t left;             /* seconds; negative: overdue */
	int64_t declared;         /* the courante line recording the gravity */
	int has_skew;
	int64_t skew;
};
int rep_clock(const struct rep_qual *q, const struct rep_answers *an, const struct cour_log *log,
	      int64_t now, struct rep_clock *c);

/* ---- containment (plan.c) ------------------------------------------------------------ */
struct rep_step {
	enum rep_plan kind;
	const char *id;           /* the finding that asks for it */
	const char *obj;          /* its objects, joined */
	char *cmd;                /* PowerShell / console, one per line */
	size_t seq;
};
struct rep_planv {
	struct rep_step *s;
	size_t n, cap;
};
int rep_plan(const struct rep_findings *fs, const struct rep_qual *q, struct rep_planv *p);
void rep_plan_free(struct rep_planv *p);
/* Connect-MgGraph with the scopes the plan's commands need (and
 * Connect-ExchangeOnline when it has mailbox commands). */
int rep_plan_connect(const struct rep_planv *p, struct buf *b);
enum msg_id rep_plan_title(enum rep_plan k);
/* Single-quoted for PowerShell: ' doubled (about_Quoting_Rules). */
int rep_ps_quote(struct buf *b, const char *s);

/* ---- the whole report (build.c) ------------------------------------------------------ */
struct rep_seal {
	char manifest_sha[65];    /* of manifest.sha256 as the report read it */
	char seal_rel[128];       /* report/seal-<UTC>.sha256 when saved */
	char answers_sha[65];     /* of answers.ini, "" when none */
	char head[65];            /* logbook head hash */
	long long lines;
};

struct rep {
	char case_dir[4096];
	const char *case_name;
	char tenant[256], case_id[40];
	int64_t now;
	int has_skew;
	int64_t skew;
	struct rep_findings fs;
	struct rep_answers an;
	int has_answers;
	struct rep_qual q;
	struct rep_clock clock;
	struct rep_planv plan;
	struct cour_log *log;
	int log_exists;
	int demo;                 /* the logbook marks it « DÉMO » */
	int64_t box_origin;       /* qualify's start, 0 when not qualified */
	int box_min;              /* its time box, minutes */
	int final;                /* --final: not « PROVISOIRE » */
	struct rep_seal seal;
};
/* Reads the case: every evidence file checked against the manifest
 * (MDL_REFUSED naming the first that is not what was collected), the
 * findings, the logbook (a broken chain is kept and shown), answers
 * (answers_path, else the case's answers.ini, else none): EXIT_FAIL,
 * EXIT_USAGE (bad answers) or 0. */
int rep_build(const char *case_dir, const char *answers_path, int64_t now, struct rep *r);
void rep_free(struct rep *r);
/* After the answers changed (qualify): qualification, clock and plan
 * again. -1 (err set) as rep_qualify. */
int rep_requalify(struct rep *r);
/* The qualification's start line in the logbook (qualify writes it):
 * its event time and time box (minutes); 0 when there is none. */
int rep_timebox(const struct cour_log *log, int64_t *origin, int *minutes, long long *line);
/* Saves the seal (report/seal-<UTC>.sha256, a copy of the manifest) and
 * writes the courante line « rapport ; gravité … ; sceau … » as who;
 * then reads the head hash back into r->seal. */
int rep_seal_save(struct rep *r, const char *who);
/* report.html, report.md and report.json into the case (listed). */
int rep_save_outputs(const struct rep *r);
/* Whether a logbook text starts as catalogue message id does (before its
 * first conversion), in either language. */
int rep_line_is(const char *text, enum msg_id id);

/* ---- the report as sections (doc.c, sections.c), for md, html, text ----
 * The content is written once, as sections of blocks of plain UTF-8
 * text; each format escapes and lays it out. */
enum rep_blk { RB_P, RB_KV, RB_TABLE, RB_LIST, RB_CODE, RB_ALERT, RB_QUOTE };
struct rep_block {
	enum rep_blk kind;
	size_t ncol;              /* RB_TABLE (first row: header), RB_KV: 2 */
	const char **cell;        /* row-major; RB_P/LIST/CODE/ALERT: ncol 1 */
	size_t n, cap;
};
struct rep_sec {
	const char *id;           /* anchor: "synthese", "gravite"… */
	const char *title;
	struct rep_block *b;
	size_t nb, cap;
};
struct rep_out {
	struct mdl_arena ar;
	const char *title, *subtitle, *stamp, *banner, *footer;
	struct rep_sec *s;
	size_t ns, cap;
};
int rep_sections(const struct rep *r, struct rep_out *o);
void rep_out_free(struct rep_out *o);
/* builders (doc.c): each returns -1 on out-of-memory (err set) */
int rep_sec_new(struct rep_out *o, const char *id, const char *title);
int rep_p(struct rep_out *o, const char *text);
int rep_pf(struct rep_out *o, enum msg_id id, ...);
int rep_alert(struct rep_out *o, const char *text);
int rep_quote(struct rep_out *o, const char *text);
int rep_code(struct rep_out *o, const char *text);
int rep_li(struct rep_out *o, const char *text);
int rep_kv(struct rep_out *o, const char *k, const char *v);
int rep_table(struct rep_out *o, size_t ncol, const char *const *head);
int rep_row(struct rep_out *o, const char *const *cells);
/* formats a catalogue message into the output's arena */
const char *rep_fmt(struct rep_out *o, enum msg_id id, ...);
const char *rep_str(struct rep_out *o, const char *s);
int rep_html(const struct rep *r, const struct rep_out *o, struct buf *b);
int rep_md(const struct rep *r, const struct rep_out *o, struct buf *b);
int rep_text(const struct rep *r, struct buf *b);
int rep_json(const struct rep *r, struct buf *b);

/* ---- formats (out_*.c) ---------------------------------------------------------------- */
enum rep_fmt { RF_TEXT, RF_MD, RF_HTML, RF_JSON };
int rep_render(const struct rep *r, enum rep_fmt f, struct buf *out);
/* Exit status: 0 anomalie courante, 1 any other gravity (indéterminée
 * included). */
int rep_exit_status(const struct rep *r);

#endif
