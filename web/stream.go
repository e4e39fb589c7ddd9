package web

import (
	"io"
	"net/http"
	"time"
)

// streamIdle is how long a streamed answer (an export of the records) may
// wait on a client that stops reading. The server's WriteTimeout bounds an
// ordinary answer whole; a stream extends its deadline by streamIdle each
// time it makes progress, so that an export of a million records is not cut
// off while a stalled client still is.
const streamIdle = 60 * time.Second

// streamWriter writes a long answer, moving the connection's write
// deadline forward as the answer progresses.
type streamWriter struct {
	w    io.Writer
	rc   *http.ResponseController
	idle time.Duration
	now  func() time.Time
	// next is when the deadline is moved again: at most once a second.
	next time.Time
}

// streaming returns w as a writer for a long answer.
func streaming(w http.ResponseWriter) io.Writer {
	return &streamWriter{w: w, rc: http.NewResponseController(w), idle: streamIdle, now: time.Now}
}

func (s *streamWriter) Write(p []byte) (int, error) {
	if now := s.now(); !now.Before(s.next) {
		// A writer without deadlines (http.ErrNotSupported) streams as it is.
		s.rc.SetWriteDeadline(now.Add(s.idle))
		s.next = now.Add(time.Second)
	}
	return s.w.Write(p)
}
