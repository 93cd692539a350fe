#include <cstdio>
int main() { long long x; if (scanf("%lld", &x) != 1) return 1; printf("%lld\n", 2 * x); }
