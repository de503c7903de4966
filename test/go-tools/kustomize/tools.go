//go:build tools

// Package tools pins the kustomize CLI module so `go build sigs.k8s.io/kustomize/kustomize/v5` builds the pinned release.
package tools

import _ "sigs.k8s.io/kustomize/kustomize/v5"
