// Command eulagate shows a software End-User License Agreement in the
// reader's language, records who accepted which version, and holds back
// installation until someone has.
//
// Usage:
//
//	eulagate <command> [flags] [arguments]
//
// Run `eulagate help` for the commands and `eulagate <command> -h` for a
// command's flags. Every flag can also be set by an EULAGATE_* environment
// variable named after it (--addr by EULAGATE_ADDR, --data by EULAGATE_DATA);
// a flag given on the command line wins.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/locales"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// exitError carries a command's exit code; usage errors exit with 2.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageErrorf returns an error that exits with code 2.
func usageErrorf(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

// exitCode prints err (if any) and returns the process exit code.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var e *exitError
	if errors.As(err, &e) {
		if e.err != nil && e.err.Error() != "" {
			fmt.Fprintln(stderr, "eulagate:", e.err)
		}
		return e.code
	}
	fmt.Fprintln(stderr, "eulagate:", err)
	return 1
}

// command is one subcommand.
type command struct {
	name  string
	args  string // synopsis of the arguments after the flags
	short string // one line for `eulagate help`
	long  string // paragraph for `eulagate <command> -h`
	flags func(fs *flag.FlagSet) func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

// commands lists the subcommands; each file cmd_*.go adds its own.
var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stderr)
		return &exitError{code: 2, err: errors.New("")}
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				fs, _ := newFlagSet(c, stdout)
				fs.SetOutput(stdout)
				fs.Usage()
				return nil
			}
			return usageErrorf("help: unknown command %q; run 'eulagate help'", args[1])
		}
		usage(stdout)
		return nil
	}
	c, ok := commands[name]
	if !ok {
		return usageErrorf("unknown command %q; run 'eulagate help' for the list", name)
	}
	fs, runFn := newFlagSet(c, stderr)
	if err := parseFlags(fs, args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &exitError{code: 2, err: fmt.Errorf("%s: %w", name, err)}
	}
	return runFn(ctx, fs.Args(), stdout, stderr)
}

func newFlagSet(c *command, out io.Writer) (*flag.FlagSet, func(context.Context, []string, io.Writer, io.Writer) error) {
	fs := flag.NewFlagSet("eulagate "+c.name, flag.ContinueOnError)
	fs.SetOutput(out)
	runFn := c.flags(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: eulagate %s [flags] %s\n\n%s\n\nFlags (each also set by the environment variable shown):\n", c.name, c.args, c.long)
		fs.VisitAll(func(f *flag.Flag) {
			fmt.Fprintf(fs.Output(), "  --%s  (%s)\n\t%s", f.Name, envName(f.Name), f.Usage)
			if f.DefValue != "" && f.DefValue != "false" {
				fmt.Fprintf(fs.Output(), " (default %q)", f.DefValue)
			}
			fmt.Fprintln(fs.Output())
		})
	}
	return fs, runFn
}

// envName is the environment variable that sets a flag.
func envName(flagName string) string {
	return "EULAGATE_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parseFlags sets flags from the environment, then from the command line,
// which wins.
func parseFlags(fs *flag.FlagSet, args []string) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if v, ok := os.LookupEnv(envName(f.Name)); ok && err == nil {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("environment %s=%q: %v", envName(f.Name), v, e)
			}
		}
	})
	if err != nil {
		return err
	}
	return fs.Parse(args)
}

func usage(w io.Writer) {
	fmt.Fprint(w, `eulagate shows a software End-User License Agreement in the reader's language,
records who accepted which version, and holds back installation until someone has.

Usage:

	eulagate <command> [flags] [arguments]

Commands:

`)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "\t%-13s %s\n", n, commands[n].short)
	}
	fmt.Fprint(w, "\nRun 'eulagate help <command>' or 'eulagate <command> -h' for a command's flags.\n")
}

// loadLibrary loads the documents of dir, or the embedded ones when dir is
// empty. A dir that is not a directory is a usage error naming flag.
func loadLibrary(flag, dir string) (*eula.Library, error) {
	var fsys fs.FS = locales.FS
	if dir != "" {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return nil, usageErrorf("%s %s is not a directory", flag, dir)
		}
		fsys = os.DirFS(dir)
	}
	lib, err := eula.Load(fsys)
	if err != nil {
		return nil, fmt.Errorf("load documents: %w", err)
	}
	return lib, nil
}
