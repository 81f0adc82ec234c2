/* highlight_int.h: the language tables (highlight_langs.c) and the lexers
 * that run them (highlight.c).  Internal to render/highlight*. */
#ifndef PHARE_HIGHLIGHT_INT_H
#define PHARE_HIGHLIGHT_INT_H

#include <stddef.h>

#include "render/highlight.h"

typedef enum hl_class {
	HL_PLAIN,
	HL_K,
	HL_S,
	HL_C,
	HL_N,
	HL_B,
	HL_V,
	HL_O,
	HL_P,
	HL_G,
	HL_D,
	HL_I,
	HL_T,
	HL_A,
} hl_class;

/* What a table's language does beyond words, strings and comments. */
enum {
	HL_NOCASE = 1 << 0,    /* keywords in any case (SQL, PowerShell, Dockerfile) */
	HL_DOLLAR = 1 << 1,    /* $name, ${…}, $1, $? are variables */
	HL_STMT = 1 << 2,      /* a statement's first word is a command (hl-b)… */
	HL_STMT_KW = 1 << 3,   /* …or a directive (hl-k: nginx, apache, Dockerfile) */
	HL_CALL = 1 << 4,      /* a word before '(' is a function (hl-b) */
	HL_HASH_WORD = 1 << 5, /* '#' starts a comment only where a word could start */
	HL_STR_LINE = 1 << 6,  /* strings end at the end of their line */
	HL_TRIPLE = 1 << 7,    /* """ and ''' strings (Python) */
	HL_PREPROC = 1 << 8,   /* #word at the start of a line is a keyword (C) */
	HL_KEYVAL = 1 << 9,    /* [section] and key = value lines (ini, toml) */
	HL_YAML = 1 << 10,     /* key: at the start of a line, &anchor, *alias, block scalars */
	HL_JSONKEY = 1 << 11,  /* a string before ':' is a key (hl-a) */
	HL_DASHWORD = 1 << 12, /* -x, --name, -Name are options (hl-a) */
	HL_AT = 1 << 13,       /* @name is a decorator (hl-b) */
	HL_TAGS = 1 << 14,     /* <Directory …> lines are tags (apache) */
	HL_PCT_VAR = 1 << 15,  /* %{NAME} is a variable (apache) */
	HL_PHP = 1 << 16,      /* <?php and ?> are keywords */
};

typedef struct hl_lexer hl_lexer;

struct hl_lang {
	const char *name;            /* canonical: data-lang */
	const char *const *names;    /* every name it answers to, NULL-terminated */
	const char *const *keywords; /* sorted by strcmp, lowercase when HL_NOCASE; NULL-terminated */
	const char *const *builtins; /* the same, hl-b */
	size_t n_keywords, n_builtins;
	const char *line_comment[2];  /* markers running to the end of the line */
	const char *block_comment[2]; /* opening and closing marker */
	const char *quotes;           /* characters that open a string (hl-s) */
	const char *raw_quotes;       /* of those, the ones without backslash escapes */
	const char *var_quotes;       /* characters that quote a name (hl-v: SQL's ` and ") */
	const char *word_extra;       /* word characters besides [A-Za-z0-9_] and non-ASCII */
	const char *ops;              /* operator characters (hl-o) */
	const char *stmt_after;       /* characters after which a statement starts (HL_STMT) */
	unsigned flags;
	void (*lex)(hl_lexer *); /* NULL: the table-driven lexer */
};

extern const hl_lang *const hl_langs[];
extern const size_t hl_n_langs;

/* The special lexers (highlight.c). */
void hl_lex_console(hl_lexer *lx);
void hl_lex_diff(hl_lexer *lx);
void hl_lex_markup(hl_lexer *lx);
void hl_lex_css(hl_lexer *lx);

#endif
