/*
 * From the checks' findings to the qualification: which rule raises which
 * signal of spec §1.1 and asks for which containment block of §3.6.
 *
 * ONE ROW PER RULE ID. A check that gains a rule adds its row here (and
 * tests/unit/test_report.c fails on any rule id of a compiled-in table
 * that has none). The columns:
 *   sig       signals of a finding at or above « suspect », severity
 *             above info
 *   sig_high  more signals when the finding is high or critical (the
 *             checks raise the severity when an app holds tenant-wide
 *             mail or directory rights: check-apps spec §5.2)
 *   plan      containment blocks (plan.c) the finding asks for
 *   flags     MAP_COMPROMISE: a trace of the attacker when the document
 *             predates the per-finding "compromise" (CONTRACT.md);
 *             MAP_POSTURE: an enabling weakness (post-incident review);
 *             MAP_PROVISIONAL: the id was agreed here ahead of its check.
 * Unmapped ids still appear in the report; they raise no signal.
 */
#include <string.h>
#include <strings.h>

#include "report/report.h"

const char *rep_act_code(enum rep_act a)
{
	static const char *const c[ACT__N] = { "1.a", "1.b", "1.c", "1.d", "1.e" };
	return (unsigned)a < ACT__N ? c[a] : "?";
}

int rep_act_parse(const char *s, unsigned *bits)
{
	*bits = 0;
	for (const char *p = s; p && *p;) {
		while (*p == ' ' || *p == ',' || *p == ';')
			p++;
		if (!*p)
			break;
		if (p[0] == '1' && p[1] == '.' && p[2] >= 'a' && p[2] <= 'e')
			*bits |= ACT_BIT(p[2] - 'a');
		else if (!(p[0] >= '2' && p[0] <= '4' && p[1] == '.' && p[2] >= 'a' && p[2] <= 'c'))
			return -1;
		p += 3;
	}
	return 0;
}

const struct rep_chk_def rep_chks[CHK__N] = {
	[CHK_ADMINS] = { "check-admins", ACT_BIT(ACT_1A) },
	[CHK_MAIL] = { "check-mail", ACT_BIT(ACT_1B) | ACT_BIT(ACT_1C) | ACT_BIT(ACT_1E) },
	[CHK_APPS] = { "check-apps", ACT_BIT(ACT_1D) },
};

const char *rep_sig_name(enum rep_sig s)
{
	static const char *const n[SIG__N] = {
		"priv_compromise", "no_sound_ga", "priv_app", "secconf_altered", "federation",
		"synced_admin", "intune_admin", "new_accounts", "mailbox_compromise",
		"exfil_channel", "relay", "integrity",
	};
	return (unsigned)s < SIG__N ? n[s] : "?";
}

#define S(x) SIG_BIT(SIG_##x)
#define P(x) PL_BIT(PL_##x)
#define C MAP_COMPROMISE
#define W MAP_POSTURE
#define V MAP_PROVISIONAL

