/*
 * Inbox rules and business email compromise: the traits of one rule,
 * whatever it was read from — an Exchange Get-InboxRule object
 * (check-mail) or the parameters of New-InboxRule / Set-InboxRule /
 * UpdateInboxRules in the unified audit log (check-events). Both callers
 * fill a struct bec_rule and read the same traits and the same level, so
 * the two checks judge a rule alike. Pure: no I/O, no model.
 *
 * Traits (shared/specs/check-mail.md §5.2 and §6, from peers' rules and
 * incident reporting) and the level they give (0 none, 1 low, 2 medium,
 * 3 high):
 *   BEC_FWD_EXT      ForwardTo / ForwardAsAttachmentTo / RedirectTo hold
 *                    an SMTP address outside the tenant's domains (Hawk,
 *                    Osprey, 365Inspect)                                  3
 *   BEC_FWD_UNKNOWN  the same, the tenant's domains not known             2
 *   BEC_FWD_INT      only the tenant's own addresses (or EX: entries)     1
 *   BEC_DELETE       DeleteMessage / SoftDeleteMessage, or a move to
 *                    Deleted Items (Hawk Test-SuspiciousInboxRule)         2
 *   BEC_FOLDER       a move to RSS Feeds / RSS Subscriptions /
 *                    Conversation History / Archive / Junk Email / Sync
 *                    Issues, or their French names (Sentinel "Malicious
 *                    Mailbox Rules (BEC)", Proofpoint 2026)               2
 *   BEC_HIDE_READ    delete or such a folder, and MarkAsRead              3
 *   BEC_NAME         a name made only of punctuation, or holding ".."
 *                    or ",," (Proofpoint: ".", "...", "..", ";", ";;;"
 *                    top the list): 2; a short name of letters ("RH"): 1;
 *                    with any of the actions above                        3
 *   BEC_KEYWORDS     a condition's words hold a finance/BEC keyword,
 *                    matched as whole words (a raw substring would make
 *                    "ach" fire on "attachment") — with delete, such a
 *                    folder, mark-as-read or a forward outside            3
 *   BEC_SECALERT     security-alert words (Sentinel Malicious_Inbox_Rule),
 *                    the same                                             3
 *   BEC_CATCHALL     no condition (or only one-letter words, which match
 *                    every message), the same                             3
 *   BEC_VENDOR       From an outside address or domain, then deleted,
 *                    hidden or marked read (supplier thread hijack)       3
 * Where this departs from check-mail.md §5.2, on purpose, so that
 * ordinary business rules stay quiet: keywords, a catch-all or a sender
 * outside with a move to an ordinary folder ("Factures" filed into
 * "Factures", a newsletter into "Lettres d'information") are level 1,
 * not 3 — the spec's "move" counts here only towards the folders above.
 * A disabled rule is one level lower, never dropped. Words are matched
 * without case (ASCII, and the accented Latin-1 letters of French).
 */
#include <string.h>
#include <strings.h>

#include "rules/rules.h"

/* Sentinel BEC_MailboxRule.yaml and bitpusher's list (check-mail.md
 * §6.2); the French ones are reflexe's own (proposed there). */
static const char *const finance[] = {
	"invoice", "invoices", "payment", "payroll", "paycheck", "transfer", "bank statement",
	"bank details", "wire", "closing", "funds", "bank account", "account details", "iban",
	"ach", "remit", "remittance", "purchase", "deposit", "pro-forma", "bank", "platnosc",
	"po#", "zahlung", "rechnung", "paiement", "virement bancaire", "bankuberweisung", "virement",
	"payrollhelpdesk", "direct deposit", "docusign", "w2", "swift",
	"facture", "factures", "règlement", "rib", "coordonnées bancaires",
	"changement de coordonnées", "relevé", "acompte", "avoir", "devis", "bon de commande",
};
static const char *const security[] = {
	"hacked", "phishing", "phish", "hack", "fraud", "compromise", "compromised", "password",
	"helpdesk", "mfa", "scam", "alert", "suspicious", "fake", "malicious", "spam",
	"do not click", "do not open", "hijacked", "fatal", "doc",
	"piratage", "piraté", "compromis", "hameçonnage", "sécurité", "mot de passe", "suspect",
	"ne pas cliquer", "ne pas ouvrir", "arnaque",
};
/* check-mail.md §6.3; the French names are UNVERIFIED there: both are
 * matched. */
