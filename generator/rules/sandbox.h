/* sandbox.h: a Lua 5.4 state for untrusted code (rules files), and a forked
 * child to run it in.
 *
 * Three bounds, because each covers what the others cannot:
 *  - the allocator refuses to go past a memory cap (a memory bomb becomes
 *    Lua's "not enough memory" error);
 *  - a count hook stops a run of Lua code past an instruction budget, and
 *    once the budget is spent (or memory ran out) it raises again on every
 *    instruction, so a pcall in the rules cannot swallow it;
 *  - the hook never fires inside a C function (string.find with a
 *    backtracking pattern such as ".-.-.-.-.-b" runs for hours) nor in a
 *    __gc finalizer, so sandbox_isolate() runs the whole job in a forked
 *    child under RLIMIT_CPU and alarm().  We chose the child over wrapping
 *    the pattern functions because it bounds every C function, present and
 *    future, not only the four we would know to wrap, and a crash in the
 *    child cannot take phare down.
 *
 * Only the safe parts of the standard library are opened (see
 * sandbox_new); code is loaded as text only, since crafted bytecode can
 * break out of any Lua sandbox. */
#ifndef PHARE_SANDBOX_H
#define PHARE_SANDBOX_H

#include <lua.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

typedef struct sandbox sandbox;

/* A new state: base without dofile, loadfile, load, print, warn and
 * collectgarbage; string without dump; table; math without random and
 * randomseed; utf8.  No io, os, package, require, debug, coroutine.
 * mem_limit bounds the bytes Lua allocates.  Free with sandbox_free. */
sandbox *sandbox_new(size_t mem_limit);
void sandbox_free(sandbox *sb);
lua_State *sandbox_lua(sandbox *sb);

/* Loads text as a chunk named "@chunkname" (so errors read
 * "chunkname:line: …"), text mode only.  Returns a lua status; on error the
 * message is on the stack.  Nesting too deep for the parser, which Lua
 * reports as a bare "C stack overflow", is said with the line it stopped on. */
int sandbox_load(sandbox *sb, const char *chunkname, const char *text, size_t len);

/* Calls the function below nargs arguments with a fresh budget of steps
 * instructions, like lua_pcall.  On error the message (a string, with the
 * "chunk:line: " prefix when Lua knows the line) is on the stack. */
int sandbox_call(sandbox *sb, int nargs, int nresults, long steps);

/* Why the last sandbox_call failed, besides a plain error. */
bool sandbox_out_of_steps(const sandbox *sb);
bool sandbox_out_of_memory(const sandbox *sb);

/* Makes every following instruction of the current call raise msg (until
 * the next sandbox_call): used to abandon a run from a C function in a way
 * the code cannot catch and continue. */
void sandbox_interrupt(sandbox *sb, const char *msg);

/* Records the line of each return from Lua functions defined at line
 * linedefined (0: none) during the following calls; sandbox_return_line()
 * gives the last one (0 if none). */
void sandbox_watch_returns(sandbox *sb, int linedefined);
int sandbox_return_line(const sandbox *sb);

typedef enum sandbox_fate {
	SANDBOX_DONE,     /* the child finished; its output is complete */
	SANDBOX_TIMEOUT,  /* killed by the CPU or wall-clock limit */
	SANDBOX_CRASHED,  /* died otherwise, or could not be started */
} sandbox_fate;

/* The job run in the child: writes its result to out; may keep a short
 * progress note (NUL-terminated, note_size bytes) that the parent still
 * reads if the child is killed. */
typedef void (*sandbox_job)(void *arg, buf *out, char *note, size_t note_size);

/* Runs job(arg) in a forked child limited to cpu_seconds of CPU and
 * wall_seconds of real time.  out receives what the child wrote (complete
 * only with SANDBOX_DONE), note the child's last progress note, detail a
 * short explanation for SANDBOX_CRASHED. */
sandbox_fate sandbox_isolate(sandbox_job job, void *arg, unsigned cpu_seconds,
			     unsigned wall_seconds, buf *out, buf *note, buf *detail);

#endif
