package eula

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits on the fields of a Record. Validate rejects longer values. Document
// versions are bounded by MaxDocVersionLen, shared with front matter.
const (
	// MaxProductKeyLen bounds product keys, document ids and installer product keys.
	MaxProductKeyLen = 64
	// MaxInstallerVersionLen bounds an installer's version.
	MaxInstallerVersionLen = 32
	// MaxLanguageTagLen bounds a BCP 47 language tag.
	MaxLanguageTagLen = 35
	// MaxMachineIDLen bounds the stable machine id of an installation.
	MaxMachineIDLen = 128
	// MaxHashTextLen bounds a canonical document hash as text.
	MaxHashTextLen = 128
	// MaxNameLen bounds a person's or organisation's name, in characters.
	MaxNameLen = 200
	// MaxEmailLen bounds an e-mail address, in bytes (RFC 5321 path limit).
	MaxEmailLen = 254
	// MaxAddrLen bounds a client network address as text, in characters.
	MaxAddrLen = 64
	// MaxUserAgentLen bounds a client user agent, in characters.
	MaxUserAgentLen = 512
	// MaxReferenceLen bounds a dealer's short reference code.
	MaxReferenceLen = 32
	// MaxDerivedFrom bounds the number of records a record derives from.
	MaxDerivedFrom = 16
	// MaxIdempotencyKeyLen bounds an idempotency key.
	MaxIdempotencyKeyLen = 128
	// SaltLen is the length in bytes of the per-record salt of personal data.
	SaltLen = 32
)

// Decision is what was decided about a document: accepted or declined.
type Decision string

// The decisions.
const (
	Accepted Decision = "accepted"
	Declined Decision = "declined"
)

// Role is the capacity in which the acting person decided.
type Role string

// The roles.
const (
	// RoleEndUser is the end user deciding for themselves.
	RoleEndUser Role = "end-user"
	// RoleDealer is a dealer deciding on behalf of a named customer.
	RoleDealer Role = "dealer"
	// RoleIntegrator is an integrator deciding on behalf of a named customer.
	RoleIntegrator Role = "integrator"
	// RoleAdministrator is the system administrator of the installation.
	RoleAdministrator Role = "administrator"
	// RoleDelegated is an acceptance delegated through XProtect Update
	// Manager; the record derives from the administrator's acceptance.
	RoleDelegated Role = "delegated"
)

// Channel is how a decision was collected.
type Channel string

// The channels.
const (
	ChannelInstaller  Channel = "installer"
	ChannelFirstBoot  Channel = "first-boot"
	ChannelBrowser    Channel = "browser"
	ChannelUnattended Channel = "unattended-update"
	// ChannelAPI is an authenticated API client, such as the script of a
	// system administrator accepting the Update Manager terms.
	ChannelAPI Channel = "api"
)

// Installer identifies the installer that asked for the decision and the
// installation it runs on.
type Installer struct {
	// Product is the key of the product whose installer asked.
	Product string `json:"product"`
	// Version is the installer's version.
	Version string `json:"version"`
	// MachineID is the stable id of the installation (machine).
	MachineID string `json:"machine_id"`
}

// Shown identifies the document shown to the person deciding.
type Shown struct {
	// ID is the document id, Version its version and Language the BCP 47
	// tag of the translation shown.
	ID       string `json:"id"`
	Version  string `json:"version"`
	Language string `json:"language"`
	// Hash is the canonical hash of the shown translation and OriginalHash
	// that of the English original.
	Hash         string `json:"hash"`
	OriginalHash string `json:"original_hash"`
}

// Person is a natural person or an organisation: personal data when it names
// a person.
type Person struct {
	Name         string `json:"name,omitempty"`
	Email        string `json:"email,omitempty"`
	Organization string `json:"organization,omitempty"`
}

// IsZero reports whether p names nobody.
func (p Person) IsZero() bool { return p == Person{} }

