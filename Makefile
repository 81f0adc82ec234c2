# Makefile for phare.  `make` builds build/phare; `make site` and `make test`
# are the README's two commands (they install missing Debian packages first).
# SANITIZE=1 builds everything under build/asan with AddressSanitizer+UBSan.

PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
CFLAGS ?= -O2 -g
PKGS = libcmark-gfm yaml-0.1 lua5.4 sqlite3 libmicrohttpd

ifeq ($(SANITIZE),1)
BUILD := build/asan
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

WARNINGS = -Wall -Wextra -Werror -Wshadow -Wconversion -Wno-sign-conversion \
	-Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
# The language, and the packages' -I flags: with WARNINGS, what every compile
# of phare's C takes; tests/fuzz/fuzz.mk and scripts/static-checks read these
# (and PKGS) with `make -s print-VAR` rather than repeat them.  CPPFLAGS,
# CFLAGS and LDFLAGS are the user's, honoured everywhere.
STD_CFLAGS = -std=c11 -D_GNU_SOURCE
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
ALL_CFLAGS = $(STD_CFLAGS) $(WARNINGS) $(CFLAGS) $(SANFLAGS) -pthread \
	-Igenerator -I$(BUILD) $(CPPFLAGS) $(PKG_CFLAGS) -MMD -MP
# libmicrohttpd, SQLite and libstemmer are not linked: only some commands use
# them, and mapping and relocating them was most of every command's start-up
# (issue 9).  Those commands dlopen() them (generator/util/dynlib.h) by the
# sonames of the libraries found here.
LINK_PKGS = $(filter-out libmicrohttpd sqlite3,$(PKGS))
# The soname of the library the linker would take for -lNAME (libNAME.so).
soname = $(shell objdump -p "$$($(CC) -print-file-name=lib$(1).so)" 2>/dev/null | sed -n 's/^ *SONAME *//p')
MHD_SONAME = $(call soname,microhttpd)
SQLITE_SONAME = $(call soname,sqlite3)
STEMMER_SONAME = $(call soname,stemmer)
LIBS = $(shell pkg-config --libs $(LINK_PKGS) 2>/dev/null) -ldl -lpthread -lm
LDFLAGS_ALL = $(SANFLAGS) -pthread $(LDFLAGS)

SRCS := $(sort $(shell find generator -name '*.c' -not -path 'generator/tools/*'))
OBJS := $(SRCS:%.c=$(BUILD)/%.o) $(BUILD)/theme_data.o
LIB_OBJS := $(filter-out $(BUILD)/generator/main.o,$(OBJS))
# templates/README.md documents the theme for its authors; it is not part of it.
THEME_FILES := $(sort $(filter-out templates/README.md,$(shell find templates -type f)))
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

ifeq ($(V),1)
Q =
say =
else
Q = @
say = @printf '  %-6s %s\n' $(1) $(2);
endif

.PHONY: all site test unit check-deps deps install clean format cppcheck bench fuzz serve static-checks \
	regress regress-rebuild
all: $(BUILD)/phare

$(BUILD)/phare: $(OBJS)
	$(call say,LD,$@)$(CC) $(LDFLAGS_ALL) -o $@ $(OBJS) $(LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/generator/http/httpd_lib.o: ALL_CFLAGS += $(if $(MHD_SONAME),-DPHARE_MHD_SONAME='"$(MHD_SONAME)"')
$(BUILD)/generator/feedback/sqlite_lib.o: ALL_CFLAGS += $(if $(SQLITE_SONAME),-DPHARE_SQLITE_SONAME='"$(SQLITE_SONAME)"')
$(BUILD)/generator/search/stemmer_lib.o: ALL_CFLAGS += $(if $(STEMMER_SONAME),-DPHARE_STEMMER_SONAME='"$(STEMMER_SONAME)"')

# The default theme, embedded: templates/** -> a generated C file (do not edit).
$(BUILD)/embed: generator/tools/embed.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(STD_CFLAGS) -O2 $(WARNINGS) $(CPPFLAGS) -o $@ $< $(LDFLAGS)
$(BUILD)/theme_data.c: $(BUILD)/embed $(THEME_FILES)
	$(call say,EMBED,templates)$(BUILD)/embed $(THEME_FILES) > $@.tmp && mv $@.tmp $@
$(BUILD)/theme_data.o: $(BUILD)/theme_data.c
	$(call say,CC,$<)$(CC) $(STD_CFLAGS) $(CFLAGS) $(SANFLAGS) -Igenerator $(CPPFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(LIB_OBJS) $(LDFLAGS_ALL) $(LIBS) -lcmocka

unit: $(UNIT_BINS)

deps:
	@scripts/install-deps

# The README's first command: install what is missing, build, build the site.
site: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/phare build --source . --out site
	@echo "site/ is ready for any static host. To look at it: $(BUILD)/phare serve, then open http://127.0.0.1:8080/"

# The README's second command: every suite, then the same under the sanitizers.
test: deps
	@$(MAKE) --no-print-directory all unit
	@$(MAKE) --no-print-directory SANITIZE=1 all unit
	@tests/run

# The golden sites of tests/regress/: each case must build to its expected/
# tree byte for byte (tests/regress/run); regress-rebuild rewrites expected/
# so that every output change shows in `git diff`.
regress: $(BUILD)/phare
	@PHARE=$(BUILD)/phare tests/regress/run
regress-rebuild: $(BUILD)/phare
	@PHARE=$(BUILD)/phare tests/regress/run --rebuild

install: $(BUILD)/phare
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BUILD)/phare $(DESTDIR)$(PREFIX)/bin/phare

CPPCHECK_FLAGS = --quiet --error-exitcode=1 --enable=warning,performance,portability \
	--inline-suppr -D__GNUC__ --suppress=missingIncludeSystem
cppcheck:
	cppcheck $(CPPCHECK_FLAGS) -I generator generator

# clang-format with .clang-format, on the lines changed since FORMAT_BASE: by
# default the commit that added .clang-format, so the code written before it
# keeps its layout (see .clang-format).  `scripts/static-checks format` checks
# the same lines; --force: also in files with changes not yet staged (only
# the changed lines of those files are rewritten, their changes kept).
# fold_table.h is generated (do not edit).
CLANG_FORMAT ?= $(shell command -v clang-format-14 || command -v clang-format)
FORMAT_BASE ?= $(shell git log --diff-filter=A --format=%H -- .clang-format 2>/dev/null | tail -1)
FORMAT_PATHS = generator ':!generator/search/fold_table.h'
format:
	git clang-format --force --binary "$(CLANG_FORMAT)" $(FORMAT_BASE) -- $(FORMAT_PATHS)

bench: all
	@scripts/install-deps --bench
	@bench/run

# libFuzzer targets of tests/fuzz/, each for FUZZ_SECONDS from its seeds (scripts/fuzz).
FUZZ_SECONDS ?= 60
fuzz: all
	@scripts/fuzz $(FUZZ_SECONDS)

# cppcheck, clang-tidy (.clang-tidy) and scan-build (scripts/static-checks).
static-checks: all
	@scripts/static-checks

clean:
	rm -rf build

# `make -s print-VAR` prints a variable of this Makefile: the scripts take
# the flags, packages and format settings from here (scripts/static-checks).
print-%:
	@:$(info $($*))

-include $(OBJS:.o=.d) $(UNIT_BINS:=.d)
