# stimg: make, make check, make install PREFIX=..., make uninstall,
# make deps, make demo, make e2e, make bench.
# DEVELOPER=1 turns warnings into errors; SANITIZE=address,undefined builds
# everything with those sanitizers (in its own build directory).
#
# make and make install never install packages: a library pkg-config cannot
# find stops the build with a line naming its package. make deps installs
# them on Debian; make demo and make check call it.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
PKG_CONFIG ?= pkg-config

VERSION := $(shell sed -n 's/^\#define STIMG_VERSION "\(.*\)"/\1/p' include/stimg/stimg.h)
SOVERSION = 0

# The libraries, each as pkg-config-module:Debian:Fedora:Homebrew:MSYS2
# package. A library added here is checked, linked, installed by make deps
# and named in stimg.pc; nothing else to change.
LIB_DEPS = libelf:libelf-dev:elfutils-libelf-devel:libelf:mingw-w64-x86_64-libelf \
	   zlib:zlib1g-dev:zlib-devel:zlib:mingw-w64-x86_64-zlib \
	   libcrypto:libssl-dev:openssl-devel:openssl@3:mingw-w64-x86_64-openssl
# Only for the unit tests (make check).
TEST_DEPS = cmocka:libcmocka-dev:libcmocka-devel:cmocka:mingw-w64-x86_64-cmocka
# Debian packages of the tools the tests compare with; a test whose tool is
# missing is skipped, and make check names the package that enables it.
TEST_TOOLS = srecord valgrind openssl strace dfu-util

dep_field = $(foreach d,$2,$(word $1,$(subst :, ,$d)))
LIB_MODULES := $(call dep_field,1,$(LIB_DEPS))
TEST_MODULES := $(call dep_field,1,$(TEST_DEPS))

CFLAGS ?= -O2 -g
WARNINGS = -std=c11 -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes \
	   -Wvla -Wwrite-strings -fno-common
ifdef DEVELOPER
WERROR = -Werror
endif
ifdef SANITIZE
O ?= build-sanitize
SAN = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
else
O ?= build
# a shared library that needs a library it does not name fails to link
SO_LDFLAGS = -Wl,--no-undefined
endif

# Expanded when a recipe runs (=, not :=), so that they see the packages
# make deps has just installed.
LIB_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(LIB_MODULES))
LIB_LIBS = $(shell $(PKG_CONFIG) --libs $(LIB_MODULES)) -pthread
TEST_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(TEST_MODULES))
TEST_LIBS = $(shell $(PKG_CONFIG) --libs $(TEST_MODULES))

