package web

import (
	"bytes"
	"compress/flate"
	"container/list"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// A viewer page is the same for every reader of one version, language,
// product and set of flags, apart from two values made for each request:
// the CSRF token and the idempotency key. The page cache renders a page
// once with placeholders in their places, keeps it gzip-compressed as
// independent pieces between the placeholders, and answers each request by
// sending the pieces with that request's values between them, in stored
// (uncompressed) deflate blocks: no rendering and no compression per
// request.
//
// The pieces are compressed each by a fresh compressor, ended by a sync
// flush: none refers back to the bytes before it, and each ends on a byte
// boundary, so that a stored block can follow. The gzip trailer's CRC-32 is
// combined from the pieces' own (crc32Combine) and the values'.
//
// Brotli cannot be spliced this way (a brotli stream's header is not
// byte-aligned and its meta-blocks share the distance ring buffer), so
// cached pages are sent as gzip; pages were only ever sent as gzip.

// Placeholders put in the page's View in the place of the per-request
// values. They are letters and digits only, so that they come out the same
// in HTML attributes and in JSON.
const (
	slotCSRF = "eulagateslotcsrf7b1e0c4d9a"
	slotIdem = "eulagateslotidem3f8a2d6c51"
)

// Bounds of the page cache: at most pageCacheEntries pages and
// pageCacheBytes of compressed pieces, the least recently used page going
// first.
const (
	pageCacheEntries = 64
	pageCacheBytes   = 8 << 20
)

// pageLevel is the compression of cached pages: made once, so the best.
const pageLevel = flate.BestCompression

// cachedPage is a rendered page, gzip-compressed in pieces between the
// per-request values.
type cachedPage struct {
	// header is go-app's headers for the page (Content-Type...).
	header http.Header
	// pieces are the deflate-compressed pieces of the page, each ended by a
	// sync flush; slots[i] is the value sent after pieces[i] (none after
	// the last).
	pieces [][]byte
	slots  []string
	// crcs and sizes are the CRC-32 and the length of each piece
	// uncompressed.
	crcs  []uint32
	sizes []int
	// raw is the uncompressed length of the page without the values.
	raw int
	// weight is what the page holds in memory, for the cache's bound.
	weight int
}

// errUncacheable says that a page is not to be cached (see
// Server.cachedPage): the request is served as before.
var errUncacheable = errors.New("page not cacheable")

// newCachedPage splits page at the placeholders and compresses the pieces.
func newCachedPage(header http.Header, page []byte) (*cachedPage, error) {
	c := &cachedPage{header: header}
	for {
		i, slot := nextSlot(page)
		piece := page
		if i >= 0 {
			piece = page[:i]
		}
		z, err := deflatePiece(piece)
		if err != nil {
			return nil, fmt.Errorf("page cache: %w", err)
		}
		c.pieces = append(c.pieces, z)
		c.crcs = append(c.crcs, crc32.ChecksumIEEE(piece))
		c.sizes = append(c.sizes, len(piece))
		c.raw += len(piece)
		c.weight += len(z) + 16
		if i < 0 {
			return c, nil
		}
		c.slots = append(c.slots, slot)
		page = page[i+len(slot):]
	}
}

// nextSlot returns where the first placeholder in page is, and which one,
// or -1.
func nextSlot(page []byte) (int, string) {
	at, slot := -1, ""
	for _, s := range []string{slotCSRF, slotIdem} {
		if i := bytes.Index(page, []byte(s)); i >= 0 && (at < 0 || i < at) {
			at, slot = i, s
		}
	}
	return at, slot
}

// deflatePiece compresses b by a fresh compressor, ended by a sync flush
// and not final.
func deflatePiece(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := flate.NewWriter(&buf, pageLevel)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Flush(); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}

// gzipHeader starts every cached answer: no name, no time, unknown OS.
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// finalBlock is an empty final deflate block (fixed Huffman codes).
var finalBlock = []byte{0x03, 0x00}

// write sends the page with values for the slots (csrf and idem), as one
// gzip stream, with the headers set but for those the caller adds.
func (c *cachedPage) write(w http.ResponseWriter, csrf, idem string) {
	vals := make([]string, len(c.slots))
	n := len(gzipHeader) + len(finalBlock) + 8
	crc := uint32(0)
	size := c.raw
	for i, p := range c.pieces {
		n += len(p)
		crc = crc32Combine(crc, c.crcs[i], c.sizes[i])
		if i < len(c.slots) {
			v := idem
			if c.slots[i] == slotCSRF {
				v = csrf
			}
			vals[i] = v
			n += 5 + len(v) // a stored block of at most 64 kB
			crc = crc32.Update(crc, crc32.IEEETable, []byte(v))
			size += len(v)
		}
	}
	h := w.Header()
	for k, v := range c.header {
		h[k] = v
	}
	h.Set("Content-Encoding", "gzip")
	h.Set("Content-Length", strconv.Itoa(n))
	w.WriteHeader(http.StatusOK)

	buf := pageBufs.Get().(*[]byte)
	defer pageBufs.Put(buf)
	b := append((*buf)[:0], gzipHeader...)
	for i, p := range c.pieces {
		if len(b)+len(p) > cap(b) {
			w.Write(b) // a failed write means the client went away
			b = b[:0]
			w.Write(p)
		} else {
			b = append(b, p...)
		}
		if i < len(vals) {
			v := vals[i]
			b = append(b, 0, byte(len(v)), byte(len(v)>>8), ^byte(len(v)), ^byte(len(v)>>8))
			b = append(b, v...)
		}
	}
	b = append(b, finalBlock...)
	b = binary.LittleEndian.AppendUint32(b, crc)
	b = binary.LittleEndian.AppendUint32(b, uint32(size))
	w.Write(b)
	*buf = b
}

// pageBufs are the buffers cached answers are put together in.
var pageBufs = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

// crc32Combine returns the CRC-32 (IEEE) of A followed by B from crcA, the
// CRC of A, crcB, that of B, and lenB, B's length (zlib's crc32_combine).
func crc32Combine(crcA, crcB uint32, lenB int) uint32 {
	return multModP(x2nModP(lenB, 3), crcA) ^ crcB
}

// crcPoly is the IEEE polynomial, reflected.
const crcPoly = 0xedb88320

// multModP returns a times b modulo the CRC polynomial (reflected).
func multModP(a, b uint32) uint32 {
	m := uint32(1) << 31
	p := uint32(0)
	for {
		if a&m != 0 {
			p ^= b
			if a&(m-1) == 0 {
				break
			}
		}
		m >>= 1
		if b&1 != 0 {
			b = b>>1 ^ crcPoly
		} else {
			b >>= 1
		}
	}
	return p
}

// x2nTable holds x^2^n modulo the CRC polynomial, for n < 32.
var x2nTable = func() (t [32]uint32) {
	p := uint32(1) << 30 // x^1
	t[0] = p
	for n := 1; n < 32; n++ {
		p = multModP(p, p)
		t[n] = p
	}
	return t
}()

// x2nModP returns x^(n * 2^k) modulo the CRC polynomial.
func x2nModP(n, k int) uint32 {
	p := uint32(1) << 31 // x^0
	for n != 0 {
		if n&1 != 0 {
			p = multModP(x2nTable[k&31], p)
		}
		n >>= 1
		k++
	}
	return p
}

// pageCache holds cached pages by key, least recently used first out, and
// renders a missing page once however many requests ask for it at once.
type pageCache struct {
	mu      sync.Mutex
	order   *list.List // of *pageItem, most recently used first
	byKey   map[string]*list.Element
	weight  int
	pending map[string]*pageCall
	// maxEntries and maxWeight bound the cache.
	maxEntries, maxWeight int
}

type pageItem struct {
	key  string
	page *cachedPage
}

// pageCall is a page being rendered; page and err are set before done is
// closed.
type pageCall struct {
	done chan struct{}
	page *cachedPage
	err  error
}

func newPageCache(maxEntries, maxWeight int) *pageCache {
	return &pageCache{order: list.New(), byKey: map[string]*list.Element{}, pending: map[string]*pageCall{},
		maxEntries: maxEntries, maxWeight: maxWeight}
}

// get returns the page for key, made by build if it is not cached (once
// for all the requests that wait for it). A page build fails to make is not
// kept.
func (c *pageCache) get(key string, build func() (*cachedPage, error)) (*cachedPage, error) {
	c.mu.Lock()
	if e, ok := c.byKey[key]; ok {
		c.order.MoveToFront(e)
		c.mu.Unlock()
		return e.Value.(*pageItem).page, nil
	}
	if call, ok := c.pending[key]; ok {
		c.mu.Unlock()
		<-call.done
		return call.page, call.err
	}
	call := &pageCall{done: make(chan struct{})}
	c.pending[key] = call
	c.mu.Unlock()

	call.page, call.err = build()

	c.mu.Lock()
	delete(c.pending, key)
	if call.err == nil && call.page.weight <= c.maxWeight {
		c.byKey[key] = c.order.PushFront(&pageItem{key: key, page: call.page})
		c.weight += call.page.weight
		for c.order.Len() > c.maxEntries || c.weight > c.maxWeight {
			e := c.order.Back()
			it := e.Value.(*pageItem)
			c.order.Remove(e)
			delete(c.byKey, it.key)
			c.weight -= it.page.weight
		}
	}
	c.mu.Unlock()
	close(call.done)
	return call.page, call.err
}

// len returns the number of cached pages and their weight.
func (c *pageCache) len() (int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len(), c.weight
}

// pageKey returns the cache key of the page r asks for, and whether it may
// come from the cache: a GET from a client that accepts gzip, for no
// installation (whose page depends on what it accepted before) and with no
// outcome to show. The key holds everything the page depends on besides
// the library: the host (go-app writes the page's URL in it), the query,
// the remembered language, the browser's languages and whether go-app's
// app.js will load app.wasm.
func pageKey(r *http.Request, installer string, wasm bool) (string, bool) {
	if r.Method != http.MethodGet || installer != "" || !acceptEncoding(r.Header.Get("Accept-Encoding"))["gzip"] {
		return "", false
	}
	vals := r.URL.Query()
	if vals.Has("decided") {
		return "", false
	}
	lang := rememberedLang(r)
	var k strings.Builder
	for _, part := range []string{r.Host, r.URL.Path, vals.Encode(), lang, r.Header.Get("Accept-Language"), strconv.FormatBool(wasm)} {
		k.WriteString(part)
		k.WriteByte(0)
	}
	return k.String(), true
}

// recorder keeps an answer in memory.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(b)
}
