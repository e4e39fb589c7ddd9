//go:build !windows

package main

import (
	"os/exec"
	"syscall"
)

// detach makes a started server outlive the gate (its own session, so a
// signal to the gate's process group does not stop it).
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
}
