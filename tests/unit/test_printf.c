/* The printf family as reflexe uses it: in the release build this is
 * core/printf.c's vfprintf (linked in place of musl's), under the
 * sanitizers the host libc's; both must give the standard's output. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "t.h"

static char got[256];

#define FMT(want, ...) do { \
	int n_ = snprintf(got, sizeof got, __VA_ARGS__); \
	CHECK_STR(got, want); \
	CHECK_INT(n_, (int)strlen(want)); \
} while (0)

static void integers(void)
{
	FMT("42 -7 0", "%d %i %d", 42, -7, 0);
	FMT("18446744073709551615 -9223372036854775808", "%llu %lld", (unsigned long long)UINT64_MAX,
	    (long long)INT64_MIN);
	FMT("123456789012 4000000000", "%ld %lu", 123456789012L, 4000000000UL);
	FMT("17 3f 3F 0a 00FF 0042", "%zu %x %X %02x %04X %04zu", (size_t)17, 0x3fu, 0x3fu, 0xau, 0xffu, (size_t)42);
	FMT("+5 -5 07 -07 005", "%+lld %+lld %02d %03d %03d", 5LL, -5LL, 7, -7, 5);
	FMT("[  12] [12  ] [   -1]", "[%4d] [%-4d] [%5d]", 12, 12, -1);
	FMT("[0x10]", "[%p]", (void *)16);
	FMT("[] [7]", "[%.0d] [%.0d]", 0, 7);
	FMT("255 -1 65535", "%hhu %hhd %hu", 255, 255, 65535);
}

static void strings(void)
{
	FMT("abc|ab|   ab|ab   |x|%", "%s|%.2s|%5.2s|%-5.2s|%c|%%", "abc", "abc", "abc", "abc", 'x');
	FMT("[héllo]", "[%s]", "héllo");
	FMT("[abc]", "[%.*s]", 3, "abcdef");
	FMT("[   ab]", "[%*s]", 5, "ab");
	FMT("[ab   ]", "[%*s]", -5, "ab");
}

static void floats(void)
{
	FMT("1.5 0.0 2.0 -0.5", "%.1f %.1f %.1f %.1f", 1.5, 0.04, 1.96, -0.5);
	FMT("3.142 3", "%.3f %.0f", 3.14159, 3.4);
	FMT("12.500000", "%f", 12.5);
	FMT("[  1.2]", "[%5.1f]", 1.23);
	FMT("nan inf -inf", "%.1f %.1f %.1f", __builtin_nan(""), __builtin_inf(), -__builtin_inf());
}

static void truncation(void)
{
	char small[5];
	const char *volatile src = "abcdef";   /* unseen by the compiler's truncation check */
	CHECK_INT(snprintf(small, sizeof small, "%s-%d", src, 12), 9);
	CHECK_STR(small, "abcd");
}

int main(void)
{
	RUN(integers);
	RUN(strings);
	RUN(floats);
	RUN(truncation);
	T_DONE();
}
