package script_test

import (
	"context"
	"fmt"
	"time"

	"github.com/gokeepalived/keepalived/internal/config"
	"github.com/gokeepalived/keepalived/internal/script"
)

// A notify script gets four words appended; FIFO readers get one line.
func Example() {
	r := script.New(script.Options{})
	s := &config.Script{Args: []string{"/bin/sh", "-c", `test "$1 $2 $3 $4" = "INSTANCE VI_1 MASTER 100"`, "notify"}}
	res := r.Run(context.Background(), script.Job{
		Script:  s,
		Extra:   script.NotifyArgs(false, "VI_1", script.StateMaster, 100),
		Timeout: 5 * time.Second,
	})
	fmt.Println(res.Success())
	fmt.Print(script.FifoLine(false, "VI_1", script.StateMaster, 100))
	// Output:
	// true
	// INSTANCE "VI_1" MASTER 100
}
