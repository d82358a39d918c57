package config

import "github.com/gokeepalived/keepalived/pkg/kaconf"

// Severity ranks a diagnostic.
type Severity = kaconf.Severity

// Diagnostic severities (re-exported from kaconf).
const (
	SevInfo    = kaconf.SevInfo
	SevWarning = kaconf.SevWarning
	SevError   = kaconf.SevError
)

// Diagnostic is one problem found in a configuration.
type Diagnostic = kaconf.Diagnostic
