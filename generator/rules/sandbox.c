/* sandbox.c: a bounded Lua state for rules files, and the forked child that
 * runs it (see sandbox.h for why there are three bounds). */
#include "rules/sandbox.h"

#include <errno.h>
#include <lauxlib.h>
#include <lualib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/xalloc.h"

/* The count hook runs every HOOK_EVERY instructions while within budget. */
#define HOOK_EVERY 1000
/* The most a child may send back: far above any real tree. */
#define ISOLATE_MAX_OUTPUT (256u << 20)

struct sandbox {
	lua_State *L;
	size_t limit, used;
	size_t slack;      /* extra room for phare's own work between calls */
	bool oom;          /* an allocation was refused during this call */
	long steps_left;
	bool out_of_steps;
	char *stop_msg;    /* sandbox_interrupt: raised on every instruction */
	int watch_line, ret_line;
};

/* Lua's allocator, with a cap.  It cannot use xalloc: running out here is
 * the rules' fault, and Lua must see NULL to raise "not enough memory". */
static void *sandbox_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	sandbox *sb = ud;
	size_t old = ptr ? osize : 0;
	if (nsize == 0) {
		free(ptr);
		sb->used -= old;
		return NULL;
	}
	if (nsize > old && sb->used + (nsize - old) > sb->limit + sb->slack) {
		sb->oom = true;
		return NULL;
	}
	void *p = realloc(ptr, nsize);
	if (!p) {
		sb->oom = true;
		return NULL;
	}
	sb->used = sb->used - old + nsize;
	return p;
}

static sandbox *sandbox_of(lua_State *L)
{
	void *ud;
	lua_getallocf(L, &ud);
	return ud;
}

static void sandbox_hook(lua_State *L, lua_Debug *ar)
{
	sandbox *sb = sandbox_of(L);
	if (ar->event == LUA_HOOKRET) {
		if (sb->watch_line && lua_getinfo(L, "Sl", ar) && ar->linedefined == sb->watch_line &&
		    ar->currentline > 0)
			sb->ret_line = ar->currentline;
		return;
	}
	if (!sb->stop_msg) {
		sb->steps_left -= HOOK_EVERY;
		if (sb->steps_left > 0 && !sb->oom)
			return;
		sb->out_of_steps = sb->steps_left <= 0;
		/* From now on every instruction fails, so code that catches the
		 * error with pcall gets no further than its next instruction. */
		lua_sethook(L, sandbox_hook, LUA_MASKCOUNT | LUA_MASKRET, 1);
	}
	const char *why = sb->stop_msg ? sb->stop_msg
			  : sb->out_of_steps ? "the rules run too long (more than the instruction budget): "
					       "is there an endless loop?"
					     : NULL;
	char mem[96];
	if (!why) {
		snprintf(mem, sizeof(mem), "the rules use more than %zu MiB of memory: is something growing "
			 "without end?", sb->limit >> 20);
		why = mem;
	}
	if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0 && ar->source[0] == '@')
		luaL_error(L, "%s:%d: %s", ar->source + 1, ar->currentline, why);
	luaL_error(L, "%s", why);
}

static int sandbox_msgh(lua_State *L)
{
	if (!lua_isstring(L, 1))
		lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
	else
		lua_pushstring(L, lua_tostring(L, 1));
	return 1;
}

