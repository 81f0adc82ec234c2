/* pq_lib.c: libpq opened on first use (see pq_lib.h): the table of its
 * functions, filled with dlsym(). */
#include "feedback/pq_lib.h"

#include <dlfcn.h>

#include "util/dynlib.h"

#ifndef PHARE_PQ_SONAME
#define PHARE_PQ_SONAME "libpq.so.5"
#endif

pq_api pq;

static const char *pq_lib_bind(void *lib)
{
	DYNLIB_SYM(lib, pq.clear, "PQclear");
	DYNLIB_SYM(lib, pq.conninfoFree, "PQconninfoFree");
	DYNLIB_SYM(lib, pq.conninfoParse, "PQconninfoParse");
	DYNLIB_SYM(lib, pq.connectdbParams, "PQconnectdbParams");
	DYNLIB_SYM(lib, pq.enterPipelineMode, "PQenterPipelineMode");
	DYNLIB_SYM(lib, pq.errorMessage, "PQerrorMessage");
	DYNLIB_SYM(lib, pq.exec, "PQexec");
	DYNLIB_SYM(lib, pq.execParams, "PQexecParams");
	DYNLIB_SYM(lib, pq.execPrepared, "PQexecPrepared");
	DYNLIB_SYM(lib, pq.exitPipelineMode, "PQexitPipelineMode");
	DYNLIB_SYM(lib, pq.finish, "PQfinish");
	DYNLIB_SYM(lib, pq.freemem, "PQfreemem");
	DYNLIB_SYM(lib, pq.getResult, "PQgetResult");
	DYNLIB_SYM(lib, pq.getisnull, "PQgetisnull");
	DYNLIB_SYM(lib, pq.getvalue, "PQgetvalue");
	DYNLIB_SYM(lib, pq.ntuples, "PQntuples");
	DYNLIB_SYM(lib, pq.pipelineSync, "PQpipelineSync");
	DYNLIB_SYM(lib, pq.prepare, "PQprepare");
	DYNLIB_SYM(lib, pq.resultErrorField, "PQresultErrorField");
	DYNLIB_SYM(lib, pq.resultErrorMessage, "PQresultErrorMessage");
	DYNLIB_SYM(lib, pq.resultStatus, "PQresultStatus");
	DYNLIB_SYM(lib, pq.sendQueryParams, "PQsendQueryParams");
	DYNLIB_SYM(lib, pq.sendQueryPrepared, "PQsendQueryPrepared");
	DYNLIB_SYM(lib, pq.setSingleRowMode, "PQsetSingleRowMode");
	DYNLIB_SYM(lib, pq.status, "PQstatus");
	DYNLIB_SYM(lib, pq.transactionStatus, "PQtransactionStatus");
	return NULL;
}

static dynlib pq_lib = DYNLIB_INIT(PHARE_PQ_SONAME, "the PostgreSQL feedback store", "libpq5", pq_lib_bind);

phare_status pq_lib_load(void) { return dynlib_load(&pq_lib); }
