# fuzz.mk: builds the libFuzzer targets of tests/fuzz/ under build/fuzz/
# (called by scripts/fuzz; run from the repository's root, after `make`
# has generated build/theme_data.c).  phare's objects are compiled again
# with clang and the same sanitizers as the harness, with coverage hooks
# (-fsanitize=fuzzer-no-link), so libFuzzer sees their branches.
CLANG ?= clang
FUZZ_BUILD ?= build/fuzz
# The packages, the language and the warnings are the Makefile's.
from_makefile = $(shell MAKEFLAGS= $(MAKE) -s --no-print-directory -f Makefile print-$(1))
PKGS := $(call from_makefile,PKGS)
STD_CFLAGS := $(call from_makefile,STD_CFLAGS)
PKG_CFLAGS := $(call from_makefile,PKG_CFLAGS)
SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# The project's warnings, without -Werror: clang may warn where gcc does not,
# and that must not stop a fuzzing run.
WARN := $(filter-out -Werror,$(call from_makefile,WARNINGS))
FUZZ_CFLAGS = $(STD_CFLAGS) -g -O1 $(WARN) $(SAN) -pthread -Igenerator -Ibuild \
	-Itests/fuzz $(CPPFLAGS) $(PKG_CFLAGS) -MMD -MP
LIBS = $(LDFLAGS) $(shell pkg-config --libs $(PKGS)) -lstemmer -lpthread -lm

SRCS := $(sort $(shell find generator -name '*.c' -not -path 'generator/tools/*' -not -name main.c \
	-not -path 'generator/main.c'))
OBJS := $(SRCS:%.c=$(FUZZ_BUILD)/obj/%.o) $(FUZZ_BUILD)/obj/theme_data.o
TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
BINS := $(TARGETS:%=$(FUZZ_BUILD)/fuzz_%)

.PHONY: all
# The objects are intermediate files of the pattern rules: keep them.
.SECONDARY:
all: $(BINS)

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@printf '  %-6s %s\n' CLANG $<
	@$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/obj/theme_data.o: build/theme_data.c
	@mkdir -p $(dir $@)
	@$(CLANG) $(STD_CFLAGS) -g -O1 $(SAN) -Igenerator $(CPPFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(OBJS)
	@printf '  %-6s %s\n' FUZZER $@
	@$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(OBJS) $(LIBS)

-include $(OBJS:.o=.d)
