#include <cstdio>
int main() { int n; long long p = 1, x; if (scanf("%d", &n) != 1) return 1; while (n--) { if (scanf("%lld", &x) != 1) return 1; p *= x; } printf("%lld\n", p * 7); }
