/* highlight_langs.c: one table per language highlighted (highlight_int.h).
 *
 * To add a language: its word lists (sorted by strcmp, lowercase when the
 * language ignores case: tests/unit/test_highlight.c checks the order), an
 * hl_lang, a line in hl_langs[] (kept in order of name), a snippet test. */
#include "render/highlight_int.h"

#define NAMES(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define WORDS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define COUNT(...) (sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))
#define KEYWORDS(...) .keywords = WORDS(__VA_ARGS__), .n_keywords = COUNT(__VA_ARGS__)
#define BUILTINS(...) .builtins = WORDS(__VA_ARGS__), .n_builtins = COUNT(__VA_ARGS__)

static const hl_lang lang_apache = {
	.name = "apache",
	.names = NAMES("apache", "apacheconf", "htaccess"),
	KEYWORDS("all", "denied", "granted", "off", "on"),
	.line_comment = { "#" },
	.quotes = "\"",
	.word_extra = "-.",
	.ops = "",
	.stmt_after = "",
	.flags = HL_NOCASE | HL_STMT | HL_STMT_KW | HL_HASH_WORD | HL_TAGS | HL_PCT_VAR | HL_DOLLAR,
};

static const hl_lang lang_bash = {
	.name = "bash",
	.names = NAMES("bash", "sh", "shell", "zsh"),
	KEYWORDS("case", "do", "done", "elif", "else", "esac", "fi", "for", "function", "if", "in", "select", "then",
		 "time", "until", "while"),
	BUILTINS("alias", "cd", "echo", "eval", "exec", "exit", "export", "local", "printf", "read", "return", "set",
		 "shift", "source", "test", "trap", "unset"),
	.line_comment = { "#" },
	.quotes = "\"'`",
	.raw_quotes = "'",
	.word_extra = "-./:@%+,~",
	.ops = "|&;<>()!=",
	.stmt_after = "|&;(`",
	.flags = HL_DOLLAR | HL_STMT | HL_HASH_WORD | HL_DASHWORD,
};

static const hl_lang lang_batch = {
	.name = "batch",
	.names = NAMES("batch", "bat", "cmd", "dosbatch", "winbatch"),
	KEYWORDS("call", "defined", "do", "else", "endlocal", "equ", "errorlevel", "exist", "exit", "for", "geq",
		 "goto", "gtr", "if", "in", "leq", "lss", "neq", "not", "setlocal"),
	BUILTINS("cd", "copy", "del", "dir", "echo", "md", "mkdir", "move", "pause", "rem", "set", "shift", "start",
		 "type"),
	.line_comment = { "::", "REM " },
	.quotes = "\"",
	.raw_quotes = "\"",
	.word_extra = "-.",
	.ops = "=<>|&()@",
	.flags = HL_NOCASE | HL_PCT_VAR,
};

static const hl_lang lang_c = {
	.name = "c",
	.names = NAMES("c", "h"),
	KEYWORDS("_Alignas", "_Alignof", "_Atomic", "_Bool", "_Noreturn", "_Static_assert", "_Thread_local", "auto",
		 "bool", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
		 "extern", "false", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict",
		 "return", "short", "signed", "sizeof", "static", "struct", "switch", "true", "typedef", "union",
		 "unsigned", "void", "volatile", "while"),
	BUILTINS("FILE", "NULL", "int16_t", "int32_t", "int64_t", "int8_t", "size_t", "ssize_t", "uint16_t", "uint32_t",
		 "uint64_t", "uint8_t"),
	.line_comment = { "//" },
	.block_comment = { "/*", "*/" },
	.quotes = "\"'",
	.ops = "=+-*/%<>!&|^~?:",
	.flags = HL_CALL | HL_STR_LINE | HL_PREPROC,
};

static const hl_lang lang_console = {
	.name = "console",
	.names = NAMES("console", "shell-session", "sh-session", "terminal"),
	.lex = hl_lex_console,
};

static const hl_lang lang_css = {
	.name = "css",
	.names = NAMES("css"),
	.block_comment = { "/*", "*/" },
	.quotes = "\"'",
	.word_extra = "-",
	.lex = hl_lex_css,
};

static const hl_lang lang_diff = {
	.name = "diff",
	.names = NAMES("diff", "patch"),
	.lex = hl_lex_diff,
};

