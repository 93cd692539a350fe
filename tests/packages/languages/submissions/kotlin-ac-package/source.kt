// A package line: the file class is solution.aplusb.MainKt, not MainKt.
package solution.aplusb

fun main() {
    val (a, b) = readLine()!!.trim().split(Regex("\\s+")).map { it.toLong() }
    println(a + b)
}
