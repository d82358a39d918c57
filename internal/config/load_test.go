package config

import "testing"

func TestFileErrors(t *testing.T) {
	res := LoadBytes("k.conf", []byte("global_defs {\n router_id x\n"), Options{})
	if len(res.FileErrors) != 1 || res.FileErrors[0].Pos.Line != 1 {
		t.Fatalf("unclosed block: FileErrors %v", res.FileErrors)
	}
	res = LoadBytes("k.conf", []byte("vrrp_instance VI_1 {\n priority abc\n}\n"), Options{})
	if !res.HasErrors() || len(res.FileErrors) != 0 {
		t.Errorf("a bad value is not a file error: %v / %v", res.Diags, res.FileErrors)
	}
}
