# reflexe — see README.txt.  `make` builds ./reflexe (musl, static, stripped);
# `make test` runs every test; `make check` reruns them under ASan+UBSan
# (host gcc/glibc); `make bench` prints figures; `make fuzz` runs the
# libFuzzer harnesses (clang); `make kit` assembles the USB crisis kit in
# build/kit/ (kit/assemble.sh); `make clean`.
# The release build is made for each architecture of ARCH (the kit's two
# by default; `make ARCH=aarch64` for one): ./reflexe is the host's,
# build/rel-ARCH/reflexe the others', cross-compiled with Debian's musl
# for that architecture (musl-dev:arm64: the same musl 1.2.3 as the
# host's, and its ARCH-linux-musl-gcc wrapper). `make test` also runs the
# aarch64 binary and unit tests under qemu-user (tests/it/qemu.sh).

VERSION     := 0.1.0
MBEDTLS     := vendor/src/mbedtls-3.6.6
JSMN        := vendor/src/jsmn-1.1.0
VSTAMP      := $(MBEDTLS)/.verified $(JSMN)/.verified
# Build date = date of the last commit, so that a rebuild is reproducible
# and the "host clock before build date" check has a stable anchor.
BUILD_EPOCH := $(or $(SOURCE_DATE_EPOCH),$(shell git log -1 --format=%ct 2>/dev/null),$(shell date +%s))

