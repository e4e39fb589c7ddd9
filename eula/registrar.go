package eula

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/text/language"
)

// Defaults for what a decision does not say.
const (
	// MachineBrowser is the installation id of a decision made in a plain
	// browser, outside any installer.
	MachineBrowser = "browser"
)

// Registrar is eulagate's use cases: it records decisions (an end user's,
// a dealer's on a customer's behalf and the end user's confirmation, an
// administrator's for Update Manager and the delegated acceptances that
// follow, an affiliate's) and answers what the records say (status,
// receipts, chains, exports, a person's data) over a Library and a Store.
//
// Every recording use case validates its input once, fills in the
// defaults once, checks what was shown against the library (the server,
// not the client, says which exact text a version and language are: the
// record carries the hashes of the text shown and of the English
// original), and appends once; Store.Append validates the record. Callers
// (the HTTP handlers, the commands) only decode, call and encode; they
// check credentials (the administrator token, a browser's CSRF token)
// before calling the use cases reserved to them.
//
// A Registrar is safe for concurrent use.
type Registrar struct {
	lib    *Library
	store  Store
	now    func() time.Time
	secret []byte
	// refKey keys the commitments to reference codes; it is derived from
	// secret.
	refKey []byte
	// signer is the log's key, for Attest; see WithSigner.
	signer note.Signer
}

// RegistrarOption configures a Registrar.
type RegistrarOption func(*Registrar)

// WithClock sets the clock used for subject exports; time.Now by default.
// Records take the store's time.
func WithClock(now func() time.Time) RegistrarOption {
	return func(g *Registrar) { g.now = now }
}

// WithSecret sets the server secret, kept across restarts: a dealer's
// reference code is derived from it when the request carries an
// idempotency key, so that a retry gets the same code, and records commit
// to reference codes with a key derived from it (KeyedReferenceCommitment).
// Random by default: then codes recorded before a restart are found only
// if their records hold the unkeyed commitment.
func WithSecret(secret []byte) RegistrarOption {
	return func(g *Registrar) { g.secret = slices.Clone(secret) }
}

// NewRegistrar returns the use cases over lib and store. The library must
// hold the EULA with a product catalog.
func NewRegistrar(lib *Library, store Store, opts ...RegistrarOption) (*Registrar, error) {
	if lib == nil || store == nil {
		return nil, errors.New("eula: a registrar needs a library and a store")
	}
	g := &Registrar{lib: lib, store: store, now: time.Now}
	for _, o := range opts {
		o(g)
	}
	if lib.Latest(DocEULA) == "" {
		return nil, fmt.Errorf("eula: the library has no %s document", DocEULA)
	}
	if len(lib.Products()) == 0 {
		return nil, fmt.Errorf("eula: the library's %s %s has no product catalog (%s)", DocEULA, lib.Latest(DocEULA), CatalogFile)
	}
	if len(g.secret) == 0 {
		g.secret = make([]byte, 32)
		rand.Read(g.secret) // crypto/rand.Read never fails
	}
	mac := hmac.New(sha256.New, g.secret)
	io.WriteString(mac, "eulagate reference commitment key")
	g.refKey = mac.Sum(nil)
	return g, nil
}

// Library returns the documents the registrar checks decisions against.
func (g *Registrar) Library() *Library { return g.lib }

// Origin is where a request came from: kept with the record's personal
// data (erased with it), never in the log leaf.
type Origin struct {
	// Addr is the client's IP address.
	Addr string
	// UserAgent is the client's User-Agent.
	UserAgent string
}

// DocumentRef names a document version and language. Where a use case says
// so, empty fields mean the EULA, its version in force and English.
type DocumentRef struct {
	ID, Version, Language string
}

// withDefaults fills in the EULA in force, in English.
func (g *Registrar) withDefaults(d DocumentRef) Shown {
	if d.ID == "" {
		d.ID = DocEULA
	}
	if d.Version == "" {
		d.Version = g.lib.Latest(d.ID)
	}
	if d.Language == "" {
		d.Language = Original.String()
	}
	return Shown{ID: d.ID, Version: d.Version, Language: d.Language}
}