// Personal is the personal data of a record, kept apart from the log: the
// leaf commits only to its salted hash, so erasing it leaves every proof
// valid.
type Personal struct {
	// Actor is the person who decided.
	Actor Person `json:"actor"`
	// Bound is the party bound by the decision where it differs from the
	// actor, such as a dealer's customer.
	Bound *Person `json:"bound,omitempty"`
	// ClientAddr and UserAgent describe the client that sent the decision.
	ClientAddr string `json:"client_addr,omitempty"`
	UserAgent  string `json:"user_agent,omitempty"`
	// Salt is the random per-record salt of the commitment.
	Salt []byte `json:"salt,omitempty"`
}

// Record is one decision, a leaf of the transparency log.
type Record struct {
	// ID is the record's unique id, a UUID assigned when it is appended.
	ID string `json:"id"`
	// Index is the record's position in the log, assigned when appended.
	Index int64 `json:"index"`
	// Time is the server time of the decision, UTC, to the microsecond.
	Time time.Time `json:"time"`
	// Installer is the installer that asked and the installation.
	Installer Installer `json:"installer"`
	// Product is the key of the licensed product.
	Product string `json:"product"`
	// Document is the document shown.
	Document Shown `json:"document"`
	// Decision is what was decided.
	Decision Decision `json:"decision"`
	// Role is the capacity of who decided.
	Role Role `json:"role"`
	// Channel is how the decision was collected.
	Channel Channel `json:"channel"`
	// RegisterConsent is the optional consent to register end-user data;
	// nil when the question was not asked.
	RegisterConsent *bool `json:"register_consent,omitempty"`
	// Licensee names the licensee organisation where it differs from the
	// party bound (affiliates); not personal data.
	Licensee string `json:"licensee,omitempty"`
	// Reference is a dealer's short reference code.
	Reference string `json:"reference,omitempty"`
	// DerivedFrom lists the ids of the records a delegated record derives
	// from.
	DerivedFrom []string `json:"derived_from,omitempty"`
	// PersonalHash is the hex SHA-256 commitment to the salted personal
	// data; the log leaf includes it instead of the data.
	PersonalHash string `json:"personal_hash"`
	// Personal is the personal data; nil once erased or when withheld.
	Personal *Personal `json:"personal,omitempty"`
	// Erased reports that the personal data was erased on request.
	Erased bool `json:"erased,omitempty"`
}

// TimeLayout is the fixed-width layout of record times in the log leaf and
// in storage; it sorts as text.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// leafPrefix starts every leaf so that leaves cannot be confused with other
// signed or hashed data.
const leafPrefix = "eulagate record v1\n"

// personalPrefix starts the data hashed into the personal commitment.
const personalPrefix = "eulagate personal v1\n"

// leaf is the canonical form of a record in the log. Field order is fixed
// by the struct; encoding/json is deterministic for it.
type leaf struct {
	ID              string    `json:"id"`
	Time            string    `json:"time"`
	Installer       Installer `json:"installer"`
	Product         string    `json:"product"`
	Document        Shown     `json:"document"`
	Decision        Decision  `json:"decision"`
	Role            Role      `json:"role"`
	Channel         Channel   `json:"channel"`
	RegisterConsent *bool     `json:"register_consent,omitempty"`
	Licensee        string    `json:"licensee,omitempty"`
	Reference       string    `json:"reference,omitempty"`
	DerivedFrom     []string  `json:"derived_from,omitempty"`
	PersonalHash    string    `json:"personal_hash"`
}

// LeafData returns the bytes the log commits to for r: every field except
// the log index, the personal data (only its salted hash) and the erasure
// mark.
func (r *Record) LeafData() []byte {
	b, err := json.Marshal(leaf{
		ID: r.ID, Time: r.Time.UTC().Format(TimeLayout), Installer: r.Installer,
		Product: r.Product, Document: r.Document, Decision: r.Decision, Role: r.Role,
		Channel: r.Channel, RegisterConsent: r.RegisterConsent, Licensee: r.Licensee,
		Reference: r.Reference, DerivedFrom: r.DerivedFrom, PersonalHash: r.PersonalHash,
	})
	if err != nil {
		// Marshalling strings, bools and nested structs of them cannot fail.
		panic(fmt.Sprintf("eula: marshal leaf: %v", err))
	}
	return append([]byte(leafPrefix), b...)
}

