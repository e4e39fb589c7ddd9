//go:build windows

package machineid

import (
	"fmt"

	"golang.org/x/sys/windows/registry"
)

func osMachineID() (string, error) {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\Microsoft\Cryptography`, registry.QUERY_VALUE|registry.WOW64_64KEY)
	if err != nil {
		return "", fmt.Errorf("open Cryptography key: %v: %w", err, ErrUnavailable)
	}
	defer k.Close()
	v, _, err := k.GetStringValue("MachineGuid")
	if err != nil {
		return "", fmt.Errorf("read MachineGuid: %v: %w", err, ErrUnavailable)
	}
	return v, nil
}