// DecisionRequest is an end user's decision on the EULA, from an
// installer's screen, a kiosk or a browser (JSON or the plain form).
type DecisionRequest struct {
	// Decision is Accepted or Declined.
	Decision Decision
	// Document is the version and language shown; ID defaults to the EULA.
	Document DocumentRef
	// Product is the product key from the catalog.
	Product string
	// Installer is the installer that asked and the installation. Product
	// defaults to Product, Version to VersionUnspecified, MachineID to
	// MachineBrowser.
	Installer Installer
	// Role defaults to RoleEndUser; Channel to ChannelInstaller with a
	// machine id, else ChannelBrowser.
	Role    Role
	Channel Channel
	// Actor is who decided; Bound the party bound where it differs.
	Actor *Person
	Bound *Person
	// RegisterConsent is the optional consent to register end-user data.
	RegisterConsent *bool
}

// Decide records an end user's decision. Records that only the
// administrator's use cases make (delegated acceptances, the API and
// unattended channels, the administrator's acceptance of the Update
// Manager terms) are refused with ErrForbidden. With an idempotency key a
// retry returns the first record and replayed true. Errors: ErrInvalid
// naming the field (an unknown product is reported as "product: ..."),
// ErrForbidden, ErrConflict (the key was used for another decision).
func (g *Registrar) Decide(ctx context.Context, in DecisionRequest, from Origin, idem string) (rec Record, replayed bool, err error) {
	if in.Document.ID == "" {
		in.Document.ID = DocEULA
	}
	rec = Record{
		Installer:       in.Installer,
		Product:         in.Product,
		Document:        Shown{ID: in.Document.ID, Version: in.Document.Version, Language: in.Document.Language},
		Decision:        in.Decision,
		Role:            in.Role,
		Channel:         in.Channel,
		RegisterConsent: in.RegisterConsent,
		Personal:        &Personal{Bound: in.Bound},
	}
	if rec.Installer.Product == "" {
		rec.Installer.Product = rec.Product
	}
	if rec.Installer.Version == "" {
		rec.Installer.Version = VersionUnspecified
	}
	if rec.Channel == "" {
		rec.Channel = ChannelBrowser
		if rec.Installer.MachineID != "" {
			rec.Channel = ChannelInstaller
		}
	}
	if rec.Installer.MachineID == "" {
		rec.Installer.MachineID = MachineBrowser
	}
	if rec.Role == "" {
		rec.Role = RoleEndUser
	}
	if in.Actor != nil {
		rec.Personal.Actor = *in.Actor
	}
	if adminOnly(&rec) {
		return Record{}, false, fmt.Errorf("role %q for %s on channel %q is recorded only through the administrator's use cases: %w", rec.Role, clip(rec.Product), rec.Channel, ErrForbidden)
	}
	return g.append(ctx, rec, from, idem)
}

// adminOnly reports whether a record may only be made by the
// administrator's use cases: delegated acceptances, records on the API
// and unattended channels, and a system administrator's acceptance of the
// Update Manager terms, which delegation relies on.
func adminOnly(r *Record) bool {
	return r.Role == RoleDelegated || r.Channel == ChannelAPI || r.Channel == ChannelUnattended ||
		(r.Role == RoleAdministrator && r.Product == ProductUpdateManager)
}

// certify checks that the product, document, version and language exist
// and fills in the hashes of what was shown and of the English original. A
// translation made from an older version is never shown (the English is,
// see Library.Resolve), so it cannot be the text a reader decided on.
// Errors wrap ErrInvalid and name the field.
func (g *Registrar) certify(r *Record) error {
	if r.Document.ID != DocEULA {
		return fmt.Errorf("document.id %q: decisions are about the %s only: %w", clip(r.Document.ID), DocEULA, ErrInvalid)
	}
	cat := g.lib.Catalog(r.Document.ID, r.Document.Version)
	if cat == nil {
		cat = g.lib.Catalog(DocEULA, g.lib.Latest(DocEULA))
	}
	if _, err := cat.Product(r.Product); err != nil {
		return fmt.Errorf("product: %v: %w", err, ErrInvalid)
	}
	if _, err := cat.Product(r.Installer.Product); err != nil {
		return fmt.Errorf("installer.product: %v: %w", err, ErrInvalid)
	}
	tag, err := language.Parse(r.Document.Language)
	if err != nil {
		return fmt.Errorf("document.language %q: %w", clip(r.Document.Language), ErrInvalid)
	}
	doc, err := g.lib.Document(r.Document.ID, r.Document.Version, tag)
	if err != nil {
		return fmt.Errorf("document: %v: %w", err, ErrInvalid)
	}
	if !slices.Contains(g.lib.CurrentLanguages(r.Document.ID, r.Document.Version), doc.Meta.Language) {
		return fmt.Errorf("document: %s %s has no up-to-date text in %s: %w", r.Document.ID, r.Document.Version, doc.Meta.Language, ErrInvalid)
	}
	orig, err := g.lib.OriginalHash(r.Document.ID, r.Document.Version)
	if err != nil {
		return fmt.Errorf("document: %v: %w", err, ErrInvalid)
	}
	r.Document.Language = doc.Meta.Language.String()
	r.Document.Hash, r.Document.OriginalHash = doc.Hash, orig
	return nil
}

