module example.com/kubeharden-buildinfo

go 1.25.0

require golang.org/x/mod v0.37.0

replace golang.org/x/mod => golang.org/x/mod v0.36.0
