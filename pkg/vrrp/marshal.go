package vrrp

import (
	"encoding/binary"
	"net/netip"
)

// Marshal encodes a as the VRRP message keepalived would send from src to
// dst (the IP header's addresses, both IPv4 or both IPv6, like a.Addrs),
// checksum included. a.Checksum and a.ChecksumKind are ignored; opts pick
// the checksum variant. Over IPv6 the kernel recomputes the checksum
// (IPV6_CHECKSUM) to the same value.
func Marshal(a Advert, src, dst netip.Addr, opts Options) ([]byte, error) {
	return Append(nil, a, src, dst, opts)
}

// Append is Marshal appending to buf.
func Append(buf []byte, a Advert, src, dst netip.Addr, opts Options) ([]byte, error) {
	src, dst = src.Unmap(), dst.Unmap()
	is4, err := family(src, dst)
	if err != nil {
		return buf, err
	}
	if err := checkEncodable(&a, is4); err != nil {
		return buf, err
	}
	start := len(buf)
	buf = append(buf, a.Version<<4|a.Type, a.VRID, a.Priority, uint8(len(a.Addrs)))
	if a.Version == Version2 {
		buf = append(buf, a.AuthType, uint8(a.AdvertInt))
	} else {
		buf = binary.BigEndian.AppendUint16(buf, uint16(a.Reserved&0x0f)<<12|a.AdvertInt)
	}
	buf = append(buf, 0, 0)
	for _, ad := range a.Addrs {
		ad = ad.Unmap()
		if is4 {
			b := ad.As4()
			buf = append(buf, b[:]...)
		} else {
			b := ad.As16()
			buf = append(buf, b[:]...)
		}
	}
	if a.Version == Version2 && is4 {
		buf = append(buf, a.AuthData[:]...)
	}
	msg := buf[start:]
	putChecksum(msg, checksumOf(opts.sendKind(a.Version, is4), msg, src, dst, opts.group4()))
	return buf, nil
}

// family checks that src and dst are valid and of one family, and reports
// whether it is IPv4.
func family(src, dst netip.Addr) (bool, error) {
	if !src.IsValid() || !dst.IsValid() {
		return false, fail(ReasonFamily, "source %v or destination %v missing", src, dst)
	}
	if src.Is4() != dst.Is4() {
		return false, fail(ReasonFamily, "source %v and destination %v differ in family", src, dst)
	}
	return src.Is4(), nil
}

// checkEncodable validates the fields Marshal cannot encode faithfully.
func checkEncodable(a *Advert, is4 bool) error {
	switch a.Version {
	case Version2:
		if a.AdvertInt > maxV2Int {
			return fail(ReasonInterval, "VRRPv2 interval %d s above %d", a.AdvertInt, maxV2Int)
		}
		switch a.AuthType {
		case AuthNone, AuthPass:
		case AuthAH:
			return fail(ReasonAHUnsupported, "cannot build AH-authenticated adverts")
		default:
			return fail(ReasonAuthType, "auth type %d", a.AuthType)
		}
	case Version3:
		if a.AdvertInt > maxV3Int {
			return fail(ReasonInterval, "VRRPv3 interval %d cs above %d", a.AdvertInt, maxV3Int)
		}
		if a.Reserved > 0x0f {
			return fail(ReasonInterval, "reserved bits %#x wider than 4 bits", a.Reserved)
		}
	default:
		return fail(ReasonVersion, "version %d", a.Version)
	}
	if a.Type != TypeAdvert {
		return fail(ReasonType, "type %d", a.Type)
	}
	if len(a.Addrs) > maxAddrs {
		return fail(ReasonLength, "%d addresses, at most %d", len(a.Addrs), maxAddrs)
	}
	for _, ad := range a.Addrs {
		if ad = ad.Unmap(); !ad.IsValid() || ad.Is4() != is4 {
			return fail(ReasonFamily, "address %v in a packet of the other family", ad)
		}
	}
	return nil
}