sandbox *sandbox_new(size_t mem_limit)
{
	static const luaL_Reg libs[] = {
		{ LUA_GNAME, luaopen_base },        { LUA_STRLIBNAME, luaopen_string },
		{ LUA_TABLIBNAME, luaopen_table },  { LUA_MATHLIBNAME, luaopen_math },
		{ LUA_UTF8LIBNAME, luaopen_utf8 },
	};
	static const char *const removed_globals[] = {
		"dofile", "loadfile", "load", "loadstring", "print", "warn", "collectgarbage", "require",
	};
	sandbox *sb = xcalloc(1, sizeof(*sb));
	sb->limit = mem_limit;
	sb->slack = 1u << 20;
	sb->L = lua_newstate(sandbox_alloc, sb);
	if (!sb->L) {
		free(sb);
		return NULL;
	}
	lua_State *L = sb->L;
	for (size_t i = 0; i < sizeof(libs) / sizeof(libs[0]); i++) {
		luaL_requiref(L, libs[i].name, libs[i].func, 1);
		lua_pop(L, 1);
	}
	for (size_t i = 0; i < sizeof(removed_globals) / sizeof(removed_globals[0]); i++) {
		lua_pushnil(L);
		lua_setglobal(L, removed_globals[i]);
	}
	lua_getglobal(L, LUA_STRLIBNAME);
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	lua_pop(L, 1);
	lua_getglobal(L, LUA_MATHLIBNAME);
	lua_pushnil(L);
	lua_setfield(L, -2, "random");
	lua_pushnil(L);
	lua_setfield(L, -2, "randomseed");
	lua_pop(L, 1);
	return sb;
}

void sandbox_free(sandbox *sb)
{
	if (!sb)
		return;
	/* lua_close runs __gc finalizers without hooks; in phare this only
	 * happens inside the isolated child, which has a CPU limit. */
	lua_close(sb->L);
	free(sb->stop_msg);
	free(sb);
}

lua_State *sandbox_lua(sandbox *sb) { return sb->L; }

/* The text handed to the parser a line at a time, so that the line being
 * read is known when the parser fails without saying where. */
typedef struct sandbox_reader {
	const char *text;
	size_t len, pos;
	int line; /* of the last piece handed out */
} sandbox_reader;

static const char *sandbox_read(lua_State *L, void *ud, size_t *size)
{
	sandbox_reader *r = ud;
	(void)L;
	if (r->pos >= r->len) {
		*size = 0;
		return NULL;
	}
	const char *start = r->text + r->pos;
	const char *nl = memchr(start, '\n', r->len - r->pos);
	*size = nl ? (size_t)(nl - start) + 1 : r->len - r->pos;
	r->pos += *size;
	r->line++;
	return start;
}

int sandbox_load(sandbox *sb, const char *chunkname, const char *text, size_t len)
{
	lua_State *L = sb->L;
	sandbox_reader r = { text, len, 0, 0 };
	lua_pushfstring(L, "@%s", chunkname);
	int st = lua_load(L, sandbox_read, &r, lua_tostring(L, -1), "t");
	lua_remove(L, -2);
	/* Nesting deeper than LUAI_MAXCCALLS makes the parser stop with a bare
	 * "C stack overflow" (or, past it, an error while handling that one). */
	const char *msg = st != LUA_OK ? lua_tostring(L, -1) : NULL;
	if (msg && (strcmp(msg, "C stack overflow") == 0 || st == LUA_ERRERR)) {
		lua_pop(L, 1);
		lua_pushfstring(L,
				"%s:%d: the rules nest deeper than Lua's parser allows (about 190 levels of "
				"tables, brackets, blocks or operators: C stack overflow); flatten them, for "
				"example with local variables",
				chunkname, r.line);
		st = LUA_ERRSYNTAX;
	}
	return st;
}

int sandbox_call(sandbox *sb, int nargs, int nresults, long steps)
{
	lua_State *L = sb->L;
	int base = lua_gettop(L) - nargs;
	lua_pushcfunction(L, sandbox_msgh);
	lua_insert(L, base);
	sb->oom = false;
	sb->out_of_steps = false;
	sb->steps_left = steps;
	free(sb->stop_msg);
	sb->stop_msg = NULL;
	sb->ret_line = 0;
	sb->slack = 0;
	lua_sethook(L, sandbox_hook, LUA_MASKCOUNT | LUA_MASKRET, HOOK_EVERY);
	int st = lua_pcall(L, nargs, nresults, base);
	lua_sethook(L, NULL, 0, 0);
	/* Between calls phare reads results and pushes messages: give it room
	 * so that it never hits the cap outside a protected call (a panic). */
	sb->slack = 1u << 20;
	lua_remove(L, base);
	if (st == LUA_ERRMEM) {
		sb->oom = true;
		lua_pop(L, 1);
		lua_pushfstring(L, "the rules use more than %d MiB of memory: is something growing without end?",
				(int)(sb->limit >> 20));
	}
	return st;
}

