#include <stdio.h>
int main(void) {
    int n; if (scanf("%d", &n) != 1) return 1;
    double sum = 0; long long x;
    for (int i = 0; i < n; i++) { if (scanf("%lld", &x) != 1) return 1; sum += x; }
    printf("%.12e\n", sum / n);
    return 0;
}
