package web

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
	"mime"
	"net/http"
	"strings"

	"github.com/eulagate/eulagate/eula"
)

// This file holds the API of the three ways one party's acceptance binds
// another (issue 7):
//
//   - XProtect Update Manager: POST /api/v1/admin/acceptances (the system
//     administrator accepts the Update Manager terms for a set of computers)
//     and POST /api/v1/delegations (delegated acceptances for an unattended
//     update, reported per computer); both need the administrator token.
//   - Dealers and integrators: POST /api/v1/dealer/acceptances (acceptance
//     on a customer's behalf before purchase, answered with a reference
//     code), GET /api/v1/references/{code} (who accepted for whom, when) and
//     POST /api/v1/references/{code}/confirmations (the end user's
//     confirmation at the appliance's first boot, linked to the dealer's).
//   - Affiliated companies: POST /api/v1/affiliates/acceptances and
//     GET /api/v1/affiliates/status?licensee=&affiliate=&product=.
//
// GET /api/v1/records/{id}/chain shows for any record the chain that
// justifies it, as verifiable receipts.

// delegationRoutes adds the routes of this file.
func (s *Server) delegationRoutes(m *http.ServeMux) {
	m.Handle("POST /api/v1/admin/acceptances", s.api(s.apiAdminAccept))
	m.Handle("POST /api/v1/delegations", s.api(s.apiDelegate))
	m.Handle("GET /api/v1/records/{id}/chain", s.api(s.apiChain))
	m.Handle("POST /api/v1/dealer/acceptances", s.api(s.apiDealerAccept))
	m.Handle("GET /api/v1/references/{code}", s.api(s.apiReference))
	m.Handle("POST /api/v1/references/{code}/confirmations", s.api(s.apiConfirm))
	m.Handle("POST /api/v1/affiliates/acceptances", s.api(s.apiAffiliateAccept))
	m.Handle("GET /api/v1/affiliates/status", s.api(s.apiAffiliateStatus))
	s.dealerRoutes(m)
}

// docInput names a document version and language; empty fields mean the
// EULA's latest version and English.
type docInput struct {
	ID       string `json:"id,omitempty"`
	Version  string `json:"version,omitempty"`
	Language string `json:"language,omitempty"`
}

// shown returns the document to record, defaults filled in; checkShown adds
// the hashes.
func (s *Server) shown(d docInput) eula.Shown {
	if d.ID == "" {
		d.ID = eula.DocEULA
	}
	if d.Version == "" {
		d.Version = s.lib.Latest(d.ID)
	}
	if d.Language == "" {
		d.Language = "en"
	}
	return eula.Shown{ID: d.ID, Version: d.Version, Language: d.Language}
}

// decodeJSON reads one JSON object of type T strictly (see decodeStrict)
// from a request with Content-Type application/json. Errors wrap
// eula.ErrInvalid, errUnsupportedMedia or errTooLarge.
func decodeJSON[T any](r *http.Request) (T, error) {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		var zero T
		return zero, fmt.Errorf("send the request as application/json: %w", errUnsupportedMedia)
	}
	return decodeStrict[T](r.Body)
}

// appendChecked fills in the hashes of what was shown, the client, checks
// the record and appends it.
func (s *Server) appendChecked(ctx context.Context, r *http.Request, rec eula.Record, idem string) (eula.Record, bool, error) {
	if err := s.checkShown(&rec); err != nil {
		return eula.Record{}, false, err
	}
	rec.SetClient(clientAddr(r), r.UserAgent())
	if err := rec.Validate(); err != nil {
		return eula.Record{}, false, err
	}
	if err := eula.ValidIdempotencyKey(idem); err != nil {
		return eula.Record{}, false, err
	}
	stored, replayed, err := s.store.Append(ctx, rec, idem)
	if err != nil {
		return eula.Record{}, false, fmt.Errorf("record %s acceptance: %w", rec.Role, err)
	}
	return stored, replayed, nil
}

// derivedKey makes an idempotency key from a client's key (or none) and the
// parts that make one request of a batch unique.
func derivedKey(prefix string, parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return prefix + "-" + hex.EncodeToString(h[:20])
}

