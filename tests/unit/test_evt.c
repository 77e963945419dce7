/* check-events: each rule fires on the record of a real or constructed
 * export that shows what it looks for, and stays quiet (nothing at
 * medium or above) on one that does not. The exports are read the way
 * `reflexe import` reads them (export/) and loaded the way check-events
 * loads them (model/events.c); tests/fixtures/exports/README.md says
 * where each file comes from, and each case names the file and record. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/model.h"
#include "rules/rules.h"
#include "t.h"

#define FIX "tests/fixtures/exports/"

struct feed {
	int fd;
	struct mdl_events *m;
	struct exp_arena a;
	uint32_t imp;
	struct buf line;
};

static int rd(void *ctx, char *buf, size_t n)
{
	struct feed *f = ctx;
	ssize_t k = read(f->fd, buf, n);
	return k < 0 ? err_set(E_FILE_READ, "fixture", "read") : (int)k;
}

static int emit(void *ctx, const struct exp_event *e)
{
	struct feed *f = ctx;
	buf_reset(&f->line);
	if (exp_event_write(e, &f->line) < 0)
		return -1;
	return mdl_events_add_line(f->m, &f->a, f->line.p, f->line.len - 1, f->imp);
}

/* Loads the files as one case's imports; extra event lines (constructed
 * records) join as one more import of kind `kinds`. */
static int load(struct mdl_events *m, const char *const *files, const char *extra, unsigned kinds)
{
	mdl_events_init(m);
	struct feed f = { -1, m, { 0 }, 0, { 0 } };
	int rc = 0;
	for (size_t i = 0; files && files[i] && rc == 0; i++) {
		struct exp_stats st;
		if ((f.fd = open(files[i], O_RDONLY)) < 0) {
			printf("  cannot open %s\n", files[i]);
			rc = -1;
			break;
		}
		f.imp = (uint32_t)m->n_imp;
		rc = exp_run(rd, &f, emit, &f, NULL, &st);
		close(f.fd);
		struct mdl_import *im = MDL_PUSH(m->imp, m->n_imp, m->cap_imp);
		im->file = mdl_intern(&m->ar, strrchr(files[i], '/') + 1);
		im->layout = exp_layout_name(st.layout);
		im->kinds = st.kinds;
		im->tz_basis = st.tz_basis;
		im->events = st.events;
		im->first = st.first;
		im->last = st.last;
		im->ev = "imports/x/events.jsonl";
	}
	if (extra && rc == 0) {
		struct mdl_import *im = MDL_PUSH(m->imp, m->n_imp, m->cap_imp);
		im->file = "constructed";
		im->layout = "test";
		im->kinds = kinds;
		im->first = im->last = EXP_NO_TIME;
		im->ev = "imports/y/events.jsonl";
		for (const char *p = extra; *p && rc == 0;) {
			size_t n = strcspn(p, "\n");
			rc = mdl_events_add_line(m, &f.a, p, n, (uint32_t)(m->n_imp - 1));
			p += n + (p[n] == '\n');
		}
	}
	exp_arena_free(&f.a);
	buf_free(&f.line);
	if (rc == 0)
		rc = mdl_events_finish(m, NULL);
	if (rc < 0)
		printf("  load: %s\n", err_msg());
	return rc;
}

struct run {
	struct mdl_events m;
	struct findings fs;
	struct rule_source src[EVT_NSRC];
};

static int run(struct run *x, const char *const *files, const char *extra, unsigned kinds)
{
	memset(x, 0, sizeof *x);
	if (load(&x->m, files, extra, kinds) < 0)
		return -1;
	rule_sources_from(x->m.src, EVT_NSRC, x->src);
	struct rule_ctx c = { &x->m, NULL, x->src, EVT_NSRC, 0, 0 };
	return rule_run(evt_rules, EVT_NRULES, &c, &x->fs);
}

static void done(struct run *x)
{
	findings_free(&x->fs);
	mdl_events_free(&x->m);
}

/* Findings of rule id at severity sev or above (status suspect or
 * confirmed); with needle, only those whose English detail holds it. */
static int count(const struct run *x, const char *id, enum rule_sev sev, const char *needle)
{
	int n = 0;
	for (size_t i = 0; i < x->fs.n; i++) {
		const struct finding *f = &x->fs.f[i];
		if (!strcmp(f->rule->id, id) && f->status >= ST_SUSPECT && f->sev >= sev &&
		    (!needle || strstr(f->detail[LANG_EN], needle)))
			n++;
	}
	return n;
}

