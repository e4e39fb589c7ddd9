package eula_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/eulagate/eulagate/eula"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/mod/sumdb/tlog"
)

// validRecord returns a valid record as a client would send it.
func validRecord() eula.Record {
	yes := true
	return eula.Record{
		Installer: eula.Installer{Product: "xprotect-corporate", Version: "2025.1", MachineID: "4c4c4544-0042"},
		Product:   "xprotect-corporate",
		Document: eula.Shown{ID: "eula", Version: "20250212", Language: "ja",
			Hash: "sha256:" + strings.Repeat("1", 64), OriginalHash: "sha256:" + strings.Repeat("2", 64)},
		Decision: eula.Accepted, Role: eula.RoleEndUser, Channel: eula.ChannelInstaller,
		RegisterConsent: &yes,
		Personal: &eula.Personal{
			Actor:      eula.Person{Name: "山田 太郎", Email: "taro@example.jp"},
			ClientAddr: "2001:db8::1", UserAgent: "Mozilla/5.0",
		},
	}
}

func TestValidate(t *testing.T) {
	for _, test := range []struct {
		name string
		edit func(r *eula.Record)
		want string // substring of the error; "" for valid
	}{
		{"valid", func(r *eula.Record) {}, ""},
		{"no personal data", func(r *eula.Record) { r.Personal = nil }, ""},
		{"dealer for customer", func(r *eula.Record) {
			r.Role = eula.RoleDealer
			r.Reference = "D-1234"
			r.Personal.Bound = &eula.Person{Organization: "Kunde GmbH"}
		}, ""},
		{"delegated", func(r *eula.Record) {
			r.Role, r.Channel = eula.RoleDelegated, eula.ChannelUnattended
			r.DerivedFrom = []string{"0b7f1c2e-8c2a-4d7e-9a51-1f0e6c9d2b3a"}
		}, ""},
		{"missing product", func(r *eula.Record) { r.Product = "" }, "product: missing"},
		{"space in machine id", func(r *eula.Record) { r.Installer.MachineID = "a b" }, "installer.machine_id: character"},
		{"long product", func(r *eula.Record) { r.Product = strings.Repeat("p", eula.MaxProductKeyLen+1) }, "product: longer"},
		{"bad language", func(r *eula.Record) { r.Document.Language = "-ja" }, "document.language"},
		{"unknown decision", func(r *eula.Record) { r.Decision = "yes" }, "decision: unknown"},
		{"unknown role", func(r *eula.Record) { r.Role = "boss" }, "role: unknown"},
		{"unknown channel", func(r *eula.Record) { r.Channel = "fax" }, "channel: unknown"},
		{"newline in name", func(r *eula.Record) { r.Personal.Actor.Name = "Eve\nAdmin" }, "personal.actor.name: control character"},
		{"escape in agent", func(r *eula.Record) { r.Personal.UserAgent = "x\x1b[31m" }, "personal.user_agent: control"},
		{"bidi override", func(r *eula.Record) { r.Personal.Actor.Name = "\u202eevE" }, "control character U+202E"},
		{"invalid utf-8", func(r *eula.Record) { r.Personal.Actor.Name = "\xff" }, "not valid UTF-8"},
		{"name too long", func(r *eula.Record) { r.Personal.Actor.Name = strings.Repeat("é", eula.MaxNameLen+1) }, "longer than 200 characters"},
		{"name at limit", func(r *eula.Record) { r.Personal.Actor.Name = strings.Repeat("é", eula.MaxNameLen) }, ""},
		{"padded name", func(r *eula.Record) { r.Personal.Actor.Name = " Eve" }, "leading or trailing space"},
		{"email without at", func(r *eula.Record) { r.Personal.Actor.Email = "eve.example" }, "not an e-mail"},
		{"email two ats", func(r *eula.Record) { r.Personal.Actor.Email = "a@b@c" }, "not an e-mail"},
		{"email too long", func(r *eula.Record) { r.Personal.Actor.Email = strings.Repeat("a", 250) + "@b.cd" }, "longer than 254"},
		{"dealer without customer", func(r *eula.Record) { r.Role = eula.RoleDealer }, "on behalf of a named customer"},
		{"delegated without origin", func(r *eula.Record) { r.Role = eula.RoleDelegated }, "derives from"},
		{"bad derived id", func(r *eula.Record) { r.DerivedFrom = []string{"x"} }, "derived_from[0]: not a lower-case UUID"},
		{"too many derived", func(r *eula.Record) { r.DerivedFrom = make([]string, eula.MaxDerivedFrom+1) }, "more than 16"},
		{"quote in reference", func(r *eula.Record) { r.Reference = `a"b` }, "reference: character"},
	} {
		t.Run(test.name, func(t *testing.T) {
			r := validRecord()
			test.edit(&r)
			err := r.Validate()
			switch {
			case test.want == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case test.want != "" && (err == nil || !strings.Contains(err.Error(), test.want) || !errors.Is(err, eula.ErrInvalid)):
				t.Errorf("Validate() = %v, want ErrInvalid containing %q", err, test.want)
			}
		})
	}
}

