package eula

import (
	"context"
	"errors"
	"fmt"
)

// ProductUpdateManager is the catalog key of XProtect Update Manager, whose
// terms a system administrator accepts to update remote computers
// unattended.
const ProductUpdateManager = "update-manager"

// MaxComputers bounds the computers of one administrator acceptance or one
// delegation request.
const MaxComputers = 1000

// MaxChainLen bounds the records Chain follows from one record.
const MaxChainLen = 32

// VersionUnspecified stands for an installer version nobody gave.
const VersionUnspecified = "unspecified"

// Why a delegated acceptance is refused. Each wraps ErrForbidden, except
// ErrAlreadyRecorded, which wraps ErrConflict; RefusalCode names them.
var (
	// ErrFirstInstall: the computer has no decision about the product at
	// all, so this is a first installation, which delegation does not
	// cover: the computer's user must be prompted.
	ErrFirstInstall = fmt.Errorf("first installation of the product on this computer: its user must be prompted: %w", ErrForbidden)
	// ErrNoAssignment: the computer has decisions about the product, but
	// its user's latest own decision is not an acceptance, so nobody
	// assigned acceptance of later versions to the administrator.
	ErrNoAssignment = fmt.Errorf("no earlier direct acceptance on this computer assigns acceptance of updates to the system administrator: its user must be prompted: %w", ErrForbidden)
	// ErrNoAdministrator: no system administrator has accepted the XProtect
	// Update Manager terms for any computer given, or the latest such
	// decision declines.
	ErrNoAdministrator = fmt.Errorf("no system administrator has accepted the XProtect Update Manager terms for this computer: its user must be prompted: %w", ErrForbidden)
	// ErrNotCovered: an administrator accepted the Update Manager terms,
	// but not for this computer.
	ErrNotCovered = fmt.Errorf("the administrator's acceptance of the XProtect Update Manager terms does not cover this computer: its user must be prompted: %w", ErrForbidden)
	// ErrAlreadyRecorded: a delegated acceptance of this document version
	// for this installer version is already recorded.
	ErrAlreadyRecorded = fmt.Errorf("a delegated acceptance for this computer, product and version is already recorded: %w", ErrConflict)
)

// RefusalCode returns a stable code for why Delegate refused: "first-install",
// "no-assignment", "no-administrator", "not-covered", "already-recorded",
// "invalid" or, for anything else, "error".
func RefusalCode(err error) string {
	for _, c := range []struct {
		err  error
		code string
	}{
		{ErrFirstInstall, "first-install"},
		{ErrNoAssignment, "no-assignment"},
		{ErrNoAdministrator, "no-administrator"},
		{ErrNotCovered, "not-covered"},
		{ErrAlreadyRecorded, "already-recorded"},
		{ErrInvalid, "invalid"},
		{ErrNotFound, "invalid"},
	} {
		if errors.Is(err, c.err) {
			return c.code
		}
	}
	return "error"
}

// AdminAcceptance returns the records of a system administrator accepting
// the XProtect Update Manager terms (clause 3: who installs or updates remote
// computers with it is their system administrator and answers for their
// users' acceptance) for a set of remote computers: one record per computer,
// Role RoleAdministrator, Product ProductUpdateManager, Channel ChannelAPI,
// the computer as the installation. One record per computer keeps the set
// in the log leaf without a new field, lets the store find a computer's
// administrator with Store.Latest, and lets a later decline for one computer
// withdraw only that one.
//
// doc is the document shown (its hashes are filled in by the caller's
// catalog check). The administrator must be named. Errors wrap ErrInvalid
// and name the field.
func AdminAcceptance(admin Person, doc Shown, computers []string) ([]Record, error) {
	if admin.Name == "" && admin.Email == "" {
		return nil, fmt.Errorf("administrator: give the name or e-mail address of the system administrator who accepts: %w", ErrInvalid)
	}
	if len(computers) == 0 {
		return nil, fmt.Errorf("computers: give at least one installation id: %w", ErrInvalid)
	}
	if len(computers) > MaxComputers {
		return nil, fmt.Errorf("computers: more than %d in one request: %w", MaxComputers, ErrInvalid)
	}
	var v validator
	v.person("administrator", admin)
	if v.err != nil {
		return nil, v.err
	}
	if doc.ID == "" {
		doc.ID = DocEULA
	}
	seen := make(map[string]bool, len(computers))
	recs := make([]Record, 0, len(computers))
	for i, c := range computers {
		v.token(fmt.Sprintf("computers[%d]", i), c, MaxMachineIDLen, true)
		if v.err != nil {
			return nil, v.err
		}
		if seen[c] {
			return nil, fmt.Errorf("computers[%d]: %q given twice: %w", i, c, ErrInvalid)
		}
		seen[c] = true
		r := Record{
			Installer: Installer{Product: ProductUpdateManager, Version: VersionUnspecified, MachineID: c},
			Product:   ProductUpdateManager,
			Document:  doc,
			Decision:  Accepted,
			Role:      RoleAdministrator,
			Channel:   ChannelAPI,
			Personal:  &Personal{Actor: admin},
		}
		recs = append(recs, r)
	}
	return recs, nil
}

