// Crashes at once: it ended first, so its own failure counts (RE), although the interactor then fails too.
#include <cstdlib>
int main() { std::abort(); }
