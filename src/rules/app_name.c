/*
 * check-apps, the suspicious application (fiche 1.d, the consent file's
 * column C: "applications avec une faute dans leur nom, des blancs dans
 * les noms, … le nom d'outils offensifs"; Microsoft's consent playbook;
 * the known-abused lists): APP-009.
 *
 * Names are compared in two forms. The plain one: ASCII letters and
 * digits, lower case, accents of Latin-1 dropped (é -> e). The skeleton:
 * the plain one where what imitates a letter becomes that letter —
 * Cyrillic and Greek look-alikes and full-width forms (homoglyphs), digits
 * and signs for letters (0 o, 1 | ! l i, 3 e, 4 @ a, 5 $ s, 7 t), "rn"
 * for m, "vv" for w — and l and i one letter. A Microsoft product's name
 * found in the skeleton and not in the plain form (Micros0ft, Оutlook
 * with a Cyrillic О) is an imitation; found in the plain form of an
 * application that is not Microsoft's and not from a verified publisher,
 * a borrowing; one or two letters away from it (Microsfot, Sharepiont),
 * a misspelling ("Entra" and "Teams" are left out: words such as
 * "central" or "sales teams" hold them). Limits: other scripts (Armenian, Cherokee…), the
 * mathematical alphanumerics (U+1D400…), combining marks and
 * mixed-script words without a product name in them are not seen;
 * a misspelling is looked for word by word only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "baseline/baseline.h"
#include "model/model.h"
#include "rules/rules.h"

#define NAME_MAX_LEN 128

struct norm {
	char plain[NAME_MAX_LEN], skel[NAME_MAX_LEN];
	int homoglyph;       /* a character imitating a Latin letter */
	int odd_blank;       /* leading, trailing, doubled or invisible blanks */
	int alnum;           /* letters and digits in the name */
};

/* Cyrillic, Greek and Latin look-alikes of a Latin letter, by code point. */
static const struct { unsigned short cp; char c; } confusable[] = {
	{ 0x0251, 'a' }, { 0x0261, 'g' }, { 0x0391, 'a' }, { 0x0392, 'b' }, { 0x0395, 'e' }, { 0x0396, 'z' },
	{ 0x0397, 'h' }, { 0x0399, 'i' }, { 0x039a, 'k' }, { 0x039c, 'm' }, { 0x039d, 'n' }, { 0x039f, 'o' },
	{ 0x03a1, 'p' }, { 0x03a4, 't' }, { 0x03a5, 'y' }, { 0x03a7, 'x' }, { 0x03b1, 'a' }, { 0x03b5, 'e' },
	{ 0x03b9, 'i' }, { 0x03ba, 'k' }, { 0x03bd, 'v' }, { 0x03bf, 'o' }, { 0x03c1, 'p' }, { 0x03c4, 't' },
	{ 0x03c5, 'u' }, { 0x03c7, 'x' }, { 0x0405, 's' }, { 0x0406, 'i' }, { 0x0408, 'j' }, { 0x0410, 'a' },
	{ 0x0412, 'b' }, { 0x0415, 'e' }, { 0x041a, 'k' }, { 0x041c, 'm' }, { 0x041d, 'h' }, { 0x041e, 'o' },
	{ 0x0420, 'p' }, { 0x0421, 'c' }, { 0x0422, 't' }, { 0x0425, 'x' }, { 0x0430, 'a' }, { 0x0435, 'e' },
	{ 0x043a, 'k' }, { 0x043e, 'o' }, { 0x0440, 'p' }, { 0x0441, 'c' }, { 0x0443, 'y' }, { 0x0445, 'x' },
	{ 0x0455, 's' }, { 0x0456, 'i' }, { 0x0458, 'j' }, { 0x0501, 'd' }, { 0x051b, 'q' }, { 0x051d, 'w' },
};
/* Latin-1 letters U+00C0…U+00FF without their accent ('.' not a letter). */
static const char latin1[] = "aaaaaaaceeeeiiiidnooooo.ouuuuy.saaaaaaaceeeeiiiidnooooo.ouuuuy.y";

static unsigned utf8(const unsigned char **p)
{
	const unsigned char *s = *p;
	unsigned c = s[0], n = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : 9;
	if (n == 9) {
		*p = s + 1;
		return 0xfffd;
	}
	c &= n ? 0x3f >> n : 0x7f;
	for (unsigned i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*p = s + i;
			return 0xfffd;
		}
		c = c << 6 | (s[i] & 0x3f);
	}
	*p = s + n + 1;
	return c;
}

static void put(char *s, size_t *n, char c)
{
	if (*n < NAME_MAX_LEN - 1)
		s[(*n)++] = c;
	s[*n] = 0;
}

