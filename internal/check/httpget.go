package check

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/tls"
	"errors"
	"fmt"
	"hash"
	"io"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// MaxKeptBody bounds the body kept in memory by Fetch with KeepBody (the
// digest always covers the whole body).
const MaxKeptBody = 4 << 20

// maxHeader bounds the response header.
const maxHeader = 64 << 10

// Request is one GET as keepalived's HTTP_GET, SSL_GET and genhash send
// it.
type Request struct {
	Path        string
	Virtualhost string         // Host header; empty: the address and port
	Dst         netip.AddrPort // for the default Host header
	Protocol    string         // "1.0" (default), "1.0C" or "1.1"
	KeepBody    bool           // keep the body (up to MaxKeptBody)
}

// Bytes returns the request as sent:
// "GET /p HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\nHost: 1.2.3.4:80\r\n\r\n";
// HTTP/1.1 and "1.0C" add "Connection: close".
func (r Request) Bytes() []byte {
	minor, conn := 0, ""
	switch r.Protocol {
	case "1.1":
		minor, conn = 1, "Connection: close\r\n"
	case "1.0C", "1.0c":
		conn = "Connection: close\r\n"
	}
	host := r.Virtualhost
	if host == "" {
		a := r.Dst.Addr().Unmap().String()
		if r.Dst.Addr().Is6() && !r.Dst.Addr().Is4In6() {
			a = "[" + a + "]"
		}
		host = a + ":" + strconv.Itoa(int(r.Dst.Port()))
	}
	return fmt.Appendf(nil, "GET %s HTTP/1.%d\r\nUser-Agent: KeepAliveClient\r\n%sHost: %s\r\n\r\n", r.Path, minor, conn, host)
}

// Response is what Fetch read.
type Response struct {
	Status int    // 0 when the status line could not be read
	Header []byte // the raw header, with its final empty line
	Body   []byte // with Request.KeepBody, up to MaxKeptBody
	Digest [md5.Size]byte
	// Empty reports that the server sent nothing (keepalived's "no data
	// received").
	Empty    bool
	BodySize int64
}

// Stage says where a fetch failed.
type Stage uint8

// Fetch stages.
const (
	StageConnect Stage = iota
	StageHandshake
	StageWrite
	StageRead
)

// FetchError is a failed fetch.
type FetchError struct {
	Stage   Stage
	Timeout bool
	Err     error
}

// Error describes the failure.
func (e *FetchError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *FetchError) Unwrap() error { return e.Err }

// Reason returns keepalived's wording of the failure, as logged in
// "<reason> server [1.2.3.4]:tcp:80.".
func (e *FetchError) Reason(tlsUsed bool) string {
	switch e.Stage {
	case StageConnect:
		switch {
		case e.Timeout:
			return "Timeout connecting"
		case errors.Is(e.Err, syscall.ECONNREFUSED):
			return "Connection failed"
		}
		return "Error connecting"
	case StageHandshake:
		return "SSL handshake/communication error connecting to"
	case StageWrite:
		if e.Timeout {
			return "Timeout WEB write"
		}
		return "Cannot send get request to"
	}
	switch {
	case e.Timeout && tlsUsed:
		return "Timeout SSL read"
	case e.Timeout:
		return "Timeout HTTP read"
	case tlsUsed:
		return "SSL read error from"
	}
	return "Read error with"
}

// Dialer opens the connection of a fetch.
type Dialer func(ctx context.Context) (net.Conn, error)

// Fetch connects with dial, optionally wraps the connection in TLS,
// sends req and reads the response until the server closes the
// connection. Every step (connect, handshake, write, each read) has
// timeout. The digest is the MD5 of every byte after the header.
func Fetch(ctx context.Context, dial Dialer, tlsCfg *tls.Config, req Request, timeout time.Duration) (*Response, error) {
	conn, err := dial(ctx)
	if err != nil {
		return nil, &FetchError{StageConnect, isTimeout(err), err}
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if tlsCfg != nil {
		tc := tls.Client(conn, tlsCfg)
		_ = tc.SetDeadline(time.Now().Add(timeout))
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, &FetchError{StageHandshake, isTimeout(err), fmt.Errorf("TLS handshake: %w", err)}
		}
		conn = tc
	}
	_ = conn.SetWriteDeadline(time.Now().Add(timeout))
	if _, err := conn.Write(req.Bytes()); err != nil {
		return nil, &FetchError{StageWrite, isTimeout(err), fmt.Errorf("send request: %w", err)}
	}
	return readResponse(conn, req.KeepBody, timeout)
}

