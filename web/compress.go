package web

import (
	"compress/gzip"
	"net/http"
	"sync"
)

// gzipLevel is the compression of dynamic answers: on a 130 kB page,
// level 4 takes half the time of the default (1.6 against 3.0 ms here) for
// 5% more bytes (31.8 against 30.4 kB), and the page is shown that much
// sooner.
const gzipLevel = 4

// gzipPool reuses gzip writers for dynamic answers.
var gzipPool = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzipLevel) // the level is valid
	return w
}}

// compressed serves h gzip-compressed to clients that accept it: the
// prerendered pages (about 130 kB of EULA, 32 kB compressed) and the JSON
// views. Static assets are precompressed instead (assets.serve).
func compressed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		if !acceptEncoding(r.Header.Get("Accept-Encoding"))["gzip"] || r.Method == http.MethodHead {
			h(w, r)
			return
		}
		gw := &gzipWriter{ResponseWriter: w}
		defer gw.close()
		h(gw, r)
	}
}

// gzipWriter compresses the body of answers that have one.
type gzipWriter struct {
	http.ResponseWriter
	zw      *gzip.Writer
	decided bool
}

func (g *gzipWriter) WriteHeader(code int) {
	if !g.decided {
		g.decided = true
		h := g.Header()
		if code == http.StatusOK && h.Get("Content-Encoding") == "" {
			h.Del("Content-Length")
			h.Set("Content-Encoding", "gzip")
			g.zw = gzipPool.Get().(*gzip.Writer)
			g.zw.Reset(g.ResponseWriter)
		}
	}
	g.ResponseWriter.WriteHeader(code)
}

func (g *gzipWriter) Write(b []byte) (int, error) {
	if !g.decided {
		g.WriteHeader(http.StatusOK)
	}
	if g.zw != nil {
		return g.zw.Write(b)
	}
	return g.ResponseWriter.Write(b)
}

func (g *gzipWriter) close() {
	if g.zw != nil {
		g.zw.Close() // a failed write means the client went away
		gzipPool.Put(g.zw)
		g.zw = nil
	}
}
