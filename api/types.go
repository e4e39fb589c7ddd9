package api

import (
	"encoding/json"
	"net/url"
	"strconv"
	"time"
)

// This file holds the bodies of the API's requests and answers (the View
// is in view.go). Field names and tags are the wire format: the server's
// answers decode into these types without loss (web's contract test), and
// the OpenAPI document describes the same fields (its test).
//
// Receipts are carried as json.RawMessage: package eula owns their format
// and verifies them (eula.DecodeReceipt, eula.VerifyReceipt).

// Values of the decision of a record.
const (
	DecisionAccepted = "accepted"
	DecisionDeclined = "declined"
)

// Roles of whoever decides (DecisionRequest.Role,
// DealerAcceptanceRequest.Role, Attribution.Role).
const (
	RoleEndUser       = "end-user"
	RoleDealer        = "dealer"
	RoleIntegrator    = "integrator"
	RoleAdministrator = "administrator"
	RoleDelegated     = "delegated"
)

// Channels a decision is collected by (DecisionRequest.Channel).
const (
	ChannelInstaller  = "installer"
	ChannelFirstBoot  = "first-boot"
	ChannelBrowser    = "browser"
	ChannelUnattended = "unattended-update"
)

// Person names someone who decides or is bound; every field is optional.
type Person struct {
	Name         string `json:"name,omitempty"`
	Email        string `json:"email,omitempty"`
	Organization string `json:"organization,omitempty"`
}

// DocumentRef names a document version and language. In requests, empty
// fields mean the EULA (ID), the version in force (Version) and English
// (Language), except in DecisionRequest, which names what was shown.
type DocumentRef struct {
	ID       string `json:"id,omitempty"`
	Version  string `json:"version,omitempty"`
	Language string `json:"language,omitempty"`
}

// InstallerRef names the installer that asked (its product and version)
// and the installation (MachineID).
type InstallerRef struct {
	MachineID string `json:"machine_id,omitempty"`
	Product   string `json:"product,omitempty"`
	Version   string `json:"version,omitempty"`
}

// Health is the answer of GET PathHealth.
type Health struct {
	// Status is "ok".
	Status string `json:"status"`
	// Version is the build hash.
	Version string `json:"version"`
}

// ViewRequest is the query of GET PathView.
type ViewRequest struct {
	// Query is the viewer's URL parameters.
	Query Query
	// Prefer is the browser's navigator.languages, comma-separated, when
	// they differ from its Accept-Language header: they choose the
	// language instead.
	Prefer string
}

// Values returns the URL parameters of r.
func (r ViewRequest) Values() url.Values {
	v := r.Query.Values()
	if r.Prefer != "" {
		v.Set("prefer", r.Prefer)
	}
	return v
}

// DecisionRequest is the body of POST PathDecisions: a reader's decision
// on the document shown.
type DecisionRequest struct {
	// Decision is DecisionAccepted or DecisionDeclined.
	Decision string `json:"decision"`
	// Document is the document version and language shown; ID defaults to
	// the EULA.
	Document DocumentRef `json:"document"`
	// Product is the product key from the catalog.
	Product string `json:"product"`
	// Installer is the installer that asked and the installation.
	Installer InstallerRef `json:"installer"`
	// Role and Channel default to RoleEndUser and to ChannelInstaller (with
	// a machine id) or ChannelBrowser; ChannelFirstBoot in kiosk mode.
	Role    string `json:"role,omitempty"`
	Channel string `json:"channel,omitempty"`
	// Actor is who decided; Bound the party bound where it differs.
	Actor *Person `json:"actor,omitempty"`
	Bound *Person `json:"bound,omitempty"`
	// RegisterConsent is the optional consent to register end-user data.
	RegisterConsent *bool `json:"register_consent,omitempty"`
	// Session is the gate's one-time token from the page's URL (Query's
	// Session), if any.
	Session string `json:"session,omitempty"`
}

