// Package config turns keepalived.conf text into a typed Model with
// keepalived's defaults applied, and reports what keepalived's config check
// would report, each diagnostic naming file and line.
//
// Layout: parser.go (the keyword-table walker and argument helpers),
// keyword_tables.go (the tables of repeated blocks, built once per load,
// whose handlers take the object they fill), load.go (entry point and
// finishing passes), model.go (the top-level
// Model), global*.go, vrrp*.go and lvs*.go (one block family each),
// script.go (script strings and script security).
package config
