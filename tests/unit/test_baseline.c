/* The baseline INI: parsing, errors with file:line, look-ups (CIDR v4/v6),
 * and --make-baseline's writer reading back what it wrote. */
#include <stdlib.h>

#include "baseline/baseline.h"
#include "t.h"

static int parse(const char *s, struct bl *b)
{
	return bl_parse(s, strlen(s), "bl.ini", b);
}

static void parses_sections(void)
{
	struct bl b;
	const char *s = "\xEF\xBB\xBF; a comment\r\n"
		"[tenant]\nid = 8f4c1a2e-7d3b-4c5e-9a10-2b3c4d5e6f70\ndomain = contoso.com\n"
		"[ADMINS]\nalice@contoso.com = Alice Martin, DSI\n5f3c0000-0000-4000-8000-000000000001\n"
		"  # indented comment\n"
		"[break-glass]\nbg@contoso.onmicrosoft.com   ; the safe\n"
		"[service-principals]\nd1f0c0de-0000-4000-8000-00000000beef = Backup\n"
		"[countries]\nfr\nBe ; Belgique\n"
		"[networks]\n192.0.2.0/24 = siège\n2001:db8::/32\n198.51.100.7\n"
		"[guest-domains]\n@partner.example\n"
		"[federated-domains]\ncontoso.com = http://sts.contoso.com/adfs/services/trust#x\n";
	CHECK_INT(parse(s, &b), 0);
	CHECK(b.present);
	CHECK_STR(b.tenant_id, "8f4c1a2e-7d3b-4c5e-9a10-2b3c4d5e6f70");
	CHECK_STR(b.tenant_domain, "contoso.com");
	CHECK_INT(b.admins.n, 2);
	CHECK_STR(b.admins.note[0], "Alice Martin, DSI");
	CHECK(b.admins.note[1] == NULL);
	CHECK_INT(b.breakglass.n, 1);
	CHECK_STR(b.breakglass.v[0], "bg@contoso.onmicrosoft.com");
	CHECK_INT(b.countries.n, 2);
	CHECK_STR(b.countries.v[0], "FR");
	CHECK_STR(b.countries.v[1], "BE");
	CHECK_INT(b.nnets, 3);
	CHECK_STR(b.guest_domains.v[0], "partner.example");
	/* '#' inside a value (no blank before it) is not a comment */
	CHECK_STR(b.fed_domains.note[0], "http://sts.contoso.com/adfs/services/trust#x");
	bl_free(&b);
}

static void errors_name_the_line(void)
{
	struct bl b;
	CHECK_INT(parse("[admins]\nx@y\n[admin]\n", &b), -1);
	CHECK(strstr(err_msg(), "bl.ini:3") && strstr(err_msg(), "[admin]"));
	CHECK_INT(parse("x@y\n", &b), -1);
	CHECK(strstr(err_msg(), "bl.ini:1"));
	CHECK_INT(parse("[countries]\nFRA\n", &b), -1);
	CHECK(strstr(err_msg(), "bl.ini:2") && strstr(err_msg(), "FRA"));
	CHECK_INT(parse("[networks]\n10.0.0.0/33\n", &b), -1);
	CHECK_INT(parse("[networks]\n10.0.0/8\n", &b), -1);
	CHECK_INT(parse("[networks]\n2001:db8::/129\n", &b), -1);
	CHECK_INT(parse("[tenant]\nname = x\n", &b), -1);
	CHECK_INT(parse("[tenant]\nid\n", &b), -1);
	CHECK_INT(parse("[admins\n", &b), -1);
	/* one '@' before a guest domain, no empty one (fuzz_baseline: "@@x"
	 * lost an '@' each time it was written back and read) */
	CHECK_INT(parse("[guest-domains]\n@@partner.example\n", &b), -1);
	CHECK(strstr(err_msg(), "bl.ini:2") && strstr(err_msg(), "not a domain name"));
	CHECK_INT(parse("[guest-domains]\n@\n", &b), -1);
	CHECK_INT(parse("[admins]\n = note\n", &b), -1);
	CHECK_INT(bl_parse("[admins]\nx\x01y\n", 12, "bl.ini", &b), -1);
	CHECK_INT(parse("[admins]\n\xC3\x28\n", &b), -1);         /* invalid UTF-8 */
	char *big = malloc(BL_MAX_LINE + 20);
	memset(big, 'a', BL_MAX_LINE + 10);
	memcpy(big, "[admins]\n", 9);
	big[BL_MAX_LINE + 10] = 0;
	CHECK_INT(parse(big, &b), -1);
	CHECK(strstr(err_msg(), "too long"));
	free(big);
	/* nothing leaks from a failed parse: b is left empty */
	CHECK_INT(b.admins.n, 0);
}