// DecisionResponse is the answer to a recorded decision (POST
// PathDecisions, POST PathAffiliateAcceptances): 201, or 200 when an
// Idempotency-Key replayed an earlier request.
type DecisionResponse struct {
	ID       string `json:"id"`
	Decision string `json:"decision"`
	Index    int64  `json:"index"`
	Replayed bool   `json:"replayed,omitempty"`
	// Receipt is the record's receipt, without personal data.
	Receipt json.RawMessage `json:"receipt"`
}

// States of an installation (Status.State).
const (
	StateNone            = "none"
	StateAccepted        = "accepted"
	StateReacceptanceDue = "reacceptance-due"
	StateDeclined        = "declined"
)

// StatusQuery is the query of GET PathStatus.
type StatusQuery struct {
	// Installer is the installation id; Product the product key.
	Installer, Product string
}

// Values returns the URL parameters of q.
func (q StatusQuery) Values() url.Values {
	return url.Values{"installer": {q.Installer}, "product": {q.Product}}
}

// Status is the answer of GET PathStatus: has the installation accepted
// the version in force? It holds no personal data.
type Status struct {
	// State is one of the State constants.
	State string `json:"state"`
	// CurrentVersion is the document version in force.
	CurrentVersion string `json:"current_version"`
	// Version is the document version of the deciding record, if any.
	Version string `json:"version,omitempty"`
	// RecordID, Index and Time identify the deciding record, if any.
	RecordID string     `json:"record_id,omitempty"`
	Index    int64      `json:"index,omitempty"`
	Time     *time.Time `json:"time,omitempty"`
}

// AttestationQuery is the query of GET PathAttestation: a gate asks, with
// a fresh nonce, for the latest decision of an installation, signed.
type AttestationQuery struct {
	// Installer is the installation id; Product the product key.
	Installer, Product string
	// Nonce is the gate's fresh random value (16 to 128 base64url
	// characters), bound into the signed statement.
	Nonce string
	// Session is the gate's kiosk session token, if it waits for one.
	Session string
}

// Values returns the URL parameters of q.
func (q AttestationQuery) Values() url.Values {
	v := url.Values{"installer": {q.Installer}, "product": {q.Product}, "nonce": {q.Nonce}}
	if q.Session != "" {
		v.Set("session", q.Session)
	}
	return v
}

// Attestation is the answer of GET PathAttestation (package eula's
// Attestation): a status statement signed with the log's key, bound to
// the nonce, and the receipt of the record it names.
type Attestation struct {
	// Statement is the signed note (see package eula's Statement).
	Statement string `json:"statement"`
	// Receipt is the receipt of the statement's record, if any.
	Receipt json.RawMessage `json:"receipt,omitempty"`
}

// ConsistencyQuery is the query of GET PathLogConsistency: two tree
// sizes, Old <= New <= the latest checkpoint's size.
type ConsistencyQuery struct {
	Old, New int64
}

// Values returns the URL parameters of q.
func (q ConsistencyQuery) Values() url.Values {
	return url.Values{"old": {strconv.FormatInt(q.Old, 10)}, "new": {strconv.FormatInt(q.New, 10)}}
}

// ConsistencyProof is the answer of GET PathLogConsistency (package
// translog's ConsistencyProof): the proof that the tree of New entries
// extends the tree of Old entries, as base64 hashes.
type ConsistencyProof struct {
	Old   int64    `json:"old"`
	New   int64    `json:"new"`
	Proof []string `json:"proof"`
}

// ChainResponse is the answer of GET PathChain.
type ChainResponse struct {
	// Chain holds the receipt of the record asked for, then the receipts of
	// the records it derives from, transitively; without personal data.
	Chain []json.RawMessage `json:"chain"`
	// Check is, for a delegated record, "ok" if its chain justifies it or
	// why not.
	Check string `json:"check,omitempty"`
}

// RecordsQuery is the query of GET PathRecords (administrator): the
// export's format ("jsonl", the default, or "csv") and filters; Since and
// Until are RFC 3339 times or YYYY-MM-DD dates.
type RecordsQuery struct {
	Format, Product, Version, Role, Decision, Since, Until string
}