// append certifies what was shown, notes the origin and appends the
// record; the store validates it.
func (g *Registrar) append(ctx context.Context, rec Record, from Origin, idem string) (Record, bool, error) {
	if err := ValidIdempotencyKey(idem); err != nil {
		return Record{}, false, err
	}
	if err := g.certify(&rec); err != nil {
		return Record{}, false, err
	}
	rec.SetClient(from.Addr, from.UserAgent)
	stored, replayed, err := g.store.Append(ctx, rec, idem)
	if err != nil {
		return Record{}, false, fmt.Errorf("record %s %s: %w", rec.Role, rec.Decision, err)
	}
	return stored, replayed, nil
}

// derivedKey makes an idempotency key from the parts that make one request
// of a batch unique.
func derivedKey(prefix string, parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return prefix + "-" + hex.EncodeToString(h[:20])
}

// Appended is one record a batch appended.
type Appended struct {
	Record   Record
	Replayed bool
}

// AdminAcceptanceRequest is a system administrator accepting the XProtect
// Update Manager terms for a set of remote computers.
type AdminAcceptanceRequest struct {
	// Administrator is who accepts; name or e-mail address required.
	Administrator Person
	// Document defaults to the EULA in force, in English.
	Document DocumentRef
	// Computers are the installation ids, at most MaxComputers.
	Computers []string
}

// AcceptForComputers records the administrator's acceptance of the Update
// Manager terms, one record per computer (see AdminAcceptance), after
// checking all of them. With an idempotency key a retry records nothing
// new. The caller has checked the administrator's credential.
func (g *Registrar) AcceptForComputers(ctx context.Context, in AdminAcceptanceRequest, from Origin, idem string) ([]Appended, error) {
	if err := ValidIdempotencyKey(idem); err != nil {
		return nil, err
	}
	recs, err := AdminAcceptance(in.Administrator, g.withDefaults(in.Document), in.Computers)
	if err != nil {
		return nil, err
	}
	for i := range recs {
		if err := g.certify(&recs[i]); err != nil {
			return nil, err
		}
	}
	out := make([]Appended, 0, len(recs))
	for _, rec := range recs {
		key := ""
		if idem != "" {
			key = derivedKey("admin", idem, rec.Installer.MachineID)
		}
		stored, replayed, err := g.append(ctx, rec, from, key)
		if err != nil {
			return nil, err
		}
		out = append(out, Appended{Record: stored, Replayed: replayed})
	}
	return out, nil
}

// DelegationRequest is XProtect Update Manager installing or updating a
// product unattended on a set of computers.
type DelegationRequest struct {
	// Product is the product key; Version the version installed
	// (VersionUnspecified if empty).
	Product, Version string
	// Document is the document accepted on the users' behalf; it defaults
	// to the EULA in force, and each computer's user's own language.
	Document DocumentRef
	// Computers are the installation ids, at most MaxComputers.
	Computers []string
}

// Outcomes of one computer in a delegation.
const (
	// DelegationRecorded: a delegated acceptance was recorded.
	DelegationRecorded = "recorded"
	// DelegationAlreadyRecorded: one was recorded before; nothing new.
	DelegationAlreadyRecorded = "already-recorded"
	// DelegationPromptUser: no chain justifies a delegated acceptance; the
	// computer's user must be prompted.
	DelegationPromptUser = "prompt-user"
	// DelegationInvalid: the computer's id is not valid.
	DelegationInvalid = "invalid"
)

// DelegationResult is what happened for one computer.
type DelegationResult struct {
	Computer string
	// Result is one of the Delegation* outcomes.
	Result string
	// Reason is RefusalCode of why not, for prompt-user and invalid;
	// Message says why not, in English.
	Reason, Message string
	// Record is the delegated record, new or earlier (zero when none).
	Record Record
}

