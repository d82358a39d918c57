package metrics

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestServeAndShutdown(t *testing.T) {
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	reg := NewRegistry(Options{Version: "2.2.7"}, fakeLVS{st: lvsStatus})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, Handler(reg, "/m", nil)) }()
	base := "http://" + ln.Addr().String()
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := get("/m")
	if code != 200 || !strings.Contains(body, `keepalived_build_info{implementation="gokeepalived",version="2.2.7"} 1`) ||
		!strings.Contains(body, "keepalived_lvs_real_server_up{") || !strings.Contains(body, "process_resident_memory_bytes") {
		t.Errorf("GET /m: %d\n%s", code, body)
	}
	if code, body := get("/"); code != 200 || !strings.Contains(body, `href="/m"`) {
		t.Errorf("GET /: %d %s", code, body)
	}
	if code, _ := get("/other"); code != 404 {
		t.Errorf("GET /other: %d", code)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after cancel")
	}
	if _, err := http.Get(base + "/m"); err == nil {
		t.Error("still serving after shutdown")
	}
}

func TestListenBusyPort(t *testing.T) {
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	_, err = Listen(addr)
	if err == nil || !strings.Contains(err.Error(), "metrics: cannot listen on "+addr) || !strings.Contains(err.Error(), "address already in use") {
		t.Errorf("second Listen: %v", err)
	}
	if _, err := Listen("not-an-address"); err == nil {
		t.Error("Listen on a bad address: no error")
	}
}
