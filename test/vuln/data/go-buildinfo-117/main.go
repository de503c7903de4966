package main

import (
	"fmt"

	"golang.org/x/mod/semver"
)

func main() { fmt.Println(semver.Compare("v1.0.0", "v1.1.0")) }