// DelegationReport is the answer to a delegation, computer by computer.
type DelegationReport struct {
	Product, Version string
	// DocumentVersion is the version accepted on the users' behalf.
	DocumentVersion string
	Results         []DelegationResult
}

// Delegate records, for each computer whose chain justifies it, a
// delegated acceptance (see Delegate's rule), and reports per computer
// what happened. A request wrong as a whole (unknown product or document,
// no computers, too many) is refused with ErrInvalid; one computer's
// refusal is a result, not an error. Retrying is safe: a computer already
// done reports already-recorded. The caller has checked the
// administrator's credential. It returns an error otherwise only for
// storage faults.
func (g *Registrar) Delegate(ctx context.Context, in DelegationRequest, from Origin) (DelegationReport, error) {
	if _, err := g.lib.Product(in.Product); err != nil {
		return DelegationReport{}, fmt.Errorf("product: %v: %w", err, ErrInvalid)
	}
	switch {
	case len(in.Computers) == 0:
		return DelegationReport{}, fmt.Errorf("computers: give at least one installation id: %w", ErrInvalid)
	case len(in.Computers) > MaxComputers:
		return DelegationReport{}, fmt.Errorf("computers: more than %d in one request: %w", MaxComputers, ErrInvalid)
	}
	doc := g.withDefaults(in.Document)
	// Check the document once, in English; each computer's record is in
	// its user's own language.
	probe := Record{Product: in.Product, Installer: Installer{Product: in.Product}, Document: doc}
	probe.Document.Language = Original.String()
	if err := g.certify(&probe); err != nil {
		return DelegationReport{}, err
	}
	doc.Language = ""
	out := DelegationReport{Product: in.Product, Version: in.Version, DocumentVersion: doc.Version, Results: []DelegationResult{}}
	if out.Version == "" {
		out.Version = VersionUnspecified
	}
	for _, c := range in.Computers {
		res, err := g.delegateOne(ctx, Delegation{Computer: c, Product: in.Product, Version: in.Version, Document: doc}, from)
		if err != nil {
			return DelegationReport{}, err
		}
		out.Results = append(out.Results, res)
	}
	return out, nil
}

// delegateOne handles one computer of a delegation. It returns an error
// only for storage faults.
func (g *Registrar) delegateOne(ctx context.Context, d Delegation, from Origin) (DelegationResult, error) {
	res := DelegationResult{Computer: d.Computer}
	refuse := func(err error) (DelegationResult, error) {
		res.Result, res.Reason, res.Message = DelegationPromptUser, RefusalCode(err), err.Error()
		if res.Reason == "invalid" {
			res.Result = DelegationInvalid
		}
		return res, nil
	}
	if len(d.Computer) > MaxMachineIDLen {
		return refuse(fmt.Errorf("computer: longer than %d bytes: %w", MaxMachineIDLen, ErrInvalid))
	}
	admin, err := g.store.Latest(ctx, d.Computer, ProductUpdateManager)
	if err != nil {
		return res, fmt.Errorf("delegation for %s: %w", d.Computer, err)
	}
	hist, err := g.store.Latest(ctx, d.Computer, d.Product)
	if err != nil {
		return res, fmt.Errorf("delegation for %s: %w", d.Computer, err)
	}
	rec, err := Delegate(d, admin, hist)
	if errors.Is(err, ErrAlreadyRecorded) {
		res.Result, res.Record = DelegationAlreadyRecorded, rec.WithoutPersonal()
		return res, nil
	}
	if err != nil {
		return refuse(err)
	}
	// The key makes concurrent requests for the same update record once.
	// It includes the chain, so that a new assignment (the user accepted
	// again after declining) makes a new record.
	key := derivedKey("delegation", append([]string{d.Computer, d.Product, rec.Installer.Version, rec.Document.ID, rec.Document.Version}, rec.DerivedFrom...)...)
	stored, _, err := g.append(ctx, rec, from, key)
	switch {
	case errors.Is(err, ErrConflict):
		res.Result, res.Message = DelegationAlreadyRecorded, "recorded meanwhile by another request"
		return res, nil
	case errors.Is(err, ErrInvalid):
		return refuse(err)
	case err != nil:
		return res, err
	}
	res.Result, res.Record = DelegationRecorded, stored.WithoutPersonal()
	return res, nil
}

