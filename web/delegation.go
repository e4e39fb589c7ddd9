package web

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"

	"github.com/eulagate/eulagate/api"
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
	m.Handle("POST "+api.PathAdminAcceptances, s.api(s.apiAdminAccept))
	m.Handle("POST "+api.PathDelegations, s.api(s.apiDelegate))
	m.Handle("GET "+api.PathChain, s.api(s.apiChain))
	m.Handle("POST "+api.PathDealerAcceptances, s.api(s.apiDealerAccept))
	m.Handle("GET "+api.PathReference, s.api(s.apiReference))
	m.Handle("POST "+api.PathConfirmations, s.api(s.apiConfirm))
	m.Handle("POST "+api.PathAffiliateAcceptances, s.api(s.apiAffiliateAccept))
	m.Handle("GET "+api.PathAffiliateStatus, s.api(s.apiAffiliateStatus))
	s.dealerRoutes(m)
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

// apiAdminAccept answers POST /api/v1/admin/acceptances (administrator):
// the system administrator accepts the XProtect Update Manager terms for a
// set of remote computers, one record per computer. With an Idempotency-Key
// header a retry records nothing new.
func (s *Server) apiAdminAccept(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireAdmin(r); err != nil {
		return err
	}
	in, err := decodeJSON[api.AdminAcceptanceRequest](r)
	if err != nil {
		return err
	}
	recs, err := s.reg.AcceptForComputers(r.Context(), eula.AdminAcceptanceRequest{
		Administrator: person(in.Administrator), Document: docRef(in.Document), Computers: in.Computers,
	}, origin(r), r.Header.Get(api.HeaderIdempotencyKey))
	if err != nil {
		return err
	}
	out := api.AdminAcceptanceResponse{Acceptances: make([]api.AdminAcceptance, 0, len(recs))}
	for _, a := range recs {
		out.Acceptances = append(out.Acceptances, api.AdminAcceptance{Computer: a.Record.Installer.MachineID, ID: a.Record.ID, Index: a.Record.Index, Replayed: a.Replayed})
	}
	s.log.InfoContext(r.Context(), "administrator accepted the Update Manager terms", "computers", len(recs))
	writeJSON(w, http.StatusCreated, out)
	return nil
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
	in, err := decodeJSON[api.DelegationRequest](r)
	if err != nil {
		return err
	}
	rep, err := s.reg.Delegate(r.Context(), eula.DelegationRequest{
		Product: in.Product, Version: in.Version, Document: docRef(in.Document), Computers: in.Computers,
	}, origin(r))
	if err != nil {
		return err
	}
	out := api.DelegationResponse{Product: rep.Product, Version: rep.Version, DocumentVersion: rep.DocumentVersion, Results: make([]api.DelegationResult, 0, len(rep.Results))}
	for _, res := range rep.Results {
		out.Results = append(out.Results, api.DelegationResult{
			Computer: res.Computer, Result: res.Result, Reason: res.Reason, Message: res.Message,
			ID: res.Record.ID, Index: res.Record.Index, DerivedFrom: res.Record.DerivedFrom,
		})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiChain answers GET /api/v1/records/{id}/chain: for a delegated record
// its receipt, the administrator's acceptance and the user's acceptance
// that carried the assignment; for a first-boot confirmation, the dealer's
// acceptance; each a receipt that verifies offline. Like the receipt, it
// reveals no personal data.
func (s *Server) apiChain(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.reg.Chain(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	out := api.ChainResponse{Chain: make([]json.RawMessage, 0, len(rep.Chain)), Check: rep.Check}
	for _, rc := range rep.Chain {
		raw, err := rawJSON(rc)
		if err != nil {
			return err
		}
		out.Chain = append(out.Chain, raw)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiDealerAccept answers POST /api/v1/dealer/acceptances: a dealer or
// integrator accepts on a named customer's behalf before purchase (the
// preamble's note). The answer (201) carries the reference code to give the
// customer. Browsers need the page's CSRF token, as for decisions.
func (s *Server) apiDealerAccept(w http.ResponseWriter, r *http.Request) error {
	if err := s.checkBrowser(r, r.Header.Get(api.HeaderCSRFToken)); err != nil {
		return err
	}
	in, err := decodeJSON[api.DealerAcceptanceRequest](r)
	if err != nil {
		return err
	}
	rc, err := s.reg.AcceptForCustomer(r.Context(), eula.DealerRequest{
		Role: eula.Role(in.Role), Dealer: person(in.Dealer), Customer: person(in.Customer), Product: in.Product,
		Document: docRef(in.Document), CustomerAccepted: in.CustomerAccepted,
		ReturnRightUnderstood: in.ReturnRightUnderstood, RegisterConsent: in.RegisterConsent,
	}, origin(r), r.Header.Get(api.HeaderIdempotencyKey))
	if err != nil {
		return err
	}
	return s.writeDealer(w, r, rc)
}

// writeDealer answers a recorded dealer's acceptance or confirmation: 201
// (200 when replayed) with the reference, the attribution and the receipt
// without personal data.
func (s *Server) writeDealer(w http.ResponseWriter, r *http.Request, rc eula.DealerReceipt) error {
	rcpt, err := s.receipt(r, rc.Record.ID)
	if err != nil {
		return err
	}
	code := http.StatusCreated
	if rc.Replayed {
		code = http.StatusOK
	}
	writeJSON(w, code, api.DealerResponse{ID: rc.Record.ID, Reference: rc.Reference, Attribution: attribution(rc.Attribution), Replayed: rc.Replayed, Receipt: rcpt})
	return nil
}

// apiReference answers GET /api/v1/references/{code}: "accepted by <dealer>
// for <customer> on <date>". The code is the credential: whoever holds it
// (the dealer, the customer, the appliance's first-boot gate) sees the
// organisations' names, the product, the document version and the date;
// never the names or e-mail addresses of people, which only the
// administrator's export shows. Codes carry 50 random bits.
func (s *Server) apiReference(w http.ResponseWriter, r *http.Request) error {
	attr, err := s.reg.Reference(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, attribution(attr))
	return nil
}

// apiConfirm answers POST /api/v1/references/{code}/confirmations: the end
// user, shown the EULA at the appliance's first boot with the dealer's
// reference code, confirms; the record (role end-user, channel first-boot)
// derives from the dealer's acceptance and carries its reference.
func (s *Server) apiConfirm(w http.ResponseWriter, r *http.Request) error {
	if err := s.checkBrowser(r, r.Header.Get(api.HeaderCSRFToken)); err != nil {
		return err
	}
	in, err := decodeJSON[api.ConfirmationRequest](r)
	if err != nil {
		return err
	}
	if in.Session != "" {
		if err := eula.ValidNonce("session", in.Session); err != nil {
			return err
		}
	}
	decision := eula.Accepted
	switch in.Decision {
	case "", api.DecisionAccepted:
	case api.DecisionDeclined:
		decision = eula.Declined
	default:
		return fmt.Errorf("decision: choose %s or %s: %w", api.DecisionAccepted, api.DecisionDeclined, eula.ErrInvalid)
	}
	rc, err := s.reg.Confirm(r.Context(), r.PathValue("code"), eula.ConfirmationRequest{
		Decision:  decision,
		Product:   in.Product,
		Installer: eula.Installer{MachineID: in.Installer.MachineID, Version: in.Installer.Version},
		Document:  docRef(in.Document),
		Actor:     personPtr(in.Actor),
	}, origin(r), r.Header.Get(api.HeaderIdempotencyKey))
	if err != nil {
		return err
	}
	s.sessions.put(in.Session, rc.Record.ID, s.now())
	return s.writeDealer(w, r, rc)
}

// apiAffiliateAccept answers POST /api/v1/affiliates/acceptances: an
// affiliated company of a licensee of XProtect Corporate, Expert or
// Professional+ submits to the EULA ("Affiliated Companies."). The answer
// (201) is as for a decision: id and receipt without personal data.
func (s *Server) apiAffiliateAccept(w http.ResponseWriter, r *http.Request) error {
	if err := s.checkBrowser(r, r.Header.Get(api.HeaderCSRFToken)); err != nil {
		return err
	}
	in, err := decodeJSON[api.AffiliateAcceptanceRequest](r)
	if err != nil {
		return err
	}
	rec, replayed, err := s.reg.AcceptForAffiliate(r.Context(), eula.AffiliateRequest{
		Licensee: in.Licensee, Affiliate: in.Affiliate, Actor: person(in.Actor), Product: in.Product,
		Document: docRef(in.Document), Decision: eula.Decision(in.Decision),
	}, origin(r), r.Header.Get(api.HeaderIdempotencyKey))
	if err != nil {
		return err
	}
	return s.writeDecision(w, r, rec, replayed)
}

// apiAffiliateStatus answers GET
// /api/v1/affiliates/status?licensee=L&affiliate=A&product=P: has affiliate
// A of licensee L accepted the EULA in force for P? Names are matched
// ignoring case and repeated spaces. It reveals no personal data.
func (s *Server) apiAffiliateStatus(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	licensee, affiliate, product := q.Get("licensee"), q.Get("affiliate"), q.Get("product")
	st, err := s.reg.AffiliateStatus(r.Context(), licensee, affiliate, product)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.AffiliateStatus{Licensee: licensee, Affiliate: affiliate, Product: product, Status: status(st)})
	return nil
}