static enum rule_sev top(const struct run *x, const char *id)
{
	int best = -1;
	for (size_t i = 0; i < x->fs.n; i++)
		if (!strcmp(x->fs.f[i].rule->id, id) && x->fs.f[i].status >= ST_SUSPECT && (int)x->fs.f[i].sev > best)
			best = (int)x->fs.f[i].sev;
	return (enum rule_sev)best;
}

/* Nothing at medium or above, from any rule. */
static int quiet(const struct run *x)
{
	int n = 0;
	for (size_t i = 0; i < x->fs.n; i++)
		if (x->fs.f[i].status >= ST_SUSPECT && x->fs.f[i].sev >= SEV_MEDIUM) {
			printf("  not quiet: %s %s\n", x->fs.f[i].rule->id, x->fs.f[i].detail[LANG_EN]);
			n++;
		}
	return n == 0;
}

static void dump(const struct run *x)
{
	for (size_t i = 0; i < x->fs.n; i++)
		printf("    %s %s %s: %s\n", x->fs.f[i].rule->id, rule_sev_name(x->fs.f[i].sev),
		       rule_status_name(x->fs.f[i].status), x->fs.f[i].detail[LANG_EN]);
}

#define FILES(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* ---- mailboxes ----------------------------------------------------------------------- */

static void evt002_inbox_rules(void)
{
	struct run x;
	/* own/purview-current.csv: row 1 the "." rule (keywords, RSS Feeds,
	 * mark read): high; row 2 the newsletter rule: nothing */
	CHECK_INT(run(&x, FILES(FIX "own/purview-current.csv"), NULL, 0), 0);
	CHECK_INT(count(&x, "EVT-002", SEV_HIGH, "rule '.'"), 1);
	CHECK_INT(count(&x, "EVT-002", SEV_INFO, "Lettres"), 0);
	done(&x);
	/* own/purview-old.csv: row 2 Set-InboxRule forwarding to
	 * collecte@evil.example; row 3 Outlook's UpdateInboxRules "..",
	 * deleting "invoice" mail */
	CHECK_INT(run(&x, FILES(FIX "own/purview-current.csv", FIX "own/purview-old.csv"), NULL, 0), 0);
	CHECK_INT(count(&x, "EVT-002", SEV_HIGH, "collecte@evil.example"), 1);
	CHECK_INT(count(&x, "EVT-002", SEV_HIGH, "rule '..' (UpdateInboxRules)"), 1);
	done(&x);
	/* sentinel-training-lab/office_activity_inbox_rule.csv: rule2 moves
	 * "do not open" to Junk Email (high); rule 1 deletes "covid-19"
	 * mail (medium) */
	CHECK_INT(run(&x, FILES(FIX "sentinel-training-lab/office_activity_inbox_rule.csv"), NULL, 0), 0);
	CHECK_INT(count(&x, "EVT-002", SEV_HIGH, "Junk Email"), 1);
	CHECK_INT(count(&x, "EVT-002", SEV_MEDIUM, "deletes messages"), 1);
	done(&x);
	/* quiet: an ordinary rule alone (own/purview-current.csv row 2's
	 * shape), constructed */
	CHECK_INT(run(&x, NULL,
		      "{\"t\":\"2023-09-18T08:00:00Z\",\"c\":\"exo\",\"op\":\"New-InboxRule\",\"au\":\"marie.curie@contoso.fr\","
		      "\"p\":[[\"Mailbox\",\"marie.curie@contoso.fr\"],[\"Name\",\"Factures\"],[\"SubjectContainsWords\",\"facture\"],"
		      "[\"MoveToFolder\",\"Factures\"]],\"l\":2,\"r\":1}",
		      EXP_K_UAL), 0);
	CHECK(quiet(&x));
	done(&x);
}

