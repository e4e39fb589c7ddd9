package api_test

import (
	"testing"

	"github.com/eulagate/eulagate/api"
	"github.com/eulagate/eulagate/eula"
)

// TestValuesMatchEula: the wire values of package api are the domain's.
// Package api does not import eula (the wasm links api), so the values are
// written twice, and this test keeps them equal.
func TestValuesMatchEula(t *testing.T) {
	for _, test := range []struct{ api, eula string }{
		{api.DecisionAccepted, string(eula.Accepted)},
		{api.DecisionDeclined, string(eula.Declined)},
		{api.RoleEndUser, string(eula.RoleEndUser)},
		{api.RoleDealer, string(eula.RoleDealer)},
		{api.RoleIntegrator, string(eula.RoleIntegrator)},
		{api.RoleAdministrator, string(eula.RoleAdministrator)},
		{api.RoleDelegated, string(eula.RoleDelegated)},
		{api.ChannelInstaller, string(eula.ChannelInstaller)},
		{api.ChannelFirstBoot, string(eula.ChannelFirstBoot)},
		{api.ChannelBrowser, string(eula.ChannelBrowser)},
		{api.ChannelUnattended, string(eula.ChannelUnattended)},
		{api.StateNone, string(eula.StateNone)},
		{api.StateAccepted, string(eula.StateAccepted)},
		{api.StateReacceptanceDue, string(eula.StateReacceptanceDue)},
		{api.StateDeclined, string(eula.StateDeclined)},
	} {
		if test.api != test.eula {
			t.Errorf("api has %q where eula has %q", test.api, test.eula)
		}
	}
}
