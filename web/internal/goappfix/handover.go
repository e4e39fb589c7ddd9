package goappfix

import (
	"crypto/rand"
	"sync"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	ui "github.com/eulagate/eulagate/app"
)

// viewParam carries, in the URL that go-app's prerendering sees, the token
// of the View that ServePage was given for that request: go-app's
// server-side action handlers see the page's URL but not the request.
const viewParam = "_view"

// pendingViews holds the Views of the pages being prerendered, by token.
type pendingViews struct{ m sync.Map }

// pending is process-wide, as go-app's action handlers are.
var pending pendingViews

// put keeps v until del and returns its token: 130 random bits.
func (p *pendingViews) put(v ui.View) string {
	t := rand.Text()
	p.m.Store(t, v)
	return t
}

func (p *pendingViews) get(token string) (ui.View, bool) {
	v, ok := p.m.Load(token)
	if !ok {
		return ui.View{}, false
	}
	return v.(ui.View), true
}

func (p *pendingViews) del(token string) { p.m.Delete(token) }

// publish answers ActionLoad during server-side prerendering: it publishes
// the View that ServePage was given for the page, with the page's language
// and title.
func publish(ctx app.Context, a app.Action) {
	v, ok := pending.get(ctx.Page().URL().Query().Get(viewParam))
	if !ok {
		return
	}
	ctx.Page().SetLang(v.Lang)
	if v.Title != "" {
		ctx.Page().SetTitle(v.Title)
	}
	ctx.SetState(ui.StateView, v)
}
