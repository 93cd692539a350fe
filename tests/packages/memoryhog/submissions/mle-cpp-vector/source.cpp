// A vector that grows past the limit: the memory cgroup's MLE (with the address space capped at the limit, the
// growth failed with std::bad_alloc and the program aborted: RE).
#include <cstdio>
#include <vector>
int main() {
    std::vector<long long> v;
    for (long long i = 0;; i++) v.push_back(i);
}
