/* blocks.c: comparison tables and questionnaires inside the site build. */
#include "build/blocks.h"

#include <string.h>

#include "build/builder.h"
#include "util/diag.h"

phare_status blocks_load(builder *b)
{
	(void)b;
	return PHARE_OK;
}

phare_status blocks_render(builder *b, const article *a, const char *info, int line, buf *out)
{
	(void)b;
	(void)out;
	diag_error(a->path, line, 1, "'```%s': tables and questionnaires are not supported yet", info);
	return PHARE_ERR_INPUT;
}

phare_status blocks_pages(builder *b)
{
	(void)b;
	return PHARE_OK;
}

value *blocks_table_list(builder *b, arena *a, size_t lang)
{
	(void)b;
	(void)lang;
	return value_list(a);
}

value *blocks_questionnaire_list(builder *b, arena *a, size_t lang)
{
	(void)b;
	(void)lang;
	return value_list(a);
}

const char *blocks_first_questionnaire_url(builder *b, size_t lang)
{
	(void)b;
	(void)lang;
	return "";
}

void blocks_free(builder *b)
{
	(void)b;
}