static const char *const folders[] = {
	"rss feeds", "rss subscriptions", "conversation history", "archive", "archives",
	"deleted items", "junk email", "junk e-mail", "sync issues",
	"flux rss", "abonnements rss", "historique des conversations", "éléments supprimés",
	"courrier indésirable", "problèmes de synchronisation",
};

/* Lower case of one character at s: ASCII, and the Latin-1 capitals
 * of UTF-8 (C3 80..9E, but not × at C3 97) to their small letters. */
static size_t fold(const unsigned char *s, unsigned char out[2])
{
	if (s[0] == 0xC3 && s[1] >= 0x80 && s[1] <= 0xBF) {
		out[0] = 0xC3;
		out[1] = (unsigned char)(s[1] <= 0x9E && s[1] != 0x97 ? s[1] + 0x20 : s[1]);
		return 2;
	}
	out[0] = (unsigned char)(s[0] >= 'A' && s[0] <= 'Z' ? s[0] | 0x20 : s[0]);
	return 1;
}

/* Part of a word: letters, digits, and any byte of a UTF-8 sequence
 * (accented letters); not blanks or punctuation. */
static int wordc(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* Does key start at s, case folded? *n gets the length of text matched. */
static int match_at(const char *s, const char *key, size_t *n)
{
	const unsigned char *a = (const unsigned char *)s, *b = (const unsigned char *)key;
	size_t i = 0, j = 0;
	while (b[j]) {
		unsigned char fa[2], fb[2];
		if (!a[i])
			return 0;
		size_t la = fold(a + i, fa), lb = fold(b + j, fb);
		if (la != lb || fa[0] != fb[0] || (la == 2 && fa[1] != fb[1]))
			return 0;
		i += la;
		j += lb;
	}
	*n = i;
	return 1;
}

const char *bec_has_word(const char *text, const char *const *keys, size_t nkeys)
{
	if (!text)
		return NULL;
	for (const char *p = text; *p; p++) {
		if (p > text && wordc((unsigned char)p[-1]) && wordc((unsigned char)p[0]))
			continue;       /* not at the start of a word */
		for (size_t k = 0; k < nkeys; k++) {
			size_t n;
			if (!match_at(p, keys[k], &n))
				continue;
			/* whole word: the key ends where a word ends (or the
			 * key itself ends on punctuation: "po#", "re:") */
			unsigned char last = (unsigned char)keys[k][strlen(keys[k]) - 1];
			if (!wordc(last) || !wordc((unsigned char)p[n]))
				return keys[k];
		}
	}
	return NULL;
}

/* The SMTP address of a recipient as Exchange writes it:
 * "Name" [SMTP:a@b.c], [EX:/o=…] (internal, no address: NULL), a bare
 * address, or "smtp:a@b.c". */
const char *bec_address(const char *r, char *out, size_t n)
{
	if (!r || !n)
		return NULL;
	const char *p = strstr(r, "[SMTP:");
	if (!p)
		p = strstr(r, "[smtp:");
	const char *start, *end;
	if (p) {
		start = p + 6;
		end = strchr(start, ']');
	} else if (strstr(r, "[EX:") || strstr(r, "[ex:") || !strchr(r, '@')) {
		return NULL;
	} else {
		start = r;
		while (*start == ' ' || *start == '"')
			start++;
		if (!strncasecmp(start, "smtp:", 5))
			start += 5;
		end = start + strcspn(start, " \";,>]");
	}
	if (!end || end <= start || (size_t)(end - start) >= n)
		return NULL;
	memcpy(out, start, (size_t)(end - start));
	out[end - start] = 0;
	return strchr(out, '@') ? out : NULL;
}

int bec_internal(const struct bec_ctx *c, const char *addr)
{
	const char *at = addr ? strrchr(addr, '@') : NULL;
	if (!at || !c || !c->ndomains)
		return -1;
	for (size_t i = 0; i < c->ndomains; i++) {
		const char *d = c->domains[i];
		size_t dn = strlen(d), an = strlen(at + 1);
		/* the domain itself, or a subdomain of it */
		if (!strcasecmp(at + 1, d) || (an > dn && at[an - dn] == '.' && !strcasecmp(at + 1 + an - dn, d)))
			return 1;
	}
	return 0;
}

/* 2: punctuation only (or no name), or ".."/",," inside; 1: a short
 * name of letters or digits; 0: a name. */
static int odd_name(const char *name)
{
	if (!name)
		return 2;
	while (*name == ' ' || *name == '\t')
		name++;
	size_t n = strlen(name);
	while (n && (name[n - 1] == ' ' || name[n - 1] == '\t'))
		n--;
	int alnum = 0;
	for (size_t i = 0; i < n; i++)
		alnum |= wordc((unsigned char)name[i]);
	if (!alnum)
		return 2;
	for (size_t i = 0; i + 1 < n; i++)
		if ((name[i] == '.' && name[i + 1] == '.') || (name[i] == ',' && name[i + 1] == ','))
			return 2;
	return n <= 2;
}

/* The last component of a folder path ("\\Inbox\\RSS Feeds", ":\\Archive"). */
static const char *leaf(const char *f)
{
	const char *l = f;
	for (const char *p = f; *p; p++)
		if (*p == '\\' || *p == '/' || *p == ':')
			l = p + 1;
	while (*l == ' ')
		l++;
	return l;
}

static int obscure(const char *folder)
{
	if (!folder || !*folder)
		return 0;
	const char *l = leaf(folder);
	size_t n = strlen(l);
	while (n && l[n - 1] == ' ')
		n--;
	for (size_t i = 0; i < sizeof folders / sizeof folders[0]; i++) {
		size_t m;
		if (match_at(l, folders[i], &m) && m == n)
			return 1;
	}
	return 0;
}

static int deleted_items(const char *folder)
{
	if (!folder)
		return 0;
	const char *l = leaf(folder);
	size_t m;
	return (match_at(l, "deleted items", &m) && !l[m]) || (match_at(l, "éléments supprimés", &m) && !l[m]);
}

int bec_classify(const struct bec_rule *r, const struct bec_ctx *c, struct bec_result *out)
{
	char addr[320];
	memset(out, 0, sizeof *out);
	int move = r->move_to && *r->move_to;
	/* forwards */
	for (size_t i = 0; i < r->nfwd; i++) {
		const char *a = bec_address(r->fwd[i], addr, sizeof addr);
		int in = a ? bec_internal(c, a) : 1;   /* EX: entries are internal */
		if (in == 0) {
			out->traits |= BEC_FWD_EXT;
			if (!out->fwd_ext)
				out->fwd_ext = r->fwd[i];
		} else if (in < 0) {
			out->traits |= BEC_FWD_UNKNOWN;
			if (!out->fwd_ext)
				out->fwd_ext = r->fwd[i];
		} else {
			out->traits |= BEC_FWD_INT;
		}
	}
	if (r->del || deleted_items(r->move_to))
		out->traits |= BEC_DELETE;
	if (obscure(r->move_to)) {
		out->traits |= BEC_FOLDER;
		out->folder = r->move_to;
	}
	if ((out->traits & (BEC_DELETE | BEC_FOLDER)) && r->mark_read)
		out->traits |= BEC_HIDE_READ;
	if ((out->name_level = odd_name(r->name)))
		out->traits |= BEC_NAME;
	/* conditions */
	int words = 0, letters_only = 1;
	for (size_t i = 0; i < r->nwords; i++) {
		const char *w = r->words[i];
		if (!w || !*w)
			continue;
		words++;
		size_t k = 0;
		for (const char *p = w; *p; p++)
			k += wordc((unsigned char)*p);
		if (k > 1)
			letters_only = 0;
		const char *hit;
		if (!out->keyword && (hit = bec_has_word(w, finance, sizeof finance / sizeof finance[0]))) {
			out->traits |= BEC_KEYWORDS;
			out->keyword = hit;
		}
		if (!out->alert_word && (hit = bec_has_word(w, security, sizeof security / sizeof security[0]))) {
			out->traits |= BEC_SECALERT;
			out->alert_word = hit;
		}
	}
	int from_ext = 0;
	for (size_t i = 0; i < r->nfrom; i++) {
		const char *a = bec_address(r->from[i], addr, sizeof addr);
		/* FromAddressContainsWords may be a bare domain */
		char dom[320];
		if (!a && r->from[i] && strchr(r->from[i], '.') && !strchr(r->from[i], ' ')) {
			size_t k = strlen(r->from[i]);
			if (k + 2 < sizeof dom) {
				dom[0] = 'x';
				dom[1] = '@';
				memcpy(dom + 2, r->from[i][0] == '@' ? r->from[i] + 1 : r->from[i], k + 1);
				a = dom;
			}
		}
		if (a && bec_internal(c, a) == 0)
			from_ext = 1;
	}
	int hidden = (out->traits & (BEC_DELETE | BEC_FOLDER)) != 0;
	if ((!words || letters_only) && !r->nfrom && !r->other_cond && (move || r->del || r->mark_read || r->nfwd))
		out->traits |= BEC_CATCHALL;
	if (from_ext && (hidden || r->mark_read))
		out->traits |= BEC_VENDOR;

	/* the level: the highest of the rows that match, then combined */
	unsigned t = out->traits;
	int bad_act = hidden || r->mark_read || (t & (BEC_FWD_EXT | BEC_FWD_UNKNOWN));
	int lv = 0;
	if (t & BEC_FWD_INT)
		lv = 1;
	if (t & (BEC_KEYWORDS | BEC_SECALERT | BEC_CATCHALL))
		lv = lv < 1 ? 1 : lv;
	if (t & BEC_NAME)
		lv = lv < out->name_level ? out->name_level : lv;
	if (t & (BEC_DELETE | BEC_FOLDER | BEC_FWD_UNKNOWN))
		lv = lv < 2 ? 2 : lv;
	if (t & (BEC_FWD_EXT | BEC_HIDE_READ | BEC_VENDOR))
		lv = 3;
	if ((t & (BEC_KEYWORDS | BEC_SECALERT | BEC_CATCHALL)) && bad_act)
		lv = 3;
	if ((t & BEC_NAME) && (hidden || (t & (BEC_FWD_EXT | BEC_FWD_UNKNOWN | BEC_FWD_INT))))
		lv = 3;
	if (r->enabled == 0 && lv > 0)
		lv--;
	out->level = lv;
	return lv;
}

int bec_describe(const struct bec_result *r, enum lang l, struct buf *out)
{
	static const enum msg_id words[BEC_NTRAITS] = {
		M_BEC_FWD_EXT, M_BEC_FWD_UNKNOWN, M_BEC_FWD_INT, M_BEC_DELETE, M_BEC_FOLDER,
		M_BEC_HIDE_READ, M_BEC_NAME, M_BEC_KEYWORDS, M_BEC_SECALERT, M_BEC_CATCHALL, M_BEC_VENDOR,
	};
	const char *arg[BEC_NTRAITS] = { r->fwd_ext, r->fwd_ext, "", "", r->folder, "", "", r->keyword,
					 r->alert_word, "", "" };
	int k = 0, rc = 0;
	for (int i = 0; i < BEC_NTRAITS; i++) {
		if (!(r->traits & (1u << i)))
			continue;
		if (k++)
			rc |= buf_puts(out, ", ");
		/* each message has one %s (the address, folder or word), or none */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		rc |= buf_printf(out, tr_lang(words[i], l), arg[i] ? arg[i] : "");
#pragma GCC diagnostic pop
	}
	return rc ? -1 : 0;
}
