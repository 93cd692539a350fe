fun main() {
    val xs = ArrayList<LongArray>()
    while (true) xs.add(LongArray(1 shl 16))
}
