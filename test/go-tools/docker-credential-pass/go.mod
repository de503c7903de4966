module kubeharden.test/go-tools/docker-credential-pass

go 1.22

require github.com/docker/docker-credential-helpers v0.9.13
