// Package kaconf reads keepalived.conf files: it runs keepalived's
// preprocessor (include, $PARAM substitution, @id conditionals, ~SEQ/~LST
// line repetition, comments, quoted strings) and builds a tree of
// statements and { } blocks, every node carrying its file and line.
//
// It knows nothing of keyword meanings: internal/config gives them.
//
// Each physical line loses its comments ('#' or '!' outside double
// quotes; "\#" and "\!" stand for the characters) and surrounding blanks.
// A line is then processed in the order keepalived 2.2.7 uses (observed
// with the stock binary, which differs from its man page on include):
//
//  1. "@id rest" / "@^id rest": kept when id is (is not) Options.ConfigID;
//  2. "$NAME=value": a definition (a trailing '\' continues it on the next
//     lines, up to a line without one or a blank line);
//  3. "~SEQ(v,...)", "~SEQx(v,...)", "~LST(v,...)": the rest of the line is
//     processed once per value, with $v defined;
//  4. "$NAME" (followed by a blank, ',', ')' or the end) and "${NAME}"
//     are replaced, recursively, then steps 1-4 run again when the result
//     calls for it; a multi-line value's further lines follow the line;
//  5. "include FILE" (and includer/includem/includew/includeb/includea)
//     reads the matching files in place, so parameters and conditionals
//     apply to include lines. A file missing, not matched, a directory or
//     not readable is reported in keepalived's words and skipped; it fails
//     the configuration (File.IncludeFailed, -t exits 6) only under the
//     check in force: the keyword's letters, include_check in global_defs,
//     or Options.IncludeCheck (-e);
//  6. the line is split at its first '{' or '}' outside double quotes;
//     the brace is a line of its own and the remainder goes through
//     steps 1-6 again.
//
// The resulting lines become Nodes (words split by SplitWords); a "{"
// opens a block on the statement before it, "}" closes it. Limits on
// bytes read, lines produced, include depth, expansion depth and line
// length give error diagnostics rather than hangs or unbounded memory.
package kaconf
