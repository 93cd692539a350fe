// Right answer after spinning for about 3 s of CPU time: slower than the derived limit, well within the derivation's.
#include <chrono>
#include <cstdio>
#include <ctime>
int main() {
    long long n;
    if (scanf("%lld", &n) != 1) return 1;
    volatile unsigned long long spin = 0;
    while (std::clock() < 3 * CLOCKS_PER_SEC)
        spin = spin + 1;
    printf("%lld\n", n * (n + 1) / 2);
}
