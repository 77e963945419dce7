/* libFuzzer harness for the baseline INI file (baseline/baseline.c): a
 * file from the kit, or one handed over by the customer. The input is
 * parsed; what parses is looked up every way the rules do, written back
 * with bl_format (--make-baseline) and parsed again: the second parse
 * must succeed and give the same entries, but for those write.c turns
 * into comments on purpose (bl_key_ok: a key with blanks or control
 * characters, which could not be read back as one entry) — and never one more: a
 * hostile display name must not become an entry. Notes are free text
 * (a " ;" in one starts a comment on reading): not compared. Also the
 * network parser ([networks] entries) on the raw input.
 *
 * Seeds: tests/fuzz/seeds/fuzz_baseline (kit template, test fixtures).
 * `make fuzz FUZZERS=fuzz_baseline`; replayed by tests/it/fuzz_corpus.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "baseline/baseline.h"


FUZZ_INIT(fuzz_nothing)

static void same_list(const struct bl_list *a, const struct bl_list *b)
{
	size_t k = 0;
	for (size_t i = 0; i < a->n; i++) {
		if (!bl_key_ok(a->v[i]))
			continue;
		MUST(k < b->n);
		if (strcmp(a->v[i], b->v[k]))
			fprintf(stderr, "fuzz_baseline: read '%s', written then read '%s'\n", a->v[i], b->v[k]);
		MUST(!strcmp(a->v[i], b->v[k]));
		k++;
	}
	MUST(k == b->n);
}

static void lookups(const struct bl *b)
{
	static const char *ips[] = { "10.1.2.3", "203.0.113.10", "::1", "2001:db8::1",
				     "::ffff:192.0.2.1", "not an ip", "" };
	for (size_t i = 0; i < sizeof ips / sizeof ips[0]; i++)
		MUST(bl_ip_ok(b, ips[i]) == 0 || bl_ip_ok(b, ips[i]) == 1);
	bl_known_admin(b, "a1000000-0000-4000-8000-000000000001", "admin1@contoso.com");
	bl_is_breakglass(b, "x", "bg1@contoso.onmicrosoft.com");
	bl_known_sp(b, "x", "00000003-0000-0000-c000-000000000000");
	bl_country_ok(b, "FR");
	bl_guest_domain_ok(b, "partner.example");
	int f = bl_fed_domain(b, "contoso.com", "http://sts.contoso.com/adfs/services/trust");
	MUST(f >= 0 && f <= 2);
	/* every entry is found by its own text */
	for (size_t i = 0; i < b->admins.n; i++)
		MUST(bl_in(&b->admins, b->admins.v[i]) == 1 || !*b->admins.v[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bl a, b;
	struct buf out = { 0 };
	char *net = malloc(size + 1);

	if (net) {
		struct bl_net n;
		memcpy(net, data, size);
		net[size] = 0;
		if (bl_parse_net(net, &n) == 0)
			MUST(n.prefix >= 0 && n.prefix <= (n.v6 ? 128 : 32));
		free(net);
	}
	if (bl_parse((const char *)data, size, "fuzz.ini", &a) < 0) {
		MUST(err_msg()[0]);          /* a refusal always says why */
		err_clear();
		return 0;
	}
	lookups(&a);
	MUST(bl_format(&a, "fuzz", &out) == 0);
	if (bl_parse(out.p, out.len, "written.ini", &b) != 0) {
		fprintf(stderr, "fuzz_baseline: written back, refused: %s\n%s\n", err_msg(), out.p);
		abort();
	}
	MUST(!strcmp(bl_key_ok(a.tenant_id) ? a.tenant_id : "", b.tenant_id));
	MUST(!strcmp(bl_key_ok(a.tenant_domain) ? a.tenant_domain : "", b.tenant_domain));
	same_list(&a.admins, &b.admins);
	same_list(&a.breakglass, &b.breakglass);
	same_list(&a.sps, &b.sps);
	same_list(&a.countries, &b.countries);
	same_list(&a.guest_domains, &b.guest_domains);
	same_list(&a.fed_domains, &b.fed_domains);
	size_t k = 0;
	for (size_t i = 0; i < a.nnets; i++) {
		if (!bl_key_ok(a.nets[i].text))
			continue;
		MUST(k < b.nnets);
		MUST(a.nets[i].v6 == b.nets[k].v6 && a.nets[i].prefix == b.nets[k].prefix);
		MUST(!memcmp(a.nets[i].a, b.nets[k].a, 16));
		k++;
	}
	MUST(k == b.nnets);
	bl_free(&a);
	bl_free(&b);
	buf_free(&out);
	return 0;
}
