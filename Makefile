# stimg: make, make check, make install PREFIX=..., make demo, make e2e,
# make bench.
# DEVELOPER=1 turns warnings into errors; SANITIZE=address,undefined builds
# everything with those sanitizers (in its own build directory).

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
PKG_CONFIG ?= pkg-config

VERSION := $(shell sed -n 's/^\#define STIMG_VERSION "\(.*\)"/\1/p' include/stimg/stimg.h)

CFLAGS ?= -O2 -g
WARNINGS = -std=c11 -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes \
	   -Wvla -Wwrite-strings -fno-common
ifdef DEVELOPER
WARNINGS += -Werror
endif
ifdef SANITIZE
O ?= build-sanitize
SAN = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
else
O ?= build
endif

# Debian packages that provide each pkg-config module
DEPS_PKGS = libelf-dev zlib1g-dev libcmocka-dev pkg-config
DEPS_MODULES = libelf zlib cmocka

# Expanded when a recipe runs (=, not :=), so that on a fresh machine they
# see the packages the deps step has just installed.
LIB_CFLAGS = $(shell $(PKG_CONFIG) --cflags libelf zlib 2>/dev/null)
LIB_LIBS = $(shell $(PKG_CONFIG) --libs libelf zlib 2>/dev/null)
TEST_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
TEST_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

ALL_CFLAGS = $(WARNINGS) $(CFLAGS) $(SAN) -D_GNU_SOURCE -Iinclude $(LIB_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(SAN)

LIB_SRC := $(filter-out src/main.c,$(wildcard src/*.c src/fmt/*.c))
CMD_SRC := src/main.c $(wildcard src/cmd/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
TOOL_SRC := $(wildcard tests/tools/*.c)
BENCH_SRC := $(wildcard bench/*.c)

LIB_OBJ := $(LIB_SRC:%.c=$(O)/%.o)
CMD_OBJ := $(CMD_SRC:%.c=$(O)/%.o)
UNIT_BIN := $(UNIT_SRC:%.c=$(O)/%)
TOOL_BIN := $(TOOL_SRC:%.c=$(O)/%)
BENCH_BIN := $(BENCH_SRC:%.c=$(O)/%)

all: $(O)/stimg $(O)/libstimg.a $(O)/stimg.pc

$(O)/%.o: %.c $(wildcard include/stimg/*.h src/*.h src/cmd/*.h) | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/libstimg.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(O)/stimg: $(CMD_OBJ) $(O)/libstimg.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIB_LIBS)

$(O)/tests/unit/%: tests/unit/%.c $(O)/libstimg.a $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Isrc -o $@ $< $(O)/libstimg.a \
		$(ALL_LDFLAGS) $(TEST_LIBS) $(LIB_LIBS)

# Test tools may use the library (elfpatch does); others link none of it.
$(O)/tests/tools/%: tests/tools/%.c $(O)/libstimg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(O)/libstimg.a $(ALL_LDFLAGS) $(LIB_LIBS)

$(O)/bench/%: bench/%.c $(O)/libstimg.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(O)/libstimg.a $(ALL_LDFLAGS) $(LIB_LIBS)

PC_SED = sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	     -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|'

$(O)/stimg.pc: stimg.pc.in include/stimg/stimg.h
	@mkdir -p $(dir $@)
	$(PC_SED) $< > $@

# Installs the Debian packages of missing pkg-config modules.
deps:
	@$(PKG_CONFIG) --exists $(DEPS_MODULES) 2>/dev/null || \
		sh tests/install-deps.sh $(DEPS_PKGS)

check: all $(UNIT_BIN) $(TOOL_BIN)
	@sh tests/run.sh $(O)

# stimg.pc is made for this PREFIX, not copied from $(O), whose copy may
# have been made for another.
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
		$(DESTDIR)$(INCLUDEDIR)/stimg $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(O)/stimg $(DESTDIR)$(BINDIR)/stimg
	install -m 644 $(O)/libstimg.a $(DESTDIR)$(LIBDIR)/libstimg.a
	install -m 644 include/stimg/*.h $(DESTDIR)$(INCLUDEDIR)/stimg/
	$(PC_SED) stimg.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/stimg.pc
	chmod 644 $(DESTDIR)$(LIBDIR)/pkgconfig/stimg.pc
	install -m 644 man/stimg.1 $(DESTDIR)$(MANDIR)/man1/stimg.1

# Throughput on one in-memory buffer, one thread, best of BENCH_RUNS runs
# (not part of check: it takes a while and measures the machine).
BENCH_MIB ?= 256
BENCH_RUNS ?= 5
bench: deps all $(BENCH_BIN) $(TOOL_BIN)
	$(O)/bench/crc_bench $(BENCH_MIB) $(BENCH_RUNS)
	@echo
	sh bench/tools.sh $(O)

# Regenerates src/crc_catalogue.h from the shared CRC RevEng catalogue
# (tests/cli/t0700-crc-catalogue.sh checks that it is up to date).
STIMG_SHARED ?= ../shared
crc-catalogue:
	sh tools/gen-crc-catalogue.sh $(STIMG_SHARED)/data/crc-catalogue.txt \
		$(STIMG_SHARED)/data/crc-aliases.txt >src/crc_catalogue.h.tmp
	mv src/crc_catalogue.h.tmp src/crc_catalogue.h

# The main job on the bundled bootloader and application, into demo-out/.
demo: deps all
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

.PHONY: all check install demo e2e firmware bench crc-catalogue clean deps
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
	      -fno-sanitize-recover=all -D_GNU_SOURCE -Iinclude $(LIB_CFLAGS)
REPLAY_BIN := $(FUZZ_NAMES:%=$(O)/tests/fuzz/replay-%)

$(FUZZ_O)/%.o: %.c $(wildcard include/stimg/*.h src/*.h) | deps
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

# the library's objects for the fuzzers are kept between runs
.SECONDARY: $(FUZZ_LIB_OBJ)

fuzz: all $(FUZZ_BIN)
	@sh tests/fuzz/run.sh $(FUZZ_O) $(FUZZ_SECONDS) $(FUZZ_JOBS) $(O)/stimg \
		$(or $(FUZZ_TARGETS),$(FUZZ_NAMES))

.PHONY: fuzz