// Hash returns the hex SHA-256 commitment to p with its salt.
func (p *Personal) Hash() string {
	q := *p
	q.Salt = nil
	b, err := json.Marshal(q)
	if err != nil {
		panic(fmt.Sprintf("eula: marshal personal data: %v", err))
	}
	h := sha256.New()
	io.WriteString(h, personalPrefix)
	fmt.Fprintf(h, "%d:", len(p.Salt))
	h.Write(p.Salt)
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// Fingerprint returns a hash of the fields a client chooses, leaving out
// what the server assigns (id, index, time, salt, commitment, erasure). Two
// requests with the same idempotency key must have the same fingerprint.
func (r *Record) Fingerprint() string {
	q := *r
	q.ID, q.Index, q.Time, q.PersonalHash, q.Erased = "", 0, time.Time{}, "", false
	if q.Personal != nil {
		p := *q.Personal
		p.Salt = nil
		// The server fills these from the connection: a retry from another
		// address is the same request.
		p.ClientAddr, p.UserAgent = "", ""
		q.Personal = &p
	}
	b, err := json.Marshal(q)
	if err != nil {
		panic(fmt.Sprintf("eula: marshal record: %v", err))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Seal completes a validated record before it is appended: a new id, the
// server time now truncated to the microsecond, a fresh salt from rand and
// the commitment to the personal data. The store assigns Index.
func (r *Record) Seal(now time.Time, rand io.Reader) error {
	id, err := newTimeUUID(now, rand)
	if err != nil {
		return fmt.Errorf("seal record: new id: %w", err)
	}
	r.ID = id
	r.Time = now.UTC().Truncate(time.Microsecond)
	if r.Personal == nil {
		r.Personal = &Personal{}
	}
	p := *r.Personal
	p.Salt = make([]byte, SaltLen)
	if _, err := io.ReadFull(rand, p.Salt); err != nil {
		return fmt.Errorf("seal record: salt: %w", err)
	}
	r.Personal = &p
	r.PersonalHash = p.Hash()
	r.Erased = false
	return nil
}

// WithoutPersonal returns a copy of r without its personal data, for
// answers that must not reveal it (such as the status query).
func (r Record) WithoutPersonal() Record {
	r.Personal = nil
	return r
}

// RecordCheck is an additional rule for Validate, such as the catalog's check that
// the product, document, version and language exist. It returns an error
// wrapping ErrInvalid or ErrNotFound.
type RecordCheck func(r *Record) error

// Validate checks the fields a client supplies: required fields present,
// known enumerations, lengths within the limits, no control characters, and
// the role's rules (a dealer or integrator names the party bound; a
// delegated record says what it derives from). Then it runs checks. Errors
// wrap ErrInvalid and name the field.
func (r *Record) Validate(checks ...RecordCheck) error {
	var v validator
	if r.ID != "" {
		v.id("id", r.ID)
	}
	v.token("installer.product", r.Installer.Product, MaxProductKeyLen, true)
	v.token("installer.version", r.Installer.Version, MaxInstallerVersionLen, true)
	v.token("installer.machine_id", r.Installer.MachineID, MaxMachineIDLen, true)
	v.token("product", r.Product, MaxProductKeyLen, true)
	v.token("document.id", r.Document.ID, MaxProductKeyLen, true)
	v.token("document.version", r.Document.Version, MaxDocVersionLen, true)
	v.language("document.language", r.Document.Language)
	v.token("document.hash", r.Document.Hash, MaxHashTextLen, true)
	v.token("document.original_hash", r.Document.OriginalHash, MaxHashTextLen, true)
	switch r.Decision {
	case Accepted, Declined:
	default:
		v.fail("decision", "unknown decision %q", clip(string(r.Decision)))
	}
	switch r.Role {
	case RoleEndUser, RoleDealer, RoleIntegrator, RoleAdministrator, RoleDelegated:
	default:
		v.fail("role", "unknown role %q", clip(string(r.Role)))
	}
	switch r.Channel {
	case ChannelInstaller, ChannelFirstBoot, ChannelBrowser, ChannelUnattended, ChannelAPI:
	default:
		v.fail("channel", "unknown channel %q", clip(string(r.Channel)))
	}
	v.text("licensee", r.Licensee, MaxNameLen)
	v.token("reference", r.Reference, MaxReferenceLen, false)
	if len(r.DerivedFrom) > MaxDerivedFrom {
		v.fail("derived_from", "more than %d records", MaxDerivedFrom)
	} else {
		for i, id := range r.DerivedFrom {
			v.id(fmt.Sprintf("derived_from[%d]", i), id)
		}
	}
	if p := r.Personal; p != nil {
		v.person("personal.actor", p.Actor)
		if p.Bound != nil {
			v.person("personal.bound", *p.Bound)
		}
		v.text("personal.client_addr", p.ClientAddr, MaxAddrLen)
		v.text("personal.user_agent", p.UserAgent, MaxUserAgentLen)
	}
	switch r.Role {
	case RoleDealer, RoleIntegrator:
		if r.Personal == nil || r.Personal.Bound == nil || (r.Personal.Bound.Name == "" && r.Personal.Bound.Organization == "") {
			v.fail("personal.bound", "a %s decides on behalf of a named customer", r.Role)
		}
	case RoleDelegated:
		if len(r.DerivedFrom) == 0 {
			v.fail("derived_from", "a delegated record derives from another record")
		}
	}
	if v.err != nil {
		return v.err
	}
	for _, check := range checks {
		if err := check(r); err != nil {
			return err
		}
	}
	return nil
}

// ValidIdempotencyKey checks an idempotency key: printable ASCII without
// spaces, at most MaxIdempotencyKeyLen bytes. The empty key is valid and
// means none.
func ValidIdempotencyKey(key string) error {
	var v validator
	v.token("idempotency key", key, MaxIdempotencyKeyLen, false)
	return v.err
}

// validator collects the first validation failure.
type validator struct{ err error }

func (v *validator) fail(field, format string, args ...any) {
	if v.err == nil {
		v.err = fmt.Errorf("%s: %s: %w", field, fmt.Sprintf(format, args...), ErrInvalid)
	}
}

// clip shortens hostile input before it is quoted in an error message.
func clip(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return strings.ToValidUTF8(s, "?")
}

// token checks a printable ASCII value without spaces or quotes.
func (v *validator) token(field, s string, max int, required bool) {
	switch {
	case s == "" && required:
		v.fail(field, "missing")
	case len(s) > max:
		v.fail(field, "longer than %d bytes", max)
	default:
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c <= ' ' || c >= 0x7f || c == '"' || c == '\'' || c == '\\' || c == '<' || c == '>' || c == '`' {
				v.fail(field, "character %q not allowed at byte %d", c, i)
				return
			}
		}
	}
}

func (v *validator) id(field, s string) {
	if !validUUID(s) {
		v.fail(field, "not a lower-case UUID")
	}
}

// newTimeUUID returns a version 7 UUID in its lower-case text form: the
// Unix time of now in milliseconds, then random bits. Records sealed in a
// later millisecond have larger ids, so that the stores' indexes on record
// ids grow at their end rather than at random places. It is written out
// here rather than imported, to keep package eula's imports (and the WASM
// front end) small.
func newTimeUUID(now time.Time, rand io.Reader) (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(rand, b[6:]); err != nil {
		return "", err
	}
	ms := uint64(now.UnixMilli())
	for i := range 6 {
		b[i] = byte(ms >> (40 - 8*i))
	}
	b[6] = b[6]&0x0f | 0x70
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}

// validUUID reports whether s is a UUID in lower-case text form.
func validUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return false
			}
		}
	}
	return true
}

