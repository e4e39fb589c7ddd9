package eula_test

import (
	"errors"
	"fmt"

	"github.com/eulagate/eulagate/eula"
)

func ExampleRecord_Validate() {
	r := validRecord()
	r.Personal.Actor.Name = "Eve\u202e" // a right-to-left override hides text
	err := r.Validate()
	fmt.Println(errors.Is(err, eula.ErrInvalid))
	fmt.Println(err)
	// Output:
	// true
	// personal.actor.name: control character U+202E at byte 3: invalid
}

func ExampleStatusOf() {
	history := []eula.Record{
		{Index: 3, Decision: eula.Accepted, Document: eula.Shown{ID: eula.DocEULA, Version: "20240101"}},
		{Index: 9, Decision: eula.Accepted, Document: eula.Shown{ID: eula.DocEULA, Version: "20250212"}},
	}
	fmt.Println(eula.StatusOf(history, "20250212", nil).State)
	fmt.Println(eula.StatusOf(history[:1], "20250212", nil).State)
	fmt.Println(eula.StatusOf(nil, "20250212", nil).State)
	// Output:
	// accepted
	// reacceptance-due
	// none
}

func ExampleParseCheckpoint() {
	tree, err := eula.ParseCheckpoint("eulagate acceptance log\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")
	fmt.Println(tree.N, err)
	// Output:
	// 5 <nil>
}
