/* libFuzzer harness for the JSON reader (not part of make test):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -std=c11 \
 *     -Isrc -Ivendor/src/jsmn-1.1.0 -DJSMN_STRICT -DJSMN_PARENT_LINKS \
 *     tests/fuzz/fuzz_json.c src/core/json.c src/core/buf.c src/core/err.c \
 *     src/core/i18n.c src/core/util.c -o build/fuzz_json
 *   ./build/fuzz_json -max_total_time=60
 * Parses under small limits, then walks every token and reads it every
 * typed way, and checks that writing a string back and re-reading it
 * gives the same bytes. */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

static void walk(const struct json *j, int t, int depth)
{
	char out[64];
	long long n;
	int b;
	size_t len;
	json_str(j, t, "", out, sizeof out);
	json_int(j, t, "", &n);
	json_bool(j, t, "", &b);
	json_raw(j, t, &len);
	free(json_strdup(j, t, ""));
	json_get(j, t, "a.0.b");
	json_get(j, t, "0");
	for (int c = json_first(j, t); c >= 0; c = json_next(j, c)) {
		if (json_type(j, t) == JSON_OBJ)
			json_key(j, c, out, sizeof out);
		if (depth < 20)
			walk(j, c, depth + 1);
	}
}

/* the libFuzzer entry point (it declares it nowhere we can include) */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json j;
	if (json_parse(&j, (const char *)data, size, (struct json_limits){ 4096, 16 }) == 0) {
		if (j.ntok < 1)
			abort();
		walk(&j, 0, 0);
		json_free(&j);
	}
	/* writer: any bytes in, valid JSON string out, which reads back as
	 * the input when the input was valid UTF-8 without NUL */
	struct buf b = { 0 };
	if (json_put_strn(&b, (const char *)data, size) == 0) {
		if (json_parse(&j, b.p, b.len, (struct json_limits){ 4, 2 }) != 0)
			abort();
		char *s = json_strdup(&j, 0, "");
		if (s && strlen(s) == size && memcmp(s, data, size) != 0)
			abort();
		free(s);
		json_free(&j);
	}
	buf_free(&b);
	return 0;
}
