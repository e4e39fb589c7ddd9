package app

import "github.com/eulagate/eulagate/api"

// Labels are the interface strings of one language, by message key (see
// locales/ui/en.json for the keys), with Get and Format. They travel in the
// View, so package api defines them.
type Labels = api.Labels
