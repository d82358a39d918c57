package netif

import (
	"bytes"
	"net"
	"testing"
)

// The ioctl lookup agrees with net.InterfaceByName on every interface.
func TestIfQueryMatchesNet(t *testing.T) {
	q, err := openIfQuery()
	if err != nil {
		t.Fatal(err)
	}
	defer q.close()
	ifs, err := net.Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range ifs {
		got, err := q.byName(want.Name)
		if err != nil {
			t.Fatalf("%s: %v", want.Name, err)
		}
		if got.Index != want.Index || (len(want.HardwareAddr) == 6 && !bytes.Equal(got.HardwareAddr, want.HardwareAddr)) {
			t.Errorf("%s: got index %d MAC %s, want %d %s", want.Name, got.Index, got.HardwareAddr, want.Index, want.HardwareAddr)
		}
	}
	if _, err := q.byName("no-such-if0"); err == nil {
		t.Error("no error for a missing interface")
	}
}
