package translog

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/eulagate/eulagate/eula"
	"github.com/eulagate/eulagate/internal/privfile"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// cosignatureType is the signature type of C2SP tlog-cosignature's
// timestamped Ed25519 checkpoint cosignatures (cosignature/v1), as
// assigned by C2SP signed-note.
const cosignatureType = 0x04

// cosignatureHeader starts the message a cosignature/v1 signs.
const cosignatureHeader = "cosignature/v1\n"

// cosignatureLen is the length of a cosignature/v1 signature after the
// key ID: a big-endian uint64 timestamp and an Ed25519 signature.
const cosignatureLen = 8 + ed25519.SignatureSize

// Cosigner makes C2SP tlog-cosignature v1 cosignatures (Ed25519, type
// 0x04) on checkpoints. As a note.Signer, it signs a note's text: the
// signature is the timestamp and the Ed25519 signature of
// "cosignature/v1\ntime <timestamp>\n" followed by the text.
type Cosigner struct {
	name string
	hash uint32
	key  ed25519.PrivateKey
	// Now is the clock of the timestamps; time.Now if nil.
	Now func() time.Time
}

var _ note.Signer = (*Cosigner)(nil)

// cosignerKeyHash returns the key ID of a cosigner: the first four bytes of
// SHA-256(name || "\n" || 0x04 || public key), big-endian.
func cosignerKeyHash(name string, pub ed25519.PublicKey) uint32 {
	h := sha256.New()
	h.Write([]byte(name + "\n"))
	h.Write([]byte{cosignatureType})
	h.Write(pub)
	return binary.BigEndian.Uint32(h.Sum(nil))
}

// validKeyName reports whether name may name a key in a signed note:
// non-empty, valid UTF-8, without spaces or plus signs.
func validKeyName(name string) bool {
	return name != "" && !strings.ContainsAny(name, "+ \t\n\r\u00a0\u2028\u2029") && strings.ToValidUTF8(name, "") == name
}

// GenerateCosigner returns a new cosigner key named name: the private key
// ("PRIVATE+KEY+<name>+<key ID>+<base64 of 0x04 and the seed>") and the
// verifier key ("<name>+<key ID>+<base64 of 0x04 and the public key>", the
// vkey of C2SP signed-note).
func GenerateCosigner(name string) (skey, vkey string, err error) {
	if !validKeyName(name) {
		return "", "", fmt.Errorf("cosigner name %q: empty, or with a space or a plus: %w", name, eula.ErrInvalid)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", "", fmt.Errorf("generate cosigner key: %w", err)
	}
	id := fmt.Sprintf("%08x", cosignerKeyHash(name, pub))
	skey = "PRIVATE+KEY+" + name + "+" + id + "+" + base64.StdEncoding.EncodeToString(append([]byte{cosignatureType}, priv.Seed()...))
	vkey = name + "+" + id + "+" + base64.StdEncoding.EncodeToString(append([]byte{cosignatureType}, pub...))
	return skey, vkey, nil
}

// NewCosigner returns the cosigner of a private key made by
// GenerateCosigner. Errors wrap eula.ErrInvalid.
func NewCosigner(skey string) (*Cosigner, error) {
	name, id, key, ok := splitKey(strings.TrimPrefix(skey, "PRIVATE+KEY+"))
	if !ok || !strings.HasPrefix(skey, "PRIVATE+KEY+") || len(key) != 1+ed25519.SeedSize || key[0] != cosignatureType {
		return nil, fmt.Errorf("malformed cosigner key: %w", eula.ErrInvalid)
	}
	priv := ed25519.NewKeyFromSeed(key[1:])
	c := &Cosigner{name: name, hash: cosignerKeyHash(name, priv.Public().(ed25519.PublicKey)), key: priv}
	if c.hash != id {
		return nil, fmt.Errorf("cosigner key %s: its key ID does not match its key: %w", name, eula.ErrInvalid)
	}
	return c, nil
}

