// A new far larger than any machine: std::bad_alloc, uncaught, aborts the program. Its runtime ran out of memory: MLE.
#include <cstdio>
#include <cstring>
int main() {
    long long a, b;
    if (std::scanf("%lld %lld", &a, &b) != 2) return 1;
    size_t n = (size_t)(a + b) << 45; // 3 << 45 = 96 TiB for the sample
    char *p = new char[n];
    std::memset(p, 1, n);
    std::printf("%d\n", p[n - 1]);
}