// readBufSize is the size of one read of a response.
const readBufSize = 16 << 10

// readBufs recycles the read buffers of readResponse (thousands of
// checks a second would otherwise allocate one each).
var readBufs = sync.Pool{New: func() any { return new([readBufSize]byte) }}

// readResponse reads a response until EOF, splitting header and body.
func readResponse(conn net.Conn, keep bool, timeout time.Duration) (*Response, error) {
	rr := newRespReader(keep)
	bp := readBufs.Get().(*[readBufSize]byte)
	defer readBufs.Put(bp)
	buf := bp[:]
	for {
		_ = conn.SetReadDeadline(time.Now().Add(timeout))
		n, err := conn.Read(buf)
		if ferr := rr.feed(buf[:n]); ferr != nil {
			return nil, ferr
		}
		if err == io.EOF || (err != nil && isTLSCloseNotify(err)) {
			break
		}
		if err != nil {
			return nil, &FetchError{StageRead, isTimeout(err), fmt.Errorf("read response: %w", err)}
		}
	}
	return rr.finish(), nil
}

// respReader takes a response piece by piece, as read: the header up to
// its blank line, then the body into the MD5 digest (and kept with keep).
type respReader struct {
	resp   Response
	h      hash.Hash
	head   []byte
	inBody bool
	total  int
	keep   bool
}

func newRespReader(keep bool) *respReader {
	return &respReader{h: md5.New(), keep: keep}
}

// feed takes the next bytes read; an error ends the fetch.
func (r *respReader) feed(data []byte) error {
	r.total += len(data)
	if !r.inBody && len(data) > 0 {
		r.head = append(r.head, data...)
		if end := headerEnd(r.head); end >= 0 {
			r.inBody = true
			data = r.head[end:]
			r.resp.Header = r.head[:end:end]
			r.resp.Status = statusCode(r.resp.Header)
		} else if len(r.head) > maxHeader {
			return &FetchError{StageRead, false, errors.New("response header too long")}
		} else {
			data = nil
		}
	}
	if r.inBody && len(data) > 0 {
		r.h.Write(data)
		r.resp.BodySize += int64(len(data))
		if r.keep && len(r.resp.Body) < MaxKeptBody {
			r.resp.Body = append(r.resp.Body, data[:min(len(data), MaxKeptBody-len(r.resp.Body))]...)
		}
	}
	return nil
}

// finish returns the response once the server closed the connection.
func (r *respReader) finish() *Response {
	resp := &r.resp
	if !r.inBody && r.total > 0 {
		// No end of header: keepalived takes everything as header.
		resp.Header = r.head
		resp.Status = statusCode(r.head)
	}
	resp.Empty = r.total == 0
	copy(resp.Digest[:], r.h.Sum(nil))
	return resp
}

func isTLSCloseNotify(err error) bool {
	return err != nil && err.Error() == "tls: user canceled"
}

// headerEnd returns the offset just past the blank line ending the
// header ("\r\n\r\n" or "\n\n"), or -1.
func headerEnd(b []byte) int {
	i := bytes.Index(b, []byte("\r\n\r\n"))
	j := bytes.Index(b, []byte("\n\n"))
	switch {
	case i >= 0 && (j < 0 || i+2 <= j):
		return i + 4
	case j >= 0:
		return j + 2
	}
	return -1
}

// statusCode reads the code of a status line "HTTP/1.x NNN ...".
func statusCode(h []byte) int {
	if !bytes.HasPrefix(h, []byte("HTTP/")) {
		return 0
	}
	sp := bytes.IndexByte(h, ' ')
	if sp < 0 {
		return 0
	}
	rest := bytes.TrimLeft(h[sp+1:], " ")
	n := 0
	for i := 0; i < len(rest) && i < 3 && rest[i] >= '0' && rest[i] <= '9'; i++ {
		n = n*10 + int(rest[i]-'0')
	}
	return n
}
