package ipvs

import (
	"net/netip"
	"testing"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/vishvananda/netlink/nl"
)

// FuzzDecodeDestMsg checks that no kernel reply makes the decoder panic
// and that what it accepts encodes back to the same destination.
func FuzzDecodeDestMsg(f *testing.F) {
	d := Dest{DestKey: DestKey{Addr: netip.MustParseAddr("10.0.0.2"), Port: 80}, Fwd: config.FwdTunnel, Weight: 2,
		Tunnel: config.Tunnel{Type: config.TunGUE, Port: 6080, Csum: config.CsumOn}}
	hdr := (&nl.Genlmsg{Command: cmdGetDest, Version: 1}).Serialize()
	f.Add(append(append([]byte(nil), hdr...), encodeDest(d).Serialize()...))
	f.Add(hdr)
	f.Fuzz(func(t *testing.T, b []byte) {
		got, ok, err := decodeDestMsg(b, AFInet)
		if err != nil || !ok || !got.Addr.IsValid() {
			return
		}
		again, err := decodeDest(encodeDest(got).Serialize()[4:], got.Family)
		if err != nil || !again.sameAttrs(got) || again.DestKey != got.DestKey {
			t.Errorf("round trip %+v -> %+v (%v)", got, again, err)
		}
	})
}
