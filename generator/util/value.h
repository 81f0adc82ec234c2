/* value.h: a small tree of data — what a YAML document parses into, and
 * what a Mustache template renders from.
 *
 * Ownership: values, their strings and their arrays live in an arena
 * (arena.h) given to every constructor; they are freed with the arena.
 * Scalars keep their source text in str/len whatever their kind, so a
 * YAML `weight: 10` can be read as the number 10 and `title: 2024` as
 * the string "2024".  line/col say where a value came from (1-based; 0
 * for values made by code), so every error can point at the author's line. */
#ifndef PHARE_VALUE_H
#define PHARE_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

typedef enum value_kind {
	VAL_NULL,
	VAL_BOOL,
	VAL_NUMBER,
	VAL_STRING,
	VAL_LIST,
	VAL_MAP
} value_kind;

typedef struct value value;
struct value {
	value_kind kind;
	int line, col;
	const char *str; /* scalars: source text, NUL-terminated; else NULL */
	size_t len;
	union {
		bool b;
		double num;
		struct { value **items; size_t len, cap; } list;
		struct { const char **keys; value **vals; size_t len, cap; } map;
	} u;
};

value *value_null(arena *a);
value *value_bool(arena *a, bool b);
value *value_number(arena *a, double n);
value *value_string(arena *a, const char *s);            /* copies s */
value *value_stringn(arena *a, const char *s, size_t n); /* copies s */
value *value_string_ref(arena *a, const char *s);        /* s must outlive the arena */
value *value_list(arena *a);
value *value_map(arena *a);

void value_list_push(arena *a, value *list, value *item);
/* Adds key (not copied: must live as long as the arena) or replaces its value. */
void value_map_set(arena *a, value *map, const char *key, value *v);
/* Shorthands that copy nothing: s must outlive the arena. */
void value_map_str(arena *a, value *map, const char *key, const char *s);
void value_map_bool(arena *a, value *map, const char *key, bool b);

/* NULL when map is not a map or has no such key. */
value *value_map_get(const value *map, const char *key);
/* Mustache truthiness: null, false, the empty list and the empty string are false. */
bool value_truthy(const value *v);
const char *value_kind_name(value_kind kind);

#endif
