fun main() {
    var x = 0L
    while (x >= 0) x = (x * 31 + 7) % 1000003
    println(x)
}