// Delegation is one unattended installation or update by XProtect Update
// Manager that needs an acceptance.
type Delegation struct {
	// Computer is the installation (machine id) updated.
	Computer string
	// Product is the key of the product installed or updated.
	Product string
	// Version is the version of the product installed; empty means
	// VersionUnspecified.
	Version string
	// Document is the document in force that is accepted on the user's
	// behalf: ID and Version (hashes are filled in by the caller's catalog
	// check). An empty Language takes that of the user's own acceptance.
	Document Shown
}

// Delegate applies the rule of "Acceptance of Unattended Remote Updating"
// and Update Manager clause 3 to one computer. admin is the computer's
// history for ProductUpdateManager (the administrator's acceptances), history
// its history for d.Product; both in any order, as Store.Latest returns
// them (the latest record of each kind is all Delegate looks at).
//
// It returns the delegated record to append (Role RoleDelegated, Channel
// ChannelUnattended, DerivedFrom the administrator's latest acceptance and
// the computer's latest direct acceptance, which carried the assignment) or
// an error saying why not: ErrFirstInstall, ErrNoAssignment,
// ErrNoAdministrator, ErrNotCovered (all wrapping ErrForbidden: the user
// must be prompted), ErrAlreadyRecorded, or ErrInvalid. Delegate is pure.
func Delegate(d Delegation, admin, history []Record) (Record, error) {
	if d.Version == "" {
		d.Version = VersionUnspecified
	}
	if d.Document.ID == "" {
		d.Document.ID = DocEULA
	}
	var v validator
	v.token("computer", d.Computer, MaxMachineIDLen, true)
	v.token("product", d.Product, MaxProductKeyLen, true)
	v.token("version", d.Version, MaxInstallerVersionLen, true)
	v.token("document.version", d.Document.Version, MaxDocVersionLen, true)
	if v.err != nil {
		return Record{}, v.err
	}
	if d.Product == ProductUpdateManager {
		return Record{}, fmt.Errorf("product: the Update Manager terms are accepted by the administrator, not delegated: %w", ErrInvalid)
	}
	// The computer's own decisions about the product.
	var mine []Record
	for _, r := range history {
		if r.Installer.MachineID == d.Computer && r.Product == d.Product {
			mine = append(mine, r)
		}
	}
	if len(mine) == 0 {
		return Record{}, fmt.Errorf("%s on %s: %w", d.Product, d.Computer, ErrFirstInstall)
	}
	// The same update delegated before counts only while it still decides
	// the computer's status: after a later decline by the user, the rules
	// below apply afresh.
	if last := latest(mine, func(*Record) bool { return true }); last.Role == RoleDelegated && last.Decision == Accepted &&
		last.Installer.Version == d.Version && last.Document.ID == d.Document.ID && last.Document.Version == d.Document.Version {
		return *last, fmt.Errorf("%s %s on %s (record %s): %w", d.Product, d.Version, d.Computer, last.ID, ErrAlreadyRecorded)
	}
	direct := latest(mine, func(r *Record) bool { return r.Role != RoleDelegated && r.Role != RoleAdministrator })
	if direct == nil || direct.Decision != Accepted {
		return Record{}, fmt.Errorf("%s on %s: %w", d.Product, d.Computer, ErrNoAssignment)
	}
	isAdmin := func(r *Record) bool {
		return r.Role == RoleAdministrator && r.Product == ProductUpdateManager && r.Channel == ChannelAPI
	}
	if latest(admin, isAdmin) == nil {
		return Record{}, fmt.Errorf("%s: %w", d.Computer, ErrNoAdministrator)
	}
	adm := latest(admin, func(r *Record) bool { return isAdmin(r) && r.Installer.MachineID == d.Computer })
	switch {
	case adm == nil:
		return Record{}, fmt.Errorf("%s: %w", d.Computer, ErrNotCovered)
	case adm.Decision != Accepted:
		return Record{}, fmt.Errorf("%s: the administrator's latest decision (record %s) declines: %w", d.Computer, adm.ID, ErrNoAdministrator)
	}
	doc := d.Document
	if doc.Language == "" {
		doc.Language = direct.Document.Language
	}
	return Record{
		Installer:   Installer{Product: d.Product, Version: d.Version, MachineID: d.Computer},
		Product:     d.Product,
		Document:    doc,
		Decision:    Accepted,
		Role:        RoleDelegated,
		Channel:     ChannelUnattended,
		DerivedFrom: []string{adm.ID, direct.ID},
	}, nil
}