static void normalise(const char *name, struct norm *x)
{
	size_t np = 0, nk = 0;
	int prev_blank = 1;
	memset(x, 0, sizeof *x);
	for (const unsigned char *p = (const unsigned char *)name; *p;) {
		unsigned cp = utf8(&p);
		char c = 0, k = 0;
		int blank = cp == ' ' || cp == 0xa0 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f || cp == 0x3000;
		if ((cp >= 0x200b && cp <= 0x200d) || cp == 0x2060 || cp == 0xfeff || cp == 0xad || (blank && cp != ' '))
			x->odd_blank = 1;
		if (blank) {
			x->odd_blank |= prev_blank;   /* leading or doubled */
			prev_blank = 1;
			continue;
		}
		prev_blank = 0;
		if (cp < 0x80 && (cp | 32) >= 'a' && (cp | 32) <= 'z')
			c = (char)(cp | 32);
		else if (cp >= '0' && cp <= '9')
			c = (char)cp;
		else if (cp >= 0xc0 && cp <= 0xff && latin1[cp - 0xc0] != '.')
			c = latin1[cp - 0xc0];
		else if ((cp >= 0xff21 && cp <= 0xff3a) || (cp >= 0xff41 && cp <= 0xff5a))
			k = (char)('a' + (cp - 0xff21) % 32), x->homoglyph = 1;
		for (size_t i = 0; !c && !k && i < sizeof confusable / sizeof confusable[0]; i++)
			if (confusable[i].cp == cp)
				k = confusable[i].c, x->homoglyph = 1;
		if (!k)
			k = c;
		if (!k && cp < 0x80)
			k = cp == '@' ? 'a' : cp == '$' ? 's' : cp == '|' || cp == '!' ? 'i' : 0;
		if (c) {
			put(x->plain, &np, c);
			x->alnum++;
		}
		if (k) {
			static const char digits[] = "oi.eas.t..";   /* 0 1 2 3 4 5 6 7 8 9 */
			if (k >= '0' && k <= '9' && digits[k - '0'] != '.')
				k = digits[k - '0'];
			put(x->skel, &nk, k == 'l' ? 'i' : k);
			/* "rn" reads m, "vv" reads w */
			if (nk >= 2 && ((x->skel[nk - 2] == 'r' && k == 'n') || (x->skel[nk - 2] == 'v' && k == 'v')))
				x->skel[nk - 2] = k == 'n' ? 'm' : 'w', x->skel[--nk] = 0;
		}
	}
	x->odd_blank |= prev_blank && *name;   /* trailing */
}

static const char *const brands[] = {
	"microsoft", "office", "outlook", "exchange", "sharepoint", "onedrive", "azure", "intune",
	"defender", "windows", "m365", "o365",
};

/* The brand whose skeleton is in the name's skeleton, or NULL; *plain: also
 * in the plain form. */
static const char *brand_in(const struct norm *x, int *plain)
{
	for (size_t i = 0; i < sizeof brands / sizeof brands[0]; i++) {
		struct norm b;
		normalise(brands[i], &b);
		if (strstr(x->skel, b.skel)) {
			*plain = strstr(x->plain, brands[i]) != NULL;
			return brands[i];
		}
	}
	return NULL;
}

