/* rules/bec.c: the inbox-rule classifier check-mail and check-events
 * share. Rules of attackers (shapes from check-mail.md §6: Proofpoint's
 * names, Sentinel's folders and keywords) score high; the rules people
 * make every day stay quiet. */
#include <string.h>

#include "rules/rules.h"
#include "t.h"

static const char *const doms[] = { "contoso.fr", "contoso.onmicrosoft.com" };
static const struct bec_ctx ctx = { doms, 2 };

static struct bec_result classify(const struct bec_rule *r)
{
	struct bec_result out;
	bec_classify(r, &ctx, &out);
	return out;
}

static void whole_words(void)
{
	static const char *const k[] = { "ach", "wire", "doc", "bank details", "po#", "facture", "règlement", "re:" };
	CHECK(bec_has_word("see the attachment", k, 8) == NULL);
	CHECK(bec_has_word("wireless keyboard", k, 8) == NULL);
	CHECK(bec_has_word("documents partagés", k, 8) == NULL);
	CHECK_STR(bec_has_word("ACH transfer", k, 8), "ach");
	CHECK_STR(bec_has_word("new Bank Details attached", k, 8), "bank details");
	CHECK_STR(bec_has_word("PO#4411", k, 8), "po#");
	CHECK_STR(bec_has_word("FACTURE", k, 8), "facture");
	CHECK(bec_has_word("factures", k, 8) == NULL);     /* plural is its own entry */
	CHECK_STR(bec_has_word("RÈGLEMENT en attente", k, 8), "règlement");
	CHECK_STR(bec_has_word("RE: devis", k, 8), "re:");
	CHECK(bec_has_word("prefacture", k, 8) == NULL);
	CHECK(bec_has_word(NULL, k, 8) == NULL);
}

static void addresses(void)
{
	char a[128];
	CHECK_STR(bec_address("\"Jean\" [SMTP:jean.perso@gmail.com]", a, sizeof a), "jean.perso@gmail.com");
	CHECK_STR(bec_address("smtp:x@evil.example", a, sizeof a), "x@evil.example");
	CHECK_STR(bec_address("collecte@evil.example", a, sizeof a), "collecte@evil.example");
	CHECK(bec_address("\"Jean\" [EX:/o=ExchangeLabs/ou=Exchange/cn=Recipients/cn=abc]", a, sizeof a) == NULL);
	CHECK(bec_address("Sales Team", a, sizeof a) == NULL);
	CHECK_INT(bec_internal(&ctx, "a@contoso.fr"), 1);
	CHECK_INT(bec_internal(&ctx, "a@mail.contoso.fr"), 1);
	CHECK_INT(bec_internal(&ctx, "a@notcontoso.fr"), 0);
	CHECK_INT(bec_internal(&ctx, "a@gmail.com"), 0);
	struct bec_ctx none = { NULL, 0 };
	CHECK_INT(bec_internal(&none, "a@gmail.com"), -1);
}

static void attacker_rules_score_high(void)
{
	/* Proofpoint's ".": keywords, moved to RSS Feeds, marked read */
	const char *w1[] = { "facture", "virement", "RIB" };
	struct bec_rule r1 = { .name = ".", .enabled = 1, .words = w1, .nwords = 3,
			       .move_to = "RSS Feeds", .mark_read = 1 };
	struct bec_result x = classify(&r1);
	CHECK_INT(x.level, 3);
	CHECK(x.traits & BEC_FOLDER && x.traits & BEC_HIDE_READ && x.traits & BEC_NAME && x.traits & BEC_KEYWORDS);
	CHECK_STR(x.keyword, "facture");
	CHECK_STR(x.folder, "RSS Feeds");
	/* a forward outside, whatever the name */
	const char *f2[] = { "\"perso\" [SMTP:jean.perso@gmail.com]" };
	struct bec_rule r2 = { .name = "Copie", .enabled = 1, .fwd = f2, .nfwd = 1 };
	x = classify(&r2);
	CHECK_INT(x.level, 3);
	CHECK(x.traits & BEC_FWD_EXT);
	CHECK_STR(x.fwd_ext, f2[0]);
	/* security alerts deleted (Sentinel Malicious_Inbox_Rule) */
	const char *w3[] = { "suspicious sign-in" };
	struct bec_rule r3 = { .name = "Nettoyage", .enabled = 1, .words = w3, .nwords = 1, .del = 1 };
	x = classify(&r3);
	CHECK_INT(x.level, 3);
	CHECK_STR(x.alert_word, "suspicious");
	/* every message, marked read and moved to the archive (French name) */
	struct bec_rule r4 = { .name = "Tri", .enabled = 1, .move_to = "\\Boîte de réception\\Archives",
			       .mark_read = 1 };
	x = classify(&r4);
	CHECK_INT(x.level, 3);
	CHECK(x.traits & BEC_CATCHALL);
	/* vowel lists match every message: a catch-all too */
	const char *w5[] = { "a", "e", "i", "o", "u" };
	struct bec_rule r5 = { .name = "Mise en page", .enabled = 1, .words = w5, .nwords = 5, .del = 1 };
	x = classify(&r5);
	CHECK(x.traits & BEC_CATCHALL);
	CHECK_INT(x.level, 3);
	/* a supplier's domain hidden in Conversation History */
	const char *fr6[] = { "fournisseur-btp.fr" };
	struct bec_rule r6 = { .name = "Fournisseur", .enabled = 1, .from = fr6, .nfrom = 1,
			       .move_to = "Conversation History" };
	x = classify(&r6);
	CHECK(x.traits & BEC_VENDOR);
	CHECK_INT(x.level, 3);
	/* the same rule, disabled: one level lower */
	r1.enabled = 0;
	CHECK_INT(classify(&r1).level, 2);
	/* outside unknown (no domain list): medium */
	struct bec_result y;
	struct bec_ctx none = { NULL, 0 };
	const char *w2b[] = { "projet" };
	struct bec_rule r2b = { .name = "Projet", .enabled = 1, .words = w2b, .nwords = 1, .fwd = f2, .nfwd = 1 };
	bec_classify(&r2b, &none, &y);
	CHECK_INT(y.level, 2);
	CHECK(y.traits & BEC_FWD_UNKNOWN);
	/* a name of dots alone, no action worth the name: medium */
	const char *w7[] = { "rapport" };
	struct bec_rule r7 = { .name = "..", .enabled = 1, .words = w7, .nwords = 1, .move_to = "Rapports" };
	CHECK_INT(classify(&r7).level, 2);
}