bool sandbox_out_of_steps(const sandbox *sb) { return sb->out_of_steps; }
bool sandbox_out_of_memory(const sandbox *sb) { return sb->oom; }

void sandbox_interrupt(sandbox *sb, const char *msg)
{
	if (sb->stop_msg)
		return;
	sb->stop_msg = xstrdup(msg);
	lua_sethook(sb->L, sandbox_hook, LUA_MASKCOUNT | LUA_MASKRET, 1);
}

void sandbox_watch_returns(sandbox *sb, int linedefined) { sb->watch_line = linedefined; }
int sandbox_return_line(const sandbox *sb) { return sb->ret_line; }

/* The child: limits itself, runs the job, writes the result, and leaves with
 * _exit so that nothing inherited (stdio buffers, atexit, leak checks) runs. */
static void sandbox_child(int fd, sandbox_job job, void *arg, unsigned cpu, unsigned wall,
			  char *note, size_t note_size)
{
	struct rlimit core = { 0, 0 };
	struct rlimit cpulim = { cpu, cpu + 1 };
	setrlimit(RLIMIT_CORE, &core);
	setrlimit(RLIMIT_CPU, &cpulim);
	signal(SIGXCPU, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	alarm(wall);
	buf out = BUF_INIT;
	job(arg, &out, note, note_size);
	const char *p = out.ptr;
	size_t left = out.len;
	while (left > 0) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(3);
		p += n;
		left -= (size_t)n;
	}
	_exit(0);
}

sandbox_fate sandbox_isolate(sandbox_job job, void *arg, unsigned cpu_seconds,
			     unsigned wall_seconds, buf *out, buf *note, buf *detail)
{
	const size_t note_size = 1024;
	int fds[2] = { -1, -1 };
	sandbox_fate fate = SANDBOX_CRASHED;
	char *shared = mmap(NULL, note_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		buf_addf(detail, "cannot map memory: %s", strerror(errno));
		return SANDBOX_CRASHED;
	}
	shared[0] = '\0';
	if (pipe(fds) != 0) {
		buf_addf(detail, "cannot make a pipe: %s", strerror(errno));
		goto done;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		buf_addf(detail, "cannot fork: %s", strerror(errno));
		goto done;
	}
	if (pid == 0) {
		close(fds[0]);
		sandbox_child(fds[1], job, arg, cpu_seconds, wall_seconds, shared, note_size);
	}
	close(fds[1]);
	fds[1] = -1;
	char chunk[65536];
	bool too_much = false;
	for (;;) {
		ssize_t n = read(fds[0], chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (out->len + (size_t)n > ISOLATE_MAX_OUTPUT)
			too_much = true;
		else
			buf_add(out, chunk, (size_t)n);
	}
	int wstatus = 0;
	while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0 && !too_much) {
		fate = SANDBOX_DONE;
	} else if (WIFSIGNALED(wstatus) &&
		   (WTERMSIG(wstatus) == SIGXCPU || WTERMSIG(wstatus) == SIGALRM ||
		    WTERMSIG(wstatus) == SIGKILL)) {
		fate = SANDBOX_TIMEOUT;
	} else if (WIFSIGNALED(wstatus)) {
		buf_addf(detail, "killed by signal %d (%s)", WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
	} else if (too_much) {
		buf_addf(detail, "sent more than %u bytes", ISOLATE_MAX_OUTPUT);
	} else {
		buf_addf(detail, "exit status %d", WEXITSTATUS(wstatus));
	}
	shared[note_size - 1] = '\0';
	buf_adds(note, shared);
done:
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	munmap(shared, note_size);
	return fate;
}
