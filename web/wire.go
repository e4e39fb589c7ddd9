package web

import (
	"encoding/json"
	"fmt"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/eula"
)

// This file turns the API's wire types (package api) into the use cases'
// inputs (package eula) and their results back into answers: the one
// place where the two meet.

func docRef(d api.DocumentRef) eula.DocumentRef {
	return eula.DocumentRef{ID: d.ID, Version: d.Version, Language: d.Language}
}

func person(p api.Person) eula.Person {
	return eula.Person{Name: p.Name, Email: p.Email, Organization: p.Organization}
}

func personPtr(p *api.Person) *eula.Person {
	if p == nil {
		return nil
	}
	q := person(*p)
	return &q
}

// decisionRequest returns the use case's input for a decision.
func decisionRequest(in api.DecisionRequest) eula.DecisionRequest {
	return eula.DecisionRequest{
		Decision:        eula.Decision(in.Decision),
		Document:        docRef(in.Document),
		Product:         in.Product,
		Installer:       eula.Installer{Product: in.Installer.Product, Version: in.Installer.Version, MachineID: in.Installer.MachineID},
		Role:            eula.Role(in.Role),
		Channel:         eula.Channel(in.Channel),
		Actor:           personPtr(in.Actor),
		Bound:           personPtr(in.Bound),
		RegisterConsent: in.RegisterConsent,
	}
}

// rawJSON encodes v for an answer that carries it as json.RawMessage.
func rawJSON(v any) (json.RawMessage, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", v, err)
	}
	return b, nil
}

// attribution returns the wire form of what a reference code reveals.
func attribution(a eula.Attribution) api.Attribution {
	return api.Attribution{
		Reference: a.Reference, RecordID: a.RecordID, Role: string(a.Role), Product: a.Product,
		DocumentVersion: a.DocumentVersion, Dealer: a.Dealer, Customer: a.Customer, Date: a.Date,
		Erased: a.Erased, Text: a.Text,
	}
}

// status returns the wire form of an installation's status.
func status(st eula.Status) api.Status {
	return api.Status{State: string(st.State), CurrentVersion: st.CurrentVersion, Version: st.Version,
		RecordID: st.RecordID, Index: st.Index, Time: st.Time}
}