// adminAcceptanceInput is the body of POST /api/v1/admin/acceptances.
type adminAcceptanceInput struct {
	// Administrator is the system administrator who accepts.
	Administrator eula.Person `json:"administrator"`
	// Document is the document accepted; defaults to the latest EULA in
	// English.
	Document docInput `json:"document"`
	// Computers are the installation ids of the remote computers that the
	// administrator updates with Update Manager.
	Computers []string `json:"computers"`
}

// adminAcceptanceOutput lists the records made, one per computer.
type adminAcceptanceOutput struct {
	Acceptances []adminAcceptance `json:"acceptances"`
}

type adminAcceptance struct {
	Computer string `json:"computer"`
	ID       string `json:"id"`
	Index    int64  `json:"index"`
	Replayed bool   `json:"replayed,omitempty"`
}

// apiAdminAccept answers POST /api/v1/admin/acceptances (administrator):
// the system administrator accepts the XProtect Update Manager terms for a
// set of remote computers, one record per computer. With an Idempotency-Key
// header a retry records nothing new.
func (s *Server) apiAdminAccept(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireAdmin(r); err != nil {
		return err
	}
	in, err := decodeJSON[adminAcceptanceInput](r)
	if err != nil {
		return err
	}
	idem := r.Header.Get("Idempotency-Key")
	if err := eula.ValidIdempotencyKey(idem); err != nil {
		return err
	}
	recs, err := eula.AdminAcceptance(in.Administrator, s.shown(in.Document), in.Computers)
	if err != nil {
		return err
	}
	// Check every record before appending any.
	for i := range recs {
		if err := s.checkShown(&recs[i]); err != nil {
			return err
		}
	}
	out := adminAcceptanceOutput{Acceptances: []adminAcceptance{}}
	for _, rec := range recs {
		key := ""
		if idem != "" {
			key = derivedKey("admin", idem, rec.Installer.MachineID)
		}
		stored, replayed, err := s.appendChecked(r.Context(), r, rec, key)
		if err != nil {
			return err
		}
		out.Acceptances = append(out.Acceptances, adminAcceptance{Computer: rec.Installer.MachineID, ID: stored.ID, Index: stored.Index, Replayed: replayed})
	}
	s.log.InfoContext(r.Context(), "administrator accepted the Update Manager terms", "computers", len(recs))
	writeJSON(w, http.StatusCreated, out)
	return nil
}

// delegationInput is the body of POST /api/v1/delegations.
type delegationInput struct {
	// Product is the key of the product installed or updated; Version its
	// version.
	Product string `json:"product"`
	Version string `json:"version"`
	// Document is the document accepted on the users' behalf; defaults to
	// the EULA in force.
	Document docInput `json:"document"`
	// Computers are the installation ids updated.
	Computers []string `json:"computers"`
}

// Results of one computer in a delegation.
const (
	// ResultRecorded: a delegated acceptance was recorded.
	ResultRecorded = "recorded"
	// ResultAlreadyRecorded: one was recorded before; nothing new.
	ResultAlreadyRecorded = "already-recorded"
	// ResultPromptUser: no chain justifies a delegated acceptance; the
	// computer's user must be prompted.
	ResultPromptUser = "prompt-user"
	// ResultInvalid: the computer's id is not valid.
	ResultInvalid = "invalid"
)

// DelegationResult is what happened for one computer.
type DelegationResult struct {
	Computer string `json:"computer"`
	// Result is one of the Result* constants.
	Result string `json:"result"`
	// Reason is eula.RefusalCode of why not, for prompt-user and invalid.
	Reason string `json:"reason,omitempty"`
	// Message says why not, in English.
	Message string `json:"message,omitempty"`
	// ID is the delegated record (new or earlier); DerivedFrom its chain.
	ID          string   `json:"id,omitempty"`
	Index       int64    `json:"index,omitempty"`
	DerivedFrom []string `json:"derived_from,omitempty"`
}

// DelegationOutput is the answer to POST /api/v1/delegations.
type DelegationOutput struct {
	Product         string             `json:"product"`
	Version         string             `json:"version"`
	DocumentVersion string             `json:"document_version"`
	Results         []DelegationResult `json:"results"`
}

