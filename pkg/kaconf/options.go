package kaconf

// Severity ranks a diagnostic.
type Severity int

// Diagnostic severities.
const (
	SevInfo Severity = iota
	SevWarning
	SevError
)

// Diagnostic is a problem found while reading, with its position.
type Diagnostic struct {
	Pos      Pos
	Severity Severity
	Msg      string
}

// String formats the diagnostic as "file:line: message".
func (d Diagnostic) String() string {
	if d.Pos.File == "" {
		return d.Msg
	}
	return d.Pos.String() + ": " + d.Msg
}

// Options tune reading.
type Options struct {
	// ConfigID is matched by @id / @^id conditional lines (keepalived's -i;
	// default the short hostname, filled by the caller).
	ConfigID string
	// Instance is the value of ${_INSTANCE} (keepalived's instance name).
	Instance string
	// IncludeCheck makes a missing or unreadable include an error (-e,
	// include_check); plain include otherwise ignores missing files.
	IncludeCheck bool
	// Getenv is used for ${_ENV NAME}; nil means os.Getenv.
	Getenv func(string) string
	// MaxBytes limits the total input read (0: a built-in default).
	MaxBytes int64
	// MaxLines limits the number of lines after expansion (0: built-in).
	MaxLines int
	// IncludeRoot, when set, confines include to files inside this
	// directory (a sandbox for untrusted input such as fuzzing); any other
	// include is refused with an error diagnostic.
	IncludeRoot string
}
