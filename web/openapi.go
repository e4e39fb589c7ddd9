package web

import (
	_ "embed"
	"net/http"
)

// openAPI is the OpenAPI 3.1 description of the HTTP API, served at
// /api/v1/openapi.json. TestOpenAPICoversRoutes keeps it in step with the
// routes.
//
//go:embed openapi.json
var openAPI []byte

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(openAPI) // a failed write means the client went away
}
