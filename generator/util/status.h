/* status.h: the one status type returned by fallible functions, and the
 * process exit codes.  A function that fails has already reported why
 * through diag (diag.h); its caller only passes the status up. */
#ifndef PHARE_STATUS_H
#define PHARE_STATUS_H

typedef enum phare_status {
	PHARE_OK = 0,
	PHARE_ERR_INPUT,   /* the content is wrong: reported with file:line:col */
	PHARE_ERR_IO,      /* a file could not be read or written */
	PHARE_ERR_LIMIT,   /* a bound was hit (size, depth, time, memory) */
	PHARE_ERR_USAGE,   /* wrong command-line use */
	PHARE_ERR_INTERNAL
} phare_status;

#define PHARE_MUST_USE __attribute__((warn_unused_result))

/* Exit codes of the phare command. */
enum phare_exit {
	EXIT_OK = 0,
	EXIT_FAILED = 1, /* the content has errors, or the operation failed */
	EXIT_USAGE = 2   /* the command line is wrong */
};

#endif