# -MMD -MP: each object depends on the headers it includes (the .d files)
ALL_CFLAGS = $(WARNINGS) $(WERROR) $(CFLAGS) $(SAN) -pthread -D_GNU_SOURCE -Iinclude -Isrc -MMD -MP \
	     $(LIB_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(SAN)

LIB_SRC := $(wildcard src/core/*.c src/fmt/*.c src/fw/*.c)
CMD_SRC := src/main.c $(wildcard src/cmd/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
TOOL_SRC := $(wildcard tests/tools/*.c)
BENCH_SRC := $(wildcard bench/*.c)

LIB_OBJ := $(LIB_SRC:%.c=$(O)/%.o)
CMD_OBJ := $(CMD_SRC:%.c=$(O)/%.o)
UNIT_BIN := $(UNIT_SRC:%.c=$(O)/%)
TOOL_BIN := $(TOOL_SRC:%.c=$(O)/%)
BENCH_BIN := $(BENCH_SRC:%.c=$(O)/%)

SHLIB := libstimg.so.$(VERSION)
SONAME := libstimg.so.$(SOVERSION)

all: $(O)/stimg $(O)/libstimg.a $(O)/$(SHLIB) $(O)/stimg.pc

# make demo, make check and make bench install what they need first.
DEPS_FIRST := $(if $(filter deps demo check bench,$(MAKECMDGOALS)),deps)

have-libs: | $(DEPS_FIRST)
	@sh tools/deps.sh check $(LIB_DEPS)

have-test-libs: | $(DEPS_FIRST)
	@sh tools/deps.sh check $(TEST_DEPS)

# The library's objects serve the shared library too: position-independent.
$(LIB_OBJ): ALL_CFLAGS += -fPIC

# Everything is rebuilt when the compiler or its flags change (-Werror
# changes no object).
$(O)/BUILD-FLAGS: FORCE
	@mkdir -p $(dir $@)
	@echo '$(CC) $(WARNINGS) $(CFLAGS) $(SAN) $(LDFLAGS) pic' | \
		cmp -s - $@ 2>/dev/null || \
		echo '$(CC) $(WARNINGS) $(CFLAGS) $(SAN) $(LDFLAGS) pic' >$@

$(O)/%.o: %.c $(O)/BUILD-FLAGS | have-libs
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/libstimg.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

# Exports only the stimg_ names (src/libstimg.map).
$(O)/$(SHLIB): $(LIB_OBJ) src/libstimg.map
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=src/libstimg.map \
		$(SO_LDFLAGS) $(ALL_LDFLAGS) -o $@ $(LIB_OBJ) $(LIB_LIBS)

# The command links the static library: one file to install, no search path.
$(O)/stimg: $(CMD_OBJ) $(O)/libstimg.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIB_LIBS)

$(O)/tests/unit/%: tests/unit/%.c $(O)/libstimg.a $(O)/BUILD-FLAGS | have-test-libs
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Isrc -o $@ $< $(O)/libstimg.a \
		$(ALL_LDFLAGS) $(TEST_LIBS) $(LIB_LIBS)

# Test tools may use the library (elfpatch does); others link none of it.
$(O)/tests/tools/%: tests/tools/%.c $(O)/libstimg.a $(O)/BUILD-FLAGS
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(O)/libstimg.a $(ALL_LDFLAGS) $(LIB_LIBS)

$(O)/bench/%: bench/%.c $(O)/libstimg.a $(O)/BUILD-FLAGS
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(O)/libstimg.a $(ALL_LDFLAGS) $(LIB_LIBS)

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d) $(UNIT_BIN:=.d) $(TOOL_BIN:=.d) \
	 $(BENCH_BIN:=.d)

PC_SED = sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	     -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	     -e 's|@REQUIRES@|$(LIB_MODULES)|'

$(O)/stimg.pc: stimg.pc.in include/stimg/stimg.h Makefile
	@mkdir -p $(dir $@)
	$(PC_SED) $< > $@

# Installs, on Debian, the packages of the libraries and test tools that
# are missing (apt-get, as root or through sudo), and says which.
DEPS_DEBIAN = $(strip pkg-config $(call dep_field,2,$(LIB_DEPS)) \
	$(if $(filter check,$(MAKECMDGOALS)),$(call dep_field,2,$(TEST_DEPS)) $(TEST_TOOLS)))
deps:
	@sh tools/deps.sh install $(DEPS_DEBIAN)

check: all $(UNIT_BIN) $(TOOL_BIN) | $(DEPS_FIRST)
	@sh tests/run.sh $(O)

# stimg.pc is made for this PREFIX, not copied from $(O), whose copy may
# have been made for another.
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
		$(DESTDIR)$(INCLUDEDIR)/stimg $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(O)/stimg $(DESTDIR)$(BINDIR)/stimg
	install -m 644 $(O)/libstimg.a $(DESTDIR)$(LIBDIR)/libstimg.a
	install -m 755 $(O)/$(SHLIB) $(DESTDIR)$(LIBDIR)/$(SHLIB)
	ln -sf $(SHLIB) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libstimg.so
	install -m 644 include/stimg/*.h $(DESTDIR)$(INCLUDEDIR)/stimg/
	$(PC_SED) stimg.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/stimg.pc
	chmod 644 $(DESTDIR)$(LIBDIR)/pkgconfig/stimg.pc
	install -m 644 man/stimg.1 $(DESTDIR)$(MANDIR)/man1/stimg.1
	install -m 644 completion/stimg.bash $(DESTDIR)$(BASHCOMPDIR)/stimg

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/stimg $(DESTDIR)$(LIBDIR)/libstimg.a \
		$(DESTDIR)$(LIBDIR)/$(SHLIB) $(DESTDIR)$(LIBDIR)/$(SONAME) \
		$(DESTDIR)$(LIBDIR)/libstimg.so \
		$(DESTDIR)$(LIBDIR)/pkgconfig/stimg.pc \
		$(DESTDIR)$(MANDIR)/man1/stimg.1 $(DESTDIR)$(BASHCOMPDIR)/stimg \
		$(addprefix $(DESTDIR)$(INCLUDEDIR)/stimg/,$(notdir $(wildcard include/stimg/*.h)))
	rmdir $(DESTDIR)$(INCLUDEDIR)/stimg 2>/dev/null || true

# Throughput on one in-memory buffer, one thread, best of BENCH_RUNS runs
# (not part of check: it takes a while and measures the machine): the CRC
# engines, the hex kernels on a 46 MB HEX file, then stimg against other
# tools, each time the median of BENCH_RUNS alternating runs (9: on the
# project's shared 2-CPU machines one command's runs spread by 10-30%).
BENCH_MIB ?= 256
BENCH_RUNS ?= 9
bench: all $(BENCH_BIN) $(TOOL_BIN) | $(DEPS_FIRST)
	$(O)/bench/crc_bench $(BENCH_MIB) $(BENCH_RUNS)
	@echo
	$(O)/tests/tools/gen_image --big 16 >$(O)/bench/r16.hex
	$(O)/bench/hex_bench $(O)/bench/r16.hex $(BENCH_RUNS)
	@rm -f $(O)/bench/r16.hex
	@echo
	bash bench/run.sh $(O) $(BENCH_RUNS)

# Regenerates src/core/crc_catalogue.h from the CRC RevEng catalogue in tools/
# (tests/cli/t0800-crc-catalogue.sh checks that it is up to date).
crc-catalogue:
	sh tools/gen-crc-catalogue.sh tools/crc-catalogue.txt \
		tools/crc-aliases.txt >src/core/crc_catalogue.h.tmp
	mv src/core/crc_catalogue.h.tmp src/core/crc_catalogue.h

# The main job on the bundled bootloader and application, into demo-out/.
demo: all | $(DEPS_FIRST)
	@sh examples/demo.sh $(O)

# The example firmware rebuilt, post-processed by stimg and booted in QEMU
# (needs arm-none-eabi-gcc and qemu-system-arm; make check runs it too).
e2e: all
	@sh tests/e2e/run.sh $(O)

# Rebuilds the committed examples/boot.hex and examples/app.elf.
firmware:
	sh examples/firmware/build.sh

clean:
	rm -rf build build-sanitize build-fuzz

.PHONY: all check install uninstall demo e2e firmware bench crc-catalogue \
	clean deps have-libs have-test-libs FORCE
FORCE:
.DELETE_ON_ERROR:

# Fuzzing (tests/fuzz/, libFuzzer): make fuzz runs every target
# FUZZ_SECONDS (60) on its own, FUZZ_JOBS (2) at a time, each built with
# clang -fsanitize=fuzzer,address,undefined in $(FUZZ_O); FUZZ_TARGETS
# picks some ("ihex elf"). Findings go to $(FUZZ_O)/findings/TARGET/; a
# finding becomes a regression input in tests/data/fuzz/TARGET/, which
# make check replays (replay-TARGET: the target without libFuzzer, built
# like the tests, sanitizers and all).
FUZZ_CC ?= clang
FUZZ_O ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 2
FUZZ_TARGETS ?=
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(FUZZ_SRC))
FUZZ_BIN := $(FUZZ_NAMES:%=$(FUZZ_O)/fuzz_%)
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ_O)/%.o)
FUZZ_CFLAGS = $(WARNINGS) -g -O1 -fno-omit-frame-pointer \
	      -fno-sanitize-recover=all -D_GNU_SOURCE -Iinclude -Isrc -MMD -MP \
	      $(LIB_CFLAGS)
REPLAY_BIN := $(FUZZ_NAMES:%=$(O)/tests/fuzz/replay-%)

$(FUZZ_O)/%.o: %.c | have-libs
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined \
		-c -o $@ $<

$(FUZZ_O)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ \
		$< $(FUZZ_LIB_OBJ) $(LIB_LIBS)

$(O)/tests/fuzz/replay-%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c \
		tests/fuzz/fuzz.h $(O)/libstimg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< tests/fuzz/replay.c $(O)/libstimg.a \
		$(ALL_LDFLAGS) $(LIB_LIBS)

check: $(REPLAY_BIN)

-include $(FUZZ_LIB_OBJ:.o=.d)

# the library's objects for the fuzzers are kept between runs
.SECONDARY: $(FUZZ_LIB_OBJ)

fuzz: all $(FUZZ_BIN)
	@sh tests/fuzz/run.sh $(FUZZ_O) $(FUZZ_SECONDS) $(FUZZ_JOBS) $(O)/stimg \
		$(or $(FUZZ_TARGETS),$(FUZZ_NAMES))

.PHONY: fuzz
