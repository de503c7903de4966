//go:build tools

// Package tools pins docker-credential-helpers so `go build github.com/docker/docker-credential-helpers/pass/cmd`
// builds the pinned release of the `pass` credential helper.
package tools

import _ "github.com/docker/docker-credential-helpers/pass/cmd"