static void evt003_forwarding(void)
{
	struct run x;
	/* own/purview-current.csv row 3: to gmail.com, no copy kept */
	CHECK_INT(run(&x, FILES(FIX "own/purview-current.csv"), NULL, 0), 0);
	CHECK_INT(top(&x, "EVT-003"), SEV_CRITICAL);
	CHECK_INT(count(&x, "EVT-003", SEV_CRITICAL, "jean.dupont.perso@gmail.com"), 1);
	done(&x);
	/* quiet: forwarding cleared, and forwarding to a colleague (low) */
	CHECK_INT(run(&x, FILES(FIX "own/purview-current.csv"),
		      "{\"t\":\"2023-09-21T08:00:00Z\",\"c\":\"exo\",\"op\":\"Set-Mailbox\",\"au\":\"admin@contoso.fr\","
		      "\"p\":[[\"Identity\",\"paul@contoso.fr\"],[\"ForwardingSmtpAddress\",\"smtp:marie.curie@contoso.fr\"]],\"l\":2,\"r\":1}\n"
		      "{\"t\":\"2023-09-21T09:00:00Z\",\"c\":\"exo\",\"op\":\"Set-Mailbox\",\"au\":\"admin@contoso.fr\","
		      "\"p\":[[\"Identity\",\"paul@contoso.fr\"],[\"ForwardingSmtpAddress\",null]],\"l\":3,\"r\":2}",
		      EXP_K_UAL), 0);
	CHECK_INT(count(&x, "EVT-003", SEV_LOW, "internally"), 1);
	CHECK_INT(count(&x, "EVT-003", SEV_MEDIUM, "paul@"), 0);
	done(&x);
}

static void evt004_permissions(void)
{
	struct run x;
	/* otrf-pr64-m365/mail_account_delegation_full_access_permissions.json:
	 * FullAccess on Henrietta's mailbox for Lidia, by stinger: to confirm */
	CHECK_INT(run(&x, FILES(FIX "otrf-pr64-m365/mail_account_delegation_full_access_permissions.json"), NULL, 0), 0);
	CHECK_INT(count(&x, "EVT-004", SEV_LOW, "Lidia@contoso.onmicrosoft.com"), 1);
	CHECK_INT(top(&x, "EVT-004"), SEV_LOW);
	CHECK(quiet(&x));
	done(&x);
	/* own/purview-old.csv row 1: jean.dupont gives himself FullAccess on
	 * direction@: medium */
	CHECK_INT(run(&x, FILES(FIX "own/purview-old.csv"), NULL, 0), 0);
	CHECK_INT(count(&x, "EVT-004", SEV_MEDIUM, "granted itself"), 1);
	done(&x);
}

static void evt005_006_auditing(void)
{
	struct run x;
	/* otrf-pr64-m365: AuditLogAgeLimit 1 day; AuditBypassEnabled True;
	 * UnifiedAuditLogIngestionEnabled False */
	CHECK_INT(run(&x, FILES(FIX "otrf-pr64-m365/set-mailbox-audit_log_age_limit_to_zero.json",
				FIX "otrf-pr64-m365/set_mailboxauditbypassassociation.json",
				FIX "otrf-pr64-m365/unified_auditlog_ingestion_stopped.json"), NULL, 0), 0);
	CHECK_INT(count(&x, "EVT-005", SEV_HIGH, "audit retention cut to 1.00:00:00"), 1);
	CHECK_INT(count(&x, "EVT-005", SEV_HIGH, "AuditBypassEnabled"), 1);
	CHECK_INT(count(&x, "EVT-006", SEV_HIGH, "UnifiedAuditLogIngestionEnabled False"), 1);
	done(&x);
	/* quiet: the same settings put back or left at their defaults */
	CHECK_INT(run(&x, NULL,
		      "{\"t\":\"2023-05-21T10:00:00Z\",\"c\":\"exo\",\"op\":\"Set-Mailbox\",\"au\":\"admin@contoso.fr\","
		      "\"p\":[[\"Identity\",\"a@contoso.fr\"],[\"AuditLogAgeLimit\",\"180.00:00:00\"]],\"l\":2,\"r\":1}\n"
		      "{\"t\":\"2023-05-21T10:01:00Z\",\"c\":\"exo\",\"op\":\"Set-MailboxAuditBypassAssociation\",\"au\":\"admin@contoso.fr\","
		      "\"p\":[[\"Identity\",\"a@contoso.fr\"],[\"AuditBypassEnabled\",\"False\"]],\"l\":3,\"r\":2}\n"
		      "{\"t\":\"2023-05-21T10:02:00Z\",\"c\":\"exo\",\"op\":\"Set-AdminAuditLogConfig\",\"au\":\"admin@contoso.fr\","
		      "\"p\":[[\"UnifiedAuditLogIngestionEnabled\",\"True\"]],\"l\":4,\"r\":3}",
		      EXP_K_UAL), 0);
	CHECK(quiet(&x));
	CHECK_INT(count(&x, "EVT-005", SEV_INFO, NULL) + count(&x, "EVT-006", SEV_INFO, NULL), 0);
	done(&x);
}