func TestValidateChecks(t *testing.T) {
	r := validRecord()
	unknown := errors.New("unknown product")
	err := r.Validate(func(r *eula.Record) error { return unknown })
	if !errors.Is(err, unknown) {
		t.Errorf("Validate(check) = %v, want the check's error", err)
	}
}

// fixedRand is a deterministic byte source for tests.
type fixedRand byte

func (f fixedRand) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(f)
	}
	return len(p), nil
}

func sealed(t *testing.T) eula.Record {
	t.Helper()
	r := validRecord()
	if err := r.Seal(time.Date(2026, 11, 23, 13, 0, 0, 123456789, time.UTC), fixedRand(7)); err != nil {
		t.Fatal(err)
	}
	// The id of the leaf TestLeafData pins; ids are version 4 UUIDs in the
	// records of logs written before ids began with their time.
	r.ID = "07070707-0707-4707-8707-070707070707"
	return r
}

func TestSeal(t *testing.T) {
	r := validRecord()
	if err := r.Seal(time.Date(2026, 11, 23, 13, 0, 0, 123456789, time.UTC), fixedRand(7)); err != nil {
		t.Fatal(err)
	}
	// A version 7 UUID: the time in milliseconds, then the random bits.
	if r.ID != "01a2087d-ecfb-7707-8707-070707070707" {
		t.Errorf("ID = %s", r.ID)
	}
	if want := time.Date(2026, 11, 23, 13, 0, 0, 123456000, time.UTC); !r.Time.Equal(want) {
		t.Errorf("Time = %v, want %v (microseconds)", r.Time, want)
	}
	if !bytes.Equal(r.Personal.Salt, bytes.Repeat([]byte{7}, eula.SaltLen)) || r.PersonalHash != r.Personal.Hash() {
		t.Errorf("salt or commitment not set")
	}
	if err := r.Validate(); err != nil {
		t.Errorf("sealed record invalid: %v", err)
	}
}

// TestSealIDsInTimeOrder checks that records sealed in a later millisecond
// have larger ids, whatever their random bits.
func TestSealIDsInTimeOrder(t *testing.T) {
	start := time.Date(2026, 11, 23, 13, 0, 0, 0, time.UTC)
	var last string
	for i := range 20 {
		r := validRecord()
		if err := r.Seal(start.Add(time.Duration(i)*time.Millisecond), fixedRand(byte(255-i*13))); err != nil {
			t.Fatal(err)
		}
		if r.ID <= last {
			t.Errorf("id %s sealed at +%d ms sorts before %s, sealed earlier", r.ID, i, last)
		}
		if err := r.Validate(); err != nil {
			t.Errorf("sealed record invalid: %v", err)
		}
		last = r.ID
	}
}

// TestLeafData pins the leaf format: changing it breaks every receipt ever
// issued.
func TestLeafData(t *testing.T) {
	r := sealed(t)
	const want = "nZ05tVU7cT1TIBWjPGJ6PnR/owvhUnAQsEzEl9WdSJA="
	if got := tlog.RecordHash(r.LeafData()).String(); got != want {
		t.Errorf("leaf hash = %s, want %s\nleaf: %s", got, want, r.LeafData())
	}
	// Personal data and the erasure mark are outside the leaf.
	e := r
	e.Personal, e.Erased, e.Index = nil, true, 99
	if !bytes.Equal(r.LeafData(), e.LeafData()) {
		t.Errorf("erasure changed the leaf")
	}
	// Everything else is inside.
	for name, edit := range map[string]func(r *eula.Record){
		"decision": func(r *eula.Record) { r.Decision = eula.Declined },
		"time":     func(r *eula.Record) { r.Time = r.Time.Add(time.Microsecond) },
		"language": func(r *eula.Record) { r.Document.Language = "en" },
		"consent":  func(r *eula.Record) { r.RegisterConsent = nil },
		"personal": func(r *eula.Record) { r.PersonalHash = strings.Repeat("0", 64) },
		"derived":  func(r *eula.Record) { r.DerivedFrom = []string{r.ID} },
	} {
		c := r
		edit(&c)
		if bytes.Equal(r.LeafData(), c.LeafData()) {
			t.Errorf("changing %s leaves the leaf unchanged", name)
		}
	}
}