// latest returns the record with the highest log index among those keep
// accepts, or nil.
func latest(recs []Record, keep func(*Record) bool) *Record {
	var best *Record
	for i := range recs {
		if keep(&recs[i]) && (best == nil || recs[i].Index > best.Index) {
			best = &recs[i]
		}
	}
	return best
}

// Chain returns the record with the given id followed by every record it
// derives from, transitively, breadth first, each once: for a delegated
// acceptance, the delegated record, the administrator's acceptance and the
// user's acceptance that carried the assignment; for a first-boot
// confirmation, the confirmation and the dealer's acceptance. It stops after
// MaxChainLen records. Records keep their personal data (as Store.Get
// returns them); strip it with WithoutPersonal before showing them to
// anyone but an administrator. Errors: ErrNotFound for the first id; a link
// that is missing is an error wrapping ErrNotFound that names it.
func Chain(ctx context.Context, s Store, id string) ([]Record, error) {
	first, err := s.Get(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("chain of %s: %w", id, err)
	}
	out := []Record{first}
	seen := map[string]bool{first.ID: true}
	for i := 0; i < len(out); i++ {
		for _, next := range out[i].DerivedFrom {
			if seen[next] {
				continue
			}
			if len(out) == MaxChainLen {
				return out, nil
			}
			seen[next] = true
			r, err := s.Get(ctx, next)
			if err != nil {
				return nil, fmt.Errorf("chain of %s: record %s derives from %s: %w", id, out[i].ID, next, err)
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// CheckDelegation checks, as an auditor would, that a delegated record is
// justified by the records it derives from (as Chain returns them): an
// acceptance by the system administrator of the Update Manager terms for
// the same computer, and an earlier direct acceptance of the same product
// on that computer, both logged before it. It returns nil or an error
// wrapping ErrForbidden that says which link fails.
func CheckDelegation(d Record, derived []Record) error {
	if d.Role != RoleDelegated {
		return fmt.Errorf("record %s is not delegated (role %s): %w", d.ID, d.Role, ErrInvalid)
	}
	byID := make(map[string]*Record, len(derived))
	for i := range derived {
		byID[derived[i].ID] = &derived[i]
	}
	var admin, direct *Record
	for _, id := range d.DerivedFrom {
		r := byID[id]
		switch {
		case r == nil:
			return fmt.Errorf("record %s derives from %s, which is not given: %w", d.ID, id, ErrNotFound)
		case r.Index >= d.Index:
			return fmt.Errorf("record %s derives from the later record %s: %w", d.ID, id, ErrForbidden)
		case r.Installer.MachineID != d.Installer.MachineID:
			return fmt.Errorf("record %s derives from %s, made on another computer: %w", d.ID, id, ErrForbidden)
		case r.Decision != Accepted:
			return fmt.Errorf("record %s derives from %s, which declines: %w", d.ID, id, ErrForbidden)
		case r.Role == RoleAdministrator && r.Product == ProductUpdateManager && r.Channel == ChannelAPI:
			admin = r
		case r.Role != RoleDelegated && r.Role != RoleAdministrator && r.Product == d.Product:
			direct = r
		}
	}
	if admin == nil {
		return fmt.Errorf("record %s: %w", d.ID, ErrNoAdministrator)
	}
	if direct == nil {
		return fmt.Errorf("record %s: %w", d.ID, ErrNoAssignment)
	}
	return nil
}
