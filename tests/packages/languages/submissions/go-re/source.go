package main

import "fmt"

func main() {
	var a, b int64
	fmt.Scan(&a, &b)
	xs := []int64{a, b}
	fmt.Println(xs[a+b])
}
