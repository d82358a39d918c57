package check

import (
	"context"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"net"
	"regexp"
	"strings"

	"github.com/gokeepalived/keepalived/internal/config"
)

// httpProber is HTTP_GET and SSL_GET: each probe fetches one url.
type httpProber struct {
	co    connOpts
	tls   *tls.Config // nil for HTTP_GET
	proto string
	urls  []httpURL
	sni   bool   // enable_sni
	sniAs string // sni_name
}

// sniName is the server name sent in the TLS handshake: sni_name, else
// the url's virtualhost, when enable_sni is set.
func (p *httpProber) sniName(u httpURL) string {
	if !p.sni {
		return ""
	}
	if p.sniAs != "" {
		return p.sniAs
	}
	return u.Virtualhost
}

type httpURL struct {
	*config.HTTPURL
	re *regexp.Regexp // nil without regex (or when it does not compile)
}

func newHTTPProber(c *config.Checker, ssl *config.SSLConfig) (*httpProber, error) {
	p := &httpProber{co: connOptsOf(c), proto: c.HTTP.Protocol, sni: c.HTTP.EnableSNI, sniAs: c.HTTP.SNIName}
	if len(c.HTTP.URLs) == 0 {
		return nil, fmt.Errorf("%s has no url", c.Kind)
	}
	for _, u := range c.HTTP.URLs {
		hu := httpURL{HTTPURL: u}
		if u.Regex != "" {
			re, err := compileRegex(u.Regex, u.RegexOptions)
			if err != nil {
				return nil, fmt.Errorf("url %s: regex: %w", u.Path, err)
			}
			hu.re = re
		}
		p.urls = append(p.urls, hu)
	}
	if c.Kind == config.CheckSSL {
		cfg, err := tlsConfig(ssl)
		if err != nil {
			return nil, err
		}
		p.tls = cfg
	}
	return p, nil
}

// compileRegex compiles a PCRE-style pattern with Go's RE2 syntax, mapping
// the options RE2 has flags for.
func compileRegex(pat string, opts []string) (*regexp.Regexp, error) {
	flags := ""
	for _, o := range opts {
		switch o {
		case "caseless":
			flags += "i"
		case "multiline":
			flags += "m"
		case "dotall":
			flags += "s"
		case "ungreedy":
			flags += "U"
		}
	}
	if flags != "" {
		pat = "(?" + flags + ")" + pat
	}
	return regexp.Compile(pat)
}

// tlsConfig is the client side of keepalived's SSL block: an optional
// client certificate. As in keepalived, the server's certificate is not
// verified.
func tlsConfig(ssl *config.SSLConfig) (*tls.Config, error) {
	cfg := &tls.Config{InsecureSkipVerify: true} // keepalived does not verify the real server
	if ssl != nil && ssl.CertFile != "" {
		key := ssl.KeyFile
		if key == "" {
			key = ssl.CertFile
		}
		cert, err := tls.LoadX509KeyPair(ssl.CertFile, key)
		if err != nil {
			return nil, fmt.Errorf("SSL certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}

func (p *httpProber) key(c *config.Checker, ssl *config.SSLConfig) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s|%s|%v|%s|", p.co.key(), p.proto, c.HTTP.EnableSNI, c.HTTP.SNIName)
	if p.tls != nil && ssl != nil {
		fmt.Fprintf(&b, "%s|%s|", ssl.CertFile, ssl.KeyFile)
	}
	for _, u := range p.urls {
		fmt.Fprintf(&b, "%q %q %v %q %q %v %v %d %d;", u.Path, u.Digest, u.StatusCodes, u.Virtualhost, u.Regex, u.RegexNoMatch, u.RegexOptions, u.RegexMinOff, u.RegexMaxOff)
	}
	return b.String()
}

// Probe fetches url number step and checks its status code, digest and
// regex in keepalived's order.
func (p *httpProber) Probe(ctx context.Context, step int) Result {
	if step < 0 || step >= len(p.urls) {
		step = 0
	}
	u := p.urls[step]
	cfg := p.tls
	if cfg != nil && p.sniName(u) != "" {
		cfg = cfg.Clone()
		cfg.ServerName = p.sniName(u)
	}
	req := Request{Path: u.Path, Virtualhost: u.Virtualhost, Dst: p.co.dst, Protocol: p.proto, KeepBody: u.re != nil}
	dial := func(ctx context.Context) (net.Conn, error) {
		if pl := pollerFrom(ctx); pl != nil {
			return p.co.dialRaw(ctx, pl)
		}
		return p.co.dial(ctx, "tcp")
	}
	resp, err := Fetch(ctx, dial, cfg, req, p.co.timeout)
	if err != nil {
		reason := "Error connecting"
		if fe, ok := err.(*FetchError); ok {
			reason = fe.Reason(p.tls != nil)
		}
		return Result{Reason: reason, Detail: err.Error(), Exit: -1}
	}
	return judge(u, resp)
}

// judge applies http_handle_response's tests to a response.
func judge(u httpURL, resp *Response) Result {
	if resp.Empty {
		return Result{Reason: "Read, no data received from", Exit: -1}
	}
	if !u.Accepts(resp.Status) {
		return Result{Reason: "HTTP status code error to", Detail: fmt.Sprintf("status code %d", resp.Status), Exit: -1}
	}
	success := "HTTP status code"
	if u.Digest != "" {
		if hex.EncodeToString(resp.Digest[:]) != u.Digest {
			return Result{Reason: "MD5 digest error to", Exit: -1}
		}
		success = "MD5 digest"
	}
	if u.re != nil {
		body := resp.Body
		if u.RegexMaxOff > 0 && len(body) > u.RegexMaxOff {
			body = body[:u.RegexMaxOff]
		}
		matched := false
		if u.RegexMinOff < len(body) {
			matched = u.re.Match(body[u.RegexMinOff:])
		}
		if matched == u.RegexNoMatch {
			return Result{Reason: "Regex match failed", Exit: -1}
		}
		success = "Regex match"
	}
	return Result{OK: true, Success: success, Exit: -1}
}
