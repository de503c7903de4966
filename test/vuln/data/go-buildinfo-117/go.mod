module example.com/kubeharden-buildinfo-117

go 1.17

require golang.org/x/mod v0.5.1

replace golang.org/x/mod => golang.org/x/mod v0.4.2
