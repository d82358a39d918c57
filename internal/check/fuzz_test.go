package check

import (
	"net"
	"testing"
	"time"
)

// FuzzReadResponse feeds arbitrary server replies to the HTTP response
// reader: it must never panic, and a header it finds must be a prefix of
// the reply.
func FuzzReadResponse(f *testing.F) {
	f.Add([]byte("HTTP/1.0 200 OK\r\nA: b\r\n\r\nbody"))
	f.Add([]byte("HTTP/1.1 404\n\nx"))
	f.Add([]byte("garbage without header end"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, reply []byte) {
		a, b := net.Pipe()
		go func() {
			a.Write(reply)
			a.Close()
		}()
		resp, err := readResponse(b, true, time.Second)
		b.Close()
		if err != nil {
			return
		}
		if len(resp.Header) > len(reply) || string(reply[:len(resp.Header)]) != string(resp.Header) {
			t.Fatalf("header %q not a prefix of %q", resp.Header, reply)
		}
		if resp.Status < 0 || resp.Status > 999 {
			t.Fatalf("status %d", resp.Status)
		}
		_ = smtpStatus(string(reply))
	})
}