/* ---- directory -------------------------------------------------------------------------- */

static void evt007_roles(void)
{
	struct run x;
	/* otrf-pr64-m365/add_a_user_to_company_administrator_role.json:
	 * "Company Administrator" is Global Administrator */
	CHECK_INT(run(&x, FILES(FIX "otrf-pr64-m365/add_a_user_to_company_administrator_role.json"), NULL, 0), 0);
	CHECK_INT(count(&x, "EVT-007", SEV_HIGH, "Alex@contoso.onmicrosoft.com was given Global Administrator"), 1);
	done(&x);
	/* panther-analysis/azure_role_changed_pim.logs.jsonl: line 1 PIM
	 * completed and line 3 outside PIM (Application Administrator both):
	 * high; line 2 only requested: nothing */
	CHECK_INT(run(&x, FILES(FIX "panther-analysis/azure_role_changed_pim.logs.jsonl"), NULL, 0), 0);
	CHECK_INT(count(&x, "EVT-007", SEV_HIGH, "Application Administrator"), 2);
	CHECK_INT(count(&x, "EVT-007", SEV_INFO, "requested"), 0);
	done(&x);
	/* quiet: a role that is not privileged (constructed) */
	CHECK_INT(run(&x, NULL,
		      "{\"t\":\"2023-05-21T10:00:00Z\",\"c\":\"audit\",\"op\":\"Add member to role\",\"au\":\"admin@contoso.fr\","
		      "\"tg\":[{\"ty\":\"User\",\"upn\":\"a@contoso.fr\"}],\"p\":[[\"Role.DisplayName\",\"Message Center Reader\"]],\"l\":2,\"r\":1}",
		      EXP_K_AUDITS), 0);
	CHECK(quiet(&x));
	CHECK_INT(count(&x, "EVT-007", SEV_LOW, "Message Center Reader"), 1);
	done(&x);
}

static void evt008_mfa(void)
{
	struct run x;
	/* otrf-pr64-m365/"disable _strong_authentication.json": records 1-2
	 * MFA off (high), record 3 app password deleted (low) */
	CHECK_INT(run(&x, FILES(FIX "otrf-pr64-m365/disable _strong_authentication.json"), NULL, 0), 0);
	CHECK_INT(count(&x, "EVT-008", SEV_HIGH, "MFA turned off for stinger@contoso.onmicrosoft.com"), 2);
	CHECK_INT(count(&x, "EVT-008", SEV_LOW, "application password"), 1);
	done(&x);
	/* panther-analysis/microsoft365_mfa_disabled.logs.jsonl: line 2 the
	 * methods cleared (high); line 1 a method added by the MFA service
	 * (the user registering): nothing */
	CHECK_INT(run(&x, FILES(FIX "panther-analysis/microsoft365_mfa_disabled.logs.jsonl"), NULL, 0), 0);
	CHECK_INT(count(&x, "EVT-008", SEV_HIGH, "cleared"), 1);
	CHECK_INT(count(&x, "EVT-008", SEV_INFO, NULL), 1);
	done(&x);
}

static void evt013_consent(void)
{
	struct run x;
	/* otrf-goldensaml/AADAuditEvents.json record 4: Mail.ReadWrite for
	 * AllPrincipals */
	CHECK_INT(run(&x, FILES(FIX "otrf-goldensaml/AADAuditEvents.json"), NULL, 0), 0);
	CHECK_INT(count(&x, "EVT-013", SEV_HIGH, "EVERY user"), 1);
	done(&x);
	/* own/portal-audits.csv row 2: OnBehalfOfAll True */
	CHECK_INT(run(&x, FILES(FIX "own/portal-audits.csv"), NULL, 0), 0);
	CHECK_INT(count(&x, "EVT-013", SEV_HIGH, "Mail Sync"), 1);
	done(&x);
	/* quiet: one user consenting to User.Read (constructed on
	 * check-apps.md §9.6's shape) */
	CHECK_INT(run(&x, NULL,
		      "{\"t\":\"2023-09-13T01:07:44Z\",\"c\":\"audit\",\"op\":\"Consent to application\",\"au\":\"a@contoso.fr\","
		      "\"tg\":[{\"ty\":\"ServicePrincipal\",\"n\":\"Lab-AI-Agent-CLI\"}],\"p\":[[\"ConsentContext.IsAdminConsent\",\"False\"],"
		      "[\"ConsentContext.OnBehalfOfAll\",\"False\"],[\"ConsentAction.Permissions\",\"[] => [[Id: k, ClientId: c, "
		      "PrincipalId: p, ResourceId: r, ConsentType: Principal, Scope:  User.Read, CreatedDateTime: , LastModifiedDateTime ]]; \"]],\"l\":2,\"r\":1}",
		      EXP_K_AUDITS), 0);
	CHECK(quiet(&x));
	CHECK_INT(count(&x, "EVT-013", SEV_LOW, "Lab-AI-Agent-CLI"), 1);
	done(&x);
}