static void ordinary_rules_stay_quiet(void)
{
	/* the newsletter filed away (own/purview-current.csv row 2's shape) */
	const char *fr1[] = { "newsletter@lemonde.fr" };
	struct bec_rule r1 = { .name = "Lettres d'information", .enabled = 1, .from = fr1, .nfrom = 1,
			       .move_to = "Lettres d'information" };
	CHECK_INT(classify(&r1).level, 0);
	/* invoices filed into "Factures": at most low */
	const char *w2[] = { "facture" };
	struct bec_rule r2 = { .name = "Factures", .enabled = 1, .words = w2, .nwords = 1, .move_to = "Factures" };
	CHECK(classify(&r2).level <= 1);
	/* IT filing alerts into their own folder */
	const char *w3[] = { "alert" };
	struct bec_rule r3 = { .name = "Alertes supervision", .enabled = 1, .words = w3, .nwords = 1,
			       .move_to = "Supervision" };
	CHECK(classify(&r3).level <= 1);
	/* forward to a colleague: low */
	const char *f4[] = { "\"Marie\" [SMTP:marie.curie@contoso.fr]", "\"Paul\" [EX:/o=ExchangeLabs/cn=Recipients/cn=p]" };
	struct bec_rule r4 = { .name = "Absence", .enabled = 1, .fwd = f4, .nfwd = 2 };
	CHECK_INT(classify(&r4).level, 1);
	/* a short name of letters filing HR mail */
	const char *fr5[] = { "rh@contoso.fr" };
	struct bec_rule r5 = { .name = "RH", .enabled = 1, .from = fr5, .nfrom = 1, .move_to = "RH" };
	CHECK(classify(&r5).level <= 1);
	/* Junk rule of Exchange itself has no move in its parameters */
	struct bec_rule r6 = { .name = "Junk E-mail Rule", .enabled = 1 };
	CHECK_INT(classify(&r6).level, 0);
}

static void described_in_both_languages(void)
{
	const char *w1[] = { "virement" };
	struct bec_rule r = { .name = ".", .enabled = 1, .words = w1, .nwords = 1, .move_to = "RSS Subscriptions",
			      .mark_read = 1 };
	struct bec_result x = classify(&r);
	struct buf fr = { 0 }, en = { 0 };
	CHECK_INT(bec_describe(&x, LANG_FR, &fr), 0);
	CHECK_INT(bec_describe(&x, LANG_EN, &en), 0);
	CHECK(fr.p && strstr(fr.p, "RSS Subscriptions") && strstr(fr.p, "virement") && strstr(fr.p, "lu"));
	CHECK(en.p && strstr(en.p, "rarely read folder") && strstr(en.p, "marks as read"));
	buf_free(&fr);
	buf_free(&en);
}

int main(void)
{
	i18n_init("en");
	RUN(whole_words);
	RUN(addresses);
	RUN(attacker_rules_score_high);
	RUN(ordinary_rules_stay_quiet);
	RUN(described_in_both_languages);
	T_DONE();
}