// splitKey splits "<name>+<hex key ID>+<base64 key>".
func splitKey(s string) (name string, id uint32, key []byte, ok bool) {
	name, rest, ok1 := strings.Cut(s, "+")
	hexID, b64, ok2 := strings.Cut(rest, "+")
	if !ok1 || !ok2 || !validKeyName(name) || len(hexID) != 8 {
		return "", 0, nil, false
	}
	n, err := strconv.ParseUint(hexID, 16, 32)
	if err != nil {
		return "", 0, nil, false
	}
	key, err = base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", 0, nil, false
	}
	return name, uint32(n), key, true
}

// Name implements note.Signer.
func (c *Cosigner) Name() string { return c.name }

// KeyHash implements note.Signer: the cosigner's key ID.
func (c *Cosigner) KeyHash() uint32 { return c.hash }

// VerifierKey returns the cosigner's vkey, for NewCosignatureVerifier.
func (c *Cosigner) VerifierKey() string {
	pub := c.key.Public().(ed25519.PublicKey)
	return fmt.Sprintf("%s+%08x+%s", c.name, c.hash, base64.StdEncoding.EncodeToString(append([]byte{cosignatureType}, pub...)))
}

// Sign implements note.Signer: the timestamped cosignature of a
// checkpoint's text.
func (c *Cosigner) Sign(text []byte) ([]byte, error) {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	t := now().Unix()
	if t < 0 {
		return nil, fmt.Errorf("cosign: time %d before 1970", t)
	}
	sig := binary.BigEndian.AppendUint64(make([]byte, 0, cosignatureLen), uint64(t))
	return append(sig, ed25519.Sign(c.key, cosignedMessage(uint64(t), text))...), nil
}

// cosignedMessage returns what a cosignature/v1 of time t signs.
func cosignedMessage(t uint64, text []byte) []byte {
	var b bytes.Buffer
	b.WriteString(cosignatureHeader)
	fmt.Fprintf(&b, "time %d\n", t)
	b.Write(text)
	return b.Bytes()
}

// cosignatureVerifier verifies cosignature/v1 signatures of one cosigner.
type cosignatureVerifier struct {
	name string
	hash uint32
	pub  ed25519.PublicKey
}

// NewCosignatureVerifier returns a note.Verifier of the cosignatures of
// the cosigner with this vkey (signature type 0x04). Errors wrap
// eula.ErrInvalid.
func NewCosignatureVerifier(vkey string) (note.Verifier, error) {
	name, id, key, ok := splitKey(strings.TrimSpace(vkey))
	if !ok || len(key) != 1+ed25519.PublicKeySize || key[0] != cosignatureType {
		return nil, fmt.Errorf("malformed cosigner verifier key %q: %w", clipKey(vkey), eula.ErrInvalid)
	}
	pub := ed25519.PublicKey(key[1:])
	if cosignerKeyHash(name, pub) != id {
		return nil, fmt.Errorf("cosigner verifier key %s: its key ID does not match its key: %w", name, eula.ErrInvalid)
	}
	return &cosignatureVerifier{name: name, hash: id, pub: pub}, nil
}

