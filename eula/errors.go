package eula

import "errors"

// Sentinel errors that callers branch on with errors.Is.
var (
	// ErrNotFound reports that a document, version, language, product or
	// record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalid reports input that breaks a rule: a malformed field, an
	// over-long name, a control character.
	ErrInvalid = errors.New("invalid")
	// ErrConflict reports a request that clashes with what is stored, such as
	// an idempotency key reused with a different body.
	ErrConflict = errors.New("conflict")
	// ErrForbidden reports an action the rules do not allow, such as a
	// delegated acceptance without the chain that justifies it.
	ErrForbidden = errors.New("forbidden")
	// ErrUnauthorized reports a missing or wrong credential.
	ErrUnauthorized = errors.New("unauthorized")
)
