package testlab

import (
	"net"
	"strings"
	"testing"
	"time"
)

// TestLab builds a two-host lab, checks that the hosts reach each other
// through the bridge (a frame captured on one side) and that the
// namespaces are gone after cleanup.
func TestLab(t *testing.T) {
	NeedRoot(t)
	var names []string
	id := ID()
	t.Run("build", func(t *testing.T) {
		l := New(t, Config{
			Switch: "tlabS" + id, Hosts: []string{"tlabH0" + id, "tlabH1" + id},
			Sysctls: []string{"net.ipv4.conf.all.rp_filter=0"},
			Addrs: func(i int) [][]string {
				return [][]string{{[]string{"10.79.0.1/24", "10.79.0.2/24"}[i]}, {[]string{"fd79::1/64", "fd79::2/64"}[i], "nodad"}}
			},
		})
		names = append([]string{l.Switch}, l.Hosts...)
		if out := IP(t, l.Hosts[1], "-o", "addr", "show", "dev", "eth0"); !strings.Contains(out, "10.79.0.2/24") || !strings.Contains(out, "fd79::2/64") {
			t.Fatalf("host addresses: %s", out)
		}
		c := NewCapture(t, l.Hosts[1], 0x0806) // ARP
		// A UDP datagram from host 0 makes it resolve host 1 by ARP.
		InNS(t, l.Hosts[0], func() {
			conn, err := net.Dial("udp4", "10.79.0.2:9")
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			_, _ = conn.Write([]byte("x"))
		})
		if f := c.Next(t, 10*time.Second, nil); len(f) < 14 {
			t.Fatalf("short frame %x", f)
		}
	})
	out := Run(t, "ip", "netns", "list")
	for _, n := range names {
		if strings.Contains(out, n) {
			t.Errorf("namespace %s left behind", n)
		}
	}
}
