// Touches 200 MiB of a 256 MiB limit: within the limit, so accepted (the peak is reported, about 200 MiB).
#include <cstdio>
#include <cstring>
#include <vector>
int main() {
    std::vector<char> block(200u << 20);
    std::memset(block.data(), 1, block.size());
    long long a, b, sum = 0;
    for (size_t i = 0; i < block.size(); i += 4096) sum += block[i];
    if (std::scanf("%lld %lld", &a, &b) != 2 || sum == 0) return 1;
    std::printf("%lld\n", a + b);
}
