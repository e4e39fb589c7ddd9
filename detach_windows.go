//go:build windows

package main

import (
	"os/exec"
	"syscall"
)

// detach makes a started server outlive the gate (a new process group,
// without a console window).
func detach(cmd *exec.Cmd) {
	const createNewProcessGroup, detachedProcess = 0x00000200, 0x00000008
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: createNewProcessGroup | detachedProcess}
}
