// Package machineid gives the installation id of the machine eulagate runs
// on: stable across reboots and across reinstalls of eulagate, because it
// is derived from the operating system's own machine id, which eulagate
// does not own.
//
// # Sources
//
// On Linux the id comes from /etc/machine-id (or /var/lib/dbus/machine-id);
// on Windows from the MachineGuid value under
// HKLM\SOFTWARE\Microsoft\Cryptography. The raw OS id is not disclosed: ID
// returns a hash of it under an eulagate-specific prefix. An appliance can
// instead be given an id once at provisioning (see package main's gate
// command), which takes precedence.
package machineid

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
)

// Prefix starts every derived id, so it is recognisable in records.
const Prefix = "m-"

// ErrUnavailable reports that the operating system has no machine id.
var ErrUnavailable = errors.New("no machine id available")

// ID returns the derived installation id of this machine.
func ID() (string, error) {
	raw, err := osMachineID()
	if err != nil {
		return "", err
	}
	return Derive(raw)
}

// Derive hashes a raw OS machine id into an installation id.
func Derive(raw string) (string, error) {
	raw = strings.ToLower(strings.TrimSpace(raw))
	if raw == "" {
		return "", ErrUnavailable
	}
	sum := sha256.Sum256([]byte("eulagate installation id v1\n" + raw))
	return Prefix + hex.EncodeToString(sum[:12]), nil
}
