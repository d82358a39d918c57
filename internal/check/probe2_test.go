package check

import (
	"bufio"
	"net"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/dns/dnsmessage"

	"github.com/gokeepalived/keepalived/internal/config"
)

// dnsServer answers queries for example.org. and refuses the rest.
func dnsServer(t *testing.T) netip.AddrPort {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 512)
		for {
			n, a, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			var p dnsmessage.Parser
			h, err := p.Start(buf[:n])
			if err != nil {
				continue
			}
			q, err := p.Question()
			if err != nil {
				continue
			}
			rc := dnsmessage.RCodeSuccess
			if q.Name.String() != "example.org." {
				rc = dnsmessage.RCodeRefused
			}
			b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: h.ID, Response: true, RCode: rc})
			_ = b.StartQuestions()
			_ = b.Question(q)
			out, _ := b.Finish()
			pc.WriteTo(out, a)
		}
	}()
	return addrPort(t, pc.LocalAddr())
}

func TestDNSProbe(t *testing.T) {
	ap := dnsServer(t)
	c := &config.Checker{Kind: config.CheckDNS, ConnectIP: ap.Addr(), ConnectPort: ap.Port(), ConnectTimeout: time.Second,
		DNS: &config.DNSCheck{Type: "A", Name: "example.org"}}
	if r := probe(t, c, nil, 0); !r.OK {
		t.Fatalf("answer: %+v", r)
	}
	c.DNS.Name = "other.org"
	if r := probe(t, c, nil, 0); r.OK || r.Reason != "read error occurred. (rcode = 5)" {
		t.Fatalf("refused: %+v", r)
	}
	// Nothing listening: ICMP port unreachable.
	pc, _ := net.ListenPacket("udp", "127.0.0.1:0")
	dead := addrPort(t, pc.LocalAddr())
	pc.Close()
	c.ConnectPort = dead.Port()
	if r := probe(t, c, nil, 0); r.OK || !strings.HasPrefix(r.Reason, "failed to read socket; errno 111") {
		t.Fatalf("closed port: %+v", r)
	}
}

// smtpServer speaks just enough SMTP; banner is its greeting.
func smtpServer(t *testing.T, banner string) (netip.AddrPort, chan string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	helo := make(chan string, 4)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.Write([]byte(banner + "\r\n"))
				rd := bufio.NewReader(c)
				for {
					l, err := rd.ReadString('\n')
					if err != nil {
						return
					}
					switch {
					case strings.HasPrefix(l, "HELO "):
						helo <- strings.TrimSpace(l[5:])
						c.Write([]byte("250 pleased to meet you\r\n"))
					case strings.HasPrefix(l, "QUIT"):
						c.Write([]byte("221 bye\r\n"))
						return
					}
				}
			}()
		}
	}()
	return addrPort(t, ln.Addr()), helo
}

func TestSMTPProbe(t *testing.T) {
	ap, helo := smtpServer(t, "220 mail.example.org ESMTP")
	c := &config.Checker{Kind: config.CheckSMTP, ConnectIP: ap.Addr(), ConnectPort: ap.Port(), ConnectTimeout: time.Second,
		SMTP: &config.SMTPCheck{HeloName: "lb.example.org"}}
	if r := probe(t, c, nil, 0); !r.OK {
		t.Fatalf("%+v", r)
	}
	if h := <-helo; h != "lb.example.org" {
		t.Errorf("HELO %q", h)
	}
	bad, _ := smtpServer(t, "554 go away")
	c.ConnectPort = bad.Port()
	want := "Bad greeting banner from server [127.0.0.1]:" + itoaPort(bad.Port())
	if r := probe(t, c, nil, 0); r.OK || r.Reason != want {
		t.Fatalf("%+v, want %q", r, want)
	}
	if smtpStatus("220-multi\r\n") != -1 || smtpStatus("250\r\n") != 250 {
		t.Error("smtpStatus")
	}
}

func itoaPort(p uint16) string {
	return netip.AddrPortFrom(netip.IPv4Unspecified(), p).String()[len("0.0.0.0:"):]
}

func TestPingProbe(t *testing.T) {
	if os.Geteuid() != 0 && os.Getenv("CI") != "true" {
		t.Skip("needs root for a raw ICMP socket")
	}
	c := &config.Checker{Kind: config.CheckPing, ConnectIP: netip.MustParseAddr("127.0.0.1"), ConnectTimeout: time.Second}
	if r := probe(t, c, nil, 0); !r.OK {
		t.Fatalf("ping 127.0.0.1: %+v", r)
	}
	c.ConnectIP = netip.MustParseAddr("::1")
	if r := probe(t, c, nil, 0); !r.OK {
		t.Fatalf("ping ::1: %+v", r)
	}
}
