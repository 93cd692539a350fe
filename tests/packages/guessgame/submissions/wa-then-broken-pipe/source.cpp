// Asks an out-of-range query: the interactor rejects and exits at once. The submission keeps writing queries without
// reading and dies of SIGPIPE; the interactor ended first with a rejection: WA, not RE.
#include <cstdio>
int main() {
    long long n;
    if (std::scanf("%lld", &n) != 1) return 1;
    for (;;) { std::printf("? 0\n"); std::fflush(stdout); }
}
