package vrrp

import (
	"errors"
	"fmt"
)

// Reason is why a packet was refused (or could not be built). It is an
// error itself, so errors.Is(err, ReasonChecksum) works on any error this
// package returns, and a comparable value receivers can count drops by.
type Reason uint8

// The reasons a packet can be bad. Parse and ParseIPv4Packet report the
// wire-level ones; the engine reports the configuration-dependent ones
// (TTL, auth, interval, address list) with the same type so that one set of
// counters covers every drop.
const (
	ReasonNone          Reason = iota // not a packet error
	ReasonShort                       // shorter than the fixed header
	ReasonLength                      // length disagrees with the address count
	ReasonIPHeader                    // malformed IPv4 header
	ReasonIPLength                    // IPv4 total length disagrees with the bytes received
	ReasonProtocol                    // IP protocol is not VRRP
	ReasonFamily                      // address family mismatch (src/dst/addresses/version)
	ReasonVersion                     // VRRP version not 2 or 3
	ReasonType                        // packet type not advertisement
	ReasonAuthType                    // unknown VRRPv2 auth type
	ReasonAHUnsupported               // IPsec AH authentication is not supported
	ReasonChecksum                    // checksum wrong for every accepted variant
	ReasonInterval                    // interval out of range or not the one expected
	ReasonTTL                         // TTL / hop limit not 255 (or outside unicast range)
	ReasonAuthMismatch                // auth type differs from the configured one
	ReasonAuthFailure                 // wrong password
	ReasonAddrCount                   // address count differs from the configured one
	ReasonAddrList                    // a configured address is missing from the advert
	ReasonCount                       // number of reasons; not a reason
)

var reasonText = [ReasonCount]string{
	ReasonNone:          "no error",
	ReasonShort:         "packet too short",
	ReasonLength:        "packet length does not match address count",
	ReasonIPHeader:      "bad IPv4 header",
	ReasonIPLength:      "IPv4 total length mismatch",
	ReasonProtocol:      "not a VRRP packet",
	ReasonFamily:        "address family mismatch",
	ReasonVersion:       "bad VRRP version",
	ReasonType:          "bad packet type",
	ReasonAuthType:      "invalid auth type",
	ReasonAHUnsupported: "IPsec AH authentication not supported",
	ReasonChecksum:      "bad checksum",
	ReasonInterval:      "advertisement interval mismatch",
	ReasonTTL:           "invalid TTL/hop limit",
	ReasonAuthMismatch:  "auth type mismatch",
	ReasonAuthFailure:   "authentication failure",
	ReasonAddrCount:     "unexpected address count",
	ReasonAddrList:      "address list mismatch",
}

// keepalived's vrrp_stats_t field each reason increments ("" for none).
var reasonStat = [ReasonCount]string{
	ReasonShort:         "packet_len_err",
	ReasonLength:        "packet_len_err",
	ReasonIPHeader:      "packet_len_err",
	ReasonIPLength:      "packet_len_err",
	ReasonVersion:       "vers_err",
	ReasonType:          "invalid_type_rcvd",
	ReasonAuthType:      "invalid_authtype",
	ReasonAHUnsupported: "authtype_mismatch",
	ReasonChecksum:      "chk_err",
	ReasonInterval:      "advert_interval_err",
	ReasonTTL:           "ip_ttl_err",
	ReasonAuthMismatch:  "authtype_mismatch",
	ReasonAuthFailure:   "auth_failure",
	ReasonAddrCount:     "addr_list_err",
	ReasonAddrList:      "addr_list_err",
}

// String returns a short description of the reason.
func (r Reason) String() string {
	if r < ReasonCount {
		return reasonText[r]
	}
	return fmt.Sprintf("reason(%d)", uint8(r))
}

// Error makes a Reason usable as a sentinel error.
func (r Reason) Error() string { return "vrrp: " + r.String() }

// Stat returns the name of the keepalived statistics counter that a drop
// for this reason increments, or "" when keepalived counts none.
func (r Reason) Stat() string {
	if r < ReasonCount {
		return reasonStat[r]
	}
	return ""
}

// Error is a refused packet: the Reason plus details for the log line.
type Error struct {
	Reason Reason
	Detail string
}

// Error implements error.
func (e *Error) Error() string {
	if e.Detail == "" {
		return e.Reason.Error()
	}
	return e.Reason.Error() + ": " + e.Detail
}

// Is reports whether target is e's Reason, so errors.Is(err, ReasonX)
// works.
func (e *Error) Is(target error) bool {
	r, ok := target.(Reason)
	return ok && r == e.Reason
}

// ReasonOf returns the Reason carried by err, ReasonNone for nil or for an
// error from elsewhere.
func ReasonOf(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	var r Reason
	if errors.As(err, &r) {
		return r
	}
	return ReasonNone
}

// fail builds an *Error with a formatted detail.
func fail(r Reason, format string, args ...any) error {
	return &Error{Reason: r, Detail: fmt.Sprintf(format, args...)}
}
