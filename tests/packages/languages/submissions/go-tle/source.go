package main

import "fmt"

func main() {
	x := uint64(1)
	for x != 0 {
		x = (x*31+7)%1000003 + 1
	}
	fmt.Println(x)
}