/* Edit distance of a and b, stopping above max (returns max + 1). */
static int distance(const char *a, const char *b, int max)
{
	int la = (int)strlen(a), lb = (int)strlen(b), d[NAME_MAX_LEN];
	if (abs(la - lb) > max || lb >= NAME_MAX_LEN)
		return max + 1;
	for (int j = 0; j <= lb; j++)
		d[j] = j;
	for (int i = 1; i <= la; i++) {
		int prev = d[0], best;
		d[0] = best = i;
		for (int j = 1; j <= lb; j++) {
			int cur = d[j], v = prev + (a[i - 1] != b[j - 1]);
			if (d[j] + 1 < v)
				v = d[j] + 1;
			if (d[j - 1] + 1 < v)
				v = d[j - 1] + 1;
			d[j] = v;
			prev = cur;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
	}
	return d[lb];
}

/* A word of the name one letter (two from eight letters) away from a
 * brand: "Microsfot". */
static const char *typo(const char *name)
{
	char w[NAME_MAX_LEN];
	for (const char *p = name; *p;) {
		size_t n = 0;
		for (; *p && (*p | 32) >= 'a' && (*p | 32) <= 'z'; p++)
			if (n < sizeof w - 1)
				w[n++] = (char)(*p | 32);
		w[n] = 0;
		for (size_t i = 0; n >= 5 && i < sizeof brands / sizeof brands[0]; i++) {
			int d = distance(w, brands[i], n >= 8 ? 2 : 1);
			if (d > 0 && d <= (n >= 8 ? 2 : 1))
				return brands[i];
		}
		while (*p && !(((*p | 32) >= 'a' && (*p | 32) <= 'z')))
			p++;
	}
	return NULL;
}

/* Offensive tools and words (plain form; short ones at a word's start). */
static const char *tool(const struct norm *x, const char *name)
{
	static const char *const t[] = {
		"roadtools", "roadrecon", "roadtx", "aadinternals", "graphrunner", "graphspy", "tokentactics",
		"azurehound", "bloodhound", "mimikatz", "evilginx", "modlishka", "mailsniper", "o365creeper",
		"msolspray", "trevorspray", "teamfiltration", "powerzure", "microburst", "stormspotter", "stealer",
		"cobaltstrike", "metasploit", "impacket", "backdoor", "exploit", "malware", "ransom", "phish",
		"hack", "pwn", "sliver", "havoc",
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		size_t l = strlen(t[i]);
		if (l >= 6 ? strstr(x->plain, t[i]) != NULL : 0)
			return t[i];
		for (const char *p = name; l < 6 && *p; p++)
			if ((p == name || !((p[-1] | 32) >= 'a' && (p[-1] | 32) <= 'z')) && !strncasecmp(p, t[i], l))
				return t[i];
	}
	return NULL;
}

static int placeholder(const struct norm *x)
{
	static const char *const w[] = { "test", "tests", "testing", "testapp", "app", "application", "demo",
					 "sample", "temp", "tmp", "default", "myapp", "newapp", "untitled", "noname",
					 "none", "null" };
	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
		if (!strcmp(x->plain, w[i]))
			return 1;
	return x->alnum <= 1;
}

/* Reply addresses: wildcards, plain http beyond this machine, this
 * machine on a web application open to other tenants, a bare IP address,
 * tunnels, free hosting and shorteners (Zero Trust Assessment 21885;
 * Microsoft's consent playbook: "temporary domains"). */
static int url_odd(const char *u, int web, int multi)
{
	static const char *const throwaway[] = {
		"ngrok.io", "ngrok-free.app", "ngrok.app", "ngrok.dev", "trycloudflare.com", "loca.lt",
		"localtunnel.me", "serveo.net", "localhost.run", "lhr.life", "pagekite.me", "webhook.site",
		"pipedream.net", "requestcatcher.com", "glitch.me", "repl.co", "replit.dev", "herokuapp.com",
		"onrender.com", "workers.dev", "pages.dev", "netlify.app", "vercel.app", "web.app",
		"firebaseapp.com", "000webhostapp.com", "duckdns.org", "no-ip.org", "ddns.net", "bit.ly",
		"tinyurl.com", "is.gd",
	};
	const char *h = strstr(u, "://");
	if (!h)
		return 0;
	int http = h - u == 4 && !strncasecmp(u, "http", 4);
	if (!http && !(h - u == 5 && !strncasecmp(u, "https", 5)))
		return 0;          /* msal…://, ms-app://: native clients */
	h += 3;
	size_t n = h[0] == '[' ? strcspn(h, "]") + 1 : strcspn(h, ":/?#");
	int local = (n == 9 && !strncasecmp(h, "localhost", 9)) || !strncmp(h, "127.", 4) || !strncmp(h, "[::1]", 5);
	if (memchr(h, '*', n) || (http && !local) || (local && web && multi))
		return 1;
	if (!local && (h[0] == '[' || strspn(h, "0123456789.") == n))
		return 1;
	return app_host_in(h, n, throwaway, sizeof throwaway / sizeof throwaway[0]);
}

/* Names of the users, normalised, to tell an application named after one. */
static int user_names(const struct mdl_apps *m, struct mdl_arena *ar, struct mdl_map *out)
{
	for (size_t i = 0; i < m->n_users; i++) {
		const struct mdl_app_user *u = &m->users[i];
		char local[NAME_MAX_LEN];
		const char *v[2] = { u->name, local };
		snprintf(local, sizeof local, "%.*s", u->upn ? (int)strcspn(u->upn, "@") : 0, u->upn ? u->upn : "");
		for (int k = 0; k < 2; k++) {
			struct norm x;
			const char *s;
			normalise(v[k] ? v[k] : "", &x);
			if (strlen(x.plain) < 4 || mdl_map_get(out, x.plain) != MDL_NONE)
				continue;
			if (!(s = mdl_intern(ar, x.plain)) || mdl_map_put(out, s, i) < 0)
				return -1;
		}
	}
	return 0;
}

/* Traits of object k into b (both languages, "; "-joined); the worst
 * severity they carry. */
static int traits(const struct rule_ctx *c, size_t k, const struct mdl_map *users, struct buf b[2],
		  enum rule_sev *sev)
{
	const struct mdl_apps *m = APP_M(c);
	const struct mdl_app *o = &m->obj[k];
	struct norm x;
	int plain = 0, n = 0, rc = 0;
	const char *brand;
	normalise(o->name ? o->name : "", &x);
	*sev = SEV_INFO;
#define TRAIT(s, ...) do { if (n++) rc |= rule_text(b, M_APP_SEMI); rc |= rule_text(b, __VA_ARGS__); \
	if ((s) > *sev) *sev = (s); } while (0)
	if (mdl_abused_app(o->app_id))
		TRAIT(SEV_HIGH, M_APP009_ABUSED);
	if (o->origin == ORG_MICROSOFT)
		return rc;
	int verified = o->verified != NULL;
	if ((brand = brand_in(&x, &plain)) && (!plain || x.homoglyph))
		TRAIT(SEV_MEDIUM, M_APP009_LOOKALIKE, brand);
	else if (brand && !verified)
		TRAIT(SEV_LOW, M_APP009_BRAND, brand);
	else if (!brand && (brand = typo(o->name ? o->name : "")))
		TRAIT(SEV_LOW, M_APP009_TYPO, brand);
	if ((brand = tool(&x, o->name ? o->name : "")))
		TRAIT(SEV_MEDIUM, M_APP009_TOOL, brand);
	size_t u = strlen(x.plain) >= 4 ? mdl_map_get(users, x.plain) : MDL_NONE;
	if (u != MDL_NONE)
		TRAIT(SEV_LOW, M_APP009_USER, m->users[u].upn ? m->users[u].upn : m->users[u].id);
	if (x.odd_blank || placeholder(&x))
		TRAIT(SEV_LOW, M_APP009_BLANK);
	unsigned reach = app_reach(o) | (o->user_perms & PERM_STRONG);
	int multi = !o->audience || strcasecmp(o->audience, "AzureADMyOrg");
	if (o->origin == ORG_THIRD && !verified && multi && reach)
		TRAIT(SEV_MEDIUM, M_APP009_UNVERIFIED);
	size_t peer = o->peer;
	for (size_t i = 0; i < m->n_urls; i++) {
		const struct mdl_app_url *w = &m->urls[i];
		if ((w->obj == k || w->obj == peer) && url_odd(w->url, w->web, multi)) {
			TRAIT(SEV_LOW, M_APP009_URL, w->url);
			break;
		}
	}
#undef TRAIT
	/* A trait alone is low; with a secret, strong permissions or a
	 * creation within the window it is worth a closer look. */
	int armed = reach || o->created >= c->since;
	for (size_t i = o->c0; i < o->c0 + o->nc; i++)
		armed |= !m->creds[i].saml;
	if (*sev == SEV_LOW && armed)
		*sev = SEV_MEDIUM;
	return rc ? -1 : n;
}

