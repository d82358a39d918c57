package track_test

import (
	"fmt"

	"github.com/gokeepalived/keepalived/internal/track"
)

// An instance tracking a script with weight -20 and an interface without
// weight: the script failing lowers the priority, the link going down
// holds the instance in FAULT.
func ExampleAggregate() {
	a := track.NewAggregate("VI_1", []track.Ref{
		{Key: track.Key{Kind: track.KindScript, Name: "chk"}, Weight: -20},
		{Key: track.Key{Kind: track.KindInterface, Name: "eth1"}},
	})
	a.Apply(track.Update{Kind: track.KindScript, Name: "chk", State: track.Down})
	a.Apply(track.Update{Kind: track.KindInterface, Name: "eth1", State: track.Down})
	st := a.State()
	fmt.Println(st.Delta, st.Faults)
	// Output: -20 [interface eth1]
}
