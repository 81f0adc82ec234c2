# fuzz.mk: builds the libFuzzer targets of tests/fuzz/ under build/fuzz/
# (called by scripts/fuzz; run from the repository's root, after `make`
# has generated build/theme_data.c).  phare's objects are compiled again
# with clang and the same sanitizers as the harness, with coverage hooks
# (-fsanitize=fuzzer-no-link), so libFuzzer sees their branches.
CLANG ?= clang
FUZZ_BUILD ?= build/fuzz
PKGS = libcmark-gfm yaml-0.1 lua5.4 sqlite3 libmicrohttpd
SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# The project's warnings, without -Werror: clang may warn where gcc does not,
# and that must not stop a fuzzing run.
WARN = -Wall -Wextra -Wshadow -Wconversion -Wno-sign-conversion -Wstrict-prototypes \
	-Wmissing-prototypes
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 $(WARN) $(SAN) -pthread -Igenerator -Ibuild \
	-Itests/fuzz $(shell pkg-config --cflags $(PKGS)) -MMD -MP
LIBS = $(shell pkg-config --libs $(PKGS)) -lstemmer -lpthread -lm

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
	@$(CLANG) -std=c11 -g -O1 $(SAN) -Igenerator -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(OBJS)
	@printf '  %-6s %s\n' FUZZER $@
	@$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(OBJS) $(LIBS)

-include $(OBJS:.o=.d)
