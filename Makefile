# reflexe — see README.txt.  `make` builds ./reflexe (musl, static, stripped);
# `make test` runs every test; `make check` reruns them under ASan+UBSan
# (host gcc/glibc); `make bench` prints figures; `make fuzz` runs the
# libFuzzer harnesses (clang); `make kit` assembles the USB crisis kit in
# build/kit/ (kit/assemble.sh); `make clean`.

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
else ifeq ($(BUILD),fuzz)
# make fuzz: libFuzzer harnesses (tests/fuzz/), clang with ASan+UBSan.
CC       := clang
OPT      := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
LDFLAGS  := -fsanitize=fuzzer,address,undefined
else ifeq ($(BUILD),debug)
# Host gcc/glibc, no sanitizers, symbols kept: for valgrind, which cannot
# follow a static musl binary's allocator.
CC       := gcc
OPT      := -O1 -g -fno-omit-frame-pointer
LDFLAGS  :=
else
CC       := gcc
OPT      := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDFLAGS  := -fsanitize=address,undefined
endif
O        := build/$(BUILD)

# -Wformat-nonliteral: a catalogue message is printed through core/tr.c
# (tr_fprintf, buf_trf, tr_snprintf…), the one file that waives it.
# -Wmissing-prototypes/-declarations: a function that is not static is
# declared in its folder's header, so a definition whose signature drifts
# from its callers' cannot link.
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wvla -Wformat-nonliteral \
            -Wmissing-prototypes -Wmissing-declarations
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
LIB_OBJS  := $(SRCS:%.c=$(O)/%.o) $(O)/gen/build_epoch.o
MAIN_OBJ  := $(O)/src/main.o
MBED_OBJS := $(patsubst $(MBEDTLS)/library/%.c,$(O)/mbedtls/%.o,$(wildcard $(MBEDTLS)/library/*.c))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/%)
TOOL_SRCS := $(wildcard tests/tools/*.c bench/*.c)
TOOL_BINS := $(patsubst %.c,$(O)/%,$(TOOL_SRCS))
FUZZERS   := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 30

.PHONY: all test check bench clean fuzz kit _bin _tests
# The size is printed on every build, up to date or not (issue target:
# 700 KB; tests/it/cli.sh holds it to that).
all: $(VSTAMP)
	@$(MAKE) --no-print-directory BUILD=rel _bin
	@echo "reflexe: $$(stat -c %s reflexe) bytes (stripped, static; target <= 716800)"

$(VSTAMP):
	./vendor/fetch.sh

_bin: $(if $(filter rel,$(BUILD)),reflexe,$(O)/reflexe)
reflexe: build/rel/reflexe
	@cp $< $@

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
	@$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

# Not yet on core/tr.c: printf(tr(…)) is still written in these; drop a
# line when its file moves to tr_fprintf/buf_trf.
$(O)/src/applets/check_admins.o $(O)/src/main.o: CFLAGS += -Wno-format-nonliteral
# The check-admins rule functions (adm_r_*) are declared by hand in
# rules/admins.c, which these files do not see; drop the line when the
# prototypes come from the rule table (issue 9).
$(O)/src/rules/adm_risk.o $(O)/src/rules/adm_roles.o $(O)/src/rules/adm_signins.o \
$(O)/src/rules/adm_tenant.o: CFLAGS += -Wno-missing-prototypes -Wno-missing-declarations

# The build date lives in one generated file, rewritten (at parse time)
# only when its value changes: --version and the clock check then always
# agree, and an up-to-date tree still rebuilds nothing. (Passed as -D to
# every object, each kept the epoch of its own last compile.)
EPOCH_C := $(O)/gen/build_epoch.c
$(shell mkdir -p $(O)/gen && \
  printf '/* generated by the Makefile: date of the last commit */\nconst long long reflexe_build_epoch = %sLL;\n' '$(BUILD_EPOCH)' >$(EPOCH_C).new && \
  { cmp -s $(EPOCH_C).new $(EPOCH_C) && rm -f $(EPOCH_C).new || mv -f $(EPOCH_C).new $(EPOCH_C); })
$(O)/gen/build_epoch.o: $(EPOCH_C)
	@$(CC) $(CFLAGS) -c $< -o $@

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
$(O)/fuzz_%: tests/fuzz/fuzz_%.c $(O)/libreflexe.a $(O)/libmbed.a
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

# Builds every tests/fuzz/fuzz_*.c and runs each for FUZZ_SECONDS (30),
# growing its corpus in build/fuzz/corpus/NAME from tests/fuzz/seeds/NAME.
# Not part of make test (it is not deterministic and takes minutes).
fuzz: $(VSTAMP)
	@$(MAKE) --no-print-directory BUILD=fuzz $(FUZZERS:%=build/fuzz/%)
	@for f in $(FUZZERS); do \
	  mkdir -p build/fuzz/corpus/$$f tests/fuzz/seeds/$$f; \
	  echo "fuzz: $$f, $(FUZZ_SECONDS) s"; \
	  build/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=build/fuzz/$$f- build/fuzz/corpus/$$f tests/fuzz/seeds/$$f \
	    2>build/fuzz/$$f.log || { tail -40 build/fuzz/$$f.log; exit 1; }; \
	  grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|cov:' build/fuzz/$$f.log | tail -3; \
	done

# The stick's contents from the release binary: build/kit/reflexe-kit-$(VERSION)/
# and its .tar.gz (binary, README, playbooks, templates, demo case, SHA256SUMS).
kit: all
	@./kit/assemble.sh -o build/kit --tar

clean:
	rm -rf build reflexe tests/out