static void networks(void)
{
	struct bl b;
	CHECK_INT(parse("[networks]\n192.0.2.0/24\n2001:db8:1::/48\n198.51.100.7\n0.0.0.0/0\n", &b), 0);
	CHECK(bl_ip_ok(&b, "192.0.2.200"));
	CHECK(bl_ip_ok(&b, "198.51.100.7"));
	CHECK(bl_ip_ok(&b, "2001:db8:1:ffff::1"));
	CHECK(!bl_ip_ok(&b, "2001:db8:2::1"));
	CHECK(bl_ip_ok(&b, "::ffff:192.0.2.9"));      /* IPv4-mapped */
	CHECK(!bl_ip_ok(&b, "not an ip"));
	CHECK(!bl_ip_ok(&b, "192.0.2.1/24"));
	CHECK(!bl_ip_ok(&b, NULL));
	bl_free(&b);
	CHECK_INT(parse("[networks]\n192.0.2.0/23\n::ffff:10.0.0.0/104\n", &b), 0);
	CHECK(bl_ip_ok(&b, "192.0.3.255"));
	CHECK(!bl_ip_ok(&b, "192.0.4.0"));
	CHECK(bl_ip_ok(&b, "10.255.1.1"));             /* mapped range = 10/8 */
	CHECK(!bl_ip_ok(&b, "11.0.0.1"));
	CHECK(!bl_ip_ok(&b, "0.0.0.1"));
	bl_free(&b);
}

static void lookups(void)
{
	struct bl b;
	CHECK_INT(parse("[admins]\nAlice@Contoso.com\n5F3C0000-0000-4000-8000-000000000001\n"
			"[break-glass]\nbg@contoso.onmicrosoft.com\n"
			"[service-principals]\nd1f0c0de-0000-4000-8000-00000000beef\n"
			"[countries]\nFR\n[guest-domains]\npartner.example\n"
			"[federated-domains]\nfed.example = http://sts.fed.example/adfs\nany.example\n", &b), 0);
	CHECK(bl_known_admin(&b, NULL, "alice@contoso.com"));
	CHECK(bl_known_admin(&b, "5f3c0000-0000-4000-8000-000000000001", "x@y"));
	CHECK(bl_known_admin(&b, "nope", "BG@contoso.onmicrosoft.com"));   /* break-glass */
	CHECK(bl_is_breakglass(&b, NULL, "bg@contoso.onmicrosoft.com"));
	CHECK(!bl_known_admin(&b, "nope", "bob@contoso.com"));
	CHECK(bl_known_sp(&b, "other", "D1F0C0DE-0000-4000-8000-00000000BEEF"));
	CHECK(!bl_known_sp(&b, NULL, NULL));
	CHECK(bl_country_ok(&b, "FR") && !bl_country_ok(&b, "RU"));
	CHECK(bl_guest_domain_ok(&b, "Partner.Example"));
	CHECK_INT(bl_fed_domain(&b, "fed.example", "http://sts.fed.example/adfs"), 1);
	CHECK_INT(bl_fed_domain(&b, "fed.example", "http://sts.evil.example/adfs"), 2);
	CHECK_INT(bl_fed_domain(&b, "any.example", "whatever"), 1);
	CHECK_INT(bl_fed_domain(&b, "other.example", "x"), 0);
	bl_free(&b);
}

/* What --make-baseline writes reads back the same, and a hostile display
 * name cannot add an entry. */
static void writer_round_trip(void)
{
	struct bl a = { 0 }, b;
	struct buf out = { 0 };
	a.present = 1;
	strcpy(a.tenant_id, "8f4c1a2e-7d3b-4c5e-9a10-2b3c4d5e6f70");
	CHECK_INT(bl_add(&a.admins, "alice@contoso.com", "Alice\n[admins]\nmallory@evil.example"), 0);
	CHECK_INT(bl_add(&a.admins, "bad key=x", NULL), 0);
	CHECK_INT(bl_add(&a.sps, "d1f0c0de-0000-4000-8000-00000000beef", "Backup"), 0);
	CHECK_INT(bl_add(&a.countries, "FR", NULL), 0);
	CHECK_INT(bl_add_net(&a, "192.0.2.0/24", "siège"), 0);
	CHECK_INT(bl_add_net(&a, "nonsense", NULL), -1);
	CHECK_INT(bl_add(&a.fed_domains, "fed.example", "http://sts.fed.example/adfs"), 0);
	/* check-mail's entries hold names with blanks inside; a blank before
	 * a comment sign, or at an end, would not read back as written */
	CHECK_INT(bl_add(&a.mail_flow, "rule:Phishing simulation>SCL", NULL), 0);
	CHECK_INT(bl_add(&a.mail_flow, "rule:x ;y>SCL", NULL), 0);
	CHECK_INT(bl_add(&a.mail_flow, " lead", NULL), 0);
	CHECK_INT(bl_format(&a, "test header", &out), 0);
	CHECK_INT(bl_parse(out.p, out.len, "made.ini", &b), 0);
	CHECK_INT(b.admins.n, 1);                      /* the bad key became a comment */
	CHECK_STR(b.admins.v[0], "alice@contoso.com");
	CHECK(!bl_known_admin(&b, NULL, "mallory@evil.example"));
	CHECK_STR(b.tenant_id, a.tenant_id);
	CHECK_INT(b.sps.n, 1);
	CHECK(bl_country_ok(&b, "FR"));
	CHECK(bl_ip_ok(&b, "192.0.2.1"));
	CHECK_INT(bl_fed_domain(&b, "fed.example", "http://sts.fed.example/adfs"), 1);
	CHECK_INT(b.mail_flow.n, 1);
	CHECK(bl_in(&b.mail_flow, "rule:phishing simulation>SCL"));
	bl_free(&b);
	bl_free(&a);
	buf_free(&out);
}

int main(void)
{
	i18n_init("en");
	RUN(parses_sections);
	RUN(errors_name_the_line);
	RUN(networks);
	RUN(lookups);
	RUN(writer_round_trip);
	T_DONE();
}
