package translog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/eulagate/eulagate/eula"
)

// MaxWitnessed bounds the checkpoints a Witness keeps: the first and the
// latest ones.
const MaxWitnessed = 64

// Witness is what `eulagate audit` remembers between runs, in a file kept
// apart from the database: the checkpoints of the log it verified, so
// that the next audit notices a log cut short or rewritten, which the
// store's own checkpoints, deleted or signed again with them, cannot show.
type Witness struct {
	// VerifierKey is the key of the log the checkpoints belong to.
	VerifierKey string `json:"verifier_key"`
	// Checkpoints are signed checkpoints, in the order kept: the first one
	// ever, then the latest ones.
	Checkpoints []string `json:"checkpoints"`
}

// LoadWitness reads a witness file kept for the log of verifierKey. A
// missing file gives an empty Witness and an error wrapping
// fs.ErrNotExist; a file kept for another log's key is refused.
func LoadWitness(path, verifierKey string) (*Witness, error) {
	w := &Witness{VerifierKey: strings.TrimSpace(verifierKey)}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return w, fmt.Errorf("witness file %s: %w", path, err)
	}
	if err != nil {
		return nil, fmt.Errorf("witness file: %w", err)
	}
	var got Witness
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		return nil, fmt.Errorf("witness file %s: %v: %w", path, err, eula.ErrInvalid)
	}
	if got.VerifierKey != w.VerifierKey {
		return nil, fmt.Errorf("witness file %s was kept for the log of key %s, not %s: give each log its own witness file: %w",
			path, got.VerifierKey, w.VerifierKey, eula.ErrConflict)
	}
	return &got, nil
}

// Known returns the kept checkpoints as known checkpoints of an audit,
// marked as kept by an earlier audit.
func (w *Witness) Known(source string) []Known {
	out := make([]Known, len(w.Checkpoints))
	for i, c := range w.Checkpoints {
		out[i] = Known{Source: source, Checkpoint: []byte(c), Audited: true}
	}
	return out
}

// Add keeps a verified checkpoint, unless it is the latest kept already,
// dropping the oldest but the first beyond MaxWitnessed.
func (w *Witness) Add(signed string) {
	if n := len(w.Checkpoints); n > 0 && w.Checkpoints[n-1] == signed {
		return
	}
	w.Checkpoints = append(w.Checkpoints, signed)
	if len(w.Checkpoints) > MaxWitnessed {
		w.Checkpoints = append(w.Checkpoints[:1], w.Checkpoints[len(w.Checkpoints)-MaxWitnessed+1:]...)
	}
}

// Save writes the witness file, readable by its owner only (0600), whole
// or not at all.
func (w *Witness) Save(path string) error {
	b, err := json.MarshalIndent(w, "", "  ")
	if err != nil {
		return fmt.Errorf("witness file: %w", err)
	}
	if err := writePrivate(path, append(b, '\n'), true); err != nil {
		return fmt.Errorf("witness file: %w", err)
	}
	return nil
}
