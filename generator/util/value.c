/* value.c: constructors and accessors of the data tree (see value.h). */
#include "value.h"

#include <string.h>

static value *value_new(arena *a, value_kind kind)
{
	value *v = arena_alloc(a, sizeof(*v));
	v->kind = kind;
	return v;
}

value *value_null(arena *a) { return value_new(a, VAL_NULL); }

value *value_bool(arena *a, bool b)
{
	value *v = value_new(a, VAL_BOOL);
	v->u.b = b;
	v->str = b ? "true" : "false";
	v->len = strlen(v->str);
	return v;
}

value *value_number(arena *a, double n)
{
	value *v = value_new(a, VAL_NUMBER);
	v->u.num = n;
	if (n == (double)(long long)n)
		v->str = arena_printf(a, "%lld", (long long)n);
	else
		v->str = arena_printf(a, "%.17g", n);
	v->len = strlen(v->str);
	return v;
}

value *value_stringn(arena *a, const char *s, size_t n)
{
	value *v = value_new(a, VAL_STRING);
	v->str = arena_strndup(a, s, n);
	v->len = n;
	return v;
}

value *value_string(arena *a, const char *s) { return value_stringn(a, s, strlen(s)); }

value *value_string_ref(arena *a, const char *s)
{
	value *v = value_new(a, VAL_STRING);
	v->str = s;
	v->len = strlen(s);
	return v;
}

value *value_list(arena *a) { return value_new(a, VAL_LIST); }
value *value_map(arena *a) { return value_new(a, VAL_MAP); }

/* Arena arrays cannot be realloc'd: grow by copying into a bigger block. */
static void *value_grow(arena *a, void *old, size_t len, size_t *cap, size_t elem)
{
	if (len < *cap)
		return old;
	size_t ncap = *cap ? *cap * 2 : 4;
	void *p = arena_alloc(a, ncap * elem);
	if (len)
		memcpy(p, old, len * elem);
	*cap = ncap;
	return p;
}

void value_list_push(arena *a, value *list, value *item)
{
	list->u.list.items = value_grow(a, list->u.list.items, list->u.list.len,
					&list->u.list.cap, sizeof(value *));
	list->u.list.items[list->u.list.len++] = item;
}

void value_map_set(arena *a, value *map, const char *key, value *v)
{
	for (size_t i = 0; i < map->u.map.len; i++) {
		if (map->u.map.keys[i][0] == key[0] && strcmp(map->u.map.keys[i], key) == 0) {
			map->u.map.vals[i] = v;
			return;
		}
	}
	size_t cap = map->u.map.cap;
	map->u.map.keys = value_grow(a, map->u.map.keys, map->u.map.len, &cap, sizeof(char *));
	cap = map->u.map.cap;
	map->u.map.vals = value_grow(a, map->u.map.vals, map->u.map.len, &cap, sizeof(value *));
	map->u.map.cap = cap;
	map->u.map.keys[map->u.map.len] = key;
	map->u.map.vals[map->u.map.len++] = v;
}

void value_map_str(arena *a, value *map, const char *key, const char *s)
{
	value_map_set(a, map, key, value_string_ref(a, s ? s : ""));
}

void value_map_bool(arena *a, value *map, const char *key, bool b)
{
	value_map_set(a, map, key, value_bool(a, b));
}

value *value_map_get(const value *map, const char *key)
{
	if (!map || map->kind != VAL_MAP)
		return NULL;
	/* Maps are small and scanned (template contexts: a few to a hundred
	 * keys); the first byte settles most comparisons without a call. */
	for (size_t i = 0; i < map->u.map.len; i++)
		if (map->u.map.keys[i][0] == key[0] && strcmp(map->u.map.keys[i], key) == 0)
			return map->u.map.vals[i];
	return NULL;
}

bool value_truthy(const value *v)
{
	if (!v)
		return false;
	switch (v->kind) {
	case VAL_NULL: return false;
	case VAL_BOOL: return v->u.b;
	case VAL_STRING: return v->len > 0;
	case VAL_LIST: return v->u.list.len > 0;
	default: return true;
	}
}

const char *value_kind_name(value_kind kind)
{
	static const char *names[] = { "null", "boolean", "number", "string", "list", "mapping" };
	return names[kind];
}