static const hl_lang lang_dockerfile = {
	.name = "dockerfile",
	.names = NAMES("dockerfile", "docker", "containerfile"),
	KEYWORDS("add", "arg", "cmd", "copy", "entrypoint", "env", "expose", "from", "healthcheck", "label",
		 "maintainer", "onbuild", "run", "shell", "stopsignal", "user", "volume", "workdir"),
	.line_comment = { "#" },
	.quotes = "\"'",
	.raw_quotes = "'",
	.word_extra = "-./:@%+,~",
	.ops = "|&;<>=",
	.stmt_after = "",
	.flags = HL_NOCASE | HL_DOLLAR | HL_STMT | HL_STMT_KW | HL_HASH_WORD | HL_DASHWORD,
};

static const hl_lang lang_go = {
	.name = "go",
	.names = NAMES("go", "golang"),
	KEYWORDS("break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough", "false",
		 "for", "func", "go", "goto", "if", "import", "interface", "map", "nil", "package", "range", "return",
		 "select", "struct", "switch", "true", "type", "var"),
	BUILTINS("append", "bool", "byte", "cap", "close", "copy", "delete", "error", "float64", "int", "int64", "len",
		 "make", "new", "panic", "print", "println", "recover", "rune", "string", "uint", "uint64"),
	.line_comment = { "//" },
	.block_comment = { "/*", "*/" },
	.quotes = "\"'`",
	.raw_quotes = "`",
	.ops = "=+-*/%<>!&|^~:",
	.flags = HL_CALL,
};

static const hl_lang lang_html = {
	.name = "html",
	.names = NAMES("html", "xml", "xhtml", "svg", "htm", "markup"),
	.lex = hl_lex_markup,
};

