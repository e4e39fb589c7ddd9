// Command table prints the summary of one `make bench` run: the rows the
// benchmarks added to the file named as its argument (see package
// benchsummary), beside their baselines and targets.
package main

import (
	"fmt"
	"os"

	"github.com/eulagate/eulagate/internal/benchsummary"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: table FILE")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil && !os.IsNotExist(err) {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rows := map[string]benchsummary.Row{}
	if f != nil {
		rows, err = benchsummary.Read(f)
		f.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	fmt.Println("\nmake bench: issue 21's figures, each against its baseline measured in this run")
	fmt.Println()
	benchsummary.Print(os.Stdout, rows)
	fmt.Println()
}
