#include <cstdio>
#include <ctime>

// The same 2 s of CPU in C++, whose time factor this problem leaves alone: over the 1 s limit.
int main() {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    while (clock() < 2 * CLOCKS_PER_SEC) {
    }
    printf("%lld\n", a + b);
}