static void evt014_015_apps(void)
{
	struct run x;
	/* otrf-goldensaml/AADAuditEvents.json records 1-2 (the same secret,
	 * SimuLandCreds, logged twice: one record id, counted once);
	 * sentinel-training-lab/AuditLogs_Hunting.csv: five keys added;
	 * panther-analysis/azure_service_principal_credentials_added line 1 */
	CHECK_INT(run(&x, FILES(FIX "otrf-goldensaml/AADAuditEvents.json", FIX "sentinel-training-lab/AuditLogs_Hunting.csv",
				FIX "panther-analysis/azure_service_principal_credentials_added.logs.jsonl"), NULL, 0), 0);
	CHECK_INT(count(&x, "EVT-014", SEV_MEDIUM, "SimuLandApp"), 1);
	CHECK_INT(count(&x, "EVT-014", SEV_MEDIUM, "purview-spn-user099"), 1);
	CHECK_INT(count(&x, "EVT-014", SEV_MEDIUM, "Production API Service"), 1);
	CHECK(x.m.dups >= 1);
	done(&x);
	/* own/portal-audits.csv row 1: a guest made owner of "Facturation" */
	CHECK_INT(run(&x, FILES(FIX "own/portal-audits.csv"), NULL, 0), 0);
	CHECK_INT(count(&x, "EVT-015", SEV_HIGH, "Facturation"), 1);
	done(&x);
	/* quiet: a key renewed (one out, one in) and a member made owner */
	CHECK_INT(run(&x, NULL,
		      "{\"t\":\"2023-09-20T05:10:12Z\",\"c\":\"audit\",\"op\":\"Update application \xe2\x80\x93 Certificates and secrets management \","
		      "\"au\":\"admin@contoso.fr\",\"tg\":[{\"ty\":\"Application\",\"n\":\"Paie\"}],\"p\":[[\"KeyDescription\","
		      "\"[\\\"[KeyIdentifier=bbbb,KeyType=Password,KeyUsage=Verify,DisplayName=2024]\\\"]\","
		      "\"[\\\"[KeyIdentifier=aaaa,KeyType=Password,KeyUsage=Verify,DisplayName=2023]\\\"]\"]],\"l\":2,\"r\":1}\n"
		      "{\"t\":\"2023-09-20T05:20:00Z\",\"c\":\"audit\",\"op\":\"Add owner to application\",\"au\":\"admin@contoso.fr\","
		      "\"tg\":[{\"ty\":\"User\",\"upn\":\"dev@contoso.fr\"},{\"ty\":\"Application\",\"n\":\"Paie\"}],\"l\":3,\"r\":2}",
		      EXP_K_AUDITS), 0);
	CHECK(quiet(&x));
	CHECK_INT(count(&x, "EVT-014", SEV_LOW, "renewal"), 1);
	CHECK_INT(count(&x, "EVT-015", SEV_LOW, "dev@contoso.fr"), 1);
	done(&x);
}

/* ---- sign-ins ------------------------------------------------------------------------------ */

