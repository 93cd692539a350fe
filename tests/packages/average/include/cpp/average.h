#include <vector>
inline double average(const std::vector<long long> &values) {
    long double sum = 0;
    for (long long v : values) sum += v;
    return (double)(sum / values.size());
}
