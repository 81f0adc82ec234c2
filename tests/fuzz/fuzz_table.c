/* fuzz_table.c: any bytes as a comparison table file (table_parse, with a
 * two-language site), then every text looked up in every language as the
 * build does.  Invariants: a loaded table has rows of n_columns cells and
 * columns with ids. */
#include "fuzz.h"

#include "content/site.h"
#include "content/table.h"
#include "util/arena.h"

static void fuzz_table(const char *data, size_t size)
{
	fuzz_quiet();
	arena a = ARENA_INIT;
	site_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.path = "content/site.yaml";
	cfg.origin = "";
	cfg.base = "/";
	cfg.languages[0] = (site_language){ "fr", "Français", "Aide" };
	cfg.languages[1] = (site_language){ "en", "English", "Help" };
	cfg.n_languages = 2;
	table *t = NULL;
	if (table_parse(&a, &cfg, "fuzz", "content/tables/fuzz.yaml", data, size, &t) == PHARE_OK) {
		FUZZ_ASSERT(t);
		for (size_t l = 0; l < cfg.n_languages; l++) {
			if (t->title)
				FUZZ_ASSERT(table_text(t, &cfg, t->title, l));
			for (size_t c = 0; c < t->n_columns; c++) {
				FUZZ_ASSERT(t->columns[c].id);
				FUZZ_ASSERT(table_column_index(t, t->columns[c].id, strlen(t->columns[c].id)) >= 0);
				FUZZ_ASSERT(table_text(t, &cfg, t->columns[c].label, l));
			}
			for (size_t r = 0; r < t->n_rows; r++) {
				FUZZ_ASSERT(table_text(t, &cfg, t->rows[r].criterion, l));
				for (size_t c = 0; c < t->n_columns; c++)
					if (t->rows[r].cells[c])
						FUZZ_ASSERT(table_text(t, &cfg, t->rows[r].cells[c], l));
			}
		}
	}
	arena_release(&a);
}

FUZZ_TARGET(fuzz_table)