static void evt009_010_spray(void)
{
	struct run x;
	/* otrf-pr64-m365/o365spray_default.json: one address, 9 accounts,
	 * no success */
	CHECK_INT(run(&x, FILES(FIX "otrf-pr64-m365/o365spray_default.json"), NULL, 0), 0);
	CHECK_INT(count(&x, "EVT-009", SEV_HIGH, "password spraying from 2a09:bac5:114:105::1a:9b"), 1);
	CHECK_INT(count(&x, "EVT-010", SEV_INFO, NULL), 0);
	done(&x);
	/* o365spray_reporting.json: then Henrietta signs in from it (twice,
	 * records 2 and 11) */
	CHECK_INT(run(&x, FILES(FIX "otrf-pr64-m365/o365spray_reporting.json"), NULL, 0), 0);
	CHECK_INT(count(&x, "EVT-009", SEV_HIGH, NULL), 1);
	CHECK(count(&x, "EVT-010", SEV_HIGH, "Henrietta@contoso.onmicrosoft.com: SUCCESSFUL") >= 1);
	done(&x);
	/* own/portal-signins.csv: twelve accounts from 198.51.100.23, then
	 * lea succeeds from it */
	CHECK_INT(run(&x, FILES(FIX "own/portal-signins.csv"), NULL, 0), 0);
	CHECK_INT(count(&x, "EVT-009", SEV_HIGH, "12 account(s)"), 1);
	CHECK_INT(count(&x, "EVT-010", SEV_HIGH, "lea@contoso.fr"), 1);
	done(&x);
	/* quiet: an office address where six people mistype their password
	 * in an hour but twenty sign in fine (constructed) */
	struct buf b = { 0 };
	for (int i = 0; i < 20; i++)
		buf_printf(&b, "{\"t\":\"2023-09-20T08:%02d:00Z\",\"c\":\"signin\",\"op\":\"Sign-in activity\",\"au\":\"u%d@contoso.fr\","
			   "\"ip\":\"192.0.2.1\",\"err\":0,\"cc\":\"FR\",\"cli\":\"Browser\",\"l\":%d,\"r\":%d}\n", i, i, i + 2, i + 1);
	for (int i = 0; i < 6; i++)
		buf_printf(&b, "{\"t\":\"2023-09-20T08:%02d:30Z\",\"c\":\"signin\",\"op\":\"Sign-in activity\",\"au\":\"u%d@contoso.fr\","
			   "\"ip\":\"192.0.2.1\",\"err\":50126,\"cc\":\"FR\",\"cli\":\"Browser\",\"l\":%d,\"r\":%d}\n", 30 + i, i, i + 40, i + 40);
	CHECK_INT(run(&x, NULL, b.p, EXP_K_SIGNINS), 0);
	CHECK(quiet(&x));
	CHECK_INT(count(&x, "EVT-009", SEV_LOW, "shared (office) address"), 1);
	done(&x);
	buf_free(&b);
}

static void evt011_places(void)
{
	struct run x;
	/* own/graph-signins.json: lea from Paris, then from an anonymising
	 * address in Germany */
	CHECK_INT(run(&x, FILES(FIX "own/graph-signins.json"), NULL, 0), 0);
	CHECK_INT(count(&x, "EVT-011", SEV_HIGH, "anonymising address 185.220.101.4"), 1);
	CHECK_INT(count(&x, "EVT-011", SEV_MEDIUM, "lea@contoso.fr: successful sign-ins outside FR"), 1);
	done(&x);
	/* panther-analysis/azure_high_risk_signin.logs.jsonl line 1 */
	CHECK_INT(run(&x, FILES(FIX "panther-analysis/azure_high_risk_signin.logs.jsonl"), NULL, 0), 0);
	CHECK_INT(count(&x, "EVT-011", SEV_HIGH, "john@justice.org"), 1);
	done(&x);
	/* quiet: sentinel-training-lab/sign-in_adelete.csv, one account from
	 * one country */
	CHECK_INT(run(&x, FILES(FIX "sentinel-training-lab/sign-in_adelete.csv"), NULL, 0), 0);
	CHECK_INT(count(&x, "EVT-011", SEV_INFO, NULL), 0);
	CHECK_INT(count(&x, "EVT-009", SEV_INFO, NULL) + count(&x, "EVT-010", SEV_INFO, NULL), 0);
	CHECK(quiet(&x));
	done(&x);
}