func (v *validator) language(field, s string) {
	if s == "" {
		v.fail(field, "missing")
		return
	}
	if len(s) > MaxLanguageTagLen {
		v.fail(field, "longer than %d bytes", MaxLanguageTagLen)
		return
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' && i > 0) {
			v.fail(field, "not a language tag")
			return
		}
	}
}

// text checks free text: valid UTF-8, at most max characters, no control,
// bidirectional-override or other format characters that could disguise it.
func (v *validator) text(field, s string, max int) {
	if !utf8.ValidString(s) {
		v.fail(field, "not valid UTF-8")
		return
	}
	if n := utf8.RuneCountInString(s); n > max || len(s) > 4*max {
		v.fail(field, "longer than %d characters", max)
		return
	}
	for i, c := range s {
		if badRune(c) {
			v.fail(field, "control character %U at byte %d", c, i)
			return
		}
	}
	if strings.TrimSpace(s) != s {
		v.fail(field, "leading or trailing space")
	}
}

func (v *validator) person(field string, p Person) {
	v.text(field+".name", p.Name, MaxNameLen)
	v.text(field+".organization", p.Organization, MaxNameLen)
	if p.Email == "" {
		return
	}
	if len(p.Email) > MaxEmailLen {
		v.fail(field+".email", "longer than %d bytes", MaxEmailLen)
		return
	}
	v.text(field+".email", p.Email, MaxEmailLen)
	at := strings.LastIndexByte(p.Email, '@')
	if at <= 0 || at == len(p.Email)-1 || strings.ContainsAny(p.Email, " \t<>()[],;:\"\\") || strings.Count(p.Email, "@") != 1 {
		v.fail(field+".email", "not an e-mail address")
	}
}

