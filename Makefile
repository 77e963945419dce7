# reflexe — see README.txt.  `make` builds ./reflexe (musl, static, stripped);
# `make test` runs every test; `make check` reruns them under ASan+UBSan
# (host gcc/glibc); `make bench` prints figures; `make clean`.

VERSION     := 0.1.0
MBEDTLS     := vendor/src/mbedtls-3.6.6
JSMN        := vendor/src/jsmn-1.1.0
VSTAMP      := $(MBEDTLS)/.verified $(JSMN)/.verified
# Build date = date of the last commit, so that a rebuild is reproducible
# and the "host clock before build date" check has a stable anchor.
BUILD_EPOCH := $(or $(SOURCE_DATE_EPOCH),$(shell git log -1 --format=%ct 2>/dev/null),$(shell date +%s))

BUILD ?= rel
ifeq ($(BUILD),rel)
CC       := musl-gcc
OPT      := -Os -ffunction-sections -fdata-sections
LDFLAGS  := -static -Wl,--gc-sections -s
else
CC       := gcc
OPT      := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDFLAGS  := -fsanitize=address,undefined
endif
O        := build/$(BUILD)

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wvla
# <…>, not "…": mbedTLS's build_info.h includes MBEDTLS_CONFIG_FILE, and a
# quoted name is first looked up beside that header, where mbedTLS's own
# default mbedtls_config.h sits; only <…> reaches vendor/mbedtls_config.h.
CPPFLAGS := -D_GNU_SOURCE -Isrc -I$(MBEDTLS)/include -Ivendor -I$(JSMN) \
            -DMBEDTLS_CONFIG_FILE='<mbedtls_config.h>' -DJSMN_STRICT -DJSMN_PARENT_LINKS \
            -DREFLEXE_VERSION='"$(VERSION)"'
CFLAGS   := -std=c11 $(OPT) $(WARN)
# libmbed.a calls back into libreflexe.a (mbedtls_hardware_poll in
# src/net/entropy.c, MBEDTLS_ENTROPY_HARDWARE_ALT): list it again after.
LDLIBS   := $(O)/libreflexe.a -lpthread

SRCS      := $(wildcard src/*/*.c)
LIB_OBJS  := $(SRCS:%.c=$(O)/%.o)
MAIN_OBJ  := $(O)/src/main.o
MBED_OBJS := $(patsubst $(MBEDTLS)/library/%.c,$(O)/mbedtls/%.o,$(wildcard $(MBEDTLS)/library/*.c))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/%)
TOOL_SRCS := $(wildcard tests/tools/*.c bench/*.c)
TOOL_BINS := $(patsubst %.c,$(O)/%,$(TOOL_SRCS))

.PHONY: all test check bench clean fuzz _bin _tests
all: $(VSTAMP)
	@$(MAKE) --no-print-directory BUILD=rel _bin

$(VSTAMP):
	./vendor/fetch.sh

_bin: $(if $(filter rel,$(BUILD)),reflexe,$(O)/reflexe)
reflexe: build/rel/reflexe
	@cp $< $@
	@echo "reflexe: $$(stat -c %s $@) bytes (stripped, static)"

_tests: _bin $(UNIT_BINS) $(TOOL_BINS)

$(O)/reflexe: $(MAIN_OBJ) $(O)/libreflexe.a $(O)/libmbed.a
	@echo "  LD    $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(O)/libreflexe.a: $(LIB_OBJS)
	@rm -f $@; ar rcs $@ $^
$(O)/libmbed.a: $(MBED_OBJS)
	@rm -f $@; ar rcs $@ $^

$(O)/src/%.o: src/%.c $(wildcard src/*/*.h src/*/*.def) Makefile
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -DREFLEXE_BUILD_EPOCH=$(BUILD_EPOCH)LL -c $< -o $@

# mbedTLS is third-party: its own warnings are not ours to -Werror on.
$(O)/mbedtls/%.o: $(MBEDTLS)/library/%.c vendor/mbedtls_config.h
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(CPPFLAGS) -std=c11 $(OPT) -w -c $< -o $@

$(O)/tests/%: tests/unit/%.c tests/unit/t.h $(O)/libreflexe.a $(O)/libmbed.a
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/unit -o $@ $< $(O)/libreflexe.a $(O)/libmbed.a $(LDFLAGS) $(LDLIBS)

$(O)/tests/tools/%: tests/tools/%.c $(O)/libreflexe.a $(O)/libmbed.a
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(O)/libreflexe.a $(O)/libmbed.a $(LDFLAGS) $(LDLIBS)
$(O)/bench/%: bench/%.c $(O)/libreflexe.a $(O)/libmbed.a
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(O)/libreflexe.a $(O)/libmbed.a $(LDFLAGS) $(LDLIBS)

test: $(VSTAMP)
	@$(MAKE) --no-print-directory BUILD=rel _tests
	@REFLEXE=$(CURDIR)/reflexe TESTBIN=$(CURDIR)/build/rel ./tests/run.sh

check: $(VSTAMP)
	@$(MAKE) --no-print-directory BUILD=asan _tests
	@REFLEXE=$(CURDIR)/build/asan/reflexe TESTBIN=$(CURDIR)/build/asan REFLEXE_SANITIZED=1 \
	  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ./tests/run.sh

bench: $(VSTAMP)
	@$(MAKE) --no-print-directory BUILD=rel _tests
	@REFLEXE=$(CURDIR)/reflexe TESTBIN=$(CURDIR)/build/rel ./bench/run.sh

clean:
	rm -rf build reflexe tests/out