static void evt012_legacy(void)
{
	struct run x;
	/* own/portal-signins.csv: bruno through IMAP4; otrf enable_pop_imap_owa:
	 * Set-CASMailbox switching POP and IMAP on */
	CHECK_INT(run(&x, FILES(FIX "own/portal-signins.csv", FIX "otrf-pr64-m365/enable_pop_imap_owa.json"), NULL, 0), 0);
	CHECK_INT(count(&x, "EVT-012", SEV_MEDIUM, "bruno@contoso.fr: successful sign-ins through IMAP4"), 1);
	CHECK_INT(count(&x, "EVT-012", SEV_LOW, "IMAP switched on for mailbox Lidia@contoso.onmicrosoft.com"), 1);
	done(&x);
}

/* ---- the inventory, sources, duplicates ------------------------------------------------------------ */

static void evt001_inventory_and_sources(void)
{
	struct run x;
	/* sign-ins only: the mailbox and directory rules are unanswered, not clear */
	CHECK_INT(run(&x, FILES(FIX "sentinel-training-lab/sign-in_adelete.csv"), NULL, 0), 0);
	int unk = 0;
	for (size_t i = 0; i < x.fs.nu; i++)
		unk += !strcmp(x.fs.u[i].check, "EVT-002") || !strcmp(x.fs.u[i].check, "EVT-013");
	CHECK_INT(unk, 2);
	CHECK_INT(count(&x, "EVT-002", SEV_INFO, NULL), 0);
	/* the inventory names the file and its events */
	int inv = 0;
	for (size_t i = 0; i < x.fs.n; i++)
		inv += !strcmp(x.fs.f[i].rule->id, "EVT-001") && strstr(x.fs.f[i].detail[LANG_EN], "sign-in_adelete.csv (log-analytics-csv): 56 event(s)") &&
		       strstr(x.fs.f[i].detail[LANG_EN], "times in UTC");
	CHECK_INT(inv, 1);
	done(&x);
	/* the same export twice: counted once */
	CHECK_INT(run(&x, FILES(FIX "otrf-pr64-m365/o365spray_default.json", FIX "otrf-pr64-m365/o365spray_default.json"), NULL, 0), 0);
	CHECK_INT(x.m.n_si, 9);
	CHECK_INT(x.m.dups, 9);
	done(&x);
	/* nothing imported: every rule unanswered, verdict undetermined */
	CHECK_INT(run(&x, NULL, NULL, 0), 0);
	struct rule_ctx c = { &x.m, NULL, x.src, EVT_NSRC, 0, 0 };
	struct rule_verdict v = { 0 };
	CHECK_INT(evt_verdict(&c, &x.fs, &v), 0);
	CHECK_INT(v.v, VERDICT_UNDETERMINED);
	rule_verdict_free(&v);
	done(&x);
}

static void kinds_of_operations(void)
{
	CHECK_INT(mdl_evt_kind(EXP_CAT_AUDIT, "Add member to role."), EVK_ROLE_ADD);
	CHECK_INT(mdl_evt_kind(EXP_CAT_AUDIT, "Update application \xe2\x80\x93 Certificates and secrets management "), EVK_APP_CRED);
	CHECK_INT(mdl_evt_kind(EXP_CAT_AUDIT, "Update application - Certificates and secrets management"), EVK_APP_CRED);
	CHECK_INT(mdl_evt_kind(EXP_CAT_AUDIT, "Add member to role in PIM requested (permanent)"), EVK_OTHER);
	CHECK_INT(mdl_evt_kind(EXP_CAT_EXO, "New-InboxRule"), EVK_INBOX_RULE);
	CHECK_INT(mdl_evt_kind(EXP_CAT_UAL, "updateinboxrules"), EVK_INBOX_RULE);
	CHECK_INT(mdl_evt_kind(EXP_CAT_UAL, "FileAccessed"), EVK_OTHER);
	CHECK_INT(mdl_evt_kind(EXP_CAT_AUDIT, "Consent to application."), EVK_CONSENT);
	CHECK_INT(mdl_evt_kind(EXP_CAT_AUDIT, "Disable Strong Authentication."), EVK_MFA);
}

int main(void)
{
	i18n_init("en");
	RUN(kinds_of_operations);
	RUN(evt002_inbox_rules);
	RUN(evt003_forwarding);
	RUN(evt004_permissions);
	RUN(evt005_006_auditing);
	RUN(evt007_roles);
	RUN(evt008_mfa);
	RUN(evt013_consent);
	RUN(evt014_015_apps);
	RUN(evt009_010_spray);
	RUN(evt011_places);
	RUN(evt012_legacy);
	RUN(evt001_inventory_and_sources);
	(void)dump;
	T_DONE();
}