// DealerRequest is a dealer or integrator accepting the EULA on a named
// customer's behalf before purchase.
type DealerRequest struct {
	// Role is RoleDealer (default) or RoleIntegrator.
	Role     Role
	Dealer   Person
	Customer Person
	Product  string
	// Document defaults to the EULA in force, in English.
	Document DocumentRef
	// CustomerAccepted states that the dealer has the customer's
	// acceptance; ReturnRightUnderstood acknowledges that acceptance before
	// purchase ends the 30-day return right. Both required.
	CustomerAccepted      bool
	ReturnRightUnderstood bool
	RegisterConsent       *bool
}

// DealerReceipt is a recorded dealer's acceptance, or an end user's
// confirmation of one: the record, the reference code and what the code
// reveals.
type DealerReceipt struct {
	Record      Record
	Reference   string
	Attribution Attribution
	Replayed    bool
}

// AcceptForCustomer records a dealer's acceptance with a new reference
// code. With an idempotency key the code is drawn from a keyed hash of it,
// so that a retry makes the same record and gets the first answer.
// Errors: ErrInvalid naming the field (an unknown product included),
// ErrConflict.
func (g *Registrar) AcceptForCustomer(ctx context.Context, in DealerRequest, from Origin, idem string) (DealerReceipt, error) {
	if err := ValidIdempotencyKey(idem); err != nil {
		return DealerReceipt{}, err
	}
	var src io.Reader = rand.Reader
	if idem != "" {
		mac := hmac.New(sha256.New, g.secret)
		io.WriteString(mac, "dealer reference\x00"+idem)
		src = bytes.NewReader(mac.Sum(nil))
	}
	ref, err := NewReference(src)
	if err != nil {
		return DealerReceipt{}, err
	}
	doc := g.withDefaults(in.Document)
	rec, err := DealerAcceptance{
		Role: in.Role, Dealer: in.Dealer, Customer: in.Customer, Product: in.Product, Document: doc,
		CustomerAccepted: in.CustomerAccepted, ReturnRightUnderstood: in.ReturnRightUnderstood,
		RegisterConsent: in.RegisterConsent,
	}.Record(g.catalog(doc.Version), ref)
	if errors.Is(err, ErrNotFound) {
		err = fmt.Errorf("%v: %w", err, ErrInvalid)
	}
	if err != nil {
		return DealerReceipt{}, err
	}
	rec.Reference = KeyedReferenceCommitment(g.refKey, ref)
	rec.Installer.MachineID = referenceInstallationOf(rec.Reference)
	stored, replayed, err := g.append(ctx, rec, from, idem)
	if err != nil {
		return DealerReceipt{}, err
	}
	return g.dealerReceipt(ctx, stored, ref, replayed)
}

// catalog returns the catalog of a version of the EULA, or of the version
// in force for a version the library does not have (the document check
// then refuses it).
func (g *Registrar) catalog(version string) *Catalog {
	if c := g.lib.Catalog(DocEULA, version); c != nil {
		return c
	}
	return g.lib.Catalog(DocEULA, g.lib.Latest(DocEULA))
}

// dealerReceipt reads back a dealer's acceptance, or a confirmation and
// the dealer's acceptance it derives from, for its attribution.
func (g *Registrar) dealerReceipt(ctx context.Context, rec Record, code string, replayed bool) (DealerReceipt, error) {
	full, err := g.store.Get(ctx, rec.ID)
	if err != nil {
		return DealerReceipt{}, fmt.Errorf("read back %s: %w", rec.ID, err)
	}
	dealer := full
	if full.Role == RoleEndUser && len(full.DerivedFrom) == 1 {
		if dealer, err = g.store.Get(ctx, full.DerivedFrom[0]); err != nil {
			return DealerReceipt{}, fmt.Errorf("read back %s: %w", full.DerivedFrom[0], err)
		}
	}
	attr, err := attributed(dealer, code)
	if err != nil {
		return DealerReceipt{}, err
	}
	return DealerReceipt{Record: full, Reference: code, Attribution: attr, Replayed: replayed}, nil
}

