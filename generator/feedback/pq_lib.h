/* pq_lib.h: libpq (PostgreSQL's client library), opened when a store is
 * first opened on a postgresql:// URI instead of linked into phare, like
 * SQLite (sqlite_lib.h, util/dynlib.h): only `phare collect` and
 * `phare feedback` on PostgreSQL need it.
 *
 * Its functions are called through the table `pq`, one member per function
 * phare uses, named without the PQ prefix and typed by <libpq-fe.h>'s
 * prototype:
 *     pq.execParams(conn, sql, n, NULL, values, NULL, NULL, 0)
 * pq_lib_load() fills it; store_pg_open() calls it first. */
#ifndef PHARE_PQ_LIB_H
#define PHARE_PQ_LIB_H

#include <libpq-fe.h>

#include "util/status.h"

typedef struct pq_api {
	__typeof__(PQclear) *clear;
	__typeof__(PQconninfoFree) *conninfoFree;
	__typeof__(PQconninfoParse) *conninfoParse;
	__typeof__(PQconnectdbParams) *connectdbParams;
	__typeof__(PQenterPipelineMode) *enterPipelineMode;
	__typeof__(PQerrorMessage) *errorMessage;
	__typeof__(PQexec) *exec;
	__typeof__(PQexecParams) *execParams;
	__typeof__(PQexecPrepared) *execPrepared;
	__typeof__(PQexitPipelineMode) *exitPipelineMode;
	__typeof__(PQfinish) *finish;
	__typeof__(PQfreemem) *freemem;
	__typeof__(PQgetResult) *getResult;
	__typeof__(PQgetisnull) *getisnull;
	__typeof__(PQgetvalue) *getvalue;
	__typeof__(PQntuples) *ntuples;
	__typeof__(PQpipelineSync) *pipelineSync;
	__typeof__(PQprepare) *prepare;
	__typeof__(PQresultErrorField) *resultErrorField;
	__typeof__(PQresultErrorMessage) *resultErrorMessage;
	__typeof__(PQresultStatus) *resultStatus;
	__typeof__(PQsendQueryParams) *sendQueryParams;
	__typeof__(PQsendQueryPrepared) *sendQueryPrepared;
	__typeof__(PQsetSingleRowMode) *setSingleRowMode;
	__typeof__(PQstatus) *status;
	__typeof__(PQtransactionStatus) *transactionStatus;
} pq_api;

/* Filled by pq_lib_load(); every member NULL before. */
extern pq_api pq;

/* Opens libpq once (any thread) and fills `pq`; when it cannot, says what
 * to install and returns PHARE_ERR_IO. */
phare_status pq_lib_load(void) PHARE_MUST_USE;

#endif
