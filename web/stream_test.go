package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// deadlineRecorder is a ResponseWriter that keeps the write deadlines set
// on it, as http.ResponseController sets them.
type deadlineRecorder struct {
	*httptest.ResponseRecorder
	deadlines []time.Time
}

func (d *deadlineRecorder) SetWriteDeadline(t time.Time) error {
	d.deadlines = append(d.deadlines, t)
	return nil
}

// TestStreamingMovesDeadline checks that a long export keeps its
// connection as long as it makes progress: each second of writing moves
// the write deadline streamIdle ahead, and writes in between cost no call.
func TestStreamingMovesDeadline(t *testing.T) {
	rec := &deadlineRecorder{ResponseRecorder: httptest.NewRecorder()}
	sw := streaming(rec).(*streamWriter)
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	sw.now = func() time.Time { return now }
	for range 10 {
		if _, err := sw.Write([]byte("record\n")); err != nil {
			t.Fatal(err)
		}
		now = now.Add(300 * time.Millisecond)
	}
	// Writes at 0, 0.3, …, 2.7 s move the deadline at 0, 1.2 and 2.4 s.
	if len(rec.deadlines) != 3 {
		t.Fatalf("deadline moved %d times, want 3: %v", len(rec.deadlines), rec.deadlines)
	}
	if last := rec.deadlines[2]; !last.Equal(time.Date(2026, 12, 3, 12, 0, 2, 400e6, time.UTC).Add(streamIdle)) {
		t.Errorf("last deadline %v", last)
	}
	if got := rec.Body.String(); got != string(bytes.Repeat([]byte("record\n"), 10)) {
		t.Errorf("body %q", got)
	}
}

// TestStreamingWithoutDeadlines checks that a writer without deadlines
// (http.ErrNotSupported) still gets the whole answer.
func TestStreamingWithoutDeadlines(t *testing.T) {
	var w http.ResponseWriter = httptest.NewRecorder()
	if _, err := streaming(w).Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if got := w.(*httptest.ResponseRecorder).Body.String(); got != "x" {
		t.Errorf("body %q", got)
	}
}