# ARCH: what `make` builds (arm64/amd64 accepted, as Debian names them);
# TARGET: the one architecture of a sub-make's objects.
KIT_ARCHES := x86_64 aarch64
HOST_ARCH  := $(shell uname -m)
ARCH       ?= $(KIT_ARCHES)
override ARCH := $(patsubst arm64,aarch64,$(patsubst amd64,x86_64,$(ARCH)))
$(if $(filter-out $(KIT_ARCHES),$(ARCH)),$(error ARCH=$(ARCH): the kit's architectures are $(KIT_ARCHES)))
TARGET     ?= $(HOST_ARCH)
reldir      = build/rel$(if $(filter-out $(HOST_ARCH),$(1)),-$(1))

BUILD ?= rel
ifeq ($(BUILD),rel)
CC       := $(TARGET)-linux-musl-gcc
# No unwind tables: nothing here unwinds (C, no exceptions, no backtraces
# in a release build), and .eh_frame was 73 KB of the 700 KB budget.
# Link-time optimisation: functions inlined or dropped across files (45 KB
# less on aarch64 with import and check-events in); GNU ar indexes the
# objects through binutils' LTO plugin.
# -fno-pie/-no-pie: Debian's musl-gcc compiles position-independent code
# by default, but the static link is not a PIE (ELF type EXEC, no ASLR
# either way): GOT-relative code for nothing, 11 KB on x86_64, 6 on aarch64.
# -Oz (GCC 12): x86_64's size-only instruction choices, 8 KB; the same
# code as -Os on aarch64. No slower on bench/import.sh's parsers.
OPT      := -Oz -fno-inline-small-functions -fno-pie -flto=auto -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables
# -z norelro: musl's static start-up never mprotects the RELRO segment
# (no mprotect in `strace reflexe --version`), so it only costs the
# padding that aligns it: 39 KB on aarch64, whose 64 KB segment
# alignment is kept (kernels with 16 or 64 KB pages, e.g. a Pi 5's).
LDFLAGS  := -static -no-pie -Oz -flto=auto -Wl,--gc-sections -Wl,-z,norelro -s
# core/printf.c's vfprintf in place of musl's (it says why): named first,
# so that libc's printf family links to it and musl's never comes in.
LDFLAGS  += -Wl,-u,vfprintf
# aarch64's tiny code model: one ADR (±1 MB) where the small model needs
# ADRP+ADD for every address, 20 KB less. Each program linked from these
# objects (the unit tests too) must
# then lie within 1 MB, code, data and .bss (reflexe: 880 KB at 785 KB
# on disk; keep a test's large buffers on the heap); past that its link
# fails ("relocation truncated to fit"), never silently.
ifeq ($(TARGET),aarch64)
OPT      += -mcmodel=tiny
LDFLAGS  += -mcmodel=tiny
endif
# x86_64: read-only data in the one segment with the code, as GNU ld lays
# out aarch64 by default (its separate-code pads to page boundaries: 7.6 KB
# of the budget). W^X is unchanged: nothing writable is executable.
ifeq ($(TARGET),x86_64)
LDFLAGS  += -Wl,-z,noseparate-code
endif
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
O        := $(if $(filter rel,$(BUILD)),$(call reldir,$(TARGET)),build/$(BUILD))

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

# src/core/gen_catalogue.c is a build-time helper, not part of reflexe.
SRCS      := $(filter-out src/core/gen_catalogue.c,$(wildcard src/*/*.c))
LIB_OBJS  := $(SRCS:%.c=$(O)/%.o) $(O)/gen/build_epoch.o $(O)/gen/catalogue.o
MAIN_OBJ  := $(O)/src/main.o
MBED_OBJS := $(patsubst $(MBEDTLS)/library/%.c,$(O)/mbedtls/%.o,$(wildcard $(MBEDTLS)/library/*.c))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/%)
TOOL_SRCS := $(wildcard tests/tools/*.c bench/*.c)
TOOL_BINS := $(patsubst %.c,$(O)/%,$(TOOL_SRCS))
FUZZERS   := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 30
# Each harness linked with tests/fuzz/replay.c instead of libFuzzer: built
# by make test / make check, run over tests/fuzz/seeds/NAME by
# tests/it/fuzz_corpus.sh (every known crash stays there as an input).
REPLAYS   := $(FUZZERS:%=$(O)/tests/replay/%)

.PHONY: all test check bench clean fuzz kit _bin _tests
# The sizes are printed on every build, up to date or not (issue target:
# 700 KB; tests/it/cli.sh and tests/it/qemu.sh hold them to that).
all: $(VSTAMP)
	@$(foreach a,$(ARCH),$(MAKE) --no-print-directory BUILD=rel TARGET=$(a) _bin &&) :
	@$(foreach a,$(ARCH),echo "reflexe $(a): $$(stat -c %s $(call reldir,$(a))/reflexe) bytes (stripped, static; target <= 716800)" &&) :

$(VSTAMP):
	./vendor/fetch.sh

_bin: $(if $(filter rel,$(BUILD)),$(if $(filter $(HOST_ARCH),$(TARGET)),reflexe,$(O)/reflexe),$(O)/reflexe)
reflexe: build/rel/reflexe
	@cp $< $@

_tests: _bin $(UNIT_BINS) $(TOOL_BINS) $(REPLAYS)

$(O)/reflexe: $(MAIN_OBJ) $(O)/libreflexe.a $(O)/libmbed.a
	@echo "  LD    $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(O)/libreflexe.a: $(LIB_OBJS)
	@rm -f $@; ar rcs $@ $^
$(O)/libmbed.a: $(MBED_OBJS)
	@rm -f $@; ar rcs $@ $^

# (mbedTLS's structs, which net/ embeds, change with its configuration.)
$(O)/src/%.o: src/%.c $(wildcard src/*/*.h src/*/*.def) vendor/mbedtls_config.h Makefile
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@


# Not yet on core/tr.c: main.c prints tr(M_TLS_CA_FILE_ROOTS) with printf
# (--version); drop the line when it calls tr_fprintf.
$(O)/src/main.o: CFLAGS += -Wno-format-nonliteral

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

# The message catalogue, deflated (core/i18n.c inflates it at start-up):
# gen_catalogue (host compiler) writes every text of core/msgs.def, and
# gen_catalogue.py deflates them into a C array.
HOSTCC ?= gcc
$(O)/gen/catalogue.c: src/core/gen_catalogue.c src/core/gen_catalogue.py src/core/core.h $(wildcard src/*/*.def)
	@mkdir -p $(dir $@)
	@echo "  GEN   $@"
	@$(HOSTCC) -std=c11 -Isrc -o $(O)/gen/gen_catalogue src/core/gen_catalogue.c
	@$(O)/gen/gen_catalogue | python3 src/core/gen_catalogue.py >$@.tmp && mv -f $@.tmp $@
$(O)/gen/catalogue.o: $(O)/gen/catalogue.c
	@$(CC) $(CFLAGS) -c $< -o $@

# The per-byte work of a TLS download (AES-GCM, the
# SHA-2 of the handshake) at -O2 rather than -Oz: bench/fetch.sh.
# aesni.h picks AES-NI intrinsics over its inline asm (which byte-reverses
# each GHASH block through memory: a store-forwarding stall per 16 bytes)
# when the file is built with -maes -mpclmul; every file that includes it
# must make the same choice (aes.c aligns the round keys for the
# intrinsics only then). The compiler emits AES and PCLMULQDQ only for
# those intrinsics, which mbedTLS calls after mbedtls_aesni_has_support()
# found them (cpuid); SSSE3 (byte shuffles), which every CPU with AES-NI
# has, is enabled for aesni.c alone, whose only code run on a CPU without
# AES-NI is that cpuid check. aesce.c (ARMv8) enables its instructions
# itself, per function.
MBED_HOT := aes aesni aesce gcm block_cipher psa_crypto_aead sha256 sha512
$(MBED_HOT:%=$(O)/mbedtls/%.o): OPT := $(patsubst -Oz,-O2,$(OPT))
ifeq ($(TARGET),x86_64)
$(O)/mbedtls/aes.o $(O)/mbedtls/aesni.o $(O)/mbedtls/gcm.o: OPT += -maes -mpclmul
$(O)/mbedtls/aesni.o: OPT += -mssse3
endif

# mbedTLS is third-party: its own warnings are not ours to -Werror on.
$(O)/mbedtls/%.o: $(MBEDTLS)/library/%.c vendor/mbedtls_config.h Makefile
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
$(O)/tests/replay/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(O)/libreflexe.a $(O)/libmbed.a
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< tests/fuzz/replay.c $(O)/libreflexe.a $(O)/libmbed.a $(LDFLAGS) $(LDLIBS)
$(O)/fuzz_%: tests/fuzz/fuzz_%.c $(O)/libreflexe.a $(O)/libmbed.a
	@echo "  CC    $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(O)/libreflexe.a $(O)/libmbed.a $(LDFLAGS) $(LDLIBS)
$(O)/bench/%: bench/%.c $(O)/libreflexe.a $(O)/libmbed.a
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(O)/libreflexe.a $(O)/libmbed.a $(LDFLAGS) $(LDLIBS)

# fusefatfs (tests/it/fat.sh mounts a FAT32 image with it): a host tool
# from its Debian source package (vendor/fetch.sh test), built as its
# CMakeLists.txt would, against libfuse 2.
FUSEFATFS := vendor/src/fusefatfs-0.3
$(FUSEFATFS)/.verified:
	./vendor/fetch.sh test
build/tools/fusefatfs: $(FUSEFATFS)/.verified
	@mkdir -p $(dir $@)
	@printf '#define PROGNAME "fusefatfs"\n#define VERSION "0.3"\n' >$(dir $@)config.h
	@echo "  CC    $@"
	@gcc -O2 -w -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -DFUSE=2 -I$(dir $@) -I$(FUSEFATFS) $$(pkg-config --cflags fuse) \
	  -o $@ $(addprefix $(FUSEFATFS)/,fusefatfs.c fftable.c diskio.c ff.c ffunicode.c) $$(pkg-config --libs fuse)
TEST_ENV = FUSEFATFS=$(CURDIR)/build/tools/fusefatfs

# The other architectures of ARCH: their binaries and unit tests, run
# under qemu-user by tests/it/qemu.sh.
CROSS := $(filter-out $(HOST_ARCH),$(ARCH))
test: $(VSTAMP) build/tools/fusefatfs
	@$(MAKE) --no-print-directory BUILD=rel _tests
	@$(foreach a,$(CROSS),$(MAKE) --no-print-directory BUILD=rel TARGET=$(a) _tests &&) :
	@REFLEXE=$(CURDIR)/reflexe TESTBIN=$(CURDIR)/build/rel $(TEST_ENV) \
	  $(foreach a,$(CROSS),TESTBIN_$(a)=$(CURDIR)/$(call reldir,$(a))) ./tests/run.sh

check: $(VSTAMP) build/tools/fusefatfs
	@$(MAKE) --no-print-directory BUILD=asan _tests
	@REFLEXE=$(CURDIR)/build/asan/reflexe TESTBIN=$(CURDIR)/build/asan REFLEXE_SANITIZED=1 $(TEST_ENV) \
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

# The stick's contents from the release binaries: build/kit/reflexe-kit-$(VERSION)/
# and its .tar.gz (launcher, both binaries, README, playbooks, templates,
# demo case, SHA256SUMS).
kit: all
	@./kit/assemble.sh -o build/kit --tar $(foreach a,$(KIT_ARCHES),--bin $(call reldir,$(a))/reflexe)

clean:
	rm -rf build reflexe tests/out