// dealerRecord returns the dealer's or integrator's acceptance with this
// reference code, and the code in its canonical form. The acceptance is
// recorded under the installation ReferenceInstallation(code), so this
// asks the store's index on installations once per product of the
// catalogs, never scanning the log. Errors: ErrInvalid for a malformed
// code, ErrNotFound.
func (g *Registrar) dealerRecord(ctx context.Context, code string) (Record, string, error) {
	ref, err := ParseReference(code)
	if err != nil {
		return Record{}, "", err
	}
	seen := map[string]bool{}
	for _, v := range g.lib.Versions(DocEULA) {
		for _, p := range g.lib.Catalog(DocEULA, v).Products() {
			if seen[p.Key] {
				continue
			}
			seen[p.Key] = true
			for _, commitment := range g.referenceCommitments(ref) {
				hist, err := g.store.Latest(ctx, referenceInstallationOf(commitment), p.Key)
				if err != nil {
					return Record{}, "", fmt.Errorf("find reference: %w", err)
				}
				for _, r := range hist {
					if r.Reference != commitment || (r.Role != RoleDealer && r.Role != RoleIntegrator) || r.Decision != Accepted {
						continue
					}
					// Latest leaves out personal data; the attribution
					// needs the organisations.
					full, err := g.store.Get(ctx, r.ID)
					if err != nil {
						return Record{}, "", fmt.Errorf("find reference: %w", err)
					}
					return full, ref, nil
				}
			}
		}
	}
	return Record{}, "", fmt.Errorf("no dealer's acceptance has reference %s: %w", ref, ErrNotFound)
}

// referenceCommitments returns what records may hold of a reference code:
// the keyed commitment new records hold, then the unkeyed one of records
// made before.
func (g *Registrar) referenceCommitments(ref string) []string {
	return []string{KeyedReferenceCommitment(g.refKey, ref), ReferenceCommitment(ref)}
}

// HasReference reports whether rec holds the commitment of a reference
// code, keyed or not.
func (g *Registrar) HasReference(rec Record, code string) bool {
	return rec.Reference != "" && slices.Contains(g.referenceCommitments(code), rec.Reference)
}

// Reference answers what a reference code reveals to whoever holds it:
// "accepted by <dealer> for <customer> on <date>", organisations only.
// Errors: ErrInvalid for a malformed code, ErrNotFound.
func (g *Registrar) Reference(ctx context.Context, code string) (Attribution, error) {
	rec, ref, err := g.dealerRecord(ctx, code)
	if err != nil {
		return Attribution{}, err
	}
	return attributed(rec, ref)
}

// attributed returns the attribution of a dealer's acceptance with its
// reference code filled in.
func attributed(dealer Record, ref string) (Attribution, error) {
	attr, err := AttributionOf(dealer)
	if err != nil {
		return Attribution{}, err
	}
	attr.Reference = ref
	return attr, nil
}

// ConfirmationRequest is the end user's decision at an appliance's first
// boot on a dealer's acceptance found by its reference code.
type ConfirmationRequest struct {
	// Decision is Accepted or Declined.
	Decision Decision
	// Product is the appliance's product key; it must have the same terms
	// as the product the dealer accepted for.
	Product string
	// Installer is the installation: MachineID required, Version defaults
	// to VersionUnspecified; Product is Product.
	Installer Installer
	// Document defaults to the EULA in force, in English.
	Document DocumentRef
	// Actor is who confirms, if known.
	Actor *Person
}

// Confirm records the end user's confirmation (role end user, channel
// first boot), derived from the dealer's acceptance with this code and
// carrying its reference. Errors: ErrInvalid (a malformed code or field),
// ErrNotFound (no such code), ErrForbidden (a code for other terms),
// ErrConflict.
func (g *Registrar) Confirm(ctx context.Context, code string, in ConfirmationRequest, from Origin, idem string) (DealerReceipt, error) {
	dealer, ref, err := g.dealerRecord(ctx, code)
	if err != nil {
		return DealerReceipt{}, err
	}
	switch in.Decision {
	case Accepted, Declined:
	default:
		return DealerReceipt{}, fmt.Errorf("decision: choose %s or %s: %w", Accepted, Declined, ErrInvalid)
	}
	if in.Installer.Version == "" {
		in.Installer.Version = VersionUnspecified
	}
	doc := g.withDefaults(in.Document)
	c := Record{
		Installer: Installer{Product: in.Product, Version: in.Installer.Version, MachineID: in.Installer.MachineID},
		Product:   in.Product,
		Document:  doc,
		Decision:  in.Decision,
		Role:      RoleEndUser,
		Channel:   ChannelFirstBoot,
		Personal:  &Personal{},
	}
	if in.Actor != nil {
		c.Personal.Actor = *in.Actor
	}
	if c, err = Confirm(g.catalog(doc.Version), dealer, c); err != nil {
		return DealerReceipt{}, err
	}
	stored, replayed, err := g.append(ctx, c, from, idem)
	if err != nil {
		return DealerReceipt{}, fmt.Errorf("first-boot confirmation: %w", err)
	}
	return g.dealerReceipt(ctx, stored, ref, replayed)
}