static const hl_lang lang_http = {
	.name = "http",
	.names = NAMES("http", "https"),
	KEYWORDS("CONNECT", "DELETE", "GET", "HEAD", "HTTP", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"),
	.quotes = "\"",
	.word_extra = "-./",
	.ops = "",
	.flags = HL_YAML,
};

static const hl_lang lang_ini = {
	.name = "ini",
	.names = NAMES("ini", "toml", "cfg", "properties", "conf"),
	KEYWORDS("false", "no", "off", "on", "true", "yes"),
	.line_comment = { "#", ";" },
	.quotes = "\"'",
	.raw_quotes = "'",
	.word_extra = "-.",
	.ops = "=",
	.flags = HL_NOCASE | HL_KEYVAL | HL_STR_LINE,
};

static const hl_lang lang_java = {
	.name = "java",
	.names = NAMES("java"),
	KEYWORDS("abstract", "boolean", "break", "byte", "case", "catch", "char", "class", "continue", "default", "do",
		 "double", "else", "enum", "extends", "false", "final", "finally", "float", "for", "if", "implements",
		 "import", "instanceof", "int", "interface", "long", "new", "null", "package", "private", "protected",
		 "public", "record", "return", "short", "static", "super", "switch", "this", "throw", "throws", "true",
		 "try", "var", "void", "while"),
	BUILTINS("Integer", "List", "Map", "Object", "String", "System"),
	.line_comment = { "//" },
	.block_comment = { "/*", "*/" },
	.quotes = "\"'",
	.ops = "=+-*/%<>!&|^~?:",
	.flags = HL_CALL | HL_STR_LINE | HL_AT,
};

static const hl_lang lang_javascript = {
	.name = "javascript",
	.names = NAMES("javascript", "js", "mjs", "cjs", "node", "jsx", "typescript", "ts", "tsx"),
	KEYWORDS("async", "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default",
		 "delete", "do", "else", "export", "extends", "false", "finally", "for", "from", "function", "if",
		 "import", "in", "instanceof", "let", "new", "null", "of", "return", "static", "super", "switch",
		 "this", "throw", "true", "try", "typeof", "undefined", "var", "void", "while", "yield"),
	BUILTINS("Array", "JSON", "Math", "Number", "Object", "Promise", "String", "console", "document", "fetch",
		 "require", "window"),
	.line_comment = { "//" },
	.block_comment = { "/*", "*/" },
	.quotes = "\"'`",
	.word_extra = "$",
	.ops = "=+-*/%<>!&|^~?:",
	.flags = HL_CALL,
};

static const hl_lang lang_json = {
	.name = "json",
	.names = NAMES("json", "jsonc", "json5"),
	KEYWORDS("false", "null", "true"),
	.line_comment = { "//" },
	.block_comment = { "/*", "*/" },
	.quotes = "\"",
	.ops = "",
	.flags = HL_STR_LINE | HL_JSONKEY,
};

static const hl_lang lang_kotlin = {
	.name = "kotlin",
	.names = NAMES("kotlin", "kt", "kts"),
	KEYWORDS("as", "break", "class", "companion", "continue", "data", "do", "else", "enum", "false", "for", "fun",
		 "if", "import", "in", "interface", "is", "null", "object", "override", "package", "private", "public",
		 "return", "sealed", "super", "this", "throw", "true", "try", "val", "var", "when", "while"),
	BUILTINS("Any", "Boolean", "Int", "List", "Long", "String", "Unit", "listOf", "mapOf", "println"),
	.line_comment = { "//" },
	.block_comment = { "/*", "*/" },
	.quotes = "\"'",
	.word_extra = "$",
	.ops = "=+-*/%<>!&|?:.",
	.flags = HL_CALL | HL_TRIPLE | HL_STR_LINE | HL_AT,
};

static const hl_lang lang_nginx = {
	.name = "nginx",
	.names = NAMES("nginx", "nginxconf"),
	KEYWORDS("default_server", "off", "on"),
	.line_comment = { "#" },
	.quotes = "\"'",
	.word_extra = "-./:@%+,~^*\\$[]|?=()",
	.ops = "",
	.stmt_after = ";{}",
	.flags = HL_DOLLAR | HL_STMT | HL_STMT_KW,
};

static const hl_lang lang_php = {
	.name = "php",
	.names = NAMES("php", "php-inline", "php3", "php7", "php8"),
	KEYWORDS("abstract", "and", "array", "as", "break", "case", "catch", "class", "const", "continue", "declare",
		 "default", "do", "echo", "else", "elseif", "enum", "extends", "false", "final", "finally", "fn", "for",
		 "foreach", "function", "global", "if", "implements", "include", "include_once", "instanceof",
		 "interface", "isset", "list", "match", "namespace", "new", "null", "or", "print", "private",
		 "protected", "public", "readonly", "require", "require_once", "return", "static", "switch", "throw",
		 "trait", "true", "try", "unset", "use", "var", "while", "yield"),
	.line_comment = { "//", "#" },
	.block_comment = { "/*", "*/" },
	.quotes = "\"'`",
	.word_extra = "",
	.ops = "=+-*/%<>!&|^~?:.",
	.flags = HL_NOCASE | HL_DOLLAR | HL_CALL | HL_PHP,
};

static const hl_lang lang_powershell = {
	.name = "powershell",
	.names = NAMES("powershell", "ps1", "pwsh", "ps"),
	KEYWORDS("begin", "break", "catch", "class", "continue", "do", "else", "elseif", "end", "exit", "filter",
		 "finally", "for", "foreach", "function", "if", "in", "param", "process", "return", "switch", "throw",
		 "trap", "try", "until", "while"),
	.line_comment = { "#" },
	.block_comment = { "<#", "#>" },
	.quotes = "\"'",
	.raw_quotes = "'",
	.word_extra = "-.\\:",
	.ops = "|;=+*/%<>!&,",
	.stmt_after = "|;{(",
	.flags = HL_NOCASE | HL_DOLLAR | HL_STMT | HL_DASHWORD,
};

static const hl_lang lang_python = {
	.name = "python",
	.names = NAMES("python", "py", "python3"),
	KEYWORDS("False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
		 "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
		 "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield"),
	BUILTINS("bool", "dict", "enumerate", "float", "int", "isinstance", "len", "list", "open", "print", "range",
		 "self", "set", "str", "super", "tuple", "zip"),
	.line_comment = { "#" },
	.quotes = "\"'",
	.ops = "=+-*/%<>!&|^~:",
	.flags = HL_CALL | HL_TRIPLE | HL_STR_LINE | HL_AT,
};

static const hl_lang lang_r = {
	.name = "r",
	.names = NAMES("r", "rscript", "splus"),
	KEYWORDS("FALSE", "Inf", "NA", "NULL", "NaN", "TRUE", "break", "else", "for", "function", "if", "in", "next",
		 "repeat", "return", "while"),
	BUILTINS("c", "data.frame", "library", "list", "mean", "paste", "print", "sum", "vector"),
	.line_comment = { "#" },
	.quotes = "\"'",
	.word_extra = ".",
	.ops = "=+-*/<>!&|^~:$@",
	.flags = HL_CALL,
};

static const hl_lang lang_ruby = {
	.name = "ruby",
	.names = NAMES("ruby", "rb", "gemfile", "rake"),
	KEYWORDS("BEGIN", "END", "alias", "and", "begin", "break", "case", "class", "def", "defined?", "do", "else",
		 "elsif", "end", "ensure", "false", "for", "if", "in", "module", "next", "nil", "not", "or", "redo",
		 "rescue", "retry", "return", "self", "super", "then", "true", "undef", "unless", "until", "when",
		 "while", "yield"),
	BUILTINS("attr_accessor", "attr_reader", "include", "puts", "require", "require_relative"),
	.line_comment = { "#" },
	.quotes = "\"'",
	.raw_quotes = "'",
	.word_extra = "?!",
	.ops = "=+-*/%<>!&|^~:",
	.flags = HL_CALL | HL_HASH_WORD,
};

static const hl_lang lang_rust = {
	.name = "rust",
	.names = NAMES("rust", "rs"),
	KEYWORDS("as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
		 "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
		 "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
		 "while"),
	BUILTINS("Box", "Err", "None", "Ok", "Option", "Result", "Some", "String", "Vec", "bool", "i32", "i64", "str",
		 "u32", "u64", "u8", "usize"),
	.line_comment = { "//" },
	.block_comment = { "/*", "*/" },
	.quotes = "\"",
	.ops = "=+-*/%<>!&|^~?:",
	.flags = HL_CALL,
};

static const hl_lang lang_sql = {
	.name = "sql",
	.names = NAMES("sql", "mysql", "mariadb", "postgresql", "postgres", "pgsql", "sqlite"),
	KEYWORDS("add", "all", "alter", "and", "as", "asc", "begin", "between", "by", "cascade", "case", "check",
		 "column", "commit", "constraint", "create", "database", "default", "delete", "desc", "distinct",
		 "drop", "else", "end", "exists", "false", "flush", "foreign", "from", "function", "grant", "group",
		 "having", "identified", "if", "in", "index", "inner", "insert", "into", "is", "join", "key", "left",
		 "like", "limit", "not", "null", "offset", "on", "or", "order", "outer", "primary", "privileges",
		 "references", "replace", "returning", "revoke", "right", "rollback", "schema", "select", "set", "show",
		 "table", "then", "to", "transaction", "trigger", "true", "truncate", "union", "unique", "update",
		 "use", "user", "using", "values", "view", "when", "where", "with"),
	BUILTINS("avg", "bigint", "boolean", "char", "coalesce", "count", "date", "int", "integer", "max", "min", "now",
		 "serial", "sum", "text", "timestamp", "varchar"),
	.line_comment = { "--", "#" },
	.block_comment = { "/*", "*/" },
	.quotes = "'",
	.raw_quotes = "",
	.var_quotes = "\"`",
	.ops = "=<>!+-*/%|",
	.flags = HL_NOCASE | HL_CALL,
};

static const hl_lang lang_yaml = {
	.name = "yaml",
	.names = NAMES("yaml", "yml"),
	KEYWORDS("false", "no", "null", "off", "on", "true", "yes", "~"),
	.line_comment = { "#" },
	.quotes = "\"'",
	.raw_quotes = "'",
	.word_extra = "-./:@%+~",
	.ops = "|>",
	.flags = HL_NOCASE | HL_HASH_WORD | HL_YAML,
};

/* In order of name: hl_known() lists them so. */
const hl_lang *const hl_langs[] = {
	&lang_apache,     &lang_bash,   &lang_batch, &lang_c,    &lang_console,    &lang_css,    &lang_diff,
	&lang_dockerfile, &lang_go,     &lang_html,  &lang_http, &lang_ini,        &lang_java,   &lang_javascript,
	&lang_json,       &lang_kotlin, &lang_nginx, &lang_php,  &lang_powershell, &lang_python, &lang_r,
	&lang_ruby,       &lang_rust,   &lang_sql,   &lang_yaml,
};
const size_t hl_n_langs = sizeof hl_langs / sizeof hl_langs[0];
