/* Finds the secret, gets accepted, then exits with code 3: the interactor accepted, but the submission failed: RE. */
#include <stdio.h>
#include <string.h>
int main(void) {
    long long lo = 1, hi;
    if (scanf("%lld", &hi) != 1) return 1;
    while (lo < hi) {
        long long mid = lo + (hi - lo) / 2;
        char reply[4];
        printf("? %lld\n", mid);
        fflush(stdout);
        if (scanf("%3s", reply) != 1) return 1;
        if (strcmp(reply, "=") == 0) { lo = hi = mid; break; }
        if (strcmp(reply, "<") == 0) hi = mid - 1; else lo = mid + 1;
    }
    printf("! %lld\n", lo);
    fflush(stdout);
    return 3;
}