// CheckConfirmation reports whether a reference code can be confirmed
// for a product, before the end user reads: ErrInvalid (malformed code),
// ErrNotFound (no such code) or ErrForbidden (a code for other terms). It
// returns the dealer's attribution.
func (g *Registrar) CheckConfirmation(ctx context.Context, code, product string) (Attribution, error) {
	dealer, ref, err := g.dealerRecord(ctx, code)
	if err != nil {
		return Attribution{}, err
	}
	probe := Record{Product: product, Role: RoleEndUser, Channel: ChannelFirstBoot}
	if _, err := Confirm(g.catalog(g.lib.Latest(DocEULA)), dealer, probe); err != nil {
		return Attribution{}, err
	}
	return attributed(dealer, ref)
}

// AffiliateRequest is an affiliated company submitting to the EULA under
// its licensee's licence.
type AffiliateRequest struct {
	Licensee, Affiliate string
	Actor               Person
	Product             string
	// Document defaults to the EULA in force, in English.
	Document DocumentRef
	// Decision is Accepted (default) or Declined.
	Decision Decision
}

// AcceptForAffiliate records an affiliate's decision (see
// AffiliateAcceptance). Errors: ErrInvalid naming the field (an unknown
// product included), ErrForbidden (a product whose licensees cannot grant
// affiliates access), ErrConflict.
func (g *Registrar) AcceptForAffiliate(ctx context.Context, in AffiliateRequest, from Origin, idem string) (Record, bool, error) {
	doc := g.withDefaults(in.Document)
	rec, err := AffiliateAcceptance{
		Licensee: in.Licensee, Affiliate: in.Affiliate, Actor: in.Actor, Product: in.Product,
		Document: doc, Decision: in.Decision,
	}.Record(g.catalog(doc.Version))
	if errors.Is(err, ErrNotFound) {
		err = fmt.Errorf("%v: %w", err, ErrInvalid)
	}
	if err != nil {
		return Record{}, false, err
	}
	return g.append(ctx, rec, from, idem)
}

// AffiliateStatus answers whether affiliate of licensee has accepted the
// EULA in force for product. Names match ignoring case and repeated
// spaces. Errors: ErrInvalid (a name missing, or a product whose licensees
// cannot grant affiliates access), ErrNotFound (unknown product).
func (g *Registrar) AffiliateStatus(ctx context.Context, licensee, affiliate, product string) (Status, error) {
	if licensee == "" || affiliate == "" || product == "" {
		return Status{}, fmt.Errorf("give licensee, affiliate and product: %w", ErrInvalid)
	}
	p, err := g.lib.Product(product)
	if err != nil {
		return Status{}, err
	}
	if !GrantsAffiliates(p) {
		return Status{}, fmt.Errorf("licensees of %s may not grant affiliated companies access: %w", p.Name, ErrInvalid)
	}
	hist, err := g.store.Latest(ctx, AffiliateKey(licensee, affiliate), product)
	if err != nil {
		return Status{}, fmt.Errorf("affiliate status: %w", err)
	}
	return AffiliateStatus(hist, licensee, affiliate, g.lib.Latest(DocEULA), g.lib.StillValid(DocEULA)), nil
}

// Status answers whether an installation has accepted the EULA in force
// for a product, under the re-acceptance rule of the library's versions.
// Errors: ErrInvalid (a missing or over-long id), ErrNotFound (unknown
// product).
func (g *Registrar) Status(ctx context.Context, machineID, product string) (Status, error) {
	if machineID == "" || product == "" {
		return Status{}, fmt.Errorf("give installer and product: %w", ErrInvalid)
	}
	if _, err := g.lib.Product(product); err != nil {
		return Status{}, err
	}
	if len(machineID) > MaxMachineIDLen {
		return Status{}, fmt.Errorf("installer: longer than %d bytes: %w", MaxMachineIDLen, ErrInvalid)
	}
	hist, err := g.store.Latest(ctx, machineID, product)
	if err != nil {
		return Status{}, fmt.Errorf("status of %s for %s: %w", clip(machineID), product, err)
	}
	return StatusOf(hist, g.lib.Latest(DocEULA), g.lib.StillValid(DocEULA)), nil
}

