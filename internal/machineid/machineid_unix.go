//go:build !windows

package machineid

import (
	"fmt"
	"os"
)

var files = []string{"/etc/machine-id", "/var/lib/dbus/machine-id"}

func osMachineID() (string, error) {
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil && len(b) > 0 {
			return string(b), nil
		}
	}
	return "", fmt.Errorf("read %v: %w", files, ErrUnavailable)
}
