package eula

import "time"

// State is the answer to "may installer X install product P?".
type State string

// The states.
const (
	// StateNone means no decision is recorded.
	StateNone State = "none"
	// StateAccepted means the latest decision accepts a version that counts
	// for the current one.
	StateAccepted State = "accepted"
	// StateReacceptanceDue means the latest decision accepts an older
	// version that no longer counts: the current version must be accepted.
	StateReacceptanceDue State = "reacceptance-due"
	// StateDeclined means the latest decision declines.
	StateDeclined State = "declined"
)

// Status is the state of one installation for one product. It carries no
// personal data.
type Status struct {
	State State `json:"state"`
	// CurrentVersion is the document version in force.
	CurrentVersion string `json:"current_version"`
	// Version is the document version of the deciding record, if any.
	Version string `json:"version,omitempty"`
	// RecordID, Index and Time identify the deciding record, if any.
	RecordID string     `json:"record_id,omitempty"`
	Index    int64      `json:"index,omitempty"`
	Time     *time.Time `json:"time,omitempty"`
}

// StillValid reports whether an acceptance of version accepted still counts
// while version current is in force: true for the same version and, later,
// for versions whose changes since are only editorial.
type StillValid func(accepted, current string) bool

// SameVersion is the StillValid rule that counts only an acceptance of the
// current version itself.
func SameVersion(accepted, current string) bool { return accepted == current }

// StatusOf applies the gate's rule to the history of one installation for
// one product (records in any order, such as Store.Latest returns): the
// latest decision (highest log index) decides. A decline gives
// StateDeclined; an acceptance gives StateAccepted if still(accepted
// version, current) holds, else StateReacceptanceDue; no record gives
// StateNone. A nil still means SameVersion. StatusOf is pure.
func StatusOf(history []Record, current string, still StillValid) Status {
	if still == nil {
		still = SameVersion
	}
	st := Status{State: StateNone, CurrentVersion: current}
	var last *Record
	for i := range history {
		if history[i].Document.ID != DocEULA {
			continue // only decisions on the EULA open or close the gate
		}
		if last == nil || history[i].Index > last.Index {
			last = &history[i]
		}
	}
	if last == nil {
		return st
	}
	t := last.Time
	st.Version, st.RecordID, st.Index, st.Time = last.Document.Version, last.ID, last.Index, &t
	switch {
	case last.Decision == Declined:
		st.State = StateDeclined
	case still(last.Document.Version, current):
		st.State = StateAccepted
	default:
		st.State = StateReacceptanceDue
	}
	return st
}