func TestPersonalHash(t *testing.T) {
	r := sealed(t)
	p := *r.Personal
	p.Actor.Name = "Yamada Taro"
	if p.Hash() == r.PersonalHash {
		t.Errorf("changed name, same commitment")
	}
	p = *r.Personal
	p.Salt = bytes.Repeat([]byte{8}, eula.SaltLen)
	if p.Hash() == r.PersonalHash {
		t.Errorf("changed salt, same commitment")
	}
}

func TestFingerprint(t *testing.T) {
	a, b := validRecord(), sealed(t)
	if a.Fingerprint() != b.Fingerprint() {
		t.Errorf("sealing changed the fingerprint")
	}
	b.Decision = eula.Declined
	if a.Fingerprint() == b.Fingerprint() {
		t.Errorf("different decisions, same fingerprint")
	}
}

func TestDecodeDecision(t *testing.T) {
	for _, test := range []struct {
		name, body, want string
	}{
		{"valid", `{"installer":{"product":"p","version":"1","machine_id":"m"},"product":"p",
			"document":{"id":"eula","version":"1","language":"en","hash":"h","original_hash":"h"},
			"decision":"accepted","role":"end-user","channel":"browser","id":"ignored","index":5}`, ""},
		{"unknown field", `{"admin":true}`, "unknown field"},
		{"trailing", `{} {}`, "data after"},
		{"not json", `<xml/>`, "decode decision"},
		{"invalid record", `{}`, "missing"},
		{"too long", `{"licensee":"` + strings.Repeat("x", eula.MaxDecisionBytes) + `"}`, "longer than"},
	} {
		t.Run(test.name, func(t *testing.T) {
			r, err := eula.DecodeDecision(strings.NewReader(test.body))
			if test.want == "" {
				if err != nil {
					t.Fatalf("DecodeDecision = %v", err)
				}
				if diff := cmp.Diff(eula.Record{}.ID, r.ID); diff != "" || r.Index != 0 {
					t.Errorf("server-assigned fields kept: %+v", r)
				}
				return
			}
			if err == nil || !errors.Is(err, eula.ErrInvalid) || !strings.Contains(err.Error(), test.want) {
				t.Errorf("DecodeDecision = %v, want ErrInvalid containing %q", err, test.want)
			}
		})
	}
}

func FuzzDecodeDecision(f *testing.F) {
	f.Add([]byte(`{"installer":{"product":"p","version":"1","machine_id":"m"},"product":"p","document":{"id":"eula","version":"1","language":"en","hash":"h","original_hash":"h"},"decision":"accepted","role":"dealer","channel":"browser","personal":{"actor":{"name":"A","email":"a@b"},"bound":{"name":"C"}}}`))
	f.Add([]byte(`{"derived_from":["0b7f1c2e-8c2a-4d7e-9a51-1f0e6c9d2b3a"],"register_consent":false}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := eula.DecodeDecision(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, eula.ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		// What is accepted is valid, seals, and keeps its fingerprint.
		fp := r.Fingerprint()
		if err := r.Seal(time.Now(), fixedRand(1)); err != nil {
			t.Fatal(err)
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("sealed decision invalid: %v", err)
		}
		if r.Fingerprint() != fp {
			t.Fatalf("sealing changed the fingerprint")
		}
		_ = r.LeafData()
	})
}

func TestSetClient(t *testing.T) {
	for _, test := range []struct {
		name, addr, agent, wantAddr, wantAgent string
	}{
		{"plain", "192.0.2.7", "Mozilla/5.0", "192.0.2.7", "Mozilla/5.0"},
		{"control", "192.0.2.7", "evil\r\nX-Admin: 1", "192.0.2.7", "evil??X-Admin: 1"},
		{"long", strings.Repeat("1", 100), strings.Repeat("é", 600), strings.Repeat("1", eula.MaxAddrLen), strings.Repeat("é", eula.MaxUserAgentLen)},
		{"invalid utf-8", "", "a\xffb \u202e", "", "a?b ?"},
	} {
		t.Run(test.name, func(t *testing.T) {
			r := validRecord()
			r.SetClient(test.addr, test.agent)
			if r.Personal.ClientAddr != test.wantAddr || r.Personal.UserAgent != test.wantAgent {
				t.Errorf("SetClient: %q, %q; want %q, %q", r.Personal.ClientAddr, r.Personal.UserAgent, test.wantAddr, test.wantAgent)
			}
			if err := r.Validate(); err != nil {
				t.Errorf("Validate after SetClient: %v", err)
			}
		})
	}
}