// Values returns the URL parameters of q, leaving out empty ones.
func (q RecordsQuery) Values() url.Values {
	v := url.Values{}
	for _, p := range []struct{ name, value string }{
		{"format", q.Format}, {"product", q.Product}, {"version", q.Version}, {"role", q.Role},
		{"decision", q.Decision}, {"since", q.Since}, {"until", q.Until},
	} {
		if p.value != "" {
			v.Set(p.name, p.value)
		}
	}
	return v
}

// SubjectQuery is the query of GET PathSubjects (administrator).
type SubjectQuery struct {
	// Email is the person's e-mail address.
	Email string
}

// Values returns the URL parameters of q.
func (q SubjectQuery) Values() url.Values { return url.Values{"email": {q.Email}} }

// SubjectExport is the answer of GET PathSubjects: everything held about
// one person, for access and portability requests.
type SubjectExport struct {
	// Email is the address asked for, normalized.
	Email string `json:"email"`
	// Exported is when the export was made.
	Exported time.Time `json:"exported"`
	// Records are the records naming the person, with their personal data
	// (package eula's Record).
	Records []json.RawMessage `json:"records"`
}

// EraseRequest is the body of POST PathErase (administrator).
type EraseRequest struct {
	Email string `json:"email"`
}

// EraseResponse is the answer of POST PathErase: the ids of the records
// whose personal data was erased.
type EraseResponse struct {
	Erased []string `json:"erased"`
}

// AdminAcceptanceRequest is the body of POST PathAdminAcceptances
// (administrator): the system administrator accepts the XProtect Update
// Manager terms for a set of remote computers.
type AdminAcceptanceRequest struct {
	// Administrator is the system administrator who accepts.
	Administrator Person `json:"administrator"`
	// Document is the document accepted; defaults to the EULA in force, in
	// English.
	Document DocumentRef `json:"document"`
	// Computers are the installation ids of the remote computers.
	Computers []string `json:"computers"`
}

// AdminAcceptanceResponse is the answer of POST PathAdminAcceptances: one
// record per computer.
type AdminAcceptanceResponse struct {
	Acceptances []AdminAcceptance `json:"acceptances"`
}

// AdminAcceptance is the record made for one computer.
type AdminAcceptance struct {
	Computer string `json:"computer"`
	ID       string `json:"id"`
	Index    int64  `json:"index"`
	Replayed bool   `json:"replayed,omitempty"`
}

// DelegationRequest is the body of POST PathDelegations (administrator):
// Update Manager installs or updates a product unattended on computers.
type DelegationRequest struct {
	// Product is the key of the product installed or updated; Version its
	// version.
	Product string `json:"product"`
	Version string `json:"version"`
	// Document is the document accepted on the users' behalf; defaults to
	// the EULA in force.
	Document DocumentRef `json:"document"`
	// Computers are the installation ids updated.
	Computers []string `json:"computers"`
}

// Results of one computer in a delegation (DelegationResult.Result).
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

// DelegationResponse is the answer of POST PathDelegations: what happened
// for each computer.
type DelegationResponse struct {
	Product         string             `json:"product"`
	Version         string             `json:"version"`
	DocumentVersion string             `json:"document_version"`
	Results         []DelegationResult `json:"results"`
}

// DelegationResult is what happened for one computer.
type DelegationResult struct {
	Computer string `json:"computer"`
	// Result is one of the Result constants.
	Result string `json:"result"`
	// Reason says why not, for ResultPromptUser and ResultInvalid:
	// "first-install", "no-assignment", "no-administrator", "not-covered"
	// or "invalid".
	Reason string `json:"reason,omitempty"`
	// Message says why not, in English.
	Message string `json:"message,omitempty"`
	// ID is the delegated record (new or earlier); DerivedFrom its chain.
	ID          string   `json:"id,omitempty"`
	Index       int64    `json:"index,omitempty"`
	DerivedFrom []string `json:"derived_from,omitempty"`
}

