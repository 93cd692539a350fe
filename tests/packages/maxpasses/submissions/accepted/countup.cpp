#include <cstdio>
int main() { long long r, v; if (scanf("%lld %lld", &r, &v) != 2) return 1; printf("%lld\n", v + r); }
