package config

import (
	"net/netip"
	"time"
)

// CheckerKind identifies a checker block.
type CheckerKind uint8

// Checker kinds.
const (
	CheckTCP CheckerKind = iota
	CheckHTTP
	CheckSSL
	CheckMisc
	CheckSMTP
	CheckDNS
	CheckUDP
	CheckPing
	CheckFile
	CheckBFD
)

var checkerNames = [...]string{"TCP_CHECK", "HTTP_GET", "SSL_GET", "MISC_CHECK",
	"SMTP_CHECK", "DNS_CHECK", "UDP_CHECK", "PING_CHECK", "FILE_CHECK", "BFD_CHECK"}

// String returns the checker's keyword.
func (k CheckerKind) String() string {
	if int(k) < len(checkerNames) {
		return checkerNames[k]
	}
	return "UNKNOWN_CHECK"
}

// Checker is one checker block of a real server. The timing fields hold
// effective values: keepalived's inheritance (checker, else real server,
// else virtual server, else the checker's default) is already applied.
type Checker struct {
	Pos  Pos
	Kind CheckerKind

	// Connection options (not for MISC, FILE, BFD). ConnectIP and
	// ConnectPort default to the real server's address and port.
	ConnectIP      netip.Addr
	ConnectPort    uint16
	BindTo         netip.Addr
	BindPort       uint16
	BindIf         string
	Fwmark         uint32
	ConnectTimeout time.Duration

	Retry            uint32
	DelayBeforeRetry time.Duration
	Warmup           time.Duration
	DelayLoop        time.Duration
	Alpha            bool
	LogAllFailures   bool

	HTTP *HTTPCheck // HTTP_GET, SSL_GET
	Misc *MiscCheck
	SMTP *SMTPCheck
	DNS  *DNSCheck
	UDP  *UDPCheck
	File *FileCheck
	BFD  *BFDCheck

	// What the block set, before inheritance.
	retry, delayBeforeRetry, warmup, delayLoop, connectTimeout lvsOpt
	alpha, logAllFailures                                      int // -1 unset
	connectIPSet, connectPortSet                               bool
}

// defaultRetry is keepalived's retry count when nothing sets one.
func (k CheckerKind) defaultRetry() uint32 {
	switch k {
	case CheckMisc:
		return 0
	case CheckDNS:
		return 3
	}
	return 1
}

// defaultDelayBeforeRetry is keepalived's delay when nothing sets one;
// 0 means "use delay_loop".
func (k CheckerKind) defaultDelayBeforeRetry() time.Duration {
	switch k {
	case CheckHTTP, CheckSSL:
		return 3 * time.Second
	case CheckDNS:
		return 0
	}
	return time.Second
}

// launches reports whether the checker runs on a timer (FILE_CHECK and
// BFD_CHECK react to events instead).
func (k CheckerKind) launches() bool { return k != CheckFile && k != CheckBFD }

// connects reports whether the checker takes the connection options.
func (k CheckerKind) connects() bool {
	return k != CheckMisc && k != CheckFile && k != CheckBFD
}

// HTTPCheck holds HTTP_GET / SSL_GET settings.
type HTTPCheck struct {
	URLs         []*HTTPURL
	Protocol     string // http_protocol: "1.0" (default), "1.0C", "1.1"
	FastRecovery bool
	Virtualhost  string // checker-level virtualhost
	EnableSNI    bool   // SSL_GET enable_sni
	SNIName      string // SSL_GET sni_name
	TLSCompliant bool   // SSL_GET tls_compliant
}

// StatusRange is an inclusive range of HTTP status codes.
type StatusRange struct{ Min, Max int }

// HTTPURL is one url block.
type HTTPURL struct {
	Pos          Pos
	Path         string
	Digest       string        // lower-case hex MD5, "" when none
	StatusCodes  []StatusRange // default 200-299
	Virtualhost  string        // effective: url, checker, real server, virtual server
	Regex        string
	RegexNoMatch bool
	RegexOptions []string
	RegexStack   [2]int // start and max match stack sizes, 0 when unset
	RegexMinOff  int    // regex_min_offset
	RegexMaxOff  int    // regex_max_offset (0: none)
}

// Accepts reports whether status code c is expected.
func (u *HTTPURL) Accepts(c int) bool {
	for _, r := range u.StatusCodes {
		if c >= r.Min && c <= r.Max {
			return true
		}
	}
	return false
}

// MiscCheck holds MISC_CHECK settings. A checker whose program cannot be
// found is dropped; the script-security pass may still set Path.Disabled,
// in which case the checker must not run.
type MiscCheck struct {
	Path    *Script       // misc_path
	Timeout time.Duration // misc_timeout; 0: delay_loop
	Dynamic bool          // misc_dynamic
	User    string        // user USER [GROUP]
	Group   string
}

// SMTPHost is a legacy SMTP_CHECK host { } block.
type SMTPHost struct {
	Pos            Pos
	ConnectIP      netip.Addr
	ConnectPort    uint16
	BindTo         netip.Addr
	BindPort       uint16
	BindIf         string
	Fwmark         uint32
	ConnectTimeout time.Duration // 0: the checker's
}

// SMTPCheck holds SMTP_CHECK settings.
type SMTPCheck struct {
	HeloName string // helo_name (default: global smtp_helo_name, else hostname)
	Hosts    []*SMTPHost
}

// DNSCheck holds DNS_CHECK settings.
type DNSCheck struct {
	Type string // A, NS, CNAME, SOA (default), MX, TXT, AAAA
	Name string // default "."
}

// UDPCheck holds UDP_CHECK settings.
type UDPCheck struct {
	Payload        []byte
	RequireReply   bool
	ReplyData      []byte // require_reply's optional data
	MinReplyLength int
	MaxReplyLength int // default 255? keepalived: 0 means no limit
}

// FileCheck holds FILE_CHECK settings.
type FileCheck struct {
	TrackFile string     // track_file NAME
	Track     *TrackFile // the track_file block it names
	Weight    int        // weight N
	WeightSet bool       // weight given (else the track_file's applies)
	Reverse   bool       // weight N reverse
	Dynamic   bool
}

// BFDCheck holds BFD_CHECK settings.
type BFDCheck struct {
	Name string
	pos  Pos
}
