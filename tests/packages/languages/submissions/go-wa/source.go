// 32-bit sums: wrong once the sum passes 2^31 - 1.
package main

import "fmt"

func main() {
	var a, b int32
	fmt.Scan(&a, &b)
	fmt.Println(a + b)
}