// NormalizeEmail returns the form of an e-mail address used to find a
// person's records: trimmed and lower-cased.
func NormalizeEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

// MaxDecisionBytes bounds the JSON body of a decision request.
const MaxDecisionBytes = 64 << 10

// DecodeDecision reads a decision request: one JSON Record of at most
// MaxDecisionBytes, without unknown fields or trailing data. Fields the
// server assigns (id, index, time, personal_hash, erased, salt) and the
// client address and user agent, which the server takes from the
// connection with SetClient, are ignored. The record is validated with checks. Errors wrap ErrInvalid.
func DecodeDecision(r io.Reader, checks ...RecordCheck) (Record, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxDecisionBytes+1))
	if err != nil {
		return Record{}, fmt.Errorf("read decision: %w", err)
	}
	if len(data) > MaxDecisionBytes {
		return Record{}, fmt.Errorf("decision longer than %d bytes: %w", MaxDecisionBytes, ErrInvalid)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var rec Record
	if err := dec.Decode(&rec); err != nil {
		return Record{}, fmt.Errorf("decode decision: %v: %w", err, ErrInvalid)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Record{}, fmt.Errorf("decode decision: data after the JSON object: %w", ErrInvalid)
	}
	rec.ID, rec.Index, rec.Time, rec.PersonalHash, rec.Erased = "", 0, time.Time{}, "", false
	if rec.Personal != nil {
		rec.Personal.Salt, rec.Personal.ClientAddr, rec.Personal.UserAgent = nil, "", ""
	}
	if err := rec.Validate(checks...); err != nil {
		return Record{}, fmt.Errorf("decision: %w", err)
	}
	return rec, nil
}

// SetClient records the client's address and user agent, as the server
// sees them, in r's personal data, cleaned so that Validate accepts them:
// cut to MaxAddrLen and MaxUserAgentLen, control and format characters
// replaced by '?', surrounding spaces trimmed.
func (r *Record) SetClient(addr, userAgent string) {
	if r.Personal == nil {
		r.Personal = &Personal{}
	}
	r.Personal.ClientAddr = cleanText(addr, MaxAddrLen)
	r.Personal.UserAgent = cleanText(userAgent, MaxUserAgentLen)
}

// cleanText makes s acceptable to validator.text with limit max.
func cleanText(s string, max int) string {
	s = strings.Map(func(c rune) rune {
		if badRune(c) {
			return '?'
		}
		return c
	}, strings.ToValidUTF8(s, "?"))
	n := 0
	for i := range s {
		if n == max {
			s = s[:i]
			break
		}
		n++
	}
	return strings.TrimSpace(s)
}

// badRune reports characters free text must not contain: control,
// bidirectional-override and other format characters (except the zero-width
// joiners that some scripts need).
func badRune(c rune) bool {
	return unicode.IsControl(c) || (unicode.Is(unicode.Cf, c) && c != '\u200c' && c != '\u200d') ||
		c == '\u2028' || c == '\u2029' || c == utf8.RuneError
}
