package main

func main() {
	var xs [][]byte
	for {
		b := make([]byte, 1<<20)
		for i := range b {
			b[i] = 1
		}
		xs = append(xs, b)
	}
}