const struct rep_map rep_map[] = {
	/* check-admins (src/rules/admins.c). priv_compromise is not listed:
	 * every compromise finding of 1.a raises it (qual.c). */
	{ "ADM-001", 0, 0, P(GA_ADD), W },
	{ "ADM-002", S(NO_SOUND_GA), 0, P(GA_ADD), 0 },
	{ "ADM-003", S(NEW_ACCOUNTS), 0, P(ACCOUNT) | P(ROLE), C },
	{ "ADM-004", 0, 0, P(ACCOUNT) | P(ROLE), C },
	{ "ADM-005", S(NEW_ACCOUNTS), 0, P(ACCOUNT) | P(ROLE), C },
	{ "ADM-006", 0, 0, P(MFA), W },
	{ "ADM-007", S(SYNCED_ADMIN), 0, P(SYNCED), W },
	{ "ADM-008", 0, 0, P(ACCOUNT) | P(ROLE), C },
	{ "ADM-009", S(PRIV_APP), 0, P(APP_DISABLE) | P(ROLE), C },
	{ "ADM-010", 0, 0, P(ROLE), 0 },
	{ "ADM-011", 0, 0, P(ROLE), 0 },
	{ "ADM-012", 0, 0, P(ACCOUNT), C },
	{ "ADM-013", 0, 0, P(ACCOUNT), 0 },
	{ "ADM-014", 0, 0, P(LEGACY), W },
	{ "ADM-015", 0, 0, P(ACCOUNT), C },
	{ "ADM-016", 0, 0, P(ACCOUNT), 0 },
	{ "ADM-017", 0, 0, P(ACCOUNT), C },
	{ "ADM-018", 0, 0, P(ACCOUNT), C },
	{ "ADM-019", S(SECCONF), 0, P(ACCOUNT), C },
	{ "ADM-020", 0, 0, P(GUESTS), W },
	{ "ADM-021", 0, 0, P(GUESTS), W },
	{ "ADM-022", 0, 0, P(GUESTS), 0 },
	{ "ADM-023", S(FEDERATION), 0, P(FEDERATION), C },
	{ "ADM-024", S(FEDERATION) | S(SECCONF), 0, P(FEDERATION), C },
	{ "ADM-025", S(SECCONF), 0, P(CA), C },
	{ "ADM-026", 0, 0, P(MFA), W },

	/* check-mail (fiche 1.b mailboxes, 1.c, 1.e): rules/mail_rules.def. */
	{ "MAIL-001", S(MAILBOX) | S(EXFIL), 0, P(MAIL_FWD), C },         /* mailbox forwarding */
	{ "MAIL-002", S(MAILBOX), S(EXFIL), P(MAIL_RULE), C },            /* inbox rule */
	{ "MAIL-003", S(MAILBOX), 0, P(MAIL_DELEG), C },                  /* FullAccess */
	{ "MAIL-004", S(MAILBOX), 0, P(MAIL_DELEG), C },                  /* SendAs */
	{ "MAIL-005", S(MAILBOX), 0, P(MAIL_DELEG), C },                  /* SendOnBehalf */
	{ "MAIL-006", S(MAILBOX), 0, P(MAIL_HIDDEN), 0 },                 /* hidden from the GAL */
	{ "MAIL-007", S(RELAY), 0, P(SPAM), C },                          /* allowed senders */
	{ "MAIL-008", S(RELAY), 0, P(SPAM), C },                          /* spoofing allowed */
	{ "MAIL-009", S(EXFIL) | S(INTEGRITY), 0, P(TRANSPORT), C },      /* transport rule */
	{ "MAIL-010", 0, 0, P(SHARED), W },                               /* shared mailbox sign-in */
	{ "MAIL-011", S(EXFIL), 0, P(REMOTEDOMAIN), C },                  /* remote domain */
	{ "MAIL-012", 0, 0, P(OWA), W },                                  /* OWA external storage: a default */
	{ "MAIL-013", S(SECCONF), 0, P(AUDIT), C },                       /* auditing turned off */
	{ "MAIL-014", S(SECCONF), 0, P(AUDIT), C },                       /* mailbox audit bypass */
	{ "MAIL-015", S(RELAY), 0, P(SPAM), C },                          /* connection filter IP allow */
	{ "MAIL-016", S(RELAY), 0, P(SPAM), C },                          /* tenant allow list */
	{ "MAIL-017", 0, 0, 0, W },                                       /* spoof intelligence off */
	{ "MAIL-018", S(EXFIL), 0, P(REMOTEDOMAIN), C },                  /* outbound automatic forwarding */
	{ "MAIL-019", S(RELAY) | S(INTEGRITY), 0, 0, C },                 /* inbound connector */
	{ "MAIL-020", S(EXFIL) | S(INTEGRITY), 0, 0, C },                 /* outbound connector */
	{ "MAIL-021", 0, 0, P(LEGACY), W },                               /* SMTP AUTH */

	/* check-events (src/rules/evt*.c): the same questions from the exports
	 * a customer sent; each row as its live counterpart's (MAIL-, APP-,
	 * ADM-). A sign-in succeeding after a spray or from an anonymiser
	 * (high) is a mailbox in the attacker's hands; the spray itself
	 * (EVT-009, failures only) is an attempt: in the timeline, no account
	 * to block. */
	{ "EVT-001", 0, 0, 0, 0 },                                             /* exports listed */
	{ "EVT-002", S(MAILBOX), S(EXFIL), P(MAIL_RULE), C },                  /* inbox rule */
	{ "EVT-003", S(MAILBOX), S(EXFIL), P(MAIL_FWD), C },                   /* forwarding */
	{ "EVT-004", S(MAILBOX), 0, P(MAIL_DELEG), C },                        /* delegation */
	{ "EVT-005", S(SECCONF), 0, P(AUDIT), C },                             /* mailbox audit */
	{ "EVT-006", S(SECCONF), 0, P(AUDIT), C },                             /* UAL off */
	{ "EVT-007", 0, 0, P(ACCOUNT) | P(ROLE), C },                          /* role granted */
	{ "EVT-008", 0, 0, P(ACCOUNT) | P(MFA), C },                           /* MFA, methods */
	{ "EVT-009", 0, 0, 0, 0 },                                             /* spraying */
	{ "EVT-010", 0, S(MAILBOX), P(ACCOUNT), C },                           /* failures, success */
	{ "EVT-011", 0, S(MAILBOX), P(ACCOUNT), C },                           /* countries, anonymiser */
	{ "EVT-012", 0, 0, P(LEGACY), W },                                     /* legacy protocols */
	{ "EVT-013", S(EXFIL), S(PRIV_APP), P(APP_CONSENT), C },               /* consent */
	{ "EVT-014", S(INTEGRITY), S(PRIV_APP), P(APP_CRED), C },              /* app credential */
	{ "EVT-015", S(INTEGRITY), 0, P(APP_OWNER), C },                       /* app owner */

	/* check-apps (fiche 1.d): src/rules/app_rules.def. A rule raises its
	 * severity to high when the application reaches mailboxes, files or
	 * the directory, or holds a directory role: sig_high is then priv_app. */
	{ "APP-001", 0, 0, P(APP_CRED), W },                                   /* credentials listed */
	{ "APP-002", S(INTEGRITY) | S(PRIV_APP), 0, P(APP_CRED), C },          /* on a Microsoft app */
	{ "APP-003", S(INTEGRITY), S(PRIV_APP), P(APP_CRED), C },              /* added in the window */
	{ "APP-004", S(INTEGRITY), 0, P(APP_CRED), 0 },                        /* federated credential */
	{ "APP-005", S(EXFIL), S(PRIV_APP), P(APP_GRANT), 0 },                 /* application permission */
	{ "APP-006", S(EXFIL), S(PRIV_APP), P(APP_CONSENT), 0 },               /* consent */
	{ "APP-007", 0, S(PRIV_APP) | S(EXFIL), P(APP_CONSENT) | P(APP_GRANT), C },  /* granted in the window */
	{ "APP-008", S(INTEGRITY), 0, P(APP_OWNER), 0 },                       /* owner */
	{ "APP-009", 0, 0, P(APP_DISABLE) | P(APP_CONSENT), 0 },               /* suspicious application */
	{ "APP-010", S(NEW_ACCOUNTS) | S(INTEGRITY), 0, P(APP_DISABLE), C },   /* created in the window */
	{ "APP-011", 0, S(INTEGRITY), P(APP_DISABLE), C },                     /* service principal sign-in */
};
const size_t rep_nmap = sizeof rep_map / sizeof rep_map[0];

const struct rep_map *rep_map_find(const char *id)
{
	for (size_t i = 0; id && i < rep_nmap; i++)
		if (!strcasecmp(rep_map[i].id, id))
			return &rep_map[i];
	return NULL;
}
