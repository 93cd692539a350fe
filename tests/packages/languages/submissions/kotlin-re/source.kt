fun main() {
    val (a, b) = readLine()!!.trim().split(Regex("\\s+")).map { it.toLong() }
    val xs = longArrayOf(a, b)
    println(xs[(a + b).toInt()])
}