// DealerAcceptanceRequest is the body of POST PathDealerAcceptances: a
// dealer or integrator accepts on a named customer's behalf before
// purchase.
type DealerAcceptanceRequest struct {
	// Role is RoleDealer (default) or RoleIntegrator.
	Role     string      `json:"role,omitempty"`
	Dealer   Person      `json:"dealer"`
	Customer Person      `json:"customer"`
	Product  string      `json:"product"`
	Document DocumentRef `json:"document"`
	// CustomerAccepted states that the dealer has the customer's
	// acceptance; ReturnRightUnderstood acknowledges that acceptance
	// before purchase ends the 30-day return right.
	CustomerAccepted      bool  `json:"customer_accepted"`
	ReturnRightUnderstood bool  `json:"return_right_understood"`
	RegisterConsent       *bool `json:"register_consent,omitempty"`
}

// DealerResponse is the answer to a dealer's acceptance and to an end
// user's confirmation of it.
type DealerResponse struct {
	ID          string      `json:"id"`
	Reference   string      `json:"reference"`
	Attribution Attribution `json:"attribution"`
	Replayed    bool        `json:"replayed,omitempty"`
	// Receipt is the record's receipt, without personal data.
	Receipt json.RawMessage `json:"receipt"`
}

// Attribution is who accepted for whom, when: the answer of GET
// PathReference. It names organisations only, never people.
type Attribution struct {
	// Reference is the dealer's reference code.
	Reference       string `json:"reference"`
	RecordID        string `json:"record_id"`
	Role            string `json:"role"`
	Product         string `json:"product"`
	DocumentVersion string `json:"document_version"`
	// Dealer and Customer are the organisations; empty once erased.
	Dealer   string `json:"dealer,omitempty"`
	Customer string `json:"customer,omitempty"`
	// Date is the day of the acceptance, UTC, as YYYY-MM-DD.
	Date   string `json:"date"`
	Erased bool   `json:"erased,omitempty"`
	// Text is the attribution as a sentence, in English.
	Text string `json:"text"`
}

// ConfirmationRequest is the body of POST PathConfirmations: the end user
// confirms, at the appliance's first boot, the acceptance a dealer made
// before purchase.
type ConfirmationRequest struct {
	Product   string                `json:"product"`
	Installer ConfirmationInstaller `json:"installer"`
	Document  DocumentRef           `json:"document"`
	Actor     *Person               `json:"actor,omitempty"`
	// Session is the gate's one-time token from the page's URL, if any.
	Session string `json:"session,omitempty"`
	// Decision is DecisionAccepted (default) or DecisionDeclined.
	Decision string `json:"decision,omitempty"`
}

// ConfirmationInstaller names the installation that confirms and the
// version of its installer.
type ConfirmationInstaller struct {
	MachineID string `json:"machine_id"`
	Version   string `json:"version,omitempty"`
}

// AffiliateAcceptanceRequest is the body of POST PathAffiliateAcceptances:
// an affiliated company of a licensee submits to the EULA.
type AffiliateAcceptanceRequest struct {
	Licensee  string      `json:"licensee"`
	Affiliate string      `json:"affiliate"`
	Actor     Person      `json:"actor"`
	Product   string      `json:"product"`
	Document  DocumentRef `json:"document"`
	// Decision is DecisionAccepted (default) or DecisionDeclined.
	Decision string `json:"decision,omitempty"`
}

// AffiliateStatusQuery is the query of GET PathAffiliateStatus.
type AffiliateStatusQuery struct {
	Licensee, Affiliate, Product string
}

// Values returns the URL parameters of q.
func (q AffiliateStatusQuery) Values() url.Values {
	return url.Values{"licensee": {q.Licensee}, "affiliate": {q.Affiliate}, "product": {q.Product}}
}

// AffiliateStatus is the answer of GET PathAffiliateStatus: has the
// affiliate of the licensee accepted the version in force?
type AffiliateStatus struct {
	Licensee  string `json:"licensee"`
	Affiliate string `json:"affiliate"`
	Product   string `json:"product"`
	Status
}
