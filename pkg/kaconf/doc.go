// Package kaconf reads keepalived.conf files: it runs keepalived's
// preprocessor (include, $PARAM substitution, @id conditionals, ~SEQ/~LST
// line repetition, comments, quoted strings) and builds a tree of
// statements and { } blocks, every node carrying its file and line.
//
// It knows nothing of keyword meanings: internal/config gives them.
package kaconf
