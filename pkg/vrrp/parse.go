package vrrp

import (
	"encoding/binary"
	"net/netip"
)

// Parse decodes the VRRP message b received from src to dst (the addresses
// of the IP header that carried it) and checks what the wire alone can
// tell, in keepalived's order: length against the address count, version,
// VRRPv2 auth type, packet type and checksum. Configuration-dependent
// checks (VRID, TTL, password, interval, address list) are the caller's;
// see CheckAuth and CheckAddrs. Errors are *Error values carrying a Reason;
// the Advert returned with one holds only the fields decoded so far. The
// returned Advert's Addrs do not alias b.
func Parse(b []byte, src, dst netip.Addr, opts Options) (Advert, error) {
	var a Advert
	if len(b) < headerLen {
		return a, fail(ReasonShort, "%d bytes, need at least %d", len(b), headerLen)
	}
	src, dst = src.Unmap(), dst.Unmap()
	is4, err := family(src, dst)
	if err != nil {
		return a, err
	}
	a.Version, a.Type = b[0]>>4, b[0]&0x0f
	n := int(b[3])
	want := messageLen(a.Version, n, is4)
	if len(b) != want {
		return a, fail(ReasonLength, "%d bytes with %d addresses, expect %d", len(b), n, want)
	}
	switch a.Version {
	case Version2:
		a.AuthType = b[4]
		switch a.AuthType {
		case AuthNone, AuthPass:
		case AuthAH:
			return a, fail(ReasonAHUnsupported, "auth type AH")
		default:
			return a, fail(ReasonAuthType, "auth type %d", a.AuthType)
		}
		a.AdvertInt = uint16(b[5])
		if is4 {
			copy(a.AuthData[:], b[len(b)-authDataLen:])
		}
	case Version3:
		w := binary.BigEndian.Uint16(b[4:6])
		a.Reserved, a.AdvertInt = uint8(w>>12), w&maxV3Int
	default:
		return a, fail(ReasonVersion, "version %d", a.Version)
	}
	if a.Type != TypeAdvert {
		return a, fail(ReasonType, "type %d", a.Type)
	}
	a.VRID, a.Priority = b[1], b[2]
	a.Checksum = binary.BigEndian.Uint16(b[6:8])
	if err := checkSum(&a, b, src, dst, is4, opts); err != nil {
		return a, err
	}
	addrLen := 16
	if is4 {
		addrLen = 4
	}
	a.Addrs = decodeAddrs(b[headerLen:headerLen+n*addrLen], addrLen)
	return a, nil
}

// checkSum verifies the checksum against the variant opts expect (or any
// variant with opts.AcceptAnyChecksum) and records the variant in a.
func checkSum(a *Advert, b []byte, src, dst netip.Addr, is4 bool, opts Options) error {
	want := opts.sendKind(a.Version, is4)
	group := opts.group4()
	if valid(want, b, src, dst, group) {
		a.ChecksumKind = want
		return nil
	}
	got := VerifyChecksum(b, src, dst, opts)
	if got != ChecksumInvalid && opts.AcceptAnyChecksum {
		a.ChecksumKind = got
		return nil
	}
	if got != ChecksumInvalid {
		return fail(ReasonChecksum, "checksum %#04x is the %s variant, expect %s", a.Checksum, got, want)
	}
	return fail(ReasonChecksum, "checksum %#04x, expect %#04x (%s)", a.Checksum, expected(b, src, dst, group, want), want)
}

// expected returns the checksum b should carry for kind.
func expected(b []byte, src, dst, group netip.Addr, kind ChecksumKind) uint16 {
	c := fold(sum(pseudoSum(kind, src, dst, group, len(b)), b))
	// remove the received checksum from the sum, then complement
	c = fold(uint32(c) + uint32(^binary.BigEndian.Uint16(b[6:8])))
	return ^c
}

// decodeAddrs copies the address list out of b.
func decodeAddrs(b []byte, addrLen int) []netip.Addr {
	if len(b) == 0 {
		return nil
	}
	out := make([]netip.Addr, 0, len(b)/addrLen)
	for ; len(b) >= addrLen; b = b[addrLen:] {
		if addrLen == 4 {
			out = append(out, netip.AddrFrom4([4]byte(b[:4])))
		} else {
			out = append(out, netip.AddrFrom16([16]byte(b[:16])))
		}
	}
	return out
}