int app_r_suspicious(const struct rule_ctx *c, const struct rule *r, struct findings *out)
{
	const struct mdl_apps *m = APP_M(c);
	struct mdl_map users = { 0 };
	struct mdl_arena ar = { 0 };
	int rc = app_have(c, r, out, APP_SRC_USERS) < 0 || (c->src[APP_SRC_USERS].ok && user_names(m, &ar, &users) < 0);
	for (size_t k = 0; k < m->n_obj && rc == 0; k++) {
		const struct mdl_app *o = &m->obj[k];
		/* An application is judged through its service principal. */
		if (!o->sp && o->peer != MDL_NONE)
			continue;
		struct buf b[2] = { { 0 } }, t[2] = { { 0 } };
		enum rule_sev sev;
		int n = traits(c, k, &users, t, &sev);
		if (n < 0) {
			rc = -1;
		} else if (n > 0) {
			int known = app_known(c, o);
			if (known && sev > SEV_LOW)
				sev = SEV_LOW;
			rc = app_head(b, o);
			for (int l = 0; l < 2 && rc == 0; l++)
				rc = buf_trf_lang(&b[l], (enum lang)l, M_APP009_D, t[l].p);
			if (rc == 0 && known)
				rc = rule_text(b, M_APP_KNOWN);
			struct finding *f = rc == 0 ? app_emit(out, r, sev, m, k, b) : NULL;
			if (!f)
				rc = -1;
			else
				f->compromise = sev >= SEV_MEDIUM;
		}
		app_bufs_free(b);
		app_bufs_free(t);
	}
	mdl_map_free(&users);
	mdl_arena_free(&ar);
	return rc ? -1 : 0;
}