func clipKey(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

func (v *cosignatureVerifier) Name() string    { return v.name }
func (v *cosignatureVerifier) KeyHash() uint32 { return v.hash }

// Verify checks a cosignature (after its key ID) of a note's text.
func (v *cosignatureVerifier) Verify(text, sig []byte) bool {
	if len(sig) != cosignatureLen {
		return false
	}
	t := binary.BigEndian.Uint64(sig)
	if t > 1<<63-1 {
		return false
	}
	return ed25519.Verify(v.pub, cosignedMessage(t, text), sig[8:])
}

// Cosign verifies a checkpoint signed by the log (logKey, a vkey as
// `eulagate key` prints it) and returns it with c's cosignature added
// after the log's signature. Errors wrap eula.ErrInvalid when the
// checkpoint does not verify.
func Cosign(signed []byte, logKey string, c *Cosigner) ([]byte, error) {
	if _, err := eula.OpenCheckpoint(signed, logKey); err != nil {
		return nil, fmt.Errorf("cosign: %w", err)
	}
	v, err := note.NewVerifier(strings.TrimSpace(logKey))
	if err != nil {
		return nil, fmt.Errorf("cosign: %w", err)
	}
	n, err := note.Open(signed, note.VerifierList(v))
	if err != nil {
		return nil, fmt.Errorf("cosign: %v: %w", err, eula.ErrInvalid)
	}
	out, err := note.Sign(n, c)
	if err != nil {
		return nil, fmt.Errorf("cosign: %w", err)
	}
	return out, nil
}

// OpenCosigned checks a cosigned checkpoint: the log's signature
// (logKey) and a cosignature by each of the cosigners' vkeys. It returns
// the tree it states and the time of each cosignature, in the order of
// cosignerKeys. Errors wrap eula.ErrInvalid and say which signature is
// missing or fails.
func OpenCosigned(signed []byte, logKey string, cosignerKeys ...string) (tlog.Tree, []time.Time, error) {
	tree, err := eula.OpenCheckpoint(signed, logKey)
	if err != nil {
		return tree, nil, err
	}
	var times []time.Time
	for _, k := range cosignerKeys {
		v, err := NewCosignatureVerifier(k)
		if err != nil {
			return tree, nil, err
		}
		n, err := note.Open(signed, note.VerifierList(v))
		if err != nil {
			return tree, nil, fmt.Errorf("checkpoint of %d entries: no valid cosignature by %s+%08x: %v: %w", tree.N, v.Name(), v.KeyHash(), err, eula.ErrInvalid)
		}
		for _, s := range n.Sigs {
			if s.Name == v.Name() && s.Hash == v.KeyHash() {
				b, _ := base64.StdEncoding.DecodeString(s.Base64) // Verified above.
				times = append(times, time.Unix(int64(binary.BigEndian.Uint64(b[4:])), 0).UTC())
				break
			}
		}
	}
	return tree, times, nil
}

// LoadOrCreateCosigner loads the cosigner key from the file at path, or
// creates the file (mode 0600, its directory 0700) with a new key named
// name. The file holds the private key and the verifier key, one a line.
// created reports a new key. A key file that other users can read or
// write is refused (errors wrap privfile.ErrExposed).
func LoadOrCreateCosigner(path, name string) (c *Cosigner, created bool, err error) {
	var b []byte
	err = privfile.CheckSecret(path)
	if err == nil {
		b, err = os.ReadFile(path)
	}
	if errors.Is(err, fs.ErrNotExist) {
		skey, vkey, err := GenerateCosigner(name)
		if err != nil {
			return nil, false, err
		}
		if err := writePrivate(path, []byte(skey+"\n"+vkey+"\n"), false); err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, false, fmt.Errorf("write cosigner key: %w", err)
		}
		c, _, err = LoadOrCreateCosigner(path, name)
		return c, true, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("read cosigner key: %w", err)
	}
	lines := strings.Fields(string(b))
	if len(lines) != 2 {
		return nil, false, fmt.Errorf("cosigner key %s: want a private and a verifier key, one a line", path)
	}
	c, err = NewCosigner(lines[0])
	if err != nil {
		return nil, false, fmt.Errorf("cosigner key %s: %w", path, err)
	}
	if c.VerifierKey() != lines[1] {
		return nil, false, fmt.Errorf("cosigner key %s: the private and verifier keys do not match", path)
	}
	return c, false, nil
}

// writePrivate writes data to the file at path, readable by its owner
// only (mode 0600), in a directory that other users cannot write (created
// 0700 if missing; see privfile.Dir), whole or not at all. Unless replace,
// an existing file is kept and the write fails with fs.ErrExist.
func writePrivate(path string, data []byte, replace bool) error {
	dir := filepath.Dir(path)
	if err := privfile.Dir(dir); err != nil {
		return err
	}
	if replace {
		return privfile.WriteFile(path, data)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // Harmless once linked.
	err = tmp.Chmod(privfile.FileMode)
	if err == nil {
		_, err = tmp.Write(data)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Link(tmp.Name(), path) // Fails if another process created it first.
	}
	return err
}

// SavePrivate writes a file that only its owner may read (mode 0600, its
// directory created 0700), whole or not at all: a witness's cosigned
// checkpoint, or the evidence of a log it refused.
func SavePrivate(path string, data []byte) error {
	if err := writePrivate(path, data, true); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	return nil
}
