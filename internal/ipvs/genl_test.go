package ipvs

import (
	"errors"
	"syscall"
	"testing"

	"github.com/vishvananda/netlink/nl"
)

// The generic-netlink controller (family 0x10) answers on any Linux host:
// CTRL_CMD_GETFAMILY (3) dumps the families, and fails with ENOENT for a
// family name that does not exist.
const (
	genlCtrl          = 0x10
	ctrlCmdGetFamily  = 3
	ctrlAttrFamilyNam = 2
)

func ctrlGet(name string) genlReq {
	return genlReq{cmd: ctrlCmdGetFamily, attrs: nl.NewRtAttr(ctrlAttrFamilyNam, nl.ZeroTerminated(name)).Serialize()}
}

func TestGenlConnRequestAndBatch(t *testing.T) {
	c, err := newGenlConn(genlCtrl)
	if err != nil {
		t.Skipf("no generic netlink: %v", err)
	}
	defer c.close()
	msgs, err := c.request(genlReq{cmd: ctrlCmdGetFamily}, true)
	if err != nil || len(msgs) < 1 {
		t.Fatalf("dump: %d messages, %v", len(msgs), err)
	}
	if _, err := c.request(ctrlGet("no-such-family"), false); !errors.Is(err, syscall.ENOENT) {
		t.Errorf("unknown family: %v, want ENOENT", err)
	}
	// 150 requests in three sends: every even one names nlctrl (acked),
	// every odd one a missing family (ENOENT), each in its place.
	var rs []genlReq
	for i := range 150 {
		name := "nlctrl"
		if i%2 == 1 {
			name = "no-such-family"
		}
		rs = append(rs, ctrlGet(name))
	}
	errs := c.batch(rs)
	if len(errs) != len(rs) {
		t.Fatalf("%d results for %d requests", len(errs), len(rs))
	}
	for i, err := range errs {
		if want := i%2 == 1; errors.Is(err, syscall.ENOENT) != want || (!want && err != nil) {
			t.Errorf("request %d: %v", i, err)
		}
	}
	// The socket is still in step.
	if msgs, err := c.request(genlReq{cmd: ctrlCmdGetFamily}, true); err != nil || len(msgs) < 1 {
		t.Errorf("dump after batch: %d messages, %v", len(msgs), err)
	}
}