// apiDelegate answers POST /api/v1/delegations (administrator): XProtect
// Update Manager installs or updates a product unattended on a set of
// computers; for each, a delegated acceptance is recorded if the chain
// exists, and the answer (200) says per computer what happened. A request
// that is wrong as a whole (unknown product or document, no computers) is
// refused with 400. Retrying is safe: a computer already done answers
// already-recorded.
func (s *Server) apiDelegate(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireAdmin(r); err != nil {
		return err
	}
	in, err := decodeJSON[delegationInput](r)
	if err != nil {
		return err
	}
	if _, err := eula.ProductByKey(in.Product); err != nil {
		return fmt.Errorf("product: %v: %w", err, eula.ErrInvalid)
	}
	switch {
	case len(in.Computers) == 0:
		return fmt.Errorf("computers: give at least one installation id: %w", eula.ErrInvalid)
	case len(in.Computers) > eula.MaxComputers:
		return fmt.Errorf("computers: more than %d in one request: %w", eula.MaxComputers, eula.ErrInvalid)
	}
	doc := s.shown(in.Document)
	doc.Language = "" // each computer's user's own language
	// Check the document once, in English.
	probe := eula.Record{Product: in.Product, Installer: eula.Installer{Product: in.Product}, Document: doc}
	probe.Document.Language = "en"
	if err := s.checkShown(&probe); err != nil {
		return err
	}
	out := DelegationOutput{Product: in.Product, Version: in.Version, DocumentVersion: doc.Version, Results: []DelegationResult{}}
	if out.Version == "" {
		out.Version = eula.VersionUnspecified
	}
	for _, c := range in.Computers {
		res, err := s.delegateOne(r, eula.Delegation{Computer: c, Product: in.Product, Version: in.Version, Document: doc})
		if err != nil {
			return err
		}
		out.Results = append(out.Results, res)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// delegateOne handles one computer of a delegation. It returns an error
// only for storage faults.
func (s *Server) delegateOne(r *http.Request, d eula.Delegation) (DelegationResult, error) {
	res := DelegationResult{Computer: d.Computer}
	refuse := func(err error) (DelegationResult, error) {
		res.Result, res.Reason, res.Message = ResultPromptUser, eula.RefusalCode(err), err.Error()
		if res.Reason == "invalid" {
			res.Result = ResultInvalid
		}
		return res, nil
	}
	if len(d.Computer) > eula.MaxMachineIDLen {
		return refuse(fmt.Errorf("computer: longer than %d bytes: %w", eula.MaxMachineIDLen, eula.ErrInvalid))
	}
	admin, err := s.store.Latest(r.Context(), d.Computer, eula.ProductUpdateManager)
	if err != nil {
		return res, fmt.Errorf("delegation for %s: %w", d.Computer, err)
	}
	hist, err := s.store.Latest(r.Context(), d.Computer, d.Product)
	if err != nil {
		return res, fmt.Errorf("delegation for %s: %w", d.Computer, err)
	}
	rec, err := eula.Delegate(d, admin, hist)
	if errors.Is(err, eula.ErrAlreadyRecorded) {
		res.Result, res.ID, res.Index, res.DerivedFrom = ResultAlreadyRecorded, rec.ID, rec.Index, rec.DerivedFrom
		return res, nil
	}
	if err != nil {
		return refuse(err)
	}
	// The key makes concurrent requests for the same update record once.
	// It includes the chain, so that a new assignment (the user accepted
	// again after declining) makes a new record.
	key := derivedKey("delegation", append([]string{d.Computer, d.Product, rec.Installer.Version, rec.Document.ID, rec.Document.Version}, rec.DerivedFrom...)...)
	stored, _, err := s.appendChecked(r.Context(), r, rec, key)
	if errors.Is(err, eula.ErrConflict) {
		res.Result, res.Message = ResultAlreadyRecorded, "recorded meanwhile by another request"
		return res, nil
	}
	if errors.Is(err, eula.ErrInvalid) {
		return refuse(err)
	}
	if err != nil {
		return res, err
	}
	res.Result, res.ID, res.Index, res.DerivedFrom = ResultRecorded, stored.ID, stored.Index, stored.DerivedFrom
	return res, nil
}

// ChainOutput is the answer to GET /api/v1/records/{id}/chain.
type ChainOutput struct {
	// Chain holds the receipt of the record asked for, then the receipts of
	// the records it derives from, transitively; without personal data.
	Chain []eula.Receipt `json:"chain"`
	// Check is, for a delegated record, "ok" if its chain justifies it or
	// why not.
	Check string `json:"check,omitempty"`
}

// apiChain answers GET /api/v1/records/{id}/chain: for a delegated record
// its receipt, the administrator's acceptance and the user's acceptance
// that carried the assignment; for a first-boot confirmation, the dealer's
// acceptance; each a receipt that verifies offline. Like the receipt, it
// reveals no personal data.
func (s *Server) apiChain(w http.ResponseWriter, r *http.Request) error {
	chain, err := eula.Chain(r.Context(), s.store, r.PathValue("id"))
	if err != nil {
		return err
	}
	out := ChainOutput{Chain: make([]eula.Receipt, 0, len(chain))}
	for _, rec := range chain {
		rc, err := s.publicReceipt(r.Context(), rec.ID)
		if err != nil {
			return err
		}
		out.Chain = append(out.Chain, rc)
	}
	if chain[0].Role == eula.RoleDelegated {
		out.Check = "ok"
		if err := eula.CheckDelegation(chain[0], chain[1:]); err != nil {
			out.Check = err.Error()
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// dealerInput is the body of POST /api/v1/dealer/acceptances.
type dealerInput struct {
	// Role is "dealer" (default) or "integrator".
	Role     string      `json:"role,omitempty"`
	Dealer   eula.Person `json:"dealer"`
	Customer eula.Person `json:"customer"`
	Product  string      `json:"product"`
	Document docInput    `json:"document"`
	// CustomerAccepted states that the dealer has the customer's
	// acceptance; ReturnRightUnderstood acknowledges that acceptance
	// before purchase ends the 30-day return right.
	CustomerAccepted      bool  `json:"customer_accepted"`
	ReturnRightUnderstood bool  `json:"return_right_understood"`
	RegisterConsent       *bool `json:"register_consent,omitempty"`
}

// DealerOutput is the answer to a dealer's acceptance and to a first-boot
// confirmation.
type DealerOutput struct {
	ID          string           `json:"id"`
	Reference   string           `json:"reference"`
	Attribution eula.Attribution `json:"attribution"`
	Replayed    bool             `json:"replayed,omitempty"`
	// Receipt is the record's receipt, without personal data.
	Receipt eula.Receipt `json:"receipt"`
}

// apiDealerAccept answers POST /api/v1/dealer/acceptances: a dealer or
// integrator accepts on a named customer's behalf before purchase (the
// preamble's note). The answer (201) carries the reference code to give the
// customer. Browsers need the page's CSRF token, as for decisions.
func (s *Server) apiDealerAccept(w http.ResponseWriter, r *http.Request) error {
	if err := s.checkBrowser(r, r.Header.Get("X-CSRF-Token")); err != nil {
		return err
	}
	in, err := decodeJSON[dealerInput](r)
	if err != nil {
		return err
	}
	stored, code, replayed, err := s.recordDealer(r, eula.DealerAcceptance{
		Role: eula.Role(in.Role), Dealer: in.Dealer, Customer: in.Customer, Product: in.Product,
		Document: s.shown(in.Document), CustomerAccepted: in.CustomerAccepted,
		ReturnRightUnderstood: in.ReturnRightUnderstood, RegisterConsent: in.RegisterConsent,
	}, r.Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if replayed {
		status = http.StatusOK
	}
	return s.writeDealer(w, r, stored, code, replayed, status)
}

// recordDealer records a dealer's acceptance with a new reference code.
// With an idempotency key the reference is drawn from a keyed hash of it,
// so that a retry makes the same record and gets the first answer.
func (s *Server) recordDealer(r *http.Request, a eula.DealerAcceptance, idem string) (eula.Record, string, bool, error) {
	if err := eula.ValidIdempotencyKey(idem); err != nil {
		return eula.Record{}, "", false, err
	}
	var src io.Reader = rand.Reader
	if idem != "" {
		mac := hmac.New(sha256.New, s.csrf.key)
		io.WriteString(mac, "dealer reference\x00"+idem)
		src = bytes.NewReader(mac.Sum(nil))
	}
	ref, err := eula.NewReference(src)
	if err != nil {
		return eula.Record{}, "", false, err
	}
	rec, err := a.Record(ref)
	if err != nil {
		if errors.Is(err, eula.ErrNotFound) {
			return eula.Record{}, "", false, fmt.Errorf("%v: %w", err, eula.ErrInvalid)
		}
		return eula.Record{}, "", false, err
	}
	stored, replayed, err := s.appendChecked(r.Context(), r, rec, idem)
	return stored, ref, replayed, err
}

func (s *Server) writeDealer(w http.ResponseWriter, r *http.Request, rec eula.Record, code string, replayed bool, status int) error {
	full, err := s.store.Get(r.Context(), rec.ID)
	if err != nil {
		return fmt.Errorf("read back %s: %w", rec.ID, err)
	}
	dealer := full
	if full.Role == eula.RoleEndUser && len(full.DerivedFrom) == 1 {
		if dealer, err = s.store.Get(r.Context(), full.DerivedFrom[0]); err != nil {
			return fmt.Errorf("read back %s: %w", full.DerivedFrom[0], err)
		}
	}
	attr, err := eula.AttributionOf(dealer)
	if err != nil {
		return err
	}
	attr.Reference = code
	rc, err := s.publicReceipt(r.Context(), rec.ID)
	if err != nil {
		return err
	}
	writeJSON(w, status, DealerOutput{ID: rec.ID, Reference: code, Attribution: attr, Replayed: replayed, Receipt: rc})
	return nil
}

// findReference returns the dealer's or integrator's acceptance with this
// reference code. Errors: eula.ErrInvalid for a malformed code,
// eula.ErrNotFound.
//
// The acceptance is recorded under the installation
// eula.ReferenceInstallation(code), so this asks the stores' index on
// installations once per product of the catalog, never scanning the log.
func (s *Server) findReference(ctx context.Context, code string) (eula.Record, error) {
	ref, err := eula.ParseReference(code)
	if err != nil {
		return eula.Record{}, err
	}
	commitment := eula.ReferenceCommitment(ref)
	for _, p := range eula.Products() {
		hist, err := s.store.Latest(ctx, eula.ReferenceInstallation(ref), p.Key)
		if err != nil {
			return eula.Record{}, fmt.Errorf("find reference: %w", err)
		}
		for _, r := range hist {
			if r.Reference == commitment && (r.Role == eula.RoleDealer || r.Role == eula.RoleIntegrator) && r.Decision == eula.Accepted {
				// Latest leaves out personal data; the attribution needs
				// the organisations.
				full, err := s.store.Get(ctx, r.ID)
				if err != nil {
					return eula.Record{}, fmt.Errorf("find reference: %w", err)
				}
				return full, nil
			}
		}
	}
	return eula.Record{}, fmt.Errorf("no dealer's acceptance has reference %s: %w", ref, eula.ErrNotFound)
}

// apiReference answers GET /api/v1/references/{code}: "accepted by <dealer>
// for <customer> on <date>". The code is the credential: whoever holds it
// (the dealer, the customer, the appliance's first-boot gate) sees the
// organisations' names, the product, the document version and the date;
// never the names or e-mail addresses of people, which only the
// administrator's export shows. Codes carry 50 random bits.
func (s *Server) apiReference(w http.ResponseWriter, r *http.Request) error {
	rec, err := s.findReference(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	attr, err := eula.AttributionOf(rec)
	if err != nil {
		return err
	}
	attr.Reference, _ = eula.ParseReference(r.PathValue("code")) // findReference parsed it
	writeJSON(w, http.StatusOK, attr)
	return nil
}

// confirmationInput is the body of POST /api/v1/references/{code}/confirmations.
type confirmationInput struct {
	Product   string `json:"product"`
	Installer struct {
		MachineID string `json:"machine_id"`
		Version   string `json:"version,omitempty"`
	} `json:"installer"`
	Document docInput     `json:"document"`
	Actor    *eula.Person `json:"actor,omitempty"`
}

// apiConfirm answers POST /api/v1/references/{code}/confirmations: the end
// user, shown the EULA at the appliance's first boot with the dealer's
// reference code, confirms; the record (role end-user, channel first-boot)
// derives from the dealer's acceptance and carries its reference.
func (s *Server) apiConfirm(w http.ResponseWriter, r *http.Request) error {
	if err := s.checkBrowser(r, r.Header.Get("X-CSRF-Token")); err != nil {
		return err
	}
	in, err := decodeJSON[confirmationInput](r)
	if err != nil {
		return err
	}
	dealer, err := s.findReference(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	version := in.Installer.Version
	if version == "" {
		version = eula.VersionUnspecified
	}
	c := eula.Record{
		Installer: eula.Installer{Product: in.Product, Version: version, MachineID: in.Installer.MachineID},
		Product:   in.Product,
		Document:  s.shown(in.Document),
		Decision:  eula.Accepted,
		Role:      eula.RoleEndUser,
		Channel:   eula.ChannelFirstBoot,
		Personal:  &eula.Personal{},
	}
	if in.Actor != nil {
		c.Personal.Actor = *in.Actor
	}
	if c, err = eula.Confirm(dealer, c); err != nil {
		return err
	}
	idem := r.Header.Get("Idempotency-Key")
	stored, replayed, err := s.appendChecked(r.Context(), r, c, idem)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if replayed {
		status = http.StatusOK
	}
	code, _ := eula.ParseReference(r.PathValue("code")) // findReference parsed it
	return s.writeDealer(w, r, stored, code, replayed, status)
}

// affiliateInput is the body of POST /api/v1/affiliates/acceptances.
type affiliateInput struct {
	Licensee  string      `json:"licensee"`
	Affiliate string      `json:"affiliate"`
	Actor     eula.Person `json:"actor"`
	Product   string      `json:"product"`
	Document  docInput    `json:"document"`
	// Decision is "accepted" (default) or "declined".
	Decision string `json:"decision,omitempty"`
}

// apiAffiliateAccept answers POST /api/v1/affiliates/acceptances: an
// affiliated company of a licensee of XProtect Corporate, Expert or
// Professional+ submits to the EULA ("Affiliated Companies."). The answer
// (201) is as for a decision: id and receipt without personal data.
func (s *Server) apiAffiliateAccept(w http.ResponseWriter, r *http.Request) error {
	if err := s.checkBrowser(r, r.Header.Get("X-CSRF-Token")); err != nil {
		return err
	}
	in, err := decodeJSON[affiliateInput](r)
	if err != nil {
		return err
	}
	rec, err := eula.AffiliateAcceptance{
		Licensee: in.Licensee, Affiliate: in.Affiliate, Actor: in.Actor, Product: in.Product,
		Document: s.shown(in.Document), Decision: eula.Decision(in.Decision),
	}.Record()
	if err != nil {
		if errors.Is(err, eula.ErrNotFound) {
			return fmt.Errorf("%v: %w", err, eula.ErrInvalid)
		}
		return err
	}
	stored, replayed, err := s.appendChecked(r.Context(), r, rec, r.Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	return s.writeDecision(w, r, stored, replayed)
}

// AffiliateStatusOutput is the answer to GET /api/v1/affiliates/status.
type AffiliateStatusOutput struct {
	Licensee  string `json:"licensee"`
	Affiliate string `json:"affiliate"`
	Product   string `json:"product"`
	eula.Status
}

// apiAffiliateStatus answers GET
// /api/v1/affiliates/status?licensee=L&affiliate=A&product=P: has affiliate
// A of licensee L accepted the EULA in force for P? Names are matched
// ignoring case and repeated spaces. It reveals no personal data.
func (s *Server) apiAffiliateStatus(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	licensee, affiliate, product := q.Get("licensee"), q.Get("affiliate"), q.Get("product")
	if licensee == "" || affiliate == "" || product == "" {
		return fmt.Errorf("give licensee, affiliate and product: %w", eula.ErrInvalid)
	}
	p, err := eula.ProductByKey(product)
	if err != nil {
		return err
	}
	if !eula.GrantsAffiliates(p) {
		return fmt.Errorf("only licensees of XProtect Corporate, Expert or Professional+ grant affiliates access, not of %s: %w", p.Name, eula.ErrInvalid)
	}
	hist, err := s.store.Latest(r.Context(), eula.AffiliateKey(licensee, affiliate), product)
	if err != nil {
		return fmt.Errorf("affiliate status: %w", err)
	}
	st := eula.AffiliateStatus(hist, licensee, affiliate, s.lib.Latest(eula.DocEULA), s.stillValid())
	writeJSON(w, http.StatusOK, AffiliateStatusOutput{Licensee: licensee, Affiliate: affiliate, Product: product, Status: st})
	return nil
}
