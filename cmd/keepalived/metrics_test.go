package main

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
)

func TestMetricsFlagsParse(t *testing.T) {
	for _, args := range [][]string{
		{"--metrics-listen=127.0.0.1:9650", "--metrics-path=/m"},
		{"--metrics-listen", "127.0.0.1:9650", "--metrics-path", "/m"},
	} {
		o, err := parseArgs(args)
		if err != nil || o.MetricsListen != "127.0.0.1:9650" || o.MetricsPath != "/m" {
			t.Errorf("%q: %+v %v", args, o, err)
		}
	}
	// Our options take no abbreviations, so keepalived's keep theirs.
	for _, a := range []string{"--m", "--me"} {
		o, err := parseArgs([]string{a})
		if err != nil || !o.MemCheckLog {
			t.Errorf("%s: %+v %v, want --mem-check-log", a, o, err)
		}
	}
	if _, err := parseArgs([]string{"--metrics-l=:1"}); err == nil || !strings.Contains(err.Error(), "Unknown option --metrics-l") {
		t.Errorf("abbreviated --metrics-listen: %v", err)
	}
	if _, err := parseArgs([]string{"--metrics-listen"}); err == nil {
		t.Error("--metrics-listen without an address: no error")
	}
}

func TestRunMetricsBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	for _, env := range []*fakeEnv{{child: true}, {}} {
		st, _, errOut := runFake(env, "-G", "--metrics-listen="+addr)
		if st != exitFailure || env.daemonOpt != nil || env.daemonized != nil {
			t.Errorf("child=%v: status %d, daemon %v, daemonized %q", env.child, st, env.daemonOpt != nil, env.daemonized)
		}
		if !strings.Contains(errOut, "metrics: cannot listen on "+addr) || !strings.Contains(errOut, "address already in use") {
			t.Errorf("child=%v: stderr %q", env.child, errOut)
		}
	}
	env := &fakeEnv{child: true}
	if st, _, errOut := runFake(env, "-G", "--metrics-listen=127.0.0.1:0", "--metrics-path=metrics"); st != exitFailure || !strings.Contains(errOut, "must begin with /") {
		t.Errorf("bad path: %d %q", st, errOut)
	}
	if st, _, errOut := runFake(env, "-G", "--metrics-path=/m"); st != exitFailure || !strings.Contains(errOut, "needs --metrics-listen") {
		t.Errorf("path alone: %d %q", st, errOut)
	}
}

func TestRunMetricsServes(t *testing.T) {
	env := &fakeEnv{child: true}
	if st, _, errOut := runFake(env, "-G", "--metrics-listen=127.0.0.1:0"); st != 0 || env.metrics == nil {
		t.Fatalf("status %d, metrics %v, stderr %q", st, env.metrics, errOut)
	}
	ms := env.metrics
	if ms.path != "/metrics" {
		t.Errorf("path %q", ms.path)
	}
	if n := ms.notes(); len(n) != 1 || n[0] != "Serving metrics on http://"+ms.ln.Addr().String()+"/metrics" {
		t.Errorf("notes %q", n)
	}
	stop := ms.start(slog.New(slog.DiscardHandler))
	resp, err := http.Get("http://" + ms.ln.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `keepalived_build_info{implementation="gokeepalived",version="2.2.7"} 1`) {
		t.Errorf("scrape:\n%s", body)
	}
	stop()
	off := &fakeEnv{child: true}
	if runFake(off, "-G"); off.metrics != nil {
		t.Error("metrics served without --metrics-listen")
	}
	var nilServer *metricsServer
	nilServer.start(nil)()
	if n := nilServer.notes(); n != nil {
		t.Errorf("notes of no server: %q", n)
	}
}
