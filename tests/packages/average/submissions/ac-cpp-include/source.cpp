#include <cstdio>
#include "average.h"
int main() {
    int n; if (scanf("%d", &n) != 1) return 1;
    std::vector<long long> v(n);
    for (auto &x : v) if (scanf("%lld", &x) != 1) return 1;
    printf("%.9f\n", average(v));
}