// Latest returns the latest of an installation's records for a product of
// each kind (Store.Latest), in log order, without personal data: what
// StatusOf needs.
func (g *Registrar) Latest(ctx context.Context, machineID, product string) ([]Record, error) {
	hist, err := g.store.Latest(ctx, machineID, product)
	if err != nil {
		return nil, fmt.Errorf("latest records of %s for %s: %w", clip(machineID), clip(product), err)
	}
	return hist, nil
}

// Decision returns a recorded decision without its personal data, for a
// page that shows its outcome. Errors: ErrNotFound.
func (g *Registrar) Decision(ctx context.Context, id string) (Record, error) {
	rec, err := g.store.Get(ctx, id)
	if err != nil {
		return Record{}, fmt.Errorf("decision %s: %w", clip(id), err)
	}
	return rec.WithoutPersonal(), nil
}

// Receipt returns a record's receipt without its personal data (the
// receipt still verifies): what is given out to anyone holding the id.
// Errors: ErrNotFound.
func (g *Registrar) Receipt(ctx context.Context, id string) (Receipt, error) {
	rc, err := g.store.Receipt(ctx, id)
	if err != nil {
		return Receipt{}, fmt.Errorf("receipt of %s: %w", clip(id), err)
	}
	rc.Record = rc.Record.WithoutPersonal()
	return rc, nil
}

// ChainReport is a record's receipt followed by the receipts of the
// records it derives from, transitively, without personal data.
type ChainReport struct {
	Chain []Receipt
	// Check is, for a delegated record, "ok" if its chain justifies it or
	// why not; empty for other records.
	Check string
}

// Chain returns the chain that justifies a record (see Chain), as
// receipts that verify offline. Errors: ErrNotFound.
func (g *Registrar) Chain(ctx context.Context, id string) (ChainReport, error) {
	chain, err := Chain(ctx, g.store, id)
	if err != nil {
		return ChainReport{}, err
	}
	out := ChainReport{Chain: make([]Receipt, 0, len(chain))}
	for _, rec := range chain {
		rc, err := g.Receipt(ctx, rec.ID)
		if err != nil {
			return ChainReport{}, err
		}
		out.Chain = append(out.Chain, rc)
	}
	if chain[0].Role == RoleDelegated {
		out.Check = "ok"
		if err := CheckDelegation(chain[0], chain[1:]); err != nil {
			out.Check = err.Error()
		}
	}
	return out, nil
}

// Export formats.
const (
	FormatJSONL = "jsonl"
	FormatCSV   = "csv"
)

// Export writes the records matching f to w, with their personal data
// unless erased, as JSON Lines (FormatJSONL or "") or CSV (FormatCSV). The
// caller has checked the administrator's credential. Errors: ErrInvalid
// for another format.
func (g *Registrar) Export(ctx context.Context, f Filter, format string, w io.Writer) error {
	switch format {
	case "", FormatJSONL:
		return ExportJSONL(ctx, g.store, f, w)
	case FormatCSV:
		return ExportCSV(ctx, g.store, f, w)
	}
	return fmt.Errorf("format must be %s or %s: %w", FormatJSONL, FormatCSV, ErrInvalid)
}

// Subject writes to w everything held about the person with this e-mail
// address (see ExportSubject), for access and portability requests. The
// caller has checked the administrator's credential. Errors: ErrInvalid
// for an empty address.
func (g *Registrar) Subject(ctx context.Context, email string, w io.Writer) error {
	if strings.TrimSpace(email) == "" {
		return fmt.Errorf("give the person's e-mail address: %w", ErrInvalid)
	}
	return ExportSubject(ctx, g.store, email, g.now(), w)
}

// Erase removes for good the personal data of every record naming this
// e-mail address and returns their ids (never nil); the records stay,
// marked erased, and their receipts still verify. The caller has checked
// the administrator's credential. Errors: ErrInvalid for an empty address.
func (g *Registrar) Erase(ctx context.Context, email string) ([]string, error) {
	ids, err := g.store.Erase(ctx, email)
	if err != nil {
		return nil, fmt.Errorf("erase: %w", err)
	}
	if ids == nil {
		ids = []string{}
	}
	return ids, nil
}
