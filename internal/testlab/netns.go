package testlab

import (
	"runtime"
	"testing"

	"github.com/vishvananda/netns"
)

// InNS runs fn on a thread switched into namespace name. Sockets opened
// by fn stay in that namespace.
func InNS(t testing.TB, name string, fn func()) {
	t.Helper()
	target, err := netns.GetFromName(name)
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	runtime.LockOSThread()
	orig, err := netns.Get()
	if err != nil {
		runtime.UnlockOSThread()
		t.Fatal(err)
	}
	defer orig.Close()
	if err := netns.Set(target); err != nil {
		runtime.UnlockOSThread()
		t.Fatal(err)
	}
	defer func() {
		// A thread that cannot switch back stays locked and dies with
		// its goroutine.
		if netns.Set(orig) == nil {
			runtime.UnlockOSThread()
		}
	}()
	fn()
}
